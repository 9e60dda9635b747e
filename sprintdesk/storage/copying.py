"""Moving in: copy every sprint, person, team and setting from one database into an empty
team database, ids and links intact.

Rows are copied table by table in foreign-key order inside one transaction on the target (all
or nothing). Links from a table to itself (a sprint's previous sprint, a goal carried from an
earlier goal) are written after all of that table's rows exist. On PostgreSQL the id sequences
are moved past the copied ids afterwards, so the next sprint or goal gets a fresh id.

Who changed each row and when (schema 0005) is copied as it was; a row that never said (written
before that schema) is signed by the person moving in, at the time of the copy.

The facilitator's private notes are not copied: on a team database each person's notes are kept
on their own computer (:mod:`sprintdesk.storage.private_notes`), so the mover's notes stay in the
local database file they came from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Connection, Table, bindparam, func, select, text

from sprintdesk.plan.model import Base, Person, Sprint, Team
from sprintdesk.storage.errors import StoreError
from sprintdesk.storage.store import Store

Progress = Callable[[int, int, str], None]  # (tables done, tables in all, table name)


class TargetNotEmptyError(StoreError):
    """The team database already holds a plan: copying into it would mix two plans."""


@dataclass
class CopyResult:
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def sprints(self) -> int:
        return self.rows.get("sprints", 0)


def holds_a_plan(conn: Connection) -> bool:
    """True when the database has any sprint, person or team."""
    return any(
        conn.execute(select(func.count()).select_from(model.__table__)).scalar()
        for model in (Sprint, Person, Team)
    )


def _self_links(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]


def copy_database(source: Store, target: Store, progress: Progress | None = None) -> CopyResult:
    """Copy everything in ``source`` into ``target`` (which must hold no plan)."""
    result = CopyResult()
    tables = list(Base.metadata.sorted_tables)
    moved_at = datetime.now(UTC)
    with source.engine.connect() as src, target.engine.begin() as dst:
        if holds_a_plan(dst):
            raise TargetNotEmptyError(
                f"{target.display_url} already holds a plan (sprints, people or teams); "
                "SprintDesk copies only into an empty team database. Nothing was copied."
            )
        for done, table in enumerate(tables):
            if progress is not None:
                progress(done, len(tables), table.name)
            order = list(table.primary_key.columns)
            rows = [dict(row) for row in src.execute(select(table).order_by(*order)).mappings()]
            result.rows[table.name] = len(rows)
            if not rows:
                continue
            links = _self_links(table)
            later = [
                {"pk": row["id"], **{name: row[name] for name in links}}
                for row in rows
                if any(row[name] is not None for name in links)
            ]
            for row in rows:
                for name in links:
                    row[name] = None
                if table.name == "sprints":
                    row["facilitator_notes"] = ""  # private: they stay in the local file
                if "changed_by" in table.c and row.get("changed_by") is None:
                    row["changed_by"], row["changed_at"] = target.changed_by, moved_at
            dst.execute(table.insert(), rows)
            for name in links:
                update = (
                    table.update()
                    .where(table.c.id == bindparam("pk"))
                    .values({name: bindparam("link")})
                )
                pending = [
                    {"pk": row["pk"], "link": row[name]} for row in later if row[name] is not None
                ]
                if pending:
                    dst.execute(update, pending)
        if dst.dialect.name == "postgresql":
            _reset_sequences(dst, tables)
        if progress is not None:
            progress(len(tables), len(tables), "")
    return result


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    for table in tables:
        if "id" not in table.c or not table.c.id.primary_key:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table.name}), 1), "
                f"(SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
            )
        )
