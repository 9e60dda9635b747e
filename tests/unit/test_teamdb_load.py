"""Opening a sprint on a team database: every statement is a round trip across the network, so
their number is held (15 for any sprint: one per list, small lists riding with their parent),
and walking the plan afterwards sends none."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event, select

from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import Sprint
from sprintdesk.plan.planning import load_sprint
from sprintdesk.storage.store import open_store

pytestmark = pytest.mark.postgresql

MAX_STATEMENTS = 15


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_rest) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_opening_a_sprint_is_a_fixed_number_of_statements(pg_database: str) -> None:
    store = open_store(pg_database)
    try:
        with store.unit_of_work() as session:
            load_demo(session)
        with store.session() as session:
            sprint_ids = list(session.scalars(select(Sprint.id)))
        for sprint_id in sprint_ids:
            with store.session() as session, counting(store.engine) as statements:
                sprint = load_sprint(session, sprint_id)
                opened = len(statements)
                for plan in sprint.team_plans:
                    _ = [len(plan.items), len(plan.okrs), len(plan.team.members)]
                    _ = [item.owner for item in plan.items]
                _ = [len(goal.contributors) for goal in sprint.goals]
                _ = [len(sprint.sections), len(sprint.outcomes), len(sprint.notes)]
                assert opened <= MAX_STATEMENTS
                assert len(statements) == opened  # walking it sends nothing more
    finally:
        store.close()
