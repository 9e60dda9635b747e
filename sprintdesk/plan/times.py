"""Time figures as SprintDesk shows them everywhere: one rounding rule and one formatter.

The rule is a stopwatch's: time spent counts in whole seconds *completed* (74.6 s reads 1:14
until the 75th second is over). Every other figure is whole-second arithmetic on that, so the
figures on screen add up: the countdown is the budget minus the seconds spent (a 5:00 section
at 1:14 shows 3:46 left, and 1:14 + 3:46 = 5:00), a total is the sum of its rows, and a
difference is actual minus planned minus added. Rounding to the nearest second instead would
show 1:15 spent beside 3:46 left.

A section's time spent reads ``m:ss`` once the meeting has reached it, ``0:00`` too (a section
skipped within its first second was visited), and ``—`` while it has not
(:func:`format_spent`): the agenda and the summary page say it the same way.

The format is ``m:ss``: minutes unpadded and allowed past 59 (``75:00``), seconds always two
digits; a duration below zero gets a ``-``. A difference (:func:`format_delta`) is signed:
``+1:05`` over, ``-0:30`` under, and ``±0:00`` for exactly on time, so a column of differences
reads as one whatever the figure.

Qt-free and cheap to import: the meeting clock is on the window's first-paint path.
"""

from __future__ import annotations

import math

ON_TIME = "±0:00"
NOT_REACHED = "—"


def whole_seconds(seconds: float) -> int:
    """The whole seconds completed in ``seconds`` (below zero: the negative of those of its
    size, so -74.6 s is -1:14 as 74.6 s is 1:14)."""
    if seconds < 0:
        return -math.floor(-seconds)
    return math.floor(seconds)


def format_duration(seconds: float) -> str:
    """``m:ss`` for the whole seconds completed: ``0:59``, ``1:05``, ``75:00``, ``-0:30``."""
    total = whole_seconds(seconds)
    sign = "-" if total < 0 else ""
    total = abs(total)
    return f"{sign}{total // 60}:{total % 60:02d}"


def format_delta(seconds: float) -> str:
    """A signed difference: ``+1:05``, ``-0:30``, or ``±0:00`` when it is none at all."""
    total = whole_seconds(seconds)
    if total == 0:
        return ON_TIME
    return ("+" if total > 0 else "") + format_duration(total)


def format_countdown(elapsed: float, budget: int) -> str:
    """What is left of ``budget`` after ``elapsed`` seconds (``4:59``), or ``+m:ss`` over once
    it is used up (the budget's last second reads ``0:01``; at the budget itself ``+0:00``)."""
    spent = whole_seconds(elapsed)
    if spent >= budget:
        return "+" + format_duration(spent - budget)
    return format_duration(budget - spent)


def format_spent(seconds: float, *, reached: bool) -> str:
    """A section's time spent: ``m:ss`` once the meeting has reached it (``0:00`` for one
    skipped within a second), ``—`` for one it has not reached yet."""
    return format_duration(seconds) if reached else NOT_REACHED
