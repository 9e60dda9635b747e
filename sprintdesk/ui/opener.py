"""Opening a database for the window, in one place: the first look at the file (for the first
frame) and the open store, with a damaged database's backups offered before giving up.

The window does not open databases itself: :func:`sprintdesk.app.run_gui` (and anything that
opens another database) asks :func:`open_database` and hands the window the open store
(:meth:`~sprintdesk.ui.main_window.MainWindow.take_store`). The URL goes down from here to the
reader, the store and the restore dialog, and never comes back up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from sprintdesk.storage.opening import Opening
    from sprintdesk.storage.store import Store


def first_look(url: str) -> Opening | None:
    """The sprint the window opens on, read straight from the file with plain ``sqlite3`` (no
    SQLAlchemy yet); None when that cannot be done, and the store explains why."""
    from sprintdesk.storage.opening import read_opening

    return read_opening(url)


def open_database(url: str, *, parent: QMainWindow) -> Store | None:
    """The open database at ``url``. A damaged one offers its backups (and is tried again once
    one is in place); a database that cannot be opened is explained in a message over
    ``parent``, and None returned."""
    from PySide6.QtWidgets import QMessageBox

    from sprintdesk.storage.store import CorruptDatabaseError, StoreError, open_store

    while True:
        try:
            return open_store(url)
        except CorruptDatabaseError as exc:
            from sprintdesk.ui.restore_dialog import offer_restore

            if not offer_restore(parent, url, str(exc)):
                return None
        except StoreError as exc:
            QMessageBox.critical(parent, parent.tr("SprintDesk"), str(exc))
            return None
