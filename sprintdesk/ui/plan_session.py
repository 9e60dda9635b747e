"""The database the window works on: attaching an open store (the document over it, the undo
actions, the agenda's model, live updates, the save state in the status bar), swapping it for
another (a restored backup) and closing it with the window.

An object the main window owns (:class:`PlanSession`); it reaches the window through
:class:`~sprintdesk.ui.host.PlanSessionHost`. Databases are opened below the window
(:mod:`~sprintdesk.ui.opener`), which hands it the open store.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QHeaderView, QLabel

from sprintdesk.ui.clock_header import named
from sprintdesk.ui.meeting_controls import CHIME_SETTING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.editing.live import LiveUpdates
    from sprintdesk.storage.store import Store
    from sprintdesk.ui.host import PlanSessionHost
    from sprintdesk.ui.together import Together


class PlanSession(QObject):
    """:attr:`store` and :attr:`doc` are the open database and its document (None before one
    is attached); :attr:`save_state` the status bar's "All changes saved"."""

    def __init__(self, host: PlanSessionHost, *, window: QMainWindow) -> None:
        super().__init__(window)
        self.host = host
        self.window = window
        self.store: Store | None = None
        self.doc: PlanDocument | None = None
        self.owns_store = False
        self.live_updates: LiveUpdates | None = None  # a team database's live updates
        self.together: Together | None = None  # and who else is here (ui.together)
        self.save_state = named(QLabel(), "saveState")
        self.save_state.setAccessibleName(self.tr("Save state"))
        window.statusBar().addPermanentWidget(self.save_state)

    def attach(self, store: Store) -> None:
        """Work on ``store``: open the sprint in a meeting, else the newest (or the welcome page).

        SQLAlchemy and the model are first imported here, so :func:`sprintdesk.app.run_gui` can
        paint the window before loading them."""
        from sprintdesk.editing.document import PlanDocument
        from sprintdesk.plan import settings as db_settings
        from sprintdesk.ui.agenda_model import COL_TIMEBOX, COL_TITLE, AgendaModel, TimeboxDelegate

        host, window = self.host, self.window
        self.store = store
        view = host.agenda_view
        timeboxes = TimeboxDelegate(view)
        timeboxes.refused.connect(lambda message: window.statusBar().showMessage(message, 8000))
        timeboxes.settled.connect(lambda: _clear_message(window, timeboxes.refusal()))
        view.setItemDelegateForColumn(COL_TIMEBOX, timeboxes)
        doc = self.doc = PlanDocument(store, parent=window)
        stack = doc.undo_stack
        undo, redo = host.commands.act_undo, host.commands.act_redo
        stack.canUndoChanged.connect(undo.setEnabled)
        stack.canRedoChanged.connect(redo.setEnabled)
        # What Ctrl+Z would undo shows as the actions' tips (C++ slots: no dangling lambdas).
        stack.undoTextChanged.connect(undo.setToolTip)
        stack.redoTextChanged.connect(redo.setToolTip)
        undo.setEnabled(stack.canUndo())
        redo.setEnabled(stack.canRedo())

        model = host.agenda_model = AgendaModel(doc, lambda: host.clock, parent=window)
        view.setModel(model)
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(COL_TITLE, QHeaderView.ResizeMode.Stretch)
        view.selectionModel().currentRowChanged.connect(host.sections.on_row_changed)
        host.sections.install_go_to(view)

        doc.changed.connect(self._on_doc_changed)
        doc.stateChanged.connect(self._on_save_state)
        doc.outboxChanged.connect(lambda _count: self._on_save_state(doc.state))
        doc.saveFailed.connect(self._on_save_failed)
        doc.sprintOpened.connect(host.sprints.on_sprint_opened)
        # A team database: what others commit shows here live (None for the local file).
        from sprintdesk.editing.live import watch_document

        self.live_updates = watch_document(doc, parent=window)
        if self.live_updates is not None:  # who else is here; the meeting followed (ui.together)
            from sprintdesk.ui.together import Together, TogetherHost

            self.together = Together(cast("TogetherHost", window), doc, self.live_updates)
        host.features.on_store(store)
        from sprintdesk.ui.conflict_dialog import ask_about_conflicts

        doc.conflictsFound.connect(partial(ask_about_conflicts, window, doc))
        self._on_save_state(doc.state)
        host.syncing = True
        try:
            chime = db_settings.get(doc.session, CHIME_SETTING, "1") != "0"
            host.commands.act_chime.setChecked(chime)
        finally:
            host.syncing = False

        host.sprints.refresh()
        host.sprints.open_first()
        host.first_frame.drop()

    def replace(self, store: Store) -> None:
        """Work on another database (after a restore from backup): the open plan, its pages and
        the welcome page are dropped and everything is shown afresh from ``store``."""
        self.host.sections.stop_work()
        self._stop_live_updates()
        if self.doc is not None:
            self.doc.close()
            self.doc.deleteLater()
            self.doc = None
        self.host.sections.drop_pages()
        self.host.sprints.drop_welcome()
        if self.owns_store and self.store is not None and self.store is not store:
            self.store.close()
        self.owns_store = True
        self.attach(store)

    def take(self, store: Store) -> None:
        """Work on ``store`` and close it with the window."""
        self.owns_store = True
        self.attach(store)

    def close(self) -> None:
        """The window closes: pending edits are saved and an owned store closed."""
        self.host.sections.stop_work()
        self._stop_live_updates()
        if self.doc is not None:
            self.doc.close()
        if self.owns_store and self.store is not None:
            self.store.close()

    def _stop_live_updates(self) -> None:
        if self.together is not None:
            self.together.stop()
            self.together = None
        if self.live_updates is not None:
            self.live_updates.stop()
            self.live_updates = None

    def _on_doc_changed(self) -> None:
        host = self.host
        host.facilitator_notes.load()
        host.agenda_model.reload()
        displayed = host.sections.displayed
        if displayed is not None:
            host.sections.select_row(displayed.id)
        host.meeting.tick()

    def _on_save_state(self, state: str) -> None:
        texts = {
            "saved": self.tr("✓ All changes saved"),
            "pending": self.tr("Saving…"),
            "error": self.tr("⚠ Not saved"),
            "refused": self.tr("⚠ Read-only: kept here, not saved"),
        }
        if state == "offline" and self.doc is not None:
            texts["offline"] = self.doc.status_text()  # "Offline — 3 changes waiting"
        elif state == "pending" and self.doc is not None and self.doc.waiting:
            # Back online, the outbox on its way: "Sending — 3 changes waiting" until it lands.
            texts["pending"] = self.doc.status_text()
        label = self.save_state
        label.setText(texts.get(state, state))
        label.setProperty("state", state)
        label.style().unpolish(label)
        label.style().polish(label)
        failed = state in ("error", "offline", "refused") and self.doc is not None
        label.setToolTip(self.doc.last_error if failed and self.doc is not None else "")

    def _on_save_failed(self, message: str) -> None:
        self.window.statusBar().showMessage(message)


def _clear_message(window: QMainWindow, message: str) -> None:
    """Take a refusal off the status bar once it no longer applies (another message stays)."""
    if window.statusBar().currentMessage() == message:
        window.statusBar().clearMessage()
