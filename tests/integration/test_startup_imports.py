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
    "PySide6.QtMultimedia",  # the chime: it connects to the sound server as it loads
    "sprintdesk.plan.model",
)

_CHILD = """
import sys
from sprintdesk.cli.main import build_parser
build_parser()
import sprintdesk.system.logs, sprintdesk.ui.crash, sprintdesk.ui.single_instance
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


def test_nothing_heavy_loads_before_the_first_paint(tmp_path) -> None:
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


# ``sprintdesk`` with no command, reporting at the window's first paint what it showed and
# which of the modules named on its command line were loaded by then.
_LAUNCH = """
import linecache, os, sys
from PySide6 import QtCore, QtGui
from PySide6.QtCore import QEvent, QObject, QTimer
from sprintdesk.ui.main_window import MainWindow

HEAVY = sys.argv[1:]
_show = MainWindow.show


class _FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, lambda: _report(obj))
        return False


def _report(window):
    loaded = [name for name in HEAVY if name in sys.modules]
    if "Qt" in vars(QtCore):
        loaded.append("the-Qt-namespace")
    # PySide6 builds a class's Python type (and its enums) when it is first used: the keys
    # are bound, and the icons set, after the first paint.
    loaded += [name for name in ("QKeySequence", "QIcon") if name in vars(QtGui)]
    # PySide6 asks of each module imported after it whether its source names PySide6; read
    # through inspect, the answer leaves the source in the line cache (sprintdesk.ui reads the
    # file instead). The package's own __init__ comes before the shell, as PySide6 does here.
    package = os.path.dirname(sys.modules["sprintdesk"].__file__)
    read = [f for f in linecache.cache if f.startswith(package + os.sep)]
    print("sources read:", " ".join(f for f in read if not f.endswith("sprintdesk/__init__.py")))
    print("title:", window.windowTitle())
    print("cards:", len(window.pages.currentWidget().drawn))
    print("loaded:", " ".join(loaded))
    sys.stdout.flush()
    os._exit(0)


def _hooked_show(self):
    self._hook = _FirstPaint()
    self.installEventFilter(self._hook)
    _show(self)


MainWindow.show = _hooked_show
sys.argv = ["sprintdesk", "--db", os.environ["DB_URL"], "--data-dir", os.environ["DATA"]]
from sprintdesk.__main__ import main
sys.exit(main())
"""


def test_the_first_paint_shows_the_sprint_before_the_heavy_modules(
    demo_store, db_url: str, tmp_path
) -> None:
    """``sprintdesk`` with no command: its first paint shows the latest sprint (its title and
    the opening section's items) with neither SQLAlchemy, QtNetwork, hashlib, the command
    parsers, the ``Qt`` namespace nor the key sequence and icon types loaded yet, and without
    PySide6 reading our modules' sources through ``inspect`` as they were imported."""
    from sqlalchemy import select

    from sprintdesk.plan.model import Sprint

    with demo_store.session() as session:
        name = session.scalar(
            select(Sprint.name).order_by(Sprint.start.desc().nulls_last(), Sprint.id.desc())
        )
    # The first look at the file reads it with sqlite3's C module: the package around it
    # imports datetime and registers its adapters (storage/opening.py).
    heavy = [*HEAVY, "PySide6.QtNetwork", "hashlib", "sprintdesk.cli.main", "sqlite3", "datetime"]
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        DB_URL=db_url,
        DATA=str(tmp_path / "gui-data"),
    )
    result = subprocess.run(
        [sys.executable, "-c", _LAUNCH, *heavy],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    seen = dict(line.split(":", 1) for line in result.stdout.splitlines() if ":" in line)
    assert seen["title"].strip() == f"SprintDesk — {name}"
    assert int(seen["cards"]) > 0
    assert seen["loaded"].strip() == ""
    assert seen["sources read"].strip() == ""  # each import answers PySide6 from the file


def test_the_shell_answers_pysides_question_as_pyside6_does() -> None:
    """sprintdesk.ui reads "does this module name PySide6?" from the file instead of through
    ``inspect``: the same answer for a module that names it, one that does not, an extension
    module and a built-in one."""
    import _sqlite3
    import inspect
    import json

    import sprintdesk.plan.meeting
    import sprintdesk.ui.main_window
    from sprintdesk.ui import quicken_pyside_imports

    quicken_pyside_imports()
    quick = sys.modules["shibokensupport.feature"]._mod_uses_pyside
    assert getattr(quick, "quick", False)

    def pysides_own(module: object) -> bool:
        try:
            return "PySide6" in inspect.getsource(module)  # type: ignore[arg-type]
        except (TypeError, OSError):
            return False

    modules = [sprintdesk.ui.main_window, sprintdesk.plan.meeting, json, _sqlite3, sys]
    assert [quick(m) for m in modules] == [pysides_own(m) for m in modules]
    assert [quick(m) for m in modules] == [True, False, False, False, False]
