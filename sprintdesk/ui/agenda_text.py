"""The agenda's cell texts, shared by its item model and the window's first frame.

No Qt here: the first frame (see :mod:`sprintdesk.storage.opening`) fills a plain item model
with these
texts before the model class, and with it the ``Qt`` namespace, is loaded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from sprintdesk.plan.meeting import SectionState, format_duration
from sprintdesk.plan.times import format_spent

if TYPE_CHECKING:
    from sprintdesk.plan.meeting import MeetingClock

HEADERS = ("Section", "Timebox", "History", "Actual", "State")
STATE_WORDS = {
    SectionState.UPCOMING: "upcoming",
    SectionState.CURRENT: "current",
    SectionState.DONE: "done",
    SectionState.OVERRAN: "overran",
}
OVERRAN_COLOUR = "#c62828"
DONE_COLOUR = "#6b7280"


class TimedSection(Protocol):
    id: int
    title: str
    timebox_seconds: int
    extension_seconds: int
    actual_seconds: float


def minutes_text(seconds: int) -> str:
    """``10 min``, or ``1:30`` when the timebox is not whole minutes."""
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    return format_duration(seconds)


def timebox_text(section: TimedSection) -> str:
    """``10 min``; extended in the meeting, compact (``10+5``: the column stays narrow and
    the section titles keep their room; the cell's tooltip says it in words)."""
    if not section.extension_seconds:
        return minutes_text(section.timebox_seconds)
    seconds = section.timebox_seconds
    planned = str(seconds // 60) if seconds % 60 == 0 else format_duration(seconds)
    return f"{planned}+{section.extension_seconds // 60}"


def suggestion_text(suggested: int | None) -> str:
    return f"≈ {minutes_text(round(suggested / 60) * 60 or 60)}" if suggested else ""


def actual_text(section: TimedSection, state: SectionState, clock: MeetingClock | None) -> str:
    # One rule with the summary page (plan.times.format_spent): a section the meeting has
    # been in reads m:ss, 0:00 included; one it has not reached reads "—".
    if state is SectionState.UPCOMING:
        return format_spent(0.0, reached=False)
    spent = clock.elapsed(section) if clock is not None else section.actual_seconds  # type: ignore[arg-type]
    return format_spent(spent, reached=True)


def state_colour(state: SectionState) -> str | None:
    if state is SectionState.OVERRAN:
        return OVERRAN_COLOUR
    if state is SectionState.DONE:
        return DONE_COLOUR
    return None
