"""Which sprint the window shows: the sprint picker, the sprint opened at start (a meeting in
progress, else the newest), the welcome page when there is none, and what follows opening a
sprint (its clock, title, notes, agenda and section).

An object the main window owns (:class:`SprintSwitcher`); it reaches the window through
:class:`~sprintdesk.ui.host.SprintsHost`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from sprintdesk.plan import meeting

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow, QWidget

    from sprintdesk.ui.host import SprintsHost


class SprintSwitcher(QObject):
    """Fills the sprint picker and opens sprints in the window's document. :attr:`rows` is the
    picker's list as read (id, name, state); :attr:`welcome` the welcome page once shown."""

    def __init__(self, host: SprintsHost, *, window: QMainWindow) -> None:
        super().__init__(window)
        self.host = host
        self.window = window
        self.rows: list[tuple[int, str, str]] = []
        self.welcome: QWidget | None = None
        host.sprint_picker.currentIndexChanged.connect(self._on_picker_changed)

    def state_name(self, state: str) -> str:
        """A sprint state in the user's words."""
        names = {
            meeting.DRAFT: self.tr("draft"),
            meeting.IN_MEETING: self.tr("in meeting"),
            meeting.PLANNED: self.tr("planned"),
            "published": self.tr("published"),
        }
        return names.get(state, state)

    def refresh(self) -> None:
        """Re-read the sprint picker (after an import or a new sprint)."""
        from sqlalchemy import select

        from sprintdesk.plan.model import Sprint

        host = self.host
        if not host.plan_open:
            return
        current = host.doc.sprint
        rows: Sequence[tuple[Any, Any, Any]]
        if host.doc.offline:
            # The team database cannot be asked: the list as read, the open sprint as it is.
            rows = [
                (i, current.name, current.state)
                if current is not None and i == current.id
                else (i, n, st)
                for i, n, st in self.rows
            ]
        else:
            rows = host.doc.session.execute(
                select(Sprint.id, Sprint.name, Sprint.state).order_by(
                    Sprint.start.desc().nulls_last(), Sprint.id.desc()
                )
            ).all()
        self.rows = [(int(i), str(n), str(st)) for i, n, st in rows]
        host.syncing = True
        try:
            host.sprint_picker.clear()
            for sprint_id, name, state in rows:
                host.sprint_picker.addItem(f"{name} · {self.state_name(state)}", sprint_id)
            self._select_picker()
        finally:
            host.syncing = False

    def fill_picker(self, sprints: list[tuple[int, str, str]], current: int | None) -> None:
        """The picker's list as the first frame read it (id, name, state), on ``current``."""
        picker = self.host.sprint_picker
        self.host.syncing = True
        try:
            for sprint_id, name, state in sprints:
                picker.addItem(f"{name} · {self.state_name(state)}", sprint_id)
            picker.setCurrentIndex(picker.findData(current))
        finally:
            self.host.syncing = False

    def initial_sprint_id(self) -> int | None:
        """A meeting in progress first (resume after a crash), else the newest sprint.

        The first frame made the same choice from the same file: while the sprints are still
        the ones it read (not a backup restored since), its choice is kept, not asked again."""
        opening = self.host.first_frame.opening
        if opening is not None and opening.sprint is not None and opening.sprints == self.rows:
            return opening.sprint.id
        from sqlalchemy import select

        from sprintdesk.plan.model import Sprint

        session = self.host.doc.session
        running = session.scalar(
            select(Sprint.id)
            .where(Sprint.state == meeting.IN_MEETING)
            .order_by(Sprint.id.desc())
            .limit(1)
        )
        if running is not None:
            return int(running)
        # The latest sprint by its dates (an old plan imported today is not "the newest").
        newest = session.scalar(
            select(Sprint.id).order_by(Sprint.start.desc().nulls_last(), Sprint.id.desc()).limit(1)
        )
        return int(newest) if newest is not None else None

    def open_first(self) -> None:
        """Open the sprint to start on, or the welcome page when there is none."""
        initial = self.initial_sprint_id()
        if initial is None:
            self.show_welcome()
        else:
            self.open_sprint(initial)
            # The agenda leaves the meeting keys to the window: Space starts or pauses the
            # clock at once (the first control in the tab order, the sprint picker, would
            # open its list instead).
            self.host.agenda_view.setFocus()

    def open_sprint(self, sprint_id: int) -> None:
        """Open a sprint. Offline, another sprint cannot be read: the status bar says so, the
        picker goes back to the open sprint and nothing typed is touched."""
        from sprintdesk.editing.document import OfflineError

        self.host.central.setCurrentWidget(self.host.planning_area)
        try:
            self.host.doc.open_sprint(sprint_id)
        except OfflineError as exc:
            self.window.statusBar().showMessage(str(exc), 15000)
            self.host.syncing = True
            try:
                self._select_picker()
            finally:
                self.host.syncing = False

    def _on_picker_changed(self, index: int) -> None:
        host = self.host
        if host.syncing or index < 0 or not host.plan_open:
            return
        sprint_id = host.sprint_picker.itemData(index)
        if host.doc.sprint is None or sprint_id != host.doc.sprint.id:
            self.open_sprint(int(sprint_id))

    def _select_picker(self) -> None:
        if self.host.doc.sprint is None:
            return
        index = self.host.sprint_picker.findData(self.host.doc.sprint.id)
        if index >= 0:
            self.host.sprint_picker.setCurrentIndex(index)

    def on_sprint_opened(self, sprint_id: int) -> None:
        """The document opened a sprint: its clock, title, notes, agenda and section."""
        del sprint_id
        host = self.host
        sprint = host.doc.sprint
        assert sprint is not None
        clock = host.clock = host.meeting.clock_for(sprint)
        if clock.in_meeting:
            host.doc.mark_dirty()  # restoring may have picked the first section
        host.syncing = True
        try:
            self._select_picker()
        finally:
            host.syncing = False
        self.window.setWindowTitle(self.tr("SprintDesk — {name}").format(name=sprint.name))
        # The publish state loads the publishing code: just after the sprint is on screen.
        QTimer.singleShot(0, self._update_publish_status)
        host.facilitator_notes.load()
        host.agenda_model.reload(reset=True)
        sections = host.sections
        sections.size_agenda_columns()
        host.agenda_model.set_suggestions({})
        QTimer.singleShot(0, self._load_suggestions)
        target = clock.current if clock.in_meeting else None
        shown = sections.displayed_ids
        sections.displayed = None
        if target is None and shown is not None and shown[0] == sprint.id:
            target = next((s for s in sprint.sections if s.id == shown[1]), None)
        if target is None and sprint.sections:
            target = sprint.sections[0]
        if target is not None:
            sections.show_section(target)
        else:
            host.pages.setCurrentIndex(-1)
        host.meeting.after_clock_change()

    def _update_publish_status(self) -> None:
        if not self.host.closed and self.host.plan_open:
            self.host.features.update_status()

    def _load_suggestions(self) -> None:
        host = self.host
        sprint = host.doc.sprint if host.plan_open else None
        if sprint is None or host.closed:
            return
        from sqlalchemy.exc import SQLAlchemyError

        from sprintdesk.plan.history import suggested_timeboxes

        try:
            suggestions = suggested_timeboxes(host.doc.session, sprint)
        except SQLAlchemyError as exc:  # a team database gone meanwhile: a hint, not needed
            log.info("no suggested timeboxes: %s", exc)
            return
        host.agenda_model.set_suggestions(suggestions)
        host.sections.size_agenda_columns()

    # --- no sprint yet ----------------------------------------------------------------------

    def show_welcome(self) -> None:
        central = self.host.central
        if self.welcome is None:
            from sprintdesk.views.welcome import WelcomePage

            page = WelcomePage(self.host.doc, parent=central)
            page.sprintCreated.connect(self._on_first_sprint)
            page.demoLoaded.connect(lambda: self._on_first_sprint(None))
            self.welcome = page
            central.addWidget(page)
        central.setCurrentWidget(self.welcome)
        self.window.setWindowTitle(self.tr("SprintDesk"))
        self.host.meeting.update_actions()

    def drop_welcome(self) -> None:
        if self.welcome is not None:
            self.host.central.removeWidget(self.welcome)
            self.welcome.deleteLater()
            self.welcome = None

    def _on_first_sprint(self, sprint_id: int | None) -> None:
        self.refresh()
        target = sprint_id if sprint_id is not None else self.initial_sprint_id()
        if target is not None:
            self.open_sprint(target)

    # --- other writers ----------------------------------------------------------------------

    def pick_up_other_writers(self) -> None:
        """Coming back to the window: show sprints another process added or removed (an
        import from the command line). Our own edits are saved first, nothing is reopened, so
        the undo history and the section on screen stay. On a team database the look is taken
        behind the window (a server that has gone away is found by the next save or the
        offline look-out, not by switching windows)."""
        host = self.host
        if not host.plan_open or host.closed or host.doc.offline:
            return  # offline nobody else's sprints can be read (the look-out reloads later)
        from sqlalchemy import select

        from sprintdesk.plan.model import Sprint

        def read(session: Any) -> set[int]:  # a fresh read, past our session's snapshot
            return set(session.scalars(select(Sprint.id)))

        def landed(ids: set[int]) -> None:
            if not host.plan_open or host.closed or ids == {row[0] for row in self.rows}:
                return
            host.doc.reload()
            self.refresh()

        host.doc.read_later(
            read,
            landed=landed,
            failed=lambda message: log.info("no look at other writers' sprints: %s", message),
            owner=self,
        )
