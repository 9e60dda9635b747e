"""The meeting clock's reading of the whole meeting (time planned and time added to it) and the
meeting state of a sprint recorded as published by an older SprintDesk."""

from __future__ import annotations

from sprintdesk.plan.meeting import PLANNED, MeetingClock, meeting_state
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
