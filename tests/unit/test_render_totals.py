"""The meeting summary table (a section on time, over, under, the totals row), kept notes that
look like structure, and the small text helpers of sprintdesk.markdown.render."""

from __future__ import annotations

from datetime import date

import pytest

from sprintdesk.markdown.importer import parse_plan
from sprintdesk.markdown.render import (
    SUMMARY_TITLE,
    date_range,
    escape_note,
    meta_comment,
    plan_title,
    render_plan,
)
from sprintdesk.plan.model import AgendaSection, PlanNote, Priority, SectionKind, Sprint
from sprintdesk.plan.planning import create_sprint
from sprintdesk.plan.roster import add_team
from sprintdesk.plan.times import format_duration
from sprintdesk.storage.store import Store

HEADER = "| Section | Planned | Added | Actual | Difference |"


def _section(title: str, planned: int, added: int, actual: float, position: int) -> AgendaSection:
    return AgendaSection(
        kind=SectionKind.OTHER.value,
        title=title,
        timebox_seconds=planned,
        extension_seconds=added,
        actual_seconds=actual,
        position=position,
    )


def _summary_rows(store: Store, sections: list[AgendaSection]) -> list[str]:
    with store.unit_of_work() as session:
        sprint = create_sprint(session, "S 1/2", date(2026, 3, 2), date(2026, 3, 13), teams=[])
        sprint.sections = sections
        session.flush()
        body = render_plan(sprint).parts[0].markdown
    lines = body.splitlines()
    start = lines.index(HEADER)
    end = lines.index("</details>")
    return lines[start + 2 : end - 1]


def test_a_section_exactly_on_time_shows_plus_minus_zero(store: Store) -> None:
    # A signed column: zero reads as a difference too ("±0:00"), not as a time of 0:00.
    rows = _summary_rows(store, [_section("Retro", 600, 0, 600.0, 0)])
    assert rows[0] == "| Retro | 10:00 | 0:00 | 10:00 | ±0:00 |"


def test_a_section_on_time_with_its_extension_shows_plus_minus_zero(store: Store) -> None:
    rows = _summary_rows(store, [_section("Goals", 600, 120, 720.0, 0)])
    assert rows[0] == "| Goals | 10:00 | 2:00 | 12:00 | ±0:00 |"


def test_sections_over_and_under_their_time(store: Store) -> None:
    rows = _summary_rows(
        store,
        [
            _section("Over", 300, 60, 425.0, 0),
            _section("Under", 600, 0, 569.6, 1),  # 569.6 s is 9:29 completed, as the clock
        ],
    )
    assert rows[:2] == [
        "| Over | 5:00 | 1:00 | 7:05 | +1:05 |",
        "| Under | 10:00 | 0:00 | 9:29 | -0:31 |",
    ]


def test_the_totals_row_adds_up_every_column(store: Store) -> None:
    rows = _summary_rows(
        store,
        [
            _section("Outcomes", 600, 60, 700.0, 0),
            _section("Retro", 300, 0, 240.4, 1),
            _section("Goals", 900, 120, 1000.0, 2),
        ],
    )
    # planned 30:00, added 3:00, actual 700 + 240 + 1000 = 1940 s, 1940 - 1980 = -40 s
    assert rows[-1] == "| **Total** | 30:00 | 3:00 | 32:20 | -0:40 |"
    assert len(rows) == 4


def test_the_totals_row_of_a_meeting_that_ran_over(store: Store) -> None:
    rows = _summary_rows(
        store,
        [_section("Outcomes", 600, 0, 660.0, 0), _section("Retro", 300, 0, 300.0, 1)],
    )
    assert rows[-1] == "| **Total** | 15:00 | 0:00 | 16:00 | +1:00 |"


def test_the_totals_row_of_a_meeting_exactly_on_time(store: Store) -> None:
    rows = _summary_rows(
        store,
        [_section("Outcomes", 600, 0, 660.0, 0), _section("Retro", 300, 0, 240.0, 1)],
    )
    assert rows[-1] == "| **Total** | 15:00 | 0:00 | 15:00 | ±0:00 |"


def test_summary_titles_escape_pipes_and_an_empty_title_is_a_dash(store: Store) -> None:
    rows = _summary_rows(
        store,
        [_section("A | B", 60, 0, 60.0, 0), _section("  ", 60, 0, 0.0, 1)],
    )
    assert rows[0].startswith("| A \\| B | 1:00 |")
    assert rows[1] == "| - | 1:00 | 0:00 | — | -1:00 |"


def test_a_section_not_reached_shows_its_whole_time_as_under(store: Store) -> None:
    skipped = AgendaSection(kind=SectionKind.OTHER.value, title="Skipped", position=1)
    rows = _summary_rows(store, [_section("Ran", 60, 0, 30.0, 0), skipped])
    assert rows[1] == "| Skipped | 5:00 | 0:00 | — | -5:00 |"


