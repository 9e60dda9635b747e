"""Saving when somebody else saved first: edits to different fields both land; the same field
changed by both is handed back to ask about. Qt-free.

Every editable row has a version counter (schema 0003), so a commit that would overwrite a row
changed since it was read raises ``StaleDataError``. :func:`commit_merging` then reads those rows
again and re-applies only the fields this session changed, where the other writer left them as
they were (or made them the same). Where both changed the same field, the other writer's value
stays for now and a :class:`FieldConflict` says both values, so the person can choose with
:func:`resolve` (keep mine / take theirs). A row somebody else deleted while this session was
editing it comes back as a conflict on the field ``None``; keeping mine offers the row back.

Where the version counter is bumped, the row also says who changed it and when (schema 0005):
:func:`stamp_changes`, registered on every session a store makes, writes ``changed_by`` and
``changed_at`` on each new or changed versioned row at flush, whichever path commits it. A
conflict carries the other person's stamp (:attr:`FieldConflict.by`, :attr:`FieldConflict.at`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.exc import InvalidRequestError
from sqlalchemy.orm import Session, make_transient, sessionmaker
from sqlalchemy.orm.exc import ObjectDeletedError, StaleDataError

MAX_ROUNDS = 5
# What refreshing a row that somebody else deleted raises.
_GONE = (ObjectDeletedError, InvalidRequestError)
_UNKNOWN = object()
# Who changed a row and when: written by stamp_changes, never an edit of their own (not merged,
# not journaled offline, not a conflict).
STAMP_FIELDS = frozenset({"changed_by", "changed_at"})


@dataclass
class FieldConflict:
    """``field`` of ``obj`` was changed here (``mine``) and by somebody else (``theirs``).

    ``field`` None: the row was deleted by somebody else; ``mine`` holds this session's values.
    """

    obj: Any
    field: str | None
    mine: Any
    theirs: Any
    # Who saved ``theirs`` and when (the row's stamp as read back), when known.
    by: str | None = None
    at: datetime | None = None

    @property
    def what(self) -> str:
        """The code's name of the field (``Goal.title``), for logs; the window names it in
        plain words (``sprintdesk.ui.conflict_dialog.field_words``)."""
        return f"{type(self.obj).__name__}.{self.field}" if self.field else type(self.obj).__name__


def stamp_changes(sessions: sessionmaker[Session], *, by: str) -> None:
    """Every session of ``sessions`` writes who changed a versioned row (``by``) and when
    (UTC, this computer's clock) on each row it inserts or changes, at flush."""

    def before_flush(session: Session, _context: Any, _instances: Any) -> None:
        now = datetime.now(UTC)
        for obj in list(session.new):
            if hasattr(obj, "changed_by"):
                obj.changed_by, obj.changed_at = by, now
        for obj in list(session.dirty):
            if hasattr(obj, "changed_by") and _edited(obj):
                obj.changed_by, obj.changed_at = by, now

    event.listen(sessions, "before_flush", before_flush)


def _edited(obj: Any) -> bool:
    """A column of ``obj`` other than its stamp changed (a list or a link alone bumps no
    version counter and writes no stamp)."""
    state = inspect(obj)
    if state.deleted or state.was_deleted:
        return False
    for column in state.mapper.column_attrs:
        if column.key in STAMP_FIELDS:
            continue
        history = state.attrs[column.key].history
        if (history.added or history.deleted) and list(history.added) != list(history.deleted):
            return True
    return False


def stamp_of(obj: Any) -> tuple[str | None, datetime | None]:
    """Who changed ``obj`` last and when, as loaded (None, None when not known)."""
    state = inspect(obj)
    return state.dict.get("changed_by"), state.dict.get("changed_at")


Pending = dict[Any, tuple[dict[str, tuple[Any, Any]], dict[str, Any]]]


def _pending_fields(session: Session) -> Pending:
    """For each changed row: field -> (value when read, value now), and the whole row as this
    session has it (to offer a deleted row back)."""
    pending: Pending = {}
    for obj in session.dirty:
        state = inspect(obj)
        fields: dict[str, tuple[Any, Any]] = {}
        for column in state.mapper.column_attrs:
            if column.key in STAMP_FIELDS:
                continue
            history = state.attrs[column.key].history
            if history.added or history.deleted:
                base = history.deleted[0] if history.deleted else _UNKNOWN
                fields[column.key] = (base, getattr(obj, column.key))
        if fields:
            row = {
                column.key: state.dict[column.key]
                for column in state.mapper.column_attrs
                if column.key in state.dict
            }
            pending[obj] = (fields, row)
    return pending


def commit_merging(session: Session) -> list[FieldConflict]:
    """Commit; when rows changed elsewhere since they were read, merge and commit again.

    Returns the same-field conflicts (empty when everything landed)."""
    conflicts: list[FieldConflict] = []
    for _round in range(MAX_ROUNDS):
        pending = _pending_fields(session)
        new = list(session.new)
        deleted = list(session.deleted)
        try:
            session.commit()
            return conflicts
        except StaleDataError:
            session.rollback()
        with session.no_autoflush:
            for obj in new:
                session.add(obj)
            for obj, (fields, row) in pending.items():
                conflicts.extend(_reapply(session, obj, fields, row))
            for obj in deleted:
                try:
                    session.refresh(obj)
                except _GONE:
                    continue  # already gone: nothing left to delete
                session.delete(obj)
    session.commit()  # one last time; a StaleDataError now goes to the caller
    return conflicts


def _reapply(
    session: Session, obj: Any, fields: dict[str, tuple[Any, Any]], row: dict[str, Any]
) -> list[FieldConflict]:
    try:
        session.refresh(obj)
    except _GONE:
        if obj in session:
            session.expunge(obj)
        return [FieldConflict(obj, None, row, None)]
    found: list[FieldConflict] = []
    by, at = stamp_of(obj)
    for key, (base, mine) in fields.items():
        theirs = getattr(obj, key)
        if theirs == mine:
            continue
        if base is not _UNKNOWN and theirs == base:
            setattr(obj, key, mine)  # they left this field alone: mine lands
        else:
            found.append(FieldConflict(obj, key, mine, theirs, by, at))
    return found


def resolve(session: Session, conflict: FieldConflict, *, keep_mine: bool) -> list[FieldConflict]:
    """Apply the person's choice and commit (merging again if needed)."""
    if keep_mine:
        if conflict.field is None:
            obj = conflict.obj
            make_transient(obj)
            for key, value in conflict.mine.items():
                setattr(obj, key, value)
            obj.version = None  # the counter restarts with the row
            session.add(obj)
        else:
            setattr(conflict.obj, conflict.field, conflict.mine)
    return commit_merging(session)
