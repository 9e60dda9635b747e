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
