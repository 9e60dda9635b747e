"""The retro page: what went well, what to improve and the actions (with an owner). Type and
press Enter to add, edit in place, Delete removes, Alt+Up/Down or drag reorders. An action
typed with a trailing ``@login`` of a known person gets that person as its owner, as the
importer does."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import Person, RetroKind, RetroNote
from sprintdesk.views.base import SectionPage
from sprintdesk.views.tables import EditableTable, collection_table, person_column, text_column
from sprintdesk.views.widgets import active_people, section_heading, set_text_and_owner, split_owner

TITLES = {
    RetroKind.WENT_WELL: "👍 Went well",
    RetroKind.TO_IMPROVE: "🛠 To improve",
    RetroKind.ACTION: "🎯 Actions",
}


class RetroPage(SectionPage):
    """Three lists sharing ``Sprint.retro_notes``, told apart by ``RetroNote.kind``."""

    page_name = "retroPage"

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent=parent)
        self._people: list[Person] = []
        self.tables: dict[RetroKind, EditableTable] = {}
        top = QHBoxLayout()
        top.setSpacing(16)
        for kind in RetroKind:
            box = QVBoxLayout()
            box.addWidget(section_heading(self.tr(TITLES[kind]), parent=self.body))
            table = self._make_table(kind)
            box.addWidget(table)
            box.addStretch(1)
            self.tables[kind] = table
            if kind == RetroKind.ACTION:
                self.body_layout.addLayout(top)
                self.body_layout.addLayout(box)
            else:
                top.addLayout(box, 1)
        self.body_layout.addStretch(1)

    def _make_table(self, kind: RetroKind) -> EditableTable:
        doc = self.doc
        columns = [text_column(doc, self.tr("Note"), "text", what="retro note")]
        if kind == RetroKind.ACTION:
            columns[0].header = self.tr("Action")
            columns[0].commit = self.set_action_text
            columns.append(person_column(doc, lambda: self._people))

        def factory(text: str) -> RetroNote:
            if kind != RetroKind.ACTION:
                return RetroNote(kind=kind.value, text=text)
            text, owner = split_owner(text, self._people_now())
            return RetroNote(kind=kind.value, text=text, owner=owner)

        names = {
            RetroKind.WENT_WELL: "wentWell",
            RetroKind.TO_IMPROVE: "toImprove",
            RetroKind.ACTION: "actions",
        }
        return collection_table(
            doc,
            name=names[kind],
            columns=columns,
            collection=lambda: self.sprint.retro_notes if self.sprint is not None else [],
            keep=lambda note: note.kind == kind.value,
            factory=factory,
            what="retro note" if kind != RetroKind.ACTION else "action",
            add_placeholder=self.tr("Type and press Enter to add…"),
            empty_text=self.tr("Nothing yet."),
            parent=self.body,
        )

    def _people_now(self) -> list[Person]:
        if not self._people:
            self._people = active_people(self.doc)
        return self._people

    def set_action_text(self, note: RetroNote, value: Any) -> None:
        """Edit an action's text; a trailing ``@login`` of a known person becomes its owner
        (text and owner change in one undoable step)."""
        set_text_and_owner(
            self.doc, note, "text", value, self._people_now(), self.tr("Edit action")
        )

    def refresh(self) -> None:
        self._people = active_people(self.doc)
        for table in self.tables.values():
            table.refresh()

    def apply_presentation(self) -> None:
        super().apply_presentation()
        for table in self.tables.values():
            table.set_presentation(self.presentation)
