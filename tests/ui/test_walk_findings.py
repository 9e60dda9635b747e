"""Layout and keyboard findings of the newcomer's second walk (issue 14): nothing moves when the
clock pauses or time runs out, long unbroken names do not squeeze the agenda, the meeting keys
work from any field, and the smaller states (paused mini timer, a capped timebox, a typed date)
say what they are."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtWidgets import QApplication, QWidget

from sprintdesk.storage.store import Store
from sprintdesk.ui.main_window import MainWindow
from sprintdesk.views.widgets import FindingLabel
from tests.clocks import FakeClock

Factory = Callable[..., MainWindow]


@pytest.fixture
def fake() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_window(qtbot, ui_settings: QSettings, fake: FakeClock) -> Iterator[Factory]:
    made: list[MainWindow] = []

    def make(store: Store, width: int = 1280, height: int = 720) -> MainWindow:
        window = MainWindow(store, monotonic=fake.monotonic, wall=fake.time, settings=ui_settings)
        qtbot.addWidget(window)
        window.resize(width, height)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        made.append(window)
        return window

    yield make
    for window in made:
        if window.mini_timer is not None:
            window.mini_timer.close()


def _settle(window: MainWindow) -> None:
    for _ in range(3):
        QApplication.processEvents()
        window.header.layout().activate()
        window.planning_area.layout().activate()


def _box(window: MainWindow, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _start(qtbot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.clock is not None and window.clock.in_meeting


# --- F5: pausing moves nothing -----------------------------------------------------------


def test_pausing_and_resuming_moves_neither_agenda_nor_page(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    window = make_window(demo_store)
    _start(qtbot, window)
    _settle(window)
    running = (_box(window, window.agenda_view), _box(window, window.pages))
    qtbot.keyClick(window, Qt.Key.Key_Space)  # pause
    assert not window.clock.running
    _settle(window)
    assert window.banner.isVisible()
    assert window.clock.current.title in window.banner.message()
    assert (_box(window, window.agenda_view), _box(window, window.pages)) == running
    qtbot.keyClick(window, Qt.Key.Key_Space)  # resume
    assert window.clock.running
    _settle(window)
    assert window.banner.isHidden()
    assert (_box(window, window.agenda_view), _box(window, window.pages)) == running


def test_the_paused_banner_keeps_one_line_for_a_long_title(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    window = make_window(demo_store, 900, 700)
    _start(qtbot, window)
    section = window.clock.current
    window.doc.set_attr(section, "title", "Team " + "Platform " * 30, "Rename")
    qtbot.keyClick(window, Qt.Key.Key_Space)
    _settle(window)
    label = window.banner.label
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
    assert label.toolTip() == window.banner.message()
    assert label.height() < 2 * label.fontMetrics().lineSpacing()


# --- F20a: the "Time's up" badge moves no button; Start/End meeting at the row's right end --


# Presenting, the header shows no buttons; the badge must not move the countdown either.
@pytest.mark.parametrize("presenting", [False, True])
def test_times_up_moves_no_button_of_the_header(
    qtbot, demo_store: Store, make_window: Factory, fake: FakeClock, presenting: bool
) -> None:
    from PySide6.QtWidgets import QAbstractButton

    window = make_window(demo_store)
    window.set_presentation(presenting)
    if presenting:
        qtbot.waitUntil(lambda: window.size() == window.screen().size())
    _start(qtbot, window)
    _settle(window)
    header = window.header

    def buttons() -> dict[str, QRect]:
        found = header.controls.findChildren(QAbstractButton)
        shown = {b.objectName(): _box(window, b) for b in found if b.isVisible()}
        return {**shown, "countdown": _box(window, header.countdown)}

    before = buttons()
    assert presenting or "meetingButton" in before
    fake.advance(605)  # past the first section's 10 minutes
    window.tick()
    assert header.times_up.isVisible()
    _settle(window)
    assert buttons() == before
    window.tick()  # the badge pulses
    _settle(window)
    assert buttons() == before


@pytest.mark.parametrize(("width", "preview"), [(1920, False), (1280, False), (1280, True)])
def test_the_meeting_button_sits_at_the_right_end_of_its_row(
    qtbot, demo_store: Store, make_window: Factory, width: int, preview: bool
) -> None:
    from PySide6.QtWidgets import QAbstractButton

    window = make_window(demo_store, width, 720)
    if preview:
        window.features.toggle_preview()
        qtbot.waitUntil(lambda: window.features.preview_dock.isVisible())
    for meeting in (False, True):
        if meeting:
            _start(qtbot, window)
        _settle(window)
        header = window.header
        button = header.meeting_button
        controls = header.controls
        right = controls.contentsRect().right()
        assert button.geometry().right() == right, button.text()
        others = [
            b for b in controls.findChildren(QAbstractButton) if b.isVisible() and b is not button
        ]
        assert others
        same_row = [b for b in others if b.geometry().top() == button.geometry().top()]
        # The buttons of its row keep to the left, apart from it.
        assert all(b.geometry().right() < button.geometry().left() for b in same_row)


# --- F10: a 200-character name without a space squeezes nothing ----------------------------


def _agenda_intact(window: MainWindow, agenda_width: int) -> None:
    view = window.agenda_view
    assert view.width() >= agenda_width
    for column in range(view.model().columnCount()):
        assert not view.isColumnHidden(column)
        left = view.columnViewportPosition(column)
        assert left >= 0 and left + view.columnWidth(column) <= view.viewport().width(), column
    page = _box(window, window.pages)
    assert page.right() <= window.rect().right()


@pytest.mark.parametrize("presenting", [False, True])
def test_an_unbroken_200_character_name_keeps_the_agenda_and_page_on_screen(
    qtbot, demo_store: Store, make_window: Factory, presenting: bool
) -> None:
    window = make_window(demo_store)
    _settle(window)
    agenda_width = window.agenda_view.width()
    name = "Team " + "Z" * 195  # as an import brings it: no space, no punctuation
    sprint_id = window.doc.sprint.id
    section = next(s for s in window.doc.sprint.sections if s.kind == "team")
    window.doc.set_attr(section, "title", name, "Rename")
    plan = section.team_plan
    window.doc.set_attr(plan.team, "name", name[5:], "Rename")
    window.doc.set_attr(plan, "support_hero", None, "No hero")  # a warning names the team
    window.show_section(section)
    window.set_presentation(presenting)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280)
    page = window.pages.currentWidget()
    qtbot.waitUntil(page.isVisible)
    _settle(window)
    _agenda_intact(window, agenda_width)
    title = page.title_label
    assert title.toolTip() == name and title.accessibleName() == name
    if not presenting:  # presenting, the header shows the title (see test_main_window)
        shown = title.fontMetrics().boundingRect(title.contentsRect(), 0x1000, title.text())
        assert shown.width() <= title.contentsRect().width()  # wrapped, not cut at the right
    # The page's warnings name the team too: they wrap, the page needs no sideways scrolling.
    assert page.scroll_area.horizontalScrollBar().maximum() == 0
    window.set_presentation(False)
    # The summary's plan checks name the team: wrapped, no sideways scrolling.
    window.show_section(window.doc.sprint.sections[-1])
    summary = window.pages.currentWidget()
    qtbot.waitUntil(
        lambda: any(name[5:] in f.accessibleName() for f in summary.findChildren(FindingLabel))
    )
    _settle(window)
    _agenda_intact(window, agenda_width)
    assert summary.scroll_area.horizontalScrollBar().maximum() == 0
    # Another sprint, and back: the agenda has its width throughout.
    picker = window.sprint_picker
    other = next(i for i in range(picker.count()) if picker.itemData(i) != sprint_id)
    picker.setCurrentIndex(other)
    qtbot.waitUntil(lambda: window.doc.sprint.id != sprint_id)
    _settle(window)
    _agenda_intact(window, agenda_width)
    window.show_section(window.doc.sprint.sections[-1])
    _settle(window)
    _agenda_intact(window, agenda_width)


# --- The agenda's columns: titles first, the timebox compact -------------------------------


def test_agenda_titles_stay_whole_after_an_extension_at_1280(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    from sprintdesk.ui.agenda_model import COL_TIMEBOX, COL_TITLE

    window = make_window(demo_store)
    _start(qtbot, window)
    window.meeting.extend(300)
    _settle(window)
    view, model = window.agenda_view, window.agenda_model
    assert model.index(0, COL_TIMEBOX).data() == "10+5"
    bold = view.font()
    bold.setBold(True)
    from PySide6.QtGui import QFontMetrics

    metrics = QFontMetrics(bold)
    margin = 2 * view.style().pixelMetric(view.style().PixelMetric.PM_FocusFrameHMargin) + 8
    for row in range(model.rowCount()):
        title = model.index(row, COL_TITLE).data()
        needed = metrics.horizontalAdvance(title) + margin
        assert view.columnWidth(COL_TITLE) >= needed, title
    for column in range(1, model.columnCount()):  # every figure whole too
        for row in range(model.rowCount()):
            text = model.index(row, column).data() or ""
            assert view.columnWidth(column) >= metrics.horizontalAdvance(text), (column, text)


# --- F3: the meeting keys that work from any field -----------------------------------------


def _focus_in(qtbot, window: MainWindow, widget: QWidget) -> None:
    qtbot.waitUntil(widget.isVisible)
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


@pytest.mark.parametrize("field", ["lineEdit", "comboBox"])
def test_meeting_keys_work_from_a_focused_field(
    qtbot, demo_store: Store, make_window: Factory, field: str
) -> None:
    from PySide6.QtWidgets import QComboBox, QLineEdit

    window = make_window(demo_store)
    _start(qtbot, window)
    clock = window.clock
    section = next(s for s in window.doc.sprint.sections if s.kind == "team")
    window.show_section(section)  # current too (a click on the agenda does the same)
    clock.go_to(section)
    kind = QLineEdit if field == "lineEdit" else QComboBox
    qtbot.waitUntil(lambda: window.pages.currentWidget().findChild(kind) is not None)
    page = window.pages.currentWidget()
    widget = next(w for w in page.findChildren(kind) if w.isVisible() and w.isEnabled())
    _focus_in(qtbot, window, widget)
    ctrl = Qt.KeyboardModifier.ControlModifier
    if isinstance(widget, QLineEdit):  # standard text editing keeps its keys
        widget.clear()
        qtbot.keyClicks(widget, "two words")
        widget.setCursorPosition(0)
        qtbot.keyClick(widget, Qt.Key.Key_Right, ctrl)
        assert widget.cursorPosition() > 0 and clock.current is section
    text = widget.text() if isinstance(widget, QLineEdit) else widget.currentText()
    name = widget.objectName()
    assert clock.running
    qtbot.keyClick(widget, Qt.Key.Key_F8)
    assert not clock.running
    qtbot.keyClick(widget, Qt.Key.Key_F8)
    assert clock.running
    qtbot.keyClick(widget, Qt.Key.Key_PageDown, ctrl)
    assert clock.current is not section
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_PageUp, ctrl)
    assert clock.current is section
    # The field was not changed by the meeting's keys, nor what was typed lost.
    widget = next(w for w in page.findChildren(kind) if w.objectName() == name)
    assert (widget.text() if isinstance(widget, QLineEdit) else widget.currentText()) == text


def test_f1_says_which_keys_work_from_any_field(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    from PySide6.QtGui import QKeySequence

    from sprintdesk.ui.shortcuts_dialog import ShortcutsDialog

    window = make_window(demo_store)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog, "shortcutsDialog")
    assert dialog is not None
    note = dialog.anywhere.text()
    native = QKeySequence.SequenceFormat.NativeText
    for key, action in (
        ("F8", "Start / pause"),
        ("Ctrl+PgDown", "Next section"),
        ("Ctrl+PgUp", "Previous section"),
    ):
        assert f"{QKeySequence(key).toString(native)} ({action})" in note
    dialog.close()


# --- F14: a ticked check box reads in presentation mode -----------------------------------


def _luminance(rgb: int) -> float:
    from PySide6.QtGui import QColor

    colour = QColor(rgb)

    def channel(value: int) -> float:
        v = value / 255
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.red())
        + 0.7152 * channel(colour.green())
        + 0.0722 * channel(colour.blue())
    )


def _ratio(a: int, b: int) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_a_ticked_check_box_reads_in_presentation_mode(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    from collections import Counter

    from PySide6.QtWidgets import QCheckBox, QStyle, QStyleOptionButton

    window = make_window(demo_store)
    window.set_presentation(True)
    box = QCheckBox("Carry over", window.pages.currentWidget())
    box.show()
    qtbot.waitUntil(box.isVisible)
    option = QStyleOptionButton()
    box.initStyleOption(option)
    rect = box.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, box)
    assert rect.width() >= 24  # big enough to see at 1080p
    inner = rect.adjusted(4, 4, -4, -4)  # inside the box's border

    def pixels(checked: bool) -> Counter[int]:
        box.setChecked(checked)
        QApplication.processEvents()
        image = box.grab().toImage()
        return Counter(
            image.pixel(x, y)
            for x in range(inner.left(), inner.right() + 1)
            for y in range(inner.top(), inner.bottom() + 1)
        )

    unticked, ticked = pixels(False), pixels(True)
    fill = ticked.most_common(1)[0][0]
    area = sum(ticked.values())
    # The tick: the pixels most unlike the box's fill that cover a visible share of it.
    marks = [rgb for rgb, n in ticked.items() if n >= 1 and _ratio(rgb, fill) >= 3.0]
    assert sum(ticked[rgb] for rgb in marks) >= area * 0.08, "no readable tick in the box"
    assert ticked != unticked


# --- F15: the mini timer shows a paused clock -----------------------------------------------


def test_the_mini_timer_shows_a_paused_clock(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    from PySide6.QtGui import QPalette

    window = make_window(demo_store)
    _start(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    mini = window.mini_timer
    assert mini is not None
    qtbot.waitUntil(mini.isVisible)
    title = window.clock.current.title

    def colour() -> str:
        mini.countdown.ensurePolished()
        return mini.countdown.palette().color(QPalette.ColorRole.WindowText).name()

    running = colour()
    assert not mini.paused and mini.section_label.toolTip() == title
    qtbot.keyClick(window, Qt.Key.Key_Space)  # pause
    assert not window.clock.running
    assert mini.paused
    assert mini.section_label.text().startswith("Paused")
    assert title in mini.section_label.toolTip()
    assert colour() != running  # dimmed
    qtbot.keyClick(window, Qt.Key.Key_Space)  # running again
    assert not mini.paused and mini.section_label.toolTip() == title
    assert colour() == running


# --- F16: F2 with too many minutes says so; a stale refusal goes -----------------------------


def test_a_timebox_over_the_maximum_is_refused_with_the_range_and_the_message_clears(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    from PySide6.QtWidgets import QSpinBox

    from sprintdesk.ui.agenda_model import COL_TIMEBOX, MAX_TIMEBOX_MINUTES

    window = make_window(demo_store)
    view, model = window.agenda_view, window.agenda_model
    section = model.section_at(0)
    before = section.timebox_seconds
    view.setFocus()
    view.setCurrentIndex(model.index(0, COL_TIMEBOX))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.findChild(QSpinBox, "timeboxEditor")
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    qtbot.keyClicks(editor, "9999")
    assert editor.text().startswith("9999")  # as typed, not cut to its first digits
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    message = window.statusBar().currentMessage()
    assert f"at most {MAX_TIMEBOX_MINUTES} minutes" in message
    assert editor.isVisible() and editor.text().startswith("9999")  # nothing typed is lost
    assert section.timebox_seconds == before
    editor.selectAll()
    qtbot.keyClicks(editor, "12")
    # Tab commits too (Return here makes Qt warn of a second commit from a closed editor, as
    # it did before this change: see the issue-14 report).
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: section.timebox_seconds == 12 * 60)
    assert window.statusBar().currentMessage() == ""  # the refusal no longer applies


# --- F17: a date can be typed in Availability ---------------------------------------------


@pytest.fixture
def year_end_sprint(store: Store) -> int:
    from datetime import date

    from sprintdesk.plan.model import Person, Team
    from sprintdesk.plan.planning import create_sprint

    with store.unit_of_work() as session:
        session.add(Team(name="Core", members=[Person(name="Ana", github_login="ana")]))
        session.flush()
        sprint = create_sprint(session, "Year end", date(2026, 11, 30), date(2026, 12, 11))
        session.flush()
        return sprint.id


def test_a_december_date_can_be_typed_in_availability(
    doc_for, qtbot, store: Store, year_end_sprint: int
) -> None:
    from datetime import date

    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QDateTimeEdit

    from sprintdesk.plan.model import Sprint
    from sprintdesk.views.availability import AvailabilityDialog

    dialog = AvailabilityDialog(doc_for(store), year_end_sprint)
    qtbot.addWidget(dialog)
    dialog.show()
    editor = dialog.editor
    editor.off_person.setCurrentIndex(editor.off_person.findText("Ana"))
    assert editor.off_from.date() == QDate(2026, 11, 30)  # the sprint's first day
    for edit, day in ((editor.off_from, "03"), (editor.off_to, "04")):
        edit.setFocus()
        qtbot.waitUntil(edit.hasFocus)
        edit.setSelectedSection(QDateTimeEdit.Section.MonthSection)
        qtbot.keyClicks(edit, "12")  # 2026-12-30 on the way: outside the sprint, still typed
        edit.setSelectedSection(QDateTimeEdit.Section.DaySection)
        qtbot.keyClicks(edit, day)
    assert editor.off_from.date() == QDate(2026, 12, 3)
    assert editor.off_to.date() == QDate(2026, 12, 4)
    qtbot.keyClicks(editor.off_note, "dentist")
    assert editor.add_days_off()
    with store.session() as session:
        sprint = session.get(Sprint, year_end_sprint)
        assert [(t.start, t.end) for t in sprint.time_off] == [
            (date(2026, 12, 3), date(2026, 12, 4))
        ]
    # A typed date outside the sprint is refused on adding, with the sprint's dates, and the
    # note stays.
    editor.off_from.setFocus()
    editor.off_from.setSelectedSection(QDateTimeEdit.Section.MonthSection)
    qtbot.keyClicks(editor.off_from, "01")
    editor.off_to.setDate(editor.off_from.date())
    assert editor.off_from.date() == QDate(2026, 1, 3)
    qtbot.keyClicks(editor.off_note, "too early")
    assert not editor.add_days_off()
    assert "outside the sprint" in editor.message.text()
    assert editor.off_note.text() == "too early"


# --- Tab: agenda -> page -> notes -> ... with no invisible stop -----------------------------


def test_tab_goes_round_the_window_with_no_invisible_stop(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    window = make_window(demo_store)
    section = next(s for s in window.doc.sprint.sections if s.kind == "team")
    window.show_section(section)
    qtbot.waitUntil(lambda: window.painted)
    qtbot.waitUntil(lambda: hasattr(window.pages.currentWidget(), "scroll_area"))
    window.agenda_view.setFocus()
    qtbot.waitUntil(window.agenda_view.hasFocus)
    page = window.pages.currentWidget()
    stops: list[QWidget] = []
    hidden: list[str] = []
    for _ in range(300):
        focus = QApplication.focusWidget()
        assert focus is not None
        if stops and focus is window.agenda_view:
            break
        stops.append(focus)
        QApplication.processEvents()
        # Each stop shows where the focus is: on screen, and not the page's frameless scroll
        # area (which shows no focus at all).
        if focus.visibleRegion().isEmpty() or focus is page.scroll_area:
            hidden.append(f"{type(focus).__name__}:{focus.objectName()}")
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.agenda_view  # round the window
    names = [w.objectName() for w in stops]
    assert names.index("agendaView") < names.index("otherTeams") < names.index("facilitatorNotes")
    assert page.isAncestorOf(stops[1])  # from the agenda straight into the page
    assert hidden == []
    window.notes.setFocus()
    qtbot.waitUntil(window.notes.hasFocus)
    qtbot.keyClick(window.notes, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    back = QApplication.focusWidget()
    assert back is not None and page.isAncestorOf(back) and back is not page.scroll_area
