"""The meeting clock state machine, driven by fake monotonic and wall clocks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sprintdesk.plan import meeting
from sprintdesk.plan.meeting import MeetingClock, Phase, SectionState, format_countdown
from sprintdesk.plan.model import AgendaSection, SectionKind, Sprint, SprintState
from sprintdesk.storage.store import Store, open_store
from tests.clocks import FakeClock


def _sprint(store: Store) -> int:
    with store.unit_of_work() as session:
        sprint = Sprint(name="Sprint 7")
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
def setup(store: Store):
    sprint_id = _sprint(store)
    session = store.session()
    sprint = session.get(Sprint, sprint_id)
    assert sprint is not None
    fake = FakeClock()
    clock = MeetingClock(sprint, monotonic=fake.monotonic, wall=fake.time)
    yield session, sprint, fake, clock
    session.close()


def test_ten_simulated_minutes_are_exact(setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    assert sprint.state == SprintState.IN_MEETING.value
    assert clock.current is sprint.sections[0]
    assert clock.reading().countdown == "10:00"
    for _ in range(600):
        fake.advance(1.0)  # nothing ticks: the reading is computed from the clock
    reading = clock.reading()
    assert reading.elapsed == 600.0
    assert reading.countdown == "+0:00"
    assert reading.phase is Phase.OVERRUN
    fake.advance(0.4)
    assert clock.reading().countdown == "+0:00"
    fake.advance(0.6)
    assert clock.reading().countdown == "+0:01"


def test_state_names_match_the_model() -> None:
    assert SprintState.DRAFT.value == meeting.DRAFT
    assert SprintState.IN_MEETING.value == meeting.IN_MEETING
    assert SprintState.PLANNED.value == meeting.PLANNED


def test_countdown_format_rounds_time_left_up() -> None:
    assert format_countdown(0.0, 300) == "5:00"
    assert format_countdown(0.5, 300) == "5:00"
    assert format_countdown(1.0, 300) == "4:59"
    assert format_countdown(299.5, 300) == "0:01"
    assert format_countdown(365.0, 300) == "+1:05"
    assert format_countdown(0.0, 6000) == "100:00"


def test_paused_time_is_excluded(setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    fake.advance(90)
    clock.pause()
    assert sprint.meeting_running_since is None
    fake.advance(1000)
    assert clock.elapsed() == 90.0
    clock.toggle()
    assert clock.running
    fake.advance(30)
    assert clock.elapsed() == 120.0
    assert sprint.sections[0].actual_seconds == 90.0  # banked at the pause


def test_amber_at_eighty_percent_and_overrun_after(setup) -> None:
    _session, _sprint, fake, clock = setup
    clock.start_meeting()
    fake.advance(479)
    assert clock.reading().phase is Phase.NORMAL
    fake.advance(1)
    assert clock.reading().phase is Phase.AMBER
    fake.advance(119)
    assert clock.reading().countdown == "0:01"
    fake.advance(61)
    reading = clock.reading()
    assert reading.phase is Phase.OVERRUN
    assert reading.countdown == "+1:00"
    assert reading.progress == 1.0


def test_extend_moves_the_budget_not_the_timebox(setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    fake.advance(620)
    assert clock.reading().phase is Phase.OVERRUN
    clock.extend(60)
    assert clock.reading().countdown == "0:40"
    assert clock.reading().phase is Phase.AMBER
    clock.extend(300)
    assert clock.reading().budget == 960
    assert sprint.sections[0].timebox_seconds == 600
    assert sprint.sections[0].extension_seconds == 360


def test_restart_section(setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    fake.advance(200)
    clock.extend(60)
    clock.restart_section()
    assert clock.reading().countdown == "10:00"
    assert clock.running
    fake.advance(5)
    assert clock.elapsed() == 5.0
    assert sprint.sections[0].extension_seconds == 0


def test_next_and_previous_record_actual_time(setup) -> None:
    _session, sprint, fake, clock = setup
    first, second, third = sprint.sections
    clock.start_meeting()
    assert clock.previous() is False
    fake.advance(700)
    assert clock.next() is True
    assert clock.current is second and clock.running
    assert first.actual_seconds == 700.0
    assert clock.section_state(first) is SectionState.OVERRAN
    assert clock.section_state(second) is SectionState.CURRENT
    assert clock.section_state(third) is SectionState.UPCOMING
    fake.advance(100)
    clock.pause()
    assert clock.next() is True
    assert clock.current is third and not clock.running  # paused stays paused
    assert clock.section_state(second) is SectionState.DONE
    assert clock.next() is False
    clock.previous()
    clock.start()
    fake.advance(50)
    assert clock.elapsed(second) == 150.0
    assert clock.reading().meeting_elapsed == 850.0
    assert clock.reading().meeting_planned == 1800


def test_end_meeting_marks_planned(setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    fake.advance(30)
    clock.end_meeting()
    assert sprint.state == SprintState.PLANNED.value
    assert not clock.running
    assert sprint.meeting_ended_at is not None
    fake.advance(30)
    clock.toggle()  # no clock outside the meeting
    assert not clock.running
    assert sprint.sections[0].actual_seconds == 30.0
    clock.start_meeting()  # resumes, does not wipe the times
    assert sprint.sections[0].actual_seconds == 30.0
    assert clock.running


def test_controls_do_nothing_in_draft(setup) -> None:
    _session, sprint, fake, clock = setup
    clock.toggle()
    clock.extend(60)
    assert clock.next() is False
    assert not clock.running
    assert sprint.sections[0].extension_seconds == 0
    assert clock.reading().section_id is None


def test_restart_mid_meeting_resumes_with_the_wall_clock(db_url: str, store: Store) -> None:
    sprint_id = _sprint(store)
    fake = FakeClock()
    session = store.session()
    sprint = session.get(Sprint, sprint_id)
    assert sprint is not None
    clock = MeetingClock(sprint, monotonic=fake.monotonic, wall=fake.time)
    clock.start_meeting()
    fake.advance(400)
    clock.next()
    clock.extend(60)
    fake.advance(125)
    session.commit()  # what autosave writes; then the process dies
    session.close()
    store.close()

    # A new process: the monotonic clock starts elsewhere, the wall clock moved on 20 s.
    later = FakeClock(mono=5.0, wall=fake.wall + 20)
    reopened = open_store(db_url)
    try:
        with reopened.session() as session2:
            sprint2 = session2.scalars(select(Sprint)).one()
            clock2 = MeetingClock(sprint2, monotonic=later.monotonic, wall=later.time)
            assert clock2.in_meeting and clock2.running
            assert clock2.current is not None and clock2.current.title == "Retro"
            assert clock2.elapsed() == 145.0
            assert clock2.reading().budget == 360
            assert clock2.reading().countdown == "3:35"
            assert sprint2.sections[0].actual_seconds == 400.0
            later.advance(10)
            assert clock2.elapsed() == 155.0
            # A paused clock resumes paused, with exactly the banked time.
            clock2.pause()
            session2.commit()
        with reopened.session() as session3:
            sprint3 = session3.scalars(select(Sprint)).one()
            clock3 = MeetingClock(sprint3, monotonic=FakeClock(0, 0).monotonic, wall=lambda: 9e9)
            assert not clock3.running
            assert clock3.elapsed() == 155.0
    finally:
        reopened.close()


def test_wall_clock_going_backwards_never_gives_negative_time(setup) -> None:
    _session, sprint, fake, clock = setup
    clock.start_meeting()
    back = FakeClock(mono=0.0, wall=fake.wall - 3600)
    clock2 = MeetingClock(sprint, monotonic=back.monotonic, wall=back.time)
    assert clock2.running
    assert clock2.elapsed() == 0.0
