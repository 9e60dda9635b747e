"""QApplication bootstrap: the only place that wires Qt to the core.

Start-up order: logging, one instance per data folder, the crash dialog, then the window paints
before the database layer is imported; the database opens right after the first paint, and the
daily backup runs once it is open.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from sprintdesk.ui.main_window import MainWindow

log = logging.getLogger("sprintdesk.app")

DESKTOP_ID = "io.github.sprintdesk.SprintDesk"


def apply_color_scheme(app: QApplication) -> None:
    """Light or dark touches that follow the system's colour scheme (and its changes)."""
    from PySide6.QtCore import Qt

    from sprintdesk.ui.themes import theme

    dark = app.styleHints().colorScheme() == Qt.ColorScheme.Dark
    app.setStyleSheet(theme("dark" if dark else "light"))


def _after_open(window: MainWindow) -> None:
    """Work that needs the open database but not before the first paint: the daily backup."""
    from sprintdesk.backups import BackupError, daily_backup

    store = window.store
    if store is None or store.path is None:
        return
    try:
        made = daily_backup(store.path)
    except BackupError as exc:
        log.warning("%s", exc)
        window.statusBar().showMessage(str(exc), 15000)
        return
    if made is not None:
        log.info("daily backup written to %s", made)


def run_gui(*, data_dir: Path, url: str, verbose: bool = False) -> int:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from sprintdesk.logs import setup_logging
    from sprintdesk.paths import resource

    log_path = setup_logging(data_dir=data_dir, verbose=verbose)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("SprintDesk")
    app.setOrganizationName("SprintDesk")
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(QIcon(str(resource("icons", "sprintdesk.svg"))))
    apply_color_scheme(app)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_color_scheme(app))

    from sprintdesk.ui.single_instance import (
        AlreadyRunningError,
        acquire_or_signal,
        bring_to_front,
    )

    try:
        instance = acquire_or_signal(data_dir)
    except AlreadyRunningError as exc:
        QMessageBox.warning(None, "SprintDesk", str(exc))
        return 1
    if instance is None:
        return 0  # SprintDesk already runs on this data folder: it was asked to come forward

    from sprintdesk.ui.crash import install_crash_handler
    from sprintdesk.ui.main_window import MainWindow

    window = MainWindow()
    crash = install_crash_handler(log_path=log_path, window=lambda: window)
    instance.raiseRequested.connect(lambda: bring_to_front(window))
    window.show()

    def open_database() -> None:
        # The window paints first; SQLAlchemy (and migrations, if any) load right after. A
        # database that cannot be opened is explained and the app exits with status 1.
        if window.open_url(url):
            _after_open(window)
        else:
            app.exit(1)

    window.call_after_first_paint(open_database)
    try:
        return app.exec()
    finally:
        crash.uninstall()
        instance.release()
