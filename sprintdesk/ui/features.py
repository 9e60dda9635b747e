"""The main window's feature actions: sprints, markdown (preview, export, import, print),
GitHub (publish, settings), people (roster, availability, capacity, history) and backups.

Each feature lives in its own module; this one only gives it a menu entry and a key, and keeps
the open plan in step: edits are saved before a feature reads the database, and the plan is
reloaded after a feature wrote to it. After a tool window's save on a team database (Roster,
Availability) only the rows that save committed are brought in, read off the UI thread and
applied as somebody else's changes are (``PlanDocument.apply_remote``): the window does not
wait on the network, and keeps the cursor, selection and undo stack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from sprintdesk.ui.screen_fit import fit_to_screen
from sprintdesk.ui.window_actions import distinct_keys, make_action

if TYPE_CHECKING:
    from sprintdesk.storage.live import Change
    from sprintdesk.storage.store import Store
    from sprintdesk.ui.host import FeaturesHost
    from sprintdesk.views.capacity import CapacityView


def _window_of(widget: QWidget, title: str, name: str, parent: QWidget) -> QWidget:
    """A top-level window (owned by the main window) around a view."""
    frame = QWidget(parent, Qt.WindowType.Window)
    frame.setObjectName(name)
    frame.setWindowTitle(title)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget)
    fit_to_screen(frame, 1100, 720)
    return frame


class _CloseKeys(QObject):
    """Esc and Ctrl+W (or the platform's Close key) close a tool window, as they close a
    dialog. Esc closes only when nothing inside used it: an open cell editor takes it first
    (it cancels that edit), so the window does not vanish under a half-typed value."""

    def __init__(self, frame: QWidget) -> None:
        super().__init__(frame)
        self.frame = frame
        close = QAction(self.tr("Close"), frame)
        close.setObjectName("closeToolWindow")
        close.setShortcuts(distinct_keys([QKeySequence.StandardKey.Close, "Ctrl+W"]))
        close.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        close.triggered.connect(frame.close)
        frame.addAction(close)
        frame.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            watched is self.frame
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.frame.close()
            return True
        return False


class Features(QObject):
    """Installs the feature actions on ``window``; keep it alive as long as the window.
    ``host`` is the same window seen through what the features need of it (the open plan,
    its menus); ``window`` is their dialogs' and tool windows' parent."""

    def __init__(self, host: FeaturesHost, *, window: QMainWindow) -> None:
        super().__init__(window)
        self.host = host
        self.window = window
        self.preview_dock: QDockWidget | None = None
        self._windows: dict[str, QWidget] = {}
        self._review: QWidget | None = None
        self._history_dialog: QWidget | None = None
        # A save beside the plan was applied since a tool window last said it saved.
        self._beside_applied = False
        from sprintdesk.editing.beside import written

        written().written.connect(self._on_written)
        tr = self.tr
        add = self._add
        add("file", "newSprint", tr("New sprint…"), self.new_sprint, QKeySequence.StandardKey.New)
        add("file", "nextSprint", tr("Start the next sprint…"), self.next_sprint, "Ctrl+Shift+T")
        add(
            "file",
            "importMarkdown",
            tr("Import from markdown…"),
            self.import_markdown,
            QKeySequence.StandardKey.Open,
        )
        add(
            "file",
            "importHistory",
            tr("Import history from GitHub…"),
            self.import_history,
        )
        add("file", "exportMarkdown", tr("Export as markdown…"), self.export_markdown, "Ctrl+E")
        add(
            "file",
            "copyForGitHub",
            tr("Copy issue body for GitHub"),
            self.copy_body,
            "Ctrl+Shift+C",
        )
        add("file", "printPlan", tr("Print…"), self.print_plan, QKeySequence.StandardKey.Print)
        self.act_restore = add(
            "file", "restoreBackup", tr("Restore from backup…"), self.restore_backup
        )
        add(
            "edit",
            "settings",
            tr("Settings…"),
            self.open_settings,
            QKeySequence.StandardKey.Preferences,
            "Ctrl+,",
        )
        add("meeting", "publish", tr("Publish to GitHub…"), self.publish, "Ctrl+Shift+P")
        add("meeting", "pull", tr("Pull team edits from GitHub…"), self.pull, "Ctrl+Shift+L")
        self.act_preview = add(
            "view", "previewToggle", tr("GitHub preview"), self.toggle_preview, "Ctrl+Shift+M"
        )
        self.act_preview.setCheckable(True)
        add("view", "roster", tr("Roster: people and teams…"), self.open_roster, "Ctrl+Shift+R")
        add("view", "availability", tr("Availability…"), self.open_availability, "Ctrl+Shift+A")
        add("view", "capacity", tr("Capacity"), self.open_capacity, "Ctrl+Shift+K")
        add("view", "history", tr("Sprint history"), self.open_history, "Ctrl+Shift+H")

        self.publish_state = QLabel()
        self.publish_state.setObjectName("publishState")
        self.publish_state.setAccessibleName(tr("Publish state"))
        # Permanent, beside the save state: a temporary message (after a restore, an import)
        # is drawn over the left part of the bar and used to overlap this label.
        window.statusBar().addPermanentWidget(self.publish_state)
        host.presentationChanged.connect(self._on_presentation)

        from sprintdesk.ui.key_guard import KeyGuard

        self.key_guard = KeyGuard(window, areas=(host.pages, host.notes_panel))
        window.installEventFilter(self.key_guard)

    def _add(
        self,
        menu: str,
        name: str,
        text: str,
        slot: Callable[[], object],
        *keys: QKeySequence.StandardKey | str,
    ) -> QAction:
        return self.host.add_action(menu, make_action(self.window, name, text, slot, keys))

    def on_store(self, store: Store) -> None:
        """Backups and restoring are for this computer's database file; a team database is
        backed up on its server (pg_dump), so those actions are hidden with one."""
        self.act_restore.setVisible(store.path is not None)

    # --- keeping the open plan in step ----------------------------------------------------

    def _store(self) -> Store | None:
        """The open database, with the plan's edits saved so a feature reads them."""
        if self.host.store is None:
            return None
        self.host.doc.save_now()
        return self.host.store

    def _current(self) -> tuple[Store, int] | None:
        """The open database and sprint (edits saved), or None with a word to the user."""
        store = self._store()
        if store is None or self.host.doc.sprint is None:
            QMessageBox.information(
                self.window, "SprintDesk", self.tr("Open or create a sprint first.")
            )
            return None
        return store, int(self.host.doc.sprint.id)

    def after_external_change(self, sprint_id: int | None = None) -> None:
        """Another session wrote to the database: show it (and optionally another sprint)."""
        host = self.host
        if host.store is None:
            return
        host.doc.reload()
        host.refresh_sprints()
        target = (
            sprint_id
            if sprint_id is not None
            else (host.doc.sprint.id if host.doc.sprint is not None else None)
        )
        if target is not None:
            host.open_sprint(int(target))
        self.update_status()

    def _on_written(self, doc: object, changes: list[Change]) -> None:
        """A save beside the plan landed on a team database (``editing.beside.written``):
        the rows it committed are read behind the window and applied to the open plan; the
        sprint list is read again only when a sprint row changed."""
        host = self.host
        if host.store is None or doc is not host.doc or host.doc.offline:
            return
        if host.doc.sprint is None:
            return  # the welcome page: what it saved opens as it says
        # The window that saved says so (its ``changed``) in this same turn, right after: a
        # ``changed`` in a later turn is about something else (what waited in the outbox).
        self._beside_applied = True
        QTimer.singleShot(0, self._forget_applied)
        host.doc.apply_remote(changes)
        if any(change.what == "sprints" for change in changes):
            host.refresh_sprints()
        self.update_status()

    def _forget_applied(self) -> None:
        self._beside_applied = False

    def after_tool_save(self) -> None:
        """A tool window saved (its ``changed``). On a team database what its save committed
        is already being applied (:meth:`_on_written`); a change whose rows are not known
        (what waited in the offline outbox landed), this computer's database, or offline:
        the plan is reloaded as after any other writer."""
        host = self.host
        if host.store is None:
            return
        applied, self._beside_applied = self._beside_applied, False
        if applied and host.store.is_server and not host.doc.offline:
            return
        self.after_external_change()

    def update_status(self) -> None:
        sprint = self.host.doc.sprint if self.host.store is not None else None
        if sprint is None:
            self.publish_state.setText("")
            return
        from sprintdesk.github.publishing import publish_status

        self.publish_state.setText(publish_status(sprint))

    # --- sprints --------------------------------------------------------------------------

    def new_sprint(self) -> None:
        self._sprint_dialog(None)

    def next_sprint(self) -> None:
        current = self._current()
        if current is not None:
            self._sprint_dialog(current[1])

    def _sprint_dialog(self, previous_id: int | None) -> None:
        store = self._store()
        if store is None:
            return
        from sprintdesk.ui.sprint_dialog import SprintDialog

        dialog = SprintDialog(store, previous_id=previous_id, parent=self.window)
        if dialog.exec() and dialog.sprint_id is not None:
            self.after_external_change(dialog.sprint_id)

    # --- markdown -------------------------------------------------------------------------

    def import_markdown(self) -> None:
        store = self._store()
        if store is None:
            return
        from sprintdesk.ui.export_actions import import_from_file, show_import_review

        summary: list[str] = []
        review: list[list[str]] = []
        sprint_id = import_from_file(self.window, store, summary.append, review.append)
        if sprint_id is not None:
            self.after_external_change(sprint_id)
            self.window.statusBar().showMessage(" ".join(summary), 20000)
            if review and self.host.doc.sprint is not None:
                # Not modal: the user fixes what was kept as notes with the review in view.
                self._review = show_import_review(
                    self.window, str(self.host.doc.sprint.name), review[0]
                )

    def import_history(self) -> None:
        """File → Import history from GitHub…: the History view shows the result."""
        store = self._store()
        if store is None:
            return
        from sprintdesk.ui.history_import_dialog import HistoryImportDialog

        dialog = HistoryImportDialog(store, parent=self.window)
        dialog.imported.connect(lambda _report: self._after_history_import())
        dialog.open()
        self._history_dialog = dialog

    def _after_history_import(self) -> None:
        self.after_external_change()
        view = self._windows.get("history")
        if view is not None:
            for child in view.findChildren(QWidget):
                refresh = getattr(child, "refresh", None)
                if child.__class__.__name__ == "HistoryView" and callable(refresh):
                    refresh()

    def export_markdown(self) -> None:
        current = self._current()
        if current is None:
            return
        store, sprint_id = current
        from sprintdesk.ui.export_actions import export_to_file

        doc = self.host.doc
        # Edits a read-only role (or a server away) could not save are exported as shown.
        unsaved = doc.export_markdown() if doc.read_only or doc.offline else None
        path = export_to_file(self.window, store, sprint_id, unsaved=unsaved)
        if path is not None:
            self.window.statusBar().showMessage(
                self.tr("Exported to %1").replace("%1", str(path)), 8000
            )

    def copy_body(self) -> None:
        current = self._current()
        if current is None:
            return
        store, sprint_id = current
        from sprintdesk.ui.export_actions import copy_part

        if copy_part(store, sprint_id, "body"):
            self.window.statusBar().showMessage(
                self.tr("The issue body is on the clipboard, ready to paste into GitHub."), 8000
            )

    def print_plan(self) -> None:
        current = self._current()
        if current is None:
            return
        store, sprint_id = current
        from sprintdesk.ui.export_actions import print_plan

        print_plan(self.window, store, sprint_id)

    def toggle_preview(self) -> None:
        if self.host.store is None:
            self.act_preview.setChecked(False)
            return
        if self.preview_dock is None:
            from sprintdesk.views.preview import PreviewPage

            page = PreviewPage(self.host.doc)
            dock = QDockWidget(self.tr("GitHub preview"), self.window)
            dock.setObjectName("previewDock")
            dock.setWidget(page)
            dock.visibilityChanged.connect(self.act_preview.setChecked)
            self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            # Narrow enough that the page and the clock's buttons keep their room: at 1280
            # wide a goal card beside it lays its fields out one a row without scrolling.
            self.window.resizeDocks(
                [dock], [min(460, self.window.width() * 3 // 10)], Qt.Orientation.Horizontal
            )
            doc = self.host.doc
            doc.saved.connect(page.schedule_refresh)
            doc.sprintOpened.connect(page.show_sprint)
            self.preview_dock = dock
            if doc.sprint is not None:
                page.show_sprint(doc.sprint.id)
        self.preview_dock.setVisible(not self.preview_dock.isVisible())

    # --- GitHub ---------------------------------------------------------------------------

    def publish(self, *, pull_first: bool = False) -> None:
        current = self._current()
        if current is None:
            return
        store, sprint_id = current
        from PySide6.QtCore import QTimer

        from sprintdesk.ui.publish_dialog import PublishDialog

        dialog = PublishDialog(store, sprint_id, parent=self.window)
        if pull_first:
            QTimer.singleShot(0, dialog.start_pull)
        dialog.published.connect(lambda _url: self.after_external_change(sprint_id))
        dialog.pulled.connect(lambda _n: self.after_external_change(sprint_id))
        dialog.exec()
        self.after_external_change(sprint_id)

    def pull(self) -> None:
        """Read the team comments people edited on GitHub; the dialog shows what would change
        and applies it only when asked."""
        sprint = self.host.doc.sprint if self.host.store is not None else None
        if sprint is not None and sprint.publish_issue_number is None:
            QMessageBox.information(
                self.window,
                self.tr("Pull from GitHub"),
                self.tr("This sprint has not been published yet: there is nothing to pull."),
            )
            return
        self.publish(pull_first=True)

    def open_settings(self) -> None:
        store = self._store()
        if store is None:
            return
        from sprintdesk.ui.settings_dialog import SettingsDialog

        # A sprint published to its own host (``publish --api-url``): Settings shows that
        # host, so the token pasted there goes to it and not to the default one.
        sprint = self.host.doc.sprint
        sprint_api_url = sprint.publish_api_url if sprint is not None else None
        SettingsDialog(store, sprint_api_url=sprint_api_url, parent=self.window).exec()

    # --- people ---------------------------------------------------------------------------

    def _show_window(self, key: str, build: Callable[[], QWidget]) -> QWidget:
        frame = self._windows.get(key)
        if frame is None:
            frame = build()
            _CloseKeys(frame)
            self._windows[key] = frame
        frame.show()
        frame.raise_()
        frame.activateWindow()
        return frame

    def open_roster(self) -> None:
        if self._store() is None:
            return
        from sprintdesk.views.roster import RosterWindow

        def build() -> QWidget:
            roster = RosterWindow(self.host.doc, parent=self.window)
            roster.setWindowFlag(Qt.WindowType.Window, True)
            roster.changed.connect(self.after_tool_save)
            fit_to_screen(roster, 900, 620)
            return roster

        self._show_window("roster", build)

    def open_availability(self) -> None:
        current = self._current()
        if current is None:
            return
        _store, sprint_id = current
        from sprintdesk.views.availability import AvailabilityDialog

        dialog = AvailabilityDialog(self.host.doc, sprint_id, parent=self.window)
        fit_to_screen(dialog, 900, 640)
        dialog.exec()
        if self.host.store is not None and self.host.store.is_server:
            return  # each save is applied as it lands (_on_written), also after closing
        self.after_external_change(sprint_id)

    def open_capacity(self) -> None:
        current = self._current()
        if current is None:
            return
        _store, sprint_id = current
        from sprintdesk.views.capacity import CapacityView

        def build() -> QWidget:
            view = CapacityView(self.host.doc)
            self.host.doc.saved.connect(lambda: self._refresh_capacity(view))
            return _window_of(view, self.tr("Capacity — SprintDesk"), "capacityWindow", self.window)

        frame = self._show_window("capacity", build)
        view = frame.findChild(CapacityView)
        assert view is not None
        view.show_sprint(sprint_id)

    def _refresh_capacity(self, view: CapacityView) -> None:
        sprint = self.host.doc.sprint
        if view.isVisible() and sprint is not None:
            view.show_sprint(sprint.id)

    def open_history(self) -> None:
        if self._store() is None:
            return
        from sprintdesk.views.history import HistoryView

        def build() -> QWidget:
            return _window_of(
                HistoryView(self.host.doc),
                self.tr("Sprint history — SprintDesk"),
                "historyWindow",
                self.window,
            )

        self._show_window("history", build)

    # --- backups --------------------------------------------------------------------------

    def restore_backup(self) -> None:
        store = self._store()
        if store is None:
            return
        from sprintdesk.ui.restore_dialog import restore_from_backup

        window = self.window
        # Nothing may hold the file while it is replaced: end the plan's transaction so the
        # store can close every connection.
        self.host.doc.session.commit()
        self.host.doc.session.close()
        result = restore_from_backup(store, parent=window)
        if result is None:
            self.after_external_change()  # reopen the plan in the (closed) session
            return
        new_store, safety = result
        self.host.replace_store(new_store)
        for frame in self._windows.values():
            frame.close()
            frame.deleteLater()
        self._windows.clear()
        if self.preview_dock is not None:
            self.preview_dock.close()
            self.preview_dock.deleteLater()
            self.preview_dock = None
        message = self.tr("Backup restored.")
        if safety is not None:
            message += " " + self.tr("The database as it was is kept as %1.").replace(
                "%1", str(safety)
            )
        window.statusBar().showMessage(message, 20000)

    def _on_presentation(self, on: bool) -> None:
        if self.preview_dock is not None and on:
            self.preview_dock.hide()
