"""The meeting clock: a Qt-free state machine over a sprint's agenda.

Elapsed time is always computed from an injected monotonic clock (never by counting ticks), so
after ten simulated minutes the display is exact and paused time is excluded. Every change is
written straight into the mapped ``Sprint``/``AgendaSection`` objects: the caller only has to
commit them. A running section is also recorded as a wall-clock epoch
(``Sprint.meeting_running_since``), because a monotonic clock does not survive a restart: after
a crash, a kill or a restart the clock resumes on the same section with the time that passed in
the meantime counted, as it was in the meeting room.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, NamedTuple

from sprintdesk.plan.times import format_countdown, format_duration, whole_seconds
from sprintdesk.plan.vocabulary import SprintState

if TYPE_CHECKING:
    from datetime import datetime

    from sprintdesk.plan.model import AgendaSection, Sprint

Clock = Callable[[], float]

# The sprint states the clock moves between, as the plain strings the sprint stores.
DRAFT = SprintState.DRAFT.value
IN_MEETING = SprintState.IN_MEETING.value
PLANNED = SprintState.PLANNED.value


def meeting_state(state: str) -> str:
    """The meeting's state of a sprint: draft, in meeting or planned.

    Publishing is recorded apart (``Sprint.published_at``, the issue number), so a draft can be
    published, then met, then published again. Databases from before kept "published" as a
    state, which ended the meeting for good; such a sprint reads as planned: readable, and its
    meeting can be started (or resumed) again."""
    return PLANNED if state == SprintState.PUBLISHED.value else state


def meeting_was_held(sprint: Sprint) -> bool:
    """The sprint's meeting has run: it has a start time, or (a database from before start
    times were kept, or an older demo) a section has been visited. Starting such a meeting
    again resumes it, and it never reads as "Ctrl+Enter starts the meeting"."""
    if sprint.meeting_started_at is not None:
        return True
    if sprint.state == DRAFT:
        return False
    from sqlalchemy.orm import object_session

    # Read on every tick: never flush the window's pending edits here (that would hold the
    # database's write lock until the autosave commits).
    session = object_session(sprint)
    if session is None:
        return any(section.visited for section in sprint.sections)
    with session.no_autoflush:
        return any(section.visited for section in sprint.sections)


AMBER_FRACTION = 0.8  # the countdown turns amber at 80% of the section's budget


class Phase(StrEnum):
    """How the current section stands against its budget (timebox + extensions)."""

    NORMAL = "normal"
    AMBER = "amber"
    OVERRUN = "overrun"


class SectionState(StrEnum):
    """A section's place in the meeting, as the agenda shows it."""

    UPCOMING = "upcoming"
    CURRENT = "current"
    DONE = "done"
    OVERRAN = "overran"


class Reading(NamedTuple):
    """What the clock shows at one instant (a named tuple: this module is on the window's
    first-paint path, where ``dataclasses`` is not loaded yet; ``python -m bench startup``
    prints what that saves, above the 2 ms a start-up trick must buy to stay)."""

    section_id: int | None
    title: str
    elapsed: float
    budget: int
    running: bool
    in_meeting: bool
    meeting_elapsed: float
    meeting_planned: int
    meeting_added: int = 0  # the extensions given in the meeting, beside the planned timeboxes

    @property
    def remaining(self) -> float:
        return self.budget - self.elapsed

    @property
    def phase(self) -> Phase:
        return phase_for(self.elapsed, self.budget)

    @property
    def countdown(self) -> str:
        """``m:ss`` left, or ``+m:ss`` over once the budget is used up."""
        return format_countdown(self.elapsed, self.budget)

    @property
    def progress(self) -> float:
        """Fraction of the budget used, capped at 1."""
        if self.budget <= 0:
            return 1.0
        return min(1.0, max(0.0, self.elapsed / self.budget))


