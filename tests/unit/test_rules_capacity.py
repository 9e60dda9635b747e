"""The capacity-based plan checks in sprintdesk.plan.rules.check_sprint: over-allocation, next to
the owner-away and owner-is-support-hero checks, on hand-built sprints and the demo data."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.plan import settings
from sprintdesk.plan.capacity import Estimates
from sprintdesk.plan.model import (
    Allocation,
    Goal,
    GoalContributor,
    ItemKind,
    Person,
    Role,
    Sprint,
    SupportDuty,
    Team,
    TeamItem,
    TimeOff,
)
from sprintdesk.plan.planning import create_sprint
from sprintdesk.plan.rules import Severity, check_sprint, findings_for_team_plan
from sprintdesk.storage.store import Store

START, END = date(2025, 3, 3), date(2025, 3, 14)  # 10 working days


@pytest.fixture
def plan(store: Store) -> Iterator[tuple[Session, Sprint, Person, Person, Team]]:
    session = store.session()
    ana = Person(name="Ana", github_login="ana", role=Role.ENGINEER.value)
    ben = Person(name="Ben", github_login="ben", role=Role.ENGINEER.value)
    hero = Person(name="Hero", role=Role.ENGINEER.value)
    team = Team(name="Core", members=[ana, ben, hero])
    session.add(team)
    sprint = create_sprint(session, "S", START, END)
    sprint.team_plans[0].support_hero = hero
    session.flush()
    yield session, sprint, ana, ben, team
    session.close()


def _goal(owner: Person, title: str = "Ship it", **kw) -> Goal:
    return Goal(owner=owner, title=title, why="because", target="done", **kw)


def over(findings) -> list:
    return [f for f in findings if f.code == "over-allocated"]


def test_two_goals_fit_ten_days(plan) -> None:
    session, sprint, ana, *_ = plan
    sprint.goals = [_goal(ana, "A"), _goal(ana, "B")]
    session.flush()
    assert check_sprint(sprint) == []


def test_part_time_owner_is_over_allocated(plan) -> None:
    session, sprint, ana, *_ = plan
    sprint.goals = [_goal(ana, "A"), _goal(ana, "B")]
    sprint.allocations = [Allocation(person=ana, share=0.5)]
    session.flush()
    (finding,) = check_sprint(sprint)
    assert (finding.severity, finding.code, finding.person_id) == (
        Severity.WARNING,
        "over-allocated",
        ana.id,
    )
    assert finding.message.startswith("Ana is over-allocated: 10 days of planned work for 5 days")
    assert "× 50%" in finding.message
    assert finding.to_json()["code"] == "over-allocated"


def test_contributor_on_holiday_is_over_allocated(plan) -> None:
    session, sprint, ana, ben, _ = plan
    sprint.goals = [
        _goal(
            ana,
            contributors=[
                GoalContributor(person=ana, share=20),
                GoalContributor(person=ben, share=80),
            ],
        )
    ]
    sprint.time_off = [TimeOff(person=ben, start=START, end=date(2025, 3, 12))]  # 8 days off
    session.flush()
    findings = over(check_sprint(sprint, estimates=Estimates(goal_days=5)))
    assert [f.person_id for f in findings] == [ben.id]
    assert "4 days of planned work for 2 days" in findings[0].message


def test_high_priority_items_count(plan) -> None:
    session, sprint, ana, *_ = plan
    sprint.goals = [_goal(ana)]
    sprint.team_plans[0].items = [
        TeamItem(kind=ItemKind.HIGH.value, title=f"Item {i}", owner=ana, position=i)
        for i in range(3)
    ]
    session.flush()
    assert over(check_sprint(sprint, estimates=Estimates(goal_days=5, item_days=1))) == []
    (finding,) = over(check_sprint(sprint, estimates=Estimates(goal_days=5, item_days=2)))
    assert "11 days of planned work for 10 days" in finding.message


def test_estimates_follow_the_settings_without_extra_arguments(plan) -> None:
    session, sprint, ana, *_ = plan
    sprint.goals = [_goal(ana)]
    session.flush()
    assert over(check_sprint(sprint)) == []
    settings.put(session, "capacity_goal_days", "11")
    session.flush()
    assert [f.person_id for f in over(check_sprint(sprint))] == [ana.id]


def test_owner_away_is_reported_once_not_also_as_over_allocated(plan) -> None:
    session, sprint, ana, *_ = plan
    sprint.goals = [_goal(ana)]
    sprint.time_off = [TimeOff(person=ana, start=START, end=END)]
    session.flush()
    assert [f.code for f in check_sprint(sprint)] == ["owner-away"]


def test_support_hero_owner_is_warned_and_over_allocated(plan) -> None:
    session, sprint, ana, _, team = plan
    sprint.goals = [_goal(ana, "A"), _goal(ana, "B")]
    sprint.support_duties = [SupportDuty(team=team, week=1, person=ana)]
    session.flush()
    codes = [f.code for f in check_sprint(sprint)]
    assert codes.count("owner-support-hero") == 2
    assert codes.count("over-allocated") == 1


def test_sprint_without_dates_has_no_capacity_findings(store: Store) -> None:
    session = store.session()
    ana = Person(name="Ana")
    session.add(Team(name="T", members=[ana]))
    sprint = create_sprint(session, "Undated")
    sprint.team_plans[0].support_hero = ana
    sprint.goals = [_goal(ana, "A"), _goal(ana, "B")]
    session.flush()
    assert over(check_sprint(sprint)) == []
    session.close()


def test_demo_current_sprint(demo_store: Store) -> None:
    with demo_store.session() as session:
        current = session.scalars(select(Sprint).order_by(Sprint.start.desc())).first()
        assert current is not None
        findings = check_sprint(current)
        names = {f.message.split(" is over-allocated")[0] for f in over(findings)}
        # Jun is support hero in week 2 and owns the carried-over goal; Lena is Billing's hero
        # for the whole sprint and contributes to a goal.
        assert names == {"Jun Watanabe", "Lena Kowalski"}


def test_person_findings_show_inline_on_teams(plan) -> None:
    session, sprint, ana, ben, team = plan
    outsider = Person(name="Outsider")
    sprint.goals = [
        _goal(
            ana,
            "A",
            contributors=[
                GoalContributor(person=ana, share=50),
                GoalContributor(person=ben, share=50),
            ],
        ),
        _goal(ana, "B"),
        _goal(outsider, "C"),
    ]
    sprint.allocations = [
        Allocation(person=ben, share=0.1),
        Allocation(person=outsider, share=0.1),
    ]
    session.flush()
    findings = check_sprint(sprint, estimates=Estimates(goal_days=4))
    over_allocated = {f.person_id: f for f in findings if f.code == "over-allocated"}
    assert set(over_allocated) == {ben.id, outsider.id}
    on_team = findings_for_team_plan(findings, sprint.team_plans[0])
    # Ben is in the team: his over-allocation shows; the outsider's belongs elsewhere.
    assert on_team == [over_allocated[ben.id]]
