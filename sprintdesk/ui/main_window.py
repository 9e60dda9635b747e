"""SprintDesk's main window: sprint picker, agenda sidebar, the meeting clock's header, one page
per section, facilitator notes, presentation mode (F5) and the mini timer (Ctrl+T).

The window owns no meeting logic: :class:`~sprintdesk.meeting.MeetingClock` keeps time from an
injected monotonic clock and writes its state into the sprint, and every edit goes through
:class:`~sprintdesk.ui.document.PlanDocument` (undo stack and autosave). A one-second timer only
repaints from the clock.

Later features add their actions to the menus with :meth:`MainWindow.add_action`
(``"file"``, ``"edit"``, ``"meeting"``, ``"view"``, ``"help"``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QItemSelectionModel, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLayout,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from sprintdesk import meeting
from sprintdesk.meeting import MeetingClock, Phase, Reading, budget_of
from sprintdesk.ui.clock_header import ClockHeader, StartBanner, named
from sprintdesk.ui.themes import theme

if TYPE_CHECKING:
    # Imported when a store is attached: the window paints before SQLAlchemy loads.
    from sprintdesk.model import AgendaSection, SectionKind
    from sprintdesk.store import Store
    from sprintdesk.ui.agenda_model import AgendaModel
    from sprintdesk.ui.document import PlanDocument
    from sprintdesk.ui.mini_timer import MiniTimer

CHIME_SETTING = "meeting.chime"
TICK_MS = 1000


class MainWindow(QMainWindow):
    """The SprintDesk window. ``monotonic``/``wall`` replace the real clocks (tests, screenshots);
    ``settings`` replaces the user's ``QSettings`` (window geometry and view state only).

    Without a ``store`` the window starts empty and :meth:`attach_store` (or :meth:`open_url`)
    fills it: that lets the window paint before the database layer is even imported."""

    agenda_model: AgendaModel  # set by attach_store

    def __init__(
        self,
        store: Store | None = None,
        *,
        monotonic: Callable[[], float] | None = None,
        wall: Callable[[], float] | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.store: Store | None = None
        self.settings = settings if settings is not None else QSettings()
        self._doc: PlanDocument | None = None
        self._owns_store = False
        self._after_paint: list[Callable[[], object]] = []
        self.clock: MeetingClock | None = None
        self.displayed: AgendaSection | None = None
        self.chimes = 0  # how many times the chime sounded (the beep has no other trace)
        self._monotonic = monotonic or time.monotonic
        self._wall = wall or time.time
        self._pages: dict[str, QWidget] = {}
        self._page_classes: dict[SectionKind, type[QWidget]] | None = None
        self._mini: MiniTimer | None = None
        self._presenting = False
        self._before_presentation: dict[str, object] = {}
        self._syncing = False
        self._loading_notes = False
        self._chimed_key: tuple[int | None, int] | None = None
        self._closed = False
        self._welcome: QWidget | None = None
        self._painted = False

        self._build_actions()
        self._build_ui()
        self._build_menus()
        self.setStyleSheet(theme("base"))
        # A fixed floor instead of one that follows the contents: the countdown's width changes
        # as it runs, and a window's minimum size must not change on every tick.
        layout = self.layout()
        assert layout is not None
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setMinimumSize(720, 480)

        self._tick_timer = QTimer(self)
        self._tick_timer.setObjectName("tickTimer")
        self._tick_timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._tick_timer.setSingleShot(True)
        self._tick_timer.timeout.connect(self.tick)

        self._restore_view_state()
        self._update_actions()
        if store is not None:
            self.attach_store(store)

    @property
    def doc(self) -> PlanDocument:
        """The open plan (edits, undo, autosave); there is one once a store is attached."""
        if self._doc is None:
            raise RuntimeError("No database is open yet.")
        return self._doc

    # --- the database -----------------------------------------------------------------------

    def attach_store(self, store: Store) -> None:
        """Work on ``store``: open the sprint in a meeting, else the newest (or the welcome page).

        SQLAlchemy and the model are first imported here, so :func:`sprintdesk.app.run_gui` can
        paint the window before loading them."""
        from sprintdesk import settings as db_settings
        from sprintdesk.ui.agenda_model import COL_TITLE, AgendaModel
        from sprintdesk.ui.document import PlanDocument

        self.store = store
        doc = self._doc = PlanDocument(store, parent=self)
        stack = doc.undo_stack
        stack.canUndoChanged.connect(self.act_undo.setEnabled)
        stack.canRedoChanged.connect(self.act_redo.setEnabled)
        # What Ctrl+Z would undo shows as the actions' tips (C++ slots: no dangling lambdas).
        stack.undoTextChanged.connect(self.act_undo.setToolTip)
        stack.redoTextChanged.connect(self.act_redo.setToolTip)
        self.act_undo.setEnabled(stack.canUndo())
        self.act_redo.setEnabled(stack.canRedo())

        model = self.agenda_model = AgendaModel(doc, lambda: self.clock, parent=self)
        self.agenda_view.setModel(model)
        header = self.agenda_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        self.agenda_view.selectionModel().currentRowChanged.connect(self._on_row_changed)

        doc.changed.connect(self._on_doc_changed)
        doc.stateChanged.connect(self._on_save_state)
        doc.saveFailed.connect(self._on_save_failed)
        doc.sprintOpened.connect(self._on_sprint_opened)
        self._on_save_state(doc.state)
        self._syncing = True
        try:
            self.act_chime.setChecked(db_settings.get(doc.session, CHIME_SETTING, "1") != "0")
        finally:
            self._syncing = False

        self.refresh_sprints()
        initial = self._initial_sprint_id()
        if initial is None:
            self._show_welcome()
        else:
            self.open_sprint(initial)

    def open_url(self, url: str) -> bool:
        """Open the database at ``url`` (the window then owns and closes it). A database that
        cannot be opened is explained in a message and the application quits with status 1."""
        from sprintdesk.store import StoreError, open_store

        try:
            store = open_store(url)
        except StoreError as exc:
            QMessageBox.critical(self, self.tr("SprintDesk"), str(exc))
            self._closed = True
            QApplication.exit(1)
            return False
        self._owns_store = True
        self.attach_store(store)
        return True

    def call_after_first_paint(self, function: Callable[[], object]) -> None:
        """Run ``function`` once the window has been painted (at once if it has)."""
        if self._painted:
            QTimer.singleShot(0, function)
        else:
            self._after_paint.append(function)

    def undo(self) -> None:
        if self._doc is not None:
            self._doc.undo_stack.undo()

    def redo(self) -> None:
        if self._doc is not None:
            self._doc.undo_stack.redo()

    # --- building ---------------------------------------------------------------------------

    def _action(
        self,
        name: str,
        text: str,
        slot: Callable[..., object],
        keys: list[QKeySequence | QKeySequence.StandardKey | str] | None = None,
        *,
        tip: str = "",
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if keys:
            action.setShortcuts(
                [k if isinstance(k, QKeySequence) else QKeySequence(k) for k in keys]
            )
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.setCheckable(checkable)
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(slot)
        # On the window itself, so the keys still work with the menu bar hidden (presentation).
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        tr = self.tr
        self.act_toggle = self._action(
            "toggleClock",
            tr("Start / pause"),
            self.toggle_clock,
            ["Space"],
            tip=tr("Start or pause the clock for the current section"),
        )
        self.act_previous = self._action(
            "previousSection",
            tr("Previous section"),
            self.previous_section,
            ["Ctrl+Left", "PgUp"],
        )
        self.act_next = self._action(
            "nextSection", tr("Next section"), self.next_section, ["Ctrl+Right", "PgDown"]
        )
        self.act_extend_1 = self._action(
            "extendOne",
            tr("+1 min"),
            lambda: self.extend(60),
            ["Ctrl+1", "+"],
            tip=tr("Give the current section one more minute"),
        )
        self.act_extend_5 = self._action(
            "extendFive",
            tr("+5 min"),
            lambda: self.extend(300),
            ["Ctrl+5"],
            tip=tr("Give the current section five more minutes"),
        )
        self.act_restart = self._action(
            "restartSection",
            tr("Restart section"),
            self.restart_section,
            ["Ctrl+R"],
            tip=tr("Start the current section's clock over"),
        )
        self.act_start_meeting = self._action(
            "startMeeting",
            tr("Start meeting"),
            self.start_meeting,
            ["Ctrl+Return"],
            tip=tr("Meeting mode: the clock starts on the first section"),
        )
        self.act_end_meeting = self._action(
            "endMeeting",
            tr("End meeting"),
            self.end_meeting,
            ["Ctrl+Shift+Return"],
            tip=tr("Stop the clock and mark the sprint planned"),
        )
        self.act_chime = self._action(
            "chime", tr("Chime when time is up"), self._set_chime, checkable=True
        )
        self.act_presentation = self._action(
            "presentation",
            tr("Presentation mode"),
            self.toggle_presentation,
            ["F5"],
            tip=tr("Full screen, large type, no editing chrome or private notes (Esc leaves)"),
        )
        self.act_leave_presentation = self._action(
            "leavePresentation",
            tr("Leave presentation mode"),
            lambda: self.set_presentation(False),
            ["Esc"],
        )
        self.act_leave_presentation.setEnabled(False)
        self.act_mini = self._action(
            "miniTimer",
            tr("Mini timer"),
            self.toggle_mini_timer,
            ["Ctrl+T"],
            tip=tr("A small always-on-top timer for when you share another window"),
        )
        self.act_move_up = self._action(
            "moveSectionUp", tr("Move section up"), lambda: self.move_selected(-1), ["Alt+Up"]
        )
        self.act_move_down = self._action(
            "moveSectionDown",
            tr("Move section down"),
            lambda: self.move_selected(+1),
            ["Alt+Down"],
        )
        self.act_edit_timebox = self._action(
            "editTimebox", tr("Edit timebox"), self.edit_selected_timebox, ["F2"]
        )
        self.act_undo = self._action("undo", tr("Undo"), self.undo)
        self.act_undo.setShortcuts(QKeySequence.StandardKey.Undo)
        self.act_undo.setEnabled(False)
        self.act_redo = self._action("redo", tr("Redo"), self.redo)
        self.act_redo.setShortcuts(QKeySequence.StandardKey.Redo)
        self.act_redo.setEnabled(False)
        self.act_shortcuts = self._action(
            "shortcuts", tr("Keyboard shortcuts"), self.show_shortcuts, ["F1"]
        )
        self.act_quit = self._action(
            "quit", tr("Quit"), self.close, [QKeySequence(QKeySequence.StandardKey.Quit), "Ctrl+Q"]
        )
        self.clock_actions = [
            self.act_toggle, self.act_previous, self.act_next, self.act_extend_1,
            self.act_extend_5, self.act_restart,
        ]  # fmt: skip

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
        for action in self.clock_actions:
            self.header.add_control(action)
        self.header.finish_controls()
        self.header.meeting_button.clicked.connect(self._meeting_button_clicked)

        self.banner = StartBanner()
        self.banner.button.setText(tr("Start the clock (Space)"))
        self.banner.button.clicked.connect(self.start_clock)
        self.banner.hide()

        self.agenda_view = named(QTableView(), "agendaView")
        self.agenda_view.setAccessibleName(tr("Agenda"))
        self.agenda_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.agenda_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.agenda_view.verticalHeader().hide()
        self.agenda_view.setShowGrid(False)
        self.agenda_view.setWordWrap(False)
        self.agenda_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.agenda_view.setDragEnabled(True)
        self.agenda_view.setAcceptDrops(True)
        self.agenda_view.setDropIndicatorShown(True)
        self.agenda_view.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.agenda_view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.agenda_view.setDragDropOverwriteMode(False)

        # Private notes sit under the agenda, in the room a short agenda leaves empty.
        self.notes = named(QPlainTextEdit(), "facilitatorNotes")
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

        self.side_splitter = named(QSplitter(Qt.Orientation.Vertical), "sideSplitter")
        self.side_splitter.addWidget(self.agenda_view)
        self.side_splitter.addWidget(self.notes_panel)
        self.side_splitter.setSizes([360, 200])

        self.pages = named(QStackedWidget(), "pageStack")
        self._loading = named(QLabel(tr("Opening…")), "pageLoading")
        self._loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self._loading)
        self.header.installEventFilter(self)
        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "mainSplitter")
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

        self.act_notes = self._action(
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

    def _build_menus(self) -> None:
        tr = self.tr
        bar = self.menuBar()
        self.menus: dict[str, QMenu] = {
            "file": bar.addMenu(tr("&File")),
            "edit": bar.addMenu(tr("&Edit")),
            "meeting": bar.addMenu(tr("&Meeting")),
            "view": bar.addMenu(tr("&View")),
            "help": bar.addMenu(tr("&Help")),
        }
        for key, menu in self.menus.items():
            menu.setObjectName(f"{key}Menu")
        self._file_tail = self.menus["file"].addSeparator()
        self.menus["file"].addAction(self.act_quit)
        edit = self.menus["edit"]
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addActions([self.act_move_up, self.act_move_down, self.act_edit_timebox])
        meeting = self.menus["meeting"]
        meeting.addActions([self.act_start_meeting, self.act_end_meeting])
        meeting.addSeparator()
        meeting.addActions(self.clock_actions)
        meeting.addSeparator()
        meeting.addAction(self.act_chime)
        self.menus["view"].addActions([self.act_presentation, self.act_mini, self.act_notes])
        self.menus["help"].addAction(self.act_shortcuts)

    def add_action(self, menu: str, action: QAction) -> QAction:
        """Put a feature's action in one of the menus (``file`` entries go above Quit); the
        window also owns it, so its key works in presentation mode."""
        target = self.menus[menu]
        if menu == "file":
            target.insertAction(self._file_tail, action)
        else:
            target.addAction(action)
        self.addAction(action)
        return action

    # --- sprints ----------------------------------------------------------------------------

    def refresh_sprints(self) -> None:
        """Re-read the sprint picker (after an import or a new sprint)."""
        from sqlalchemy import select

        from sprintdesk.model import Sprint

        if self._doc is None:
            return
        rows = self.doc.session.execute(
            select(Sprint.id, Sprint.name, Sprint.state).order_by(Sprint.id.desc())
        ).all()
        self._syncing = True
        try:
            self.sprint_picker.clear()
            for sprint_id, name, state in rows:
                self.sprint_picker.addItem(f"{name} · {self._state_name(state)}", sprint_id)
            self._select_picker()
        finally:
            self._syncing = False

    def _initial_sprint_id(self) -> int | None:
        """A meeting in progress first (resume after a crash), else the newest sprint."""
        from sqlalchemy import select

        from sprintdesk.model import Sprint

        running = self.doc.session.scalar(
            select(Sprint.id)
            .where(Sprint.state == meeting.IN_MEETING)
            .order_by(Sprint.id.desc())
            .limit(1)
        )
        if running is not None:
            return int(running)
        newest = self.doc.session.scalar(select(Sprint.id).order_by(Sprint.id.desc()).limit(1))
        return int(newest) if newest is not None else None

    def open_sprint(self, sprint_id: int) -> None:
        self._show_planning()
        self.doc.open_sprint(sprint_id)

    def _on_picker_changed(self, index: int) -> None:
        if self._syncing or index < 0:
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
        self.clock = MeetingClock(sprint, monotonic=self._monotonic, wall=self._wall)
        if self.clock.in_meeting:
            self.doc.mark_dirty()  # restoring may have picked the first section
        self._syncing = True
        try:
            self._select_picker()
        finally:
            self._syncing = False
        self.setWindowTitle(self.tr("SprintDesk — {name}").format(name=sprint.name))
        self._load_notes()
        self.agenda_model.reload(reset=True)
        self._size_agenda_columns()
        self.agenda_model.set_suggestions({})
        QTimer.singleShot(0, self._load_suggestions)
        reading = self.clock.reading()
        if reading.in_meeting and reading.phase is Phase.OVERRUN:
            self._chimed_key = (reading.section_id, reading.budget)  # no chime on reopening
        target = self.clock.current if self.clock.in_meeting else None
        sections = sprint.sections
        self.displayed = None
        if target is None and sections:
            target = sections[0]
        if target is not None:
            self.show_section(target)
        else:
            self.pages.setCurrentIndex(-1)
        self._after_clock_change()

    def _load_suggestions(self) -> None:
        sprint = self.doc.sprint
        if sprint is None or self._closed:
            return
        from sprintdesk.history import suggested_timeboxes

        self.agenda_model.set_suggestions(suggested_timeboxes(self.doc.session, sprint))
        self._size_agenda_columns()

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
        self._update_actions()

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
        if self._painted:
            page = self._page_for(section)
            page.show_section(section)  # type: ignore[attr-defined]
            self.pages.setCurrentWidget(page)
        else:
            self.pages.setCurrentWidget(self._loading)
        self._select_row(section.id)
        self._update_banner()
        self.tick()

    def _page_for(self, section: AgendaSection) -> QWidget:
        page = self._pages.get(section.kind)
        if page is None:
            from sprintdesk.ui.section_pages import PlaceholderPage, page_classes

            if self._page_classes is None:
                self._page_classes = page_classes()
            from sprintdesk.model import SectionKind

            try:
                cls = self._page_classes.get(SectionKind(section.kind), PlaceholderPage)
            except ValueError:
                cls = PlaceholderPage
            page = cls(self.doc, parent=self.pages)  # type: ignore[arg-type, misc]
            page.set_presentation(self._presenting)  # type: ignore[attr-defined]
            self.pages.addWidget(page)
            self._pages[section.kind] = page
        return page

    def _select_row(self, section_id: int | None) -> None:
        from sprintdesk.ui.agenda_model import COL_TITLE

        row = self.agenda_model.row_of(section_id)
        if row < 0:
            return
        self._syncing = True
        try:
            self.agenda_view.selectionModel().setCurrentIndex(
                self.agenda_model.index(row, COL_TITLE),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._syncing = False

    def _on_row_changed(self, current, previous) -> None:
        del previous
        if self._syncing or not current.isValid():
            return
        section = self.agenda_model.section_at(current.row())
        if section is None or section is self.displayed:
            return
        if self.clock is not None and self.clock.in_meeting:
            self.clock.go_to(section)  # opening a section in the meeting makes it current
            self.doc.mark_dirty()
        self.show_section(section)
        self._after_clock_change()

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

    def _size_agenda_columns(self) -> None:
        # Sized once per sprint (not per tick), with room for the bold current row.
        for column in range(1, self.agenda_model.columnCount()):
            self.agenda_view.resizeColumnToContents(column)
            width = self.agenda_view.columnWidth(column)
            self.agenda_view.setColumnWidth(column, width + 8)

    # --- the clock --------------------------------------------------------------------------

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
        self._clock_do(MeetingClock.start_meeting)
        self.refresh_sprints()

    def end_meeting(self) -> None:
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
        clock = self.clock
        in_meeting = clock is not None and clock.in_meeting
        sprint = self._doc.sprint if self._doc is not None else None
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
        clock = self.clock
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
        sprint = self._doc.sprint if self._doc is not None else None
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
        clock = self.clock
        if clock is None:
            return None
        reading = clock.reading()
        if reading.in_meeting or self.displayed is None:
            return reading
        section = self.displayed
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
        if reading.running:
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
        from sprintdesk import settings as db_settings

        if self._doc is None:
            return
        db_settings.put(self.doc.session, CHIME_SETTING, "1" if on else "0")
        self.doc.mark_dirty()

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
        self.act_leave_presentation.setEnabled(on)
        self.act_presentation.setText(
            self.tr("Leave presentation mode") if on else self.tr("Presentation mode")
        )
        for page in self._pages.values():
            page.set_presentation(on)  # type: ignore[attr-defined]
        self.tick()

    def toggle_mini_timer(self) -> None:
        if self._mini is None:
            from sprintdesk.ui.mini_timer import MiniTimer

            self._mini = MiniTimer(self.settings)
            # The meeting keys work while the mini timer has the focus.
            self._mini.addActions([*self.clock_actions, self.act_mini])
        if self._mini.isVisible():
            self._mini.hide()
            return
        self._mini.show()
        self.tick()

    @property
    def mini_timer(self) -> MiniTimer | None:
        return self._mini

    def show_shortcuts(self) -> None:
        from sprintdesk.ui.shortcuts_dialog import ShortcutsDialog

        dialog = ShortcutsDialog(self.actions(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    # --- notes, saving, state ---------------------------------------------------------------

    def _load_notes(self) -> None:
        sprint = self._doc.sprint if self._doc is not None else None
        text = (sprint.facilitator_notes or "") if sprint is not None else ""
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
        self.save_state.setText(texts.get(state, state))
        self.save_state.setProperty("state", state)
        self.save_state.style().unpolish(self.save_state)
        self.save_state.style().polish(self.save_state)
        if state == "error" and self._doc is not None:
            self.save_state.setToolTip(self._doc.last_error)
        else:
            self.save_state.setToolTip("")

    def _on_save_failed(self, message: str) -> None:
        self.statusBar().showMessage(message)

    def _state_name(self, state: str) -> str:
        names = {
            meeting.DRAFT: self.tr("draft"),
            meeting.IN_MEETING: self.tr("in meeting"),
            meeting.PLANNED: self.tr("planned"),
            "published": self.tr("published"),
        }
        return names.get(state, state)

    # --- view state -------------------------------------------------------------------------

    def _restore_view_state(self) -> None:
        geometry = self.settings.value("main_window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = self.settings.value("main_window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        for key, splitter in (("splitter", self.splitter), ("side_splitter", self.side_splitter)):
            saved = self.settings.value(f"main_window/{key}")
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)
        self.act_notes.setChecked(
            self.settings.value("main_window/notes", True) not in (False, "false")
        )

    def _save_view_state(self) -> None:
        if self._presenting:
            self.set_presentation(False)
        self.settings.setValue("main_window/geometry", self.saveGeometry())
        self.settings.setValue("main_window/state", self.saveState())
        self.settings.setValue("main_window/splitter", self.splitter.saveState())
        self.settings.setValue("main_window/side_splitter", self.side_splitter.saveState())
        self.settings.setValue("main_window/notes", self.act_notes.isChecked())
        self.settings.sync()

    def eventFilter(self, watched, event) -> bool:
        if not self._painted and watched is self.header and event.type() == QEvent.Type.Paint:
            self.header.removeEventFilter(self)
            QTimer.singleShot(0, self._after_first_paint)
        return super().eventFilter(watched, event)

    def _after_first_paint(self) -> None:
        self._painted = True
        if self.displayed is not None and not self._closed:
            self.show_section(self.displayed)
        pending, self._after_paint = self._after_paint, []
        for function in pending:
            if not self._closed:
                function()

    def closeEvent(self, event) -> None:
        if not self._closed:
            self._closed = True
            self._tick_timer.stop()
            self._save_view_state()
            if self._mini is not None:
                self._mini.close()
            if self._doc is not None:
                self._doc.close()
            if self._owns_store and self.store is not None:
                self.store.close()
        super().closeEvent(event)
