"""The facilitator's private notes under the agenda: never published, hidden in presentation
mode, autosaved.

On this computer's database the notes are saved with the sprint like any other edit (undoable,
autosaved, kept in exports and backups). On a team database the sprint's row is everybody's, so
each person's notes stay on their own computer instead
(:class:`~sprintdesk.storage.private_notes.PrivateNotes`, in the data folder): they are saved a
moment after typing stops, and before another sprint opens or the window closes, never sent to
the server and never on the plan's undo stack (the editor's own undo, Ctrl+Z in the notes,
still works).

An object the main window owns (:class:`FacilitatorNotes`): it builds the editor
(:attr:`FacilitatorNotes.edit`) and the panel around it (:attr:`FacilitatorNotes.panel`).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QMainWindow, QPlainTextEdit, QVBoxLayout, QWidget

from sprintdesk.ui.clock_header import named

if TYPE_CHECKING:
    from sprintdesk.storage.private_notes import PrivateNotes
    from sprintdesk.ui.host import NotesHost

log = logging.getLogger(__name__)
# Private notes are saved this long after typing stops, as the plan's edits are
# (editing.document.AUTOSAVE_DELAY_MS; not imported: the window loads before the database layer).
SAVE_DELAY_MS = 250


class FacilitatorNotes(QObject):
    """The notes of the open sprint; typing in :attr:`edit` edits them through the document
    (this computer's database) or into this computer's private notes (a team database)."""

    def __init__(self, host: NotesHost, *, window: QWidget) -> None:
        super().__init__(window)
        self.host = host
        self.window = window
        self._loading = False
        # On a team database: where the open sprint's notes are kept, which sprint, and
        # whether the editor holds text not saved yet.
        self._private: PrivateNotes | None = None
        self._sprint_id: int | None = None
        self._unsaved = False
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.flush)
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
        host = self.host
        sprint = host.doc.sprint if host.plan_open else None
        if sprint is None or not host.doc.store.is_server:
            self.flush()
            self._private, self._sprint_id = None, None
            self.show((sprint.facilitator_notes or "") if sprint is not None else "")
            return
        from sprintdesk.storage.private_notes import PrivateNotes

        store = host.doc.store
        private = PrivateNotes(store.url, store.data_dir or _data_dir())
        shown = self._private is not None and self._private.folder == private.folder
        if shown and self._sprint_id == sprint.id:
            return  # the same sprint: the editor already holds its notes (a refresh)
        self.flush()
        self._private, self._sprint_id = private, sprint.id
        try:
            text = self._private.read(sprint.id)
        except (OSError, UnicodeDecodeError) as error:
            log.warning("Cannot read the private notes %s: %s", self._private.folder, error)
            text = ""
        self.show(text)

    def show(self, text: str) -> None:
        """Put ``text`` in the notes (not an edit of them)."""
        if self.edit.toPlainText() != text:
            self._loading = True
            try:
                self.edit.setPlainText(text)
            finally:
                self._loading = False

    def flush(self) -> None:
        """Save private notes typed on a team database now (nothing to do otherwise)."""
        self._save_timer.stop()
        if not self._unsaved or self._private is None or self._sprint_id is None:
            return
        try:
            self._private.write(self._sprint_id, self.edit.toPlainText())
        except OSError as error:
            # The text stays in the editor; the next keystroke or switch tries again.
            log.warning("Cannot save the private notes in %s: %s", self._private.folder, error)
            if isinstance(self.window, QMainWindow):
                self.window.statusBar().showMessage(
                    self.tr("Cannot save your private notes: %1").replace("%1", str(error))
                )
            return
        self._unsaved = False

    def _on_edited(self) -> None:
        host = self.host
        if self._loading or not host.plan_open or host.doc.sprint is None:
            return
        if self._private is not None:
            self._unsaved = True
            self._save_timer.start()
            return
        text = self.edit.toPlainText()
        host.doc.set_attr(
            host.doc.sprint, "facilitator_notes", text, self.tr("Edit facilitator notes")
        )


def _data_dir() -> Path:
    from sprintdesk.system.paths import resolve_data_dir

    return resolve_data_dir()
