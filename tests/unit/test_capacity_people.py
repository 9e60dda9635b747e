"""Who the capacity table lists and what it charges them (sprintdesk.plan.capacity): people
outside the teams, owners who also contribute, days off in either order, the estimate
settings, the labels and the verdicts."""

from __future__ import annotations

from datetime import date

import pytest

from sprintdesk.plan import settings
from sprintdesk.plan.capacity import (
    DEFAULT_GOAL_DAYS,
    DEFAULT_ITEM_DAYS,
    Estimates,
    LoadLevel,
    PersonCapacity,
    compute_capacity,
    fmt_days,
    hero_days_by_person,
    load_estimates,
    sprint_people,
)
from sprintdesk.plan.model import (
    Allocation,
    Goal,
    GoalContributor,
    ItemKind,
    Person,
    Sprint,
    SupportDuty,
    TeamItem,
    TimeOff,
)
from sprintdesk.plan.workdays import days_off_in_sprint
from tests.unit.conftest import EST, START, Plan


def _names(sprint: Sprint) -> list[str]:
    return [entry.name for entry in compute_capacity(sprint, estimates=EST).values()]


def test_a_goal_owner_outside_the_teams_is_listed(plan: Plan) -> None:
    session, sprint, *_ = plan
    olga = Person(name="Olga")
    sprint.goals = [Goal(title="G", owner=olga)]
    session.flush()
    assert _names(sprint) == ["Ana", "Ben", "Olga"]
    assert compute_capacity(sprint, estimates=EST)[olga.id].load == 4


def test_a_support_hero_outside_the_team_is_listed(plan: Plan) -> None:
    session, sprint, *_ = plan
    hugo = Person(name="Hugo")
    sprint.team_plans[0].support_hero = hugo
    session.flush()
    entry = compute_capacity(sprint, estimates=EST)[hugo.id]
    assert _names(sprint) == ["Ana", "Ben", "Hugo"]
    assert entry.hero_days == 10 and entry.capacity == 0
    assert entry.hero_for == ["Core, whole sprint"]


def test_a_weekly_hero_outside_the_teams_is_listed(plan: Plan) -> None:
    session, sprint, _ana, _ben, team = plan
    wendy = Person(name="Wendy")
    sprint.support_duties = [SupportDuty(team=team, week=2, person=wendy)]
    session.flush()
    assert _names(sprint) == ["Ana", "Ben", "Wendy"]


def test_an_owner_of_a_high_priority_item_outside_the_team_is_listed(plan: Plan) -> None:
    session, sprint, *_ = plan
    ivan = Person(name="Ivan")
    lou = Person(name="Lou")
    sprint.team_plans[0].items = [
        TeamItem(kind=ItemKind.HIGH.value, title="Urgent", owner=ivan),
        TeamItem(kind=ItemKind.LOW.value, title="Later", owner=lou),
    ]
    session.flush()
    # A low-priority item is no planned work: its owner is not pulled into the table.
    assert _names(sprint) == ["Ana", "Ben", "Ivan"]
    entry = compute_capacity(sprint, estimates=EST)[ivan.id]
    assert entry.load == 1.5
    assert entry.load_why() == ["owns Core high-priority item “Urgent”: 1.5 days"]


def test_someone_with_only_time_off_or_only_a_share_is_listed(plan: Plan) -> None:
    session, sprint, *_ = plan
    tess = Person(name="Tess")
    pia = Person(name="Pia")
    sprint.time_off = [TimeOff(person=tess, start=date(2025, 3, 6), end=date(2025, 3, 7))]
    sprint.allocations = [Allocation(person=pia, share=0.5)]
    session.flush()
    capacity = compute_capacity(sprint, estimates=EST)
    assert _names(sprint) == ["Ana", "Ben", "Tess", "Pia"]
    assert capacity[tess.id].days_off == 2 and capacity[tess.id].capacity == 8
    assert capacity[pia.id].capacity == 5


