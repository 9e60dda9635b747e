"""Working-day arithmetic for a sprint: weekdays, days off (with half days), sprint weeks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from sprintdesk.plan.model import Sprint, TimeOff


def working_days(start: date | None, end: date | None) -> list[date]:
    """Monday-to-Friday dates from ``start`` to ``end`` inclusive."""
    if start is None or end is None or end < start:
        return []
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def days_off_in_sprint(
    sprint: Sprint, person_id: int, entries: Iterable[TimeOff] | None = None
) -> float:
    """Working days the person is off during the sprint; overlapping ranges count once and a
    half day counts 0.5 (a full day off on the same date wins)."""
    sprint_days = set(working_days(sprint.start, sprint.end))
    off: dict[date, float] = {}
    for entry in entries if entries is not None else sprint.time_off:
        if entry.person_id != person_id:
            continue
        for day in working_days(entry.start, entry.end):
            if day in sprint_days:
                off[day] = max(off.get(day, 0.0), 0.5 if entry.half_day else 1.0)
    return sum(off.values())


def sprint_week(sprint: Sprint, day: date) -> int:
    """1-based week of the sprint a date falls in (week 1 starts on the sprint's start)."""
    if sprint.start is None:
        return 1
    return (day - sprint.start).days // 7 + 1


def week_count(sprint: Sprint) -> int:
    if sprint.start is None or sprint.end is None:
        return 0
    return sprint_week(sprint, sprint.end)
