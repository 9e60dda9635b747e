"""Issue 14, item 29: status boxes are chosen by typing the word (their labels start with an
emoji), and the mini timer first opens in the screen's corner below the menu bar."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMainWindow

from sprintdesk.plan.model import Decision, Status
from sprintdesk.ui.mini_timer import POS_KEY, MiniTimer
from sprintdesk.views.models import Choice
from sprintdesk.views.widgets import ChoicePicker, decision_choices, status_choices

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def each_key_alone() -> Iterator[None]:
    """Every key starts a new search (no word being typed), whatever the test's pace."""
    before = QApplication.keyboardInputInterval()
    QApplication.setKeyboardInputInterval(0)
    yield
    QApplication.setKeyboardInputInterval(before)


def _picker(qtbot: Any, choices: list[Choice]) -> tuple[ChoicePicker, list[Any]]:
    picker = ChoicePicker(choices)
    qtbot.addWidget(picker)
    picker.show()
    picked: list[Any] = []
    picker.valuePicked.connect(picked.append)
    return picker, picked


def test_status_box_is_chosen_by_typing_the_word(qtbot: Any, each_key_alone: None) -> None:
    picker, picked = _picker(qtbot, status_choices())
    picker.set_value(Status.NOT_STARTED.value)
    for key, status in (
        (Qt.Key.Key_F, Status.FINISHED),
        (Qt.Key.Key_W, Status.WONT_FINISH),
        (Qt.Key.Key_I, Status.IN_PROGRESS),
        (Qt.Key.Key_N, Status.NOT_STARTED),
    ):
        qtbot.keyClick(picker, key)
        assert picker.value() == status.value
    assert picked == [
        Status.FINISHED.value,
        Status.WONT_FINISH.value,
        Status.IN_PROGRESS.value,
        Status.NOT_STARTED.value,
    ]
    decisions, _ = _picker(qtbot, decision_choices())
    qtbot.keyClick(decisions, Qt.Key.Key_D)
    assert decisions.value() == Decision.DEPRIORITISE.value
    qtbot.keyClick(decisions, Qt.Key.Key_P)
    assert decisions.value() == Decision.PRIORITISE.value


def test_typing_a_word_and_repeating_a_letter(qtbot: Any) -> None:
    QApplication.setKeyboardInputInterval(60_000)  # one word, however slow the test runs
    try:
        choices = [
            Choice("a", "👤 Ana"),
            Choice("b", "👤 Anton", disabled_reason="designer"),
            Choice("c", "👤 Anders"),
            Choice("d", "👤 Ben"),
        ]
        picker, picked = _picker(qtbot, choices)
        picker.set_value("d")
        qtbot.keyClicks(picker, "and")
        assert picker.value() == "c"  # Anton is skipped: it cannot be chosen
        word, _ = _picker(qtbot, choices)
        word.set_value("d")
        qtbot.keyClicks(word, "aa")  # the same letter again: the next entry with it
        assert word.value() == "c"
    finally:
        QApplication.setKeyboardInputInterval(400)


def test_status_popup_list_finds_by_word(qtbot: Any) -> None:
    picker, _ = _picker(qtbot, status_choices())
    view = picker.view()
    view.setCurrentIndex(picker.model().index(0, 0))
    view.keyboardSearch("w")
    assert picker.choices()[view.currentIndex().row()].value == Status.WONT_FINISH.value


def test_mini_timer_first_opens_in_the_corner_below_the_menu_bar(qtbot: Any, tmp_path: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.menuBar().addMenu("&File")
    window.setGeometry(QGuiApplication.primaryScreen().availableGeometry())
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    mini = MiniTimer(settings)
    qtbot.addWidget(mini)
    mini.show()
    qtbot.waitExposed(mini)
    area = mini.screen().availableGeometry()
    bar = window.menuBar()
    bar_bottom = bar.mapToGlobal(QPoint(0, bar.height())).y()
    assert area.contains(mini.frameGeometry())
    assert mini.y() >= bar_bottom  # never over the menu bar
    assert area.right() - mini.geometry().right() <= 32  # in the right-hand corner
    # A position kept from a screen that is gone is not used.
    settings.setValue(POS_KEY, QPoint(area.right() + 5000, area.bottom() + 5000))
    again = MiniTimer(settings)
    qtbot.addWidget(again)
    again.show()
    assert area.contains(again.frameGeometry())
