"""The Tab-order walk that links a page built on first show between the agenda and the notes
(ui/sections): it finds the page's stops in the window's focus chain and stops there, even
when the page holds a window of its own (a popup), whose widgets are on another chain."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from sprintdesk.ui.sections import _focus_chain


def test_the_walk_stops_after_the_pages_own_stops(qtbot, monkeypatch) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    for n in range(300):  # the pages built before: thousands of widgets on a large plan
        layout.addWidget(QLineEdit(f"earlier {n}", window))
    page = QWidget(window)
    layout.addWidget(page)
    fields = [QLineEdit(f"field {n}", page) for n in range(3)]
    popup = QWidget(page, Qt.WindowType.Popup)  # a window of its own under the page
    QLineEdit("in the popup", popup)

    walked = []
    next_in_chain = QWidget.nextInFocusChain

    def counting(widget: QWidget) -> QWidget | None:
        walked.append(widget)
        return next_in_chain(widget)

    monkeypatch.setattr(QWidget, "nextInFocusChain", counting)
    assert _focus_chain(page) == fields
    assert len(walked) < 20, len(walked)  # not round the whole window's chain
