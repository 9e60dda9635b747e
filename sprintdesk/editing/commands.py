"""The undoable edits of the document: the ``QUndoCommand`` classes behind
:meth:`~sprintdesk.editing.document.PlanDocument.set_attr` and
:meth:`~sprintdesk.editing.document.PlanDocument.edit`, and the helpers that make a deleted row
insertable again and keep list positions in order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import make_transient


class EditHost(Protocol):
    """The document a command edits: told after every apply and revert."""

    def after_edit(self) -> None: ...


class FunctionCommand(QUndoCommand):
    """Any edit given as a pair of functions (apply, revert)."""

    def __init__(
        self, doc: EditHost, text: str, apply: Callable[[], None], revert: Callable[[], None]
    ) -> None:
        super().__init__(text)
        self._doc = doc
        self._apply = apply
        self._revert = revert

    def redo(self) -> None:
        self._apply()
        self._doc.after_edit()

    def undo(self) -> None:
        self._revert()
        self._doc.after_edit()


class SetAttrCommand(QUndoCommand):
    """Set one attribute; consecutive edits of the same attribute merge (typing a word is one
    undo step, not one per key)."""

    MERGE_ID = 0x5D01

    def __init__(self, doc: EditHost, obj: Any, attr: str, value: Any, text: str) -> None:
        super().__init__(text)
        self._doc = doc
        self._obj = obj
        self._attr = attr
        self._old = getattr(obj, attr)
        self._new = value

    def id(self) -> int:
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetAttrCommand):
            return False
        if other._obj is not self._obj or other._attr != self._attr:
            return False
        if not isinstance(self._new, str):
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        setattr(self._obj, self._attr, self._new)
        self._doc.after_edit()

    def undo(self) -> None:
        setattr(self._obj, self._attr, self._old)
        self._doc.after_edit()


def revive(obj: Any) -> None:
    """Make a deleted object (and the children deleted with it) insertable again."""
    state = sa_inspect(obj)
    if state.deleted or state.detached or state.was_deleted:
        make_transient(obj)
    for rel in state.mapper.relationships:
        if "delete" not in rel.cascade:
            continue
        value = state.dict.get(rel.key)
        if value is None:
            continue
        for child in value if rel.uselist else [value]:
            revive(child)


def renumber(collection: list[Any]) -> None:
    """Positions follow the list's order after an insert, a removal or a move."""
    for position, item in enumerate(collection):
        if hasattr(item, "position") and item.position != position:
            item.position = position
