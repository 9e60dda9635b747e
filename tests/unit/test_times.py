"""One rounding rule and one formatter for every time figure (issue 14, item 27): the agenda,
the header, the summary page and the published summary read the same seconds the same way."""

from __future__ import annotations

from sprintdesk.plan.times import (
    NOT_REACHED,
    ON_TIME,
    format_countdown,
    format_delta,
    format_duration,
    format_spent,
    whole_seconds,
)


def test_time_spent_counts_whole_seconds_completed() -> None:
    assert whole_seconds(74.6) == 74
    assert whole_seconds(74.0) == 74
    assert whole_seconds(0.99) == 0
    assert whole_seconds(-74.6) == -74


def test_durations_are_m_ss_unpadded_and_pass_an_hour() -> None:
    assert format_duration(74.6) == "1:14"  # the agenda said 01:14, the summary 1:15
    assert format_duration(0) == "0:00"
    assert format_duration(9) == "0:09"
    assert format_duration(600) == "10:00"
    assert format_duration(4500) == "75:00"
    assert format_duration(-30.5) == "-0:30"


def test_a_difference_is_signed_and_zero_reads_plus_minus() -> None:
    assert format_delta(65) == "+1:05"
    assert format_delta(-30) == "-0:30"
    assert format_delta(0) == ON_TIME == "±0:00"
    assert format_delta(0.4) == "±0:00"


def test_spent_and_left_add_up_to_the_budget() -> None:
    # The countdown and the agenda's Actual agree at every fraction of a second.
    budget = 300
    for tenths in range(0, 3100, 7):
        elapsed = tenths / 10
        spent = format_duration(elapsed)
        left = format_countdown(elapsed, budget)
        minutes, seconds = spent.split(":")
        spent_s = int(minutes) * 60 + int(seconds)
        if left.startswith("+"):
            minutes, seconds = left[1:].split(":")
            assert spent_s - budget == int(minutes) * 60 + int(seconds)
        else:
            minutes, seconds = left.split(":")
            assert spent_s + int(minutes) * 60 + int(seconds) == budget


def test_the_countdown_turns_over_at_the_budget() -> None:
    assert format_countdown(0.0, 300) == "5:00"
    assert format_countdown(299.9, 300) == "0:01"
    assert format_countdown(300.0, 300) == "+0:00"
    assert format_countdown(365.2, 300) == "+1:05"


def test_a_reached_section_reads_its_time_even_zero_and_an_unreached_one_a_dash() -> None:
    assert format_spent(0.4, reached=True) == "0:00"
    assert format_spent(74.6, reached=True) == "1:14"
    assert format_spent(0.0, reached=False) == NOT_REACHED == "—"
