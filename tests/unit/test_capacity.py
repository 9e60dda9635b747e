"""Capacity and load arithmetic (sprintdesk.plan.capacity): weekends, overlapping days off, half
days, support-hero weeks, part-time shares, and the load weighting."""

from __future__ import annotations

from datetime import date

import pytest

from sprintdesk.plan import settings
from sprintdesk.plan.capacity import (
    Estimates,
    LoadLevel,
    compute_capacity,
    fmt_days,
    load_estimates,
)
from sprintdesk.plan.model import (
    Allocation,
    Goal,
    GoalContributor,
    ItemKind,
    Person,
    Role,
    Sprint,
    SupportDuty,
    TeamItem,
    TimeOff,
)
from tests.unit.conftest import EST, START


def cap(sprint: Sprint, person: Person, estimates: Estimates = EST):
    return compute_capacity(sprint, estimates=estimates)[person.id]


def test_weekends_do_not_count(plan) -> None:
    _, sprint, ana, *_ = plan
    entry = cap(sprint, ana)
    assert entry.working_days == 10
    assert entry.capacity == 10
    assert "10 working days" in entry.capacity_why()


def test_overlapping_days_off_count_once_and_weekends_are_free(plan) -> None:
    session, sprint, ana, *_ = plan
    sprint.time_off = [
        # Thu 6 .. Mon 10 = Thu, Fri, Mon (the weekend is not a day off)
        TimeOff(person=ana, start=date(2025, 3, 6), end=date(2025, 3, 10)),
        # overlaps Mon 10 and adds Tue 11
        TimeOff(person=ana, start=date(2025, 3, 10), end=date(2025, 3, 11)),
        # before the sprint: ignored
        TimeOff(person=ana, start=date(2025, 3, 3), end=date(2025, 3, 4)),
    ]
    session.flush()
    entry = cap(sprint, ana)
    assert entry.days_off == 4
    assert entry.capacity == 6
    assert "4 days off" in entry.capacity_why()


def test_half_days_count_half_and_a_full_day_wins(plan) -> None:
    session, sprint, ana, ben, _ = plan
    sprint.time_off = [
        TimeOff(person=ana, start=date(2025, 3, 12), end=date(2025, 3, 12), half_day=True),
        TimeOff(person=ben, start=date(2025, 3, 12), end=date(2025, 3, 13), half_day=True),
        TimeOff(person=ben, start=date(2025, 3, 13), end=date(2025, 3, 13)),
    ]
    session.flush()
    assert cap(sprint, ana).capacity == 9.5
    assert cap(sprint, ben).days_off == 1.5
    assert cap(sprint, ben).capacity == 8.5


def test_support_hero_week_is_zero_product_capacity(plan) -> None:
    session, sprint, ana, ben, team = plan
    sprint.support_duties = [SupportDuty(team=team, week=2, person=ana)]
    # A day off inside the hero week is not subtracted twice.
    sprint.time_off = [TimeOff(person=ana, start=date(2025, 3, 13), end=date(2025, 3, 13))]
    session.flush()
    entry = cap(sprint, ana)
    assert entry.hero_days == 5  # Wed 12 .. Tue 18, weekdays only
    assert entry.days_off == 0
    assert entry.capacity == 5
    assert "Core, week 2" in entry.capacity_why()
    assert cap(sprint, ben).capacity == 10


def test_team_hero_for_the_whole_sprint_except_weekly_duties(plan) -> None:
    session, sprint, ana, ben, team = plan
    sprint.team_plans[0].support_hero = ana
    session.flush()
    assert cap(sprint, ana).capacity == 0
    # "week 1: Ana, week 2: Ben" replaces the whole-sprint hero week by week.
    sprint.support_duties = [
        SupportDuty(team=team, week=1, person=ana),
        SupportDuty(team=team, week=2, person=ben),
    ]
    session.flush()
    assert cap(sprint, ana).capacity == 5
    assert cap(sprint, ben).capacity == 5


def test_part_time_share_scales_working_days_then_days_off_come_off(plan) -> None:
    session, sprint, ana, ben, team = plan
    sprint.allocations = [Allocation(person=ana, share=0.5), Allocation(person=ben, share=0.6)]
    sprint.time_off = [TimeOff(person=ana, start=date(2025, 3, 5), end=date(2025, 3, 5))]
    sprint.support_duties = [SupportDuty(team=team, week=1, person=ben)]
    session.flush()
    assert cap(sprint, ana).capacity == pytest.approx(10 * 0.5 - 1)
    assert "× 50%" in cap(sprint, ana).capacity_why()
    assert cap(sprint, ben).capacity == pytest.approx((10 - 5) * 0.6)


