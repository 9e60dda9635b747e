"""QApplication bootstrap: the only place that wires Qt to the core.

Start-up order: the application, one instance per data folder, then the window paints with the
sprint read straight from the file (:mod:`sprintdesk.storage.opening`), before the database layer
(SQLAlchemy) or even the ``Qt`` namespace is loaded. Right after the first paint: the rest of
the window, the log file and the crash dialog (both load the store's module, hence
SQLAlchemy), then the database opens and the editable plan takes the first frame's place; the
daily backup runs once that is on screen. Log records from before the log file exists are kept
and written to it then.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

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


def set_window_icon(app: QApplication) -> None:
    """The app's icon for its windows (loading the SVG engine waits for the first paint; the
    desktop file names the same icon for the launcher and the task bar)."""
    from PySide6.QtGui import QIcon

    from sprintdesk.system.paths import resource

    app.setWindowIcon(QIcon(str(resource("icons", "sprintdesk.svg"))))


class _EarlyRecords(logging.Handler):
    """Keeps the log records of the first paint's time until the log file is set up."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def replay(self) -> None:
        """Detach, and hand the kept records to the handlers installed since."""
        root = logging.getLogger()
        root.removeHandler(self)
        for record in self.records:
            root.handle(record)
        self.records.clear()


def _after_open(window: MainWindow) -> None:
    """Work that needs the open database but not before the sprint is on screen: the daily
    backup."""
    from sprintdesk.storage.backups import BackupError, daily_backup

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
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from sprintdesk.ui import quicken_pyside_imports

    quicken_pyside_imports()  # in case the shell was imported before PySide6
    from sprintdesk.system.paths import default_url

    early = _EarlyRecords()
    root = logging.getLogger()
    root.addHandler(early)
    level = logging.DEBUG if verbose else logging.INFO
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)

    def start_log() -> Path:
        # The log file module imports the store's (SQLAlchemy): not before the first paint.
        from sprintdesk.system.logs import setup_logging

        log_path = setup_logging(data_dir=data_dir, verbose=verbose)
        early.replay()
        return log_path

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("SprintDesk")
    app.setOrganizationName("SprintDesk")
    app.setDesktopFileName(DESKTOP_ID)
    if url == default_url(data_dir):
        # Settings → Database chose a team database: reopen on it (its address, no password).
        from PySide6.QtCore import QSettings

        url = str(QSettings().value("database/url", "") or url)

    from sprintdesk.ui.single_instance import (
        AlreadyRunningError,
        acquire_or_signal,
        bring_to_front,
    )

    try:
        instance = acquire_or_signal(data_dir, listen=False)  # listens after the first paint
    except AlreadyRunningError as exc:
        start_log()
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(None, "SprintDesk", str(exc))
        return 1
    if instance is None:
        start_log()
        return 0  # SprintDesk already runs on this data folder: it was asked to come forward

    from sprintdesk.ui.main_window import MainWindow
    from sprintdesk.ui.opener import first_look

    window = MainWindow(opening=first_look(url), staged=True)
    instance.raiseRequested.connect(lambda: bring_to_front(window))
    window.show()
    uninstall: list[Callable[[], None]] = []

    def after_first_paint() -> None:
        # The log file and the crash dialog import the store's module (SQLAlchemy): not before
        # the window is on screen.
        from sprintdesk.ui.crash import install_crash_handler

        # The light or dark touches (focus rings, tool tips, the welcome page): restyling the
        # whole window costs milliseconds the first frame does without.
        apply_color_scheme(app)
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: apply_color_scheme(app))
        window.complete()
        instance.listen()
        set_window_icon(app)
        log_path = start_log()
        uninstall.append(install_crash_handler(log_path=log_path, window=lambda: window).uninstall)
        # A database that cannot be opened is explained and the app exits with status 1. The
        # daily backup waits until the sprint is painted (a zero timer runs after the paint).
        from sprintdesk.ui.opener import open_database

        store = open_database(url, parent=window)
        if store is None:
            app.exit(1)
            return
        store.data_dir = data_dir  # where a team database's offline outbox lives
        window.take_store(store)
        QTimer.singleShot(0, lambda: _after_open(window))

    window.call_after_first_paint(after_first_paint)
    try:
        return app.exec()
    finally:
        for undo in uninstall:
            undo()
        root.removeHandler(early)
        instance.release()
