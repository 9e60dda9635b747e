"""The facilitator's private notes under the agenda: never published, hidden in presentation
mode, saved with the sprint like any other edit (undoable, autosaved).

An object the main window owns (:class:`FacilitatorNotes`): it builds the editor
(:attr:`FacilitatorNotes.edit`) and the panel around it (:attr:`FacilitatorNotes.panel`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from sprintdesk.ui.clock_header import named

if TYPE_CHECKING:
    from sprintdesk.ui.host import NotesHost


class FacilitatorNotes(QObject):
    """The notes of the open sprint; typing in :attr:`edit` edits them through the document."""

    def __init__(self, host: NotesHost, *, window: QWidget) -> None:
        super().__init__(window)
        self.host = host
        self._loading = False
        tr = self.tr
        edit = self.edit = named(QPlainTextEdit(), "facilitatorNotes")
        edit.setTabChangesFocus(True)  # Tab moves on to the agenda; it types no tab
        edit.setAccessibleName(tr("Facilitator notes"))
        edit.setPlaceholderText(
            tr("Private notes for the facilitator: hidden in presentation mode, never published.")
        )
        edit.textChanged.connect(self._on_edited)
        self.panel = named(QWidget(), "notesPanel")
        layout = QVBoxLayout(self.panel)
        layout.setContentsMargins(0, 4, 0, 0)
        title = named(QLabel(tr("Facilitator notes (private)")), "notesTitle")
        title.setBuddy(edit)
        layout.addWidget(title)
        layout.addWidget(edit)

    def load(self) -> None:
        """Show the open sprint's notes (none without a sprint)."""
        sprint = self.host.doc.sprint if self.host.plan_open else None
        self.show((sprint.facilitator_notes or "") if sprint is not None else "")

    def show(self, text: str) -> None:
        """Put ``text`` in the notes (not an edit of them)."""
        if self.edit.toPlainText() != text:
            self._loading = True
            try:
                self.edit.setPlainText(text)
            finally:
                self._loading = False

    def _on_edited(self) -> None:
        host = self.host
        if self._loading or not host.plan_open or host.doc.sprint is None:
            return
        text = self.edit.toPlainText()
        host.doc.set_attr(
            host.doc.sprint, "facilitator_notes", text, self.tr("Edit facilitator notes")
        )
