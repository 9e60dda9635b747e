"""The header above every page: the current section, its big countdown, a progress bar, the
whole meeting's time against its plan, the clock's controls and the "time's up" pulse.

It only displays a :class:`~sprintdesk.plan.meeting.Reading`; the clock itself lives in the core.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import QRect
from PySide6.QtGui import QAction, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.plan.breaks import breakable
from sprintdesk.plan.meeting import Phase, Reading, format_duration
from sprintdesk.ui.enum_props import set_enums
from sprintdesk.ui.flow_layout import FlowLayout

PROGRESS_STEPS = 1000
TITLE_LINES = 2  # a longer section title is set smaller (down to TITLE_FLOOR of its size)
TITLE_FLOOR = 0.6
COUNTDOWN_SHARE = 0.4  # the countdown takes at most 40% of the header's width ...
COUNTDOWN_FLOOR = 0.64  # ... its type set smaller for that, down to 64% (presenting: 96 px)
COUNTDOWN_SLOT = "+{d}{d}:{d}{d}"  # the room kept: a sign and four of the widest digit
_WORD_WRAP = 0x1000  # Qt::TextWordWrap, by value: the title is fitted before the first paint
W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """Give a widget its object name (tests and screen readers find it by it)."""
    widget.setObjectName(name)
    return widget


def _repolish(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)


class ClockHeader(QWidget):
    """Countdown, progress and controls (buttons for the window's actions).

    Built before the window's first paint, so without the ``Qt`` namespace (see
    :mod:`~sprintdesk.ui.enum_props`)."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clockHeader")
        self.setAccessibleName(self.tr("Meeting clock"))
        # The phase every reading starts in, set before the first polish: the first reading
        # then restyles nothing (a re-polish of the countdown costs milliseconds).
        self._phase = Phase.NORMAL.value
        self._pulse = False
        self._title_size: int | None = None  # the fitted title's pixel size, None: the theme's
        self._countdown_size: int | None = None  # the same for the countdown
        self._themed_countdown = 0
        self._fitting = False
        # Off until the window's first paint: the first frame's titles are the base theme's
        # short ones, and measuring fonts then would only delay it.
        self.fit_titles = False

        self.section_title = named(QLabel(), "sectionTitle")
        self.section_title.setAccessibleName(self.tr("Current section"))
        self.section_title.setWordWrap(True)
        self.mode_label = named(QLabel(), "modeLabel")
        self.mode_label.setAccessibleName(self.tr("Mode"))
        self.meeting_elapsed = named(QLabel(), "meetingElapsed")
        self.meeting_elapsed.setAccessibleName(self.tr("Meeting time against plan"))
        self.meeting_elapsed.setWordWrap(True)
        self.mode_label.setWordWrap(True)
        self.times_up = named(QLabel(self.tr("Time's up")), "timesUp")
        self.times_up.setAccessibleName(self.tr("Time's up"))
        set_enums(self.times_up, alignment="AlignCenter")
        self.times_up.setVisible(False)
        # Its room is kept while hidden: the page below must not jump when the badge appears.
        keep = self.times_up.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self.times_up.setSizePolicy(keep)
        self.countdown = named(QLabel("0:00"), "countdown")
        self.countdown.setAccessibleName(self.tr("Countdown"))
        set_enums(self.countdown, alignment="AlignRight|AlignVCenter")
        self.countdown.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.progress = named(QProgressBar(), "sectionProgress")
        self.progress.setAccessibleName(self.tr("Section progress"))
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setTextVisible(False)
        for widget in (self.countdown, self.progress):
            widget.setProperty("phase", self._phase)

        self.controls = named(QWidget(), "clockControls")
        # The buttons wrap onto a second row when the header is narrow (a preview docked
        # beside it): never elided, never under the clock.
        self.controls_layout = FlowLayout(self.controls)
        self.controls_layout.setContentsMargins(0, 0, 0, 0)
        self.meeting_button = named(QPushButton(), "meetingButton")

        left = QVBoxLayout()
        left.addWidget(self.mode_label)
        left.addWidget(self.section_title)
        left.addWidget(self.meeting_elapsed)
        left.addStretch(1)
        left.addWidget(self.controls)
        right = QVBoxLayout()
        right.addWidget(self.countdown)
        badge = QHBoxLayout()  # the badge keeps its own width, at the right
        badge.addStretch(1)
        badge.addWidget(self.times_up)
        right.addLayout(badge)
        top = QHBoxLayout()
        top.addLayout(left, 1)
        top.addLayout(right)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.progress)

    def add_control(self, action: QAction) -> QToolButton:
        button = QToolButton(self.controls)
        button.setDefaultAction(action)
        button.setObjectName(f"{action.objectName()}Button")
        set_enums(button, toolButtonStyle="ToolButtonTextOnly")
        self.controls_layout.addWidget(button)
        return button

    def finish_controls(self) -> None:
        # Start/End meeting at the right end, apart from the clock's buttons, where the hand
        # finds it in every state (and where nothing else can shift it).
        self.controls_layout.add_trailing(self.meeting_button)

    def show_reading(self, reading: Reading, *, mode_text: str) -> None:
        """Repaint from one clock reading; only texts and properties that changed are set."""
        shown = breakable(reading.title)
        if self.section_title.text() != shown:
            self.section_title.setText(shown)
            self.section_title.setToolTip(reading.title if shown != reading.title else "")
            self.fit_title()
        self._set_text(self.mode_label, mode_text)
        self._set_text(self.countdown, reading.countdown)
        # "Planned" is the timeboxes as planned, as in the summary; the minutes given in the
        # meeting are said apart, as the summary's "Added" column does.
        planned = format_duration(reading.meeting_planned)
        if reading.in_meeting and reading.meeting_added:
            meeting = self.tr("Meeting {elapsed} of {planned} planned + {added} added").format(
                elapsed=format_duration(reading.meeting_elapsed),
                planned=planned,
                added=format_duration(reading.meeting_added),
            )
        elif reading.in_meeting:
            meeting = self.tr("Meeting {elapsed} of {planned} planned").format(
                elapsed=format_duration(reading.meeting_elapsed), planned=planned
            )
        elif reading.meeting_added:
            meeting = self.tr("Planned meeting length {planned} + {added} added").format(
                planned=planned, added=format_duration(reading.meeting_added)
            )
        else:
            meeting = self.tr("Planned meeting length {planned}").format(planned=planned)
        self._set_text(self.meeting_elapsed, meeting)
        value = round(reading.progress * PROGRESS_STEPS)
        if self.progress.value() != value:
            # QProgressBar.setValue repaints at once, and a widget's immediate repaint paints
            # every pending region of its window too: on opening a sprint that is a whole
            # extra paint. With updates off the bar is only scheduled for the next paint.
            self.progress.setUpdatesEnabled(False)
            self.progress.setValue(value)
            self.progress.setUpdatesEnabled(True)
        phase = reading.phase.value if reading.in_meeting else Phase.NORMAL.value
        if phase != self._phase:
            self._phase = phase
            for widget in (self.countdown, self.progress):
                widget.setProperty("phase", phase)
                _repolish(widget)
        paused = "true" if reading.in_meeting and not reading.running else "false"
        # Unset means "false": no restyle on the first frame's path (polishing there builds
        # PySide6's Qt namespace before the first paint).
        if (self.countdown.property("paused") or "false") != paused:
            self.countdown.setProperty("paused", paused)  # presentation mode dims it
            _repolish(self.countdown)
        overrun = reading.in_meeting and reading.phase is Phase.OVERRUN
        if self.times_up.isHidden() == overrun:
            self.times_up.setHidden(not overrun)

    def fit_title(self) -> None:
        """Keep a long section title to two lines (a team's full name in presentation type
        would push the page down by half the screen): its type is set smaller, down to 60% of
        the theme's size, never cut."""
        if self.fit_titles and not self._fitting:
            self.fit_countdown()
        label = self.section_title
        if not self.fit_titles or self._fitting or not label.isVisible() or label.width() <= 0:
            return
        width = label.contentsRect().width()
        if self._title_size is None and label.fontMetrics().horizontalAdvance(label.text()) * 2 <= (
            width * (2 * TITLE_LINES - 1)
        ):
            return  # at most one and a half lines of text: it wraps into two at most
        self._fitting = True
        try:
            if self._title_size is not None:  # back to the theme's size, then measure
                self._title_size = None
                label.setStyleSheet("")
            label.ensurePolished()
            font = QFont(label.font())
            themed = font.pixelSize() if font.pixelSize() > 0 else round(font.pointSizeF() * 4 / 3)
            floor = max(12, round(themed * TITLE_FLOOR))
            size = themed
            while size > floor and self._title_lines(font, size) > TITLE_LINES:
                size -= 2
            if size != themed:
                self._title_size = max(size, floor)
                label.setStyleSheet(f"font-size: {self._title_size}px;")
            self._settle()
        finally:
            self._fitting = False

    def fit_countdown(self) -> None:
        """Keep the countdown's widest text's room ("+88:88" in its type's widest digit), so
        nothing beside or below it moves when time runs out (the "+" appears) or the minutes
        lose a digit, presenting too. On a narrow header that room would squeeze the title, so
        the countdown's type is set smaller until the room is 40% of the header at most."""
        label = self.countdown
        room = self.contentsRect().width() * COUNTDOWN_SHARE
        if room <= 0:
            return
        label.ensurePolished()
        font = QFont(label.font())
        if self._countdown_size is not None:
            font.setPixelSize(self._themed_countdown)
        themed = font.pixelSize() if font.pixelSize() > 0 else round(font.pointSizeF() * 4 / 3)
        self._themed_countdown = themed
        margins = label.contentsMargins()
        extra = margins.left() + margins.right() + 2 * label.margin() + 4
        floor = max(12, round(themed * COUNTDOWN_FLOOR))
        size = themed
        while size > floor and self._slot_width(font, size) + extra > room:
            size -= 2
        wanted = None if size == themed else size
        if wanted != self._countdown_size:
            self._countdown_size = wanted
            label.setStyleSheet("" if wanted is None else f"font-size: {wanted}px;")
        width = self._slot_width(font, size) + extra
        if label.minimumWidth() != width:
            label.setMinimumWidth(width)
            self._settle()

    @staticmethod
    def _slot_width(font: QFont, pixels: int) -> int:
        font.setPixelSize(pixels)
        metrics = QFontMetrics(font)
        widest = max("0123456789", key=metrics.horizontalAdvance)
        return metrics.horizontalAdvance(COUNTDOWN_SLOT.format(d=widest))

    def _settle(self) -> None:
        """Lay the header out again now that the title's type changed.

        Left to the next event-loop turn, the header keeps the height the theme's larger type
        needed, and the title label is given that height (six lines of room for two lines of
        text) until then: the page below starts too low for a frame, and anything reading the
        geometry in between sees it."""
        self.section_title.updateGeometry()
        if (own := self.layout()) is not None:
            own.invalidate()
        self.updateGeometry()  # drops the height-for-width the window's layout cached for us
        parent = self.parentWidget()
        if parent is not None and (outer := parent.layout()) is not None:
            outer.invalidate()
            outer.activate()
        if own is not None:
            own.activate()

    def _title_lines(self, font: QFont, pixels: int) -> int:
        font.setPixelSize(pixels)
        metrics = QFontMetrics(font)
        width = self.section_title.contentsRect().width()
        box = metrics.boundingRect(
            QRect(0, 0, width, 100_000), _WORD_WRAP, self.section_title.text()
        )
        return max(1, round(box.height() / metrics.lineSpacing()))

    @property
    def title_size(self) -> int | None:
        """The section title's fitted pixel size, or None when the theme's size fits."""
        return self._title_size

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - a Qt override
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.fit_title()

    def restyled(self) -> None:
        """The theme changed: the hidden badge takes the new theme's size now (Qt restyles a
        hidden widget only when shown), so the room kept for it is the room it will need."""
        _repolish(self.times_up)
        self.times_up.updateGeometry()
        if self._countdown_size is not None:  # measured again in the new theme's type
            self._countdown_size = None
            self.countdown.setStyleSheet("")
        self.fit_title()  # the title's type changed with the theme

    def pulse(self) -> None:
        """Flip the "time's up" badge (called on each tick while overrunning)."""
        self._pulse = not self._pulse
        self.times_up.setProperty("pulse", "true" if self._pulse else "false")
        _repolish(self.times_up)

    @property
    def phase(self) -> str:
        return self._phase

    @staticmethod
    def _set_text(label: QLabel, text: str) -> None:
        if label.text() != text:
            label.setText(text)


