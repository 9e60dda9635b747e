"""QApplication bootstrap: the only place that wires Qt to the core."""

from __future__ import annotations

import sys
from pathlib import Path


def run_gui(*, data_dir: Path, url: str, verbose: bool = False) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("SprintDesk")
    app.setOrganizationName("SprintDesk")
    from sprintdesk.ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    # The window paints first; the database layer (SQLAlchemy, migrations if any) loads right
    # after. A database that cannot be opened is explained and the app exits with status 1.
    window.call_after_first_paint(lambda: window.open_url(url))
    return app.exec()