def test_capacity_never_goes_below_zero(plan) -> None:
    session, sprint, ana, *_ = plan
    sprint.allocations = [Allocation(person=ana, share=0.2)]
    sprint.time_off = [TimeOff(person=ana, start=START, end=date(2025, 3, 11))]
    session.flush()
    assert cap(sprint, ana).capacity == 0


def test_load_weights_goals_by_share_and_counts_high_items(plan) -> None:
    session, sprint, ana, ben, _ = plan
    sprint.goals = [
        Goal(title="Solo", owner=ana),
        Goal(
            title="Pair",
            owner=ana,
            contributors=[
                GoalContributor(person=ana, share=70),
                GoalContributor(person=ben, share=30),
            ],
        ),
        # Owner not among the contributors carries what their shares leave.
        Goal(title="Led", owner=ben, contributors=[GoalContributor(person=ana, share=75)]),
    ]
    team_plan = sprint.team_plans[0]
    team_plan.items = [
        TeamItem(kind=ItemKind.HIGH.value, title="Fix the flaky test", owner=ben),
        TeamItem(kind=ItemKind.LOW.value, title="Nice to have", owner=ben),
    ]
    session.flush()
    a, b = cap(sprint, ana), cap(sprint, ben)
    assert a.load == pytest.approx(4 + 4 * 0.7 + 4 * 0.75)
    assert b.load == pytest.approx(4 * 0.3 + 4 * 0.25 + 1.5)
    why = "\n".join(a.load_why() + b.load_why())
    assert "owns goal “Solo” (all of 4 days)" in why
    assert "contributes to goal “Pair” (30% of 4 days)" in why
    assert "owns goal “Led” (the 25% the contributors leave" in why
    assert "high-priority item “Fix the flaky test”" in why
    assert "Nice to have" not in why


def test_levels_and_explanation(plan) -> None:
    session, sprint, ana, ben, _ = plan
    sprint.goals = [Goal(title="Big", owner=ana)]
    session.flush()
    assert cap(sprint, ben).level == LoadLevel.IDLE
    assert cap(sprint, ana, Estimates(goal_days=5)).level == LoadLevel.OK
    assert cap(sprint, ana, Estimates(goal_days=9)).level == LoadLevel.TIGHT
    over = cap(sprint, ana, Estimates(goal_days=12))
    assert over.level == LoadLevel.OVER and over.over_by == 2
    text = over.explain()
    assert text.splitlines()[0] == "Ana: 10 working days = 10 days of product capacity."
    assert "Over-allocated by 2 days." in text


def test_people_outside_the_teams_with_work_are_included(plan) -> None:
    session, sprint, ana, _, _ = plan
    guest = Person(name="Guest", role=Role.DESIGNER.value)
    archived = Person(name="Gone", active=False)
    sprint.team_plans[0].team.members.append(archived)
    sprint.goals = [
        Goal(
            title="G",
            owner=ana,
            contributors=[
                GoalContributor(person=ana, share=50),
                GoalContributor(person=guest, share=50),
            ],
        )
    ]
    session.flush()
    names = [entry.name for entry in compute_capacity(sprint, estimates=EST).values()]
    assert names == ["Ana", "Ben", "Guest"]


def test_estimates_come_from_settings(plan) -> None:
    session, sprint, ana, *_ = plan
    assert load_estimates(session) == Estimates()
    settings.put(session, "capacity_goal_days", "3")
    settings.put(session, "capacity_item_days", "not a number")
    session.flush()
    assert load_estimates(session) == Estimates(goal_days=3, item_days=Estimates().item_days)
    sprint.goals = [Goal(title="G", owner=ana)]
    session.flush()
    assert compute_capacity(sprint)[ana.id].load == 3


def test_fmt_days() -> None:
    assert [fmt_days(v) for v in (0, 1, 1.5, 2, 2.75)] == [
        "0 days",
        "1 day",
        "1.5 days",
        "2 days",
        "2.8 days",
    ]
