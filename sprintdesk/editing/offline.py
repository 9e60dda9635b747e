"""Working on without the team database: the offline outbox, the look-out for the server and
the replay of what waited, owned by the document (:class:`Offline`).

On a team database a save that finds the server gone (stopped, network cut) does not lose or
block anything: the document goes offline (state "offline"), keeps every object as it was read
(no reload is possible), journals the waiting edits in the outbox file
(:mod:`sprintdesk.storage.outbox`) at every edit, and looks for the server from a worker thread.
When it answers, the edits are committed through the conflict rules and the outbox emptied; an
outbox left by a killed SprintDesk is replayed when the next one opens a sprint. A role that may
only read ("refused") keeps its edits the same way, and stops sending them.

A team's members are changed beside the plan (the roster): :meth:`Offline.hold_members` keeps
such a change in the outbox too while the server is away (or when saving it finds the server
gone), and it is committed with the plan's waiting edits when the server is back; so does
:meth:`Offline.hold_team` for a team added there or on the welcome page,
:meth:`Offline.hold_time_off` and :meth:`Offline.hold_removals` for days off added or removed in
the availability window, and :meth:`Offline.hold_person` for a person added in the roster. The
windows list what waits (:meth:`Offline.waiting_beside`) until it has landed.

The document is reached through :class:`DocumentHost` only: its session, its save state and
:meth:`DocumentHost.save_now`, and how long to wait between looks for the server.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from sprintdesk.editing.pending import Pending, put_back
from sprintdesk.storage.conflicts import commit_merging
from sprintdesk.storage.outbox import Entry, Outbox
from sprintdesk.storage.store import Store

log = logging.getLogger(__name__)

Loaded = list[tuple[Any, dict[str, Any], dict[str, Any]]]


class DocumentHost(Protocol):
    """What :class:`Offline` needs of the document that owns it."""

    session: Session
    autoflush: bool  # the session's own setting when it may write (False on a team database)
    state: str
    last_error: str

    def set_state(self, state: str) -> None: ...

    def save_now(self) -> bool: ...

    def send_waiting(self) -> bool: ...

    def probe_delay(self, failures: int) -> int: ...


class Offline(QObject):
    """The outbox of a team database and being offline or refused.

    Signals:
        outboxChanged(int): how many changes wait in the outbox (0: none).
        refused(str): the server refused to save (a role that may only read); the message
            names the missing permission.
        conflictsFound(list): replaying the outbox found same-field conflicts.
    """

    outboxChanged = Signal(int)
    refused = Signal(str)
    conflictsFound = Signal(list)

    def __init__(
        self, host: DocumentHost, store: Store, pool: QThreadPool | None, *, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._host = host
        self._store = store
        self._pool = pool  # the writer's thread: the look-out runs there (see _probe_server)
        self.offline = False
        self.read_only = False  # the server refused to save: this role may only read
        self.outbox: Outbox | None = None
        self.replayed = False
        # Changes beside the plan (a team's members) waiting with the plan's edits.
        self._beside: list[Entry] = []
        self._probe_failures = 0
        self._probe_job: Any = None
        self._probe = QTimer(self)
        self._probe.setSingleShot(True)
        self._probe.timeout.connect(self._probe_server)
        if store.is_server:
            from sprintdesk.storage.outbox import outbox_path
            from sprintdesk.system.paths import resolve_data_dir

            folder = store.data_dir or resolve_data_dir()
            self.outbox = Outbox(outbox_path(store.url, folder))

    @property
    def held(self) -> bool:
        """Nothing can be sent now (offline or refused): edits go to the outbox."""
        return self.offline or self.read_only

    @property
    def beside(self) -> list[Entry]:
        """The changes beside the plan waiting in the outbox (sent with the plan's)."""
        return list(self._beside)

    @property
    def waiting(self) -> int:
        """How many changes wait in the outbox."""
        return self.outbox.count() if self.outbox is not None else 0

    def status_text(self) -> str:
        """Offline: what the status bar says (how many changes are waiting); back online,
        while the outbox is on its way to the server, how many it still holds."""
        from PySide6.QtCore import QCoreApplication

        count = self.waiting
        if self.offline or self.read_only:
            text, one = "Offline — %n changes waiting", "Offline — %n change waiting"
        else:
            text, one = "Sending — %n changes waiting", "Sending — %n change waiting"
        translated = QCoreApplication.translate("PlanDocument", text, None, count)
        if translated != text.replace("%n", str(count)):
            return translated  # a translator gave the right plural form for count
        return (one if count == 1 else text).replace("%n", str(count))

    def journal(self) -> None:
        """Write every edit not yet committed to the outbox file (durably)."""
        if self.outbox is None:
            return
        entries = self.outbox.capture(self._host.session) + self._beside
        before = self.outbox.count()
        try:
            self.outbox.write(entries)
        except OSError as exc:  # pragma: no cover - the data folder itself failing
            log.error("cannot write the offline outbox %s: %s", self.outbox.path, exc)
            return
        state = "refused" if self.read_only else "offline"
        if len(entries) != before or self._host.state != state:
            self._host.set_state(state)
            self.outboxChanged.emit(len(entries))

    # --- around a commit --------------------------------------------------------------------

    def keep(self) -> Loaded | None:
        """Before a commit on a team database (None elsewhere): every object's loaded values
        and the values they were read with, so that a save that finds the server gone can put
        them back (rolling back forgets them all)."""
        if self.outbox is None:
            return None
        kept: Loaded = []
        for state in self._host.session.identity_map.all_states():
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

    def mark(self) -> None:
        """In the commit's transaction: the outbox's batch is in it (a kill after the commit
        must not replay it again), and so are the changes beside the plan that waited."""
        if self.outbox is not None and self.outbox.count():
            from sprintdesk.storage.outbox import mark, replay

            if self._beside:
                replay(self._host.session, self._beside)
            mark(self._host.session, self.outbox)

    def landed(self) -> None:
        """The commit landed: what waited in the outbox is on the server."""
        self._beside = []
        if self.outbox is not None and self.outbox.count():
            self.outbox.clear()
            self.outboxChanged.emit(0)

    def hold_members(
        self, team_id: int, mine: list[int], base: list[int], exc: BaseException | None = None
    ) -> bool:
        """A team's members changed (person ids ``base`` as read, ``mine`` as chosen): True when
        the change waits in the outbox, because the server is away or refusing, or because
        saving it just failed with ``exc`` for that reason (now offline or read-only). False:
        save it the ordinary way (or, with ``exc``, the failure is not the server's)."""
        from sprintdesk.storage.outbox import members_entry, merge_members

        entry = members_entry(team_id, mine, base)
        return self._hold(lambda waiting: merge_members(entry, waiting), exc)

    def hold_team(self, name: str, member_ids: list[int], exc: BaseException | None = None) -> bool:
        """A team called ``name`` (cleaned) added with the people ``member_ids``: True when it
        waits in the outbox (as :meth:`hold_members`); replayed, it is added, or merged into a
        team of the same name somebody added meanwhile."""
        from sprintdesk.storage.outbox import merge_team, team_entry

        entry = team_entry(name, member_ids)
        return self._hold(lambda waiting: merge_team(entry, waiting), exc)

    def hold_time_off(
        self,
        sprint_id: int,
        person_id: int,
        start: date,
        end: date,
        *,
        half_day: bool = False,
        note: str = "",
        exc: BaseException | None = None,
    ) -> bool:
        """Days off added beside the plan: True when they wait in the outbox (as
        :meth:`hold_members`). Dates that could never be saved raise ``RosterError`` (the
        sprint's own dates are checked when the sprint is loaded here)."""
        from sprintdesk.storage.outbox import time_off_entry

        self._check_time_off(sprint_id, start, end)
        entry = time_off_entry(sprint_id, person_id, start, end, half_day=half_day, note=note)
        return self._hold(lambda waiting: [*waiting, entry], exc)

    def _check_time_off(self, sprint_id: int, start: date, end: date) -> None:
        """The checks ``roster.add_time_off`` makes, against the sprint as read (offline no
        other copy can be read)."""
        from sqlalchemy.orm.util import identity_key

        from sprintdesk.plan import roster
        from sprintdesk.plan.model import Sprint

        sprint = self._host.session.identity_map.get(identity_key(Sprint, sprint_id))
        first, last = (sprint.start, sprint.end) if sprint is not None else (None, None)
        roster.check_time_off(start, end, first, last)

    def hold_removals(
        self, ids: list[int], keys: list[str], exc: BaseException | None = None
    ) -> bool:
        """Days off removed beside the plan: the rows ``ids`` (on the server) are deleted when
        it is back, the waiting ones ``keys`` (added offline) are dropped from the outbox.
        True when that is how it was kept (as :meth:`hold_members`)."""

        def add(waiting: list[Entry]) -> list[Entry]:
            kept = [entry for entry in waiting if str(entry.key) not in set(keys)]
            removals = [Entry("delete", "time_off", row_id) for row_id in ids]
            known = {entry.ident for entry in kept}
            return kept + [entry for entry in removals if entry.ident not in known]

        return self._hold(add, exc)

    def hold_person(
        self, name: str, login: str | None, role: str, exc: BaseException | None = None
    ) -> bool:
        """A person added beside the plan (fields already cleaned): True when they wait in the
        outbox (as :meth:`hold_members`); replayed, the person is added, or is the person with
        the same login (or, without one, the same name) somebody added meanwhile."""
        from sprintdesk.storage.outbox import merge_person, person_entry

        entry = person_entry(name, login, role)
        return self._hold(lambda waiting: merge_person(entry, waiting), exc)

    def waiting_beside(self, kind: str, table: str) -> list[tuple[Any, dict[str, Any]]]:
        """The changes beside the plan of ``kind`` ("timeoff", "person", "delete"...) to
        ``table`` that wait in the outbox, in the order made: each one's key (a local key, or
        the id of the row deleted) and its values (dates as dates)."""
        from sprintdesk.storage.outbox import decode

        return [
            (entry.key, {key: decode(value) for key, value in entry.values.items()})
            for entry in self._beside
            if entry.kind == kind and entry.table == table
        ]

    def _hold(self, add: Callable[[list[Entry]], list[Entry]], exc: BaseException | None) -> bool:
        """Keep a change beside the plan (``add`` puts it among the waiting ones) in the
        outbox when nothing can be sent now, or when ``exc`` (a failed save) says the server
        is gone or refusing; False: save it the ordinary way."""
        if self.outbox is None:
            return False
        if not self.held:
            if not isinstance(exc, SQLAlchemyError):
                return False
            loaded = self.keep()
            assert loaded is not None
            from sprintdesk.editing.pending import snapshot

            if not self.failed(loaded, snapshot(self._host.session), exc):
                return False
        self._beside = add(self._beside)
        self.journal()
        return True

    def failed(self, loaded: Loaded | None, pending: Pending, exc: SQLAlchemyError) -> bool:
        """A commit failed: True when it was the team database gone (now offline) or refusing
        (now read-only), handled here; False for any other failure (the document's)."""
        if loaded is None:
            return False
        if _server_gone(exc, self._store.url):
            self._go_offline(loaded, pending, exc)
            return True
        refusal = _refusal(exc, self._store.url)
        if refusal is not None:
            self._refuse(loaded, pending, refusal)
            return True
        return False

    def put_back(self, loaded: Loaded, pending: Pending) -> None:
        """A commit failed: the session as it was before it (see :meth:`_restore`)."""
        self._restore(loaded, pending)

    def _restore(self, loaded: Loaded, pending: Pending) -> None:
        """After a commit the server could not take: roll back, then put every object back as
        it was read (rolling back expired them all, and they may not be readable now) and this
        user's edits on top, with their history, so the conflict rules see them later."""
        from sqlalchemy.orm.base import NEVER_SET, NO_VALUE

        session = self._host.session
        try:
            session.rollback()
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
        put_back(session, pending)
        session.autoflush = False  # a lazy load must not try to write

    def _go_offline(self, loaded: Loaded, pending: Pending, exc: SQLAlchemyError) -> None:
        log.warning("team database unreachable, working offline: %s", exc)
        self._restore(loaded, pending)
        self.offline = True
        self._host.last_error = str(exc)
        self.journal()
        self._host.set_state("offline")
        self.outboxChanged.emit(self.waiting)
        self._probe_failures = 0
        self._probe.start(self._host.probe_delay(0))

    def _refuse(self, loaded: Loaded, pending: Pending, message: str) -> None:
        """The database role may only read: keep the edits (here and in the outbox, so they
        can be exported) and stop sending them; the message names the missing permission."""
        log.warning("team database refused the save: %s", message)
        self._restore(loaded, pending)
        self.read_only = True
        self._host.last_error = message
        self.journal()
        self._host.set_state("refused")
        self.outboxChanged.emit(self.waiting)
        self.refused.emit(message)

    # --- the look-out for the server ------------------------------------------------------

    def _probe_server(self) -> None:
        """Offline: ask the server for ``SELECT 1`` from a worker thread (a cut network may
        take the connect timeout to answer; the window must not wait for it)."""
        if not self.offline or self._probe_job is not None:
            return
        from sprintdesk.editing.jobs import BackgroundJob

        engine = self._store.engine

        def ping(_report: Any) -> bool:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True

        job = self._probe_job = BackgroundJob(ping)
        job.signals.finished.connect(self._probe_answered)
        job.signals.failed.connect(self._probe_failed)
        # On the writer's own thread: closing the document waits for it, so no connection
        # outlives the store.
        assert self._pool is not None
        self._pool.start(job)

    def _probe_answered(self, _result: object) -> None:
        self._probe_job = None
        if self.offline:
            self.try_online()

    def _probe_failed(self, _exc: object) -> None:
        self._probe_job = None
        if self.offline:
            self._probe_failures += 1
            self._probe.start(self._host.probe_delay(self._probe_failures))

    def try_online(self) -> bool:
        """The server seems back: send what waited (through the conflict rules). On a team
        database the outbox goes to the writer thread, before any edit made from now on, and
        the window does not wait (True; it stays counted as waiting until it has landed, and
        a failure there is saved the ordinary way, offline again if the server went);
        otherwise it is committed here: True when it landed, else the document stays
        offline."""
        if not self.offline:
            return True
        self._probe.stop()
        self.offline = False
        self._host.session.autoflush = self._host.autoflush
        self._host.set_state("pending")
        if self._host.send_waiting():
            return True
        ok = self._host.save_now()
        if not ok and not self.offline and self._host.state != "error":
            self._host.set_state("saved")
        return not self.offline

    def replay(self) -> list[Any]:
        """Commit what a SprintDesk that was killed while offline left in the outbox, through
        the conflict rules (same-field conflicts are reported with ``conflictsFound``). An
        outbox whose batch already landed (killed after committing) is only emptied."""
        self.replayed = True
        if self.outbox is None or not self.outbox.count():
            return []
        from sprintdesk.storage.outbox import already_applied, mark, replay

        session = self._host.session
        try:
            if already_applied(session, self.outbox):
                conflicts: list[Any] = []
            else:
                result = replay(session, self.outbox.entries())
                mark(session, self.outbox)
                conflicts = result.conflicts + commit_merging(session)
        except SQLAlchemyError as exc:
            log.warning("replaying the offline outbox failed (kept for later): %s", exc)
            session.rollback()
            return []
        log.info("replayed %d waiting changes from %s", self.outbox.count(), self.outbox.path)
        self.outbox.clear()
        self.outboxChanged.emit(0)
        if conflicts:
            QTimer.singleShot(0, lambda: self.conflictsFound.emit(conflicts))
        return conflicts

    def stop(self) -> None:
        """The document closes: no more looking for the server."""
        self._probe.stop()

    def close(self) -> None:
        """The document closed (its writer thread done): let go of the outbox file."""
        if self.outbox is not None:
            self.outbox.close()


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
