"""Many rows of one table changed in the same columns (a list renumbered after a row was
deleted, inserted or moved) sent to a team database as one version-checked UPDATE, not one per
row. Qt-free.

SQLAlchemy checks a row's version counter with one UPDATE per row (it sends no executemany
where a counter is checked), so deleting the first of 200 goals meant 199 UPDATEs, one round
trip each: about 6 s through a 30 ms network. :func:`flush_in_bulk` takes such groups out of
the flush and sends each as one statement::

    UPDATE goals SET position = v.position, version = goals.version + 1, changed_by = ...,
           changed_at = ...
    FROM (VALUES (id, version, position), ...) AS v (id, version, position)
    WHERE goals.id = v.id AND goals.version = v.version
    RETURNING goals.id, goals.version

Every row is still checked against the version it was read at: a row somebody else saved
meanwhile is not matched, and :class:`StaleDataError` is raised, as the flush raises it. The
caller rolls back and saves the ordinary way, through the conflict rules, so a concurrent
change is detected as a conflict, never overwritten. The rows' new counters and who changed
them are the database's answer (``RETURNING``), and the live updates are told about every row
as a flush would tell them (``storage.live.Notifier.tell``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Integer, column, values
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from sprintdesk.storage.conflicts import STAMP_FIELDS

MIN_ROWS = 3  # fewer rows alike are sent as the flush sends them
CHUNK = 2000  # rows per statement (each row is a few bound values; PostgreSQL takes 65,535)


@dataclass
class _Group:
    """Rows of one class whose changes are the same columns."""

    mapper: Any
    keys: tuple[str, ...]
    rows: list[tuple[Any, int, int, tuple[Any, ...]]] = dc_field(default_factory=list)


def flush_in_bulk(
    session: Session,
    *,
    by: str | None,
    tell: Callable[[Session, list[Any]], None] | None = None,
) -> int:
    """Flush ``session``; groups of at least :data:`MIN_ROWS` rows of one table changed in the
    same columns go as one version-checked UPDATE each (``by``: who changed them, as
    ``storage.conflicts.stamp_changes`` writes it; ``tell(session, rows)``: what the live
    updates hear of the rows). How many rows went that way. A row changed elsewhere since it
    was read raises :class:`StaleDataError`; roll back and save the ordinary way."""
    groups = _groups(session)
    for group in groups:
        for obj, _id, _version, now in group.rows:
            for key, value in zip(group.keys, now, strict=True):
                set_committed_value(obj, key, value)  # sent below, not by the flush
    session.flush()  # the rest first: new rows (a moved row may point at one), deleted rows
    if not groups:
        return 0
    connection = session.connection()
    stamp = datetime.now(UTC)
    sent: list[Any] = []
    for group in groups:
        for start in range(0, len(group.rows), CHUNK):
            rows = group.rows[start : start + CHUNK]
            statement = _statement(group, rows, by, stamp)
            answered = {row_id: version for row_id, version in connection.execute(statement)}
            if len(answered) != len(rows):
                raise StaleDataError(
                    f"UPDATE of {len(rows)} rows of {group.mapper.local_table.name} matched "
                    f"{len(answered)}: changed elsewhere since they were read"
                )
            for obj, row_id, _version, _now in rows:
                set_committed_value(obj, "version", answered[row_id])
                if "changed_by" in group.mapper.attrs:
                    set_committed_value(obj, "changed_by", by)
                    set_committed_value(obj, "changed_at", stamp)
                sent.append(obj)
    if tell is not None:
        tell(session, sent)
    return len(sent)


def _groups(session: Session) -> list[_Group]:
    found: dict[tuple[Any, tuple[str, ...]], _Group] = {}
    for obj in list(session.dirty):
        state = sa_inspect(obj)
        mapper = state.mapper
        keys = _changed_columns(state)
        if keys is None:
            continue
        group = found.setdefault((mapper, keys), _Group(mapper, keys))
        now = tuple(state.dict[key] for key in keys)
        group.rows.append((obj, state.dict["id"], state.dict["version"], now))
    return [group for group in found.values() if len(group.rows) >= MIN_ROWS]


def _changed_columns(state: Any) -> tuple[str, ...] | None:
    """The plain columns ``state`` changed, when it is a row that may go in bulk: persistent,
    versioned, keyed by one ``id``, one table, no link or list of it changed, not an orphan
    about to be deleted. None otherwise."""
    mapper = state.mapper
    if (
        not state.persistent
        or mapper.version_id_col is None
        or len(mapper.tables) != 1
        or [key.key for key in mapper.primary_key] != ["id"]
        or mapper._is_orphan(state)
        or "id" not in state.dict
        or "version" not in state.dict
    ):
        return None
    columns = {prop.key for prop in mapper.column_attrs}
    if any(key not in columns for key in state.committed_state):
        return None  # a link or a list changed: the flush knows how to send those
    keys = []
    for key in sorted(state.committed_state):
        if key in STAMP_FIELDS:
            continue  # written with the row (stamp_changes' values)
        if key in {"id", "version"}:
            return None
        history = state.attrs[key].history
        if (history.added or history.deleted) and list(history.added) != list(history.deleted):
            keys.append(key)
    return tuple(keys) or None


def _statement(group: _Group, rows: list[Any], by: str | None, stamp: datetime) -> Any:
    mapper = group.mapper
    table = mapper.local_table
    targets = [mapper.get_property(key).columns[0] for key in group.keys]
    given = values(
        column("id", Integer),
        column("version", Integer),
        *(column(f"c{index}", target.type) for index, target in enumerate(targets)),
        name="v",
    ).data([(row_id, version, *now) for _obj, row_id, version, now in rows])
    version = mapper.version_id_col
    changes: dict[Any, Any] = {target: given.c[f"c{index}"] for index, target in enumerate(targets)}
    changes[version] = version + 1
    if "changed_by" in mapper.attrs:
        changes[table.c.changed_by] = by
        changes[table.c.changed_at] = stamp
    return (
        table.update()
        .where(table.c.id == given.c.id, version == given.c.version)
        .values(changes)
        .returning(table.c.id, version)
    )
