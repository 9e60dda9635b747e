"""Live updates in the window: the team database's LISTEN connection watched from the Qt event
loop with a ``QSocketNotifier`` on its socket (no thread, no polling timer).

When the connection is lost the watcher says so, tries again with a growing delay, and after
reconnecting asks for a full reload: PostgreSQL replays nothing that was missed meanwhile.
Our own commits come back as notifications too; they are recognised by the client id and
dropped.

Signals:
    changesArrived(list): ``storage.live.Change`` rows committed by somebody else.
    reloadNeeded(): reconnected after a loss; reload everything.
    connectionChanged(bool): connected (True) or lost (False).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QSocketNotifier, QTimer, Signal

from sprintdesk.editing.document import PlanDocument
from sprintdesk.storage.live import Listener
from sprintdesk.storage.store import StoreError

log = logging.getLogger(__name__)

RECONNECT_DELAYS_MS = (500, 1000, 2000, 5000, 10000, 30000)


class LiveUpdates(QObject):
    changesArrived = Signal(list)
    reloadNeeded = Signal()
    connectionChanged = Signal(bool)

    def __init__(self, url: str, *, own_client: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.listener = Listener(url)
        self.own_client = own_client
        self.connected = False
        self._notifier: QSocketNotifier | None = None
        self._failures = 0
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._reconnect)

    def start(self) -> None:
        """Connect and listen; a failure is retried in the background."""
        try:
            self._connect()
        except StoreError as exc:
            log.warning("live updates: %s", exc)
            self._schedule_retry()

    def _connect(self) -> None:
        self.listener.connect()
        self._notifier = QSocketNotifier(self.listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)
        self._failures = 0
        self.connected = True
        self.connectionChanged.emit(True)

    def _read(self) -> None:
        import psycopg

        try:
            changes = self.listener.poll()
        except psycopg.Error as exc:
            log.warning("live updates: connection lost (%s)", exc)
            self._lost()
            return
        theirs = [change for change in changes if change.client != self.own_client]
        if theirs:
            self.changesArrived.emit(theirs)

    def _lost(self) -> None:
        self._drop_notifier()
        self.listener.close()
        if self.connected:
            self.connected = False
            self.connectionChanged.emit(False)
        self._schedule_retry()

    def _schedule_retry(self) -> None:
        delay = RECONNECT_DELAYS_MS[min(self._failures, len(RECONNECT_DELAYS_MS) - 1)]
        self._failures += 1
        self._retry.start(delay)

    def _reconnect(self) -> None:
        try:
            self._connect()
        except StoreError:
            self._schedule_retry()
            return
        self.reloadNeeded.emit()

    def _drop_notifier(self) -> None:
        if self._notifier is not None:
            self._notifier.setEnabled(False)
            self._notifier.deleteLater()
            self._notifier = None

    def stop(self) -> None:
        self._retry.stop()
        self._drop_notifier()
        self.listener.close()
        self.connected = False


def watch_document(doc: PlanDocument, *, parent: QObject | None = None) -> LiveUpdates | None:
    """Keep ``doc`` (a PlanDocument) up to date with what others commit on its team database;
    None for this computer's own database."""
    store = doc.store
    if not store.is_server:
        return None
    live = LiveUpdates(store.url, own_client=store.notifier.client, parent=parent or doc)
    live.changesArrived.connect(doc.apply_remote)
    live.reloadNeeded.connect(doc.reload)
    live.start()
    return live
