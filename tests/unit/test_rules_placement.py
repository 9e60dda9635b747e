"""Where each plan check's finding is shown (sprintdesk.plan.rules): the goal, person and team
plan ids every finding carries, and which findings a team page shows inline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.orm import Session

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
from sprintdesk.plan.rules import (
    Finding,
    Severity,
    check_sprint,
    findings_for_team_plan,
    support_heroes,
)
from sprintdesk.storage.store import Store

START, END = date(2025, 3, 3), date(2025, 3, 14)  # Mon..Fri, 10 working days
EST = Estimates(goal_days=4, item_days=2)

Plan = tuple[Session, Sprint, Person, Person, Person, Team, Team]


@pytest.fixture
def plan(store: Store) -> Iterator[Plan]:
    """Two teams: Core (Ana, Dee the product manager) with Dee as hero, Web (Wu) with Wu."""
    session = store.session()
    ana = Person(name="Ana", github_login="ana", role=Role.ENGINEER.value)
    dee = Person(name="Dee", role=Role.PRODUCT.value)
    wu = Person(name="Wu", github_login="wu", role=Role.ENGINEER.value)
    core = Team(name="Core", members=[ana, dee], position=0)
    web = Team(name="Web", members=[wu], position=1)
    session.add_all([core, web])
    session.flush()
    sprint = create_sprint(session, "S", START, END)
    sprint.team_plans[0].support_hero = dee
    sprint.team_plans[1].support_hero = wu
    session.flush()
    yield session, sprint, ana, dee, wu, core, web
    session.close()


def _goal(owner: Person | None, title: str = "Ship it", **kw) -> Goal:
    values = {"title": title, "why": "because", "target": "done by Friday"}
    values.update(kw)
    return Goal(owner=owner, **values)


def _place(finding: Finding) -> tuple[str, int | None, int | None, int | None]:
    return (finding.code, finding.goal_id, finding.person_id, finding.team_plan_id)


def test_goal_findings_carry_the_goal_and_the_owner(plan: Plan) -> None:
    session, sprint, ana, dee, _wu, _core, _web = plan
    sprint.goals = [
        _goal(None, "Orphan", why="", target=" "),
        _goal(dee, "Pricing"),
        _goal(
            ana,
            "Split",
            contributors=[GoalContributor(person=ana, share=50)],
        ),
    ]
    sprint.time_off = [TimeOff(person=dee, start=START, end=END)]
    session.flush()
    orphan, pricing, split = sprint.goals
    placed = [_place(f) for f in check_sprint(sprint, estimates=EST)]
    assert placed == [
        ("no-owner", orphan.id, None, None),
        ("no-why", orphan.id, None, None),
        ("no-target", orphan.id, None, None),
        ("owner-not-engineer", pricing.id, dee.id, None),
        ("owner-away", pricing.id, dee.id, None),
        ("owner-support-hero", pricing.id, dee.id, None),
        ("shares", split.id, None, None),
    ]


def test_person_and_team_findings_carry_the_person_or_the_team_plan(plan: Plan) -> None:
    session, sprint, ana, _dee, _wu, _core, _web = plan
    sprint.team_plans[1].support_hero = None
    sprint.goals = [_goal(ana, f"G{i}") for i in range(3)]
    session.flush()
    placed = [_place(f) for f in check_sprint(sprint, estimates=Estimates(goal_days=4))]
    assert placed == [
        ("too-many-goals", None, ana.id, None),
        ("over-allocated", None, ana.id, None),
        ("no-support-hero", None, None, sprint.team_plans[1].id),
    ]


def test_findings_serialise_with_their_ids(plan: Plan) -> None:
    session, sprint, _ana, dee, _wu, _core, _web = plan
    sprint.goals = [_goal(dee, "Pricing")]
    session.flush()
    finding = next(f for f in check_sprint(sprint) if f.code == "owner-not-engineer")
    assert finding.to_json() == {
        "severity": "error",
        "code": "owner-not-engineer",
        "message": finding.message,
        "goal_id": sprint.goals[0].id,
        "person_id": dee.id,
        "team_plan_id": None,
    }
    assert finding.severity is Severity.ERROR


def test_an_owner_hero_of_two_teams_names_both(plan: Plan) -> None:
    session, sprint, ana, _dee, _wu, _core, web = plan
    sprint.team_plans[0].support_hero = ana
    sprint.support_duties = [SupportDuty(team=web, week=2, person=ana)]
    sprint.goals = [_goal(ana)]
    session.flush()
    assert support_heroes(sprint) == {
        ana.id: ["Core", "Web, week 2"],
        sprint.team_plans[1].support_hero_id: ["Web"],
    }
    (finding,) = [f for f in check_sprint(sprint) if f.code == "owner-support-hero"]
    assert finding.message.endswith("support hero this sprint (Core; Web, week 2).")


def test_an_owner_away_in_a_sprint_without_dates_is_not_reported(store: Store) -> None:
    with store.session() as session:
        ana = Person(name="Ana", role=Role.ENGINEER.value)
        session.add(Team(name="Core", members=[ana]))
        sprint = create_sprint(session, "Undated")
        sprint.team_plans[0].support_hero = ana
        sprint.goals = [_goal(ana, "A"), _goal(ana, "B")]
        sprint.time_off = [TimeOff(person=ana, start=START, end=END)]
        session.flush()
        assert "owner-away" not in [f.code for f in check_sprint(sprint)]


def test_an_owner_of_two_goals_away_is_reported_on_each(plan: Plan) -> None:
    session, sprint, ana, _dee, _wu, _core, _web = plan
    sprint.goals = [_goal(ana, "A"), _goal(ana, "B")]
    sprint.time_off = [TimeOff(person=ana, start=START, end=END)]
    session.flush()
    away = [f for f in check_sprint(sprint, estimates=EST) if f.code == "owner-away"]
    assert [f.goal_id for f in away] == [g.id for g in sprint.goals]
    # Away for the whole sprint is reported once per goal, not also as over-allocated.
    assert "over-allocated" not in [f.code for f in check_sprint(sprint, estimates=EST)]


def test_a_team_page_shows_its_plan_and_its_people_but_not_another_team(plan: Plan) -> None:
    session, sprint, ana, dee, wu, _core, _web = plan
    sprint.team_plans[1].support_hero = None
    helper = Person(name="Helper", role=Role.ENGINEER.value)
    lowly = Person(name="Lowly", role=Role.ENGINEER.value)
    core_plan, web_plan = sprint.team_plans
    core_plan.items = [
        TeamItem(kind=ItemKind.HIGH.value, title="Fix", owner=helper),
        TeamItem(kind=ItemKind.LOW.value, title="Maybe", owner=lowly),
    ]
    sprint.goals = [_goal(wu, "W"), _goal(wu, "W2")]
    sprint.allocations = [
        Allocation(person=helper, share=0.1),
        Allocation(person=lowly, share=0.0),
        Allocation(person=wu, share=0.1),
    ]
    sprint.time_off = [TimeOff(person=dee, start=START, end=START)]
    session.flush()
    lowly_goal = _goal(lowly, "L")
    sprint.goals.append(lowly_goal)
    session.flush()
    findings = check_sprint(sprint, estimates=EST)
    on_core = [_place(f) for f in findings_for_team_plan(findings, core_plan)]
    on_web = [_place(f) for f in findings_for_team_plan(findings, web_plan)]
    # Core: the owner of its high-priority item is over-allocated (1 day of capacity, 2 of
    # work); the owner of a low one is not Core's business; goal findings stay on goals.
    assert on_core == [("over-allocated", None, helper.id, None)]
    assert on_web == [
        ("over-allocated", None, wu.id, None),
        ("no-support-hero", None, None, web_plan.id),
    ]


def test_a_team_page_shows_findings_about_its_hero_from_outside_the_team(plan: Plan) -> None:
    session, sprint, ana, _dee, _wu, _core, _web = plan
    outsider = Person(name="Out", role=Role.ENGINEER.value)
    core_plan = sprint.team_plans[0]
    core_plan.support_hero = outsider
    sprint.goals = [_goal(outsider, "O")]
    session.flush()
    findings = check_sprint(sprint, estimates=EST)
    over = [f for f in findings if f.code == "over-allocated"]
    assert [f.person_id for f in over] == [outsider.id]
    assert over[0] in findings_for_team_plan(findings, core_plan)
    assert over[0] not in findings_for_team_plan(findings, sprint.team_plans[1])
    assert ana.id not in {f.person_id for f in findings_for_team_plan(findings, core_plan)}


def test_a_sprint_without_an_end_has_no_capacity_findings(store: Store) -> None:
    with store.session() as session:
        ana = Person(name="Ana", role=Role.ENGINEER.value)
        session.add(Team(name="Core", members=[ana]))
        sprint = create_sprint(session, "Open-ended", START)
        sprint.team_plans[0].support_hero = ana  # no capacity at all, and a goal
        sprint.goals = [_goal(ana)]
        session.flush()
        assert "over-allocated" not in [f.code for f in check_sprint(sprint, estimates=EST)]


def test_an_owner_off_for_a_one_day_sprint_is_away(store: Store) -> None:
    with store.session() as session:
        ana = Person(name="Ana", role=Role.ENGINEER.value)
        session.add(Team(name="Core", members=[ana]))
        sprint = create_sprint(session, "Hack day", START, START)
        sprint.team_plans[0].support_hero = ana
        sprint.goals = [_goal(ana)]
        sprint.time_off = [TimeOff(person=ana, start=START, end=START)]
        session.flush()
        assert "owner-away" in [f.code for f in check_sprint(sprint, estimates=EST)]


def test_a_hero_owning_one_small_item_is_over_allocated(plan: Plan) -> None:
    session, sprint, ana, _dee, _wu, _core, _web = plan
    core_plan = sprint.team_plans[0]
    core_plan.support_hero = ana  # no product capacity left
    core_plan.items = [TeamItem(kind=ItemKind.HIGH.value, title="Tiny", owner=ana)]
    session.flush()
    findings = check_sprint(sprint, estimates=Estimates(goal_days=4, item_days=0.5))
    assert [_place(f) for f in findings if f.code == "over-allocated"] == [
        ("over-allocated", None, ana.id, None)
    ]


def test_every_finding_has_its_severity_and_a_message(plan: Plan) -> None:
    session, sprint, ana, dee, _wu, _core, _web = plan
    sprint.team_plans[1].support_hero = None
    sprint.goals = [
        _goal(None, "Orphan", why="", target=""),
        _goal(dee, "Pricing", contributors=[GoalContributor(person=ana, share=10)]),
        *(_goal(ana, f"G{i}") for i in range(3)),
    ]
    sprint.time_off = [TimeOff(person=dee, start=START, end=END)]
    session.flush()
    findings = check_sprint(sprint, estimates=EST)
    severities = {f.code: f.severity for f in findings}
    assert severities == {
        "no-owner": Severity.ERROR,
        "no-why": Severity.WARNING,
        "no-target": Severity.WARNING,
        "owner-not-engineer": Severity.ERROR,
        "owner-away": Severity.ERROR,
        "owner-support-hero": Severity.WARNING,
        "shares": Severity.WARNING,
        "too-many-goals": Severity.WARNING,
        "over-allocated": Severity.WARNING,
        "no-support-hero": Severity.WARNING,
    }
    for finding in findings:
        assert isinstance(finding.message, str) and finding.message.strip(), finding.code
