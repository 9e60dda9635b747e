"""The meeting's one-key shortcuts do not steal keys the focused widget needs (Space on a check
box or button, F2 in a table, PgUp/PgDn in the notes); elsewhere they still work."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QAbstractItemView, QCheckBox, QTableView

from sprintdesk.storage.store import Store
from sprintdesk.ui.main_window import MainWindow
from tests.clocks import FakeClock


@pytest.fixture
def window(qtbot, demo_store: Store, tmp_path: Path) -> Iterator[MainWindow]:
    clock = FakeClock()
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(demo_store, monotonic=clock.monotonic, wall=clock.time, settings=settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    win.start_meeting()
    assert win.clock is not None and win.clock.reading().running
    yield win
    win.close()


def visible_page(win: MainWindow):
    return win.pages.currentWidget()


def test_space_on_a_check_box_toggles_it_and_the_clock_keeps_running(qtbot, window) -> None:
    boxes = [b for b in visible_page(window).findChildren(QCheckBox) if b.isVisible()]
    assert boxes, "the outcomes page has carry-over boxes"
    box = boxes[-1]
    before = box.isChecked()
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked() != before
    assert window.clock.reading().running


def test_space_in_the_agenda_still_starts_and_pauses(qtbot, window) -> None:
    window.agenda_view.setFocus()
    qtbot.waitUntil(window.agenda_view.hasFocus)
    qtbot.keyClick(window.agenda_view, Qt.Key.Key_Space)
    assert not window.clock.reading().running


def test_f2_in_a_page_table_edits_the_cell_not_the_agenda(qtbot, window) -> None:
    window.next_section()  # "What can we do better": the retro tables
    qtbot.waitUntil(lambda: visible_page(window).findChildren(QTableView) != [])
    table = next(
        t
        for t in visible_page(window).findChildren(QTableView)
        if t.isVisible() and t.model() is not None and t.model().rowCount() > 0
    )
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_F2)
    assert table.state() == QAbstractItemView.State.EditingState
    assert window.agenda_view.state() != QAbstractItemView.State.EditingState


def test_page_down_in_the_notes_stays_in_the_notes(qtbot, window) -> None:
    shown = window.displayed
    window.notes.setFocus()
    qtbot.waitUntil(window.notes.hasFocus)
    qtbot.keyClick(window.notes, Qt.Key.Key_PageDown)
    assert window.displayed is shown