def test_a_section_skipped_within_a_second_reads_0_00_and_one_never_reached_a_dash(
    store: Store,
) -> None:
    skipped = _section("Skipped", 300, 0, 0.4, 1)
    skipped.visited = True
    never = _section("Never", 300, 0, 0.0, 2)
    rows = _summary_rows(store, [_section("Ran", 60, 0, 30.0, 0), skipped, never])
    assert rows[1] == "| Skipped | 5:00 | 0:00 | 0:00 | -5:00 |"
    assert rows[2] == "| Never | 5:00 | 0:00 | — | -5:00 |"


def test_a_section_never_reached_reads_back_as_an_agenda_row() -> None:
    text = "\n".join(
        [
            "# Sprint S 1/2",
            "",
            "<details>",
            f"<summary>{SUMMARY_TITLE}</summary>",
            "",
            "| Section | Planned | Added | Actual | Difference |",
            "|---|---:|---:|---:|---:|",
            "| Ran | 1:00 | 0:00 | 0:30 | -0:30 |",
            "| Never | 5:00 | 0:00 | — | -5:00 |",
            "",
            "</details>",
        ]
    )
    agenda = parse_plan(text).agenda
    assert [(row.title, row.planned, row.actual) for row in agenda] == [
        ("Ran", 60, 30),
        ("Never", 300, 0),
    ]


def test_no_summary_before_any_time_is_recorded(store: Store) -> None:
    with store.unit_of_work() as session:
        sprint = create_sprint(session, "S 1/2", teams=[])
        sprint.sections = [_section("Retro", 600, 0, 0.0, 0)]
        session.flush()
        assert "Meeting summary" not in render_plan(sprint).parts[0].markdown


@pytest.mark.parametrize(
    ("line", "escaped"),
    [
        ("1. not a list", "1\\. not a list"),
        ("1) not a list", "1\\) not a list"),
        ("12. twelve", "12\\. twelve"),
        ("# not a heading", "\\# not a heading"),
        ("- not an item", "\\- not an item"),
        ("* not an item", "\\* not an item"),
        ("+ not an item", "\\+ not an item"),
        ("> not a quote", "\\> not a quote"),
        ("```", "\\```"),
        ("~~~", "\\~~~"),
        ("  plain words  ", "plain words"),
        ("1 apple", "1 apple"),
        ("a. b", "a. b"),
    ],
)
def test_escape_note(line: str, escaped: str) -> None:
    assert escape_note(line) == escaped


@pytest.mark.parametrize("line", ["1. first note line", "1) first note line", "2. then this"])
def test_a_kept_note_starting_like_a_numbered_list_reads_back_as_a_note(
    store: Store, line: str
) -> None:
    with store.unit_of_work() as session:
        sprint = create_sprint(session, "N 1/2", date(2026, 3, 2), date(2026, 3, 13), teams=[])
        sprint.priorities = [Priority(text="Stability", position=0)]
        sprint.notes = [PlanNote(section="priorities", text=line, position=0)]
        session.flush()
        body = render_plan(sprint).parts[0].markdown
    escaped = line[0] + "\\" + line[1:]
    assert f"1. Stability\n\n{escaped}" in body
    parsed = parse_plan(body)
    assert parsed.priorities == ["Stability"]


def test_format_duration() -> None:
    assert format_duration(0) == "0:00"
    assert format_duration(59.6) == "0:59"  # whole seconds completed, as the clock counts
    assert format_duration(65) == "1:05"
    assert format_duration(-30) == "-0:30"
    assert format_duration(-3601) == "-60:01"
    assert format_duration(3600) == "60:00"


def test_date_ranges() -> None:
    assert date_range(date(2026, 3, 10), date(2026, 3, 10)) == "Mar 10"
    assert date_range(date(2026, 3, 10), date(2026, 3, 11)) == "Mar 10-11"
    assert date_range(date(2026, 3, 30), date(2026, 4, 2)) == "Mar 30-Apr 2"
    # Same month of another year is not the same month.
    assert date_range(date(2025, 12, 30), date(2026, 12, 2)) == "Dec 30-Dec 2"


def test_meta_comment_keeps_template_and_known_dates() -> None:
    assert meta_comment("classic", None, None) == "<!-- sprintdesk:meta template=classic -->"
    assert (
        meta_comment("classic", date(2026, 3, 2), date(2026, 3, 13))
        == "<!-- sprintdesk:meta template=classic start=2026-03-02 end=2026-03-13 -->"
    )
    assert (
        meta_comment("x", None, date(2026, 3, 13))
        == "<!-- sprintdesk:meta template=x end=2026-03-13 -->"
    )


def test_plan_titles_without_an_end_or_a_name() -> None:
    assert plan_title(Sprint(name="7", start=date(2026, 3, 2))) == "Sprint 7 - from Mar 2"
    assert plan_title(Sprint(name="  ")) == "Sprint (unnamed)"
    assert plan_title(Sprint(name="SPRINT  9")) == "SPRINT 9"
    assert plan_title(Sprint(name="Sprinter", end=date(2026, 3, 2))) == "Sprint Sprinter"


