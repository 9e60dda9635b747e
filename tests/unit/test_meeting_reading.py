"""The meeting clock's reading of the whole meeting (time planned and time added to it) and the
meeting state of a sprint recorded as published by an older SprintDesk."""

from __future__ import annotations

from sqlalchemy import select

from sprintdesk.plan.meeting import PLANNED, MeetingClock, meeting_state, meeting_was_held
from sprintdesk.plan.model import AgendaSection, SectionKind, Sprint, SprintState
from sprintdesk.storage.store import Store
from tests.clocks import FakeClock


def test_the_meeting_reading_adds_up_every_sections_added_time(store: Store) -> None:
    with store.unit_of_work() as session:
        sprint = Sprint(name="Sprint 7")
        sprint.sections = [
            AgendaSection(
                kind=SectionKind.OUTCOMES.value,
                title="Outcomes",
                timebox_seconds=600,
                extension_seconds=120,
                position=0,
            ),
            AgendaSection(
                kind=SectionKind.RETRO.value,
                title="Retro",
                timebox_seconds=300,
                extension_seconds=None,  # never extended
                position=1,
            ),
            AgendaSection(
                kind=SectionKind.GOALS.value,
                title="Goals",
                timebox_seconds=900,
                extension_seconds=60,
                position=2,
            ),
        ]
        session.add(sprint)
        session.flush()
        fake = FakeClock()
        reading = MeetingClock(sprint, monotonic=fake.monotonic, wall=fake.time).reading()
    assert reading.meeting_planned == 1800
    assert reading.meeting_added == 180


def test_a_sprint_recorded_as_published_reads_as_planned() -> None:
    assert meeting_state(SprintState.PUBLISHED.value) == PLANNED
    for state in (SprintState.DRAFT, SprintState.IN_MEETING, SprintState.PLANNED):
        assert meeting_state(state.value) == state.value


def _visited_sprint(state: SprintState) -> Sprint:
    sprint = Sprint(name="Sprint 7", state=state.value)
    sprint.sections = [
        AgendaSection(kind=SectionKind.RETRO.value, title="Retro", position=0, visited=True)
    ]
    return sprint


def test_a_draft_with_a_visited_section_was_not_held() -> None:
    assert not meeting_was_held(_visited_sprint(SprintState.DRAFT))


def test_an_older_sprint_met_without_a_start_time_was_held_if_a_section_was_visited() -> None:
    # Databases from before start times were kept: a visited section says the meeting ran.
    sprint = _visited_sprint(SprintState.PLANNED)
    assert sprint.meeting_started_at is None
    assert meeting_was_held(sprint)
    sprint.sections[0].visited = False
    assert not meeting_was_held(sprint)


def test_asking_whether_the_meeting_was_held_flushes_no_pending_edit(store: Store) -> None:
    # It is read on every tick: a flush would hold the database's write lock until the
    # autosave commits.
    with store.unit_of_work() as session:
        session.add(_visited_sprint(SprintState.PLANNED))
    with store.unit_of_work() as session:
        sprint = session.scalars(select(Sprint)).one()
        sprint.name = "Sprint 7 (renamed)"
        assert meeting_was_held(sprint)
        assert sprint in session.dirty
