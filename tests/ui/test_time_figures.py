"""Time figures agree everywhere (issue 14, item 27): the agenda, the header, the summary page
and the published summary read the same seconds with one rounding rule and one format, an
extended timebox is never elided in the agenda, and "planned" means the same in the header and
the summary (the timeboxes as planned; what the meeting added is said apart)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from sprintdesk.markdown.render import render_plan
from sprintdesk.plan.model import SectionKind
from sprintdesk.ui.agenda_model import COL_ACTUAL, COL_TIMEBOX
from sprintdesk.views.models import SectionTimesModel


def _elided(view, column: int) -> bool:
    return view.columnWidth(column) < view.sizeHintForColumn(column)


def test_agenda_header_summary_and_markdown_agree(qtbot, demo_window) -> None:
    win, fake = demo_window
    qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    clock = win.clock
    assert clock is not None and clock.in_meeting
    sections = win.doc.sprint.sections
    first = sections[0]
    planned = sum(s.timebox_seconds for s in sections)
    fake.advance(74.6)
    win.tick()
    model = win.agenda_model
    # 74.6 s: 1:14 spent (the agenda said 01:14 and the summary 1:15), and the countdown is
    # the rest of the budget to the second.
    assert model.index(0, COL_ACTUAL).data() == "1:14"
    left = first.timebox_seconds - 74
    assert win.header.countdown.text() == f"{left // 60}:{left % 60:02d}"
    header = win.header.meeting_elapsed.text()
    assert header == f"Meeting 1:14 of {planned // 60}:00 planned"

    # +5 min: the agenda shows the extension in full, the header says it apart from the plan.
    qtbot.keyClick(win, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert model.index(0, COL_TIMEBOX).data().endswith("+5")
    assert not _elided(win.agenda_view, COL_TIMEBOX)
    assert win.header.meeting_elapsed.text() == (
        f"Meeting 1:14 of {planned // 60}:00 planned + 5:00 added"
    )
    # Ten minutes and more in a section: the Actual column has the room (its header is wider).
    fake.advance(600)
    win.tick()
    assert model.index(0, COL_ACTUAL).data() == "11:14"
    assert not _elided(win.agenda_view, COL_ACTUAL)

    # The section ends at 11:14; the summary page says the same planned total as the header.
    qtbot.keyClick(win, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    summary = next(s for s in sections if s.kind == SectionKind.SUMMARY.value)
    win.show_section(summary)
    qtbot.waitUntil(lambda: hasattr(win.pages.currentWidget(), "times_model"))
    times = win.pages.currentWidget().times_model
    assert isinstance(times, SectionTimesModel)
    total = times.rowCount() - 1
    assert times.index(total, SectionTimesModel.COL_PLANNED).data() == f"{planned // 60}:00"
    assert times.index(total, SectionTimesModel.COL_ADDED).data() == "5:00"
    assert times.index(0, SectionTimesModel.COL_ACTUAL).data() == "11:14"
    # 11:14 against 10:00 + 5:00: 3:46 under, the same figure the published summary gives.
    under = first.timebox_seconds + 300 - 674
    expected = f"{under // 60}:{under % 60:02d}"
    assert times.index(0, SectionTimesModel.COL_DIFFERENCE).data() == f"{expected} under"
    body = render_plan(win.doc.sprint).parts[0].markdown
    row = next(line for line in body.splitlines() if line.startswith(f"| {first.title} |"))
    assert row.endswith(f"| 5:00 | 11:14 | -{expected} |")
    total_row = next(line for line in body.splitlines() if line.startswith("| **Total** |"))
    assert f"| {planned // 60}:00 | 5:00 |" in total_row


def test_the_summary_counts_its_own_time_as_soon_as_the_meeting_ends(qtbot, demo_window) -> None:
    win, fake = demo_window
    qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    clock = win.clock
    assert clock is not None and clock.in_meeting
    sections = win.doc.sprint.sections
    summary = next(s for s in sections if s.kind == SectionKind.SUMMARY.value)
    row = sections.index(summary)
    while clock.current is not summary:
        fake.advance(30)
        win.next_section()
    qtbot.waitUntil(lambda: hasattr(win.pages.currentWidget(), "times_model"))
    fake.advance(70)
    win.tick()
    win.meeting.end_meeting()
    # The page on screen shows the summary's own 1:10 at once, and the total counts it.
    times = win.pages.currentWidget().times_model
    assert times.index(row, SectionTimesModel.COL_ACTUAL).data() == "1:10"
    spent = 30 * row + 70
    total = times.rowCount() - 1
    assert (
        times.index(total, SectionTimesModel.COL_ACTUAL).data() == f"{spent // 60}:{spent % 60:02d}"
    )


def test_a_section_exactly_on_time_reads_plus_minus_zero(qtbot, demo_window) -> None:
    win, fake = demo_window
    qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    first = win.doc.sprint.sections[0]
    fake.advance(first.timebox_seconds + 0.4)
    qtbot.keyClick(win, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    times = SectionTimesModel()
    times.set_sections(win.doc.sprint.sections)
    assert times.index(0, SectionTimesModel.COL_DIFFERENCE).data() == "±0:00"
    assert (
        times.index(0, SectionTimesModel.COL_DIFFERENCE).data(Qt.ItemDataRole.ForegroundRole)
        is None
    )
    body = render_plan(win.doc.sprint).parts[0].markdown
    row = next(line for line in body.splitlines() if line.startswith(f"| {first.title} |"))
    assert row.endswith("| ±0:00 |")


def _summary_times(qtbot, win) -> SectionTimesModel:
    summary = next(s for s in win.doc.sprint.sections if s.kind == SectionKind.SUMMARY.value)
    win.show_section(summary)
    qtbot.waitUntil(lambda: hasattr(win.pages.currentWidget(), "times_model"))
    times = win.pages.currentWidget().times_model
    assert isinstance(times, SectionTimesModel)
    return times


def test_the_summary_counts_the_running_section_as_the_header_does(qtbot, demo_window) -> None:
    # The confirming walk-through: while the clock ran, the summary's total left out the
    # current section (banked only on leaving it): header 1:51 against a total of 1:49.
    win, fake = demo_window
    qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    for _ in range(2):
        fake.advance(30)
        qtbot.keyClick(win, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    running = win.clock.current
    row = win.doc.sprint.sections.index(running)
    fake.advance(45.3)
    times = _summary_times(qtbot, win)  # looked at while the third section runs
    total = times.rowCount() - 1

    def actual(r: int) -> str:
        return times.index(r, SectionTimesModel.COL_ACTUAL).data()

    assert actual(row) == "0:45"
    assert actual(total) == "1:45"
    assert win.header.meeting_elapsed.text().startswith("Meeting 1:45 of ")
    fake.advance(20)
    win.tick()  # the page follows the clock second by second
    assert actual(row) == "1:05"
    assert actual(total) == "2:05"
    assert win.header.meeting_elapsed.text().startswith("Meeting 2:05 of ")
    under = running.timebox_seconds - 65
    assert times.index(row, SectionTimesModel.COL_DIFFERENCE).data() == (
        f"{under // 60}:{under % 60:02d} under"
    )


def test_a_section_skipped_within_a_second_reads_0_00_in_agenda_and_summary(
    qtbot, demo_window
) -> None:
    # One rule (plan.times.format_spent): a section the meeting was in reads 0:00 even when
    # left within its first second; one it never reached reads "—", in both places.
    win, fake = demo_window
    qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    fake.advance(0.4)
    qtbot.keyClick(win, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    sections = win.doc.sprint.sections
    first = sections[0]
    never = sections.index(next(s for s in sections if s.kind == SectionKind.TEAM.value))
    agenda = win.agenda_model
    assert agenda.index(0, COL_ACTUAL).data() == "0:00"
    assert agenda.index(never, COL_ACTUAL).data() == "—"
    times = _summary_times(qtbot, win)
    assert times.index(0, SectionTimesModel.COL_ACTUAL).data() == "0:00"
    assert times.index(0, SectionTimesModel.COL_DIFFERENCE).data() == (
        f"{first.timebox_seconds // 60}:00 under"
    )
    assert times.index(never, SectionTimesModel.COL_ACTUAL).data() == "—"
    assert times.index(never, SectionTimesModel.COL_DIFFERENCE).data() == "—"
