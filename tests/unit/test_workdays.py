"""Working-day arithmetic (sprintdesk.plan.workdays): weekdays, the next weekday, days off with
half days, and sprint weeks."""

from __future__ import annotations

from datetime import date

import pytest

from sprintdesk.plan.model import Sprint, TimeOff
from sprintdesk.plan.workdays import (
    days_off_in_sprint,
    next_weekday,
    sprint_week,
    week_count,
    working_days,
)

# Wed 5 March to Tue 18 March 2025: 10 working days; weeks start on Wednesdays.
START, END = date(2025, 3, 5), date(2025, 3, 18)


def test_working_days_skip_weekends_and_include_both_ends() -> None:
    days = working_days(date(2025, 3, 7), date(2025, 3, 10))  # Fri .. Mon
    assert days == [date(2025, 3, 7), date(2025, 3, 10)]
    assert len(working_days(START, END)) == 10
    assert working_days(START, START) == [START]


@pytest.mark.parametrize(
    ("start", "end"),
    [(None, END), (START, None), (None, None), (END, START), (date(2025, 3, 8), date(2025, 3, 9))],
    ids=["no-start", "no-end", "no-dates", "end-before-start", "a-weekend"],
)
def test_no_working_days(start: date | None, end: date | None) -> None:
    assert working_days(start, end) == []


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 3, 7), date(2025, 3, 7)),  # a Friday stays
        (date(2025, 3, 8), date(2025, 3, 10)),  # Saturday -> Monday
        (date(2025, 3, 9), date(2025, 3, 10)),  # Sunday -> Monday
        (date(2025, 3, 10), date(2025, 3, 10)),
    ],
)
def test_next_weekday(day: date, expected: date) -> None:
    assert next_weekday(day) == expected


def _off(person_id: int, start: date, end: date, half: bool = False) -> TimeOff:
    return TimeOff(person_id=person_id, start=start, end=end, half_day=half)


def test_days_off_count_working_days_inside_the_sprint_once() -> None:
    sprint = Sprint(name="S", start=START, end=END)
    entries = [
        _off(1, date(2025, 3, 3), date(2025, 3, 6)),  # Mon 3 .. Thu 6: only Wed, Thu count
        _off(1, date(2025, 3, 6), date(2025, 3, 10)),  # overlaps Thu; Fri, Mon are new
        _off(1, date(2025, 3, 19), date(2025, 3, 20)),  # after the sprint
        _off(2, START, END),  # somebody else
    ]
    assert days_off_in_sprint(sprint, 1, entries) == 4.0
    assert days_off_in_sprint(sprint, 2, entries) == 10.0
    assert days_off_in_sprint(sprint, 3, entries) == 0.0


@pytest.mark.parametrize("full_first", [True, False], ids=["full-then-half", "half-then-full"])
def test_a_full_day_off_wins_over_a_half_day(full_first: bool) -> None:
    sprint = Sprint(name="S", start=START, end=END)
    full = _off(1, date(2025, 3, 12), date(2025, 3, 12))
    half = _off(1, date(2025, 3, 12), date(2025, 3, 13), half=True)
    entries = [full, half] if full_first else [half, full]
    assert days_off_in_sprint(sprint, 1, entries) == 1.5


def test_two_half_days_on_one_date_are_half_a_day() -> None:
    sprint = Sprint(name="S", start=START, end=END)
    entries = [_off(1, START, START, half=True), _off(1, START, START, half=True)]
    assert days_off_in_sprint(sprint, 1, entries) == 0.5


def test_days_off_default_to_the_sprints_own_entries() -> None:
    sprint = Sprint(name="S", start=START, end=END)
    sprint.time_off = [_off(1, START, START), _off(2, START, END)]
    assert days_off_in_sprint(sprint, 1) == 1.0
    assert days_off_in_sprint(sprint, 1, []) == 0.0  # given entries replace the sprint's


def test_sprint_weeks_start_on_the_sprints_first_day() -> None:
    sprint = Sprint(name="S", start=START, end=END)
    assert sprint_week(sprint, START) == 1
    assert sprint_week(sprint, date(2025, 3, 11)) == 1  # the Tuesday after
    assert sprint_week(sprint, date(2025, 3, 12)) == 2
    assert sprint_week(sprint, END) == 2
    assert sprint_week(Sprint(name="Undated"), START) == 1


def test_week_count() -> None:
    assert week_count(Sprint(name="S", start=START, end=END)) == 2
    assert week_count(Sprint(name="S", start=START, end=START)) == 1
    assert week_count(Sprint(name="S", start=START, end=date(2025, 3, 26))) == 4  # 21 days on
    assert week_count(Sprint(name="S", start=START)) == 0
    assert week_count(Sprint(name="S", end=END)) == 0
    assert week_count(Sprint(name="S")) == 0
