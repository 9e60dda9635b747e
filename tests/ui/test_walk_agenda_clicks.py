"""Clicking the agenda during a meeting (issue 14 walk-through, finding 4): one click (or an
arrow key) shows that section's page and leaves the clock where it is; the clock moves with
Next/Previous or with "Go to this section" (Enter on the row, or a double-click)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QTableView

from sprintdesk.storage.store import Store
from sprintdesk.ui.main_window import MainWindow
from sprintdesk.ui.shortcuts_dialog import ShortcutsDialog
from tests.clocks import FakeClock

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def window(qtbot, demo_store: Store, ui_settings: QSettings) -> Iterator[MainWindow]:
    fake = FakeClock()
    win = MainWindow(demo_store, monotonic=fake.monotonic, wall=fake.time, settings=ui_settings)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)  # start
    assert win.clock is not None and win.clock.in_meeting and win.clock.running
    yield win
    win.close()


def _row_centre(view: QTableView, row: int):
    return view.visualRect(view.model().index(row, 0)).center()


def _double_click(qtbot, view: QTableView, row: int) -> None:
    """What a real double-click sends: a click, then a second press that is a double-click
    (QTest's mouseDClick alone skips the first press and release)."""
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_row_centre(view, row))
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_row_centre(view, row))


def _states(window: MainWindow) -> list[str]:
    model = window.agenda_model
    return [model.index(r, 4).data() for r in range(model.rowCount())]


def test_one_click_shows_the_page_without_moving_the_clock(qtbot, window: MainWindow) -> None:
    sections = window.doc.sprint.sections
    first = window.clock.current
    assert first is sections[0]
    before = _states(window)
    view = window.agenda_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_row_centre(view, 3))
    assert window.displayed is sections[3]  # its page is on screen
    assert window.clock.current is first  # the clock did not move
    assert window.clock.running
    assert _states(window) == before  # the first section is not marked done
    # Arrow keys in the agenda browse the same way.
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert window.displayed is sections[4]
    assert window.clock.current is first


def test_enter_on_a_row_goes_to_that_section(qtbot, window: MainWindow) -> None:
    sections = window.doc.sprint.sections
    view = window.agenda_view
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_row_centre(view, 2))
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert window.clock.current is sections[2]
    assert window.displayed is sections[2]
    assert _states(window)[2] == "current"


def test_double_click_goes_to_that_section(qtbot, window: MainWindow) -> None:
    sections = window.doc.sprint.sections
    view = window.agenda_view
    _double_click(qtbot, view, 1)
    assert window.clock.current is sections[1]
    assert _states(window)[1] == "current"


def test_go_to_this_section_is_listed_in_f1(qtbot, window: MainWindow) -> None:
    action = window.agenda_view.findChild(QAction, "agendaGoTo")
    assert action is not None and action in window.agenda_view.actions()
    window.show_shortcuts()
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None
    texts = [
        dialog.table.item(r, c).text()
        for r in range(dialog.table.rowCount())
        for c in range(dialog.table.columnCount())
        if dialog.table.item(r, c) is not None
    ]
    assert "Go to this section" in texts
    dialog.close()
