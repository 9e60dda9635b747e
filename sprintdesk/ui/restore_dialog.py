"""File → Restore from backup: pick one of the database's backups (date, kind, size), confirm,
and swap it in. The current database is backed up first, so a restore can itself be undone.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.storage.backups import (
    BackupContents,
    BackupError,
    BackupInfo,
    backup_age,
    backup_contents,
    list_backups,
    restore_backup,
    validate_backup,
)
from sprintdesk.storage.store import Store, StoreError, backup_dir_for, open_store
from sprintdesk.views.wording import tr_n


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # pragma: no cover - the loop always returns


class RestoreDialog(QDialog):
    """Lists the backups of ``db_path``, newest first; ``chosen`` is set when accepted.

    The dialog only chooses and confirms; :func:`perform_restore` does the swap.
    """

    def __init__(self, db_path: Path, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        self.chosen: BackupInfo | None = None
        self.setObjectName("restoreDialog")
        self.setWindowTitle(self.tr("Restore from backup"))
        self.setAccessibleName(self.tr("Restore from backup"))
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "SprintDesk backs the database up each day you use it (the last 14 are kept) "
                "and before your first edit after each hour of work (kept two days). Choose "
                "the copy to go back to. The current database is backed up first."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QTreeWidget(self)
        self.list.setObjectName("backupList")
        self.list.setAccessibleName(self.tr("Backups"))
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHeaderLabels(
            [self.tr("Date"), self.tr("Kind"), self.tr("Contains"), self.tr("Size")]
        )
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        self.list.itemActivated.connect(lambda *_: self.confirm())
        layout.addWidget(self.list, 1)
        self.empty_label = QLabel(
            self.tr("No backups yet: SprintDesk makes one each day you use it."), self
        )
        self.empty_label.setObjectName("noBackupsLabel")
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("restoreError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #C62828;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.folder_label = QLabel(
            self.tr("Backups are in {folder}").format(folder=backup_dir_for(db_path)), self
        )
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        layout.addWidget(self.folder_label)
        self.buttons = QDialogButtonBox(self)
        self.restore_button = self.buttons.addButton(
            self.tr("&Restore…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setAccessibleName(self.tr("Restore the selected backup"))
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelButton")
        cancel.setAccessibleName(self.tr("Cancel"))
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        for info in list_backups(self.db_path):
            when = info.created.strftime("%Y-%m-%d %H:%M")
            # How old it is, beside the date: "2026-12-03 09:12 · 2 hours ago".
            when += " · " + self.age_text(info.created)
            contains = self.contents_text(backup_contents(info.path))
            item = QTreeWidgetItem(
                [when, self._kind_label(info.kind), contains, human_size(info.size)]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, info)
            item.setToolTip(2, contains)
            item.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(0, str(info.path))
            self.list.addTopLevelItem(item)
        first = self.list.topLevelItem(0)
        self.empty_label.setVisible(first is None)
        if first is not None:
            self.list.setCurrentItem(first)
        self._selection_changed()

    def contents_text(self, contents: BackupContents | None) -> str:
        """ "3 sprints, 8 people · newest: Sprint 12": what a copy holds; an empty copy (made
        at a first start) says so, so it is not chosen by mistake."""
        if contents is None:
            return self.tr("cannot be read")
        if contents.sprints == 0:
            if contents.people == 0:
                return self.tr("empty: no sprints, no people")
            return tr_n(
                "RestoreDialog",
                "no sprints, %n people",
                contents.people,
                one="no sprints, %n person",
            )
        text = tr_n("RestoreDialog", "%n sprints", contents.sprints, one="%n sprint")
        text += ", " + tr_n("RestoreDialog", "%n people", contents.people, one="%n person")
        if contents.newest:
            text += " · " + self.tr("newest: %1").replace("%1", contents.newest)
        return text

    def age_text(self, created: datetime, now: datetime | None = None) -> str:
        """ "2 hours ago": how old a copy is, so the right one is easy to choose."""
        unit, count = backup_age(created, now)
        if unit == "minute":
            if count == 0:
                return self.tr("just now")
            return tr_n("RestoreDialog", "%n minutes ago", count, one="%n minute ago")
        if unit == "hour":
            return tr_n("RestoreDialog", "%n hours ago", count, one="%n hour ago")
        return tr_n("RestoreDialog", "%n days ago", count, one="%n day ago")

    def _kind_label(self, kind: str) -> str:
        return {
            "daily": self.tr("Daily"),
            "hourly": self.tr("Hourly, before an edit"),
            "manual": self.tr("Made by hand"),
            "before-migration": self.tr("Before an upgrade"),
            "before-restore": self.tr("Before a restore"),
        }.get(kind, self.tr("Other"))

    def selected(self) -> BackupInfo | None:
        items = self.list.selectedItems()
        return items[0].data(0, Qt.ItemDataRole.UserRole) if items else None

    def _selection_changed(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)
        self.error_label.hide()

    def confirm(self) -> None:
        info = self.selected()
        if info is None:
            return
        try:
            validate_backup(info.path)
        except BackupError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        answer = QMessageBox.question(
            self,
            self.tr("Restore from backup"),
            self.tr(
                "Replace the current database with the backup from {when}?\n\n"
                "The current database is backed up first, so you can come back to it."
            ).format(when=info.created.strftime("%Y-%m-%d %H:%M")),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.chosen = info
        self.accept()


def perform_restore(store: Store, backup: Path) -> tuple[Store, Path | None]:
    """Close ``store``, restore ``backup`` over its file and open it again.

    Returns the reopened store and the safety copy of the replaced database. On a BackupError
    the original database is reopened unchanged and the error re-raised for the caller to show.
    """
    if store.path is None:
        raise StoreError("Only a SQLite database file can be restored from a backup.")
    url, db_path = store.url, store.path
    # close() only empties the connection pool: on an error the same store keeps working.
    store.close()
    safety = restore_backup(backup, db_path)
    return open_store(url), safety


def restore_from_backup(
    store: Store, *, parent: QWidget | None = None
) -> tuple[Store, Path | None] | None:
    """The File → Restore from backup action: run the dialog and restore the chosen copy.

    Returns (new store, safety copy) after a restore, None when cancelled. Errors are shown to
    the user; the current database then stays as it was.
    """
    if store.path is None:
        QMessageBox.information(
            parent, "SprintDesk", "Only a SQLite database file has backups to restore."
        )
        return None
    dialog = RestoreDialog(store.path, parent=parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
        return None
    try:
        return perform_restore(store, dialog.chosen.path)
    except StoreError as exc:
        QMessageBox.warning(parent, dialog.tr("Restore from backup"), str(exc))
        return None


def offer_restore(window: QMainWindow, url: str, message: str) -> bool:
    """A damaged database at start: offer its backups instead of only quitting. True when a
    backup was put in place (the damaged file is kept beside it), so opening can be tried again."""
    from sprintdesk.storage.store import sqlite_path

    path = sqlite_path(url)
    if path is None:
        QMessageBox.critical(window, window.tr("SprintDesk"), message)
        return False
    if not list_backups(path):
        if not _looks_like_sqlite(path):  # someone else's file (a wrong --db): never moved
            QMessageBox.critical(window, window.tr("SprintDesk"), message)
            return False
        return _offer_fresh_start(window, path, message)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        window.tr("SprintDesk"),
        message,
        QMessageBox.StandardButton.NoButton,
        window,
    )
    restore = box.addButton(window.tr("Restore from backup…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(window.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    dialog = RestoreDialog(path, parent=window)
    if not dialog.exec() or dialog.chosen is None:
        return False
    try:
        kept = keep_damaged(path)
        restore_backup(dialog.chosen.path, path)
    except (OSError, BackupError) as exc:
        QMessageBox.critical(window, window.tr("SprintDesk"), str(exc))
        return False
    window.statusBar().showMessage(
        window.tr("Backup restored; the damaged file is kept as {kept}.").format(kept=kept),
        20000,
    )
    return True


def _looks_like_sqlite(path: Path) -> bool:
    from sprintdesk.storage.store import SQLITE_MAGIC

    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


def damaged_path_for(path: Path) -> Path:
    """Where a damaged database is kept when it is set aside: the backups folder."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return backup_dir_for(path) / f"sprintdesk-damaged-{stamp}.db"


