"""A clock that follows another window's meeting (team database): it shows the stored state
measured on the server's time, and moves nothing itself."""

from __future__ import annotations

from sprintdesk.plan.meeting import MeetingClock
from sprintdesk.plan.model import AgendaSection, SectionKind, Sprint
from tests.clocks import FakeClock


def sprint_with_sections() -> Sprint:
    sprint = Sprint(name="Sprint 7")
    sprint.sections = [
        AgendaSection(id=1, kind=SectionKind.OUTCOMES.value, title="Outcomes", timebox_seconds=600,
                      actual_seconds=0.0, extension_seconds=0, visited=False),
        AgendaSection(id=2, kind=SectionKind.RETRO.value, title="Retro", timebox_seconds=300,
                      actual_seconds=0.0, extension_seconds=0, visited=False),
    ]  # fmt: skip
    return sprint


def test_a_follower_measures_the_stored_start_on_the_servers_time() -> None:
    sprint = sprint_with_sections()
    facilitator_time = FakeClock()
    facilitator = MeetingClock(sprint, monotonic=facilitator_time.monotonic,
                               wall=facilitator_time.time)  # fmt: skip
    facilitator.start_meeting()
    facilitator_time.advance(42)
    # The follower's laptop clock is two minutes fast; the server's time corrects it.
    laptop = FakeClock(mono=5.0, wall=facilitator_time.wall + 120)
    follower = MeetingClock(sprint, monotonic=laptop.monotonic, wall=laptop.time)
    follower.following = True
    follower.resync(lambda: laptop.time() - 120)
    assert round(follower.reading().elapsed) == 42
    laptop.advance(10)
    facilitator_time.advance(10)
    assert round(follower.reading().elapsed) == round(facilitator.reading().elapsed) == 52


def test_a_follower_moves_nothing() -> None:
    sprint = sprint_with_sections()
    time = FakeClock()
    MeetingClock(sprint, monotonic=time.monotonic, wall=time.time).start_meeting()
    follower = MeetingClock(sprint, monotonic=time.monotonic, wall=time.time)
    follower.following = True
    time.advance(30)
    since = sprint.meeting_running_since
    follower.go_to(sprint.sections[1])  # looking at another section
    follower.checkpoint()  # the window closes
    assert sprint.meeting_section_id == 1
    assert sprint.meeting_running_since == since
    assert sprint.sections[0].actual_seconds == 0.0


def _follower_of(sprint: Sprint, time: FakeClock) -> MeetingClock:
    follower = MeetingClock(sprint, monotonic=time.monotonic, wall=time.time)
    follower.following = True
    return follower


def test_a_follower_joining_at_the_start_instant_counts_from_zero() -> None:
    sprint = sprint_with_sections()
    time = FakeClock()
    MeetingClock(sprint, monotonic=time.monotonic, wall=time.time).start_meeting()
    follower = _follower_of(sprint, time)
    follower.resync()
    assert follower.reading().elapsed == 0.0
    time.advance(5)
    assert follower.reading().elapsed == 5.0


def test_a_follower_of_a_paused_meeting_shows_the_banked_time_standing_still() -> None:
    sprint = sprint_with_sections()
    time = FakeClock()
    facilitator = MeetingClock(sprint, monotonic=time.monotonic, wall=time.time)
    facilitator.start_meeting()
    time.advance(20)
    facilitator.pause()
    follower = _follower_of(sprint, time)
    follower.resync()
    time.advance(30)
    reading = follower.reading()
    assert not reading.running and reading.elapsed == 20.0


def test_a_follower_of_a_meeting_not_started_shows_nothing_running() -> None:
    sprint = sprint_with_sections()
    time = FakeClock()
    follower = _follower_of(sprint, time)
    follower.resync()
    time.advance(30)
    reading = follower.reading()
    assert not reading.in_meeting and not reading.running and reading.meeting_elapsed == 0.0


def test_a_stale_running_start_after_the_meeting_ended_is_not_counted() -> None:
    sprint = sprint_with_sections()
    time = FakeClock()
    facilitator = MeetingClock(sprint, monotonic=time.monotonic, wall=time.time)
    facilitator.start_meeting()
    time.advance(20)
    facilitator.end_meeting()
    ended = facilitator.reading().meeting_elapsed
    # A read that caught the end half-way: the state says over, a running start is left.
    sprint.meeting_running_since = time.time() - 5
    sprint.meeting_section_id = sprint.sections[0].id
    follower = _follower_of(sprint, time)
    follower.resync()
    time.advance(30)
    reading = follower.reading()
    assert not reading.running and reading.meeting_elapsed == ended