def test_people_outside_the_teams_come_after_the_members_in_the_plan_order(plan: Plan) -> None:
    session, sprint, ana, _ben, team = plan
    owner, helper, hero, item_owner, duty, away, part = (
        Person(name=name) for name in ("Own", "Help", "Hero", "Item", "Duty", "Away", "Part")
    )
    sprint.goals = [
        Goal(title="G", owner=owner, contributors=[GoalContributor(person=helper, share=100)])
    ]
    sprint.team_plans[0].support_hero = hero
    sprint.team_plans[0].items = [TeamItem(kind=ItemKind.HIGH.value, title="I", owner=item_owner)]
    sprint.support_duties = [SupportDuty(team=team, week=1, person=duty)]
    sprint.time_off = [TimeOff(person=away, start=START, end=START)]
    sprint.allocations = [Allocation(person=part, share=0.5), Allocation(person=ana, share=0.5)]
    session.flush()
    people = sprint_people(sprint)
    assert [p.name for p in people] == [
        "Ana",
        "Ben",
        "Own",
        "Help",
        "Hero",
        "Item",
        "Duty",
        "Away",
        "Part",
    ]


def test_an_inactive_member_is_listed_only_when_given_work(plan: Plan) -> None:
    session, sprint, _ana, _ben, team = plan
    gone = Person(name="Gone", active=False)
    team.members.append(gone)
    session.flush()
    assert _names(sprint) == ["Ana", "Ben"]
    sprint.goals = [Goal(title="G", owner=gone)]
    session.flush()
    assert _names(sprint) == ["Ana", "Ben", "Gone"]


def test_an_owner_who_also_contributes_carries_only_their_share(plan: Plan) -> None:
    session, sprint, ana, ben, _ = plan
    sprint.goals = [
        Goal(
            title="Pair",
            owner=ana,
            contributors=[
                GoalContributor(person=ana, share=40),
                GoalContributor(person=ben, share=30),
            ],
        )
    ]
    session.flush()
    capacity = compute_capacity(sprint, estimates=EST)
    # The 30% nobody took is not added to the owner: she said how much she works on it.
    assert capacity[ana.id].load == pytest.approx(4 * 0.4)
    assert capacity[ana.id].load_why() == [
        "owns and works on goal “Pair” (40% of 4 days): 1.6 days"
    ]
    assert [(item.kind, item.title) for item in capacity[ana.id].items] == [("goal", "Pair")]
    assert capacity[ben.id].load == pytest.approx(4 * 0.3)
    assert capacity[ben.id].load_why() == ["contributes to goal “Pair” (30% of 4 days): 1.2 days"]


def test_an_owner_beside_contributors_over_100_percent_carries_nothing(plan: Plan) -> None:
    session, sprint, ana, ben, _ = plan
    sprint.goals = [
        Goal(
            title="Crowded",
            owner=ana,
            contributors=[
                GoalContributor(person=ben, share=120),
                GoalContributor(person=Person(name="Cy"), share=-20),  # counts as nothing
            ],
        )
    ]
    session.flush()
    capacity = compute_capacity(sprint, estimates=EST)
    assert capacity[ana.id].load == 0
    assert "the 0% the contributors leave" in capacity[ana.id].load_why()[0]
    assert capacity[ben.id].load == pytest.approx(4 * 1.2)


def test_an_owner_beside_a_negative_share_carries_the_whole_rest(plan: Plan) -> None:
    session, sprint, ana, ben, _ = plan
    sprint.goals = [
        Goal(
            title="Odd",
            owner=ana,
            contributors=[
                GoalContributor(person=ben, share=60),
                GoalContributor(person=Person(name="Cy"), share=-40),
            ],
        )
    ]
    session.flush()
    # The negative share does not give the owner more than the 40% the others leave.
    assert compute_capacity(sprint, estimates=EST)[ana.id].load == pytest.approx(4 * 0.4)


@pytest.mark.parametrize("full_first", [True, False], ids=["full-then-half", "half-then-full"])
def test_a_full_day_off_wins_over_a_half_day_in_either_order(plan: Plan, full_first: bool) -> None:
    session, sprint, ana, _ben, _ = plan
    full = TimeOff(person=ana, start=date(2025, 3, 12), end=date(2025, 3, 12))
    half = TimeOff(person=ana, start=date(2025, 3, 12), end=date(2025, 3, 12), half_day=True)
    sprint.time_off = [full, half] if full_first else [half, full]
    session.flush()
    assert compute_capacity(sprint, estimates=EST)[ana.id].days_off == 1.0
    assert days_off_in_sprint(sprint, ana.id) == 1.0