def keep_damaged(path: Path) -> Path:
    """Move the damaged file (and its -wal, -shm) aside, bytes unchanged (SQLite's backup API
    cannot read it); returns where it is kept. Its place is then free for a backup or a fresh
    database."""
    import shutil

    kept = damaged_path_for(path)
    kept.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            shutil.copy2(side, kept.with_name(kept.name + suffix))
    for suffix in ("-wal", "-shm", ""):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.unlink()
    return kept


def _offer_fresh_start(window: QMainWindow, path: Path, message: str) -> bool:
    """A damaged database with no backup: say what can be done next. "Start with an empty
    database" keeps the damaged file in the backups folder and opens a new one (True); plans
    exported to markdown come back with File → Import."""
    folder = backup_dir_for(path)
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        window.tr("SprintDesk"),
        message,
        QMessageBox.StandardButton.NoButton,
        window,
    )
    box.setObjectName("damagedNoBackup")
    box.setInformativeText(
        window.tr(
            "You can start with an empty database: the damaged "
            "file is kept, unchanged, in {folder} (for a specialist, or an SQLite recovery "
            "tool). Plans you exported or published come back with File → Import from "
            "markdown, or `sprintdesk import FILE`. Quit leaves everything as it is: the "
            "damaged file stays at {path}."
        ).format(folder=folder, path=path)
    )
    fresh = box.addButton(
        window.tr("Start with an empty database"), QMessageBox.ButtonRole.AcceptRole
    )
    box.addButton(window.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not fresh:
        return False
    try:
        kept = keep_damaged(path)
    except OSError as exc:
        QMessageBox.critical(window, window.tr("SprintDesk"), str(exc))
        return False
    window.statusBar().showMessage(
        window.tr("Started with an empty database; the damaged file is kept as {kept}.").format(
            kept=kept
        ),
        20000,
    )
    return True
