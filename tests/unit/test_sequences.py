"""Ids handed out ahead of time by a team database (``storage.sequences``): one round trip for
every table, never the same id twice (two windows reserving at once), and a row inserted with
one is found under it."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from sprintdesk.plan.model import Goal, Sprint
from sprintdesk.storage.sequences import id_tables, reserve
from sprintdesk.storage.store import open_store

pytestmark = pytest.mark.postgresql


def test_ids_are_reserved_in_one_round_trip_and_never_twice(pg_database: str) -> None:
    store = open_store(pg_database)
    try:
        assert {"goals", "team_items", "time_off", "people"} <= set(id_tables())
        statements: list[str] = []
        event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        wanted = {table: 3 for table in id_tables()}
        with store.engine.connect() as one, store.engine.connect() as two:
            first, second = reserve(one, wanted), reserve(two, wanted)
        assert len(statements) == 2
        for table in wanted:
            assert len(first[table]) == len(second[table]) == 3
            assert not set(first[table]) & set(second[table])
        with store.unit_of_work() as session:
            sprint = Sprint(name="Reserved ids")
            session.add(sprint)
            session.flush()
            session.add(Goal(id=first["goals"][0], sprint=sprint, title="With a reserved id"))
            # The sequence moved past the reserved ids: an ordinary insert takes a new one.
            session.add(Goal(sprint=sprint, title="With an ordinary id"))
        with store.session() as session:
            ids = dict(session.execute(select(Goal.title, Goal.id)).all())
        assert ids["With a reserved id"] == first["goals"][0]
        assert ids["With an ordinary id"] not in first["goals"] + second["goals"]
    finally:
        store.close()
