"""The main window on real widgets: keys, the clock with a fake clock, overrun, resume after a
restart, presentation mode, the mini timer, undo/redo and autosave."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QFontInfo, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QTextEdit,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.pool import QueuePool

from sprintdesk.plan.model import AgendaSection, Sprint, SprintState
from sprintdesk.storage.store import Store, open_store
from sprintdesk.ui.agenda_model import COL_TIMEBOX, ROW_MIME
from sprintdesk.ui.clock_header import _WORD_WRAP
from sprintdesk.ui.main_window import MainWindow
from sprintdesk.ui.mini_timer import MiniTimer
from sprintdesk.ui.shortcuts_dialog import ShortcutsDialog
from tests.clocks import FakeClock
from tests.ui.window_support import open_in

Factory = Callable[..., MainWindow]
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def fake() -> FakeClock:
    return FakeClock()


@pytest.fixture
def make_window(qtbot, ui_settings: QSettings, fake: FakeClock) -> Iterator[Factory]:
    made: list[MainWindow] = []

    def make(store: Store, clock: FakeClock | None = None) -> MainWindow:
        clock = clock or fake
        window = MainWindow(store, monotonic=clock.monotonic, wall=clock.time, settings=ui_settings)
        qtbot.addWidget(window)
        window.resize(1280, 720)
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


def _key(qtbot, window: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(window, key, modifier)


def _start(qtbot, window: MainWindow) -> None:
    _key(qtbot, window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.clock is not None and window.clock.in_meeting


def test_title_picker_agenda_and_model(
    qtbot, qtmodeltester, demo_store: Store, make_window: Factory
) -> None:
    window = make_window(demo_store)
    sprint = window.doc.sprint
    assert sprint is not None and sprint.state == SprintState.DRAFT.value
    assert window.windowTitle() == f"SprintDesk — {sprint.name}"
    picker = window.findChild(QWidget, "sprintPicker")
    assert picker.count() == 4
    view = window.findChild(QTableView, "agendaView")
    assert view.model().rowCount() == len(sprint.sections)
    # History: the demo's earlier meetings give a suggestion next to each timebox.
    qtbot.waitUntil(lambda: view.model().index(0, 2).data().startswith("≈"))
    assert [m.title().replace("&", "") for m in window.menus.values()] == [
        "File", "Edit", "Meeting", "View", "Help",
    ]  # fmt: skip
    qtmodeltester.check(window.agenda_model, force_py=True)
    _start(qtbot, window)
    qtmodeltester.check(window.agenda_model, force_py=True)


def test_keys_drive_the_clock(
    qtbot, demo_store: Store, make_window: Factory, fake, monkeypatch
) -> None:
    window = make_window(demo_store)
    clock = window.clock
    assert clock is not None
    _key(qtbot, window, Qt.Key.Key_Space)  # draft: the clock does not start
    assert not clock.running
    _start(qtbot, window)
    sections = window.doc.sprint.sections
    first = sections[0]
    assert clock.running and clock.current is first
    assert window.header.countdown.text() == "10:00"
    fake.advance(61)
    window.tick()
    assert window.header.countdown.text() == "8:59"
    _key(qtbot, window, Qt.Key.Key_Space)
    assert not clock.running
    fake.advance(300)  # paused: excluded
    window.tick()
    assert window.header.countdown.text() == "8:59"
    _key(qtbot, window, Qt.Key.Key_Space)
    assert clock.running
    _key(qtbot, window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.header.countdown.text() == "9:59"
    _key(qtbot, window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.header.countdown.text() == "14:59"
    assert first.extension_seconds == 360
    _key(qtbot, window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert window.header.countdown.text() == "10:00"
    fake.advance(30)
    _key(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert clock.current is sections[1]
    assert window.displayed is sections[1]
    assert window.header.section_title.text() == sections[1].title
    assert first.actual_seconds == 30.0
    _key(qtbot, window, Qt.Key.Key_PageDown)
    assert clock.current is sections[2]
    _key(qtbot, window, Qt.Key.Key_PageUp)
    _key(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert clock.current is first
    assert window.agenda_view.currentIndex().row() == 0
    # End meeting early: asked first (cancel keeps the meeting), then the sprint is planned
    # and the clock controls switch off.
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def answer(_parent, _title, text, *_args):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", answer)
    _key(qtbot, window, Qt.Key.Key_Return, CTRL_SHIFT)
    assert "not opened yet" in asked[0]
    assert window.doc.sprint.state == SprintState.IN_MEETING.value
    _key(qtbot, window, Qt.Key.Key_Return, CTRL_SHIFT)
    assert window.doc.sprint.state == SprintState.PLANNED.value
    assert not window.act_toggle.isEnabled()


def _colour(label: QLabel) -> str:
    label.ensurePolished()
    return label.palette().color(QPalette.ColorRole.WindowText).name()


def test_amber_then_overrun_with_pulse_and_chime(
    qtbot, demo_store: Store, make_window: Factory, fake
) -> None:
    window = make_window(demo_store)
    normal = _colour(window.header.countdown)
    _start(qtbot, window)
    assert window.header.phase == "normal"
    fake.advance(480)  # 80% of 10 minutes
    window.tick()
    assert window.header.phase == "amber"
    amber = _colour(window.header.countdown)
    assert amber not in (normal, "#000000")
    assert window.chimes == 0 and window.header.times_up.isHidden()
    fake.advance(125)
    window.tick()
    assert window.header.countdown.text() == "+0:05"
    assert window.header.phase == "overrun"
    red = _colour(window.header.countdown)
    assert red not in (normal, amber)
    assert QPalette().color(QPalette.ColorRole.WindowText).name() != red
    assert int(red[1:3], 16) > 150 and int(red[3:5], 16) < 100  # red
    assert window.header.times_up.isVisible()
    assert window.chimes == 1
    pulse = window.header.times_up.property("pulse")
    fake.advance(1)
    window.tick()
    assert window.header.times_up.property("pulse") != pulse
    assert window.chimes == 1  # once per overrun
    # +1 min takes it out of overrun; running over again chimes again, unless switched off.
    _key(qtbot, window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.header.countdown.text() == "0:54"
    assert window.header.times_up.isHidden()
    window.act_chime.setChecked(False)
    fake.advance(60)
    window.tick()
    assert window.header.countdown.text() == "+0:06"
    assert window.chimes == 1
    # The agenda shows the section as current; once left it shows as overran.
    _key(qtbot, window, Qt.Key.Key_PageDown)
    model = window.agenda_model
    assert model.index(0, 4).data() == "overran"
    assert model.index(1, 4).data() == "current"
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).name() == "#c62828"


def test_opening_a_section_with_the_clock_stopped_offers_to_start(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    window = make_window(demo_store)
    _start(qtbot, window)
    assert window.banner.isHidden()
    _key(qtbot, window, Qt.Key.Key_Space)  # pause
    view = window.agenda_view
    rect = view.visualRect(view.model().index(3, 0))
    # Opening a section in the meeting is "Go to this section": a double-click on its row (a
    # single click only shows its page, see test_walk_agenda_clicks.py).
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    section = window.doc.sprint.sections[3]
    assert window.displayed is section and window.clock.current is not section
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.clock.current is section
    assert window.displayed is section
    assert window.banner.isVisible()
    assert section.title in window.banner.label.text()
    qtbot.mouseClick(window.banner.button, Qt.MouseButton.LeftButton)
    assert window.clock.running
    assert window.banner.isHidden()


def test_resume_after_restart_on_the_same_file(
    qtbot, db_url: str, demo_store: Store, make_window: Factory, fake
) -> None:
    window = make_window(demo_store)
    _start(qtbot, window)
    fake.advance(200)
    _key(qtbot, window, Qt.Key.Key_PageDown)
    fake.advance(100)
    _key(qtbot, window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    title = window.clock.current.title
    window.close()
    demo_store.close()

    later = FakeClock(mono=3.0, wall=fake.wall + 45)  # a new process, 45 s later
    store = open_store(db_url)
    try:
        again = make_window(store, later)
        assert again.clock.in_meeting and again.clock.running
        assert again.clock.current.title == title
        assert again.displayed is again.clock.current
        assert again.header.section_title.text() == title
        # Retro: 10 min + 5 min, 145 s used.
        assert again.header.countdown.text() == "12:35"
        assert again.agenda_view.currentIndex().row() == 1
        assert again.doc.sprint.sections[0].actual_seconds == 200.0
        again.close()
    finally:
        store.close()


def test_closing_in_a_meeting_banks_the_running_time_in_the_file(
    qtbot, demo_store: Store, make_window: Factory, fake
) -> None:
    window = make_window(demo_store)
    _start(qtbot, window)
    fake.advance(70)
    first_id = window.clock.current.id
    window.close()
    # What reads the file while SprintDesk is closed (the command line) counts the 70 s run.
    with demo_store.session() as session:
        assert session.get(AgendaSection, first_id).actual_seconds == 70.0
    later = FakeClock(mono=3.0, wall=fake.wall + 30)  # opened again 30 s later
    again = make_window(demo_store, later)
    assert again.clock.running and again.clock.current.id == first_id
    assert again.clock.elapsed() == 100.0  # each second counted once
    again.close()


def _body_widgets(root: QWidget) -> list[QWidget]:
    kinds = (QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QAbstractButton, QTableView)
    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and w.isVisible()]


def test_presentation_mode_is_large_and_hides_chrome(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    window = make_window(demo_store)
    _start(qtbot, window)
    assert window.notes_panel.isVisible()
    _key(qtbot, window, Qt.Key.Key_F5)
    assert window.presenting and window.isFullScreen()
    _check_presentation(qtbot, window)
    # The same at 1280x720, the size of a typical screen share (the test screen is 800x800).
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280)
    _check_presentation(qtbot, window)
    window.showFullScreen()
    # The facilitator notes cannot be brought back while presenting.
    assert not window.act_notes.isEnabled()
    _key(qtbot, window, Qt.Key.Key_Escape)
    assert not window.presenting
    assert window.menuBar().isVisible() and window.notes_panel.isVisible()
    assert QFontInfo(window.header.countdown.font()).pixelSize() < 96


def _check_presentation(qtbot, window: MainWindow) -> None:
    qtbot.wait(20)
    for chrome in (window.menuBar(), window.toolbar, window.statusBar(), window.agenda_view):
        assert not chrome.isVisible()
    assert not window.notes_panel.isVisible()
    assert not window.notes.isVisible()
    countdown = window.header.countdown
    assert countdown.isVisible()
    countdown.ensurePolished()
    assert QFontInfo(countdown.font()).pixelSize() >= 96
    assert countdown.height() >= 96
    assert countdown.visibleRegion().boundingRect().width() >= countdown.sizeHint().width() - 1
    central = window.centralWidget()
    assert central is not None
    body = _body_widgets(central)
    assert len(body) >= 4
    for widget in body:
        widget.ensurePolished()
        size = QFontInfo(widget.font()).pixelSize()
        assert size >= 22, (widget.objectName() or type(widget).__name__, size)
        if isinstance(widget, QLabel) and widget.text() and not widget.wordWrap():
            assert widget.width() >= widget.sizeHint().width() - 1, widget.objectName()


def test_mini_timer(qtbot, demo_store: Store, make_window: Factory, ui_settings, fake) -> None:
    window = make_window(demo_store)
    _start(qtbot, window)
    _key(qtbot, window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    mini = window.mini_timer
    assert isinstance(mini, MiniTimer)
    qtbot.waitExposed(mini)
    flags = mini.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint
    assert flags & Qt.WindowType.WindowStaysOnTopHint
    assert mini.isWindow()
    fake.advance(75)
    window.tick()
    assert mini.countdown.text() == window.header.countdown.text() == "8:45"
    assert mini.section_label.toolTip() == window.clock.current.title
    assert mini.section_label.text() == window.clock.current.title  # short enough to fit
    # Drag it by the mouse; where it is left is remembered.
    start = mini.pos()
    qtbot.mousePress(mini, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    qtbot.mouseMove(mini, QPoint(60, 50))
    qtbot.mouseRelease(mini, Qt.MouseButton.LeftButton, pos=QPoint(60, 50))
    moved = mini.pos()
    assert moved == start + QPoint(40, 30)
    assert ui_settings.value("mini_timer/pos") == moved
    mini.close()
    again = MiniTimer(ui_settings)
    qtbot.addWidget(again)
    assert again.pos() == moved


def test_undo_redo_of_agenda_edits(qtbot, demo_store: Store, make_window: Factory) -> None:
    window = make_window(demo_store)
    sections = window.doc.sprint.sections
    titles = [s.title for s in sections]
    window.agenda_view.setFocus()
    _key(qtbot, window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [s.title for s in window.doc.sprint.sections][:2] == [titles[1], titles[0]]
    assert window.agenda_view.currentIndex().row() == 1  # the moved section stays selected
    _key(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [s.title for s in window.doc.sprint.sections] == titles
    _key(qtbot, window, Qt.Key.Key_Z, CTRL_SHIFT)
    assert [s.title for s in window.doc.sprint.sections][:2] == [titles[1], titles[0]]
    # The timebox, edited in the sidebar through the real editor.
    model = window.agenda_model
    view = window.agenda_view
    index = model.index(0, COL_TIMEBOX)
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.findChild(QLineEdit, "qt_spinbox_lineedit")
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, "7")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    moved = window.doc.sprint.sections[0]
    qtbot.waitUntil(lambda: moved.timebox_seconds != 10 * 60)  # the delegate commits queued
    assert moved.timebox_seconds == 7 * 60
    assert model.index(0, COL_TIMEBOX).data() == "7 min"
    window.doc.undo_stack.undo()
    assert moved.timebox_seconds == 10 * 60
    assert model.setData(model.index(0, COL_TIMEBOX), 0) is False  # refused, nothing changes
    assert model.setData(model.index(0, COL_TIMEBOX), "abc") is False


def test_drag_and_drop_reorders(qtbot, demo_store: Store, make_window: Factory) -> None:
    window = make_window(demo_store)
    model = window.agenda_model
    titles = [s.title for s in window.doc.sprint.sections]
    data = model.mimeData([model.index(0, 0)])
    assert data.hasFormat(ROW_MIME)
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, model.index(-1, -1))
    assert [s.title for s in window.doc.sprint.sections][:3] == [titles[1], titles[2], titles[0]]
    assert [s.position for s in window.doc.sprint.sections] == list(range(len(titles)))
    window.doc.undo_stack.undo()
    assert [s.title for s in window.doc.sprint.sections] == titles


def test_autosave_then_reopen_shows_everything(
    qtbot, db_url: str, demo_store: Store, make_window: Factory
) -> None:
    window = make_window(demo_store)
    notes = window.notes
    notes.setFocus()
    notes.moveCursor(notes.textCursor().MoveOperation.End)
    qtbot.keyClicks(notes, " Remember the demo.")
    assert window.save_state.text() == "Saving…"
    window.agenda_view.setFocus()
    _key(qtbot, window, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    window.agenda_model.setData(window.agenda_model.index(2, COL_TIMEBOX), 12)
    qtbot.waitUntil(lambda: window.doc.state == "saved", timeout=2000)
    assert window.save_state.text() == "✓ All changes saved"
    expected_titles = [s.title for s in window.doc.sprint.sections]
    sprint_id = window.doc.sprint.id
    # Read back from another connection while the window is still open: it is on disk.
    with demo_store.session() as other:
        sprint = other.get(Sprint, sprint_id)
        assert sprint.facilitator_notes.endswith("Remember the demo.")
        assert [s.title for s in sprint.sections] == expected_titles
        assert sprint.sections[2].timebox_seconds == 12 * 60
    window.close()
    demo_store.close()
    store = open_store(db_url)
    try:
        again = make_window(store)
        assert again.notes.toPlainText().endswith("Remember the demo.")
        assert [again.agenda_model.index(r, 0).data() for r in range(len(expected_titles))] == (
            expected_titles
        )
        assert again.agenda_model.index(2, COL_TIMEBOX).data() == "12 min"
        again.close()
    finally:
        store.close()


def test_f1_lists_every_shortcut(qtbot, demo_store: Store, make_window: Factory) -> None:
    window = make_window(demo_store)
    _key(qtbot, window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog, "shortcutsDialog")
    assert dialog is not None and dialog.isVisible()
    table = dialog.table
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Start / pause"] == "Space, F8"  # F8 from any field, even a text box
    for name in (
        "Next section", "Previous section", "+1 min", "+5 min", "Restart section",
        "Start meeting", "End meeting", "Presentation mode", "Mini timer", "Undo", "Redo",
        "Move section up", "Keyboard shortcuts",
    ):  # fmt: skip
        assert rows.get(name), name
    dialog.close()


def test_switching_sprints_and_empty_database(
    qtbot, store: Store, demo_store: Store, make_window: Factory
) -> None:
    window = make_window(demo_store)
    picker = window.sprint_picker
    with demo_store.session() as session:
        oldest = session.scalars(select(Sprint).order_by(Sprint.id)).first()
        oldest_name = oldest.name
    picker.setCurrentIndex(picker.count() - 1)
    assert window.doc.sprint.name == oldest_name
    assert window.windowTitle() == f"SprintDesk — {oldest_name}"
    # Its meeting was held: the agenda shows actual times and no "upcoming".
    states = {window.agenda_model.index(r, 4).data() for r in range(window.agenda_model.rowCount())}
    assert "upcoming" not in states
    assert QApplication.activeWindow() is window


def test_window_paints_before_the_database_opens(
    qtbot, db_url: str, demo_store: Store, ui_settings, fake
) -> None:
    demo_store.close()
    window = MainWindow(monotonic=fake.monotonic, wall=fake.time, settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.windowTitle() in ("", "SprintDesk")
    assert not window.act_start_meeting.isEnabled() and not window.act_undo.isEnabled()
    _key(qtbot, window, Qt.Key.Key_Space)  # nothing open yet: nothing happens
    opened: list[bool] = []
    window.call_after_first_paint(lambda: opened.append(open_in(window, db_url)))
    qtbot.waitUntil(lambda: opened == [True])
    assert window.doc.sprint is not None
    assert window.windowTitle() == f"SprintDesk — {window.doc.sprint.name}"
    assert window.agenda_model.rowCount() == len(window.doc.sprint.sections)
    window.close()
    assert window.store is not None
    pool = window.store.engine.pool
    assert isinstance(pool, QueuePool) and pool.checkedout() == 0


def test_a_database_that_cannot_be_opened_is_explained(
    qtbot, tmp_path: Path, ui_settings, monkeypatch
) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not SQLite at all" * 40)
    shown: list[str] = []
    monkeypatch.setattr(
        "PySide6.QtWidgets.QMessageBox.critical",
        lambda parent, title, text: shown.append(text),
    )
    window = MainWindow(settings=ui_settings)
    qtbot.addWidget(window)
    assert open_in(window, f"sqlite:///{bad}") is False
    assert len(shown) == 1 and str(bad) in shown[0]
    assert bad.read_bytes().startswith(b"this is not SQLite")  # never written


def test_the_window_module_loads_without_the_database_layer() -> None:
    import subprocess
    import sys

    code = (
        "import sys, sprintdesk.ui.main_window, sprintdesk.plan.meeting;"
        "print(any(m.startswith('sqlalchemy') for m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "False"


def test_view_state_is_remembered(
    qtbot, db_url: str, demo_store: Store, make_window: Factory, ui_settings
) -> None:
    window = make_window(demo_store)
    window.splitter.setSizes([300, 980])
    sizes = window.splitter.sizes()
    window.act_notes.setChecked(False)
    window.close()
    assert ui_settings.value(window.geometry_key()) is not None  # kept per screen
    again = MainWindow(demo_store, settings=ui_settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    # The first pane keeps its width (the window itself is clamped to the 800 px test screen).
    assert again.splitter.sizes()[0] == sizes[0]
    assert not again.notes_panel.isVisible() and not again.act_notes.isChecked()


def test_a_failed_save_shows_in_the_status_bar(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    from sprintdesk.plan.model import Person

    window = make_window(demo_store)
    doc = window.doc
    people = doc.session.scalars(select(Person).order_by(Person.id)).all()
    doc.set_attr(people[1], "github_login", people[0].github_login)  # violates uniqueness
    qtbot.waitUntil(lambda: doc.state == "error", timeout=2000)
    assert window.save_state.text() == "⚠ Not saved"
    assert "kept in memory" in window.statusBar().currentMessage()
    assert "kept in memory" in window.save_state.toolTip()
    doc.undo_stack.undo()
    assert doc.save_now()
    assert window.save_state.text() == "✓ All changes saved"


def test_every_control_has_an_accessible_name(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    from tests.ui.accessibility import unnamed_interactive_widgets

    window = make_window(demo_store)
    _start(qtbot, window)
    for root in (window.header, window.banner, window.side_splitter, window.toolbar):
        assert unnamed_interactive_widgets(root) == [], root.objectName()


def test_a_long_section_title_is_set_smaller_not_cut(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    long_name = "Team Platform Reliability, Developer Experience and Internal Tooling (EMEA + APAC)"
    window = make_window(demo_store)
    title = window.header.section_title
    themed = QFontInfo(title.font()).pixelSize()
    assert window.header.title_size is None  # the demo's titles fit in two lines
    section = next(s for s in window.doc.sprint.sections if s.kind == "team")
    window.doc.set_attr(section, "title", long_name, "Rename")
    window.show_section(section)
    window.set_presentation(True)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280)
    qtbot.waitUntil(lambda: window.header.title_size is not None)
    assert title.text() == long_name  # never cut
    size = QFontInfo(title.font()).pixelSize()
    assert 22 <= size < 44
    lines = round(title.height() / title.fontMetrics().lineSpacing())
    assert lines <= 3, lines
    assert window.header.height() < 720 * 0.4  # the page keeps most of the screen
    # A short title gets the theme's size back; so does leaving presentation mode.
    window.show_section(window.doc.sprint.sections[0])
    qtbot.waitUntil(lambda: window.header.title_size is None)
    assert QFontInfo(title.font()).pixelSize() == 44
    window.set_presentation(False)
    assert QFontInfo(title.font()).pixelSize() == themed


def test_space_right_after_opening_drives_the_clock(
    qtbot, demo_store: Store, make_window: Factory, ui_settings, fake
) -> None:
    """After a restart mid-meeting, the facilitator's first key is Space: it must resume the
    clock, not open whatever control has the focus."""
    window = make_window(demo_store)
    _start(qtbot, window)
    _key(qtbot, window, Qt.Key.Key_Space)  # paused
    assert window.clock is not None and not window.clock.running
    window.close()
    again = make_window(open_store(demo_store.url))
    assert again.clock is not None and again.clock.in_meeting and not again.clock.running
    focus = QApplication.focusWidget()
    assert focus is again.agenda_view
    qtbot.keyClick(focus, Qt.Key.Key_Space)
    assert again.clock.running
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert not again.clock.running


@pytest.mark.parametrize("presenting", [False, True])
@pytest.mark.parametrize("words", ["Platform Reliability and Developer Experience ", "Platform_"])
def test_a_200_character_team_name_keeps_clear_of_the_clock_and_the_agenda(
    qtbot, demo_store: Store, make_window: Factory, presenting: bool, words: str
) -> None:
    window = make_window(demo_store)
    agenda_width = window.agenda_view.width()
    name = (words * 30)[:200]
    section = next(s for s in window.doc.sprint.sections if s.kind == "team")
    window.doc.set_attr(section, "title", name, "Rename")
    window.show_section(section)
    window.set_presentation(presenting)
    window.setWindowState(Qt.WindowState.WindowNoState)
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.width() == 1280)
    header = window.header
    title = header.section_title
    qtbot.waitUntil(lambda: title.text().replace("\u200b", "") == name and title.isVisible())
    if presenting:
        qtbot.waitUntil(lambda: header.title_size is not None)
    qtbot.waitUntil(lambda: title.height() >= title.heightForWidth(title.width()))
    assert title.geometry().right() < header.countdown.geometry().left()
    assert not title.geometry().intersects(header.countdown.geometry())
    assert header.height() < window.height() * 0.4
    assert window.agenda_view.width() >= agenda_width
    assert name in (title.text(), title.toolTip())  # the whole name stays readable
    shown = title.fontMetrics().boundingRect(title.contentsRect(), _WORD_WRAP, title.text())
    assert shown.width() <= title.contentsRect().width()  # wrapped, not cut at the right


def test_presentation_keys_drive_the_meeting_not_the_field_that_had_the_focus(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    window = make_window(demo_store)
    _start(qtbot, window)
    clock = window.clock
    assert clock is not None and clock.running
    section = next(s for s in window.doc.sprint.sections if s.kind == "team")
    window.show_section(section)
    qtbot.waitUntil(lambda: window.findChild(QLineEdit, "otherTeams") is not None)
    field = window.findChild(QLineEdit, "otherTeams")
    qtbot.waitUntil(field.isVisible)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    before = field.text()
    _key(qtbot, window, Qt.Key.Key_F5)
    assert window.presenting
    # Keys go where the focus is, as a real keyboard's do.
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Space)
    assert not clock.running  # paused
    current = clock.current
    qtbot.keyClick(
        QApplication.focusWidget() or window, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier
    )
    assert clock.current is not current  # the next section
    assert field.text() == before  # no stray space in "Other teams impacted"


@pytest.mark.parametrize("state", ["draft", "published"])
def test_publishing_a_draft_leaves_its_meeting_to_run(
    qtbot, demo_store: Store, make_window: Factory, state: str
) -> None:
    """Published ahead of the meeting (or marked "published" by an older SprintDesk, whose
    publishing ended the meeting for good): Start meeting and the Meeting menu stay open."""
    from datetime import datetime

    with demo_store.unit_of_work() as session:
        sprint = session.scalars(select(Sprint).order_by(Sprint.id.desc())).first()
        assert sprint is not None and sprint.meeting_started_at is None
        sprint.state = state
        sprint.published_at = datetime(2026, 12, 1, 9)
    window = make_window(demo_store)
    start = window.commands.act_start_meeting
    assert start.isEnabled() and start.text() == "Start meeting"
    assert window.header.meeting_button.isEnabled()
    assert "Meeting over" not in window.header.mode_label.text()
    assert "published" in window.header.mode_label.text().lower()
    _start(qtbot, window)
    assert window.clock is not None and window.clock.running


def test_tab_moves_between_agenda_page_and_notes(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    window = make_window(demo_store)
    section = next(s for s in window.doc.sprint.sections if s.kind == "team")
    window.show_section(section)
    qtbot.waitUntil(lambda: window.findChild(QLineEdit, "otherTeams") is not None)
    window.agenda_view.setFocus()
    qtbot.waitUntil(window.agenda_view.hasFocus)
    qtbot.keyClick(window.agenda_view, Qt.Key.Key_Tab)
    page = window.pages.currentWidget()
    focused = QApplication.focusWidget()
    assert focused is not None and page.isAncestorOf(focused)  # from the agenda into the page
    assert focused is not page.scroll_area  # a control, not the frameless (invisible) area
    seen = set()
    for _ in range(200):  # through the page to the notes
        focus = QApplication.focusWidget()
        if focus is window.notes:
            break
        seen.add(focus)
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.notes
    assert window.findChild(QLineEdit, "otherTeams") in seen  # the whole page on the way
    before = window.notes.toPlainText()
    qtbot.keyClick(window.notes, Qt.Key.Key_Tab)
    assert window.notes.toPlainText() == before  # no tab character typed
    assert QApplication.focusWidget() is not window.notes


def test_each_section_opens_at_its_top(qtbot, demo_store: Store, make_window: Factory) -> None:
    window = make_window(demo_store)
    window.resize(1280, 480)  # short enough for a team page to scroll
    teams = [s for s in window.doc.sprint.sections if s.kind == "team"]
    assert len(teams) >= 2
    window.show_section(teams[0])
    qtbot.waitUntil(lambda: hasattr(window.pages.currentWidget(), "scroll_area"))
    page = window.pages.currentWidget()
    bar = page.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    assert bar.value() > 0
    window.show_section(teams[1])
    assert window.pages.currentWidget() is page  # the same page, another team
    assert bar.value() == 0
    QApplication.processEvents()  # the page's late refresh (plan checks) runs on the next turn
    assert bar.value() == 0


def test_closing_availability_or_publishing_keeps_the_current_section(
    qtbot, demo_store: Store, make_window: Factory, monkeypatch
) -> None:
    from sprintdesk.views.availability import AvailabilityDialog

    window = make_window(demo_store)
    section = window.doc.sprint.sections[3]
    window.show_section(section)
    monkeypatch.setattr(AvailabilityDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    window.features.open_availability()
    assert window.displayed is not None and window.displayed.id == section.id
    # What a finished publish does (PublishDialog.published -> after_external_change).
    window.features.after_external_change(window.doc.sprint.id)
    assert window.displayed is not None and window.displayed.id == section.id
    assert window.header.section_title.text() == section.title


def test_ending_with_one_section_unopened_says_one_section(
    qtbot, demo_store: Store, make_window: Factory, monkeypatch
) -> None:
    window = make_window(demo_store)
    _start(qtbot, window)
    for section in window.doc.sprint.sections[:-1]:
        section.visited = True
    asked: list[str] = []

    def answer(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", answer)
    _key(qtbot, window, Qt.Key.Key_Return, CTRL_SHIFT)
    assert asked and asked[0].startswith("1 section was not opened yet:"), asked
    assert "(s)" not in asked[0]


def test_the_first_window_fits_the_screen_and_geometry_is_kept_per_screen(
    qtbot, demo_store: Store, ui_settings: QSettings, fake: FakeClock
) -> None:
    window = MainWindow(demo_store, monotonic=fake.monotonic, wall=fake.time, settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    area = window.screen().availableGeometry()  # the offscreen screen: 800×800
    assert window.frameGeometry().height() <= area.height()
    assert area.contains(window.geometry())  # the status bar is on screen
    key = window.geometry_key()
    size = window.screen().size()
    assert f"{size.width()}x{size.height()}" in key
    window.resize(760, 520)
    window.close()
    assert ui_settings.contains(key)
    assert not ui_settings.contains("main_window/geometry")  # not one size for all screens
    again = MainWindow(demo_store, monotonic=fake.monotonic, wall=fake.time, settings=ui_settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    assert (again.width(), again.height()) == (760, 520)


# Presenting too: the countdown keeps the room of its widest text, so the overrun's "+" does
# not widen it and rewrap the title beside it (on an 800 px screen its type is set smaller).
@pytest.mark.parametrize("presenting", [False, True])
def test_the_page_does_not_jump_when_times_up_appears(
    qtbot, demo_store: Store, make_window: Factory, fake, presenting: bool
) -> None:
    window = make_window(demo_store)
    window.set_presentation(presenting)
    if presenting:
        qtbot.waitUntil(lambda: window.size() == window.screen().size())
    _start(qtbot, window)
    QApplication.processEvents()
    window.header.layout().activate()
    window.planning_area.layout().activate()
    page_top = window.pages.mapTo(window, QPoint(0, 0)).y()
    header_height = window.header.height()
    title = window.header.section_title.geometry()
    fake.advance(605)  # past the first section's 10 minutes
    window.tick()
    assert window.header.times_up.isVisible()
    assert window.header.countdown.text().startswith("+")
    QApplication.processEvents()
    window.header.layout().activate()
    window.planning_area.layout().activate()
    assert window.header.height() == header_height
    assert window.pages.mapTo(window, QPoint(0, 0)).y() == page_top
    assert window.header.section_title.geometry() == title  # not squeezed, not rewrapped


def test_the_window_shows_a_sprint_another_process_added_when_activated(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    from datetime import date

    from sprintdesk.plan.planning import create_sprint

    window = make_window(demo_store)
    section = window.doc.sprint.sections[2]
    window.show_section(section)
    window.doc.set_attr(window.doc.sprint, "facilitator_notes", "typed just now", "Notes")
    other = QWidget()  # the terminal where `sprintdesk import` ran
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(other.isActiveWindow)
    # A page's read may have flushed the typed notes (the priorities page's rota does): the
    # file is then locked for writing until the autosave commits. A real second process waits
    # for that on SQLite's busy timeout; this one runs on our thread and would block the event
    # loop that commits, so it starts once the autosave is done.
    qtbot.waitUntil(lambda: window.doc.state == "saved")
    elsewhere = open_store(demo_store.url)  # another process's connection
    with elsewhere.unit_of_work() as session:
        create_sprint(session, "Imported from the CLI", date(2027, 1, 4), date(2027, 1, 15))
    elsewhere.close()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    names = [window.sprint_picker.itemText(i) for i in range(window.sprint_picker.count())]
    assert any(n.startswith("Imported from the CLI") for n in names)
    assert window.displayed is not None and window.displayed.id == section.id
    assert window.doc.sprint.facilitator_notes == "typed just now"
    assert window.doc.undo_stack.canUndo()  # nothing reopened: the undo history stays


def _luminance(colour) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * (channel(colour.blueF()))
    )


def _contrast(a, b) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_presentation_paused_shows_a_readable_start_button_and_a_dimmed_clock(
    qtbot, demo_store: Store, make_window: Factory
) -> None:
    from PySide6.QtWidgets import QCheckBox

    window = make_window(demo_store)
    _start(qtbot, window)
    window.set_presentation(True)
    running = _colour(window.header.countdown)
    _key(qtbot, window, Qt.Key.Key_Space)  # paused
    button = window.banner.button
    qtbot.waitUntil(button.isVisible)
    button.ensurePolished()
    palette = button.palette()
    text = palette.color(QPalette.ColorRole.ButtonText)
    assert _contrast(text, palette.color(QPalette.ColorRole.Button)) >= 4.5
    assert _colour(window.header.countdown) != running  # the big clock shows the pause
    box = QCheckBox("Carry over", window.pages.currentWidget())
    box.show()
    box.ensurePolished()
    assert box.sizeHint().height() >= 28