class StartBanner(QFrame):
    """A non-blocking offer to start the clock, shown while the meeting's clock is stopped.

    In a meeting its room is kept while it is hidden (:meth:`keep_room`): pausing and resuming
    must not move the agenda and the page below (a click meant for a row would land on
    another). Its text is one line, elided with the whole text as tooltip, so the banner's
    height does not depend on a section's title either."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("startBanner")
        self.setAccessibleName(self.tr("The clock is stopped"))
        self.label = named(QLabel(" "), "startBannerText")
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._message = ""
        self.button = named(QPushButton(), "startBannerButton")
        self.button.setAccessibleName(self.tr("Start the clock"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button)

    def set_message(self, text: str) -> None:
        """Show ``text`` on one line (elided to the room there is, whole in the tooltip)."""
        if text != self._message:
            self._message = text
            self._elide()

    def message(self) -> str:
        return self._message

    def keep_room(self, keep: bool) -> None:
        """Keep the banner's room while it is hidden (in a meeting), or give it up."""
        policy = self.sizePolicy()
        if policy.retainSizeWhenHidden() != keep:
            policy.setRetainSizeWhenHidden(keep)
            self.setSizePolicy(policy)

    def _elide(self) -> None:
        if not self._message:  # the first frame's path: no Qt namespace (see enum_props)
            self.label.setText(" ")
            return
        from PySide6.QtCore import Qt

        width = max(0, self.label.contentsRect().width())
        elide = Qt.TextElideMode.ElideRight
        shown = self.label.fontMetrics().elidedText(self._message, elide, width) if width else ""
        self.label.setText(shown or " ")
        self.label.setToolTip(self._message if shown != self._message else "")

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - a Qt override
        super().resizeEvent(event)
        self._elide()
