"""The mini timer (Ctrl+T): a small frameless always-on-top window with the current section and
its countdown, for when the facilitator shares another window. Drag it anywhere; it comes back
where it was left (the position is kept in ``QSettings``). The first time it opens in the top
right corner of the screen's available area, below the window's menu bar (not over it), and a
position kept from a screen no longer attached is forgotten."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QHideEvent, QMouseEvent, QScreen, QShowEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QVBoxLayout, QWidget

from sprintdesk.plan.meeting import Reading
from sprintdesk.ui.clock_header import named

POS_KEY = "mini_timer/pos"
MARGIN = 16  # from the screen's edge and below the menu bar

_STYLE = """
QWidget#miniTimer { background: #111827; border: 2px solid #374151; border-radius: 10px; }
QLabel { color: #f9fafb; background: transparent; }
QLabel#miniSection { font-size: 15px; font-weight: 600; }
QLabel#miniCountdown { font-size: 44px; font-weight: 700; }
QLabel#miniCountdown[phase="amber"] { color: #fbbf24; }
QLabel#miniCountdown[phase="overrun"] { color: #f87171; }
QLabel#miniCountdown[paused="true"] { color: #6b7280; }
QLabel#miniSection[paused="true"] { color: #9ca3af; }
"""


class MiniTimer(QWidget):
    """Shows a :class:`Reading`; owns no clock of its own. A paused clock shows dimmed, with
    "Paused" before the section's name."""

    def __init__(self, settings: QSettings, *, parent: QWidget | None = None) -> None:
        super().__init__(
            parent,
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint,
        )
        self._settings = settings
        self._drag_offset: QPoint | None = None
        self.setObjectName("miniTimer")
        self.setAccessibleName(self.tr("Mini timer"))
        self.setWindowTitle(self.tr("SprintDesk timer"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(_STYLE)
        self.setCursor(Qt.CursorShape.SizeAllCursor)
        self.section_label = named(QLabel(), "miniSection")
        self.section_label.setAccessibleName(self.tr("Current section"))
        self.section_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown = named(QLabel("0:00"), "miniCountdown")
        self.countdown.setAccessibleName(self.tr("Countdown"))
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        layout.setSpacing(0)
        layout.addWidget(self.section_label)
        layout.addWidget(self.countdown)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetNoConstraint)
        self.setFixedSize(260, 96)
        self._phase = ""
        self._paused = False
        self._placed = self.restore_position()

    def show_reading(self, reading: Reading | None, *, title: str = "") -> None:
        if reading is None:
            self.section_label.setText(title)
            return
        name = reading.title or title
        # A paused clock says so: dimmed, and "Paused" before the section's name.
        paused = reading.in_meeting and not reading.running
        if paused:
            name = self.tr("Paused · {title}").format(title=name)
        if self.section_label.toolTip() != name:
            self._set_title(name)
        text = reading.countdown
        if self.countdown.text() != text:
            self.countdown.setText(text)
        phase = reading.phase.value if reading.in_meeting else "normal"
        if phase != self._phase:
            self._phase = phase
            self.countdown.setProperty("phase", phase)
            self._repolish(self.countdown)
        if paused != self._paused:
            self._paused = paused
            for label in (self.countdown, self.section_label):
                label.setProperty("paused", "true" if paused else "false")
                self._repolish(label)
            self.countdown.setAccessibleDescription(self.tr("Paused") if paused else "")

    @property
    def paused(self) -> bool:
        """Whether it shows a paused clock."""
        return self._paused

    @staticmethod
    def _repolish(label: QLabel) -> None:
        label.style().unpolish(label)
        label.style().polish(label)

    def _set_title(self, name: str) -> None:
        self.section_label.ensurePolished()
        metrics = self.section_label.fontMetrics()
        width = self.width() - 28
        self.section_label.setText(metrics.elidedText(name, Qt.TextElideMode.ElideRight, width))
        self.section_label.setToolTip(name)

    # --- position ---------------------------------------------------------------------------

    def restore_position(self) -> bool:
        """Back where it was left, if that is still on a screen; True when it moved."""
        pos = self._settings.value(POS_KEY)
        if not isinstance(pos, QPoint):
            return False
        seen = QRect(pos, self.size())
        if not any(
            screen.availableGeometry().intersects(seen) for screen in QGuiApplication.screens()
        ):
            return False  # kept from a screen that is no longer there
        self.move(pos)
        return True

    def default_position(self) -> QPoint:
        """The top right corner of the available screen area (no panels, no dock), below the
        menu bar of the window it was opened from when that reaches so far down."""
        window = QApplication.activeWindow()
        screen: QScreen | None = window.screen() if window is not None else None
        screen = screen or QGuiApplication.primaryScreen()
        area = screen.availableGeometry()
        top = area.top() + MARGIN
        bar = window.menuWidget() if isinstance(window, QMainWindow) else None
        if bar is not None:
            below = bar.mapToGlobal(QPoint(0, bar.height())).y()
            top = max(top, below + MARGIN)
        top = min(top, area.bottom() - self.height() - MARGIN)
        return QPoint(area.right() - self.width() - MARGIN + 1, max(area.top(), top))

    def showEvent(self, event: QShowEvent) -> None:
        if not self._placed:
            self.move(self.default_position())
            self._placed = True
        super().showEvent(event)

    def save_position(self) -> None:
        self._settings.setValue(POS_KEY, self.pos())
        self._settings.sync()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self._drag_offset = event.globalPosition().toPoint() - self.frameGeometry().topLeft()
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._drag_offset is not None and event.buttons() & Qt.MouseButton.LeftButton:
            self.move(event.globalPosition().toPoint() - self._drag_offset)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._drag_offset is not None:
            self._drag_offset = None
            self.save_position()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt override
        self.save_position()
        super().hideEvent(event)
