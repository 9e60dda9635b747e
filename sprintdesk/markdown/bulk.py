"""A new sprint's many small rows (team items, notes, agenda sections, rota, time off...) written
in one statement per table, after the few rows they point at (sprint, team plans, people,
teams) are flushed.

Why: the ORM reads every new row's id back, and SQLite cannot return ids for a batch of rows in
a known order, so a flush sends one ``INSERT … RETURNING`` per row: most of an import's time.
Nothing needs these rows' ids while importing, so they go as a plain executemany. The rows are
built as ordinary mapped objects (same constructors, same defaults) that are never added to the
session; after the insert, the collections they belong to are expired so that reading them
loads what was written. No Qt.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import MANYTOONE

from sprintdesk.plan.model import Base

_MISSING = object()


def _row(obj: Base, parents: dict[str, Base]) -> dict[str, Any]:
    mapper = inspect(type(obj))
    values = obj.__dict__
    row: dict[str, Any] = {}
    for prop in mapper.column_attrs:
        column = prop.columns[0]
        if column.primary_key:
            continue
        value = values.get(prop.key, _MISSING)
        if value is _MISSING:
            default = column.default
            if (default is not None and not default.is_scalar) or (
                default is None and column.server_default is not None
            ):
                continue  # a computed or database default: the insert supplies it
            value = default.arg if default is not None else None
        row[prop.key] = value
    for rel in mapper.relationships:
        if rel.direction is not MANYTOONE:
            continue
        related = values.get(rel.key)
        if related is None:
            continue
        for local, remote in rel.local_remote_pairs:
            row[str(local.key)] = getattr(related, str(remote.key))
    for key, parent in parents.items():
        row[key] = parent.id  # type: ignore[attr-defined]
    return row


class BulkRows:
    """Rows to insert once their parents have ids; ``parents`` maps a foreign-key attribute
    (``sprint_id``) to the object whose id it takes."""

    def __init__(self) -> None:
        self._rows: dict[type[Base], list[tuple[Base, dict[str, Base]]]] = {}
        self._expire: dict[int, tuple[Base, set[str]]] = {}

    def add(self, obj: Base, collection: tuple[Base, str] | None = None, **parents: Base) -> None:
        """Queue ``obj``; ``collection`` (owner, attribute) is expired after the insert."""
        self._rows.setdefault(type(obj), []).append((obj, parents))
        if collection is not None:
            owner, name = collection
            self._expire.setdefault(id(owner), (owner, set()))[1].add(name)

    def insert(self, session: Session) -> int:
        """Insert every queued row (one executemany per table, in the order the tables were
        first queued); returns how many rows."""
        count = 0
        for model, entries in self._rows.items():
            rows = [_row(obj, parents) for obj, parents in entries]
            session.execute(insert(model).execution_options(render_nulls=True), rows)
            count += len(rows)
        for owner, names in self._expire.values():
            session.expire(owner, sorted(names))
        self._rows.clear()
        self._expire.clear()
        return count
