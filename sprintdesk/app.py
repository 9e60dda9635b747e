"""QApplication bootstrap: the only place that wires Qt to the core."""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(*, data_dir: Path, url: str, verbose: bool = False) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from sprintdesk.store import StoreError, open_store

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("SprintDesk")
    app.setOrganizationName("SprintDesk")
    try:
        store = open_store(url)
    except StoreError as exc:
        QMessageBox.critical(None, "SprintDesk", str(exc))
        return 1
    from sprintdesk.ui.main_window import MainWindow

    window = MainWindow(store)
    window.show()
    try:
        return app.exec()
    finally:
        store.close()
