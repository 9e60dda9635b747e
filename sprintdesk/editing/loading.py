"""Reading the open sprint into the document's session, for :class:`~sprintdesk.editing.
document.PlanDocument` (which owns one :class:`Loading` and keeps the public interface).

Opening a sprint reads it in a few queries (``plan.planning.load_sprint``; on a team database
outside a transaction, two round trips shorter). A read only the team database can answer
(another sprint, a meeting running elsewhere) raises :class:`OfflineError` while it cannot be
reached, and keeps what is on screen and every edit. Somebody else's committed changes are read
on a worker thread with a connection of its own and applied without a query
(``editing.remote``, ``storage.refresh``): the window never waits on the network for them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from PySide6.QtCore import QObject, SignalInstance
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from sprintdesk.editing.offline import Offline
from sprintdesk.editing.pending import snapshot
from sprintdesk.plan.model import Sprint
from sprintdesk.plan.planning import PlanError, load_sprint
from sprintdesk.storage.store import Store


class OfflineError(LookupError):
    """What was asked needs the team database, which cannot be reached now; nothing typed
    was lost. The message is meant for the user."""


class LoadingHost(Protocol):
    """What :class:`Loading` needs of the document that owns it."""

    store: Store
    session: Session
    sprint: Sprint | None
    changed: SignalInstance
    remoteApplied: SignalInstance  # noqa: N815 - the document's Qt signal

    def replay_outbox(self) -> list[Any]: ...


class Loading(QObject):
    """The document's reads: opening a sprint, reads only the server can answer, and
    somebody else's changes applied."""

    def __init__(self, doc: Any, offline: Offline) -> None:
        super().__init__(doc)
        self._doc: LoadingHost = doc
        self._offline = offline
        self._fetcher: Any = None  # reads live updates off the UI thread (editing.remote)

    def load(self, sprint_id: int, needs: str) -> Sprint:
        """Read sprint ``sprint_id`` into the document's session (the outbox a killed
        SprintDesk left is replayed first); offline, :class:`OfflineError` says ``needs``."""
        doc = self._doc
        session = doc.session
        with self.online_read(needs):
            if not self._offline.replayed:
                doc.replay_outbox()
            autocommit = doc.store.is_server and not session.in_transaction()
            if autocommit:
                # Reading needs no transaction: without BEGIN (and the ROLLBACK after) opening
                # a sprint on a team database is two round trips shorter. Each statement still
                # reads committed data; the commit below hands the connection back, so edits
                # get a transaction of their own as usual.
                session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
            try:
                sprint = load_sprint(session, sprint_id)
            except PlanError as exc:
                if autocommit:
                    session.commit()
                raise LookupError(str(exc)) from None
            if autocommit:
                session.commit()
        return sprint

    @contextmanager
    def online_read(self, needs: str) -> Iterator[None]:
        """A read in the document's session that only the team database can answer (another
        sprint, the meetings running elsewhere). Offline, or when the server turns out to be
        gone, :class:`OfflineError` says ``needs``; what is on screen and every edit stay (the
        document goes offline, the edits to the outbox)."""
        if self._offline.offline:
            raise OfflineError(needs)
        session = self._doc.session
        loaded = self._offline.keep()
        try:
            with session.no_autoflush:
                yield
        except SQLAlchemyError as exc:
            if self._offline.failed(loaded, snapshot(session), exc) and self._offline.offline:
                raise OfflineError(needs) from None
            raise

    def apply_remote(self, changes: list[Any]) -> bool:
        """See :meth:`PlanDocument.apply_remote`."""
        doc = self._doc
        if doc.sprint is None or self._offline.offline:
            return False
        sprint_id = doc.sprint.id
        wanted = [
            change
            for change in changes
            if change.what != "presence" and change.sprint_id in (None, sprint_id)
        ]
        if not wanted:
            doc.remoteApplied.emit(changes)
            return False
        if self._fetcher is None:
            from sprintdesk.editing.remote import RemoteFetcher

            self._fetcher = RemoteFetcher(doc.store.engine, parent=self)
            self._fetcher.fetched.connect(self._on_fetched)
        self._fetcher.submit(wanted)
        return True

    def _on_fetched(self, fetched: Any, wanted: list[Any]) -> None:
        from sprintdesk.storage.refresh import apply

        doc = self._doc
        if doc.sprint is None:
            return
        with doc.session.no_autoflush:
            touched = apply(doc.session, fetched)
        if touched:
            doc.changed.emit()
        doc.remoteApplied.emit(wanted)

    def stop(self) -> None:
        """Closing: no more changes are read."""
        if self._fetcher is not None:
            self._fetcher.stop()
