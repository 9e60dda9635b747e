"""A simple notes page for agenda sections of kind OTHER: shared notes anyone may see, and the
facilitator's private notes (hidden in presentation mode)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import PlanNote, SectionKind
from sprintdesk.views.base import SectionPage
from sprintdesk.views.tables import collection_table, text_column
from sprintdesk.views.widgets import BoundTextEdit, section_heading


class NotesPage(SectionPage):
    """Notes kept in ``Sprint.notes`` under the section kind "other"."""

    page_name = "notesPage"

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent=parent)
        self.table = collection_table(
            doc,
            name="notes",
            columns=[text_column(doc, self.tr("Note"), "text", what="note")],
            collection=lambda: self.sprint.notes if self.sprint is not None else [],
            keep=lambda n: n.section == SectionKind.OTHER.value and n.team_plan_id is None,
            factory=lambda text: PlanNote(section=SectionKind.OTHER.value, text=text),
            what="note",
            add_placeholder=self.tr("Type a note and press Enter to add…"),
            empty_text=self.tr("No notes yet."),
            parent=self.body,
        )
        self.body_layout.addWidget(self.table)
        self.private_heading = section_heading(
            self.tr("🔒 Facilitator notes (private, never shown or published)"), parent=self.body
        )
        self.body_layout.addWidget(self.private_heading)
        self.private = BoundTextEdit(
            doc,
            "facilitator_notes",
            label=self.tr("Facilitator notes"),
            placeholder=self.tr("Only you see these."),
            parent=self.body,
        )
        self.private.setObjectName("facilitatorNotes")
        self.body_layout.addWidget(self.private)
        self.body_layout.addStretch(1)
        # On a team database the sprint's row is everybody's: the private notes are the side
        # panel's, kept on this computer (ui.notes_panel), not edited here.
        self.private_here = not doc.store.is_server
        if self.private_here:
            self.chrome += [self.private_heading, self.private]
        else:
            self.private_heading.hide()
            self.private.hide()

    def refresh(self) -> None:
        if self.private_here and self.private.obj is not self.sprint:
            self.private.bind(self.sprint)
        self.private.update_from_model()
        self.table.refresh()

    def apply_presentation(self) -> None:
        super().apply_presentation()
        self.table.set_presentation(self.presentation)
