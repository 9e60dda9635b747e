"""Uncaught exceptions: logged with tokens redacted, a non-modal dialog naming the log file,
and the application keeps running."""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from sprintdesk.system import logs
from sprintdesk.ui.crash import DIALOG_OBJECT_NAME, CrashHandler, install_crash_handler

TOKEN = "ghp_" + "Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8"

pytestmark = [
    pytest.mark.qt_no_exception_capture,
    # The offscreen platform warns when a top-level dialog is shown; nothing to fix here.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]


@pytest.fixture
def log_path(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    level = root.level
    path = logs.setup_logging(log_dir=tmp_path / "logs")
    yield path
    logs.teardown_logging()
    root.setLevel(level)


@pytest.fixture
def handler(qapp: QApplication, log_path: Path) -> Iterator[CrashHandler]:
    crash = install_crash_handler(log_path=log_path)
    yield crash
    crash.uninstall()
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == DIALOG_OBJECT_NAME:
            widget.close()


def _dialogs() -> list[QMessageBox]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, QMessageBox) and w.objectName() == DIALOG_OBJECT_NAME and w.isVisible()
    ]


def test_exception_in_a_slot_is_logged_shown_and_survived(
    qtbot: QtBot, handler: CrashHandler, log_path: Path
) -> None:
    clicks: list[str] = []
    broken = QPushButton("Publish")
    working = QPushButton("Next")
    qtbot.addWidget(broken)
    qtbot.addWidget(working)

    def publish() -> None:
        raise RuntimeError(f"GitHub said 401 for {TOKEN}")

    broken.clicked.connect(publish)
    working.clicked.connect(lambda: clicks.append("next"))
    broken.show()
    qtbot.mouseClick(broken, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(_dialogs()) == 1)

    dialog = _dialogs()[0]
    assert str(log_path) in dialog.text()
    assert "RuntimeError: GitHub said 401 for [REDACTED]" in dialog.text()
    assert "saved" in dialog.text()
    assert TOKEN not in dialog.text() and TOKEN not in dialog.detailedText()
    assert "Traceback" in dialog.detailedText()
    assert not dialog.isModal()

    logs.teardown_logging()
    logged = log_path.read_text(encoding="utf-8")
    assert "Uncaught exception in the main thread" in logged
    assert "RuntimeError: GitHub said 401 for [REDACTED]" in logged
    assert TOKEN not in logged

    # The application keeps going: the event loop still delivers clicks.
    qtbot.mouseClick(working, Qt.MouseButton.LeftButton)
    assert clicks == ["next"]
    dialog.close()
    qtbot.waitUntil(lambda: not _dialogs())


def test_exception_in_a_worker_thread_is_shown_on_the_gui_thread(
    qtbot: QtBot, handler: CrashHandler, log_path: Path
) -> None:
    def work() -> None:
        raise ValueError("worker broke")

    with qtbot.waitSignal(handler.crashed, timeout=5000) as blocker:
        thread = threading.Thread(target=work, name="backup-worker")
        thread.start()
        thread.join()
    assert blocker.args == ["ValueError: worker broke"]
    qtbot.waitUntil(lambda: len(_dialogs()) == 1)
    assert "ValueError: worker broke" in _dialogs()[0].text()
    logs.teardown_logging()
    assert "Uncaught exception in thread backup-worker" in log_path.read_text(encoding="utf-8")


def test_a_crash_loop_shows_one_dialog(qtbot: QtBot, handler: CrashHandler) -> None:
    for n in range(3):
        try:
            raise KeyError(f"missing {n}")
        except KeyError:
            sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: handler.count == 3 and len(_dialogs()) == 1)
    qtbot.waitUntil(lambda: "3 problems so far" in _dialogs()[0].informativeText())


def test_uninstall_restores_the_previous_hooks(qapp: QApplication) -> None:
    before, thread_before = sys.excepthook, threading.excepthook
    crash = install_crash_handler()
    assert sys.excepthook is not before
    crash.uninstall()
    assert sys.excepthook is before and threading.excepthook is thread_before


def test_without_a_log_file_the_dialog_says_so(qtbot: QtBot, qapp: QApplication) -> None:
    crash = CrashHandler(log_path=None)
    assert "could not be written" in crash.message("X: y")
