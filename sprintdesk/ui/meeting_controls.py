"""The meeting clock's controls in the main window: start/pause, next/previous, +1/+5 min,
restart, start/end meeting, and the one-second repaint with its "time's up" pulse and chime.

A mixin of :class:`~sprintdesk.ui.main_window.MainWindow`; the clock itself
(:class:`~sprintdesk.plan.meeting.MeetingClock`) is Qt-free and keeps time on its own, so a
tick only
repaints from it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QApplication

from sprintdesk.plan import meeting
from sprintdesk.plan.meeting import MeetingClock, Phase, Reading, budget_of

TICK_MS = 1000
CHIME_SETTING = "meeting.chime"

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow as _Base
else:
    _Base = object


class MeetingControls(_Base):
    """Clock actions and the tick."""

    chimes: int  # how many times the chime sounded (the beep leaves no other trace)
    _chimed_key: tuple[int | None, int] | None  # the overrun that already chimed

    if TYPE_CHECKING:
        # The main window's other attributes (widgets, slots) are used here.
        def __getattr__(self, name: str) -> Any: ...

    def _clock_do(self, operation: Callable[[MeetingClock], object]) -> None:
        if self.clock is None:
            return
        operation(self.clock)
        self.doc.mark_dirty()
        self._after_clock_change()

    def toggle_clock(self) -> None:
        self._clock_do(MeetingClock.toggle)

    def start_clock(self) -> None:
        self._clock_do(MeetingClock.start)

    def next_section(self) -> None:
        self._clock_do(MeetingClock.next)

    def previous_section(self) -> None:
        self._clock_do(MeetingClock.previous)

    def extend(self, seconds: int) -> None:
        self._clock_do(lambda clock: clock.extend(seconds))

    def restart_section(self) -> None:
        self._chimed_key = None
        self._clock_do(MeetingClock.restart_section)

    def start_meeting(self) -> None:
        if self.clock is None or self.clock.in_meeting:
            return
        if not self._confirm_reopen() or not self._end_other_meeting():
            return
        self._clock_do(MeetingClock.start_meeting)
        self.refresh_sprints()

    def _confirm_reopen(self) -> bool:
        """A planned sprint's meeting is over: reopening it is asked, not done by a stray key."""
        from PySide6.QtWidgets import QMessageBox

        sprint = self.doc.sprint
        if sprint is None or sprint.state != meeting.PLANNED:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Start meeting"),
            self.tr(
                "The meeting for {name} has ended. Reopen it? The clock goes on from where it "
                "stopped."
            ).format(name=sprint.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _confirm_early_end(self) -> bool:
        """Ending with sections never opened is asked, not assumed (a stray Ctrl+Shift+Enter
        would otherwise mark the sprint planned halfway through the meeting)."""
        from PySide6.QtWidgets import QMessageBox

        sprint = self.doc.sprint if self._doc is not None else None
        if self.clock is None or not self.clock.in_meeting or sprint is None:
            return True
        left = [s.title for s in sprint.sections if not s.visited]
        if not left:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("End meeting"),
            self.tr("{count} section(s) were not opened yet: {names}. End the meeting anyway?")
            .replace("{count}", str(len(left)))
            .replace("{names}", ", ".join(left[:4]) + ("…" if len(left) > 4 else "")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _end_other_meeting(self) -> bool:
        """One meeting at a time: if another sprint's meeting still runs, offer to end it (its
        clock stops and its time is kept) before this one starts. False: don't start."""
        from PySide6.QtWidgets import QMessageBox
        from sqlalchemy import select

        from sprintdesk.plan.model import Sprint

        current = self.doc.sprint
        other = self.doc.session.scalar(
            select(Sprint)
            .where(Sprint.state == meeting.IN_MEETING, Sprint.id != current.id)
            .limit(1)
        )
        if other is None:
            return True
        answer = QMessageBox.question(
            self,
            self.tr("Start meeting"),
            self.tr(
                "The meeting for {other} is still running. End it and start the meeting for {this}?"
            ).format(other=other.name, this=current.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        MeetingClock(other, monotonic=self._monotonic, wall=self._wall).end_meeting()
        return True

    def end_meeting(self) -> None:
        if not self._confirm_early_end():
            return
        self._clock_do(MeetingClock.end_meeting)
        self.refresh_sprints()
        self.statusBar().showMessage(self.tr("Meeting ended: the sprint is planned."), 8000)

    def _meeting_button_clicked(self) -> None:
        if self.clock is not None and self.clock.in_meeting:
            self.end_meeting()
        else:
            self.start_meeting()

    def _after_clock_change(self) -> None:
        clock = self.clock
        if clock is not None and clock.in_meeting:
            current = clock.current
            if current is not None and current is not self.displayed:
                self.show_section(current)
        self.agenda_model.refresh_times()
        self._update_actions()
        self._update_banner()
        self.tick()

    def _update_actions(self) -> None:
        clock = self._shown_clock()
        in_meeting = clock is not None and clock.in_meeting
        sprint = self._shown_sprint()
        has_sections = bool(sprint is not None and sprint.sections)
        for action in self.clock_actions:
            action.setEnabled(in_meeting)
        state = sprint.state if sprint is not None else None
        can_start = not in_meeting and has_sections and state in (meeting.DRAFT, meeting.PLANNED)
        self.act_start_meeting.setEnabled(can_start)
        self.act_end_meeting.setEnabled(in_meeting)
        if (
            sprint is not None
            and state == meeting.PLANNED
            and sprint.meeting_started_at is not None
        ):
            self.act_start_meeting.setText(self.tr("Resume meeting"))
        else:
            self.act_start_meeting.setText(self.tr("Start meeting"))
        button = self.header.meeting_button
        button.setText(self.act_end_meeting.text() if in_meeting else self.act_start_meeting.text())
        button.setEnabled(in_meeting or can_start)
        if clock is not None and clock.in_meeting:
            self.act_toggle.setText(self.tr("Pause") if clock.running else self.tr("Start"))
        else:
            self.act_toggle.setText(self.tr("Start / pause"))

    def _update_banner(self) -> None:
        clock = self._shown_clock()
        show = bool(clock is not None and clock.in_meeting and not clock.running)
        if show and clock is not None and clock.current is not None:
            self.banner.label.setText(
                self.tr("“{title}” is open and its clock is not running.").format(
                    title=clock.current.title
                )
            )
        if self.banner.isHidden() == show:
            self.banner.setVisible(show)

    def _mode_text(self, reading: Reading) -> str:
        sprint = self._shown_sprint()
        state = sprint.state if sprint is not None else ""
        if reading.in_meeting:
            if reading.running:
                return self.tr("Meeting in progress")
            return self.tr("Meeting in progress · clock paused")
        if state == meeting.DRAFT:
            return self.tr("Draft · edit freely; Ctrl+Enter starts the meeting")
        return self.tr("Meeting over · sprint {state}").format(state=self._state_name(state))

    def current_reading(self) -> Reading | None:
        """What the header shows: the meeting clock, or the open section before a meeting."""
        clock = self._shown_clock()
        if clock is None:
            return None
        reading = clock.reading()
        section = self._shown_section()
        if reading.in_meeting or section is None:
            return reading
        return Reading(
            section_id=section.id,
            title=section.title,
            elapsed=clock.elapsed(section) if section.visited else 0.0,
            budget=budget_of(section),
            running=False,
            in_meeting=False,
            meeting_elapsed=reading.meeting_elapsed,
            meeting_planned=reading.meeting_planned,
        )

    def tick(self) -> None:
        """Repaint the clock from its reading; re-armed for the next whole second."""
        reading = self.current_reading()
        if reading is None:
            return
        self.header.show_reading(reading, mode_text=self._mode_text(reading))
        if reading.running and self._doc is not None:
            self.agenda_model.refresh_section(reading.section_id)
        if self._mini is not None and self._mini.isVisible():
            self._mini.show_reading(reading)
        if reading.in_meeting and reading.phase is Phase.OVERRUN:
            key = (reading.section_id, reading.budget)
            if reading.running and key != self._chimed_key:
                self._chimed_key = key
                self.chime()
            if reading.running:
                self.header.pulse()
        if reading.running:
            # Wake just after the displayed second changes, whatever the run's phase.
            fraction = reading.elapsed - math.floor(reading.elapsed)
            self._tick_timer.start(max(20, min(TICK_MS, round((1.0 - fraction) * 1000) + 5)))
        else:
            self._tick_timer.stop()

    def chime(self) -> None:
        """Time's up: a system beep (no QtMultimedia here), unless switched off."""
        if not self.act_chime.isChecked():
            return
        self.chimes += 1
        QApplication.beep()

    def _set_chime(self, on: bool) -> None:
        if self._syncing:
            return
        from sprintdesk.plan import settings as db_settings

        if self._doc is None:
            return
        db_settings.put(self.doc.session, CHIME_SETTING, "1" if on else "0")
        self.doc.mark_dirty()
