"""Undoable edits made by core planning code (carry-over, hang-over decisions): the document
records the list before and after, so undo and redo put back the very same objects."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import inspect as sa_inspect

from sprintdesk.editing.commands import revive
from sprintdesk.editing.document import PlanDocument


def restore_list(collection: list[Any], objs: list[Any]) -> None:
    """Put a relationship list back to ``objs`` (reviving objects deleted meanwhile)."""
    for obj in objs:
        state = sa_inspect(obj)
        if state.deleted or state.detached or state.was_deleted:
            revive(obj)
    collection[:] = objs
    for position, item in enumerate(collection):
        if hasattr(item, "position") and item.position != position:
            item.position = position


def snapshot_edit(
    doc: PlanDocument,
    text: str,
    collection: list[Any],
    mutate: Callable[[], object],
    attrs: Sequence[tuple[Any, str]] = (),
) -> None:
    """An undoable edit made by core code that changes ``collection`` and some attributes.

    The first apply runs ``mutate`` (e.g. ``planning.set_carry_over``); undo puts the list and
    the attributes back; redo restores what ``mutate`` produced, with the same objects.
    """
    before = list(collection)
    before_attrs = [(obj, attr, getattr(obj, attr)) for obj, attr in attrs]
    after: list[Any] | None = None
    after_attrs: list[tuple[Any, str, Any]] = []

    def apply() -> None:
        nonlocal after, after_attrs
        if after is None:
            mutate()
            after = list(collection)
            after_attrs = [(obj, attr, getattr(obj, attr)) for obj, attr in attrs]
            return
        restore_list(collection, after)
        for obj, attr, value in after_attrs:
            setattr(obj, attr, value)

    def revert() -> None:
        restore_list(collection, before)
        for obj, attr, value in before_attrs:
            setattr(obj, attr, value)

    doc.edit(text, apply, revert)
