"""Rows added after a page is built join the keyboard's Tab order at once (issue 14, item 9):
Tab from the agenda walks the page, new goal cards included, in reading order, then reaches the
facilitator notes (a card made later used to join Qt's focus chain after the notes, and the
goals page's Tab ran in a ring that reached neither its cards nor the notes)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from sprintdesk.ui.main_window import MainWindow
from tests.clocks import FakeClock


@pytest.fixture
def window(demo_window: tuple[MainWindow, FakeClock]) -> MainWindow:
    return demo_window[0]


def _walk(qtbot, window: MainWindow) -> list[QWidget]:
    """Tab from the agenda until the notes: the widgets visited on the way."""
    window.agenda_view.setFocus()
    qtbot.waitUntil(window.agenda_view.hasFocus)
    qtbot.keyClick(window.agenda_view, Qt.Key.Key_Tab)
    seen: list[QWidget] = []
    for _ in range(300):
        focus = QApplication.focusWidget()
        assert focus is not None
        if focus is window.notes:
            return seen
        seen.append(focus)
        qtbot.keyClick(focus, Qt.Key.Key_Tab)
    raise AssertionError("Tab never reached the notes")


def _open(qtbot, window: MainWindow, kind: str):
    section = next(s for s in window.doc.sprint.sections if s.kind == kind)
    window.show_section(section)
    qtbot.waitUntil(lambda: hasattr(window.pages.currentWidget(), "cards"))
    page = window.pages.currentWidget()
    page.finish_pending()
    return page


@pytest.mark.parametrize("kind", ["goals", "outcomes"])
def test_tab_walks_a_pages_cards_to_the_notes(qtbot, window: MainWindow, kind: str) -> None:
    page = _open(qtbot, window, kind)
    QApplication.processEvents()  # the turn of the event loop before any key a person types
    seen = _walk(qtbot, window)
    assert page.cards
    for card in page.cards:
        assert any(card.isAncestorOf(w) for w in seen), "a card Tab cannot reach"
    in_cards = [i for i, w in enumerate(seen) if any(c.isAncestorOf(w) for c in page.cards)]
    assert in_cards == sorted(in_cards)


def test_a_goal_added_is_reached_by_tab_at_once(qtbot, window: MainWindow) -> None:
    page = _open(qtbot, window, "goals")
    before = len(page.cards)
    page.add_line.setFocus()
    qtbot.waitUntil(page.add_line.hasFocus)
    qtbot.keyClicks(page.add_line, "Faster imports")
    qtbot.keyClick(page.add_line, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(page.cards) == before + 1)
    page.finish_pending()
    QApplication.processEvents()
    new = next(c for c in page.cards if c.goal.title == "Faster imports")
    seen = _walk(qtbot, window)
    assert new.title in seen
    # In reading order: every card's title before the add line, the add line last.
    titles = [seen.index(card.title) for card in page.cards]
    assert titles == sorted(titles)
    assert seen.index(page.add_line) > titles[-1]
