"""Issue 14, item 23: a focused button must not cut its label ("Add days of", "⬆ Prioritis").
The themes draw a focus ring; the button keeps room for its whole label with it."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from sprintdesk.ui.themes import theme

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

LABELS = ("Add days off", "⬆ Prioritise", "Use for this session only", "Check")


@pytest.mark.parametrize("name", ["light", "dark"])
def test_focused_button_shows_its_whole_label(qtbot: Any, name: str) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    holder.setStyleSheet(theme("base") + theme(name))
    row = QHBoxLayout(holder)
    buttons = [QPushButton(text) for text in LABELS]
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    holder.show()
    qtbot.waitExposed(holder)
    for button in buttons:
        button.setFocus()
        qtbot.waitUntil(button.hasFocus)
        assert button.width() == button.sizeHint().width()  # laid out at its own size
        option = QStyleOptionButton()
        button.initStyleOption(option)
        contents = button.style().subElementRect(
            QStyle.SubElement.SE_PushButtonContents, option, button
        )
        needed = button.fontMetrics().horizontalAdvance(button.text())
        assert contents.width() >= needed, (name, button.text(), contents.width(), needed)
