"""The open sprint: one database session, the undo stack and autosave.

Every edit in the UI goes through :class:`PlanDocument`: it is applied to the mapped objects at
once, pushed on the ``QUndoStack`` (so Ctrl+Z works everywhere) and committed by a short
single-shot timer, so what the user typed is on disk within half a second. There is no Save
button. A failed commit (disk full, read-only file) keeps the edits in memory, reports the
problem and retries on the next edit. Before the first save after an hour of work the database
file is backed up as it was (:func:`sprintdesk.storage.backups.hourly_backup`), so a
corruption later in the day loses at most about an hour.

Signals:
    changed(): an edit was applied, undone or redone.
    saved(): the pending edits are committed.
    saveFailed(str): committing failed; the message is meant for the user.
    sprintOpened(int): another sprint is now open (its id).
    stateChanged(str): "saved", "pending" or "error".
    remoteApplied(list): somebody else's committed changes (``storage.live.Change`` rows) are
        now in this document (emitted after ``changed``, or alone when the open sprint was not
        touched).
    conflictsFound(list): somebody else changed the same field (storage.conflicts.FieldConflict
        rows: both values); theirs stays until resolve_conflict keeps mine.
    outboxChanged(int): how many changes wait in the offline outbox (0: none).

On a team database a save that finds the server gone (stopped, network cut) does not lose or
block anything: the document goes offline (state "offline"), keeps every object as it was read
(no reload is possible), journals the waiting edits in the outbox file
(:mod:`sprintdesk.storage.outbox`) at every edit, and looks for the server from a worker thread.
When it answers, the edits are committed through the conflict rules and the outbox emptied; an
outbox left by a killed SprintDesk is replayed when the next one opens a sprint.

Views beside the open sprint (the welcome page, the preview, the tool windows: roster,
availability, capacity, history) receive the document too, never the store: they read with
:meth:`PlanDocument.read` (a short session of their own, safe on a worker thread) and write
with :meth:`PlanDocument.write` (the plan's edits saved first, then one committed unit of work).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, make_transient
from sqlalchemy.orm.attributes import set_committed_value

from sprintdesk.plan.model import Sprint
from sprintdesk.plan.planning import PlanError, load_sprint
from sprintdesk.storage.conflicts import commit_merging, resolve
from sprintdesk.storage.store import Store, StoreError, storage_error

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 250  # well inside the half second promised to the user
RETRY_DELAY_MS = 5000  # after a failed save (disk full, file locked): try again this often
PROBE_DELAYS_MS = (500, 1000, 2000, 5000)  # offline: look for the server again after these


class SaveError(Exception):
    """A write beside the plan (:meth:`PlanDocument.write`) failed: disk full, read-only, busy.
    The message is meant for the user; nothing of that write was kept."""


class _FunctionCommand(QUndoCommand):
    def __init__(
        self, doc: PlanDocument, text: str, apply: Callable[[], None], revert: Callable[[], None]
    ) -> None:
        super().__init__(text)
        self._doc = doc
        self._apply = apply
        self._revert = revert

    def redo(self) -> None:
        self._apply()
        self._doc._after_edit()

    def undo(self) -> None:
        self._revert()
        self._doc._after_edit()


class _SetAttrCommand(QUndoCommand):
    """Set one attribute; consecutive edits of the same attribute merge (typing a word is one
    undo step, not one per key)."""

    MERGE_ID = 0x5D01

    def __init__(self, doc: PlanDocument, obj: Any, attr: str, value: Any, text: str) -> None:
        super().__init__(text)
        self._doc = doc
        self._obj = obj
        self._attr = attr
        self._old = getattr(obj, attr)
        self._new = value

    def id(self) -> int:
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, _SetAttrCommand):
            return False
        if other._obj is not self._obj or other._attr != self._attr:
            return False
        if not isinstance(self._new, str):
            return False
        self._new = other._new
        return True

    def redo(self) -> None:
        setattr(self._obj, self._attr, self._new)
        self._doc._after_edit()

    def undo(self) -> None:
        setattr(self._obj, self._attr, self._old)
        self._doc._after_edit()


def _revive(obj: Any) -> None:
    """Make a deleted object (and the children deleted with it) insertable again."""
    state = sa_inspect(obj)
    if state.deleted or state.detached or state.was_deleted:
        make_transient(obj)
    for rel in state.mapper.relationships:
        if "delete" not in rel.cascade:
            continue
        value = state.dict.get(rel.key)
        if value is None:
            continue
        for child in value if rel.uselist else [value]:
            _revive(child)


class PlanDocument(QObject):
    changed = Signal()
    saved = Signal()
    saveFailed = Signal(str)
    sprintOpened = Signal(int)
    stateChanged = Signal(str)
    conflictsFound = Signal(list)
    remoteApplied = Signal(list)
    outboxChanged = Signal(int)

    def __init__(self, store: Store, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.session: Session = store.session()
        self.sprint: Sprint | None = None
        self.undo_stack = QUndoStack(self)
        self.state = "saved"
        self.last_error = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(AUTOSAVE_DELAY_MS)
        self._timer.timeout.connect(self.autosave)
        # A failed save is retried by itself: the user may free disk space and never type
        # again, and the message promises the edits are saved as soon as possible.
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_DELAY_MS)
        self._retry.timeout.connect(self.save_now)
        # When to look at the backups folder again (time.monotonic()); 0: at the first save.
        self._next_backup_check = 0.0
        self._fetcher: Any = None  # reads live updates off the UI thread (editing.remote)
        # A team database: the offline outbox, and the look-out for the server while away.
        self.offline = False
        self.read_only = False  # the server refused to save: this role may only read
        self.outbox: Any = None
        self._replayed = False
        self._probe_failures = 0
        self._probe_job: Any = None
        self._probe = QTimer(self)
        self._probe.setSingleShot(True)
        self._probe.timeout.connect(self._probe_server)
        # A team database: field edits are committed behind the window, one batch at a
        # time in the order made (editing.writer).
        self._writer: QThreadPool | None = None
        self._inflight: list[Any] = []
        if store.is_server:
            from sprintdesk.storage.outbox import Outbox, outbox_path
            from sprintdesk.system.paths import resolve_data_dir

            self._writer = QThreadPool(self)
            self._writer.setMaxThreadCount(1)

            folder = store.data_dir or resolve_data_dir()
            self.outbox = Outbox(outbox_path(store.url, folder))

    # --- views beside the plan --------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session of its own for a view that reads beside the plan: it sees what was
        committed (the plan's edits once autosaved, other writers'), never the plan's session.
        Only this touches no Qt object, so a worker thread may read with it."""
        with self.store.session() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A unit of work beside the plan (a person, a team, availability, a new sprint):
        the plan's pending edits are saved first, the work commits on leaving. A failure of the
        database (disk full, read-only, busy) raises :class:`SaveError` with a message for the
        user; the domain's own errors (``PlanError``...) pass through as they are."""
        self.save_now()
        try:
            with self.store.unit_of_work() as session:
                yield session
        except StoreError as exc:
            raise SaveError(str(exc)) from exc
        except SQLAlchemyError as exc:
            where = self.store.path or self.store.url
            raise SaveError(str(storage_error(exc, where))) from exc

    # --- opening --------------------------------------------------------------------------

    def open_sprint(self, sprint_id: int) -> Sprint:
        """Open a sprint (saving the current one first)."""
        self.save_now()
        if not self._replayed:
            self.replay_outbox()
        autocommit = self.store.is_server and not self.session.in_transaction()
        if autocommit:
            # Reading needs no transaction: without BEGIN (and the ROLLBACK after) opening a
            # sprint on a team database is two round trips shorter. Each statement still reads
            # committed data; the commit below hands the connection back, so edits get a
            # transaction of their own as usual.
            self.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        try:
            sprint = load_sprint(self.session, sprint_id)
        except PlanError as exc:
            raise LookupError(str(exc)) from None
        finally:
            if autocommit:
                self.session.commit()
        self.sprint = sprint
        self.undo_stack.clear()
        self.sprintOpened.emit(sprint_id)
        return sprint

    def reload(self) -> None:
        """See what another writer (a dialog, an import, a pull) committed: save our edits, end
        the read transaction (SQLite readers keep a snapshot) and forget cached values.

        Offline, the server is tried first (a reconnected listener asks for this); while it
        stays away nothing is reloaded (nothing could be)."""
        if self.offline and not self.try_online():
            return
        self.save_now()
        self.session.commit()
        self.session.expire_all()
        self.changed.emit()

    def apply_remote(self, changes: list[Any]) -> bool:
        """Show what somebody else committed on a team database (``storage.live.Change``
        rows). The changed rows are read on a worker thread with a connection of its own and
        applied here without a query (``storage.refresh``): the window never waits on the
        network. The undo stack and the edits still waiting to be saved stay this user's.
        True when rows of the open sprint were asked for (``changed`` follows once they are
        in; ``remoteApplied`` in any case)."""
        if self.sprint is None or self.offline:
            return False
        sprint_id = self.sprint.id
        wanted = [
            change
            for change in changes
            if change.what != "presence" and change.sprint_id in (None, sprint_id)
        ]
        if not wanted:
            self.remoteApplied.emit(changes)
            return False
        if self._fetcher is None:
            from sprintdesk.editing.remote import RemoteFetcher

            self._fetcher = RemoteFetcher(self.store.engine, parent=self)
            self._fetcher.fetched.connect(self._on_fetched)
        self._fetcher.submit(wanted)
        return True

    def _on_fetched(self, fetched: Any, wanted: list[Any]) -> None:
        from sprintdesk.storage.refresh import apply

        if self.sprint is None:
            return
        with self.session.no_autoflush:
            touched = apply(self.session, fetched)
        if touched:
            self.changed.emit()
        self.remoteApplied.emit(wanted)

    # --- editing --------------------------------------------------------------------------

    def set_attr(self, obj: Any, attr: str, value: Any, text: str | None = None) -> None:
        """Change ``obj.attr`` as an undoable edit (no-op when the value is the same)."""
        if getattr(obj, attr) == value:
            return
        self.undo_stack.push(_SetAttrCommand(self, obj, attr, value, text or f"Edit {attr}"))

    def edit(self, text: str, apply: Callable[[], None], revert: Callable[[], None]) -> None:
        """Any undoable edit given as a pair of functions; ``apply`` runs now."""
        self.undo_stack.push(_FunctionCommand(self, text, apply, revert))

    def insert_row(
        self, collection: list[Any], obj: Any, index: int | None = None, text: str = "Add"
    ) -> None:
        """Insert a new mapped object into a relationship list, undoably; positions follow."""
        where = len(collection) if index is None else index

        def apply() -> None:
            _revive(obj)
            collection.insert(where, obj)
            _renumber(collection)

        def revert() -> None:
            collection.remove(obj)
            _renumber(collection)

        self.edit(text, apply, revert)

    def remove_row(self, collection: list[Any], obj: Any, text: str = "Delete") -> None:
        """Remove a mapped object from a relationship list (deleting it), undoably."""
        where = collection.index(obj)

        def apply() -> None:
            collection.remove(obj)
            _renumber(collection)

        def revert() -> None:
            _revive(obj)
            collection.insert(where, obj)
            _renumber(collection)

        self.edit(text, apply, revert)

    def move_row(self, collection: list[Any], old: int, new: int, text: str = "Move") -> None:
        """Move an entry of a relationship list, undoably (positions are renumbered)."""
        if old == new or not (0 <= new < len(collection)):
            return

        def shift(src: int, dst: int) -> Callable[[], None]:
            def run() -> None:
                item = collection.pop(src)
                collection.insert(dst, item)
                _renumber(collection)

            return run

        self.edit(text, shift(old, new), shift(new, old))

    def mark_dirty(self) -> None:
        """Schedule a commit for a change made outside the undo stack (e.g. the clock)."""
        self._after_edit(emit=False)

    # --- saving ---------------------------------------------------------------------------

    def _after_edit(self, *, emit: bool = True) -> None:
        if self.offline or self.read_only:
            # Nothing can be sent: the edit is on disk in the outbox before the call returns.
            self._journal()
        else:
            self._set_state("pending")
            self._timer.start()
        if emit:
            self.changed.emit()

    def autosave(self) -> None:
        """What the autosave timer runs. On a team database, edits to fields of rows already
        read go to the writer thread: the window does not wait for the network. Anything
        else (new or deleted rows, links, this computer's database, offline) is saved here."""
        if not self._can_write_behind():
            self.save_now()
            return
        from sprintdesk.editing import writer

        assert self.outbox is not None and self._writer is not None
        entries = [e for e in self.outbox.capture(self.session) if e.kind == "update"]
        if not entries:
            self.save_now()
            return
        writer.settle(self.session, entries)
        job = writer.WriteJob(self.store, entries)
        job.signals.done.connect(self._collect)
        self._inflight.append(job)
        self._writer.start(job)

    def _can_write_behind(self) -> bool:
        if self._writer is None or self.offline or self.read_only or self.state == "error":
            return False
        if self.outbox is not None and self.outbox.count():
            return False
        from sprintdesk.editing.writer import field_edits_only

        return field_edits_only(self.session)

    def _has_unsaved(self) -> bool:
        session = self.session
        return bool(
            session.new or session.deleted or any(session.is_modified(o) for o in session.dirty)
        )

    def _wait_for_writer(self) -> None:
        """Let the batches on their way land first (a save here must come after them)."""
        if self._inflight and self._writer is not None:
            self._writer.waitForDone()
            self._collect()

    def _collect(self) -> None:
        """Take in the batches the writer finished, in order: new version counters and
        conflicts; a batch that failed is put back as unsaved and saved the ordinary way."""
        from sprintdesk.editing import writer

        done = []
        while self._inflight and self._inflight[0].finished:
            done.append(self._inflight.pop(0))
        if not done:
            return
        failed = [job for job in done if job.error is not None]
        if failed and self._inflight and self._writer is not None:
            # The rest will most likely fail the same way: take them all back together.
            self._writer.waitForDone()
            done.extend(self._inflight)
            failed.extend(job for job in self._inflight if job.error is not None)
            self._inflight.clear()
        conflicts: list[Any] = []
        for job in done:
            if job.error is None and job.outcome is not None:
                conflicts.extend(writer.absorb(self.session, job.outcome))
        # Newest first, so each field ends up against the value it had before the first.
        for job in reversed(failed):
            log.warning("saving behind the window failed: %s", job.error)
            writer.unsettle(self.session, job.entries)
        if failed:
            self._set_state("pending")
            self.save_now()  # says what went wrong (offline, refused, error), as ever
        elif (
            not self._inflight
            and self.state == "pending"
            and not self._timer.isActive()
            and not self._has_unsaved()
        ):
            self._set_state("saved")
            self.saved.emit()
        if conflicts:
            self.changed.emit()
            self.conflictsFound.emit(conflicts)

    def save_now(self) -> bool:
        """Commit now; returns False (and keeps the edits in memory) when the commit fails."""
        self._timer.stop()
        self._wait_for_writer()
        if (
            self.state == "saved"
            and not self.session.dirty
            and not self.session.new
            and not self.session.deleted
        ):
            return True
        if self.offline or self.read_only:
            self._journal()
            return False
        self._backup_if_due()
        pending = self._snapshot()
        # A team database may be gone: keep what is loaded, to go on without it.
        loaded = self._loaded() if self.outbox is not None else None
        try:
            if self.outbox is not None and self.outbox.count():
                from sprintdesk.storage.outbox import mark

                mark(self.session, self.outbox)  # in the same transaction as the edits
            # On a team database somebody may have saved the same rows first: different
            # fields merge, the same field is handed back (conflictsFound) to choose.
            conflicts = commit_merging(self.session)
        except SQLAlchemyError as exc:
            if loaded is not None and _server_gone(exc, self.store.url):
                self._go_offline(loaded, pending, exc)
                return False
            refusal = _refusal(exc, self.store.url) if loaded is not None else None
            if loaded is not None and refusal is not None:
                self._refuse(loaded, pending, refusal)
                return False
            message = _describe(exc)
            log.warning("autosave failed: %s", message)
            self.last_error = message
            self._recover_after_failed_commit(pending)
            # Until a save works, a lazy load must not try to flush (it would raise the same
            # error inside whatever page is refreshing): writes wait for save_now.
            self.session.autoflush = False
            self._set_state("error")
            self.saveFailed.emit(message)
            self._retry.start()
            return False
        self.session.autoflush = True
        self._retry.stop()
        self.last_error = ""
        if self.outbox is not None and self.outbox.count():
            self.outbox.clear()
            self.outboxChanged.emit(0)
        self._set_state("saved")
        self.saved.emit()
        if conflicts:
            self.changed.emit()
            self.conflictsFound.emit(conflicts)
        return True

    def resolve_conflict(self, conflict: Any, *, keep_mine: bool) -> None:
        """Apply the person's choice for a same-field conflict (keep mine / take theirs)."""
        more = resolve(self.session, conflict, keep_mine=keep_mine)
        self.changed.emit()
        if more:
            self.conflictsFound.emit(more)

    # --- offline (team database) ---------------------------------------------------------

    def status_text(self) -> str:
        """Offline: what the status bar says (how many changes are waiting)."""
        from PySide6.QtCore import QCoreApplication

        count = self.outbox.count() if self.outbox is not None else 0
        text = "Offline — %n changes waiting"
        translated = QCoreApplication.translate("PlanDocument", text, None, count)
        if translated != text.replace("%n", str(count)):
            return translated  # a translator gave the right plural form for count
        one = "Offline — %n change waiting"
        return (one if count == 1 else text).replace("%n", str(count))

    def _journal(self) -> None:
        """Write every edit not yet committed to the outbox file (durably)."""
        if self.outbox is None:
            return
        entries = self.outbox.capture(self.session)
        before = self.outbox.count()
        try:
            self.outbox.write(entries)
        except OSError as exc:  # pragma: no cover - the data folder itself failing
            log.error("cannot write the offline outbox %s: %s", self.outbox.path, exc)
            return
        state = "refused" if self.read_only else "offline"
        if len(entries) != before or self.state != state:
            self._set_state(state)
            self.outboxChanged.emit(len(entries))

    def _loaded(self) -> list[tuple[Any, dict[str, Any], dict[str, Any]]]:
        """Every object's loaded values and the values they were read with, so that a save
        that finds the server gone can put them back (rolling back forgets them all)."""
        kept: list[tuple[Any, dict[str, Any], dict[str, Any]]] = []
        for state in self.session.identity_map.all_states():
            obj = state.obj()
            if obj is None:
                continue
            attrs = state.mapper.attrs
            values = {
                key: list(value) if isinstance(value, list) else value
                for key, value in state.dict.items()
                if key in attrs
            }
            kept.append((obj, values, dict(state.committed_state)))
        return kept

    def _restore(
        self, loaded: list[tuple[Any, dict[str, Any], dict[str, Any]]], pending: _Pending
    ) -> None:
        """After a commit the server could not take: roll back, then put every object back as
        it was read (rolling back expired them all, and they may not be readable now) and this
        user's edits on top, with their history, so the conflict rules see them later."""
        from sqlalchemy.orm.base import NEVER_SET, NO_VALUE

        try:
            self.session.rollback()
        except SQLAlchemyError:  # pragma: no cover - the connection itself is gone
            log.exception("rollback after a refused save")
        for obj, values, committed in loaded:
            state = sa_inspect(obj)
            if state.transient or state.pending:
                continue
            for key, value in values.items():
                base = committed.get(key, NO_VALUE)
                if base is NO_VALUE or base is NEVER_SET:
                    base = value
                set_committed_value(obj, key, list(base) if isinstance(base, list) else base)
        with self.session.no_autoflush:
            for obj in pending.new:
                self.session.add(obj)
            for obj, key, value in pending.changes:
                setattr(obj, key, value)
            for obj in pending.deleted:
                if sa_inspect(obj).persistent:
                    self.session.delete(obj)
        self.session.autoflush = False  # a lazy load must not try to write

    def _go_offline(
        self,
        loaded: list[tuple[Any, dict[str, Any], dict[str, Any]]],
        pending: _Pending,
        exc: SQLAlchemyError,
    ) -> None:
        log.warning("team database unreachable, working offline: %s", exc)
        self._restore(loaded, pending)
        self.offline = True
        self.last_error = str(exc)
        self._journal()
        self._set_state("offline")
        self.outboxChanged.emit(self.outbox.count())
        self._probe_failures = 0
        self._probe.start(PROBE_DELAYS_MS[0])

    def _refuse(
        self,
        loaded: list[tuple[Any, dict[str, Any], dict[str, Any]]],
        pending: _Pending,
        message: str,
    ) -> None:
        """The database role may only read: keep the edits (here and in the outbox, so they
        can be exported) and stop sending them; the message names the missing permission."""
        log.warning("team database refused the save: %s", message)
        self._restore(loaded, pending)
        self.read_only = True
        self.last_error = message
        self._journal()
        self._set_state("refused")
        self.outboxChanged.emit(self.outbox.count())
        self.saveFailed.emit(message)

    def export_markdown(self) -> str:
        """The open sprint as markdown as this window has it, edits not yet saved included
        (what a read-only role typed can still be taken away)."""
        from sprintdesk.markdown.render import render_markdown_file, render_plan

        if self.sprint is None:
            return ""
        with self.session.no_autoflush:
            return render_markdown_file(render_plan(self.sprint))

    def _probe_server(self) -> None:
        """Offline: ask the server for ``SELECT 1`` from a worker thread (a cut network may
        take the connect timeout to answer; the window must not wait for it)."""
        if not self.offline or self._probe_job is not None:
            return
        from sprintdesk.editing.jobs import BackgroundJob

        engine = self.store.engine

        def ping(_report: Any) -> bool:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True

        job = self._probe_job = BackgroundJob(ping)
        job.signals.finished.connect(self._probe_answered)
        job.signals.failed.connect(self._probe_failed)
        # On the writer's own thread: closing the document waits for it, so no connection
        # outlives the store.
        assert self._writer is not None
        self._writer.start(job)

    def _probe_answered(self, _result: object) -> None:
        self._probe_job = None
        if self.offline:
            self.try_online()

    def _probe_failed(self, _exc: object) -> None:
        self._probe_job = None
        if self.offline:
            self._probe_failures += 1
            delay = PROBE_DELAYS_MS[min(self._probe_failures, len(PROBE_DELAYS_MS) - 1)]
            self._probe.start(delay)

    def try_online(self) -> bool:
        """The server seems back: commit what waited (through the conflict rules). True
        when it landed; otherwise the document stays offline."""
        if not self.offline:
            return True
        self._probe.stop()
        self.offline = False
        self.session.autoflush = True
        self._set_state("pending")
        ok = self.save_now()
        if not ok and not self.offline and self.state != "error":
            self._set_state("saved")
        return not self.offline

    def replay_outbox(self) -> list[Any]:
        """Commit what a SprintDesk that was killed while offline left in the outbox, through
        the conflict rules (same-field conflicts are reported with ``conflictsFound``). An
        outbox whose batch already landed (killed after committing) is only emptied."""
        self._replayed = True
        if self.outbox is None or not self.outbox.count():
            return []
        from sprintdesk.storage.outbox import already_applied, mark, replay

        try:
            if already_applied(self.session, self.outbox):
                conflicts: list[Any] = []
            else:
                result = replay(self.session, self.outbox.entries())
                mark(self.session, self.outbox)
                conflicts = result.conflicts + commit_merging(self.session)
        except SQLAlchemyError as exc:
            log.warning("replaying the offline outbox failed (kept for later): %s", exc)
            self.session.rollback()
            return []
        log.info("replayed %d waiting changes from %s", self.outbox.count(), self.outbox.path)
        self.outbox.clear()
        self.outboxChanged.emit(0)
        if conflicts:
            QTimer.singleShot(0, lambda: self.conflictsFound.emit(conflicts))
        return conflicts

    def _backup_if_due(self) -> None:
        """Copy the database file as it is before this save when its newest backup is an hour
        old. A SQLite copy of a plan takes milliseconds; a failed one is logged, never in the
        way of saving the user's edit."""
        path = self.store.path
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

    def _snapshot(self) -> _Pending:
        """What the next commit writes, so a failed commit can put it back afterwards."""
        changes: list[tuple[Any, str, Any]] = []
        for obj in self.session.dirty:
            state = sa_inspect(obj)
            for attr in state.mapper.attrs:
                if state.attrs[attr.key].history.has_changes():
                    value = getattr(obj, attr.key)
                    changes.append(
                        (obj, attr.key, list(value) if isinstance(value, list) else value)
                    )
        return _Pending(list(self.session.new), changes, list(self.session.deleted))

    def _recover_after_failed_commit(self, pending: _Pending) -> None:
        # Rolling back expires every object and drops new ones from the session: put the
        # user's edits back so they stay on screen and are written by the next commit.
        try:
            self.session.rollback()
        except SQLAlchemyError:  # pragma: no cover - the connection itself is gone
            log.exception("rollback after failed autosave")
        with self.session.no_autoflush:
            for obj in pending.new:
                self.session.add(obj)
            for obj, key, value in pending.changes:
                setattr(obj, key, value)
            for obj in pending.deleted:
                if sa_inspect(obj).persistent:
                    self.session.delete(obj)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)

    def close(self) -> bool:
        if self._fetcher is not None:
            self._fetcher.stop()
        self._retry.stop()
        self._probe.stop()
        self._timer.stop()
        ok = self.save_now()
        if self._writer is not None:
            self._writer.waitForDone()  # a look-out for the server may still be on its way
        self.session.close()
        if self.outbox is not None:
            self.outbox.close()
        return ok


