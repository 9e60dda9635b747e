"""The open sprint: one database session, the undo stack and autosave.

Every edit in the UI goes through :class:`PlanDocument`: it is applied to the mapped objects at
once, pushed on the ``QUndoStack`` (so Ctrl+Z works everywhere) and committed by a short
single-shot timer, so what the user typed is on disk within half a second. There is no Save
button. A failed commit (disk full, read-only file) keeps the edits in memory, reports the
problem and retries on the next edit. Before the first save after an hour of work the database
file is backed up as it was (:func:`sprintdesk.storage.backups.hourly_backup`), so a
corruption later in the day loses at most about an hour.

Signals:
    changed(): an edit was applied, undone or redone (or a reload was applied).
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

The document keeps the session, editing and undo, and the public interface; its parts are
objects it owns:

* :class:`sprintdesk.editing.loading.Loading`: opening a sprint, reads only the team database
  can answer (:class:`OfflineError` while it cannot be reached), somebody else's changes
  applied;
* :class:`sprintdesk.editing.saving.Saving`: when and how edits are saved (the autosave timer,
  the hand-over to the writer, the commit here, its retry, the hourly backup) and the reload
  that waits for the writer;
* on a team database, :class:`sprintdesk.editing.writer.WriteBehind`: the writer thread that
  commits edits behind the window (changed fields, new and deleted rows, changed links; new
  rows take ids the server handed out ahead of time, see :mod:`sprintdesk.editing.structure`);
* :class:`sprintdesk.editing.offline.Offline`: a save that finds the server gone or refusing
  puts the edits in the offline outbox instead of losing them (going offline, the look-out for
  the server, the replay through the conflict rules).

Views beside the open sprint (the welcome page, the preview, the tool windows: roster,
availability, capacity, history) receive the document too, never the store: they read with
:meth:`PlanDocument.read` (a short session of their own, safe on a worker thread) and write
with :meth:`PlanDocument.write` (the plan's edits saved first, then one committed unit of work).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from sprintdesk.editing.commands import FunctionCommand, SetAttrCommand, renumber, revive
from sprintdesk.editing.loading import Loading, OfflineError
from sprintdesk.editing.offline import Offline
from sprintdesk.editing.saving import Saving
from sprintdesk.editing.writer import WriteBehind
from sprintdesk.plan.model import Sprint
from sprintdesk.storage.conflicts import resolve
from sprintdesk.storage.outbox import Outbox
from sprintdesk.storage.store import Store, StoreError, storage_error

__all__ = ["OfflineError", "PlanDocument", "SaveError"]

log = logging.getLogger(__name__)

AUTOSAVE_DELAY_MS = 250  # well inside the half second promised to the user
RETRY_DELAY_MS = 5000  # after a failed save (disk full, file locked): try again this often
PROBE_DELAYS_MS = (500, 1000, 2000, 5000)  # offline: look for the server again after these


class SaveError(Exception):
    """A write beside the plan (:meth:`PlanDocument.write`) failed: disk full, read-only, busy.
    The message is meant for the user; nothing of that write was kept."""


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
        # On a team database the window's session only reads: its edits are captured and
        # sent by the writer thread (or saved through save_now, which flushes explicitly). A
        # lazy load that flushed an edit here would leave it uncommitted on this connection,
        # holding the row's lock against every other writer, this window's own included.
        self.autoflush = not store.is_server
        self.session.autoflush = self.autoflush
        self.sprint: Sprint | None = None
        self.undo_stack = QUndoStack(self)
        self.state = "saved"
        self.last_error = ""
        # A team database: edits are committed behind the window, one batch at a time in
        # the order made (editing.writer); the offline outbox (editing.offline).
        self._behind = WriteBehind(store, parent=self) if store.is_server else None
        pool = self._behind.pool if self._behind is not None else None
        self._offline = Offline(self, store, pool, parent=self)
        self._offline.outboxChanged.connect(self.outboxChanged)
        self._offline.refused.connect(self.saveFailed)
        self._offline.conflictsFound.connect(self.conflictsFound)
        self._loading = Loading(self, self._offline)
        self._saving = Saving(
            self,
            self._behind,
            self._offline,
            autosave_ms=AUTOSAVE_DELAY_MS,
            retry_ms=RETRY_DELAY_MS,
        )

    @property
    def offline(self) -> bool:
        """The team database could not be reached: edits wait in the outbox."""
        return self._offline.offline

    @property
    def read_only(self) -> bool:
        """The team database refused to save: this role may only read."""
        return self._offline.read_only

    @property
    def waiting(self) -> int:
        """How many changes wait in the offline outbox (also while it is on its way)."""
        return self._offline.waiting

    @property
    def outbox(self) -> Outbox | None:
        """The offline outbox of a team database (None on this computer's database)."""
        return self._offline.outbox

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

    def write_later(
        self,
        work: Callable[[Session], Any],
        *,
        landed: Callable[[Any], None],
        failed: Callable[[str], None],
        owner: QObject | None = None,
        hold: Callable[[], bool] | None = None,
    ) -> None:
        """:meth:`write` without waiting on a team database: ``work(session)`` runs in a short
        unit of work on the writer thread, after the plan's edits on their way, and
        ``landed(result)`` or ``failed(message)`` is called on the UI thread (``work`` returns
        plain values: its objects belong to the writer's session). Offline, or when the server
        turns out to be gone, ``failed`` says so and nothing is written; the domain's errors
        (``RosterError``...) come to ``failed`` as their message. On this computer's database
        it runs here at once (editing.beside). ``owner`` (the window): its callbacks are
        skipped once it is gone. ``hold()``: offline, keeps the change in the outbox instead
        of refusing it (through :attr:`beside`)."""
        from sprintdesk.editing.beside import write_later

        pool = self._behind.pool if self._behind is not None else None
        write_later(self, pool, work, landed, failed, owner, hold)

    @property
    def beside(self) -> Offline:
        """The offline outbox's changes beside the plan (days off, new people) for the tool
        windows: ``hold_time_off``, ``hold_removals``, ``hold_person``, ``waiting_beside``."""
        return self._offline

    def read_later(
        self,
        work: Callable[[Session], Any],
        *,
        landed: Callable[[Any], None],
        failed: Callable[[str], None],
        owner: QObject | None = None,
    ) -> None:
        """:meth:`read` without waiting, the twin of :meth:`write_later`: on a team database
        ``work(session)`` runs on the writer thread (after the saves asked for before it) in a
        session that is never committed, and returns plain values for ``landed`` on the UI
        thread; ``failed(message)`` when it could not read (offline: at once). On this
        computer's database it runs here at once (editing.beside)."""
        from sprintdesk.editing.beside import read_later

        pool = self._behind.pool if self._behind is not None else None
        read_later(self, pool, work, landed, failed, owner)

    def hold_members(
        self, team_id: int, mine: list[int], base: list[int], exc: BaseException | None = None
    ) -> bool:
        """A team's members changed beside the plan: True when the change waits in the offline
        outbox for the team database (editing.offline.Offline.hold_members)."""
        return self._offline.hold_members(team_id, mine, base, exc)

    def hold_team(self, name: str, member_ids: list[int], exc: BaseException | None = None) -> bool:
        """A team added beside the plan: True when it waits in the offline outbox for the
        team database (editing.offline.Offline.hold_team)."""
        return self._offline.hold_team(name, member_ids, exc)

    # --- opening and reading (editing.loading) ----------------------------------------------

    def open_sprint(self, sprint_id: int) -> Sprint:
        """Open a sprint (the current one's edits sent first; on a team database without
        waiting for them). Offline, a sprint not open cannot be read: :class:`OfflineError`
        says so and keeps everything as it is."""
        needs = self.tr(
            "Opening another sprint needs the team database, which cannot be reached now. "
            "Your edits are kept on this computer and sent when it is back."
        )
        self.send()
        self._saving.wait_for_ids()  # new rows waiting for their ids go behind the window
        sprint = self._loading.load(sprint_id, needs)
        self.sprint = sprint
        if self._behind is not None:
            self._behind.ids.top_up()  # ids for the rows the user may add (editing.structure)
        self.undo_stack.clear()
        self.sprintOpened.emit(sprint_id)
        return sprint

    def meeting_elsewhere(self) -> Sprint | None:
        """Another sprint whose meeting is still running (one meeting at a time). Offline it
        cannot be known: :class:`OfflineError`."""
        from sqlalchemy import select

        from sprintdesk.plan.meeting import IN_MEETING

        current = self.sprint.id if self.sprint is not None else None
        needs = self.tr(
            "Whether another sprint's meeting is still running cannot be checked while the "
            "team database cannot be reached."
        )
        with self._loading.online_read(needs):
            return self.session.scalar(
                select(Sprint).where(Sprint.state == IN_MEETING, Sprint.id != current).limit(1)
            )

    def reload(self) -> None:
        """See what another writer (a dialog, an import, a pull) committed: save our edits, end
        the read transaction (SQLite readers keep a snapshot) and forget cached values.

        Offline, the server is tried first (a reconnected listener asks for this); while it
        stays away nothing is reloaded (nothing could be). On a team database the window does
        not wait for edits on their way: the reload is applied once they have landed
        (``changed`` says so then)."""
        if self.offline and not self.try_online():
            return
        self._saving.reload()

    def apply_remote(self, changes: list[Any]) -> bool:
        """Show what somebody else committed on a team database (``storage.live.Change``
        rows). The changed rows are read on a worker thread with a connection of its own and
        applied here without a query (``storage.refresh``): the window never waits on the
        network. The undo stack and the edits still waiting to be saved stay this user's.
        True when rows of the open sprint were asked for (``changed`` follows once they are
        in; ``remoteApplied`` in any case)."""
        return self._loading.apply_remote(changes)

    # --- editing --------------------------------------------------------------------------

    def set_attr(self, obj: Any, attr: str, value: Any, text: str | None = None) -> None:
        """Change ``obj.attr`` as an undoable edit (no-op when the value is the same)."""
        if getattr(obj, attr) == value:
            return
        self.undo_stack.push(SetAttrCommand(self, obj, attr, value, text or f"Edit {attr}"))

    def edit(self, text: str, apply: Callable[[], None], revert: Callable[[], None]) -> None:
        """Any undoable edit given as a pair of functions; ``apply`` runs now."""
        self.undo_stack.push(FunctionCommand(self, text, apply, revert))

    def insert_row(
        self, collection: list[Any], obj: Any, index: int | None = None, text: str = "Add"
    ) -> None:
        """Insert a new mapped object into a relationship list, undoably; positions follow."""
        where = len(collection) if index is None else index

        def apply() -> None:
            revive(obj)
            collection.insert(where, obj)
            renumber(collection)

        def revert() -> None:
            collection.remove(obj)
            renumber(collection)

        self.edit(text, apply, revert)

    def remove_row(self, collection: list[Any], obj: Any, text: str = "Delete") -> None:
        """Remove a mapped object from a relationship list (deleting it), undoably."""
        where = collection.index(obj)

        def apply() -> None:
            collection.remove(obj)
            renumber(collection)

        def revert() -> None:
            revive(obj)
            collection.insert(where, obj)
            renumber(collection)

        self.edit(text, apply, revert)

    def move_row(self, collection: list[Any], old: int, new: int, text: str = "Move") -> None:
        """Move an entry of a relationship list, undoably (positions are renumbered)."""
        if old == new or not (0 <= new < len(collection)):
            return

        def shift(src: int, dst: int) -> Callable[[], None]:
            def run() -> None:
                item = collection.pop(src)
                collection.insert(dst, item)
                renumber(collection)

            return run

        self.edit(text, shift(old, new), shift(new, old))

    def mark_dirty(self) -> None:
        """Schedule a commit for a change made outside the undo stack (e.g. the clock)."""
        self.after_edit(emit=False)

    # --- saving (editing.saving) -----------------------------------------------------------

    def after_edit(self, *, emit: bool = True) -> None:
        """An edit was applied, undone or redone: save it soon (or journal it, offline)."""
        if self._offline.held:
            # Nothing can be sent: the edit is on disk in the outbox before the call returns.
            self._offline.journal()
        else:
            self.set_state("pending")
            self._saving.timer.start()
        if emit:
            self.changed.emit()

    def autosave(self) -> None:
        """What the autosave timer runs. On a team database the edits go to the writer thread
        (changed fields, new rows with ids given ahead of time, deleted rows, changed links):
        the window does not wait for the network; new rows wait there for their ids when
        those have not come yet. Anything else (this computer's database, offline, a person's
        teams) is saved here."""
        self._saving.autosave()

    def send(self) -> None:
        """Send the edits not yet saved without waiting for them where they can go behind the
        window (opening another sprint), else save them here."""
        self._saving.send()

    def save_now(self) -> bool:
        """Commit now; returns False (and keeps the edits in memory) when the commit fails."""
        return self._saving.save_now()

    def resolve_conflict(self, conflict: Any, *, keep_mine: bool) -> None:
        """Apply the person's choice for a same-field conflict (keep mine / take theirs)."""
        more = resolve(self.session, conflict, keep_mine=keep_mine)
        self.changed.emit()
        if more:
            self.conflictsFound.emit(more)

    # --- offline (team database: editing.offline) ------------------------------------------

    def status_text(self) -> str:
        """Offline: what the status bar says (how many changes are waiting)."""
        return self._offline.status_text()

    def probe_delay(self, failures: int) -> int:
        """Offline: how long (ms) to wait before looking for the server again, after
        ``failures`` looks that found nothing (the save timings all live here)."""
        return PROBE_DELAYS_MS[min(failures, len(PROBE_DELAYS_MS) - 1)]

    def send_waiting(self) -> bool:
        """Back online: the offline outbox goes to the writer thread (see
        :meth:`Saving.send_waiting`); False when it must be saved here."""
        return self._saving.send_waiting()

    def try_online(self) -> bool:
        """The server seems back: commit what waited (through the conflict rules). True
        when it landed; otherwise the document stays offline."""
        return self._offline.try_online()

    def replay_outbox(self) -> list[Any]:
        """Commit what a SprintDesk that was killed while offline left in the outbox, through
        the conflict rules (same-field conflicts are reported with ``conflictsFound``)."""
        return self._offline.replay()

    def export_markdown(self) -> str:
        """The open sprint as markdown as this window has it, edits not yet saved included
        (what a read-only role typed can still be taken away)."""
        from sprintdesk.markdown.render import render_markdown_file, render_plan

        if self.sprint is None:
            return ""
        with self.session.no_autoflush:
            return render_markdown_file(render_plan(self.sprint))

    def set_state(self, state: str) -> None:
        """ "saved", "pending", "error", "offline" or "refused" (``stateChanged`` if new)."""
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)

    def close(self) -> bool:
        self._loading.stop()
        self._saving.stop()
        self._offline.stop()
        ok = self.save_now()
        self._saving.closed = True
        if self._behind is not None:
            self._behind.pool.waitForDone()  # a look-out for the server may still be on its way
        try:
            self.session.close()  # ends the window's read transaction: a rollback
        except SQLAlchemyError as exc:
            # The team database went away under a read transaction: nothing of ours was in it
            # (edits are saved above, or kept in the outbox), so the connection is dropped.
            log.info("closing on a connection the server dropped: %s", exc)
            self.session.invalidate()
        self._offline.close()
        return ok
