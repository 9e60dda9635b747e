"""Background jobs for the GUI: slow or network work (publish, pull, token checks, GitHub
look-ups) on a QThreadPool thread, reporting back with signals, in the manner of Anki's
``QueryOp``.

The UI thread never waits: a :class:`BackgroundJob` runs a plain function in the pool and hands
its result or exception back through queued signals. Every worker of the GUI uses it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Report = Callable[[int, int, str], None]  # report(done, total, text): progress from the worker


class TaskSignals(QObject):
    """Signals: ``progress(int, int, str)``, ``finished(object)``, ``failed(object)``."""

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)


class BackgroundJob(QRunnable):
    """Calls ``function(report)``; ``report(n, m, text)`` emits ``progress`` from the worker."""

    def __init__(self, function: Callable[[Report], Any]) -> None:
        super().__init__()
        self.function = function
        self.signals = TaskSignals()
        self.setAutoDelete(False)  # the owner keeps it until it reports

    def _report(self, done: int, total: int, text: str) -> None:
        self.signals.progress.emit(done, total, text)

    def run(self) -> None:
        try:
            result = self.function(self._report)
        except BaseException as exc:  # reported to the UI thread, never lost
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


def pool() -> QThreadPool:
    return QThreadPool.globalInstance()


def start(task: BackgroundJob) -> BackgroundJob:
    pool().start(task)
    return task
