"""What the next commit of the document writes, kept aside so that a commit that fails (disk
full, the team database gone, a refusal) can put the user's edits back afterwards: rolling
back expires every object and drops new ones from the session."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session


class Pending:
    """New rows, changed fields (object, attribute, value) and deleted rows of one commit."""

    __slots__ = ("new", "changes", "deleted")

    def __init__(
        self, new: list[Any], changes: list[tuple[Any, str, Any]], deleted: list[Any]
    ) -> None:
        self.new = new
        self.changes = changes
        self.deleted = deleted


def snapshot(session: Session) -> Pending:
    """What the next commit of ``session`` writes."""
    changes: list[tuple[Any, str, Any]] = []
    for obj in session.dirty:
        state = sa_inspect(obj)
        for attr in state.mapper.attrs:
            if state.attrs[attr.key].history.has_changes():
                value = getattr(obj, attr.key)
                changes.append((obj, attr.key, list(value) if isinstance(value, list) else value))
    return Pending(list(session.new), changes, list(session.deleted))


def put_back(session: Session, pending: Pending) -> None:
    """After a rollback: the edits of ``pending`` are unsaved edits of ``session`` again."""
    with session.no_autoflush:
        for obj in pending.new:
            session.add(obj)
        for obj, key, value in pending.changes:
            setattr(obj, key, value)
        for obj in pending.deleted:
            if sa_inspect(obj).persistent:
                session.delete(obj)
