"""The meeting clock at its edges: pausing twice, stepping back to the first section, a section
that used exactly its budget, a fresh start from a draft, saving on exit (``checkpoint``) and
the readings outside a meeting."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy.orm import Session

from sprintdesk.plan.meeting import (
    MeetingClock,
    Phase,
    Reading,
    SectionState,
    format_countdown,
    format_duration,
    phase_for,
)
from sprintdesk.plan.model import AgendaSection, SectionKind, Sprint, SprintState
from sprintdesk.storage.store import Store
from tests.clocks import FakeClock

Setup = tuple[Session, Sprint, FakeClock, MeetingClock]


def _sprint(store: Store, state: str = SprintState.DRAFT.value) -> int:
    with store.unit_of_work() as session:
        sprint = Sprint(name="Sprint 7", state=state)
        sprint.sections = [
            AgendaSection(kind=SectionKind.OUTCOMES.value, title="Outcomes", timebox_seconds=600),
            AgendaSection(kind=SectionKind.RETRO.value, title="Retro", timebox_seconds=300),
            AgendaSection(kind=SectionKind.GOALS.value, title="Goals", timebox_seconds=900),
        ]
        for i, section in enumerate(sprint.sections):
            section.position = i
        session.add(sprint)
        session.flush()
        return sprint.id


@pytest.fixture
def setup(store: Store) -> Iterator[Setup]:
    sprint_id = _sprint(store)
    session = store.session()
    sprint = session.get(Sprint, sprint_id)
    assert sprint is not None
    fake = FakeClock()
    yield session, sprint, fake, MeetingClock(sprint, monotonic=fake.monotonic, wall=fake.time)
    session.close()


def test_a_section_paused_twice_keeps_both_runs_and_nothing_from_the_pauses(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    first = sprint.sections[0]
    clock.start_meeting()
    fake.advance(40)
    clock.pause()
    fake.advance(500)  # a break: not counted
    clock.pause()  # pausing a paused clock banks nothing more
    assert first.actual_seconds == 40.0
    clock.start()
    fake.advance(25)
    clock.pause()
    assert first.actual_seconds == 65.0
    assert sprint.meeting_running_since is None
    fake.advance(300)
    assert clock.elapsed() == 65.0
    assert clock.reading().elapsed == 65.0
    assert clock.reading().meeting_elapsed == 65.0


def test_a_pause_right_after_the_start_banks_nothing(setup: Setup) -> None:
    _session, sprint, _fake, clock = setup
    clock.start_meeting()
    clock.pause()
    assert sprint.sections[0].actual_seconds == 0.0


def test_starting_a_running_clock_again_keeps_its_time(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    since = sprint.meeting_running_since
    fake.advance(30)
    clock.start()
    assert sprint.meeting_running_since == since
    assert clock.elapsed() == 30.0


def test_previous_goes_back_to_the_first_section_and_keeps_its_time(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    first, second, _third = sprint.sections
    clock.start_meeting()
    fake.advance(100)
    assert clock.next() is True
    fake.advance(30)
    assert clock.previous() is True
    assert clock.current is first
    assert sprint.meeting_section_id == first.id
    assert clock.running  # a running clock keeps running on the section it goes back to
    assert second.actual_seconds == 30.0
    fake.advance(20)
    assert clock.elapsed(first) == 120.0
    assert clock.elapsed(second) == 30.0  # only the current section has a running part
    assert clock.previous() is False  # nothing before the first section
    assert clock.current is first


def test_a_section_that_used_exactly_its_budget_is_done_not_overrun(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    first, second, _third = sprint.sections
    clock.start_meeting()
    fake.advance(600)
    clock.next()
    assert clock.section_state(first) is SectionState.DONE
    fake.advance(300)
    clock.next()
    assert clock.section_state(second) is SectionState.DONE
    clock.previous()  # back to the second section: one second more is one too many
    fake.advance(1)
    clock.next()
    assert clock.section_state(second) is SectionState.OVERRAN


def test_the_budget_used_to_the_second_reads_overrun_plus_zero() -> None:
    assert phase_for(600, 600) is Phase.OVERRUN
    assert phase_for(599.9, 600) is Phase.AMBER
    assert format_countdown(600, 600) == "+0:00"
    assert format_countdown(599.0, 600) == "0:01"


def test_starting_a_draft_meeting_resets_every_section(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    for section in sprint.sections:  # left over from a rehearsal, say
        section.actual_seconds = 123.0
        section.extension_seconds = 60
        section.visited = True
    sprint.meeting_ended_at = datetime(2020, 1, 1)
    sprint.meeting_section_id = sprint.sections[2].id
    clock.start_meeting()
    assert [s.actual_seconds for s in sprint.sections] == [0.0, 0.0, 0.0]
    assert [s.extension_seconds for s in sprint.sections] == [0, 0, 0]
    assert [s.visited for s in sprint.sections] == [True, False, False]
    assert clock.current is sprint.sections[0]
    assert sprint.meeting_started_at == datetime.fromtimestamp(fake.wall)
    assert sprint.meeting_ended_at is None
    assert sprint.meeting_running_since == fake.wall
    assert clock.reading().countdown == "10:00"


def test_a_planned_sprint_whose_meeting_never_started_starts_fresh(store: Store) -> None:
    sprint_id = _sprint(store, SprintState.PLANNED.value)
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        sprint.sections[1].actual_seconds = 50.0
        sprint.meeting_section_id = sprint.sections[1].id
        fake = FakeClock()
        clock = MeetingClock(sprint, monotonic=fake.monotonic, wall=fake.time)
        clock.start_meeting()
        assert clock.current is sprint.sections[0]
        assert sprint.sections[1].actual_seconds == 0.0


def test_an_ended_meeting_resumes_on_the_section_it_stopped_at(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    started = sprint.meeting_started_at
    clock.next()
    fake.advance(10)
    clock.end_meeting()
    fake.advance(100)
    clock.start_meeting()
    assert clock.current is sprint.sections[1]
    assert sprint.meeting_started_at == started
    assert clock.elapsed() == 10.0


def test_start_meeting_without_sections_or_twice_changes_nothing(store: Store) -> None:
    with store.session() as session:
        empty = Sprint(name="Empty")
        session.add(empty)
        session.flush()
        clock = MeetingClock(empty, monotonic=FakeClock().monotonic, wall=FakeClock().time)
        clock.start_meeting()
        assert empty.state == SprintState.DRAFT.value
        assert not clock.running
    sprint_id = _sprint(store)
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        fake = FakeClock()
        clock = MeetingClock(sprint, monotonic=fake.monotonic, wall=fake.time)
        clock.start_meeting()
        fake.advance(30)
        clock.next()
        clock.start_meeting()  # already in the meeting: no reset, no jump back
        assert clock.current is sprint.sections[1]
        assert sprint.sections[0].actual_seconds == 30.0


def test_checkpoint_banks_the_running_time_and_keeps_running(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    first = sprint.sections[0]
    clock.start_meeting()
    fake.advance(70)
    clock.checkpoint()
    assert first.actual_seconds == 70.0
    assert clock.running
    assert sprint.meeting_running_since == fake.wall  # restarts from now, nothing counted twice
    assert clock.elapsed() == 70.0
    fake.advance(5)
    clock.checkpoint()
    assert first.actual_seconds == 75.0
    fake.advance(5)
    assert clock.elapsed() == 80.0
    assert clock.reading().meeting_elapsed == 80.0


def test_checkpoint_of_a_paused_clock_changes_nothing(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    fake.advance(12)
    clock.pause()
    fake.advance(50)
    clock.checkpoint()
    assert sprint.sections[0].actual_seconds == 12.0
    assert not clock.running
    assert sprint.meeting_running_since is None


def test_a_checkpointed_meeting_restored_after_a_crash_counts_each_second_once(
    setup: Setup,
) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    fake.advance(40)
    clock.checkpoint()
    fake.advance(15)  # then the process dies: a new clock restores from the wall clock
    later = FakeClock(mono=3.0, wall=fake.wall)
    restored = MeetingClock(sprint, monotonic=later.monotonic, wall=later.time)
    assert restored.running
    assert restored.elapsed() == 55.0


def test_restart_section_of_a_paused_clock_stays_paused(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    fake.advance(20)
    clock.pause()
    clock.restart_section()
    assert not clock.running
    assert sprint.meeting_running_since is None
    assert sprint.sections[0].actual_seconds == 0.0
    assert clock.elapsed() == 0.0
    fake.advance(20)
    assert clock.elapsed() == 0.0


def test_restart_section_of_a_running_clock_restarts_the_wall_record(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    fake.advance(20)
    clock.restart_section()
    assert sprint.meeting_running_since == fake.wall


def test_going_to_the_current_section_keeps_the_run_as_it_is(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    since = sprint.meeting_running_since
    fake.advance(30)
    clock.go_to(sprint.sections[0])
    assert sprint.meeting_running_since == since
    assert sprint.sections[0].actual_seconds == 0.0
    assert clock.elapsed() == 30.0


def test_go_to_a_later_section_while_paused_stays_paused(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    fake.advance(30)
    clock.pause()
    clock.go_to(sprint.sections[2])
    assert clock.current is sprint.sections[2]
    assert not clock.running
    assert sprint.sections[2].visited
    assert not sprint.sections[1].visited
    assert clock.section_state(sprint.sections[1]) is SectionState.UPCOMING


def test_outside_the_meeting_go_to_extend_and_restart_do_nothing(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    clock.go_to(sprint.sections[1])
    assert sprint.meeting_section_id is None
    clock.restart_section()
    clock.start()
    assert not clock.running
    clock.start_meeting()
    fake.advance(10)
    clock.end_meeting()
    clock.go_to(sprint.sections[2])
    clock.extend(60)
    clock.restart_section()
    assert clock.current is sprint.sections[0]
    assert sprint.sections[0].extension_seconds == 0
    assert sprint.sections[0].actual_seconds == 10.0
    assert clock.previous() is False and clock.next() is False
    ended = sprint.meeting_ended_at
    fake.advance(10)
    clock.end_meeting()  # ending twice keeps the first end
    assert sprint.meeting_ended_at == ended


def test_the_section_state_of_the_current_section_after_the_meeting(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    fake.advance(601)
    clock.end_meeting()
    # Outside the meeting no section is "current": the one the clock stopped on overran.
    assert clock.section_state(sprint.sections[0]) is SectionState.OVERRAN


def test_reading_outside_the_meeting_is_empty(setup: Setup) -> None:
    _session, _sprint, _fake, clock = setup
    reading = clock.reading()
    assert reading == Reading(
        section_id=None,
        title="",
        elapsed=0.0,
        budget=0,
        running=False,
        in_meeting=False,
        meeting_elapsed=0.0,
        meeting_planned=1800,
    )
    assert clock.elapsed() == 0.0
    _sprint.sections[2].timebox_seconds = 0  # an untimed section adds nothing to the plan
    assert clock.reading().meeting_planned == 900


def test_reading_names_the_section_and_its_budget(setup: Setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    clock.next()
    clock.extend(30)
    fake.advance(45)
    reading = clock.reading()
    assert reading.section_id == sprint.sections[1].id
    assert reading.title == "Retro"
    assert reading.budget == 330
    assert reading.remaining == 285.0
    assert reading.running and reading.in_meeting
    assert reading.progress == pytest.approx(45 / 330)


def test_progress_of_a_section_without_budget_is_full() -> None:
    reading = Reading(None, "", 0.0, 0, False, True, 0.0, 0)
    assert reading.progress == 1.0
    assert Reading(None, "", -5.0, 100, False, True, 0.0, 0).progress == 0.0
    assert Reading(None, "", 50.0, 100, False, True, 0.0, 0).progress == 0.5


def test_format_duration_signs_a_negative_and_passes_an_hour() -> None:
    assert format_duration(-5) == "-0:05"
    assert format_duration(59.9) == "0:59"
    assert format_duration(4500) == "75:00"


def test_a_restored_meeting_without_a_current_section_starts_on_the_first(store: Store) -> None:
    sprint_id = _sprint(store, SprintState.IN_MEETING.value)
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        fake = FakeClock()
        clock = MeetingClock(sprint, monotonic=fake.monotonic, wall=fake.time)
        assert clock.current is sprint.sections[0]
        assert sprint.sections[0].visited
        assert not clock.running  # nothing was recorded as running


def test_a_restored_draft_stays_without_a_section(store: Store) -> None:
    sprint_id = _sprint(store)
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        sprint.meeting_running_since = 1.0
        clock = MeetingClock(sprint, monotonic=FakeClock().monotonic, wall=FakeClock().time)
        assert clock.current is None
        assert not clock.running


def test_a_resumed_meeting_without_a_recorded_section_resumes_on_the_first(store: Store) -> None:
    sprint_id = _sprint(store, SprintState.PLANNED.value)
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        sprint.meeting_started_at = datetime(2026, 1, 5, 10, 0)
        sprint.sections[1].actual_seconds = 50.0
        fake = FakeClock()
        clock = MeetingClock(sprint, monotonic=fake.monotonic, wall=fake.time)
        clock.start_meeting()
        assert clock.current is sprint.sections[0]
        assert sprint.sections[1].actual_seconds == 50.0  # resumed, not wiped


def test_the_running_section_deleted_from_the_agenda(setup: Setup) -> None:
    session, sprint, fake, clock = setup
    first, second, third = sprint.sections
    clock.start_meeting()
    fake.advance(20)
    clock.next()
    fake.advance(40)
    sprint.sections.remove(second)  # the facilitator drops it while it runs
    session.flush()
    reading = clock.reading()
    assert (reading.section_id, reading.title, reading.elapsed, reading.budget) == (None, "", 0, 0)
    assert reading.meeting_elapsed == 20.0  # the lost section's running time is not counted
    clock.pause()  # nothing to bank it into: no error
    assert first.actual_seconds == 20.0
    clock.start()  # and no section to run on
    assert not clock.running
    assert clock.next() is True  # the next step is the first section
    assert clock.current is first
    clock.go_to(third)
    sprint.meeting_section_id = None
    assert clock.previous() is False  # nothing before "no section"


def test_a_section_without_a_timebox_has_no_budget() -> None:
    from sprintdesk.plan.meeting import budget_of

    assert budget_of(AgendaSection(kind="other", title="Untimed")) == 0
    assert budget_of(AgendaSection(kind="other", title="T", extension_seconds=60)) == 60
    assert budget_of(AgendaSection(kind="other", title="T", timebox_seconds=120)) == 120
