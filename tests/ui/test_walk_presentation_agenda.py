"""The agenda after presentation mode (issue 14, left over from the confirming walk-through):
a timebox extended while presenting sized the agenda's columns in the presentation theme's
large type, and back in the window the Section column kept about 49 px, its titles cut to
a letter or two. The columns are sized again in the window's own type on leaving."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from sprintdesk.ui.agenda_model import COL_TIMEBOX, COL_TITLE


def _settle() -> None:
    for _ in range(10):
        QApplication.processEvents()


def test_the_agenda_keeps_its_titles_after_an_extension_while_presenting(
    qtbot, demo_window
) -> None:
    win, _fake = demo_window
    qtbot.waitUntil(lambda: win.painted, timeout=30000)
    view = win.agenda_view
    before = view.columnWidth(COL_TITLE)
    qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(win, Qt.Key.Key_F5)
    assert win.presentation.on
    qtbot.keyClick(win, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)  # +5 min
    _settle()
    qtbot.keyClick(win, Qt.Key.Key_Escape)
    assert not win.presentation.on
    _settle()
    assert view.isVisible()
    # The titles are whole again, and the extended timebox ("10+5") too.
    assert view.columnWidth(COL_TITLE) >= view.sizeHintForColumn(COL_TITLE)
    assert view.columnWidth(COL_TITLE) >= before - 20
    assert view.columnWidth(COL_TIMEBOX) >= view.sizeHintForColumn(COL_TIMEBOX)
