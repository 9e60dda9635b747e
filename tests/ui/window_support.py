"""Helpers for the main-window tests."""

from __future__ import annotations

from sprintdesk.ui.main_window import MainWindow
from sprintdesk.ui.opener import open_database


def open_in(window: MainWindow, url: str) -> bool:
    """What :func:`sprintdesk.app.run_gui` does with the database URL: open it below the window
    (a damaged database offers its backups) and hand the window the open store."""
    store = open_database(url, parent=window)
    if store is None:
        return False
    window.take_store(store)
    return True