def test_days_off_of_another_person_listed_first_do_not_hide_ones_own(plan: Plan) -> None:
    session, sprint, ana, ben, _ = plan
    sprint.time_off = [
        TimeOff(person=ben, start=date(2025, 3, 6), end=date(2025, 3, 6)),
        TimeOff(person=ana, start=date(2025, 3, 7), end=date(2025, 3, 7)),
    ]
    session.flush()
    assert days_off_in_sprint(sprint, ana.id) == 1.0
    assert days_off_in_sprint(sprint, ben.id) == 1.0
    # Entries passed in (the availability dialog's unsaved ones) replace the sprint's.
    assert days_off_in_sprint(sprint, ana.id, []) == 0.0


@pytest.mark.parametrize(
    ("goal_days", "item_days", "expected"),
    [
        ("0", "0", Estimates(0.0, 0.0)),
        ("-1", "-0.5", Estimates(DEFAULT_GOAL_DAYS, DEFAULT_ITEM_DAYS)),
        ("2.5", "x", Estimates(2.5, DEFAULT_ITEM_DAYS)),
    ],
    ids=["zero-is-allowed", "below-zero-is-the-default", "bad-number-is-the-default"],
)
def test_estimate_settings_of_zero_or_below(
    plan: Plan, goal_days: str, item_days: str, expected: Estimates
) -> None:
    session, *_ = plan
    settings.put(session, "capacity_goal_days", goal_days)
    settings.put(session, "capacity_item_days", item_days)
    session.flush()
    assert load_estimates(session) == expected


def test_estimates_without_a_session_are_the_defaults() -> None:
    assert load_estimates(None) == Estimates(DEFAULT_GOAL_DAYS, DEFAULT_ITEM_DAYS)
    assert Estimates() == Estimates(5.0, 2.0)


def test_a_goal_estimate_of_zero_leaves_the_owner_idle(plan: Plan) -> None:
    session, sprint, ana, *_ = plan
    settings.put(session, "capacity_goal_days", "0")
    sprint.goals = [Goal(title="G", owner=ana)]
    session.flush()
    entry = compute_capacity(sprint)[ana.id]
    assert entry.load == 0
    assert entry.level is LoadLevel.IDLE
    assert entry.verdict() == "Free for other work."


def test_hero_labels_name_the_team_and_the_weeks(plan: Plan) -> None:
    session, sprint, ana, ben, team = plan
    sprint.team_plans[0].support_hero = ana
    sprint.support_duties = [
        SupportDuty(team=team, week=2, person=ben),
        SupportDuty(team=None, week=1, person=ben),
    ]
    session.flush()
    heroes = hero_days_by_person(sprint)
    ana_days, ana_labels = heroes[ana.id]
    assert ana_labels == ["Core, other weeks"]
    assert sorted(ana_days) == [date(2025, 3, d) for d in (5, 6, 7, 10, 11)]
    ben_days, ben_labels = heroes[ben.id]
    assert ben_labels == ["Core, week 2", "everyone, week 1"]
    assert len(ben_days) == 10
    entry = compute_capacity(sprint, estimates=EST)[ben.id]
    assert entry.hero_for == ["Core, week 2", "everyone, week 1"]
    assert entry.capacity == 0


def test_a_whole_sprint_hero_whose_weeks_are_all_taken_is_no_hero(plan: Plan) -> None:
    session, sprint, ana, ben, team = plan
    sprint.team_plans[0].support_hero = ana
    sprint.support_duties = [
        SupportDuty(team=team, week=1, person=ben),
        SupportDuty(team=team, week=2, person=ben),
    ]
    session.flush()
    assert ana.id not in hero_days_by_person(sprint)
    assert compute_capacity(sprint, estimates=EST)[ana.id].capacity == 10


def test_capacity_why_of_a_part_time_hero_with_a_day_off(plan: Plan) -> None:
    session, sprint, ana, _ben, team = plan
    sprint.support_duties = [SupportDuty(team=team, week=2, person=ana)]
    sprint.allocations = [Allocation(person=ana, share=0.5)]
    sprint.time_off = [TimeOff(person=ana, start=date(2025, 3, 6), end=date(2025, 3, 6))]
    session.flush()
    entry = compute_capacity(sprint, estimates=EST)[ana.id]
    assert entry.capacity == pytest.approx((10 - 5) * 0.5 - 1)
    assert entry.capacity_why() == (
        "(10 working days − 5 days support hero (Core, week 2)) × 50% − 1 day off "
        "= 1.5 days of product capacity"
    )


