"""Keeps the meeting's one-key shortcuts (Space, F2, PgUp/PgDn, +) from stealing keys that the
focused widget needs: Space toggles a check box or presses a button, F2 edits a table cell,
PgUp/PgDn page through notes, + goes into a number field.

Qt asks the focused widget first with a ShortcutOverride event, which travels up to the window
while nobody accepts it; accepting it there delivers the key to the focused widget instead of
firing the window's shortcut. The filter sits on the window only (an application-wide Python
filter would turn every event of the app into a Python call).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
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
    """Install on the window. Only widgets inside ``areas`` (the section pages, the notes) get
    their keys first; the header, toolbar and agenda keep the meeting's keys, so Space still
    pauses the clock wherever the facilitator last clicked outside the plan itself."""

    def __init__(self, window: QWidget, areas: tuple[QWidget, ...]) -> None:
        super().__init__(window)
        self.window = window
        self.areas = areas

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride:
            return False
        assert isinstance(event, QKeyEvent)
        if event.modifiers() & ~_KEYPAD != _NO_MODIFIER:
            return False
        users = _WIDGET_KEYS.get(event.key())
        focus = QApplication.focusWidget()
        if users is None or focus is None or not isinstance(focus, users):
            return False
        if focus.window() is not self.window:
            return False
        if not any(area is focus or area.isAncestorOf(focus) for area in self.areas):
            return False
        event.accept()  # the key goes to the widget, not to the shortcut
        return True
