"""Chart data across sprints and suggested timeboxes (sprintdesk.plan.history), on the demo data and
on hand-built sprints."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.plan.history import HistorySource, suggested_timeboxes
from sprintdesk.plan.model import (
    AgendaSection,
    Confidence,
    Goal,
    OutcomeReview,
    Person,
    SectionKind,
    Sprint,
    Status,
    Team,
)
from sprintdesk.plan.planning import create_sprint, start_next_sprint
from sprintdesk.storage.store import Store


def test_demo_history(demo_store: Store) -> None:
    with demo_store.session() as session:
        history = HistorySource.load(session).history()
    names = [row.name for row in history.sprints]
    assert names == ["4.11.0 1/2", "4.11.0 2/2", "4.12.0 1/2", "4.12.0 2/2"]
    # Outcomes belong to the sprint whose goals they were (reviewed in the next one).
    statuses = [
        (
            row.statuses[Status.FINISHED],
            row.statuses[Status.IN_PROGRESS],
            row.statuses[Status.WONT_FINISH],
            row.statuses[Status.NOT_STARTED],
        )
        for row in history.sprints
    ]
    assert statuses == [(1, 1, 1, 0), (2, 0, 0, 1), (1, 1, 1, 0), (0, 0, 0, 0)]
    assert [row.carried_over for row in history.sprints] == [0, 0, 0, 1]
    assert [row.goals for row in history.sprints] == [3, 3, 3, 2]
    rates = {r.label: (r.finished, r.total) for r in history.hit_by_confidence}
    assert rates == {"certain": (2, 3), "likely": (2, 3), "moonshot": (0, 3)}
    owners = {r.label: (r.finished, r.total) for r in history.hit_by_owner}
    assert owners["Lena Kowalski"] == (1, 3)
    assert owners["Kwame Asante"] == (2, 2)
    assert history.hit_by_owner[0].rate == 1.0  # best first
    assert "1 of 3 finished (33%)" in next(
        r.describe() for r in history.hit_by_owner if r.label == "Lena Kowalski"
    )
    titles = [t.title for t in history.section_times]
    assert titles[0] == "Outcomes of last sprint" and "Team Billing" in titles
    outcomes = history.section_times[0]
    assert outcomes.meetings == 3  # the current sprint's meeting has not run
    assert outcomes.planned_seconds == 600
    assert outcomes.actual_seconds == 570  # (0.8 + 0.95 + 1.1) / 3 * 600


def test_window_of_last_sprints(demo_store: Store) -> None:
    with demo_store.session() as session:
        source = HistorySource.load(session)
    assert source.sprint_count == 4
    last_two = source.history(last=2)
    assert [row.name for row in last_two.sprints] == ["4.12.0 1/2", "4.12.0 2/2"]
    assert sum(r.total for r in last_two.hit_by_confidence) == 3
    assert source.history(last=0).sprints == []
    assert len(source.history().sprints) == 4


def _sprint_chain(session: Session, count: int) -> list[Sprint]:
    owner = Person(name="Ana")
    session.add(Team(name="Core", members=[owner]))
    first = create_sprint(session, "Sprint 1", date(2025, 1, 6), date(2025, 1, 17))
    sprints = [first]
    for _ in range(count - 1):
        sprints.append(start_next_sprint(session, sprints[-1]))
    session.flush()
    return sprints


def test_hand_built_outcomes_and_carry_over(store: Store) -> None:
    with store.session() as session:
        one, two, three = _sprint_chain(session, 3)
        ana = session.scalars(select(Person)).one()
        one.goals = [
            Goal(title="Moon", owner=ana, confidence=Confidence.MOONSHOT.value),
            Goal(title="Sure", owner=ana, confidence=Confidence.CERTAIN.value),
        ]
        session.flush()
        two.outcomes = [
            OutcomeReview(
                title=g.title,
                owner=ana,
                goal=g,
                position=i,
                status=(Status.WONT_FINISH if g.title == "Moon" else Status.FINISHED).value,
            )
            for i, g in enumerate(one.goals)
        ]
        two.goals = [
            Goal(
                title="Moon",
                owner=ana,
                carried_from=one.goals[0],
                confidence=Confidence.MOONSHOT.value,
            )
        ]
        # An imported review with no goal link counts for the previous sprint, no confidence.
        three.outcomes = [OutcomeReview(title="Moon", owner=None, status=Status.FINISHED.value)]
        session.flush()
        history = HistorySource.load(session).history()
    by_name = {row.name: row for row in history.sprints}
    assert by_name["Sprint 1"].statuses[Status.FINISHED] == 1
    assert by_name["Sprint 1"].statuses[Status.WONT_FINISH] == 1
    assert by_name["Sprint 2"].statuses[Status.FINISHED] == 1
    assert by_name["Sprint 2"].carried_over == 1
    rates = {r.label: (r.finished, r.total) for r in history.hit_by_confidence}
    assert rates == {"certain": (1, 1), "likely": (0, 0), "moonshot": (0, 1)}
    assert [(r.label, r.finished, r.total) for r in history.hit_by_owner] == [("Ana", 1, 2)]


def _suggested(session: Session, section: AgendaSection, **last: int) -> int | None:
    """The suggestion for one section, as the agenda gets it (one query for the sprint)."""
    return suggested_timeboxes(session, section.sprint, **last).get(section.id)


def _time_meetings(session: Session, sprints: list[Sprint], actual_minutes: list[int]) -> None:
    for sprint, minutes in zip(sprints, actual_minutes, strict=True):
        for section in sprint.sections:
            if section.kind == SectionKind.RETRO:
                section.actual_seconds = minutes * 60.0
    session.flush()


def test_suggested_timebox_is_median_of_last_five(store: Store) -> None:
    with store.session() as session:
        sprints = _sprint_chain(session, 8)
        # Oldest first; the 8th is the one being planned (its own time never counts).
        _time_meetings(session, sprints, [50, 40, 9, 11, 10, 12, 30, 99])
        target = sprints[-1]
        retro = next(s for s in target.sections if s.kind == SectionKind.RETRO)
        # Last five before the 8th: 40, 9, 11, 10, 12, 30 -> the five newest are 9..30.
        assert _suggested(session, retro) == 11 * 60
        assert _suggested(session, retro, last=2) == round((12 + 30) / 2 * 60)
        boxes = suggested_timeboxes(session, target)
        assert boxes[retro.id] == 11 * 60
        # Sections never timed have no suggestion.
        goals = next(s for s in target.sections if s.kind == SectionKind.GOALS)
        assert goals.id not in boxes
        assert _suggested(session, goals) is None
        # For an older sprint only the meetings before it count.
        old_retro = next(s for s in sprints[2].sections if s.kind == SectionKind.RETRO)
        assert _suggested(session, old_retro) == 45 * 60


def test_team_sections_match_by_team_even_after_a_rename(store: Store) -> None:
    with store.session() as session:
        sprints = _sprint_chain(session, 3)
        for sprint, minutes in zip(sprints[:2], (6, 8), strict=True):
            team_section = next(s for s in sprint.sections if s.kind == SectionKind.TEAM)
            team_section.actual_seconds = minutes * 60.0
        team_section = next(s for s in sprints[2].sections if s.kind == SectionKind.TEAM)
        team_section.title = "Team Renamed"
        session.flush()
        assert _suggested(session, team_section) == 7 * 60
        assert suggested_timeboxes(session, sprints[2]) == {team_section.id: 7 * 60}


def test_undated_sprints_use_creation_order(store: Store) -> None:
    with store.session() as session:
        session.add(Team(name="Core"))
        first = create_sprint(session, "A")
        second = create_sprint(session, "B")
        session.flush()
        for section in first.sections:
            section.actual_seconds = 120.0
        session.flush()
        summary = next(s for s in second.sections if s.kind == SectionKind.SUMMARY)
        assert _suggested(session, summary) == 120
        assert isinstance(summary, AgendaSection)
        assert suggested_timeboxes(session, first) == {}


def test_many_sprints_in_order(store: Store) -> None:
    with store.session() as session:
        session.add(Team(name="Core"))
        start = date(2024, 1, 1)
        for i in reversed(range(12)):  # created newest first: the order comes from dates
            create_sprint(
                session,
                f"S{i:02}",
                start + timedelta(weeks=2 * i),
                start + timedelta(weeks=2 * i, days=11),
            )
        session.flush()
        history = HistorySource.load(session).history(last=5)
    assert [row.name for row in history.sprints] == ["S07", "S08", "S09", "S10", "S11"]
