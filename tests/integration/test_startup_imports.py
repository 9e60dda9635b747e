"""What loads before the main window's first paint: the launcher's parser, the log file, the
crash dialog, the single-instance lock and the empty main window must not import the database
layer (SQLAlchemy) or the publishing, markdown, printing or keyring code. Each check runs in a
fresh interpreter, so nothing imported by other tests hides a regression."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = (
    "sqlalchemy",
    "alembic",
    "markdown",
    "nh3",
    "github",
    "keyring",
    "PySide6.QtPrintSupport",
    "sprintdesk.model",
)

_CHILD = """
import sys
from sprintdesk.cli import build_parser
build_parser()
import sprintdesk.logs, sprintdesk.ui.crash, sprintdesk.ui.single_instance
from PySide6.QtWidgets import QApplication
app = QApplication([])
from sprintdesk.ui.main_window import MainWindow
window = MainWindow()
window.show()
app.processEvents()
heavy = sys.argv[1:]
print(" ".join(name for name in heavy if name in sys.modules))
window.close()
"""


def test_nothing_heavy_loads_before_the_first_paint(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, *HEAVY],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