def test_a_negative_share_is_no_capacity(plan: Plan) -> None:
    session, sprint, ana, *_ = plan
    sprint.allocations = [Allocation(person=ana, share=-0.5)]
    session.flush()
    assert compute_capacity(sprint, estimates=EST)[ana.id].capacity == 0


def _person(load: float, capacity: float) -> PersonCapacity:
    from sprintdesk.plan.capacity import LoadItem

    entry = PersonCapacity(1, "Ana", "engineer", int(capacity), 1.0, 0.0, 0.0)
    if load:
        entry.items.append(LoadItem("goal", "G", load, "owns goal “G”"))
    return entry


def test_load_levels_at_their_edges() -> None:
    assert _person(0, 10).level is LoadLevel.IDLE
    assert _person(8, 10).level is LoadLevel.OK  # 80% exactly is still fine
    assert _person(8.5, 10).level is LoadLevel.TIGHT
    assert _person(10, 10).level is LoadLevel.TIGHT  # full, not over
    assert _person(10.5, 10).level is LoadLevel.OVER
    assert _person(3, 0).level is LoadLevel.OVER


def test_verdicts_and_explanations() -> None:
    assert _person(8, 10).verdict() == "2 days to spare."
    assert _person(9, 10).verdict() == "Nearly full: little room for surprises."
    assert _person(12, 10).verdict() == "Over-allocated by 2 days."
    assert _person(12, 10).over_by == 2
    assert _person(5, 10).over_by == 0
    assert _person(0, 10).explain() == (
        "Ana: 10 working days = 10 days of product capacity.\n"
        "Nothing planned for them yet.\n"
        "Free for other work."
    )
    assert _person(3, 10).explain() == (
        "Ana: 10 working days = 10 days of product capacity.\n"
        "Load 3 days:\n"
        "  • owns goal “G”: 3 days\n"
        "7 days to spare."
    )


def test_fmt_days_of_negative_zero_and_rounding() -> None:
    assert fmt_days(-0.0) == "0 days"
    assert fmt_days(-0.04) == "0 days"
    assert fmt_days(0.96) == "1 day"
    assert fmt_days(10) == "10 days"
    assert fmt_days(-2) == "-2 days"


def test_each_piece_of_load_names_its_kind_and_title(plan: Plan) -> None:
    session, sprint, ana, ben, _ = plan
    sprint.goals = [
        Goal(title="Led", owner=ana, contributors=[GoalContributor(person=ben, share=75)]),
        Goal(title="Solo", owner=ana),
    ]
    sprint.team_plans[0].items = [TeamItem(kind=ItemKind.HIGH.value, title="Fix", owner=ana)]
    session.flush()
    capacity = compute_capacity(sprint, estimates=EST)
    assert [(i.kind, i.title, i.days) for i in capacity[ana.id].items] == [
        ("goal", "Led", 1.0),
        ("goal", "Solo", 4.0),
        ("item", "Fix", 1.5),
    ]
    assert [(i.kind, i.title) for i in capacity[ben.id].items] == [("goal", "Led")]
    assert capacity[ana.id].role == "engineer"


def test_a_contributor_with_a_zero_share_carries_nothing(plan: Plan) -> None:
    session, sprint, ana, ben, _ = plan
    sprint.goals = [
        Goal(
            title="G",
            owner=ana,
            contributors=[
                GoalContributor(person=ana, share=100),
                GoalContributor(person=ben, share=0),
            ],
        )
    ]
    session.flush()
    assert compute_capacity(sprint, estimates=EST)[ben.id].load == 0


def test_capacity_why_of_a_part_time_person_without_hero_days(plan: Plan) -> None:
    session, sprint, ana, *_ = plan
    sprint.allocations = [Allocation(person=ana, share=0.5)]
    sprint.time_off = [TimeOff(person=ana, start=START, end=START)]
    session.flush()
    assert compute_capacity(sprint, estimates=EST)[ana.id].capacity_why() == (
        "10 working days × 50% − 1 day off = 4 days of product capacity"
    )


def test_capacity_why_lists_every_hero_duty(plan: Plan) -> None:
    session, sprint, _ana, ben, team = plan
    sprint.support_duties = [
        SupportDuty(team=team, week=1, person=ben),
        SupportDuty(team=None, week=2, person=ben),
    ]
    session.flush()
    assert compute_capacity(sprint, estimates=EST)[ben.id].capacity_why() == (
        "10 working days − 10 days support hero (Core, week 1, everyone, week 2) "
        "= 0 days of product capacity"
    )
