"""The main window's first frame: the sprint as :func:`sprintdesk.storage.opening.read_opening`
read it
straight from the file, shown (read-only) until the store is open, then dropped.

A mixin of :class:`~sprintdesk.ui.main_window.MainWindow`. It runs before the window's first
paint, so nothing here touches the ``Qt`` namespace (see :mod:`~sprintdesk.ui.enum_props`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHeaderView

from sprintdesk.plan.meeting import MeetingClock, Phase

if TYPE_CHECKING:
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QMainWindow as _Base
    from PySide6.QtWidgets import QWidget

    from sprintdesk.plan.model import AgendaSection, Sprint
    from sprintdesk.storage.opening import Opening
else:
    _Base = object


class FirstFrame(_Base):
    """Shows an :class:`~sprintdesk.storage.opening.Opening` in the window's own widgets."""

    _opening: Opening | None
    _opening_page: QWidget | None
    _opening_model: QStandardItemModel | None
    _opening_clock: MeetingClock | None
    _chimed_key: tuple[int | None, int] | None

    if TYPE_CHECKING:
        # The main window's other attributes (widgets, slots) are used here.
        def __getattr__(self, name: str) -> Any: ...

    def _show_opening(self, opening: Opening) -> None:
        """The sprint as read straight from the file, until a store is attached: title,
        picker, agenda, clock and the opening section's first items, all read-only."""
        from sprintdesk.ui.opening_view import OpeningPage, agenda_model_for

        self._opening = opening
        sprint = opening.sprint
        # The picker and the notes come alive with the store: nothing typed here is lost.
        self.sprint_picker.setEnabled(False)
        self.notes.setReadOnly(True)
        self.statusBar().showMessage(self._opening_message())
        if sprint is None:
            return  # no sprint yet: the welcome page follows
        self._syncing = True
        try:
            for sprint_id, name, state in opening.sprints:
                self.sprint_picker.addItem(f"{name} · {self._state_name(state)}", sprint_id)
            self.sprint_picker.setCurrentIndex(self.sprint_picker.findData(sprint.id))
        finally:
            self._syncing = False
        self.setWindowTitle(self.tr("SprintDesk — {name}").format(name=sprint.name))
        self._loading_notes = True
        try:
            self.notes.setPlainText(sprint.facilitator_notes)
        finally:
            self._loading_notes = False
        clock = MeetingClock(sprint, monotonic=self._monotonic, wall=self._wall)  # type: ignore[arg-type]
        self._opening_clock = clock
        reading = clock.reading()
        if reading.in_meeting and reading.phase is Phase.OVERRUN:
            self._chimed_key = (reading.section_id, reading.budget)  # no chime on reopening
        model = self._opening_model = agenda_model_for(opening, clock, parent=self)
        self.agenda_view.setModel(model)
        self.agenda_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self._size_agenda_columns()
        if opening.section is not None:
            self.agenda_view.selectRow(sprint.sections.index(opening.section))
        page = self._opening_page = OpeningPage(opening, parent=self.pages)
        self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)
        self._update_actions()
        self._update_banner()
        self.tick()

    def _drop_opening(self) -> None:
        """The store's plan is on screen: the first frame's look goes."""
        if self._opening is None:
            return
        self._opening = None
        self._opening_clock = None
        if self._opening_page is not None:
            self.pages.removeWidget(self._opening_page)
            self._opening_page.deleteLater()
            self._opening_page = None
        if self._opening_model is not None:
            self._opening_model.deleteLater()
            self._opening_model = None
        self.sprint_picker.setEnabled(True)
        self.notes.setReadOnly(False)
        if self.statusBar().currentMessage() == self._opening_message():
            self.statusBar().clearMessage()  # not a message shown since (a restored backup)

    def _opening_message(self) -> str:
        return self.tr("Opening the plan…")

    def _shown_clock(self) -> MeetingClock | None:
        """The open sprint's clock, or the first frame's (read-only) before a store."""
        return self.clock if self.clock is not None else self._opening_clock

    def _shown_sprint(self) -> Sprint | None:
        if self._doc is not None:
            return self._doc.sprint
        return self._opening.sprint if self._opening is not None else None  # type: ignore[return-value]

    def _shown_section(self) -> AgendaSection | None:
        if self._doc is None and self._opening is not None:
            return self._opening.section  # type: ignore[return-value]
        return self.displayed
