"""Planning together in the window (team database only): who else is here, and following the
meeting from every seat.

:class:`Together` is owned by the main window when its plan lives on a team database. It keeps
the window's seat (``editing.presence.PresenceTracker``), shows the others in the status bar
(``views.presence.WhoIsHere``), and makes one window the facilitator: the others' clocks follow
the stored meeting state as live updates bring it (computed from the stored start instant on the
server's clock, so they do not drift), and their section follows the facilitator's. A follower
pressing Start, Next or Space is asked "Take over from Ana?" and, on yes, drives from then on.
A meeting that runs with nobody driving it (the facilitator's window closed, crashed or slept
past its lease) is taken over without asking by the first seat in line (the lowest client id,
so two seats do not both take it) at a heartbeat that finds nobody driving for
:data:`TAKE_AFTER_SECONDS` on the server's clock. The wait leaves time for the last state the
facilitator saved to arrive (so the new driver does not bank the time over it) and for a
facilitator just starting the meeting to hold the lease. Its clock writes and chimes again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, cast

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtWidgets import QMessageBox

from sprintdesk.editing.presence import PresenceTracker
from sprintdesk.storage import presence
from sprintdesk.views.presence import WhoIsHere

if TYPE_CHECKING:
    from PySide6.QtWidgets import QStatusBar, QTableView, QWidget

    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.editing.live import LiveUpdates
    from sprintdesk.plan.meeting import MeetingClock
    from sprintdesk.plan.model import AgendaSection
    from sprintdesk.ui.meeting_controls import MeetingController

MEETING_TABLES = ("sprints", "agenda_sections")
# A running meeting nobody drives for this long is taken by the first seat in line.
TAKE_AFTER_SECONDS = presence.HEARTBEAT_SECONDS


class TogetherHost(Protocol):
    """What :class:`Together` needs of the main window."""

    meeting: MeetingController

    @property
    def clock(self) -> MeetingClock | None: ...

    @property
    def displayed(self) -> AgendaSection | None: ...

    @property
    def agenda_view(self) -> QTableView: ...

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - Qt's name

    def show_section(self, section: AgendaSection) -> None: ...

    def refresh_sprints(self) -> None: ...


class Together(QObject):
    """The window's seat at a shared sprint; :attr:`tracker` and :attr:`label` are public."""

    def __init__(
        self,
        window: TogetherHost,
        doc: PlanDocument,
        live: LiveUpdates,
        *,
        name: str | None = None,
        interval: float = presence.HEARTBEAT_SECONDS,
        expiry: float = presence.EXPIRY_SECONDS,
    ) -> None:
        super().__init__(cast("QWidget", window))
        self.window = window
        self.doc = doc
        # The window's own clock (a laptop's may be minutes off): corrected by the server's.
        self.tracker = PresenceTracker(
            doc.store,
            name=name,
            interval=interval,
            expiry=expiry,
            wall=window.meeting.wall,
            parent=self,
        )
        self.label = WhoIsHere(parent=cast("QWidget", window))
        window.statusBar().addPermanentWidget(self.label)
        live.changesArrived.connect(self.tracker.on_changes)
        live.reloadNeeded.connect(self.tracker.beat)
        doc.sprintOpened.connect(self._on_sprint)
        doc.remoteApplied.connect(self._on_remote)
        self.tracker.seatsChanged.connect(self._show)
        self.tracker.facilitatorChanged.connect(self._on_facilitator)
        window.agenda_view.selectionModel().currentRowChanged.connect(self._on_row)
        # The meeting runs on the server's clock here: every seat computes the same countdown.
        window.meeting.wall = self.tracker.server_time
        window.meeting.may_drive = self.may_drive
        self._synced_offset = False
        # The sprint's meeting as last seen: a remote change may start it or move it on.
        self._state = ""
        self._current_id: int | None = None
        # Since when (server time) the running meeting has had nobody driving it, as seen here.
        self._unheld_since: float | None = None
        self.take_after = TAKE_AFTER_SECONDS
        self.tracker.answered.connect(self._first_offset)
        self.tracker.answered.connect(self._take_unheld_clock)
        if doc.sprint is not None:
            self._on_sprint(doc.sprint.id)

    # --- presence -------------------------------------------------------------------------

    def _on_sprint(self, sprint_id: int) -> None:
        self._synced_offset = False
        shown = self.window.displayed
        self.tracker.follow(sprint_id, shown.id if shown is not None else None)
        self._resync()

    def _on_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        shown = self.window.displayed
        if current.isValid() and shown is not None:
            self.tracker.set_section(shown.id)

    def _show(self, _seats: list[Any] | None = None) -> None:
        sprint = self.doc.sprint
        sections = {s.id: s.title for s in sprint.sections} if sprint is not None else {}
        self.label.show_seats(
            self.tracker.others,
            sections,
            facilitator=self.tracker.facilitator,
            me=self.tracker.client,
        )

    def _first_offset(self) -> None:
        # The first answer brings the server's clock: a running meeting is measured on it.
        if not self._synced_offset:
            self._synced_offset = True
            self._resync()

    # --- following the meeting ------------------------------------------------------------

    def _on_facilitator(self) -> None:
        clock = self.window.clock
        if clock is not None:
            clock.following = self.following
            self._resync()
        self._show()

    @property
    def following(self) -> bool:
        """This window does not drive the sprint's meeting (another does, or nobody does until
        a meeting key is pressed here): its clock shows the stored state and writes none of it,
        so two windows never both bank the running time (a conflict on closing)."""
        return not self.tracker.is_facilitator

    def _on_remote(self, changes: list[Any]) -> None:
        sprint = self.doc.sprint
        if sprint is None:
            return
        if any(c.what in MEETING_TABLES and c.sprint_id == sprint.id for c in changes):
            state, before = self._state, self._current_id
            self._resync()
            clock = self.window.clock
            if clock is not None and clock.in_meeting and sprint.meeting_section_id != before:
                current = clock.current
                if current is not None:
                    self.window.show_section(current)  # the facilitator moved on
                    self.tracker.set_section(current.id)
            self.window.meeting.after_clock_change()
            if sprint.state != state:  # the meeting started or ended: the picker says so
                self.window.refresh_sprints()

    def _resync(self) -> None:
        clock = self.window.clock
        sprint = self.doc.sprint
        self._state = sprint.state if sprint is not None else ""
        self._current_id = sprint.meeting_section_id if sprint is not None else None
        if clock is None:
            return
        clock.following = self.following
        clock.resync(self.tracker.server_time)
        self.window.meeting.after_clock_change()

    def _take_unheld_clock(self) -> None:
        """The sprint's meeting is running and nobody holds the lease (the facilitator left, or
        their seat expired): the first seat in line takes the clock. Following a clock nobody
        drives would leave a countdown nobody can bank and no window to chime."""
        tracker = self.tracker
        clock = self.window.clock
        if tracker.facilitator is not None or clock is None or not clock.in_meeting:
            self._unheld_since = None
            return
        now = tracker.server_time()
        if self._unheld_since is None:
            self._unheld_since = now
        if now - self._unheld_since < self.take_after:
            return  # the facilitator's last save may still be on its way: look again later
        if tracker.client != min([tracker.client, *(seat.client for seat in tracker.others)]):
            return  # another seat here comes first: it takes the clock, this one follows it
        self._unheld_since = None
        tracker.claim()
        clock.following = False
        self.window.meeting.after_clock_change()

    def may_drive(self) -> bool:
        """Asked before the clock is moved here: a follower takes over only when the person
        says so; a seat nobody drives becomes the facilitator without asking."""
        facilitator = self.tracker.facilitator
        if facilitator is not None and not self.tracker.is_facilitator:
            answer = QMessageBox.question(
                cast("QWidget", self.window),
                self.tr("Take over the meeting"),
                self.tr(
                    "{name} is running the meeting's clock. Take over from {name}? Their "
                    "window will follow yours."
                ).format(name=facilitator.name),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        if not self.tracker.is_facilitator:
            self.tracker.claim()
        clock = self.window.clock
        if clock is not None:
            clock.following = False
        return True

    def stop(self) -> None:
        self.tracker.stop()
        # The window may go on with a local database (a restore): its own clock, no lease.
        self.window.meeting.wall = self.tracker.wall
        self.window.meeting.may_drive = lambda: True
