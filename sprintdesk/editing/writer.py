"""Autosave behind the window on a team database: edits are committed by a writer thread with
its own session, so the window never waits for the network.

The document hands over a batch (``storage.outbox.Entry`` rows: changed fields, each with the
value it had when read; new rows, with ids the server handed out ahead of time
(:class:`Ids`, ``editing.structure``); deleted rows), marks it as saved in its own session at
once, and goes on. The
writer thread (one thread, so batches land in the order they were made) applies them through
the conflict rules (``storage.outbox.replay`` + ``storage.conflicts.commit_merging``: a field
somebody else left alone takes the new value, the same field changed by both is handed back) and
reports the rows' new version counters and the conflicts as plain values. Many rows changed
alike (a list renumbered after a delete, an insert or a move) go as one version-checked
statement (``storage.bulk``); a row somebody changed meanwhile sends the batch again row by row,
through the conflict rules. A batch that fails
(the server gone, a refusal) is put back into the document's session as unsaved edits, and the
document saves them the ordinary way, which says what went wrong. A batch that met a pooled
connection the server had dropped (a quick restart) is tried once more on a new connection
first; writing a batch twice lands it once.

The document owns one :class:`WriteBehind`: the writer thread, the batches on their way and
the ids reserved ahead of need (:class:`Ids`; rows added before enough have come wait for them).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cache
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from sprintdesk.editing import structure
from sprintdesk.editing.structure import Handed
from sprintdesk.plan import model
from sprintdesk.storage.conflicts import commit_merging, stamp_of
from sprintdesk.storage.outbox import Entry, decode, replay
from sprintdesk.storage.store import Store

log = logging.getLogger(__name__)


@dataclass
class Conflict:
    """A same-field conflict as plain values (the writer's objects stay in its thread)."""

    table: str
    key: Any
    field: str | None
    mine: Any
    theirs: Any
    by: str | None = None  # who saved theirs, and when (storage.conflicts.FieldConflict)
    at: Any = None


@dataclass
class Outcome:
    versions: dict[tuple[str, Any], int] = dc_field(default_factory=dict)
    # Who changed each row written, and when (schema 0005), for the document's rows.
    stamps: dict[tuple[str, Any], tuple[Any, Any]] = dc_field(default_factory=dict)
    conflicts: list[Conflict] = dc_field(default_factory=list)


class WriteSignals(QObject):
    """Signals: ``done()`` (the batch landed or failed; see the job's ``outcome``/``error``)."""

    done = Signal()


class WriteJob(QRunnable):
    """One batch of field edits, committed in the writer thread with a session of its own."""

    def __init__(
        self,
        store: Store,
        entries: list[Entry],
        handed: Handed,
        marker: tuple[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.entries = entries
        self.handed = handed  # the document's rows this batch added, deleted or re-linked
        # The offline outbox sent once the server is back: (setting, batch) recorded in the
        # batch's own transaction (storage.outbox.mark), so a kill after it never replays it.
        self.marker = marker
        self.outcome: Outcome | None = None
        self.error: BaseException | None = None
        self.finished = False
        self.signals = WriteSignals()
        self.setAutoDelete(False)  # the document keeps it until it has read the outcome

    def run(self) -> None:
        try:
            for attempt in range(2):
                self.error = None
                session = self.store.session()
                try:
                    self.outcome = write(session, self.entries, self.store, self.marker)
                except BaseException as exc:  # handed to the UI thread, never lost
                    self.error = exc
                finally:
                    session.close()
                # A pooled connection the server dropped (a quick restart, before the idle
                # ping would have noticed) is tried once more on a new one before the batch
                # counts as failed; writing a batch twice lands it once (storage.outbox).
                if attempt or not dead_connection(self.error):
                    break
                log.info("a pooled connection was dead; writing the batch again on a new one")
        finally:
            self.finished = True
            self.signals.done.emit()


@dataclass
class Landed:
    """Batches the writer finished: whether any failed (put back as unsaved edits, to be saved
    the ordinary way) and the same-field conflicts found (on the document's own objects)."""

    failed: bool
    conflicts: list[Any]
    replayed: bool = False  # the offline outbox's batch (a job with a marker) landed


class WriteBehind:
    """The document's writer thread (one, so batches land in the order made) and the batches
    on their way. The look-out for the server runs on the same thread (``editing.offline``),
    so waiting for it leaves no connection behind."""

    def __init__(self, store: Store, *, parent: QObject) -> None:
        self._store = store
        self.pool = QThreadPool(parent)
        self.pool.setMaxThreadCount(1)
        self._inflight: list[WriteJob] = []
        self.ids = Ids(store, self.pool)

    @property
    def busy(self) -> bool:
        """Batches are on their way (or done and not yet collected)."""
        return bool(self._inflight)

    def hand_over(
        self,
        session: Session,
        entries: list[Entry],
        collect: Callable[[], None],
        marker: tuple[str, str] | None = None,
    ) -> None:
        """Send ``entries`` (everything ``session`` has not saved, its new rows given their
        ids by :func:`sprintdesk.editing.structure.prepare`), now counted as saved there;
        ``collect`` is called on the UI thread when the batch is done. ``marker``: the batch
        is the offline outbox's, recorded as landed with it (see :class:`WriteJob`)."""
        deleted = [
            obj
            for entry in entries
            if entry.kind == "delete" and (obj := lookup(session, entry.table, entry.key))
        ]
        settle(session, entries)
        handed = structure.settle(session, deleted)
        job = WriteJob(self._store, entries, handed, marker)
        job.signals.done.connect(collect)
        self._inflight.append(job)
        self.pool.start(job)

    def collect(self, session: Session) -> Landed | None:
        """Take in the batches the writer finished, in order: new version counters and
        conflicts; a batch that failed is put back into ``session`` as unsaved edits. None
        when none had finished."""
        done = []
        while self._inflight and self._inflight[0].finished:
            done.append(self._inflight.pop(0))
        if not done:
            return None
        failed = [job for job in done if job.error is not None]
        if failed and self._inflight:
            # The rest will most likely fail the same way: take them all back together.
            self.pool.waitForDone()
            done.extend(self._inflight)
            failed.extend(job for job in self._inflight if job.error is not None)
            self._inflight.clear()
        conflicts: list[Any] = []
        replayed = False
        for job in done:
            if job.error is None and job.outcome is not None:
                conflicts.extend(absorb(session, job.outcome))
                replayed = replayed or job.marker is not None
        # Newest first, so each field ends up against the value it had before the first.
        for job in reversed(failed):
            log.warning("saving behind the window failed: %s", job.error)
            unsettle(session, job.entries)
            structure.unsettle(session, job.handed)
        return Landed(bool(failed), conflicts, replayed)


class Ids:
    """Ids for new rows, handed out by the team database ahead of need (``storage.sequences``),
    a few per table, topped up on the writer thread (so the window never waits for them).

    Rows added before enough ids are here wait for them: :meth:`top_up` takes a ``then`` to
    call on the UI thread when the reservation arrived (``then(True)``) or failed
    (``then(False)``: the server may be gone); :meth:`wait` takes one on its way in at once
    (opening another sprint, closing, a save that must come after every edit)."""

    BATCH = 8  # per table: more than one edit adds between two autosaves
    LOW = 4  # top up below this

    def __init__(self, store: Store, pool: QThreadPool) -> None:
        self._store = store
        self._pool = pool
        self._free: dict[str, list[int]] = {}
        self._job: Any = None
        self._then: list[Callable[[bool], None]] = []

    def enough(self, wanted: dict[str, int]) -> bool:
        """True when there are ids for ``wanted[table]`` new rows of each table."""
        return all(len(self._free.get(table, ())) >= n for table, n in wanted.items())

    @staticmethod
    def given_for(wanted: dict[str, int]) -> bool:
        """True when every table of ``wanted`` takes ids from a sequence (a row keyed
        otherwise, a setting, never gets one)."""
        from sprintdesk.storage.sequences import id_tables

        return set(wanted) <= set(id_tables())

    @property
    def on_their_way(self) -> bool:
        """A reservation was asked for and has not arrived yet."""
        return self._job is not None

    def take(self, table: str) -> int:
        return self._free[table].pop(0)

    def top_up(
        self, wanted: dict[str, int] | None = None, *, then: Callable[[bool], None] | None = None
    ) -> None:
        """Ask for more ids where few are left (and for ``wanted``), on the writer thread;
        ``then(arrived)`` is called once this or the reservation already on its way is in."""
        if then is not None and then not in self._then:
            self._then.append(then)
        if self._job is not None:
            return
        from sprintdesk.storage.sequences import id_tables, reserve

        asked = {}
        for table in id_tables():
            have = len(self._free.get(table, ()))
            need = max(self.BATCH, (wanted or {}).get(table, 0) + self.LOW)
            if have < self.LOW or have < (wanted or {}).get(table, 0):
                asked[table] = need - have
        if not asked:
            self._tell(True)
            return
        from sprintdesk.editing.jobs import BackgroundJob

        engine = self._store.engine
        answer: dict[str, Any] = {}

        def fetch(_report: Any) -> dict[str, list[int]]:
            try:
                with engine.connect() as connection:
                    got = reserve(connection, asked)
                    connection.commit()
            except BaseException as exc:
                answer["failed"] = exc
                raise
            answer["got"] = got
            return got

        job = self._job = BackgroundJob(fetch)
        job.answer = answer  # type: ignore[attr-defined]
        job.signals.finished.connect(lambda got: self._arrived(job, got))
        job.signals.failed.connect(lambda exc: self._failed(job, exc))
        self._pool.start(job)

    def wait(self) -> None:
        """Take in the reservation on its way now (the writer's batches ahead of it land
        first: one thread); those waiting for it are told before this returns."""
        job = self._job
        if job is None:
            return
        self._pool.waitForDone()
        if "got" in job.answer:
            self._arrived(job, job.answer["got"])
        else:
            self._failed(job, job.answer.get("failed"))

    def _arrived(self, job: Any, got: dict[str, list[int]]) -> None:
        if job is not self._job:
            return  # taken in by wait() already
        self._job = None
        for table, ids in got.items():
            self._free.setdefault(table, []).extend(ids)
        self._tell(True)

    def _failed(self, job: Any, exc: object) -> None:
        if job is not self._job:
            return
        self._job = None  # asked again at the next new row (the server may be gone)
        log.info("no ids reserved ahead: %s", exc)
        self._tell(False)

    def _tell(self, arrived: bool) -> None:
        waiting, self._then = self._then, []
        for then in waiting:
            then(arrived)


def dead_connection(exc: BaseException | None) -> bool:
    """True for a failure of a pooled connection the server had already dropped: the pool
    is emptied, and a new connection may well work (worth one more try)."""
    from sqlalchemy.exc import DBAPIError

    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def write(
    session: Session,
    entries: list[Entry],
    store: Store | None = None,
    marker: tuple[str, str] | None = None,
) -> Outcome:
    """Apply ``entries`` through the conflict rules and commit; the new version counters of
    the rows written and the conflicts, as plain values. With ``store`` (the team database's),
    many rows changed alike (a renumbered list) go as one statement (``storage.bulk``). With
    ``marker`` (setting, batch: the offline outbox's), the batch is recorded as landed in the
    same transaction (``storage.outbox.mark``)."""
    from sqlalchemy.orm.exc import StaleDataError

    from sprintdesk.storage.bulk import flush_in_bulk

    result = _replay(session, entries, marker)
    # Held here: after the commit the session keeps its rows only weakly, and a row nothing
    # else refers to would be gone before its new counter is read.
    rows = [_row(session, entry.table, entry.key) for entry in entries]
    if store is not None:
        tell = store.notifier.tell if store.notifier is not None else None
        try:
            flush_in_bulk(session, by=store.changed_by, tell=tell)
        except StaleDataError:
            # Somebody saved one of these rows since it was read: all over again, the
            # ordinary way, so the conflict rules see their change.
            log.info("rows changed meanwhile; saving the batch row by row")
            session.rollback()
            result = _replay(session, entries, marker)
            rows = [_row(session, entry.table, entry.key) for entry in entries]
    conflicts = result.conflicts + commit_merging(session)
    outcome = Outcome()
    for entry, row in zip(entries, rows, strict=True):
        if row is not None and sa_inspect(row).persistent and hasattr(row, "version"):
            outcome.versions[(entry.table, _hashable(entry.key))] = row.version
            outcome.stamps[(entry.table, _hashable(entry.key))] = stamp_of(row)
    for conflict in conflicts:
        state = sa_inspect(conflict.obj)
        key = state.identity[0] if state.identity else None
        if conflict.field is None and isinstance(conflict.mine, dict):
            key = conflict.mine.get("id", key)
        table = type(conflict.obj).__tablename__
        outcome.conflicts.append(
            Conflict(
                table, key, conflict.field, conflict.mine, conflict.theirs, conflict.by, conflict.at
            )
        )
    return outcome


def _replay(session: Session, entries: list[Entry], marker: tuple[str, str] | None) -> Any:
    result = replay(session, entries)
    if marker is not None:
        from sprintdesk.plan import settings as db_settings

        with session.no_autoflush:
            db_settings.put(session, *marker)
    return result


@cache  # the mappings never change while running; looked up once per entry
def _classes() -> dict[str, type[Any]]:
    return {
        mapper.class_.__tablename__: mapper.class_
        for mapper in model.Base.registry.mappers
        if hasattr(mapper.class_, "__tablename__")
    }


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


def _row(session: Session, table: str, key: Any) -> Any:
    cls = _classes().get(table)
    if cls is None:
        return None
    return session.identity_map.get(identity_key(cls, _hashable(key)))


def lookup(session: Session, table: str, key: Any) -> Any:
    """The document's own object for a row, if it holds it."""
    return _row(session, table, key)


def settle(session: Session, entries: Iterable[Entry]) -> None:
    """The batch is on its way: its fields count as saved in the document's session (its
    own flush will not send them again)."""
    for entry in entries:
        obj = lookup(session, entry.table, entry.key)
        if obj is not None and entry.field is not None:
            set_committed_value(obj, entry.field, getattr(obj, entry.field))


def unsettle(session: Session, entries: Iterable[Entry]) -> None:
    """The batch did not land: its fields are unsaved edits again, against the values they
    had when read (whatever was typed since stays on top)."""
    with session.no_autoflush:
        for entry in entries:
            obj = lookup(session, entry.table, entry.key)
            if obj is None or entry.field is None:
                continue
            current = getattr(obj, entry.field)
            set_committed_value(obj, entry.field, decode(entry.base))
            setattr(obj, entry.field, current)


def absorb(session: Session, outcome: Outcome) -> list[Any]:
    """The batch landed: the document's rows take their new version counters; conflicts come
    back as ``storage.conflicts.FieldConflict`` on the document's own objects (theirs shown,
    unless this person has typed in that field since)."""
    from sprintdesk.storage.conflicts import FieldConflict

    for (table, key), version in outcome.versions.items():
        obj = lookup(session, table, key)
        if obj is not None:
            set_committed_value(obj, "version", version)
            stamp = outcome.stamps.get((table, key))
            if stamp is not None:
                set_committed_value(obj, "changed_by", stamp[0])
                set_committed_value(obj, "changed_at", stamp[1])
    found: list[Any] = []
    for conflict in outcome.conflicts:
        obj = lookup(session, conflict.table, conflict.key)
        if obj is None:
            continue
        field = conflict.field
        if field is not None and not sa_inspect(obj).attrs[field].history.has_changes():
            set_committed_value(obj, field, conflict.theirs)
        found.append(
            FieldConflict(
                obj, conflict.field, conflict.mine, conflict.theirs, conflict.by, conflict.at
            )
        )
    return found
