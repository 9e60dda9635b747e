"""Keeps the meeting's one-key shortcuts (Space, F2, PgUp/PgDn, +) from stealing keys that the
focused widget needs: Space toggles a check box or presses a button, F2 edits a table cell,
PgUp/PgDn page through notes, + goes into a number field.

Qt asks the focused widget first with a ShortcutOverride event; accepting it delivers the key
to the widget instead of firing the window's shortcut. The agenda keeps the meeting keys.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_NO_MODIFIER = Qt.KeyboardModifier.NoModifier
_KEYPAD = Qt.KeyboardModifier.KeypadModifier

# key -> the widgets that use it themselves
_WIDGET_KEYS: dict[int, tuple[type[QWidget], ...]] = {
    Qt.Key.Key_Space: (QAbstractButton, QComboBox, QAbstractItemView),
    Qt.Key.Key_F2: (QAbstractItemView,),
    Qt.Key.Key_PageUp: (QPlainTextEdit, QTextEdit, QAbstractItemView, QComboBox),
    Qt.Key.Key_PageDown: (QPlainTextEdit, QTextEdit, QAbstractItemView, QComboBox),
    Qt.Key.Key_Plus: (QAbstractSpinBox,),
}


class KeyGuard(QObject):
    """Install on the application; ``exempt`` widgets (the agenda) keep the window's keys."""

    def __init__(self, window: QWidget, exempt: tuple[QWidget, ...] = ()) -> None:
        super().__init__(window)
        self.window = window
        self.exempt = exempt

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(watched, QWidget):
            return False
        assert isinstance(event, QKeyEvent)
        if event.modifiers() & ~_KEYPAD != _NO_MODIFIER:
            return False
        users = _WIDGET_KEYS.get(event.key())
        if users is None or not isinstance(watched, users):
            return False
        if watched.window() is not self.window or watched in self.exempt:
            return False
        event.accept()  # the key goes to the widget, not to the shortcut
        return True
