"""The meeting clock's controls in the main window: start/pause, next/previous, +1/+5 min,
restart, start/end meeting, and the one-second repaint with its "time's up" pulse and chime.

An object the main window owns (:class:`MeetingController`); it reaches the window through
:class:`~sprintdesk.ui.host.MeetingHost`. The clock itself
(:class:`~sprintdesk.plan.meeting.MeetingClock`) is Qt-free and keeps time on its own, so a
tick only repaints from it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

from sprintdesk.plan import meeting
from sprintdesk.plan.meeting import Clock, MeetingClock, Phase, Reading, budget_of
from sprintdesk.plan.vocabulary import SectionKind
from sprintdesk.ui.enum_props import set_enums
from sprintdesk.views.wording import tr_n

TICK_MS = 1000
CHIME_SETTING = "meeting.chime"

if TYPE_CHECKING:
    from sprintdesk.plan.model import Sprint
    from sprintdesk.ui.chime import Chime
    from sprintdesk.ui.host import MeetingHost


class MeetingController(QObject):
    """The meeting clock's slots and the tick. ``window`` is the dialogs' parent; ``host`` the
    same window seen through what this controller needs of it. ``monotonic``/``wall`` are the
    clocks every :class:`MeetingClock` of the window runs on (tests, screenshots)."""

    def __init__(
        self, host: MeetingHost, *, window: QWidget, monotonic: Clock, wall: Clock
    ) -> None:
        super().__init__(window)
        self.host = host
        self.window = window
        self.monotonic = monotonic
        self.wall = wall
        self.chimes = 0  # how many times the chime sounded (the beep leaves no other trace)
        self._chimed_key: tuple[int | None, int] | None = None  # the overrun that chimed
        self._sound: Chime | None = None
        self.tick_timer = QTimer(window)
        self.tick_timer.setObjectName("tickTimer")
        set_enums(self.tick_timer, timerType="PreciseTimer")
        self.tick_timer.setSingleShot(True)
        self.tick_timer.timeout.connect(self.tick)
        # Asked before this window moves the clock: on a team database another window may
        # drive the meeting (ui.together asks to take over). Locally: always.
        self.may_drive: Callable[[], bool] = lambda: True

    def clock_for(self, sprint: Sprint) -> MeetingClock:
        """A clock on ``sprint`` that does not chime for an overrun it reopens in."""
        clock = MeetingClock(sprint, monotonic=self.monotonic, wall=self.wall)
        reading = clock.reading()
        if reading.in_meeting and reading.phase is Phase.OVERRUN:
            self._chimed_key = (reading.section_id, reading.budget)  # no chime on reopening
        return clock

    def stop(self) -> None:
        """The window closes: no more ticks, and a running clock banks the time it ran into the
        sprint (saved as the plan closes), so what reads the file while SprintDesk is closed
        (the command line's export, history) counts it. The clock goes on running from the
        wall clock when the window opens the sprint again, each second counted once."""
        self.tick_timer.stop()
        clock = self.host.clock
        if clock is not None and clock.running and self.host.plan_open:
            clock.checkpoint()
            self.host.doc.mark_dirty()

    def _clock_do(self, operation: Callable[[MeetingClock], object]) -> None:
        clock = self.host.clock
        if clock is None or not self.may_drive():
            return
        operation(clock)
        self.host.doc.mark_dirty()
        self.after_clock_change()

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
        self.host.sections.size_agenda_columns()  # "10 min +5" is wider than "10 min": never elided

    def restart_section(self) -> None:
        self._chimed_key = None
        self._clock_do(MeetingClock.restart_section)

    def start_meeting(self) -> None:
        clock = self.host.clock
        if clock is None or clock.in_meeting:
            return
        if not self._confirm_reopen() or not self._end_other_meeting():
            return
        self._clock_do(MeetingClock.start_meeting)
        self.host.refresh_sprints()

    def _confirm_reopen(self) -> bool:
        """A planned sprint's meeting is over: reopening it is asked, not done by a stray key."""
        from PySide6.QtWidgets import QMessageBox

        sprint = self.host.doc.sprint
        if sprint is None or sprint.state != meeting.PLANNED:
            return True
        answer = QMessageBox.question(
            self.window,
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

        sprint = self.host.doc.sprint if self.host.plan_open else None
        clock = self.host.clock
        if clock is None or not clock.in_meeting or sprint is None:
            return True
        left = [s.title for s in sprint.sections if not s.visited]
        if not left:
            return True
        answer = QMessageBox.question(
            self.window,
            self.tr("End meeting"),
            tr_n(
                "MeetingController",
                "%n sections were not opened yet: {names}. End the meeting anyway?",
                len(left),
                one="%n section was not opened yet: {names}. End the meeting anyway?",
            ).replace("{names}", ", ".join(left[:4]) + ("…" if len(left) > 4 else "")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _end_other_meeting(self) -> bool:
        """One meeting at a time: if another sprint's meeting still runs, offer to end it (its
        clock stops and its time is kept) before this one starts. False: don't start."""
        from PySide6.QtWidgets import QMessageBox

        from sprintdesk.editing.document import OfflineError

        current = self.host.doc.sprint
        assert current is not None
        try:
            other = self.host.doc.meeting_elsewhere()
        except OfflineError as exc:
            # Offline the meeting starts all the same (the clock needs no server); the
            # status bar says what could not be checked.
            self.host.statusBar().showMessage(str(exc), 10000)
            return True
        if other is None:
            return True
        answer = QMessageBox.question(
            self.window,
            self.tr("Start meeting"),
            self.tr(
                "The meeting for {other} is still running. End it and start the meeting for {this}?"
            ).format(other=other.name, this=current.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        MeetingClock(other, monotonic=self.monotonic, wall=self.wall).end_meeting()
        return True

    def end_meeting(self) -> None:
        if not self._confirm_early_end():
            return
        self._clock_do(MeetingClock.end_meeting)
        self.host.refresh_sprints()
        self.host.statusBar().showMessage(self.tr("Meeting ended: the sprint is planned."), 8000)

    def meeting_button_clicked(self) -> None:
        clock = self.host.clock
        if clock is not None and clock.in_meeting:
            self.end_meeting()
        else:
            self.start_meeting()

    def after_clock_change(self) -> None:
        """The clock moved (or another sprint opened): follow it on every part of the window."""
        clock = self.host.clock
        if clock is not None and clock.in_meeting:
            current = clock.current
            # A follower looks at any section; the facilitator's moves are shown to it as
            # they arrive (ui.together).
            if current is not None and current is not self.host.displayed and not clock.following:
                self.host.show_section(current)
        self.host.agenda_model.refresh_times()
        shown = self.host.displayed
        if shown is not None and shown.kind == SectionKind.SUMMARY.value:
            # The summary's table is the clock's figures: shown again, it counts the section
            # just banked (its own time, as the meeting ends) without leaving and coming back.
            self.host.show_section(shown)
        self.update_actions()
        self.update_banner()
        self.tick()

    def update_actions(self) -> None:
        """Enable the meeting's actions for the sprint on screen, and word its button."""
        host = self.host
        commands = host.commands
        clock = host.shown_clock()
        in_meeting = clock is not None and clock.in_meeting
        sprint = host.shown_sprint()
        has_sections = bool(sprint is not None and sprint.sections)
        for action in commands.clock_actions:
            action.setEnabled(in_meeting)
        state = meeting.meeting_state(sprint.state) if sprint is not None else None
        can_start = not in_meeting and has_sections and state in (meeting.DRAFT, meeting.PLANNED)
        commands.act_start_meeting.setEnabled(can_start)
        commands.act_end_meeting.setEnabled(in_meeting)
        if sprint is not None and state == meeting.PLANNED and meeting.meeting_was_held(sprint):
            commands.act_start_meeting.setText(self.tr("Resume meeting"))
        else:
            commands.act_start_meeting.setText(self.tr("Start meeting"))
        button = host.header.meeting_button
        button.setText(
            commands.act_end_meeting.text() if in_meeting else commands.act_start_meeting.text()
        )
        button.setEnabled(in_meeting or can_start)
        if clock is not None and clock.in_meeting:
            commands.act_toggle.setText(self.tr("Pause") if clock.running else self.tr("Start"))
        else:
            commands.act_toggle.setText(self.tr("Start / pause"))

    def update_banner(self) -> None:
        """The "clock is not running" banner, shown in a meeting whose clock is paused."""
        banner = self.host.banner
        clock = self.host.shown_clock()
        show = bool(clock is not None and clock.in_meeting and not clock.running)
        # In a meeting its room stays: pausing must not move the agenda and the page.
        banner.keep_room(bool(clock is not None and clock.in_meeting))
        if show and clock is not None and clock.current is not None:
            banner.set_message(
                self.tr("“{title}” is open and its clock is not running.").format(
                    title=clock.current.title
                )
            )
        if banner.isHidden() == show:
            banner.setVisible(show)

    def _mode_text(self, reading: Reading) -> str:
        sprint = self.host.shown_sprint()
        state = meeting.meeting_state(sprint.state) if sprint is not None else ""
        if reading.in_meeting:
            if reading.running:
                return self.tr("Meeting in progress")
            return self.tr("Meeting in progress · clock paused")
        published = sprint is not None and (
            sprint.published_at is not None or sprint.publish_issue_number is not None
        )
        if state == meeting.DRAFT:
            if published:
                return self.tr("Draft · published ahead; Ctrl+Enter starts the meeting")
            return self.tr("Draft · edit freely; Ctrl+Enter starts the meeting")
        if published and sprint is not None and not meeting.meeting_was_held(sprint):
            return self.tr("Published · Ctrl+Enter starts the meeting")
        if published:
            return self.tr("Meeting over · sprint planned · published")
        return self.tr("Meeting over · sprint {state}").format(state=self.host.state_name(state))

    def current_reading(self) -> Reading | None:
        """What the header shows: the meeting clock, or the open section before a meeting."""
        clock = self.host.shown_clock()
        if clock is None:
            return None
        reading = clock.reading()
        section = self.host.shown_section()
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
            meeting_added=reading.meeting_added,
        )

    def tick(self) -> None:
        """Repaint the clock from its reading; re-armed for the next whole second."""
        reading = self.current_reading()
        if reading is None:
            return
        host = self.host
        host.header.show_reading(reading, mode_text=self._mode_text(reading))
        self._follow_on_page()
        if reading.running and host.plan_open:
            host.agenda_model.refresh_section(reading.section_id)
        mini = host.mini_timer
        if mini is not None and mini.isVisible():
            mini.show_reading(reading)
        warming = reading.running and reading.phase is Phase.AMBER
        # On a team database only the facilitator's window chimes: the followers' windows
        # (often in the same room) stay quiet.
        clock = host.clock
        chimes_here = self.host.commands.act_chime.isChecked() and not (
            clock is not None and clock.following
        )
        if reading.in_meeting and warming and chimes_here:
            self.sound().prepare()  # the file is loaded by the time it is wanted
        if reading.in_meeting and reading.phase is Phase.OVERRUN:
            key = (reading.section_id, reading.budget)
            if reading.running and key != self._chimed_key:
                self._chimed_key = key
                if chimes_here:
                    self.chime()
            if reading.running:
                host.header.pulse()
        if reading.running:
            # Wake just after the displayed second changes, whatever the run's phase.
            fraction = reading.elapsed - math.floor(reading.elapsed)
            self.tick_timer.start(max(20, min(TICK_MS, round((1.0 - fraction) * 1000) + 5)))
        else:
            self.tick_timer.stop()

    def _follow_on_page(self) -> None:
        # A page that shows the clock's figures (the summary's table) counts the running
        # section's time so far, as the header does, each second.
        follow = getattr(self.host.pages.currentWidget(), "follow_clock", None)
        if follow is not None:
            clock = self.host.clock
            follow(clock.elapsed if clock is not None else None)

    def chime(self) -> None:
        """Time's up: the chime (resources/sounds/chime.wav), unless switched off."""
        if not self.host.commands.act_chime.isChecked():
            return
        self.chimes += 1
        self.sound().play()

    def sound(self) -> Chime:
        """The chime player, made on first use (QtMultimedia stays off the start-up path)."""
        if self._sound is None:
            from sprintdesk.ui.chime import Chime

            self._sound = Chime(parent=self)
        return self._sound

    def set_chime(self, on: bool) -> None:
        """The chime switched on or off: a setting of the database (the team's choice)."""
        if self.host.syncing or not self.host.plan_open:
            return
        from sprintdesk.plan import settings as db_settings

        doc = self.host.doc
        db_settings.put(doc.session, CHIME_SETTING, "1" if on else "0")
        doc.mark_dirty()