def phase_for(elapsed: float, budget: int) -> Phase:
    if elapsed >= budget:
        return Phase.OVERRUN
    if elapsed >= AMBER_FRACTION * budget:
        return Phase.AMBER
    return Phase.NORMAL


# The one rounding rule and formatter (see :mod:`sprintdesk.plan.times`), named here too for
# the clock's callers.
__all__ = ["format_countdown", "format_duration"]


def budget_of(section: AgendaSection) -> int:
    return int(section.timebox_seconds or 0) + int(section.extension_seconds or 0)


class MeetingClock:
    """The agenda's clock for one sprint.

    ``monotonic`` measures time while the process lives; ``wall`` (epoch seconds) is only used
    to persist a running section and to restore it after a restart.
    """

    def __init__(
        self,
        sprint: Sprint,
        *,
        monotonic: Clock = time.monotonic,
        wall: Clock = time.time,
    ) -> None:
        self.sprint = sprint
        self._mono = monotonic
        self._wall = wall
        self._run_start: float | None = None  # monotonic start of the current run
        # On a team database another window may drive this meeting: this clock then only
        # follows what that window stores (resync), and going to a section is just looking.
        self.following = False
        self._restore()

    # --- state --------------------------------------------------------------------------

    @property
    def in_meeting(self) -> bool:
        return self.sprint.state == IN_MEETING

    @property
    def running(self) -> bool:
        return self._run_start is not None

    @property
    def sections(self) -> list[AgendaSection]:
        return list(self.sprint.sections)

    @property
    def current(self) -> AgendaSection | None:
        wanted = self.sprint.meeting_section_id
        if wanted is None:
            return None
        for section in self.sprint.sections:
            if section.id == wanted:
                return section
        return None

    def elapsed(self, section: AgendaSection | None = None) -> float:
        """Seconds spent on ``section`` (default: the current one), the running part included."""
        current = self.current
        section = section or current
        if section is None:
            return 0.0
        spent = float(section.actual_seconds or 0.0)
        if section is current and self._run_start is not None:
            spent += max(0.0, self._mono() - self._run_start)
        return spent

    def reading(self) -> Reading:
        current = self.current
        running_part = 0.0
        if current is not None and self._run_start is not None:
            running_part = max(0.0, self._mono() - self._run_start)
        # The meeting's time is the sum of its sections' whole seconds, as the summary adds
        # them up, so the header and the summary's total never differ by a second.
        total = 0
        planned = added = 0
        for section in self.sprint.sections:
            spent = float(section.actual_seconds or 0.0)
            if section is current:
                spent += running_part
            total += whole_seconds(spent)
            planned += int(section.timebox_seconds or 0)
            added += int(section.extension_seconds or 0)
        return Reading(
            section_id=current.id if current is not None else None,
            title=current.title if current is not None else "",
            elapsed=(float(current.actual_seconds or 0.0) + running_part) if current else 0.0,
            budget=budget_of(current) if current is not None else 0,
            running=self._run_start is not None,
            in_meeting=self.in_meeting,
            meeting_elapsed=float(total),
            meeting_planned=planned,
            meeting_added=added,
        )

    def section_state(self, section: AgendaSection) -> SectionState:
        current = self.current
        if current is not None and section.id == current.id and self.in_meeting:
            return SectionState.CURRENT
        if not section.visited:
            return SectionState.UPCOMING
        if self.elapsed(section) > budget_of(section):
            return SectionState.OVERRAN
        return SectionState.DONE

    # --- the meeting ----------------------------------------------------------------------

    def start_meeting(self) -> None:
        """Enter meeting mode and start the clock on the first section.

        A draft starts from zero; a sprint whose meeting was ended resumes where it stopped.
        """
        sections = self.sections
        if not sections or self.in_meeting:
            return
        fresh = self.sprint.state == DRAFT or not meeting_was_held(self.sprint)
        if fresh:
            for section in sections:
                section.actual_seconds = 0.0
                section.extension_seconds = 0
                section.visited = False
            self.sprint.meeting_started_at = self._now()
            self.sprint.meeting_ended_at = None
            target = sections[0]
        else:
            target = self.current or sections[0]
        self.sprint.state = IN_MEETING
        self._enter(target)
        self.start()

    def end_meeting(self) -> None:
        """Stop the clock and mark the sprint planned."""
        if not self.in_meeting:
            return
        self.pause()
        self.sprint.state = PLANNED
        self.sprint.meeting_ended_at = self._now()

    def start(self) -> None:
        if not self.in_meeting or self.current is None or self._run_start is not None:
            return
        self._run_start = self._mono()
        self.sprint.meeting_running_since = self._wall()

    def pause(self) -> None:
        if self._run_start is None:
            return
        self._bank()
        self._run_start = None
        self.sprint.meeting_running_since = None

    def toggle(self) -> None:
        if self.running:
            self.pause()
        else:
            self.start()

    def go_to(self, section: AgendaSection) -> None:
        """Make ``section`` current; a running clock keeps running on it."""
        if not self.in_meeting or self.following:
            return
        current = self.current
        if current is not None and current.id == section.id:
            return
        was_running = self.running
        self.pause()
        self._enter(section)
        if was_running:
            self.start()

    def next(self) -> bool:
        return self._step(+1)

    def previous(self) -> bool:
        return self._step(-1)

    def extend(self, seconds: int) -> None:
        """Give the current section more time (+1 min, +5 min); the timebox stays as planned."""
        current = self.current
        if current is None or not self.in_meeting:
            return
        current.extension_seconds = int(current.extension_seconds or 0) + int(seconds)

    def restart_section(self) -> None:
        """Start the current section over: no time spent, no extension."""
        current = self.current
        if current is None or not self.in_meeting:
            return
        current.actual_seconds = 0.0
        current.extension_seconds = 0
        if self._run_start is not None:
            self._run_start = self._mono()
            self.sprint.meeting_running_since = self._wall()

    def checkpoint(self) -> None:
        """Bank the running time into ``actual_seconds`` (keeps running); for saving on exit.
        A following clock banks nothing: the time is the facilitator's to write."""
        if self._run_start is None or self.following:
            return
        self._bank()
        self._run_start = self._mono()
        self.sprint.meeting_running_since = self._wall()

    def resync(self, wall: Clock | None = None) -> None:
        """Take the stored state as it is now (another window drives the meeting and its
        values were just read again): the running part is measured again from the stored
        start instant, on ``wall`` if given (the server's clock, so no two computers drift)."""
        if wall is not None:
            self._wall = wall
        self._run_start = None
        since = self.sprint.meeting_running_since
        if self.in_meeting and since is not None and self.current is not None:
            self._run_start = self._mono() - max(0.0, self._wall() - since)

    # --- internals ------------------------------------------------------------------------

    def _step(self, delta: int) -> bool:
        sections = self.sections
        current = self.current
        if not self.in_meeting or not sections:
            return False
        index = sections.index(current) if current in sections else -1
        target = index + delta
        if not 0 <= target < len(sections):
            return False
        self.go_to(sections[target])
        return True

    def _enter(self, section: AgendaSection) -> None:
        self.sprint.meeting_section_id = section.id
        section.visited = True

    def _bank(self) -> None:
        current = self.current
        if current is not None and self._run_start is not None:
            spent = max(0.0, self._mono() - self._run_start)
            current.actual_seconds = float(current.actual_seconds or 0.0) + spent

    def _restore(self) -> None:
        since = self.sprint.meeting_running_since
        if not self.in_meeting:
            return
        if self.current is None and self.sprint.sections:
            self._enter(self.sprint.sections[0])
        if since is not None and self.current is not None:
            # The wall clock may have gone backwards (NTP, a changed time zone): never negative.
            already = max(0.0, self._wall() - since)
            self._run_start = self._mono() - already

    def _now(self) -> datetime:
        from datetime import datetime

        return datetime.fromtimestamp(self._wall())
