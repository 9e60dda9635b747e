"""The section on screen: its page in the page stack, the agenda's row following it, and the
agenda's keyboard edits (move a section, edit its timebox).

An object the main window owns (:class:`SectionNavigator`); it reaches the window through
:class:`~sprintdesk.ui.host.SectionsHost`. One page per section kind, built on its first show
and kept; before the window's first paint only the header and the agenda follow a section (its
page, which may hold hundreds of rows, is built just after, so the window appears at once).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QStackedWidget, QTableView, QWidget

from sprintdesk.ui.clock_header import named
from sprintdesk.ui.enum_props import set_enums

# By value: this module runs before the first paint, without the Qt namespace (enum_props).
_KEY_TAB, _KEY_BACKTAB = 0x01000001, 0x01000002
_SHIFT, _CTRL, _ALT = 0x02000000, 0x04000000, 0x08000000

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractItemView

    from sprintdesk.plan.model import AgendaSection, SectionKind
    from sprintdesk.ui.host import SectionsHost


class SectionNavigator(QObject):
    """Shows sections (:meth:`show_section`) and keeps the built pages (:attr:`built`, by
    kind). :attr:`displayed` is the section on screen; :attr:`displayed_ids` the (sprint,
    section) ids last shown, so reopening the same sprint (after publishing, Availability, an
    import) stays on that section instead of jumping to the first."""

    def __init__(self, host: SectionsHost, *, window: QWidget) -> None:
        super().__init__(window)
        self.host = host
        self.window = window
        self.displayed: AgendaSection | None = None
        self.displayed_ids: tuple[int, int] | None = None
        self.built: dict[str, QWidget] = {}
        self.page_classes: dict[SectionKind, type[QWidget]] | None = None
        self._go_to_action: QAction | None = None
        self._routing_tab = False
        self._building: AgendaSection | None = None  # its page is built in the next turn

    def show_section(self, section: AgendaSection) -> None:
        """Show a section's page (it does not move the meeting clock)."""
        host = self.host
        self.displayed = section
        if host.doc.sprint is not None:
            self.displayed_ids = (host.doc.sprint.id, section.id)
        if not host.painted:
            host.pages.setCurrentWidget(host.loading)
        elif section.kind not in self.built and _first_frame_on_screen(host.pages):
            # The store has just been taken, in a turn that read the whole sprint: the window
            # is painted with what changed in the next turn, and the page built in the one
            # after (a turn each, not one), while the first frame's page stays on screen
            # (FirstFrame.drop leaves it to the switch), so no frame shows the stack empty.
            self._building = section
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, self, lambda: QTimer.singleShot(0, self, self._build_displayed))
        else:
            self._show_page(section)
        self.select_row(section.id)
        host.meeting.update_banner()
        host.meeting.tick()

    def _show_page(self, section: AgendaSection) -> None:
        page = self.page_for(section)
        page.show_section(section)  # type: ignore[attr-defined]
        self.host.pages.setCurrentWidget(page)

    def _build_displayed(self) -> None:
        section, self._building = self._building, None
        # Another section shown meanwhile has built its own page; a closed plan shows none.
        if section is not None and section is self.displayed and self.host.plan_open:
            self._show_page(section)

    def page_for(self, section: AgendaSection) -> QWidget:
        """The page of ``section``'s kind, built on first use (a placeholder for a kind with
        no page)."""
        page = self.built.get(section.kind)
        if page is None:
            from sprintdesk.plan.model import SectionKind
            from sprintdesk.ui.section_pages import PlaceholderPage, page_classes

            if self.page_classes is None:
                self.page_classes = page_classes()
            try:
                cls = self.page_classes.get(SectionKind(section.kind), PlaceholderPage)
            except ValueError:
                cls = PlaceholderPage
            pages = self.host.pages
            page = cls(self.host.doc, parent=pages)  # type: ignore[arg-type, misc]
            page.set_presentation(self.host.presenting)  # type: ignore[attr-defined]
            pages.addWidget(page)
            self.built[section.kind] = page
            self._in_tab_order(page)
            self._route_tab()
        return page

    def set_presentation(self, on: bool) -> None:
        for page in self.built.values():
            page.set_presentation(on)  # type: ignore[attr-defined]
        if not on:
            # Sized while presenting (a timebox extended), the columns took the presentation
            # theme's large type and left the titles ~49 px: sized again in the window's own.
            self.host.agenda_view.ensurePolished()
            self.size_agenda_columns()

    def drop_pages(self) -> None:
        """The plan is closed (another database): no page or section of it stays."""
        for page in self.built.values():
            self.host.pages.removeWidget(page)
            page.deleteLater()
        self.built.clear()
        self.displayed = None

    def stop_work(self) -> None:
        """Pages build large lists in steps from the event loop; none may run once the plan
        they read is closed."""
        self._building = None
        from sprintdesk.views.base import Batcher, SectionPage

        for page in self.window.findChildren(SectionPage):
            page.stop_background()
        for batcher in self.window.findChildren(Batcher):
            batcher.cancel()

    def _in_tab_order(self, page: QWidget) -> None:
        """Tab goes agenda → page → notes. Pages are built after the notes (on first show),
        so Qt's creation order would put them after the notes, out of the keyboard's reach."""
        stops = [w for w in _focus_chain(page) if page.isAncestorOf(w)]
        if stops:
            QWidget.setTabOrder(self.host.agenda_view, stops[0])
            for first, second in zip(stops, stops[1:], strict=False):
                QWidget.setTabOrder(first, second)
            QWidget.setTabOrder(stops[-1], self.host.notes)
        area = getattr(page, "scroll_area", None)
        if area is not None:
            # Frameless, it shows no focus: Shift+Tab from the page's first control stopped
            # on it, invisibly. The page's controls scroll into view as they take the focus.
            # Only after the linking above: the area anchors the place in the chain where
            # the cards a page builds later join, before the notes.
            area.setFocusPolicy(area.focusPolicy().NoFocus)

    def _route_tab(self) -> None:
        """Tab from the agenda enters the page on screen, Shift+Tab from the notes goes back
        into it. The focus chain alone cannot promise that: each page links itself in when
        built, so the agenda's Tab went to the page built last (hidden: Qt skips it and lands
        in the notes) and the page on screen was out of reach."""
        if not self._routing_tab:
            self._routing_tab = True
            self.host.agenda_view.installEventFilter(self)
            self.host.notes.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if int(event.modifiers().value) & (_CTRL | _ALT):
            return False
        key = event.key()
        forward = (
            watched is self.host.agenda_view
            and key == _KEY_TAB
            and not (int(event.modifiers().value) & _SHIFT)
        )
        back = watched is self.host.notes and key == _KEY_BACKTAB
        if not (forward or back):
            return False
        page = self.host.pages.currentWidget()
        if page is None:
            return False
        # The page's scroll area is no stop of its own (it shows no focus): Tab goes on to
        # the first control, the first card's on a page of cards.
        area = getattr(page, "scroll_area", None)
        stops = [w for w in _focus_chain(page) if w.isVisible() and w is not area]
        column = getattr(page, "column", None)
        if forward and area is not None and column is not None:
            first_card = column.tab_target(area, True)
            if first_card is not None:
                stops.insert(0, first_card)
        if not stops:
            return False
        from PySide6.QtCore import Qt

        reasons = Qt.FocusReason
        target = stops[0] if forward else stops[-1]
        target.setFocus(reasons.TabFocusReason if forward else reasons.BacktabFocusReason)
        if area is not None and area.isAncestorOf(target):
            area.ensureWidgetVisible(target)
        return True

    # --- the agenda -------------------------------------------------------------------------

    def build_agenda_view(self) -> QTableView:
        """The agenda: one row per section, reordered by dragging (or Alt+↑/↓), timeboxes
        edited in place (F2)."""
        view = named(QTableView(), "agendaView")
        view.setAccessibleName(self.tr("Agenda"))
        set_enums(
            view,
            selectionBehavior="SelectRows",
            selectionMode="SingleSelection",
            editTriggers="DoubleClicked|EditKeyPressed|SelectedClicked",
            dragDropMode="InternalMove",
            defaultDropAction="MoveAction",
        )
        view.verticalHeader().hide()
        view.setShowGrid(False)
        view.setTabKeyNavigation(False)  # Tab leaves the agenda; arrows move in it
        view.setWordWrap(False)
        view.setDragEnabled(True)
        view.setAcceptDrops(True)
        view.setDropIndicatorShown(True)
        view.setDragDropOverwriteMode(False)
        return view

    def select_row(self, section_id: int | None) -> None:
        from PySide6.QtCore import QItemSelectionModel

        from sprintdesk.ui.agenda_model import COL_TITLE

        host = self.host
        row = host.agenda_model.row_of(section_id)
        if row < 0:
            return
        host.syncing = True
        try:
            host.agenda_view.selectionModel().setCurrentIndex(
                host.agenda_model.index(row, COL_TITLE),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            host.syncing = False

    def on_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        del previous
        host = self.host
        if host.syncing or not current.isValid():
            return
        section = host.agenda_model.section_at(current.row())
        if section is None or section is self.displayed:
            return
        # Only shows the section's page: a click (or an arrow key) on the agenda never moves
        # the meeting's clock; Next/Previous or "Go to this section" (Enter, double-click) do.
        self.show_section(section)

    def install_go_to(self, view: QAbstractItemView) -> QAction:
        """The agenda's "Go to this section" (Enter on a row, or a double-click on its title):
        in a meeting it makes the row's section the current one. Built once per view."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QAction, QKeySequence

        if self._go_to_action is not None:
            return self._go_to_action
        action = QAction(self.tr("Go to this section"), view)
        action.setObjectName("agendaGoTo")
        action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        # Only while the agenda itself has the focus: Enter in any field stays that field's.
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.setToolTip(self.tr("Make the selected section the meeting's current section"))
        action.triggered.connect(self.go_to_selected)
        view.addAction(action)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        view.doubleClicked.connect(self._on_double_click)
        self._go_to_action = action
        return action

    def _on_double_click(self, index: QModelIndex) -> None:
        from sprintdesk.ui.agenda_model import COL_TIMEBOX

        if index.isValid() and index.column() != COL_TIMEBOX:  # there it edits the timebox
            self.go_to_selected()

    def go_to_selected(self) -> None:
        """Show the selected row's section and, in a meeting, move the clock to it (the
        section left is marked done, as Next does)."""
        host = self.host
        section = host.agenda_model.section_at(host.agenda_view.currentIndex().row())
        if section is None:
            return
        clock = host.clock
        if clock is not None and clock.in_meeting and clock.current is not section:
            clock.go_to(section)
            host.doc.mark_dirty()
        self.show_section(section)
        host.meeting.after_clock_change()

    def move_selected(self, delta: int) -> None:
        view, model = self.host.agenda_view, self.host.agenda_model
        row = view.currentIndex().row()
        if row < 0 or model.move_section(row, row + delta) is False:
            return
        if self.displayed is not None:
            self.select_row(self.displayed.id)

    def edit_selected_timebox(self) -> None:
        view = self.host.agenda_view
        row = view.currentIndex().row()
        if row >= 0:
            from sprintdesk.ui.agenda_model import COL_TIMEBOX

            index = self.host.agenda_model.index(row, COL_TIMEBOX)
            open_editor = view.indexWidget(index)
            if open_editor is not None:  # F2 again: keep the editor (Qt: "editing failed")
                open_editor.setFocus()
                return
            view.setCurrentIndex(index)
            view.edit(index)

    def size_agenda_columns(self) -> None:
        # Sized once per sprint and per extension (not per tick), with room for the bold
        # current row; a header wider than the cells ("Timebox", "Actual") takes no extra
        # room: the section titles beside them (the stretched column) keep all they can.
        view = self.host.agenda_view
        header = view.horizontalHeader()
        for column in range(1, view.model().columnCount()):
            cells = view.sizeHintForColumn(column) + 8
            view.setColumnWidth(column, max(cells, header.sectionSizeHint(column)))


def _first_frame_on_screen(pages: QStackedWidget) -> bool:
    page = pages.currentWidget()
    return page is not None and page.objectName() == "openingPage"


def _focus_chain(root: QWidget) -> list[QWidget]:
    """The widgets under ``root`` that Tab can reach, in their current focus-chain order."""
    tab = 0x1  # Qt::TabFocus, by value (this module avoids the Qt namespace)
    window = root.window()
    # A widget in a window of its own under ``root`` (a popup) is on that window's chain, not
    # this one: waiting for it made the walk run the whole ring (6,228 widgets on the large
    # sprint's first team page, for 16 stops in its first 142).
    inside = [
        w
        for w in root.findChildren(QWidget)
        if int(w.focusPolicy().value) & tab and w.isEnabled() and w.window() is window
    ]
    wanted = {id(w) for w in inside}
    found: list[QWidget] = []
    # The window's chain runs through every page built so far (thousands of widgets on a large
    # plan): the walk stops once every stop under ``root`` is found.
    widget = root.nextInFocusChain()
    while widget is not root and widget is not None and len(found) < len(inside):
        if id(widget) in wanted:
            found.append(widget)
        widget = widget.nextInFocusChain()
    return found
