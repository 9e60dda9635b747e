"""The main window's first frame: the sprint as :func:`sprintdesk.storage.opening.read_opening`
read it straight from the file, shown (read-only) until the store is open, then dropped.

An object the main window owns (:class:`FirstFrame`): its reader is
:mod:`sprintdesk.storage.opening`, its view :mod:`sprintdesk.ui.opening_view`, and the swap to
the editable plan is :meth:`FirstFrame.drop`. It runs before the window's first paint, so
nothing here touches the ``Qt`` namespace (see :mod:`~sprintdesk.ui.enum_props`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHeaderView

if TYPE_CHECKING:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QMainWindow, QWidget

    from sprintdesk.plan.meeting import MeetingClock
    from sprintdesk.plan.model import AgendaSection, Sprint
    from sprintdesk.storage.opening import Opening
    from sprintdesk.ui.host import FirstFrameHost


class FirstFrame(QObject):
    """Shows an :class:`~sprintdesk.storage.opening.Opening` in the window's own widgets;
    :attr:`opening` keeps what was read (the window opens the same sprint from it)."""

    LEAVE_MS = 1000

    def __init__(self, host: FirstFrameHost, *, window: QMainWindow) -> None:
        super().__init__(window)
        self.host = host
        self.window = window
        self.opening: Opening | None = None
        self.clock: MeetingClock | None = None
        self._page: QWidget | None = None
        self._model: QStandardItemModel | None = None
        self._leaving: QWidget | None = None  # on screen until the editable page replaces it

    def show(self, opening: Opening) -> None:
        """The sprint as read straight from the file, until a store is attached: title,
        picker, agenda, clock and the opening section's first items, all read-only."""
        from sprintdesk.ui.opening_view import OpeningPage, agenda_model_for

        host = self.host
        self.opening = opening
        sprint = opening.sprint
        # The picker and the notes come alive with the store: nothing typed here is lost.
        host.sprint_picker.setEnabled(False)
        host.notes.setReadOnly(True)
        self.window.statusBar().showMessage(self.message())
        if sprint is None:
            return  # no sprint yet: the welcome page follows
        host.sprints.fill_picker(opening.sprints, sprint.id)
        self.window.setWindowTitle(self.tr("SprintDesk — {name}").format(name=sprint.name))
        host.facilitator_notes.show(sprint.facilitator_notes)
        clock = self.clock = host.meeting.clock_for(sprint)  # type: ignore[arg-type]
        model = self._model = agenda_model_for(opening, clock, parent=self)
        host.agenda_view.setModel(model)
        host.agenda_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        host.sections.size_agenda_columns()
        if opening.section is not None:
            host.agenda_view.selectRow(sprint.sections.index(opening.section))
        page = self._page = OpeningPage(opening, parent=host.pages)
        host.pages.addWidget(page)
        host.pages.setCurrentWidget(page)
        host.meeting.update_actions()
        host.meeting.update_banner()
        host.meeting.tick()

    def drop(self) -> None:
        """The store's plan is on screen: the first frame's look goes."""
        if self.opening is None:
            return
        host = self.host
        self.opening = None
        self.clock = None
        if self._page is not None:
            page, self._page = self._page, None
            if host.pages.currentWidget() is page:
                # The editable page is built a turn or two later (SectionNavigator.show_section):
                # until it is on screen this one stays, so no frame shows an empty stack.
                self._leaving = page
                host.pages.currentChanged.connect(self._on_page_changed)
                from PySide6.QtCore import QTimer

                # No page follows (the plan opened on the welcome page): it goes all the same.
                QTimer.singleShot(self.LEAVE_MS, page, self._on_page_changed)
            else:
                self._remove(page)
        if self._model is not None:
            self._model.deleteLater()
            self._model = None
        host.sprint_picker.setEnabled(True)
        host.notes.setReadOnly(False)
        status = self.window.statusBar()
        if status.currentMessage() == self.message():
            status.clearMessage()  # not a message shown since (a restored backup)

    def _on_page_changed(self, _index: int = -1) -> None:
        page = self._leaving
        if page is None or (_index >= 0 and self.host.pages.currentWidget() is page):
            return
        self._leaving = None
        self.host.pages.currentChanged.disconnect(self._on_page_changed)
        self._remove(page)

    def _remove(self, page: QWidget) -> None:
        self.host.pages.removeWidget(page)
        page.deleteLater()

    def message(self) -> str:
        return self.tr("Opening the plan…")

    @property
    def sprint(self) -> Sprint | None:
        """The sprint read from the file (it reads as a :class:`Sprint` does), if any."""
        return self.opening.sprint if self.opening is not None else None  # type: ignore[return-value]

    @property
    def section(self) -> AgendaSection | None:
        return self.opening.section if self.opening is not None else None  # type: ignore[return-value]