def test_the_teams_heading_follows_the_template(store: Store) -> None:
    with store.unit_of_work() as session:
        team = add_team(session, "Core")
        sprint = create_sprint(session, "S 1/2", teams=[team])
        session.flush()
        body = render_plan(sprint).parts[0].markdown
    assert "Each team plans in its own comment below." in body


def test_a_rendered_plan_finds_its_parts_by_key(store: Store) -> None:
    with store.unit_of_work() as session:
        team = add_team(session, "Core")
        sprint = create_sprint(session, "S 1/2", teams=[team])
        session.flush()
        rendered = render_plan(sprint)
        key = f"team:{team.id}"
    part = rendered.part(key)
    assert part is not None and part.key == key and part.title == "Team Core"
    assert rendered.part("body") is rendered.parts[0]
    assert rendered.part("team:999") is None


def test_one_second_over_shows_plus(store: Store) -> None:
    rows = _summary_rows(store, [_section("Retro", 60, 0, 61.0, 0)])
    assert rows == [
        "| Retro | 1:00 | 0:00 | 1:01 | +0:01 |",
        "| **Total** | 1:00 | 0:00 | 1:01 | +0:01 |",
    ]


def test_one_second_recorded_is_enough_for_a_summary(store: Store) -> None:
    assert _summary_rows(store, [_section("Retro", 60, 0, 1.0, 0)])[0].startswith("| Retro |")


def test_notes_above_the_plan_and_a_section_the_template_leaves_out(store: Store) -> None:
    from sprintdesk.plan.model import RetroNote

    with store.unit_of_work() as session:
        sprint = create_sprint(session, "S 1/2", template="team-comments", teams=[])
        sprint.notes = [
            PlanNote(section=SectionKind.OTHER.value, text="a note up top", position=0),
            PlanNote(section=SectionKind.SUMMARY.value, text="a summary note", position=1),
        ]
        session.flush()
        body = render_plan(sprint).parts[0].markdown
        assert body.startswith("# Sprint S 1/2\n\na note up top\n\na summary note\n\n## ")
        assert "What can we do better" not in body  # team-comments has no retro section
        sprint.retro_notes = [RetroNote(kind="to_improve", text="Less", position=0)]
        session.flush()
        body = render_plan(sprint).parts[0].markdown
    assert "### Retro: What can we do better next sprint?\n\n1. Less" in body


def test_weekly_duties_cover_a_one_week_sprint() -> None:
    from sprintdesk.markdown.render import duties_cover_every_week

    one_week = Sprint(name="S", start=date(2026, 3, 2), end=date(2026, 3, 6))
    assert duties_cover_every_week(one_week, [1])
    assert not duties_cover_every_week(one_week, [2])
    assert not duties_cover_every_week(Sprint(name="Undated"), [1])


def test_an_untimed_section_is_planned_at_zero(store: Store) -> None:
    rows = _summary_rows(store, [_section("Free", 0, 0, 30.0, 0)])
    assert rows[0] == "| Free | 0:00 | 0:00 | 0:30 | +0:30 |"


def test_only_an_outcome_carried_before_says_so(store: Store) -> None:
    from sprintdesk.plan.model import OutcomeReview

    with store.unit_of_work() as session:
        sprint = create_sprint(session, "S 1/2", teams=[])
        sprint.outcomes = [
            OutcomeReview(title="Fresh", position=0),
            OutcomeReview(title="Again", was_carried=True, position=1),
        ]
        session.flush()
        body = render_plan(sprint).parts[0].markdown
    assert "1. **Fresh**\n    - Status: ⚪ Not started.\n2. **Again**" in body
    assert body.count("🔁 Carried over before") == 1


def test_a_section_the_template_leaves_out_is_shown_for_its_kept_notes(store: Store) -> None:
    with store.unit_of_work() as session:
        sprint = create_sprint(session, "S 1/2", template="team-comments", teams=[])
        sprint.notes = [PlanNote(section=SectionKind.RETRO.value, text="kept", position=0)]
        session.flush()
        body = render_plan(sprint).parts[0].markdown
    assert "### Retro: What can we do better next sprint?\n\nkept" in body


def test_the_body_ends_with_the_template_dates_and_marker(store: Store) -> None:
    with store.unit_of_work() as session:
        sprint = create_sprint(
            session, "S 1/2", date(2026, 3, 2), date(2026, 3, 13), template="team-comments"
        )
        session.flush()
        body = render_plan(sprint).parts[0].markdown
        uuid = sprint.uuid
    assert body.endswith(
        "\n\n<!-- sprintdesk:meta template=team-comments start=2026-03-02 end=2026-03-13 -->"
        f"\n<!-- sprintdesk:plan={uuid} -->\n"
    )


def test_a_sprint_of_an_unknown_template_renders_with_the_default(store: Store) -> None:
    with store.unit_of_work() as session:
        sprint = create_sprint(session, "S 1/2", teams=[])
        sprint.template = "retired-template"
        session.flush()
        body = render_plan(sprint).parts[0].markdown
    assert "## Global Sprint Planning" in body
    assert "template=classic" in body