class _Pending:
    __slots__ = ("new", "changes", "deleted")

    def __init__(
        self, new: list[Any], changes: list[tuple[Any, str, Any]], deleted: list[Any]
    ) -> None:
        self.new = new
        self.changes = changes
        self.deleted = deleted


def _renumber(collection: list[Any]) -> None:
    for position, item in enumerate(collection):
        if hasattr(item, "position") and item.position != position:
            item.position = position


def _server_gone(exc: SQLAlchemyError, url: str) -> bool:
    """True when a failed save means the team database cannot be reached (not a refusal)."""
    from sqlalchemy.exc import DBAPIError

    from sprintdesk.storage.errors import ServerUnreachableError
    from sprintdesk.storage.server import explain

    if not isinstance(exc, DBAPIError):
        return False
    return exc.connection_invalidated or isinstance(explain(exc, url), ServerUnreachableError)


def _refusal(exc: SQLAlchemyError, url: str) -> str | None:
    """The message for a save the team database refused for want of a permission (a role
    with read-only grants), naming the permission; None for any other failure."""
    from sqlalchemy.exc import DBAPIError

    from sprintdesk.storage.errors import PermissionDeniedError
    from sprintdesk.storage.server import describe, explain, parse

    if not isinstance(exc, DBAPIError):
        return None
    if not isinstance(explain(exc, url), PermissionDeniedError):
        return None
    statement = (exc.statement or "").split()
    verb = statement[0].upper() if statement else "write"
    table = ""
    if verb in ("UPDATE", "DELETE", "INSERT") and len(statement) > 2:
        table = statement[2] if verb in ("DELETE", "INSERT") else statement[1]
    what = f"the {verb} permission on the table {table}" if table else f"the {verb} permission"
    user = parse(url).username or "this user"
    return (
        f"The team database {describe(url)} lets {user!r} read the plan but not change it: "
        f"saving needs {what}. Your edits are kept on this computer and can be exported "
        "(File → Export); ask the database's administrator for write access."
    )


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
