"""Loading a sprint whole, finding one by name, the next sprint's links and team order, and
what a carried goal changed (sprintdesk.plan.planning)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from sprintdesk.plan.model import (
    AgendaSection,
    Allocation,
    Goal,
    GoalContributor,
    ItemKind,
    Okr,
    OutcomeReview,
    Person,
    PlanNote,
    Priority,
    RetroNote,
    SectionKind,
    Sprint,
    SupportDuty,
    Team,
    TeamItem,
    TimeOff,
)
from sprintdesk.plan.planning import (
    AmbiguousSprintError,
    PlanError,
    carried_goal,
    carried_goal_edits,
    create_sprint,
    find_sprint,
    load_sprint,
    set_carry_over,
    start_next_sprint,
    suggest_next,
    validate_sprint_fields,
)
from sprintdesk.storage.store import Store

START, END = date(2025, 3, 3), date(2025, 3, 14)


@contextmanager
def _counting(session: Session) -> Iterator[list[str]]:
    """The SQL statements the session sends inside the block."""
    statements: list[str] = []
    engine = session.get_bind()

    def record(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _full_sprint(store: Store) -> int:
    with store.unit_of_work() as session:
        ana = Person(name="Ana", github_login="ana")
        bo = Person(name="Bo", github_login="bo")
        core = Team(name="Core", members=[ana, bo])
        session.add(core)
        sprint = create_sprint(session, "S", START, END)
        plan = sprint.team_plans[0]
        plan.support_hero = bo
        plan.items = [TeamItem(kind=ItemKind.HIGH.value, title="Fix", owner=ana, position=0)]
        plan.okrs = [Okr(title="Uptime", position=0)]
        sprint.goals = [
            Goal(
                title="Ship",
                owner=ana,
                team=core,
                contributors=[GoalContributor(person=bo, share=100, position=0)],
            )
        ]
        sprint.outcomes = [OutcomeReview(title="Old", owner=bo, position=0)]
        sprint.retro_notes = [RetroNote(text="Good", owner=ana, position=0)]
        sprint.priorities = [Priority(text="Speed", position=0)]
        sprint.notes = [PlanNote(section=SectionKind.GOALS.value, text="kept", position=0)]
        sprint.allocations = [Allocation(person=bo, share=0.5)]
        sprint.time_off = [TimeOff(person=ana, start=START, end=START)]
        sprint.support_duties = [SupportDuty(team=core, week=1, person=ana)]
        session.flush()
        return sprint.id


def _walk(sprint: Sprint) -> list[object]:
    """Everything a page, a check or the renderer reads."""
    seen: list[object] = []
    for plan in sprint.team_plans:
        seen += [plan.team.name, plan.support_hero, *plan.team.members]
        seen += [(i.title, i.owner) for i in plan.items]
        seen += [o.title for o in plan.okrs]
    seen += [s.title for s in sprint.sections]
    seen += [(o.title, o.owner) for o in sprint.outcomes]
    seen += [(n.text, n.owner) for n in sprint.retro_notes]
    seen += [p.text for p in sprint.priorities]
    for goal in sprint.goals:
        seen += [goal.owner, goal.team]
        seen += [(c.person, c.share) for c in goal.contributors]
    seen += [n.text for n in sprint.notes]
    seen += [(a.person, a.share) for a in sprint.allocations]
    seen += [(t.person, t.start) for t in sprint.time_off]
    seen += [(d.person, d.team, d.week) for d in sprint.support_duties]
    return seen


def test_load_sprint_reads_everything_up_front(store: Store) -> None:
    sprint_id = _full_sprint(store)
    with store.session() as session:
        sprint = load_sprint(session, sprint_id)
        with _counting(session) as statements:
            seen = _walk(sprint)
        assert statements == []  # walking the plan sends no query
        assert len(seen) > 20
        assert sprint.team_plans[0].support_hero is not None
        assert sprint.team_plans[0].support_hero.name == "Bo"
        assert [c.person.name for c in sprint.goals[0].contributors] == ["Bo"]
        assert [p.name for p in sprint.team_plans[0].team.members] == ["Ana", "Bo"]


def test_load_sprint_keeps_the_roster_for_the_session(store: Store) -> None:
    sprint_id = _full_sprint(store)
    with store.session() as session:
        load_sprint(session, sprint_id)
        people, teams = session.info["roster"]
        assert sorted(p.name for p in people) == ["Ana", "Bo"]
        assert [t.name for t in teams] == ["Core"]


def test_load_sprint_of_an_unknown_id_is_a_plan_error(store: Store) -> None:
    with store.session() as session, pytest.raises(PlanError, match="999"):
        load_sprint(session, 999)


def test_several_sprints_with_one_name_is_an_ambiguity_error_with_their_ids(store: Store) -> None:
    with store.unit_of_work() as session:
        # Older databases and imports could hold two sprints of one name.
        session.add_all([Sprint(name="Sprint 9"), Sprint(name="Sprint 9"), Sprint(name="Other")])
    with store.session() as session:
        ids = tuple(session.scalars(select(Sprint.id).where(Sprint.name == "Sprint 9")))
        with pytest.raises(AmbiguousSprintError) as caught:
            find_sprint(session, "  Sprint 9 ")
        assert isinstance(caught.value, PlanError)
        assert caught.value.name == "Sprint 9"
        assert caught.value.ids == tuple(sorted(ids))
        assert find_sprint(session, "Other").name == "Other"
        # By id, one of them can still be reached.
        assert find_sprint(session, str(ids[1])).id == ids[1]


def test_a_sprint_named_with_digits_is_found_by_name_when_no_id_matches(store: Store) -> None:
    with store.unit_of_work() as session:
        session.add(Sprint(name="2024"))
    with store.session() as session:
        assert find_sprint(session, "2024").name == "2024"
        with pytest.raises(PlanError) as caught:
            find_sprint(session, "7")
        assert not isinstance(caught.value, AmbiguousSprintError)


def test_create_sprint_links_the_previous_sprint(store: Store) -> None:
    with store.unit_of_work() as session:
        first = create_sprint(session, "A", START, END)
        session.flush()
        second = create_sprint(session, "B", previous=first)
        session.flush()
        assert second.previous is first
        assert second.previous_id == first.id
        assert create_sprint(session, "C").previous is None


def test_create_sprint_for_chosen_teams_only(store: Store) -> None:
    with store.unit_of_work() as session:
        core, web = Team(name="Core", position=0), Team(name="Web", position=1)
        session.add_all([core, web])
        session.flush()
        sprint = create_sprint(session, "A", teams=[web])
        assert [p.team.name for p in sprint.team_plans] == ["Web"]
        assert [p.position for p in sprint.team_plans] == [0]


def test_create_sprint_orders_teams_by_position_and_skips_inactive_ones(store: Store) -> None:
    with store.unit_of_work() as session:
        session.add_all(  # added in another order than their positions
            [
                Team(name="Alpha", position=2),
                Team(name="Old", position=1, active=False),
                Team(name="Zed", position=0),
            ]
        )
        session.flush()
        sprint = create_sprint(session, "A", template="classic")
        assert [p.team.name for p in sprint.team_plans] == ["Zed", "Alpha"]
        assert [p.position for p in sprint.team_plans] == [0, 1]
        assert sprint.template == "classic"


def test_the_next_sprint_keeps_the_team_order_and_adds_new_teams_after(store: Store) -> None:
    with store.unit_of_work() as session:
        first_team, second_team = Team(name="Zed", position=5), Team(name="Alpha", position=1)
        session.add_all([first_team, second_team])
        session.flush()
        previous = create_sprint(session, "A", START, END, teams=[first_team, second_team])
        session.flush()
        later, retired = Team(name="Later", position=9), Team(name="Gone", position=0)
        newer = Team(name="Newer", position=3)
        retired.active = False
        session.add_all([later, retired, newer])
        session.flush()
        nxt = start_next_sprint(session, previous)
        session.flush()
        # The previous sprint's order first (even against team positions), then the active
        # teams it did not have, by their position.
        assert [p.team.name for p in nxt.team_plans] == ["Zed", "Alpha", "Newer", "Later"]
        assert [p.position for p in nxt.team_plans] == [0, 1, 2, 3]
        team_sections = [s.title for s in nxt.sections if s.kind == SectionKind.TEAM.value]
        assert team_sections == ["Team Zed", "Team Alpha", "Team Newer", "Team Later"]


def test_the_next_sprint_links_back_and_keeps_the_template(store: Store) -> None:
    with store.unit_of_work() as session:
        previous = create_sprint(session, "Sprint 4", START, END, template="team-comments")
        session.flush()
        nxt = start_next_sprint(session, previous, name="Custom", start=date(2025, 3, 19))
        session.flush()
        assert nxt.previous is previous and nxt.previous_id == previous.id
        assert nxt.template == "team-comments"
        assert nxt.name == "Custom"
        assert nxt.start == date(2025, 3, 19)
        assert nxt.end == suggest_next(previous).end
        assert nxt.state == "draft"


def test_the_next_sprint_takes_the_timeboxes_the_previous_meeting_planned(store: Store) -> None:
    with store.unit_of_work() as session:
        session.add(Team(name="Core"))
        session.flush()
        previous = create_sprint(session, "Sprint 4", START, END)
        by_title = {s.title: s for s in previous.sections}
        by_title["Team Core"].timebox_seconds = 1234
        defaults = {s.title: s.timebox_seconds for s in previous.sections}
        session.flush()
        nxt = start_next_sprint(session, previous)
        boxes = {s.title: s.timebox_seconds for s in nxt.sections}
        assert boxes["Team Core"] == 1234
        assert boxes == defaults


def test_the_next_sprint_carries_no_okrs_and_gives_outcomes_their_order(store: Store) -> None:
    with store.unit_of_work() as session:
        session.add(Team(name="Core"))
        session.flush()
        previous = create_sprint(session, "Sprint 4", START, END)
        previous.team_plans[0].okrs = [Okr(title="Uptime")]
        previous.goals = [
            Goal(title="One", description="d1", target="t1", position=0),
            Goal(title="Two", position=1, carried_over=True),
        ]
        session.flush()
        nxt = start_next_sprint(session, previous)
        assert nxt.team_plans[0].okrs == []
        assert [(o.position, o.title, o.description, o.target) for o in nxt.outcomes] == [
            (0, "One", "d1", "t1"),
            (1, "Two", "", ""),
        ]
        assert [o.was_carried for o in nxt.outcomes] == [False, True]


def test_validate_sprint_fields_cleans_the_name_and_needs_no_session() -> None:
    assert validate_sprint_fields("  Sprint \n 5 ", None, None) == "Sprint 5"
    assert validate_sprint_fields("S", START, None) == "S"
    assert validate_sprint_fields("S", START, START) == "S"


def _carried(store: Store) -> Iterator[tuple[Session, Goal, OutcomeReview, Person, Team]]:
    with store.unit_of_work() as session:
        ana, bo = Person(name="Ana"), Person(name="Bo")
        core = Team(name="Core", members=[ana, bo])
        session.add(core)
        first = create_sprint(session, "Sprint 4", START, END)
        first.goals = [
            Goal(
                title="Ship",
                description="the sync",
                owner=ana,
                target="zero conflicts",
                why="pilots",
                confidence="unlikely",
                team=core,
                contributors=[GoalContributor(person=bo, share=100, position=0)],
            )
        ]
        session.flush()
        nxt = start_next_sprint(session, first)
        outcome = nxt.outcomes[0]
        goal = set_carry_over(nxt, outcome, True)
        assert goal is not None
        yield session, goal, outcome, bo, core


@pytest.fixture
def carried(store: Store) -> Iterator[tuple[Session, Goal, OutcomeReview, Person, Team]]:
    yield from _carried(store)


def test_a_carried_goal_unchanged_has_no_edits(carried) -> None:
    _session, goal, outcome, _bo, _core = carried
    assert carried_goal_edits(goal, outcome) == []


def test_carried_goal_edits_name_every_changed_field(carried) -> None:
    _session, goal, outcome, bo, _core = carried
    goal.title = "Ship it all"
    goal.description = "more"
    goal.owner = bo
    goal.target = "no conflicts"
    goal.why = "everyone"
    goal.confidence = "likely"
    goal.team = None
    goal.contributors[0].share = 50
    assert carried_goal_edits(goal, outcome) == [
        "title",
        "description",
        "owner",
        "target",
        "why",
        "confidence",
        "team",
        "contributors",
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "New"),
        ("description", "New"),
        ("target", "New"),
        ("why", "New"),
        ("confidence", "likely"),
    ],
)
def test_carried_goal_edits_name_one_changed_field(carried, field: str, value: str) -> None:
    _session, goal, outcome, _bo, _core = carried
    setattr(goal, field, value)
    assert carried_goal_edits(goal, outcome) == [field]


def test_a_contributor_taken_off_a_carried_goal_is_an_edit(carried) -> None:
    _session, goal, outcome, _bo, _core = carried
    goal.contributors = []
    assert carried_goal_edits(goal, outcome) == ["contributors"]


def test_carried_goal_edits_of_an_outcome_without_a_source_goal(store: Store) -> None:
    with store.unit_of_work() as session:
        sprint = create_sprint(session, "S")
        outcome = OutcomeReview(title="Typed in", description="", target="t", position=0)
        sprint.outcomes = [outcome]
        goal = set_carry_over(sprint, outcome, True)
        assert goal is not None
        assert (goal.why, goal.confidence, goal.team, goal.contributors) == ("", "likely", None, [])
        assert carried_goal(sprint, outcome) is goal
        assert carried_goal_edits(goal, outcome) == []
        goal.why = "found one"
        assert carried_goal_edits(goal, outcome) == ["why"]


def test_carried_goal_matches_by_source_goal_not_by_title(carried) -> None:
    session, goal, outcome, _bo, _core = carried
    sprint = goal.sprint
    other = Goal(title=goal.title, carried_over=True, position=5)
    sprint.goals.insert(0, other)
    assert carried_goal(sprint, outcome) is goal
    goal.carried_over = False
    assert carried_goal(sprint, outcome) is None
    session.rollback()


def test_an_agenda_section_the_previous_meeting_did_not_have_keeps_its_default(
    store: Store,
) -> None:
    with store.unit_of_work() as session:
        previous = create_sprint(session, "Sprint 4", START, END)
        previous.sections = [AgendaSection(kind="outcomes", title="Renamed", timebox_seconds=1)]
        session.flush()
        session.add(Team(name="Core"))
        session.flush()
        nxt = start_next_sprint(session, previous)
        fresh = create_sprint(session, "Fresh", START, END)
        assert [s.timebox_seconds for s in nxt.sections] == [
            s.timebox_seconds for s in fresh.sections
        ]


def test_create_sprint_follows_the_chosen_template(store: Store) -> None:
    with store.unit_of_work() as session:
        session.add(Team(name="Core"))
        session.flush()
        sprint = create_sprint(session, "A", START, END, template="team-comments")
        assert sprint.template == "team-comments"
        assert SectionKind.RETRO.value not in [s.kind for s in sprint.sections]
        team_section = next(s for s in sprint.sections if s.kind == SectionKind.TEAM.value)
        assert team_section.timebox_seconds == 15 * 60


def test_a_carried_goal_copies_the_goal_it_carries(carried) -> None:
    _session, goal, outcome, bo, core = carried
    source = outcome.goal
    assert (goal.title, goal.description, goal.target, goal.why) == (
        "Ship",
        "the sync",
        "zero conflicts",
        "pilots",
    )
    assert goal.owner is source.owner and goal.owner is not None
    assert (goal.confidence, goal.team) == ("unlikely", core)
    assert goal.position == 0
    assert [(c.person, c.share, c.position) for c in goal.contributors] == [(bo, 100, 0)]
    assert goal.carried_from is source and goal.carried_over


def test_a_carried_goal_goes_after_the_sprints_goals(store: Store) -> None:
    with store.unit_of_work() as session:
        sprint = create_sprint(session, "S")
        sprint.goals = [Goal(title="A", position=0), Goal(title="B", position=1)]
        outcome = OutcomeReview(title="Typed in", position=0)
        sprint.outcomes = [outcome]
        goal = set_carry_over(sprint, outcome, True)
        assert goal is not None and goal.position == 2


def test_a_sourceless_outcome_is_matched_by_title_only(store: Store) -> None:
    with store.unit_of_work() as session:
        sprint = create_sprint(session, "S")
        outcome = OutcomeReview(title="Typed in", position=0)
        sprint.outcomes = [outcome]
        sprint.goals = [Goal(title="Something else", carried_over=True, position=0)]
        assert carried_goal(sprint, outcome) is None
        sprint.goals.append(Goal(title="Typed in", carried_over=False, position=1))
        assert carried_goal(sprint, outcome) is None  # not marked 🔁
        sprint.goals.append(Goal(title="Typed in", carried_over=True, position=2))
        assert carried_goal(sprint, outcome) is sprint.goals[2]


def _next_with_items(store: Store) -> Iterator[tuple[Session, Sprint, Sprint, Person]]:
    from sprintdesk.plan.model import Status

    with store.unit_of_work() as session:
        ana = Person(name="Ana")
        session.add(Team(name="Core", members=[ana]))
        session.flush()
        older = create_sprint(session, "Sprint 3", teams=[])
        older.goals = [Goal(title="Older", position=0)]
        first = create_sprint(session, "Sprint 4", START, END)
        first.team_plans[0].items = [
            TeamItem(kind=ItemKind.LOW.value, title="Later", position=0),
            TeamItem(
                kind=ItemKind.HIGH.value,
                title="Now",
                owner=ana,
                position=1,
                status=Status.FINISHED.value,
                carried_over=True,
            ),
        ]
        first.goals = [Goal(title="G", description="what", position=0, carried_from=older.goals[0])]
        session.flush()
        nxt = start_next_sprint(session, first, end=date(2025, 3, 21))
        session.flush()
        yield session, first, nxt, ana


@pytest.fixture
def next_sprint(store: Store) -> Iterator[tuple[Session, Sprint, Sprint, Person]]:
    yield from _next_with_items(store)


def test_retro_items_of_the_next_sprint_start_over(next_sprint) -> None:
    _session, first, nxt, ana = next_sprint
    items = nxt.team_plans[0].items
    assert [(i.kind, i.title, i.position) for i in items] == [
        ("retro_high", "Now", 0),
        ("retro_low", "Later", 1),
    ]
    assert [i.status for i in items] == ["not_started", "not_started"]
    assert [i.owner for i in items] == [ana, None]
    assert [i.carried_over for i in items] == [True, False]
    assert nxt.team_plans[0].position == 0


def test_the_next_sprint_takes_a_given_end_and_the_suggested_start(next_sprint) -> None:
    _session, first, nxt, _ana = next_sprint
    assert nxt.start == suggest_next(first).start == date(2025, 3, 17)
    assert nxt.end == date(2025, 3, 21)


def test_an_outcome_remembers_a_goal_carried_from_an_older_sprint(next_sprint) -> None:
    _session, _first, nxt, _ana = next_sprint
    (outcome,) = nxt.outcomes
    assert outcome.description == "what"
    assert outcome.was_carried  # linked to an older goal, though not marked 🔁


def test_prioritising_a_hangover_beside_an_ordinary_high_item(store: Store) -> None:
    from sprintdesk.plan.model import Decision
    from sprintdesk.plan.planning import decide_hangover, refresh_hangovers

    with store.unit_of_work() as session:
        ana = Person(name="Ana")
        session.add(Team(name="Core", members=[ana]))
        session.flush()
        sprint = create_sprint(session, "S", START, END)
        plan = sprint.team_plans[0]
        plan.items = [
            TeamItem(kind=ItemKind.HIGH.value, title="Ordinary", position=0),
            TeamItem(kind=ItemKind.RETRO_HIGH.value, title="Leftover", owner=ana, position=1),
        ]
        session.flush()
        (hang,) = refresh_hangovers(plan)
        assert (hang.position, hang.owner) == (2, ana)
        item = decide_hangover(plan, hang, Decision.PRIORITISE)
        assert item is not None and item.title == "Leftover"
        assert (item.position, item.owner, item.carried_over) == (3, ana, True)
        assert [i.title for i in plan.items_of(ItemKind.HIGH)] == ["Ordinary", "Leftover"]
        assert decide_hangover(plan, hang, Decision.DEPRIORITISE) is None
        assert [i.title for i in plan.items_of(ItemKind.HIGH)] == ["Ordinary"]
        with pytest.raises(PlanError) as caught:
            decide_hangover(plan, plan.items[0], Decision.PRIORITISE)
        assert str(caught.value) not in ("", "None")


def test_refresh_hangovers_skips_the_ones_that_have_one_and_goes_on(store: Store) -> None:
    from sprintdesk.plan.planning import refresh_hangovers

    with store.unit_of_work() as session:
        ana, bo = Person(name="Ana"), Person(name="Bo")
        session.add(Team(name="Core", members=[ana, bo]))
        session.flush()
        sprint = create_sprint(session, "S", START, END)
        plan = sprint.team_plans[0]
        first = TeamItem(kind=ItemKind.RETRO_HIGH.value, title="First", owner=ana, position=0)
        second = TeamItem(kind=ItemKind.RETRO_LOW.value, title="Second", owner=bo, position=1)
        plan.items = [first, second]
        session.flush()
        plan.items.append(
            TeamItem(kind=ItemKind.HANGOVER.value, title="First", carried_from=first, position=2)
        )
        session.flush()  # the hang-over of the first has ids now
        session.expire(plan, ["items"])
        added = refresh_hangovers(plan)
        assert [(i.title, i.owner, i.position) for i in added] == [("Second", bo, 3)]
        assert refresh_hangovers(plan) == []


def test_next_dates_with_only_a_start_begin_from_today() -> None:
    from sprintdesk.plan.planning import suggest_next_dates

    today = date(2025, 3, 8)  # a Saturday
    assert suggest_next_dates(START, None, today=today) == (date(2025, 3, 10), date(2025, 3, 21))
    assert suggest_next_dates(None, END, today=today) == (date(2025, 3, 10), date(2025, 3, 21))


def test_an_empty_sprint_key_is_refused_with_a_message(store: Store) -> None:
    with store.session() as session, pytest.raises(PlanError) as caught:
        find_sprint(session, "  ")
    assert str(caught.value) not in ("", "None")


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2025, 3, 20), date(2025, 3, 19)),  # both given, the wrong way round
        (None, date(2025, 3, 14)),  # an end before the suggested start (Mon 17 March)
        (date(2025, 4, 1), None),  # a start after the suggested end (Fri 28 March)
    ],
)
def test_the_next_sprints_dates_are_checked_as_given(
    store: Store, start: date | None, end: date | None
) -> None:
    with store.unit_of_work() as session:
        previous = create_sprint(session, "Sprint 4", START, END)
        session.flush()
        with pytest.raises(PlanError, match="before it starts"):
            start_next_sprint(session, previous, start=start, end=end)
