"""Every plan check, with the message naming the goal or person (sprintdesk.plan.rules)."""

from __future__ import annotations

from datetime import date

import pytest

from sprintdesk.plan.model import Goal, GoalContributor, Person, Role, SupportDuty, Team, TimeOff
from sprintdesk.plan.planning import create_sprint
from sprintdesk.plan.rules import Severity, check_sprint, has_errors
from sprintdesk.storage.store import Store

START, END = date(2025, 3, 3), date(2025, 3, 14)  # Mon..Fri, 10 working days


@pytest.fixture
def plan(store: Store):
    session = store.session()
    ana = Person(name="Ana", github_login="ana", role=Role.ENGINEER.value)
    dee = Person(name="Dee", role=Role.PRODUCT.value)
    team = Team(name="Core", members=[ana, dee])
    session.add(team)
    sprint = create_sprint(session, "S", START, END)
    sprint.team_plans[0].support_hero = dee
    session.flush()
    yield session, sprint, ana, dee, team
    session.close()


def _goal(owner: Person | None, **kw) -> Goal:
    values = {"title": "Ship it", "why": "because", "target": "done by Friday"}
    values.update(kw)
    return Goal(owner=owner, **values)


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def check(sprint, **kw):
    """The checks under test here; capacity (over-allocation) has its own tests."""
    return [f for f in check_sprint(sprint, **kw) if f.code != "over-allocated"]


def test_clean_plan_has_no_findings(plan) -> None:
    _, sprint, ana, _, _ = plan
    sprint.goals = [_goal(ana)]
    assert check(sprint) == []


def test_goal_without_owner_is_an_error(plan) -> None:
    _, sprint, *_ = plan
    sprint.goals = [_goal(None, title="Orphan")]
    (finding,) = check(sprint)
    assert finding.severity == Severity.ERROR and finding.code == "no-owner"
    assert "Orphan" in finding.message
    assert has_errors([finding])


def test_owner_must_be_an_engineer(plan) -> None:
    session, sprint, _, dee, _ = plan
    sprint.team_plans[0].support_hero = None
    session.add(
        SupportDuty(
            sprint=sprint, team=sprint.team_plans[0].team, week=1, person=Person(name="Hero")
        )
    )
    sprint.goals = [_goal(dee, title="Pricing")]
    session.flush()
    (finding,) = check(sprint)
    assert (finding.severity, finding.code) == (Severity.ERROR, "owner-not-engineer")
    assert (
        "Dee" in finding.message and "product" in finding.message and "Pricing" in finding.message
    )


def test_owner_off_for_the_whole_sprint_is_an_error(plan) -> None:
    session, sprint, ana, _, _ = plan
    sprint.goals = [_goal(ana)]
    # Two overlapping ranges and a weekend-straddling one cover every working day.
    sprint.time_off = [
        TimeOff(person=ana, start=date(2025, 3, 1), end=date(2025, 3, 7)),
        TimeOff(person=ana, start=date(2025, 3, 6), end=date(2025, 3, 14)),
    ]
    session.flush()
    findings = check(sprint)
    assert codes(findings) == ["owner-away"]
    assert findings[0].severity == Severity.ERROR and "Ana" in findings[0].message


def test_owner_off_for_part_of_the_sprint_is_fine(plan) -> None:
    session, sprint, ana, _, _ = plan
    sprint.goals = [_goal(ana)]
    sprint.time_off = [
        TimeOff(person=ana, start=START, end=date(2025, 3, 13)),
        TimeOff(person=ana, start=END, end=END, half_day=True),
    ]
    session.flush()
    assert check(sprint) == []


def test_owner_who_is_support_hero_is_a_warning(plan) -> None:
    session, sprint, ana, _, team = plan
    sprint.goals = [_goal(ana)]
    sprint.support_duties = [SupportDuty(team=team, week=2, person=ana)]
    session.flush()
    (finding,) = check(sprint)
    assert (finding.severity, finding.code) == (Severity.WARNING, "owner-support-hero")
    assert "Ana" in finding.message and "week 2" in finding.message
    # One pair of brackets: "support hero this sprint (Pipeline, week 2)."
    assert finding.message.endswith(f"support hero this sprint ({team.name}, week 2).")


def test_too_many_goals_per_owner_is_configurable(plan) -> None:
    _, sprint, ana, _, _ = plan
    sprint.goals = [_goal(ana, title=f"G{i}") for i in range(3)]
    findings = check(sprint)
    assert codes(findings) == ["too-many-goals"]
    assert "Ana owns 3 goals" in findings[0].message
    assert check(sprint, max_goals_per_owner=3) == []


def test_contributor_shares_must_add_up_to_100(plan) -> None:
    session, sprint, ana, dee, _ = plan
    goal = _goal(
        ana,
        contributors=[GoalContributor(person=ana, share=70), GoalContributor(person=dee, share=20)],
    )
    sprint.goals = [goal]
    session.flush()
    (finding,) = check(sprint)
    assert finding.code == "shares" and "90" in finding.message
    goal.contributors[1].share = 30
    assert check(sprint) == []


def test_goal_without_why_or_target_warns(plan) -> None:
    _, sprint, ana, _, _ = plan
    sprint.goals = [_goal(ana, why="  ", target="")]
    findings = check(sprint)
    assert codes(findings) == ["no-why", "no-target"]
    assert all(f.severity == Severity.WARNING for f in findings)
    assert not has_errors(findings)


def test_team_without_support_hero_warns(plan) -> None:
    session, sprint, ana, _, team = plan
    sprint.team_plans[0].support_hero = None
    session.flush()
    findings = check(sprint)
    assert codes(findings) == ["no-support-hero"]
    assert "Core" in findings[0].message
    sprint.support_duties = [SupportDuty(team=team, week=1, person=ana)]
    session.flush()
    assert check(sprint) == []


def test_findings_serialise_for_json(plan) -> None:
    _, sprint, *_ = plan
    sprint.goals = [_goal(None)]
    data = check(sprint)[0].to_json()
    assert data["severity"] == "error" and data["message"] and data["code"] == "no-owner"
