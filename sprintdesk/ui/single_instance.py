"""One SprintDesk per data directory: a ``QLockFile`` in the data directory says who runs it,
and a ``QLocalServer`` (named from a hash of the folder) lets a second launch ask the running
one to bring its window forward, after which the second launch exits.

A lock left by a killed process is recovered: QLockFile sees that the process it names is gone.

QtNetwork is loaded only to listen or to call the running instance: the app takes the lock
before its first paint and listens just after (QtNetwork costs a tenth of a bare window's
start-up). A second launch meanwhile finds the lock held and keeps calling for three seconds.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket
    from PySide6.QtWidgets import QWidget

LOCK_FILENAME = "sprintdesk.lock"
RAISE_MESSAGE = b"raise\n"

log = logging.getLogger(__name__)


class AlreadyRunningError(RuntimeError):
    """Another SprintDesk holds the data directory and did not answer; the message says which."""


def server_name(data_dir: Path) -> str:
    """A local-socket name unique to this user and data directory."""
    import hashlib

    key = str(Path(data_dir).expanduser().resolve())
    uid = os.getuid() if hasattr(os, "getuid") else 0
    digest = hashlib.sha256(f"{uid}:{key}".encode()).hexdigest()[:20]
    return f"sprintdesk-{digest}"


class SingleInstance(QObject):
    """Holds the data directory for this process.

    Signals:
        raiseRequested(): a second launch asked this instance to show its window.
    """

    raiseRequested = Signal()

    def __init__(
        self,
        data_dir: Path,
        lock: QLockFile | None,
        *,
        listen: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self._lock = lock
        self.server: QLocalServer | None = None
        if listen:
            self.listen()

    def listen(self) -> None:
        """Answer second launches (once; see the module's documentation)."""
        if self.server is not None:
            return
        from PySide6.QtNetwork import QLocalServer

        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        # A socket file left by a killed holder would make listen() fail.
        QLocalServer.removeServer(self.name)
        if not self.server.listen(self.name):
            log.warning("Cannot listen on %s: %s", self.name, self.server.errorString())
        self.server.newConnection.connect(self._accept)

    @property
    def name(self) -> str:
        return server_name(self.data_dir)

    @property
    def locked(self) -> bool:
        return self._lock is not None and self._lock.isLocked()

    def _accept(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        data = bytes(socket.readAll().data())
        if b"raise" in data:
            log.info("A second launch asked to raise the window.")
            self.raiseRequested.emit()

    def release(self) -> None:
        """Give the data directory up (at exit; also for tests)."""
        if self.server is not None:
            self.server.close()
        if self._lock is not None and self._lock.isLocked():
            self._lock.unlock()
        self._lock = None


def _signal_running(name: str, timeout_ms: int) -> bool:
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(RAISE_MESSAGE)
    socket.flush()
    ok = socket.waitForBytesWritten(timeout_ms) or socket.bytesToWrite() == 0
    socket.disconnectFromServer()
    if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
        socket.waitForDisconnected(timeout_ms)
    return ok


def acquire_or_signal(
    data_dir: Path, *, timeout_ms: int = 3000, listen: bool = True, parent: QObject | None = None
) -> SingleInstance | None:
    """Take the data directory, or ask the instance holding it to raise its window.

    Returns the :class:`SingleInstance` to keep alive while the app runs, or None when another
    instance holds the directory and was asked to come forward (this launch should exit 0).
    Raises :class:`AlreadyRunningError` when the holder is alive but does not answer.
    Needs a QCoreApplication. ``listen`` False leaves :meth:`SingleInstance.listen` to the
    caller.
    """
    data_dir = Path(data_dir)
    with contextlib.suppress(OSError):  # the store reports an unusable folder itself
        data_dir.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(data_dir / LOCK_FILENAME))
    # 0: never call a lock stale because of its age (a meeting lasts hours); a lock is stale
    # only when the process it names is gone, which QLockFile checks itself.
    lock.setStaleLockTime(0)
    waited = 0
    step = 250
    while True:
        if lock.tryLock(0):
            return SingleInstance(data_dir, lock, listen=listen, parent=parent)
        error = lock.error()
        if error != QLockFile.LockError.LockFailedError:
            # Read-only or unwritable folder: run without the lock; opening the store then
            # explains the folder problem to the user.
            log.warning("Cannot create the lock file in %s (%s).", data_dir, error)
            return SingleInstance(data_dir, None, listen=listen, parent=parent)
        if _signal_running(server_name(data_dir), step):
            return None
        if waited >= timeout_ms:
            break
        # The holder may be starting: it takes the lock before it listens.
        waited += step
        if lock.tryLock(step):
            return SingleInstance(data_dir, lock, listen=listen, parent=parent)
    raise AlreadyRunningError(
        f"SprintDesk is already running with the data folder {data_dir} ({_holder(lock)}) but "
        "does not answer. Close it (or end that process if it hung) and start SprintDesk again."
    )


def _holder(lock: QLockFile) -> str:
    # PySide6 returns (pid, hostname, appname); some versions put a success flag first.
    info = lock.getLockInfo()
    if isinstance(info, tuple) and len(info) == 4:
        if not info[0]:
            return "another process"
        info = info[1:]
    if isinstance(info, tuple) and len(info) == 3 and info[0]:
        return f"process {info[0]} on {info[1]}"
    return "another process"


def bring_to_front(window: QWidget) -> None:
    """Show ``window`` over the others (as far as the window manager allows)."""
    if window.isMinimized():
        window.showNormal()
    window.show()
    window.raise_()
    window.activateWindow()
