"""The accessibility helper finds what it should (so that a clean result means something)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from tests.ui.accessibility import tab_order, unnamed_interactive_widgets

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def test_finds_unnamed_widgets_and_skips_qt_internals(qtbot: QtBot) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    form = QFormLayout(root)
    bare = QLineEdit()
    labelled = QLineEdit()
    named = QComboBox()
    named.setAccessibleName("Template")
    named.addItems(["a", "b"])
    date_edit = QDateEdit()
    table = QTableWidget(2, 2)
    button = QPushButton("&Save")
    icon_only = QPushButton()
    form.addRow(bare)
    label = QLabel("&Name:")
    label.setBuddy(labelled)
    form.addRow(label, labelled)
    form.addRow(named)
    form.addRow(date_edit)
    form.addRow(table)
    form.addRow(button)
    form.addRow(icon_only)
    root.show()

    found = unnamed_interactive_widgets(root)
    assert bare in found and icon_only in found and date_edit in found and table in found
    assert labelled not in found  # the buddy label names it for screen readers
    assert button not in found  # its text names it
    assert named not in found
    assert not [w for w in found if w.objectName().startswith("qt_")]

    strict = unnamed_interactive_widgets(root, strict=True)
    assert labelled in strict and button in strict and named not in strict

    order = tab_order(bare)
    assert order.index(bare) < order.index(labelled) < order.index(named)
