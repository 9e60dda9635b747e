"""When and how the open sprint's edits are saved, for :class:`~sprintdesk.editing.document.
PlanDocument` (which owns one :class:`Saving` and keeps the public interface).

Every edit starts a short single-shot timer, so what the user typed is committed within half a
second. On a team database the edits are handed to the writer thread (changed fields, new rows
with ids given ahead of time, deleted rows, changed links: ``editing.writer``,
``editing.structure``) and the window does not wait; rows added before their ids have come
wait for them on the writer. Everything else (this computer's database, a person's teams, a
batch that failed) is committed here, through the conflict rules; offline or refused, the
edits go to the outbox (``editing.offline``). A failed commit (disk full, read-only file) keeps
the edits in memory, reports the problem and is retried by itself. Before the first save after
an hour of work the database file is backed up as it was. A reload asked for while edits are on
their way is applied once they have landed.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

from PySide6.QtCore import QObject, QTimer, SignalInstance
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from sprintdesk.editing.offline import Offline
from sprintdesk.editing.pending import Pending, put_back, snapshot
from sprintdesk.editing.writer import WriteBehind
from sprintdesk.storage.conflicts import commit_merging
from sprintdesk.storage.store import Store

log = logging.getLogger(__name__)


class SavingHost(Protocol):
    """What :class:`Saving` needs of the document that owns it."""

    store: Store
    session: Session
    autoflush: bool  # the session's own setting when it may write (False on a team database)
    state: str
    last_error: str
    changed: SignalInstance
    saved: SignalInstance
    saveFailed: SignalInstance  # noqa: N815 - the document's Qt signal
    conflictsFound: SignalInstance  # noqa: N815 - the document's Qt signal

    @property
    def offline(self) -> bool: ...

    def set_state(self, state: str) -> None: ...


class Saving(QObject):
    """The document's autosave, its retry after a failure, and the reload that waits for the
    writer. Reaches the document for its session, state and signals."""

    def __init__(
        self,
        doc: Any,
        behind: WriteBehind | None,
        offline: Offline,
        *,
        autosave_ms: int,
        retry_ms: int,
    ) -> None:
        super().__init__(doc)
        self._doc: SavingHost = doc
        self._behind = behind
        self._offline = offline
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(autosave_ms)
        self.timer.timeout.connect(self.autosave)
        # A failed save is retried by itself: the user may free disk space and never type
        # again, and the message promises the edits are saved as soon as possible.
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.setInterval(retry_ms)
        self.retry.timeout.connect(self.save_now)
        # When to look at the backups folder again (time.monotonic()); 0: at the first save.
        self._next_backup_check = 0.0
        self.closed = False
        self._reload_due = False  # reload() asked for while edits were on their way
        # Back online, the offline outbox on its way to the server on the writer thread:
        # None, "ids" (its new rows wait for their ids) or "sent".
        self._replay: str | None = None

    # --- handing over -------------------------------------------------------------------

    def autosave(self) -> None:
        """What the autosave timer runs (see :meth:`PlanDocument.autosave`)."""
        self.send()

    def send(self) -> None:
        """Send the edits not yet saved without waiting for them where they can go behind the
        window, else save them here."""
        self.timer.stop()
        if self._replay == "ids":
            return  # goes with the outbox, once the ids for its new rows are here
        if self._hand_over():
            return
        if self._behind is not None and self._behind.busy and not self.has_unsaved():
            return  # only batches on their way: they land (and say so) by themselves
        self.save_now()

    def _hand_over(self) -> bool:
        """Give the edits not yet saved to the writer thread (or have them wait there for
        their ids); False when they must be saved the ordinary way."""
        from sprintdesk.editing import structure

        if not self._can_write_behind():
            return False
        assert self._offline.outbox is not None and self._behind is not None
        session = self._doc.session
        if structure.links_only_here(session):
            return False
        ids = self._behind.ids
        wanted = structure.ids_wanted(session)
        if not ids.enough(wanted):
            if not ids.given_for(wanted):
                return False  # a row keyed otherwise (a setting): no id to wait for
            # New rows wait for their ids (asked for now, if not already on their way) and
            # go behind the window once they are here: never saved here meanwhile.
            ids.top_up(wanted, then=self._ids_came)
            return True
        structure.prepare(session, ids.take)
        entries = self._offline.outbox.capture(session)
        if not entries:
            return False
        self._behind.hand_over(session, entries, self._collect)
        if wanted:
            ids.top_up()
        return True

    def _ids_came(self, arrived: bool) -> None:
        """The ids new rows waited for are here (or could not be had: the server may be
        gone, which the ordinary save finds out and says; offline, the rows go to the
        outbox)."""
        if self.closed:
            return
        if self.has_unsaved() and not (arrived and self._hand_over()):
            self.save_now()
        self._reload_when_landed()

    def _can_write_behind(self) -> bool:
        if self._behind is None or self._offline.held or self._doc.state == "error":
            return False
        # Edits made once the outbox is on its way go after it (one writer thread).
        return not self._offline.waiting or self._replay == "sent"

    def send_waiting(self) -> bool:
        """Back online: hand the offline outbox (the session's edits kept while offline and
        the changes beside the plan) to the writer thread as one batch, before any edit made
        from now on, recorded as landed in its own transaction. The window does not wait for
        it: the outbox is kept (and counted on the status bar) until it has landed. False
        when it must be saved the ordinary way (here)."""
        from sprintdesk.editing import structure

        outbox = self._offline.outbox
        if self._behind is None or outbox is None or self._offline.held:
            return False
        session = self._doc.session
        if structure.links_only_here(session):
            return False
        ids = self._behind.ids
        wanted = structure.ids_wanted(session)
        if not ids.enough(wanted):
            if not ids.given_for(wanted):
                return False
            self._replay = "ids"
            ids.top_up(wanted, then=self._ids_came_for_outbox)
            return True
        structure.prepare(session, ids.take)
        entries = outbox.capture(session) + self._offline.beside
        if not entries:
            self._replay = None
            return False
        self._replay = "sent"
        self._behind.hand_over(
            session, entries, self._collect, marker=(outbox.marker_key, outbox.batch)
        )
        if wanted:
            ids.top_up()
        return True

    def _ids_came_for_outbox(self, arrived: bool) -> None:
        """The ids the outbox's new rows waited for are here (or could not be had: the
        ordinary save finds out why, offline again keeps everything in the outbox)."""
        if self.closed or self._replay != "ids":
            return
        self._replay = None
        if not (arrived and self.send_waiting()):
            self.save_now()

    def has_unsaved(self) -> bool:
        session = self._doc.session
        return bool(
            session.new or session.deleted or any(session.is_modified(o) for o in session.dirty)
        )

    def wait_for_ids(self) -> None:
        """New rows waiting for their ids: take the reservation on its way in now, so that
        they go behind the window before what comes next (opening another sprint)."""
        if self._behind is not None and self.has_unsaved():
            self._behind.ids.wait()

    def _wait_for_writer(self) -> None:
        """Let the batches on their way land first (a save here must come after them); new
        rows waiting for their ids are sent behind the window first."""
        if self._behind is not None and self._behind.ids.on_their_way:
            self._behind.ids.wait()
        if self._behind is not None and self._behind.busy:
            self._behind.pool.waitForDone()
            self._collect()

    def _collect(self) -> None:
        """The writer finished batches: a failed one is saved the ordinary way (which says
        what went wrong: offline, refused, error), conflicts are handed on."""
        doc = self._doc
        landed = self._behind.collect(doc.session) if self._behind is not None else None
        if landed is None:
            return
        if landed.replayed:
            self._replay = None
            self._offline.landed()  # the outbox is on the server: emptied, "0 waiting"
        if landed.failed:
            self._replay = None
            doc.set_state("pending")
            self.save_now()
        elif (
            not (self._behind is not None and self._behind.busy)
            and doc.state == "pending"
            and not self.timer.isActive()
            and not self.has_unsaved()
        ):
            doc.set_state("saved")
            doc.saved.emit()
        if landed.conflicts:
            doc.changed.emit()
            doc.conflictsFound.emit(landed.conflicts)
        self._reload_when_landed()

    # --- saving here --------------------------------------------------------------------

    def save_now(self) -> bool:
        """Commit now; returns False (and keeps the edits in memory) when the commit fails."""
        doc = self._doc
        session = doc.session
        self.timer.stop()
        self._wait_for_writer()
        if doc.state == "saved" and not session.dirty and not session.new and not session.deleted:
            return True
        if self._offline.held:
            self._offline.journal()
            return False
        self._backup_if_due()
        pending = snapshot(session)
        # A team database may be gone: keep what is loaded, to go on without it.
        loaded = self._offline.keep()
        try:
            conflicts = self._commit(loaded, pending)
        except SQLAlchemyError as exc:
            if self._offline.failed(loaded, pending, exc):
                return False  # offline or refused: the edits wait in the outbox
            message = _describe(exc)
            log.warning("autosave failed: %s", message)
            doc.last_error = message
            self._recover_after_failed_commit(pending)
            # Until a save works, a lazy load must not try to flush (it would raise the same
            # error inside whatever page is refreshing): writes wait for save_now.
            session.autoflush = False
            doc.set_state("error")
            doc.saveFailed.emit(message)
            self.retry.start()
            return False
        session.autoflush = self._doc.autoflush
        self.retry.stop()
        doc.last_error = ""
        self._offline.landed()
        doc.set_state("saved")
        doc.saved.emit()
        if conflicts:
            doc.changed.emit()
            doc.conflictsFound.emit(conflicts)
        self._reload_when_landed()
        return True

    def _commit(self, loaded: Any, pending: Pending) -> list[Any]:
        """Commit the session (see :meth:`save_now`). On a team database a pooled connection
        the server dropped (a quick restart, before the idle ping would have noticed) is tried
        once more on a new one before the save counts as offline."""
        from sqlalchemy.exc import PendingRollbackError

        from sprintdesk.editing.writer import dead_connection

        session = self._doc.session
        try:
            self._offline.mark()  # in the same transaction as the edits
            # On a team database somebody may have saved the same rows first: different
            # fields merge, the same field is handed back (conflictsFound) to choose.
            return commit_merging(session)
        except SQLAlchemyError as exc:
            # A read of this session (a lazy load, the suggested timeboxes) that met the server
            # gone left its transaction to be rolled back before anything else can run on it:
            # as for a dead pooled connection, the session is put back and the save tried once
            # more, which then lands or finds the server gone (offline: the outbox).
            if loaded is None or not (
                dead_connection(exc) or isinstance(exc, PendingRollbackError)
            ):
                raise
            log.info("the window's connection was dropped; saving again on a new one")
        self._offline.put_back(loaded, pending)
        session.autoflush = self._doc.autoflush
        self._offline.mark()
        return commit_merging(session)

    def _backup_if_due(self) -> None:
        """Copy the database file as it is before this save when its newest backup is an hour
        old. A SQLite copy of a plan takes milliseconds; a failed one is logged, never in the
        way of saving the user's edit."""
        path = self._doc.store.path
        if path is None or time.monotonic() < self._next_backup_check:
            return
        from sprintdesk.storage.backups import HOURLY_EVERY, BackupError, hourly_backup

        try:
            made = hourly_backup(path)
        except BackupError as exc:
            log.warning("%s", exc)
        else:
            if made is not None:
                log.info("hourly backup written to %s", made)
        # Looked at (or made) just now: the next one is due an hour from now at the earliest.
        self._next_backup_check = time.monotonic() + HOURLY_EVERY.total_seconds() / 4

    def _recover_after_failed_commit(self, pending: Pending) -> None:
        # Rolling back expires every object and drops new ones from the session: put the
        # user's edits back so they stay on screen and are written by the next commit.
        session = self._doc.session
        try:
            session.rollback()
        except SQLAlchemyError:  # pragma: no cover - the connection itself is gone
            log.exception("rollback after failed autosave")
        put_back(session, pending)

    # --- reloading after the writer -----------------------------------------------------

    def reload(self) -> None:
        """See :meth:`PlanDocument.reload`: our edits first, the reload once they landed."""
        self._reload_due = True
        self.send()
        self._reload_when_landed()

    def _reload_when_landed(self) -> None:
        """A reload asked for: applied once nothing of ours is on its way or unsaved (edits
        typed meanwhile are sent by the autosave; it comes back here when they land)."""
        if not self._reload_due or self.closed or self.has_unsaved():
            return
        behind = self._behind
        if behind is not None and (behind.busy or behind.ids.on_their_way):
            return  # _collect (or _ids_came) comes back here when they have landed
        self._reload_due = False
        doc = self._doc
        if doc.offline:
            return  # the server went while they were on their way: they wait in the outbox
        doc.session.commit()
        doc.session.expire_all()
        doc.changed.emit()

    def stop(self) -> None:
        """Closing: no timer runs again."""
        self.retry.stop()
        self.timer.stop()


def _describe(exc: SQLAlchemyError) -> str:
    detail = str(getattr(exc, "orig", None) or exc)
    if "disk" in detail and "full" in detail:
        return (
            "The disk is full: your last edits are kept in memory and saved as soon as "
            "there is room."
        )
    if "readonly" in detail or "read-only" in detail:
        return (
            "The database file is read-only: your last edits are kept in memory until it "
            "can be written."
        )
    return f"Saving failed ({detail}); your edits are kept in memory and saving is retried."
