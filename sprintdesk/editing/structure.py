"""Rows added, deleted and re-linked in the document's session, made ready for the writer
thread and then counted as saved there, so that the window never waits for the network.

A new row gets its id at once, from ids the team database handed out ahead of time
(``storage.sequences``), so that later edits, links and undo refer to it by id while its INSERT
is still on its way; its defaults and its links' ids are written into its columns, so what the
writer sends is exactly what the window shows. Once a batch is handed over (:func:`settle`),
the document's session treats its rows as the database has them: a new row is persistent with
its id, a deleted one is let go of, changed links are committed. A batch that does not land
(the server gone, a refusal) is made unsaved again (:func:`unsettle`) and saved the ordinary
way, which puts it in the offline outbox. Qt-free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session, make_transient, make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.interfaces import MANYTOONE, ONETOMANY

_MISSING = object()


def _table(obj: Any) -> str | None:
    return getattr(type(obj), "__tablename__", None)


def links_only_here(session: Session) -> bool:
    """True when ``session`` changed a many-to-many link (a person's teams): those have no row
    of their own to send behind the window, so they are saved the ordinary way."""
    for obj in session.dirty:
        state = sa_inspect(obj)
        for rel in state.mapper.relationships:
            if (
                rel.secondary is not None
                and rel.key in state.committed_state
                and state.attrs[rel.key].history.has_changes()
            ):
                return True
    return False


def _keyed_by_id(obj: Any) -> bool:
    keys = sa_inspect(obj).mapper.primary_key
    return len(keys) == 1 and keys[0].name == "id"


def ids_wanted(session: Session) -> dict[str, int]:
    """How many ids each table needs for the new rows of ``session`` that have none yet. A
    row keyed otherwise (a setting, by its name) needs none: it goes with its key."""
    wanted: dict[str, int] = {}
    for obj in _new_rows(session):
        table = _table(obj)
        if not _keyed_by_id(obj):
            continue
        if table is not None and sa_inspect(obj).dict.get("id") is None:
            wanted[table] = wanted.get(table, 0) + 1
    return wanted


def _new_rows(session: Session) -> list[Any]:
    """The new rows of ``session`` (one taken out of its list again before it was saved, an
    undone add, has already left the session: SQLAlchemy expunges such pending orphans)."""
    return list(session.new)


def prepare(session: Session, take: Callable[[str], int]) -> None:
    """Make the new and re-linked rows of ``session`` say in their columns what the writer will
    send: ids for new rows (``take(table)``; :func:`ids_wanted` says how many), their column
    defaults, and the ids of the rows they link to."""
    new = _new_rows(session)
    for obj in new:
        state = sa_inspect(obj)
        if _keyed_by_id(obj) and state.dict.get("id") is None and _table(obj) is not None:
            obj.id = take(_table(obj) or "")
        for column in state.mapper.column_attrs:
            if column.key in state.dict or column.key == "version":
                continue
            setattr(obj, column.key, _default(column))
    for obj in new:
        _sync_links(obj, is_new=True)
    for obj in list(session.dirty):
        state = sa_inspect(obj)
        if not state.mapper._is_orphan(state):  # an orphan is deleted, its links left alone
            _sync_links(obj, is_new=False)


def _default(column: Any) -> Any:
    default = column.columns[0].default
    if default is None:
        return None
    if default.is_scalar:
        return default.arg
    if default.is_callable:
        return default.arg(None)
    return None  # pragma: no cover - no column of the model has a SQL-expression default


def _sync_links(obj: Any, *, is_new: bool) -> None:
    """Write the ids of changed links into the columns that hold them (the flush would)."""
    state = sa_inspect(obj)
    for rel in state.mapper.relationships:
        if rel.key not in state.dict or rel.secondary is not None:
            continue
        if not is_new and (
            rel.key not in state.committed_state or not state.attrs[rel.key].history.has_changes()
        ):
            continue
        if rel.direction is MANYTOONE:
            target = state.dict[rel.key]
            for local, remote in rel.local_remote_pairs:
                value = None if target is None else sa_inspect(target).dict.get(remote.key)
                if state.dict.get(local.key, _MISSING) != value:
                    setattr(obj, local.key, value)
        elif rel.direction is ONETOMANY:
            for child in state.attrs[rel.key].history.added:
                child_state = sa_inspect(child)
                for local, remote in rel.local_remote_pairs:
                    value = state.dict.get(local.key)
                    if child_state.dict.get(remote.key, _MISSING) != value:
                        setattr(child, remote.key, value)


@dataclass
class Handed:
    """What one batch changed in the document's session, kept until it lands or fails (the
    objects are held, so a failed batch finds them even after another sprint was opened)."""

    new: list[Any] = dc_field(default_factory=list)
    deleted: list[Any] = dc_field(default_factory=list)
    changed: list[Any] = dc_field(default_factory=list)


def settle(session: Session, deleted: list[Any]) -> Handed:
    """The batch is on its way: its new rows become persistent with their ids, ``deleted`` rows
    (deleted or taken out of their list) are let go of, and changed links count as saved."""
    handed = Handed(new=list(session.new), deleted=deleted)
    for obj in list(session.dirty):
        # Everything it changed is in the batch: saved as it is now, as a flush would leave
        # it (the list objects themselves stay: undo commands hold them), and no longer
        # looked at by every later autosave.
        state = sa_inspect(obj)
        state._commit_all(state.dict, session.identity_map)
        handed.changed.append(obj)
    for obj in handed.new:
        state = sa_inspect(obj)
        if "version" in state.mapper.attrs:
            set_committed_value(obj, "version", 1)  # what the INSERT gives it
        for rel in state.mapper.relationships:
            if rel.key in state.dict:
                continue
            if rel.uselist:
                set_committed_value(obj, rel.key, [])  # a new row has nothing under it yet
            elif all(state.dict.get(local.key) is None for local, _r in rel.local_remote_pairs):
                set_committed_value(obj, rel.key, None)
    for obj in handed.new + deleted:
        if obj in session:
            session.expunge(obj)
    for obj in handed.new:
        make_transient_to_detached(obj)
    for obj in handed.new:
        session.add(obj)
    return handed


def unsettle(session: Session, handed: Handed) -> None:
    """The batch did not land: its new rows are new again (keeping their ids) and its deleted
    rows deleted again, as unsaved edits of ``session``."""
    with session.no_autoflush:
        new = [obj for obj in handed.new if sa_inspect(obj).persistent]
        for obj in new:
            session.expunge(obj)
        for obj in new:
            make_transient(obj)
            obj.version = None  # the counter starts with the row
        for obj in new:
            session.add(obj)
        for obj in handed.deleted:
            if sa_inspect(obj).detached:
                session.add(obj)
                session.delete(obj)
