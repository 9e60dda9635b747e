"""Naming, dates, sprint creation and carry-over (sprintdesk.plan.planning)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from sprintdesk.plan.model import (
    Decision,
    Goal,
    GoalContributor,
    ItemKind,
    Person,
    SectionKind,
    Sprint,
    Status,
    Team,
    TeamItem,
)
from sprintdesk.plan.planning import (
    PlanError,
    create_sprint,
    decide_hangover,
    find_sprint,
    hangover_candidates,
    refresh_hangovers,
    set_carry_over,
    start_next_sprint,
    suggest_next_dates,
    suggest_next_name,
)
from sprintdesk.plan.roster import add_team
from sprintdesk.storage.store import Store
from tests.pg import db_url  # noqa: F401 - these tests run on SQLite and on PostgreSQL


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("4.12.0 1/2", "4.12.0 2/2"),
        ("4.12.0 2/2", "4.13.0 1/2"),
        ("4.9.3 3/3", "4.10.0 1/3"),
        ("4.12 1/2", "4.12 2/2"),
        ("Sprint 4.12.0 2/2 (Q1)", "Sprint 4.13.0 1/2 (Q1)"),
        ("Sprint 41", "Sprint 42"),
        ("Sprint 09", "Sprint 10"),
        ("2026-W07", "2026-W08"),
        ("Autumn", "Autumn (next)"),
    ],
)
def test_suggest_next_name(name: str, expected: str) -> None:
    assert suggest_next_name(name) == expected


def test_next_dates_keep_length_and_start_on_a_weekday() -> None:
    # Mon 3 Mar to Fri 14 Mar 2025 -> Mon 17 Mar to Fri 28 Mar.
    assert suggest_next_dates(date(2025, 3, 3), date(2025, 3, 14)) == (
        date(2025, 3, 17),
        date(2025, 3, 28),
    )
    # A sprint ending on a Wednesday: the next starts Thursday, same length.
    start, end = suggest_next_dates(date(2025, 3, 6), date(2025, 3, 19))
    assert (start, end) == (date(2025, 3, 20), date(2025, 4, 2))
    # Ending on a Saturday: the next starts on Monday.
    start, _ = suggest_next_dates(date(2025, 3, 3), date(2025, 3, 15))
    assert start == date(2025, 3, 17) and start.weekday() == 0


def test_next_sprint_ends_on_a_working_day() -> None:
    # Thu 3 to Mon 14 Dec 2026 (eight working days): the next runs Tue 15 to Thu 24 Dec, the
    # same eight working days, and never ends on a Saturday.
    start, end = suggest_next_dates(date(2026, 12, 3), date(2026, 12, 14))
    assert (start, end) == (date(2026, 12, 15), date(2026, 12, 24))
    for first in range(1, 29):
        for length in range(0, 20):
            begin = date(2026, 2, first)
            if begin.weekday() >= 5:
                continue
            _, finish = suggest_next_dates(begin, begin + timedelta(days=length))
            assert finish.weekday() < 5, (begin, length, finish)


def test_next_dates_without_previous_dates_start_on_a_weekday() -> None:
    start, end = suggest_next_dates(None, None, today=date(2025, 3, 8))  # a Saturday
    assert start == date(2025, 3, 10)
    assert (end - start).days == 11


def test_create_sprint_builds_agenda_and_team_plans(store: Store) -> None:
    with store.unit_of_work() as session:
        add_team(session, "Pipeline")
        add_team(session, "Billing")
        session.flush()
        sprint = create_sprint(session, "  4.12.0 1/2 ", date(2025, 3, 3), date(2025, 3, 14))
        assert sprint.name == "4.12.0 1/2"
        kinds = [s.kind for s in sprint.sections]
        assert kinds == ["outcomes", "retro", "priorities", "goals", "team", "team", "summary"]
        assert [s.title for s in sprint.sections if s.kind == SectionKind.TEAM] == [
            "Team Pipeline",
            "Team Billing",
        ]
        assert [p.team.name for p in sprint.team_plans] == ["Pipeline", "Billing"]
        assert [s.position for s in sprint.sections] == list(range(7))


@pytest.mark.parametrize(
    ("name", "start", "end", "message"),
    [
        ("", None, None, "needs a name"),
        ("   ", None, None, "needs a name"),
        ("X", date(2025, 3, 14), date(2025, 3, 3), "ends"),
        ("X", date(2026, 12, 5), date(2026, 12, 5), "Sat 05 Dec to Sat 05 Dec has no working"),
        ("X", date(2026, 12, 5), date(2026, 12, 6), "no working day"),
    ],
)
def test_create_sprint_rejects_bad_input(
    store: Store, name: str, start: date | None, end: date | None, message: str
) -> None:
    with store.session() as session:
        with pytest.raises(PlanError, match=message):
            create_sprint(session, name, start, end)
        assert session.scalars(select(Sprint)).all() == []


def test_a_one_day_sprint_on_a_weekday_is_fine(store: Store) -> None:
    with store.unit_of_work() as session:
        sprint = create_sprint(session, "Hack day", date(2026, 12, 4), date(2026, 12, 4))
        assert (sprint.start, sprint.end) == (date(2026, 12, 4), date(2026, 12, 4))


def test_sprint_names_are_unique(store: Store) -> None:
    with store.unit_of_work() as session:
        first = create_sprint(session, "4.12.0 1/2", date(2025, 3, 3), date(2025, 3, 14))
        session.flush()
        with pytest.raises(PlanError, match="already a sprint"):
            create_sprint(session, "4.12.0  1/2")
        start_next_sprint(session, first)
        session.flush()
        with pytest.raises(PlanError, match="already a sprint called '4.12.0 2/2'"):
            start_next_sprint(session, first)


def test_create_team_rejects_empty_and_duplicate_names(store: Store) -> None:
    with store.unit_of_work() as session:
        add_team(session, "Core")
    with store.session() as session:
        with pytest.raises(PlanError, match="needs a name"):
            add_team(session, " ")
        with pytest.raises(PlanError, match="already a team"):
            add_team(session, "Core ")
        with pytest.raises(PlanError, match="already a team"):
            add_team(session, "CORE")


def test_find_sprint_by_id_and_name(demo_store: Store) -> None:
    with demo_store.session() as session:
        assert find_sprint(session, "4.12.0 1/2").name == "4.12.0 1/2"
        assert find_sprint(session, "1").id == 1
        with pytest.raises(PlanError, match="No sprint"):
            find_sprint(session, "nope")
        with pytest.raises(PlanError):
            find_sprint(session, "")


def _sprint_with_goals(session) -> Sprint:
    ana = Person(name="Ana", github_login="ana")
    bo = Person(name="Bo", github_login="bo")
    team = Team(name="Core", members=[ana, bo])
    session.add(team)
    sprint = create_sprint(session, "4.12.0 1/2", date(2025, 3, 3), date(2025, 3, 14))
    sprint.goals = [
        Goal(
            title="Ship sync",
            owner=ana,
            why="pilots",
            target="zero conflicts",
            position=0,
            contributors=[
                GoalContributor(person=ana, share=50, position=0),
                GoalContributor(person=bo, share=50, position=1),
            ],
        ),
        Goal(title="Old thing", owner=bo, why="w", target="t", position=1, carried_over=True),
    ]
    plan = sprint.team_plans[0]
    plan.items = [
        TeamItem(kind=ItemKind.HIGH.value, title="Backfill", owner=ana, position=0),
        TeamItem(kind=ItemKind.LOW.value, title="Cleanup", owner=bo, position=1),
    ]
    session.flush()
    return sprint


def test_start_next_sprint_turns_goals_into_outcomes_and_items_into_retro(store: Store) -> None:
    with store.unit_of_work() as session:
        first = _sprint_with_goals(session)
        nxt = start_next_sprint(session, first)
        session.flush()
        assert nxt.name == "4.12.0 2/2"
        assert (nxt.start, nxt.end) == (date(2025, 3, 17), date(2025, 3, 28))
        assert nxt.previous is first
        assert [o.title for o in nxt.outcomes] == ["Ship sync", "Old thing"]
        assert nxt.outcomes[0].goal is first.goals[0]
        assert nxt.outcomes[1].was_carried is True
        assert nxt.outcomes[0].owner.name == "Ana"
        plan = nxt.team_plans[0]
        retro = [(i.kind, i.title) for i in plan.items]
        assert retro == [("retro_high", "Backfill"), ("retro_low", "Cleanup")]
        assert plan.items[0].carried_from is first.team_plans[0].items[0]


def test_carry_over_goal_marks_and_links_and_can_be_taken_back(store: Store) -> None:
    with store.unit_of_work() as session:
        first = _sprint_with_goals(session)
        nxt = start_next_sprint(session, first)
        outcome = nxt.outcomes[0]
        outcome.status = Status.IN_PROGRESS.value
        goal = set_carry_over(nxt, outcome, True)
        assert goal is not None
        assert goal.carried_over and goal.carried_from is first.goals[0]
        assert goal.why == "pilots" and goal.target == "zero conflicts"
        assert [(c.person.name, c.share) for c in goal.contributors] == [("Ana", 50), ("Bo", 50)]
        assert outcome.carry_over
        # Asking twice does not duplicate.
        assert set_carry_over(nxt, outcome, True) is goal
        assert len(nxt.goals) == 1
        set_carry_over(nxt, outcome, False)
        assert nxt.goals == [] and not outcome.carry_over


def test_hangover_candidates_prioritise_and_deprioritise(store: Store) -> None:
    with store.unit_of_work() as session:
        first = _sprint_with_goals(session)
        nxt = start_next_sprint(session, first)
        plan = nxt.team_plans[0]
        plan.items[0].status = Status.FINISHED.value
        plan.items[1].status = Status.WONT_FINISH.value
        assert [i.title for i in hangover_candidates(plan)] == ["Cleanup"]
        added = refresh_hangovers(plan)
        assert [i.title for i in added] == ["Cleanup"]
        assert refresh_hangovers(plan) == []  # idempotent
        hang = added[0]
        high = decide_hangover(plan, hang, Decision.PRIORITISE)
        assert high is not None and high.kind == ItemKind.HIGH and high.carried_over
        assert high.carried_from is hang and hang.carried_from is plan.items[1]
        assert decide_hangover(plan, hang, Decision.PRIORITISE) is high
        assert decide_hangover(plan, hang, Decision.DEPRIORITISE) is None
        assert hang.decision == "deprioritise"
        assert plan.items_of(ItemKind.HIGH) == []
        with pytest.raises(PlanError):
            decide_hangover(plan, plan.items[0], Decision.PRIORITISE)


def test_carried_goal_shows_as_carried_in_the_following_review(store: Store) -> None:
    with store.unit_of_work() as session:
        first = _sprint_with_goals(session)
        second = start_next_sprint(session, first)
        set_carry_over(second, second.outcomes[0], True)
        third = start_next_sprint(session, second)
        assert third.name == "4.13.0 1/2"
        assert third.outcomes[0].was_carried


def test_a_numbered_copy_of_a_taken_name_counts_on(store: Store) -> None:
    from sprintdesk.plan.planning import unique_sprint_name

    with store.unit_of_work() as session:
        create_sprint(session, "Sprint 4", date(2026, 3, 2), date(2026, 3, 13))
        create_sprint(session, "Sprint 4 (2)", date(2026, 3, 16), date(2026, 3, 27))
        assert unique_sprint_name(session, "Sprint 4 (2)") == "Sprint 4 (3)"
        assert unique_sprint_name(session, "Sprint 4") == "Sprint 4 (3)"
        assert unique_sprint_name(session, "Sprint 5 (2)") == "Sprint 5 (2)"
