"""Reading what somebody else committed on a worker thread, so a live update never makes the
window wait on the network (``storage.refresh`` does the reading and the applying).

:class:`RemoteFetcher` runs :func:`sprintdesk.storage.refresh.fetch` on a private one-thread pool
with a connection of its own, kept open between notifications (no connect, no pool check per
update: one round trip per changed table). Fetches finish in the order they were asked for.

Signals:
    fetched(object, object): the ``refresh.Fetched`` rows and the changes they answer.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from sprintdesk.editing.jobs import BackgroundJob
from sprintdesk.storage import refresh

log = logging.getLogger(__name__)


class RemoteFetcher(QObject):
    fetched = Signal(object, object)

    def __init__(self, engine: Engine, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._conn: Connection | None = None  # used on the pool's thread only
        self._jobs: list[BackgroundJob] = []

    def submit(self, changes: list[Any]) -> None:
        job = BackgroundJob(lambda _report: self._read(changes))
        job.signals.finished.connect(lambda result: self._done(job, result, changes))
        job.signals.failed.connect(lambda exc: self._failed(job, exc))
        self._jobs.append(job)
        self._pool.start(job)

    def _read(self, changes: list[Any]) -> refresh.Fetched:
        for attempt in (1, 2):
            if self._conn is None:
                # Autocommit: a read needs no BEGIN and no ROLLBACK, so a live update costs one
                # round trip per changed table and nothing more.
                self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            try:
                return refresh.fetch(self._conn, changes)
            except DBAPIError:
                # The kept connection died (server restarted, laptop slept): once more afresh.
                self._drop()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _drop(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(DBAPIError):  # already gone
                self._conn.close()
            self._conn = None

    def _done(self, job: BackgroundJob, result: refresh.Fetched, changes: list[Any]) -> None:
        self._forget(job)
        self.fetched.emit(result, changes)

    def _failed(self, job: BackgroundJob, exc: BaseException) -> None:
        self._forget(job)
        # The live updates notice a lost server too, and reload everything when it is back.
        log.warning("reading a live update failed: %s", exc)

    def _forget(self, job: BackgroundJob) -> None:
        if job in self._jobs:
            self._jobs.remove(job)

    def wait(self) -> None:
        """Block until every asked fetch has been read (before closing)."""
        self._pool.waitForDone()

    def stop(self) -> None:
        self.wait()
        self._drop()
