"""Shared by the unit tests: the sprint both capacity suites start from, Wed 5 March to Tue 18
March 2025 (two weekends inside, 10 working days; sprint weeks start on Wednesdays), team Core
with engineers Ana and Ben. Suites with a `plan` fixture of their own override this one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.orm import Session

from sprintdesk.plan.capacity import Estimates
from sprintdesk.plan.model import Person, Role, Sprint, Team
from sprintdesk.plan.planning import create_sprint
from sprintdesk.storage.store import Store

START, END = date(2025, 3, 5), date(2025, 3, 18)
EST = Estimates(goal_days=4, item_days=1.5)

Plan = tuple[Session, Sprint, Person, Person, Team]


@pytest.fixture
def plan(store: Store) -> Iterator[Plan]:
    """The session, the sprint, Ana, Ben and their team, flushed; closed after the test."""
    session = store.session()
    ana = Person(name="Ana", github_login="ana", role=Role.ENGINEER.value)
    ben = Person(name="Ben", github_login="ben", role=Role.ENGINEER.value)
    team = Team(name="Core", members=[ana, ben])
    session.add(team)
    sprint = create_sprint(session, "S", START, END)
    session.flush()
    yield session, sprint, ana, ben, team
    session.close()
