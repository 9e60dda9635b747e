"""Row ids handed out ahead of time by a team database, so that a new row has its id the moment
it is made in the window. Qt-free.

A row added in the window (a goal, an item, a time-off entry...) is saved by the writer thread
behind the window (``editing.writer``). Later edits and links refer to it by id, and the
writer's batches may still be on their way, so the id cannot wait for the INSERT: it comes from
the table's own sequence (``pg_get_serial_sequence``), a few values per table taken in one round
trip (:func:`reserve`) ahead of need. The sequence never hands a value out twice, so two windows
never pick the same id, and an id reserved and never used only leaves a gap.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from sprintdesk.plan import model


def id_tables() -> list[str]:
    """The tables whose rows have one integer ``id`` from a sequence (every table the window
    adds rows to)."""
    found = []
    for mapper in model.Base.registry.mappers:
        table = getattr(mapper.class_, "__tablename__", None)
        keys = mapper.primary_key
        if table is not None and len(keys) == 1 and keys[0].name == "id":
            found.append(table)
    return sorted(found)


def reserve(connection: Connection, wanted: dict[str, int]) -> dict[str, list[int]]:
    """``wanted[table]`` new ids for each table, from its sequence, in one round trip (a
    PostgreSQL connection; runs outside any transaction's effects: ``nextval`` is never rolled
    back)."""
    if not wanted:
        return {}
    parts: list[str] = []
    params: dict[str, Any] = {}
    for index, (table, count) in enumerate(sorted(wanted.items())):
        parts.append(
            f"SELECT CAST(:t{index} AS text) AS name, "
            f"nextval(pg_get_serial_sequence(:t{index}, 'id')) AS id "
            f"FROM generate_series(1, :n{index})"
        )
        params[f"t{index}"] = table
        params[f"n{index}"] = count
    rows = connection.execute(text(" UNION ALL ".join(parts)), params).all()
    got: dict[str, list[int]] = {table: [] for table in wanted}
    for name, value in rows:
        if value is not None:
            got[str(name)].append(int(value))
    for ids in got.values():
        ids.sort()
    return got
