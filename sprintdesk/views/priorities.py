"""The priorities page: the sprint's ordered priorities. Enter adds, Delete removes, Alt+Up/Down
or drag and drop reorders, double-click or F2 edits in place. Below them, the sprint-wide
support rota (:mod:`sprintdesk.views.rota`)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import Priority
from sprintdesk.views.base import SectionPage
from sprintdesk.views.models import Column
from sprintdesk.views.rota import SprintRotaEditor
from sprintdesk.views.tables import collection_table, text_column


class PrioritiesPage(SectionPage):
    """An ordered list over ``Sprint.priorities``."""

    page_name = "prioritiesPage"

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent=parent)
        rank = Column("#", display=self._rank)
        self.table = collection_table(
            doc,
            name="priorities",
            columns=[rank, text_column(doc, self.tr("Priority"), "text", what="priority")],
            collection=lambda: self.sprint.priorities if self.sprint is not None else [],
            factory=lambda text: Priority(text=text),
            what="priority",
            add_placeholder=self.tr("Type a priority and press Enter to add…"),
            empty_text=self.tr("No priorities yet."),
            parent=self.body,
        )
        # A long list scrolls inside its table, which then takes the page's height.
        self.body_layout.addWidget(self.table, 1)
        self.rota = SprintRotaEditor(doc, parent=self.body)
        self.body_layout.addWidget(self.rota)
        self.body_layout.addStretch(0)

    def _rank(self, priority: Priority) -> str:
        # The model's row (a dictionary look-up): the list's own index() is a scan, once per
        # row painted, which made a long list quadratic.
        row = self.table.model.row_of(priority)
        return f"{row + 1}." if row >= 0 else ""

    def refresh(self) -> None:
        self.table.refresh()
        self.rota.refresh()

    def apply_presentation(self) -> None:
        super().apply_presentation()
        self.table.set_presentation(self.presentation)
