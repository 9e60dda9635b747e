"""``sprintdesk self-test``: a hidden command proving that an installation (the wheel or the
PyInstaller bundle) really starts: Qt with the offscreen platform, the SVG icon plugin, the
shipped resources, SQLite and the migrations, the PostgreSQL driver (psycopg 3 with its
bundled libpq, for team databases), and a window that shows and closes.

Qt is imported inside the command only, so ``sprintdesk.cli.main`` stays Qt-free.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    # No help=: argparse then leaves the command out of --help; it is for packagers and tests.
    p = sub.add_parser("self-test", description="Check that this installation starts.")
    p.add_argument("--keep", action="store_true", help="keep the temporary data folder")
    p.set_defaults(run=cmd_self_test)


def cmd_self_test(args: argparse.Namespace, ctx: Any) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(tempfile.mkdtemp(prefix="sprintdesk-selftest-"))
    try:
        return run_self_test(folder)
    finally:
        if not args.keep:
            import shutil

            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"data kept in {folder}")


def _check(ok: bool, what: str, failures: list[str]) -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        failures.append(what)


def run_self_test(folder: Path) -> int:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from sprintdesk.storage.store import open_store
    from sprintdesk.system.paths import default_url, resource, resources_dir

    failures: list[str] = []
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "sprintdesk"])
    _check(resources_dir().is_dir(), f"resources at {resources_dir()}", failures)
    svg = resource("icons", "sprintdesk.svg")
    icon = QIcon(str(svg))
    pixmap = icon.pixmap(64, 64)
    _check(svg.is_file() and not pixmap.isNull(), "SVG app icon renders", failures)
    for theme in ("light.qss", "dark.qss"):
        _check(resource("themes", theme).is_file(), f"theme {theme}", failures)

    _check_postgres_driver(failures)
    store = open_store(default_url(folder))
    try:
        from sqlalchemy import text

        with store.session() as session:
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
        _check(bool(revision), f"database created and migrated (schema {revision})", failures)

        try:
            window = _window(store, folder)
        except Exception:  # report it like any other check, with the traceback for packagers
            import traceback

            traceback.print_exc()
            _check(False, "the main window builds", failures)
        else:
            window.setWindowIcon(icon)
            window.resize(900, 700)
            window.show()
            app.processEvents()
            _check(window.isVisible(), "a window shows", failures)
            window.close()
            window.deleteLater()
            app.processEvents()
    finally:
        store.close()
    if failures:
        print(f"self-test failed: {', '.join(failures)}", file=sys.stderr)
        return 1
    print("self-test passed")
    return 0


def _check_postgres_driver(failures: list[str]) -> None:
    """The team database driver loads with a libpq (the binary wheel's, in the bundle)."""
    try:
        import psycopg
        from sqlalchemy.dialects.postgresql import psycopg as dialect  # noqa: F401

        libpq = psycopg.pq.version()
        what = f"PostgreSQL driver psycopg {psycopg.__version__} ({psycopg.pq.__impl__}, "
        what += f"libpq {libpq // 10000}.{libpq % 100})"
        _check(libpq > 0, what, failures)
    except Exception as exc:  # ImportError, or a libpq that cannot load
        _check(False, f"PostgreSQL driver psycopg loads ({exc})", failures)


def _window(store: Any, folder: Path) -> Any:
    """The real main window (with settings kept in ``folder``); the welcome page on its own in
    an installation that has no main window."""
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMainWindow

    try:
        from sprintdesk.ui.main_window import MainWindow
    except ImportError:
        from sprintdesk.editing.document import PlanDocument
        from sprintdesk.views.welcome import WelcomePage

        window = QMainWindow()
        window.setWindowTitle("SprintDesk self-test")
        window.setCentralWidget(WelcomePage(PlanDocument(store, parent=window)))
        return window
    settings = QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)
    return MainWindow(store, settings=settings)
