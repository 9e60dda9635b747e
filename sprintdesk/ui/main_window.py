"""SprintDesk's main window: sprint picker, agenda sidebar, the meeting clock's header, one page
per section, facilitator notes, presentation mode (F5) and the mini timer (Ctrl+T).

The window owns no meeting logic: :class:`~sprintdesk.plan.meeting.MeetingClock` keeps time from an
injected monotonic clock and writes its state into the sprint, and every edit goes through
:class:`~sprintdesk.editing.document.PlanDocument` (undo stack and autosave). A one-second
timer only repaints from the clock.

The window lays out its widgets and composes the parts that do the work (see
:mod:`~sprintdesk.ui.host`); it keeps the open store and document, and hands them on.
Later features add their actions to the menus with :meth:`MainWindow.add_action`
(``"file"``, ``"edit"``, ``"meeting"``, ``"view"``, ``"help"``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QMainWindow,
    QMenu,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.plan.meeting import MeetingClock
from sprintdesk.ui.clock_header import ClockHeader, StartBanner, named
from sprintdesk.ui.enum_props import set_enums
from sprintdesk.ui.first_frame import FirstFrame
from sprintdesk.ui.first_paint import FirstPaint
from sprintdesk.ui.meeting_controls import MeetingController
from sprintdesk.ui.notes_panel import FacilitatorNotes
from sprintdesk.ui.plan_session import PlanSession
from sprintdesk.ui.presentation import Presentation
from sprintdesk.ui.sections import SectionNavigator
from sprintdesk.ui.sprints import SprintSwitcher
from sprintdesk.ui.themes import theme
from sprintdesk.ui.view_state import ViewState
from sprintdesk.ui.window_actions import WindowActions

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent

    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.editing.live import LiveUpdates

    # Imported when a store is attached: the window paints before SQLAlchemy loads.
    from sprintdesk.plan.model import AgendaSection, Sprint
    from sprintdesk.storage.opening import Opening
    from sprintdesk.storage.store import Store
    from sprintdesk.ui.agenda_model import AgendaModel
    from sprintdesk.ui.features import Features
    from sprintdesk.ui.mini_timer import MiniTimer


class MainWindow(QMainWindow):
    """The SprintDesk window. ``monotonic``/``wall`` replace the real clocks (tests, screenshots);
    ``settings`` replaces the user's ``QSettings`` (window geometry and view state only).

    Without a ``store`` the window starts empty and :meth:`take_store` (with a store from
    :func:`~sprintdesk.ui.opener.open_database`) fills it: that lets the window paint before
    the database layer is even imported.

    It owns its parts and they talk back through :mod:`~sprintdesk.ui.host`'s protocols:
    :attr:`plan_session` (the open store and its document), :attr:`meeting` (the clock's slots
    and the tick), :attr:`commands` (actions and menus),
    :attr:`first_frame` (the plan read straight from the file), :attr:`first_paint`,
    :attr:`sprints` (the picker), :attr:`sections` (the section on screen),
    :attr:`facilitator_notes`, :attr:`presentation`, :attr:`view_state` and :attr:`features`.

    Signals: presentationChanged(bool)."""

    agenda_model: AgendaModel  # set by attach_store
    # Built by _build_ui:
    act_notes: QAction
    header: ClockHeader
    banner: StartBanner
    pages: QStackedWidget
    loading: QLabel
    presentationChanged = Signal(bool)

    def __init__(
        self,
        store: Store | None = None,
        *,
        monotonic: Callable[[], float] | None = None,
        wall: Callable[[], float] | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        opening: Opening | None = None,
        staged: bool = False,
    ) -> None:
        """``opening`` (from :func:`sprintdesk.storage.opening.read_opening`) shows the sprint read
        straight from the file until a store is attached. ``staged`` builds only what the first
        frame shows (nothing touching the ``Qt`` namespace, see
        :mod:`~sprintdesk.ui.enum_props`): :meth:`complete` builds the rest, and must be called
        (just after the first paint) before a store is attached."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("SprintDesk"))
        self.settings = settings if settings is not None else QSettings()
        self.clock: MeetingClock | None = None
        self.syncing = False  # the window fills a widget: its change signal is not an edit
        self._mini: MiniTimer | None = None
        self.closed = False
        self._complete = False

        # The style sheet first: set on a built window it would restyle every widget again.
        # A staged window's first frame has it on the two parts it styles (the clock header
        # and the start banner) instead: every widget under a style sheet is polished and
        # drawn through it, which cost the first paint 4 ms; complete() moves it up here.
        self._parts_themed = staged
        if not staged:
            self.setStyleSheet(theme("base"))
        self.meeting = MeetingController(
            self, window=self, monotonic=monotonic or time.monotonic, wall=wall or time.time
        )
        self.commands = WindowActions(self, self.meeting, window=self, keys_later=staged)
        self.first_frame = FirstFrame(self, window=self)
        self.sections = SectionNavigator(self, window=self)
        self.facilitator_notes = FacilitatorNotes(self, window=self)
        self.notes, self.notes_panel = self.facilitator_notes.edit, self.facilitator_notes.panel
        self._build_ui()
        self.plan_session = PlanSession(self, window=self)
        self.sprints = SprintSwitcher(self, window=self)
        self.presentation = Presentation(self, window=self)
        self.view_state = ViewState(self, self.settings, window=self)
        self.first_paint = FirstPaint(
            self.header, first=self._after_first_paint, alive=lambda: not self.closed, window=self
        )
        self.commands.build_menus(self.act_notes)
        # A fixed floor instead of one that follows the contents: the countdown's width changes
        # as it runs, and a window's minimum size must not change on every tick.
        layout = self.layout()
        assert layout is not None
        set_enums(layout, sizeConstraint="SetNoConstraint")
        self.setMinimumSize(720, 480)

        self.view_state.restore()
        if opening is not None:
            try:
                self.first_frame.show(opening)
            except Exception:  # noqa: BLE001 - the first frame is optional; the store follows
                log.exception("The first frame could not show the sprint; it opens with the store.")
                self.first_frame.drop()
                self.pages.setCurrentWidget(self.loading)
                self.setWindowTitle(self.tr("SprintDesk"))
        if staged:
            return
        self.complete()
        if store is not None:
            self.attach_store(store)

    def complete(self) -> None:
        """Build what the first frame does not show: the features' actions and menus, the
        key guard and the action states (see ``staged``)."""
        if self._complete:
            return
        self._complete = True
        self.commands.bind_keys()
        if self._parts_themed:
            self._parts_themed = False
            for part in (self.header, self.banner):
                part.setStyleSheet("")
            self.setStyleSheet(theme("base"))
        from sprintdesk.ui.features import Features

        self.features: Features = Features(self, window=self)
        self.view_state.restore_docks()
        self.meeting.update_actions()

    @property
    def doc(self) -> PlanDocument:
        """The open plan (edits, undo, autosave); there is one once a store is attached."""
        if self.plan_session.doc is None:
            raise RuntimeError("No database is open yet.")
        return self.plan_session.doc

    @property
    def plan_open(self) -> bool:
        """Whether a store is attached (and :attr:`doc` there)."""
        return self.plan_session.doc is not None

    # --- the parts' public faces (the parts' hosts, tests, screenshots and the bench) -------

    @property
    def chimes(self) -> int:
        return self.meeting.chimes

    def tick(self) -> None:
        self.meeting.tick()

    def start_meeting(self) -> None:
        self.meeting.start_meeting()

    def next_section(self) -> None:
        self.meeting.next_section()

    def restart_section(self) -> None:
        self.meeting.restart_section()

    @property
    def act_toggle(self) -> QAction:
        return self.commands.act_toggle

    @property
    def act_start_meeting(self) -> QAction:
        return self.commands.act_start_meeting

    @property
    def act_chime(self) -> QAction:
        return self.commands.act_chime

    @property
    def act_undo(self) -> QAction:
        return self.commands.act_undo

    @property
    def clock_actions(self) -> list[QAction]:
        return self.commands.clock_actions

    @property
    def menus(self) -> dict[str, QMenu]:
        return self.commands.menus

    def add_action(self, menu: str, action: QAction) -> QAction:
        """Put a feature's action in one of the menus (see :meth:`WindowActions.add_action`)."""
        return self.commands.add_action(menu, action)

    @property
    def displayed(self) -> AgendaSection | None:
        """The section on screen."""
        return self.sections.displayed

    def show_section(self, section: AgendaSection) -> None:
        self.sections.show_section(section)

    def refresh_sprints(self) -> None:
        """Re-read the sprint picker (after an import or a new sprint)."""
        self.sprints.refresh()

    def open_sprint(self, sprint_id: int) -> None:
        self.sprints.open_sprint(sprint_id)

    def state_name(self, state: str) -> str:
        return self.sprints.state_name(state)

    @property
    def presenting(self) -> bool:
        return self.presentation.on

    def toggle_presentation(self) -> None:
        self.presentation.set(not self.presentation.on)

    def set_presentation(self, on: bool) -> None:
        self.presentation.set(on)

    def geometry_key(self) -> str:
        return self.view_state.geometry_key()

    @property
    def painted(self) -> bool:
        return self.first_paint.painted

    def call_after_first_paint(self, function: Callable[[], object]) -> None:
        """See :meth:`FirstPaint.call`."""
        self.first_paint.call(function)

    # --- the database (see PlanSession) ---------------------------------------------------

    @property
    def store(self) -> Store | None:
        return self.plan_session.store

    @property
    def live_updates(self) -> LiveUpdates | None:
        return self.plan_session.live_updates

    @property
    def save_state(self) -> QLabel:
        return self.plan_session.save_state

    def attach_store(self, store: Store) -> None:
        """Work on ``store``: open the sprint in a meeting, else the newest (or the welcome page).
        SQLAlchemy is first imported then, so the window paints before it loads."""
        if not self._complete:
            raise RuntimeError("MainWindow.complete() must run before a store is attached")
        self.plan_session.attach(store)

    def replace_store(self, store: Store) -> None:
        """Work on another database (after a restore from backup)."""
        self.plan_session.replace(store)

    def take_store(self, store: Store) -> None:
        """Work on ``store`` (from :func:`sprintdesk.ui.opener.open_database`) and close it with
        the window."""
        self.plan_session.take(store)

    def undo(self) -> None:
        if self.plan_open:
            self.doc.undo_stack.undo()

    def redo(self) -> None:
        if self.plan_open:
            self.doc.undo_stack.redo()

    def _build_ui(self) -> None:
        tr = self.tr
        self.toolbar = named(QToolBar(tr("Sprint"), self), "mainToolBar")
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)
        self.toolbar.addWidget(QLabel(tr("Sprint: ")))
        self.sprint_picker = named(QComboBox(), "sprintPicker")
        self.sprint_picker.setAccessibleName(tr("Sprint"))
        self.sprint_picker.setMinimumContentsLength(24)
        self.toolbar.addWidget(self.sprint_picker)

        self.header = ClockHeader()
        for action in self.commands.clock_actions:
            self.header.add_control(action)
        self.header.finish_controls()
        self.header.meeting_button.clicked.connect(self.meeting.meeting_button_clicked)

        self.banner = StartBanner()
        if self._parts_themed:
            for part in (self.header, self.banner):
                part.setStyleSheet(theme("base"))
        self.banner.button.setText(tr("Start the clock (Space)"))
        self.banner.button.clicked.connect(self.meeting.start_clock)
        self.banner.hide()

        self.agenda_view = self.sections.build_agenda_view()

        # Private notes sit under the agenda, in the room a short agenda leaves empty.
        self.side_splitter = named(QSplitter(), "sideSplitter")
        set_enums(self.side_splitter, orientation="Vertical")
        self.side_splitter.addWidget(self.agenda_view)
        self.side_splitter.addWidget(self.notes_panel)
        self.side_splitter.setSizes([360, 200])

        self.pages = named(QStackedWidget(), "pageStack")
        self.loading = named(QLabel(tr("Opening…")), "pageLoading")
        set_enums(self.loading, alignment="AlignCenter")
        self.pages.addWidget(self.loading)
        self.splitter = named(QSplitter(), "mainSplitter")  # horizontal
        self.splitter.addWidget(self.side_splitter)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([440, 840])

        self.planning_area = named(QWidget(), "planningArea")
        layout = QVBoxLayout(self.planning_area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header)
        layout.addWidget(self.banner)
        layout.addWidget(self.splitter, 1)
        self.central = named(QStackedWidget(), "centralArea")
        self.central.addWidget(self.planning_area)
        self.setCentralWidget(self.central)

        self.act_notes = self.commands.action(
            "facilitatorNotesToggle",
            tr("Facilitator notes"),
            self.notes_panel.setVisible,
            ["Ctrl+Shift+N"],
            checkable=True,
        )
        self.act_notes.setChecked(True)

    def toggle_mini_timer(self) -> None:
        if self._mini is None:
            from sprintdesk.ui.mini_timer import MiniTimer

            self._mini = MiniTimer(self.settings)
            # The meeting keys work while the mini timer has the focus.
            self._mini.addActions([*self.commands.clock_actions, self.commands.act_mini])
        if self._mini.isVisible():
            self._mini.hide()
            return
        self._mini.show()
        self.tick()

    @property
    def mini_timer(self) -> MiniTimer | None:
        return self._mini

    def show_shortcuts(self) -> None:
        from PySide6.QtCore import Qt

        from sprintdesk.ui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self.actions() + self.agenda_view.actions(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    # --- the sprint on screen: the open plan's, or the first frame's before a store ---------

    def shown_clock(self) -> MeetingClock | None:
        """The open sprint's clock, or the first frame's (read-only) before a store."""
        return self.clock if self.clock is not None else self.first_frame.clock

    def shown_sprint(self) -> Sprint | None:
        if self.plan_session.doc is not None:
            return self.plan_session.doc.sprint
        return self.first_frame.sprint

    def shown_section(self) -> AgendaSection | None:
        if self.plan_session.doc is None and self.first_frame.opening is not None:
            return self.first_frame.section
        return self.displayed

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.sprints.pick_up_other_writers()

    def _after_first_paint(self) -> None:
        self.header.fit_titles = True
        self.header.fit_title()
        if self.displayed is not None and self.plan_open and not self.closed:
            self.show_section(self.displayed)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - a Qt override
        if not self.closed:
            self.closed = True
            self.meeting.stop()
            self.presentation.set(False)
            self.view_state.save()
            self.facilitator_notes.flush()  # private notes on a team database: saved now
            if self._mini is not None:
                self._mini.close()
            self.plan_session.close()
        super().closeEvent(event)
