"""SprintDesk's main window: sprint picker, agenda sidebar, the meeting clock's header, one page
per section, facilitator notes, presentation mode (F5) and the mini timer (Ctrl+T).

The window owns no meeting logic: :class:`~sprintdesk.plan.meeting.MeetingClock` keeps time from an
injected monotonic clock and writes its state into the sprint, and every edit goes through
:class:`~sprintdesk.editing.document.PlanDocument` (undo stack and autosave). A one-second
timer only
repaints from the clock.

Later features add their actions to the menus with :meth:`MainWindow.add_action`
(``"file"``, ``"edit"``, ``"meeting"``, ``"view"``, ``"help"``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.plan import meeting
from sprintdesk.plan.meeting import MeetingClock
from sprintdesk.ui.clock_header import ClockHeader, StartBanner, named
from sprintdesk.ui.enum_props import set_enums
from sprintdesk.ui.first_frame import FirstFrame
from sprintdesk.ui.meeting_controls import CHIME_SETTING, MeetingController
from sprintdesk.ui.themes import theme
from sprintdesk.ui.window_actions import WindowActions

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QAction, QCloseEvent

    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.editing.live import LiveUpdates

    # Imported when a store is attached: the window paints before SQLAlchemy loads.
    from sprintdesk.plan.model import AgendaSection, SectionKind, Sprint
    from sprintdesk.storage.opening import Opening
    from sprintdesk.storage.store import Store
    from sprintdesk.ui.agenda_model import AgendaModel
    from sprintdesk.ui.features import Features
    from sprintdesk.ui.mini_timer import MiniTimer


class MainWindow(QMainWindow):
    """The SprintDesk window. ``monotonic``/``wall`` replace the real clocks (tests, screenshots);
    ``settings`` replaces the user's ``QSettings`` (window geometry and view state only).

    Without a ``store`` the window starts empty and :meth:`attach_store` (or :meth:`open_url`)
    fills it: that lets the window paint before the database layer is even imported.

    It owns its parts and they talk back through :mod:`~sprintdesk.ui.host`'s protocols:
    :attr:`meeting` (the clock's slots and the tick), :attr:`commands` (actions and menus),
    :attr:`first_frame` (the plan read straight from the file) and :attr:`features`."""

    agenda_model: AgendaModel  # set by attach_store
    # Built by _build_ui:
    act_notes: QAction
    pages: QStackedWidget
    _loading: QLabel
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
        self.store: Store | None = None
        self.settings = settings if settings is not None else QSettings()
        self._doc: PlanDocument | None = None
        self._owns_store = False
        self._after_paint: list[Callable[[], object]] = []
        self.clock: MeetingClock | None = None
        self.displayed: AgendaSection | None = None
        # (sprint id, section id) last shown: a reload of the same sprint (after publishing,
        # Availability, an import) stays on that section instead of jumping to the first.
        self._displayed_ids: tuple[int, int] | None = None
        self._pages: dict[str, QWidget] = {}
        self._page_classes: dict[SectionKind, type[QWidget]] | None = None
        self._mini: MiniTimer | None = None
        self._presenting = False
        self._before_presentation: dict[str, object] = {}
        self.syncing = False  # the window fills a widget: its change signal is not an edit
        self._sprint_rows: list[tuple[int, str, str]] = []  # the picker's (id, name, state)
        self._loading_notes = False
        self._closed = False
        self.live_updates: LiveUpdates | None = None  # a team database's live updates
        self._welcome: QWidget | None = None
        self._painted = False
        self._paint_fallback: QTimer | None = None
        self._complete = False

        # The style sheet first: set on a built window it would restyle every widget again.
        self.setStyleSheet(theme("base"))
        self.meeting = MeetingController(
            self, window=self, monotonic=monotonic or time.monotonic, wall=wall or time.time
        )
        self.commands = WindowActions(self, self.meeting, window=self)
        self.first_frame = FirstFrame(self, window=self)
        self._build_ui()
        self.commands.build_menus(self.act_notes)
        # A fixed floor instead of one that follows the contents: the countdown's width changes
        # as it runs, and a window's minimum size must not change on every tick.
        layout = self.layout()
        assert layout is not None
        set_enums(layout, sizeConstraint="SetNoConstraint")
        self.setMinimumSize(720, 480)

        self._restore_view_state()
        if opening is not None:
            try:
                self.first_frame.show(opening)
            except Exception:  # noqa: BLE001 - the first frame is optional; the store follows
                log.exception("The first frame could not show the sprint; it opens with the store.")
                self.first_frame.drop()
                self.pages.setCurrentWidget(self._loading)
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
        from sprintdesk.ui.features import Features

        self.features: Features = Features(self, window=self)
        # The docks the features add exist now: their places come back with the window state.
        state = self.settings.value("main_window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        self.meeting.update_actions()

    @property
    def doc(self) -> PlanDocument:
        """The open plan (edits, undo, autosave); there is one once a store is attached."""
        if self._doc is None:
            raise RuntimeError("No database is open yet.")
        return self._doc

    @property
    def plan_open(self) -> bool:
        """Whether a store is attached (and :attr:`doc` there)."""
        return self._doc is not None

    # --- the parts' public faces (tests, screenshots and the bench drive them) --------------

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

    # --- the database -----------------------------------------------------------------------

    def attach_store(self, store: Store) -> None:
        """Work on ``store``: open the sprint in a meeting, else the newest (or the welcome page).

        SQLAlchemy and the model are first imported here, so :func:`sprintdesk.app.run_gui` can
        paint the window before loading them."""
        from sprintdesk.editing.document import PlanDocument
        from sprintdesk.plan import settings as db_settings
        from sprintdesk.ui.agenda_model import COL_TIMEBOX, COL_TITLE, AgendaModel, TimeboxDelegate

        if not self._complete:
            raise RuntimeError("MainWindow.complete() must run before a store is attached")
        self.store = store
        timeboxes = TimeboxDelegate(self.agenda_view)
        timeboxes.refused.connect(lambda message: self.statusBar().showMessage(message, 8000))
        self.agenda_view.setItemDelegateForColumn(COL_TIMEBOX, timeboxes)
        doc = self._doc = PlanDocument(store, parent=self)
        stack = doc.undo_stack
        undo, redo = self.commands.act_undo, self.commands.act_redo
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        # What Ctrl+Z would undo shows as the actions' tips (C++ slots: no dangling lambdas).
        stack.undoTextChanged.connect(undo.setToolTip)
        stack.redoTextChanged.connect(redo.setToolTip)
        undo.setEnabled(stack.canUndo())
        redo.setEnabled(stack.canRedo())

        model = self.agenda_model = AgendaModel(doc, lambda: self.clock, parent=self)
        self.agenda_view.setModel(model)
        header = self.agenda_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.agenda_view.selectionModel().currentRowChanged.connect(self._on_row_changed)

        doc.changed.connect(self._on_doc_changed)
        doc.stateChanged.connect(self._on_save_state)
        doc.outboxChanged.connect(lambda _count: self._on_save_state(doc.state))
        doc.saveFailed.connect(self._on_save_failed)
        doc.sprintOpened.connect(self._on_sprint_opened)
        # A team database: what others commit shows here live (None for the local file).
        from sprintdesk.editing.live import watch_document

        self.live_updates = watch_document(doc, parent=self)
        self.features.on_store(store)
        from sprintdesk.ui.conflict_dialog import ask_about_conflicts

        doc.conflictsFound.connect(partial(ask_about_conflicts, self, doc))
        self._on_save_state(doc.state)
        self.syncing = True
        try:
            self.act_chime.setChecked(db_settings.get(doc.session, CHIME_SETTING, "1") != "0")
        finally:
            self.syncing = False

        self.refresh_sprints()
        initial = self._initial_sprint_id()
        if initial is None:
            self._show_welcome()
        else:
            self.open_sprint(initial)
            # The agenda leaves the meeting keys to the window: Space starts or pauses the
            # clock at once (the first control in the tab order, the sprint picker, would
            # open its list instead).
            self.agenda_view.setFocus()
        self.first_frame.drop()

    def replace_store(self, store: Store) -> None:
        """Work on another database (after a restore from backup): the open plan, its pages and
        the welcome page are dropped and everything is shown afresh from ``store``."""
        self._stop_page_work()
        self._stop_live_updates()
        if self._doc is not None:
            self._doc.close()
            self._doc.deleteLater()
            self._doc = None
        for page in self._pages.values():
            self.pages.removeWidget(page)
            page.deleteLater()
        self._pages.clear()
        self.displayed = None
        if self._welcome is not None:
            self.central.removeWidget(self._welcome)
            self._welcome.deleteLater()
            self._welcome = None
        if self._owns_store and self.store is not None and self.store is not store:
            self.store.close()
        self._owns_store = True
        self.attach_store(store)

    def take_store(self, store: Store) -> None:
        """Work on ``store`` (from :func:`sprintdesk.ui.opener.open_database`) and close it with
        the window."""
        self._owns_store = True
        self.attach_store(store)

    def open_url(self, url: str) -> bool:
        """Open the database at ``url`` through :func:`~sprintdesk.ui.opener.open_database` and
        work on it; False when it could not be opened (the user was told why)."""
        from sprintdesk.ui.opener import open_database

        store = open_database(url, parent=self)
        if store is None:
            return False
        self.take_store(store)
        return True

    PAINT_FALLBACK_MS = 2000

    def call_after_first_paint(self, function: Callable[[], object]) -> None:
        """Run ``function`` once the window has been painted (at once if it has), or after
        two seconds without a paint (a window started minimized or on a hidden workspace must
        still open its database)."""
        if self._painted:
            QTimer.singleShot(0, function)
            return
        self._after_paint.append(function)
        if self._paint_fallback is None:
            timer = self._paint_fallback = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(self.PAINT_FALLBACK_MS)
            timer.timeout.connect(self._after_first_paint)
            timer.start()

    def undo(self) -> None:
        if self._doc is not None:
            self._doc.undo_stack.undo()

    def redo(self) -> None:
        if self._doc is not None:
            self._doc.undo_stack.redo()

    def _build_ui(self) -> None:
        tr = self.tr
        self.toolbar = named(QToolBar(tr("Sprint"), self), "mainToolBar")
        self.toolbar.setMovable(False)
        self.addToolBar(self.toolbar)
        self.toolbar.addWidget(QLabel(tr("Sprint: ")))
        self.sprint_picker = named(QComboBox(), "sprintPicker")
        self.sprint_picker.setAccessibleName(tr("Sprint"))
        self.sprint_picker.setMinimumContentsLength(24)
        self.sprint_picker.currentIndexChanged.connect(self._on_picker_changed)
        self.toolbar.addWidget(self.sprint_picker)

        self.header = ClockHeader()
        for action in self.commands.clock_actions:
            self.header.add_control(action)
        self.header.finish_controls()
        self.header.meeting_button.clicked.connect(self.meeting.meeting_button_clicked)

        self.banner = StartBanner()
        self.banner.button.setText(tr("Start the clock (Space)"))
        self.banner.button.clicked.connect(self.meeting.start_clock)
        self.banner.hide()

        self.agenda_view = named(QTableView(), "agendaView")
        self.agenda_view.setAccessibleName(tr("Agenda"))
        set_enums(
            self.agenda_view,
            selectionBehavior="SelectRows",
            selectionMode="SingleSelection",
            editTriggers="DoubleClicked|EditKeyPressed|SelectedClicked",
            dragDropMode="InternalMove",
            defaultDropAction="MoveAction",
        )
        self.agenda_view.verticalHeader().hide()
        self.agenda_view.setShowGrid(False)
        self.agenda_view.setTabKeyNavigation(False)  # Tab leaves the agenda; arrows move in it
        self.agenda_view.setWordWrap(False)
        self.agenda_view.setDragEnabled(True)
        self.agenda_view.setAcceptDrops(True)
        self.agenda_view.setDropIndicatorShown(True)
        self.agenda_view.setDragDropOverwriteMode(False)

        # Private notes sit under the agenda, in the room a short agenda leaves empty.
        self.notes = named(QPlainTextEdit(), "facilitatorNotes")
        self.notes.setTabChangesFocus(True)  # Tab moves on to the agenda; it types no tab
        self.notes.setAccessibleName(tr("Facilitator notes"))
        self.notes.setPlaceholderText(
            tr("Private notes for the facilitator: hidden in presentation mode, never published.")
        )
        self.notes.textChanged.connect(self._on_notes_edited)
        self.notes_panel = named(QWidget(), "notesPanel")
        notes_layout = QVBoxLayout(self.notes_panel)
        notes_layout.setContentsMargins(0, 4, 0, 0)
        notes_title = named(QLabel(tr("Facilitator notes (private)")), "notesTitle")
        notes_title.setBuddy(self.notes)
        notes_layout.addWidget(notes_title)
        notes_layout.addWidget(self.notes)

        self.side_splitter = named(QSplitter(), "sideSplitter")
        set_enums(self.side_splitter, orientation="Vertical")
        self.side_splitter.addWidget(self.agenda_view)
        self.side_splitter.addWidget(self.notes_panel)
        self.side_splitter.setSizes([360, 200])

        self.pages = named(QStackedWidget(), "pageStack")
        self._loading = named(QLabel(tr("Opening…")), "pageLoading")
        set_enums(self._loading, alignment="AlignCenter")
        self.pages.addWidget(self._loading)
        self.header.installEventFilter(self)
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

        self.save_state = named(QLabel(), "saveState")
        self.save_state.setAccessibleName(tr("Save state"))
        self.statusBar().addPermanentWidget(self.save_state)

    # --- sprints ----------------------------------------------------------------------------

    def refresh_sprints(self) -> None:
        """Re-read the sprint picker (after an import or a new sprint)."""
        from sqlalchemy import select

        from sprintdesk.plan.model import Sprint

        if self._doc is None:
            return
        rows = self.doc.session.execute(
            select(Sprint.id, Sprint.name, Sprint.state).order_by(
                Sprint.start.desc().nulls_last(), Sprint.id.desc()
            )
        ).all()
        self._sprint_rows = [(int(i), str(n), str(st)) for i, n, st in rows]
        self.syncing = True
        try:
            self.sprint_picker.clear()
            for sprint_id, name, state in rows:
                self.sprint_picker.addItem(f"{name} · {self.state_name(state)}", sprint_id)
            self._select_picker()
        finally:
            self.syncing = False

    def fill_picker(self, sprints: list[tuple[int, str, str]], current: int | None) -> None:
        """The picker's list as the first frame read it (id, name, state), on ``current``."""
        self.syncing = True
        try:
            for sprint_id, name, state in sprints:
                self.sprint_picker.addItem(f"{name} · {self.state_name(state)}", sprint_id)
            self.sprint_picker.setCurrentIndex(self.sprint_picker.findData(current))
        finally:
            self.syncing = False

    def _initial_sprint_id(self) -> int | None:
        """A meeting in progress first (resume after a crash), else the newest sprint.

        The first frame made the same choice from the same file: while the sprints are still
        the ones it read (not a backup restored since), its choice is kept, not asked again."""
        opening = self.first_frame.opening
        if (
            opening is not None
            and opening.sprint is not None
            and opening.sprints == self._sprint_rows
        ):
            return opening.sprint.id
        from sqlalchemy import select

        from sprintdesk.plan.model import Sprint

        running = self.doc.session.scalar(
            select(Sprint.id)
            .where(Sprint.state == meeting.IN_MEETING)
            .order_by(Sprint.id.desc())
            .limit(1)
        )
        if running is not None:
            return int(running)
        # The latest sprint by its dates (an old plan imported today is not "the newest").
        newest = self.doc.session.scalar(
            select(Sprint.id).order_by(Sprint.start.desc().nulls_last(), Sprint.id.desc()).limit(1)
        )
        return int(newest) if newest is not None else None

    def open_sprint(self, sprint_id: int) -> None:
        self._show_planning()
        self.doc.open_sprint(sprint_id)

    def _on_picker_changed(self, index: int) -> None:
        if self.syncing or index < 0 or self._doc is None:
            return
        sprint_id = self.sprint_picker.itemData(index)
        if self.doc.sprint is None or sprint_id != self.doc.sprint.id:
            self.open_sprint(int(sprint_id))

    def _select_picker(self) -> None:
        if self.doc.sprint is None:
            return
        index = self.sprint_picker.findData(self.doc.sprint.id)
        if index >= 0:
            self.sprint_picker.setCurrentIndex(index)

    def _on_sprint_opened(self, sprint_id: int) -> None:
        del sprint_id
        sprint = self.doc.sprint
        assert sprint is not None
        self.clock = self.meeting.clock_for(sprint)
        if self.clock.in_meeting:
            self.doc.mark_dirty()  # restoring may have picked the first section
        self.syncing = True
        try:
            self._select_picker()
        finally:
            self.syncing = False
        self.setWindowTitle(self.tr("SprintDesk — {name}").format(name=sprint.name))
        # The publish state loads the publishing code: just after the sprint is on screen.
        QTimer.singleShot(0, self._update_publish_status)
        self._load_notes()
        self.agenda_model.reload(reset=True)
        self.size_agenda_columns()
        self.agenda_model.set_suggestions({})
        QTimer.singleShot(0, self._load_suggestions)
        target = self.clock.current if self.clock.in_meeting else None
        sections = sprint.sections
        self.displayed = None
        if target is None and self._displayed_ids is not None:
            shown_sprint, shown_section = self._displayed_ids
            if shown_sprint == sprint.id:
                target = next((s for s in sections if s.id == shown_section), None)
        if target is None and sections:
            target = sections[0]
        if target is not None:
            self.show_section(target)
        else:
            self.pages.setCurrentIndex(-1)
        self.meeting.after_clock_change()

    def _update_publish_status(self) -> None:
        if not self._closed and self._doc is not None:
            self.features.update_status()

    def _load_suggestions(self) -> None:
        sprint = self.doc.sprint
        if sprint is None or self._closed:
            return
        from sprintdesk.plan.history import suggested_timeboxes

        self.agenda_model.set_suggestions(suggested_timeboxes(self.doc.session, sprint))
        self.size_agenda_columns()

    def _show_welcome(self) -> None:
        if self._welcome is None:
            from sprintdesk.views.welcome import WelcomePage

            assert self.store is not None
            page = WelcomePage(self.store, parent=self.central)
            page.sprintCreated.connect(self._on_first_sprint)
            page.demoLoaded.connect(lambda: self._on_first_sprint(None))
            self._welcome = page
            self.central.addWidget(page)
        self.central.setCurrentWidget(self._welcome)
        self.setWindowTitle(self.tr("SprintDesk"))
        self.meeting.update_actions()

    def _show_planning(self) -> None:
        self.central.setCurrentWidget(self.planning_area)

    def _on_first_sprint(self, sprint_id: int | None) -> None:
        self.refresh_sprints()
        target = sprint_id if sprint_id is not None else self._initial_sprint_id()
        if target is not None:
            self.open_sprint(target)

    # --- sections ---------------------------------------------------------------------------

    def show_section(self, section: AgendaSection) -> None:
        """Show a section's page (it does not move the meeting clock).

        Before the window's first paint only the header and agenda follow: the page (which may
        hold hundreds of rows) is built just after, so the window appears without waiting."""
        self.displayed = section
        if self.doc.sprint is not None:
            self._displayed_ids = (self.doc.sprint.id, section.id)
        if self._painted:
            page = self._page_for(section)
            page.show_section(section)  # type: ignore[attr-defined]
            self.pages.setCurrentWidget(page)
        else:
            self.pages.setCurrentWidget(self._loading)
        self._select_row(section.id)
        self.meeting.update_banner()
        self.tick()

    def _page_for(self, section: AgendaSection) -> QWidget:
        page = self._pages.get(section.kind)
        if page is None:
            from sprintdesk.ui.section_pages import PlaceholderPage, page_classes

            if self._page_classes is None:
                self._page_classes = page_classes()
            from sprintdesk.plan.model import SectionKind

            try:
                cls = self._page_classes.get(SectionKind(section.kind), PlaceholderPage)
            except ValueError:
                cls = PlaceholderPage
            page = cls(self.doc, parent=self.pages)  # type: ignore[arg-type, misc]
            page.set_presentation(self._presenting)  # type: ignore[attr-defined]
            self.pages.addWidget(page)
            self._pages[section.kind] = page
            self._page_in_tab_order(page)
        return page

    def _page_in_tab_order(self, page: QWidget) -> None:
        """Tab goes agenda → page → notes. Pages are built after the notes (on first show),
        so Qt's creation order would put them after the notes, out of the keyboard's reach."""
        stops = [w for w in _focus_chain(page) if page.isAncestorOf(w)]
        if not stops:
            return
        QWidget.setTabOrder(self.agenda_view, stops[0])
        for first, second in zip(stops, stops[1:], strict=False):
            QWidget.setTabOrder(first, second)
        QWidget.setTabOrder(stops[-1], self.notes)

    def _select_row(self, section_id: int | None) -> None:
        from PySide6.QtCore import QItemSelectionModel

        from sprintdesk.ui.agenda_model import COL_TITLE

        row = self.agenda_model.row_of(section_id)
        if row < 0:
            return
        self.syncing = True
        try:
            self.agenda_view.selectionModel().setCurrentIndex(
                self.agenda_model.index(row, COL_TITLE),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self.syncing = False

    def _on_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        del previous
        if self.syncing or not current.isValid():
            return
        section = self.agenda_model.section_at(current.row())
        if section is None or section is self.displayed:
            return
        if self.clock is not None and self.clock.in_meeting:
            self.clock.go_to(section)  # opening a section in the meeting makes it current
            self.doc.mark_dirty()
        self.show_section(section)
        self.meeting.after_clock_change()

    def move_selected(self, delta: int) -> None:
        row = self.agenda_view.currentIndex().row()
        if row < 0 or self.agenda_model.move_section(row, row + delta) is False:
            return
        if self.displayed is not None:
            self._select_row(self.displayed.id)

    def edit_selected_timebox(self) -> None:
        row = self.agenda_view.currentIndex().row()
        if row >= 0:
            from sprintdesk.ui.agenda_model import COL_TIMEBOX

            index = self.agenda_model.index(row, COL_TIMEBOX)
            self.agenda_view.setCurrentIndex(index)
            self.agenda_view.edit(index)

    def size_agenda_columns(self) -> None:
        # Sized once per sprint (not per tick), with room for the bold current row.
        for column in range(1, self.agenda_view.model().columnCount()):
            self.agenda_view.resizeColumnToContents(column)
            width = self.agenda_view.columnWidth(column)
            self.agenda_view.setColumnWidth(column, width + 8)

    # --- modes ------------------------------------------------------------------------------

    @property
    def presenting(self) -> bool:
        return self._presenting

    def toggle_presentation(self) -> None:
        self.set_presentation(not self._presenting)

    def set_presentation(self, on: bool) -> None:
        """Full screen in the large high-contrast theme, without editing chrome or notes."""
        if on == self._presenting:
            return
        self._presenting = on
        chrome = [self.menuBar(), self.toolbar, self.statusBar(), self.side_splitter,
                  self.header.controls]  # fmt: skip
        if on:
            self._before_presentation = {
                "maximized": self.isMaximized(),
                "geometry": self.saveGeometry(),
            }
            for widget in chrome:
                widget.hide()
            self.setStyleSheet(theme("presentation"))
            self.showFullScreen()
            self._take_keys_from_fields()
        else:
            for widget in chrome:
                widget.show()
            self.setStyleSheet(theme("base"))
            if self._before_presentation.get("maximized"):
                self.showMaximized()
            else:
                self.showNormal()
                geometry = self._before_presentation.get("geometry")
                if isinstance(geometry, QByteArray):
                    self.restoreGeometry(geometry)
        self.act_notes.setEnabled(not on)
        self.commands.act_leave_presentation.setEnabled(on)
        self.commands.act_presentation.setText(
            self.tr("Leave presentation mode") if on else self.tr("Presentation mode")
        )
        for page in self._pages.values():
            page.set_presentation(on)  # type: ignore[attr-defined]
        self.header.restyled()
        self.presentationChanged.emit(on)
        self.tick()

    def _take_keys_from_fields(self) -> None:
        """Presenting, the meeting's keys drive the meeting whatever had the focus: a text
        field on a page (an OKR box, "Other teams impacted") would otherwise take Space or
        Ctrl+→ as typing, unseen, as a stray space in the plan. The window takes the focus
        (it uses no keys itself, so they reach the meeting's shortcuts)."""
        focus = self.focusWidget()
        if focus is None:
            return
        in_plan = self.pages.isAncestorOf(focus) or self.notes_panel.isAncestorOf(focus)
        if focus.isVisible() and not in_plan:
            return  # the header or the agenda: they leave the meeting keys alone
        self.setFocus()

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

        dialog = ShortcutsDialog(self.actions(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    # --- notes, saving, state ---------------------------------------------------------------

    def _load_notes(self) -> None:
        sprint = self._doc.sprint if self._doc is not None else None
        self.show_notes((sprint.facilitator_notes or "") if sprint is not None else "")

    def show_notes(self, text: str) -> None:
        """Put ``text`` in the facilitator notes (not an edit of them)."""
        if self.notes.toPlainText() != text:
            self._loading_notes = True
            try:
                self.notes.setPlainText(text)
            finally:
                self._loading_notes = False

    def _on_notes_edited(self) -> None:
        if self._loading_notes or self._doc is None or self._doc.sprint is None:
            return
        self.doc.set_attr(
            self.doc.sprint,
            "facilitator_notes",
            self.notes.toPlainText(),
            self.tr("Edit facilitator notes"),
        )

    def _on_doc_changed(self) -> None:
        self._load_notes()
        self.agenda_model.reload()
        if self.displayed is not None:
            self._select_row(self.displayed.id)
        self.tick()

    def _on_save_state(self, state: str) -> None:
        texts = {
            "saved": self.tr("✓ All changes saved"),
            "pending": self.tr("Saving…"),
            "error": self.tr("⚠ Not saved"),
        }
        texts["refused"] = self.tr("⚠ Read-only: kept here, not saved")
        if state == "offline" and self._doc is not None:
            texts["offline"] = self._doc.status_text()  # "Offline — 3 changes waiting"
        self.save_state.setText(texts.get(state, state))
        self.save_state.setProperty("state", state)
        self.save_state.style().unpolish(self.save_state)
        self.save_state.style().polish(self.save_state)
        if state in ("error", "offline", "refused") and self._doc is not None:
            self.save_state.setToolTip(self._doc.last_error)
        else:
            self.save_state.setToolTip("")

    def _on_save_failed(self, message: str) -> None:
        self.statusBar().showMessage(message)

    def state_name(self, state: str) -> str:
        """A sprint state in the user's words."""
        names = {
            meeting.DRAFT: self.tr("draft"),
            meeting.IN_MEETING: self.tr("in meeting"),
            meeting.PLANNED: self.tr("planned"),
            "published": self.tr("published"),
        }
        return names.get(state, state)

    # --- view state -------------------------------------------------------------------------

    def _restore_view_state(self) -> None:
        geometry = self.settings.value(self.geometry_key())
        if not isinstance(geometry, QByteArray) or not self.restoreGeometry(geometry):
            self._fit_first_window()
        for key, splitter in (("splitter", self.splitter), ("side_splitter", self.side_splitter)):
            saved = self.settings.value(f"main_window/{key}")
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)
        self.act_notes.setChecked(
            self.settings.value("main_window/notes", True) not in (False, "false")
        )

    def geometry_key(self) -> str:
        """Where the window's geometry is kept: one per screen (name and size), so a size
        chosen on a large monitor is not forced onto a laptop's 1280×720 screen."""
        screen = self.screen()
        if screen is None:
            return "main_window/geometry"
        size = screen.size()
        name = "".join(c if c.isalnum() else "_" for c in screen.name()) or "screen"
        return f"main_window/geometry_{name}_{size.width()}x{size.height()}"

    def _fit_first_window(self) -> None:
        """The first start on a screen: 1280×800 where it fits, else the screen's available
        area less the window frame (on a 1280×720 screen the status bar stayed off screen)."""
        screen = self.screen()
        if screen is None:
            self.resize(1280, 800)
            return
        area = screen.availableGeometry()
        frame = 40  # title bar and borders, unknown until the window manager decorates us
        width = min(1280, area.width() - 16)
        height = min(800, area.height() - frame)
        self.resize(width, height)
        self.move(
            area.left() + (area.width() - width) // 2,
            area.top() + max(0, (area.height() - height - frame) // 2),
        )

    def _save_view_state(self) -> None:
        if self._presenting:
            self.set_presentation(False)
        self.settings.setValue(self.geometry_key(), self.saveGeometry())
        self.settings.setValue("main_window/state", self.saveState())
        self.settings.setValue("main_window/splitter", self.splitter.saveState())
        self.settings.setValue("main_window/side_splitter", self.side_splitter.saveState())
        self.settings.setValue("main_window/notes", self.act_notes.isChecked())
        self.settings.sync()

    # --- the sprint on screen: the open plan's, or the first frame's before a store ---------

    def shown_clock(self) -> MeetingClock | None:
        """The open sprint's clock, or the first frame's (read-only) before a store."""
        return self.clock if self.clock is not None else self.first_frame.clock

    def shown_sprint(self) -> Sprint | None:
        if self._doc is not None:
            return self._doc.sprint
        return self.first_frame.sprint

    def shown_section(self) -> AgendaSection | None:
        if self._doc is None and self.first_frame.opening is not None:
            return self.first_frame.section
        return self.displayed

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.pick_up_other_writers()

    def pick_up_other_writers(self) -> None:
        """Coming back to the window: show sprints another process added or removed (an
        import from the command line). Our own edits are saved first, nothing is reopened, so
        the undo history and the section on screen stay."""
        if self._doc is None or self.store is None or self._closed:
            return
        from sqlalchemy import select

        from sprintdesk.plan.model import Sprint

        with self.store.session() as session:  # a fresh read, past our session's snapshot
            ids = set(session.scalars(select(Sprint.id)))
        if ids == {row[0] for row in self._sprint_rows}:
            return
        self.doc.reload()
        self.refresh_sprints()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if not self._painted and watched is self.header and event.type() == QEvent.Type.Paint:
            self.header.removeEventFilter(self)
            QTimer.singleShot(0, self._after_first_paint)
        return super().eventFilter(watched, event)

    def _after_first_paint(self) -> None:
        if self._painted:
            return
        self._painted = True
        if self._paint_fallback is not None:
            self._paint_fallback.stop()
        self.header.fit_titles = True
        self.header.fit_title()
        if self.displayed is not None and self._doc is not None and not self._closed:
            self.show_section(self.displayed)
        pending, self._after_paint = self._after_paint, []
        for function in pending:
            if not self._closed:
                function()

    def _stop_page_work(self) -> None:
        """Pages build large lists in steps from the event loop; none may run once the plan
        they read is closed."""
        from sprintdesk.views.base import Batcher

        for batcher in self.findChildren(Batcher):
            batcher.cancel()

    def _stop_live_updates(self) -> None:
        if self.live_updates is not None:
            self.live_updates.stop()
            self.live_updates = None

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - a Qt override
        if not self._closed:
            self._closed = True
            self.meeting.stop()
            self._save_view_state()
            if self._mini is not None:
                self._mini.close()
            self._stop_page_work()
            self._stop_live_updates()
            if self._doc is not None:
                self._doc.close()
            if self._owns_store and self.store is not None:
                self.store.close()
        super().closeEvent(event)


def _focus_chain(root: QWidget) -> list[QWidget]:
    """The widgets under ``root`` that Tab can reach, in their current focus-chain order."""
    tab = 0x1  # Qt::TabFocus, by value (this module avoids the Qt namespace)
    found: list[QWidget] = []
    widget = root.nextInFocusChain()
    while widget is not root and widget is not None:
        takes_tab = int(widget.focusPolicy().value) & tab and widget.isEnabled()
        if takes_tab and root.isAncestorOf(widget):
            found.append(widget)
        widget = widget.nextInFocusChain()
    return found
