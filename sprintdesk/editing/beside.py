"""Reads and writes beside the plan without waiting (the tool windows: time off, people,
teams): on a team database a unit of work runs on the document's writer thread, after the
plan's edits on their way, and its result or a message for the user comes back on the UI thread.

:meth:`sprintdesk.editing.document.PlanDocument.write_later` and its twin
:meth:`~sprintdesk.editing.document.PlanDocument.read_later` are the ways in. The writer thread
is the document's one (``editing.writer``), so a tool window's save lands in order with the
plan's edits, and a read asked for after a save sees it. Work done there returns plain values
(tuples, dataclasses), never the session's objects. Offline nothing is sent: a window that can
keep the change in the offline outbox passes ``hold`` (it journals the change, e.g. with
``Offline.hold_time_off``, and says it will be saved once the team database is back), which is
called instead of refusing, also when the save finds the server gone (then even after the
window closed: ``hold`` must leave a closed window alone); without ``hold`` the window is told,
and keeps what was typed. A read offline is refused at once; the window shows what it read
before. On this computer's database the work runs at once, as :meth:`PlanDocument.write` and
:meth:`PlanDocument.read` always did.

A save on a team database also hands back what it committed: the ``storage.live.Change`` rows
its flushes queued for the commit's NOTIFY (the same set the other windows hear). They go out
on the :func:`written` signal before ``landed`` is called (also when the window closed
meanwhile); the shell applies them to the open plan as somebody else's changes are applied
(``PlanDocument.apply_remote``: the rows are read off the UI thread) instead of reloading
everything on the UI thread. A save that changed a many-to-many link (a team's members) is not
told that way (no row of its own carries it): the window that saved then has the plan read
again, as after any other writer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal
from shiboken6 import isValid
from sqlalchemy import event, inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from sprintdesk.editing.jobs import BackgroundJob, Report
from sprintdesk.plan.planning import PlanError
from sprintdesk.plan.roster import RosterError
from sprintdesk.storage.live import PENDING, Change, parse_payload
from sprintdesk.storage.store import StoreError, storage_error

log = logging.getLogger(__name__)

# Jobs on their way: the pool does not own them (BackgroundJob is not auto-deleted), so they
# are held here until they have reported.
_running: set[BackgroundJob] = set()


def _tr(text: str) -> str:
    return QCoreApplication.translate("PlanDocument", text)


class Written(QObject):
    """Where the saves beside the plan say what they committed, on the UI thread.

    Signals:
        written(object, list): the document and the ``storage.live.Change`` rows one save
            committed; emitted as it lands, before its ``landed`` (also when its window has
            closed meanwhile)."""

    written = Signal(object, list)


_written: Written | None = None


def written() -> Written:
    """The one :class:`Written` (the shell listens to it)."""
    global _written
    if _written is None:
        _written = Written()
    return _written


def _links_changed(session: Session) -> bool:
    """A flush is about to change a many-to-many link (a team's members): no row of its own
    says so, and applying the rows does not bring it in (``storage.refresh``)."""
    for obj in session.dirty:
        state = inspect(obj)
        for rel in state.mapper.relationships:
            if rel.secondary is not None and state.attrs[rel.key].history.has_changes():
                return True
    return False


def _committing(session: Session, links: bool) -> list[Change] | None:
    """What the unit of work's flushes (and ``Notifier.tell``) queued for the commit's NOTIFY:
    the rows it changed, as the other windows will hear of them (flushed here first, so the
    last changes are in). None when that does not say everything (``links``: a many-to-many
    link changed): the open plan is then read again."""
    session.flush()
    if links:
        return None
    if not session.in_transaction():
        return []
    pending = session.connection().info.get(PENDING) or []
    return [change for payload in pending for change in parse_payload(payload)]


def write_later(
    doc: Any,  # the PlanDocument (editing.document imports this module, not the reverse)
    pool: QThreadPool | None,
    work: Callable[[Session], Any],
    landed: Callable[[Any], None],
    failed: Callable[[str], None],
    owner: QObject | None = None,
    hold: Callable[[], bool] | None = None,
) -> None:
    """See :meth:`PlanDocument.write_later`; ``pool`` is the writer thread (None: no team
    database, the work runs here). ``hold()``, offline: keep the change in the outbox instead
    of refusing it (False: it could not, refused as without it)."""
    if pool is None:

        def here() -> Any:
            doc.save_now()  # as PlanDocument.write: the plan's edits first
            with doc.store.unit_of_work() as session:
                return work(session)

        _run_here(doc, here, landed, failed)
        return
    if doc.offline and hold is not None and hold():
        return
    if doc.offline or doc.read_only:
        failed(
            _tr(
                "Not saved: this needs the team database, which cannot be reached now. "
                "What you entered is still here; try again when it is back."
            )
            if doc.offline
            else _tr("Not saved: the team database lets you read but not change this plan.")
        )
        return
    doc.send()  # the plan's edits first: they go (or are saved) before this work
    store = doc.store

    def run(_report: Report) -> tuple[Any, list[Change] | None]:
        with store.unit_of_work() as session:
            links: list[bool] = []
            event.listen(session, "before_flush", lambda s, *_: links.append(_links_changed(s)))
            result = work(session)
            return result, _committing(session, any(links) or _links_changed(session))

    def done(answer: object) -> None:
        assert isinstance(answer, tuple)
        result, saved = answer
        if saved:  # the shell brings them into the open plan, before the window hears of it
            written().written.emit(doc, saved)
        if owner is None or isValid(owner):  # a window closed meanwhile: the work landed
            landed(result)

    def refused(exc: BaseException) -> None:
        closed = owner is not None and not isValid(owner)
        if closed and hold is None:
            log.warning("a write beside the plan failed after its window closed: %s", exc)
            return
        if isinstance(exc, SQLAlchemyError) and _server_gone(doc, exc):
            # Kept in the outbox, now that the document is offline: also when the window
            # closed meanwhile (``hold`` leaves a closed window alone).
            if doc.offline and hold is not None and hold():
                return
            if closed:
                log.warning("a write beside the plan was refused after its window closed")
                return
            failed(
                _tr(
                    "Not saved: the team database cannot be reached. What you entered is "
                    "still here; try again when it is back."
                )
            )
            return
        if closed:
            log.warning("a write beside the plan failed after its window closed: %s", exc)
            return
        message = _message(doc, exc)
        if message is None:
            log.error("a write beside the plan failed", exc_info=exc)
            message = _tr("Not saved: %1").replace("%1", str(exc))
        failed(message)

    _start(pool, run, done, refused)


def read_later(
    doc: Any,  # the PlanDocument
    pool: QThreadPool | None,
    work: Callable[[Session], Any],
    landed: Callable[[Any], None],
    failed: Callable[[str], None],
    owner: QObject | None = None,
) -> None:
    """See :meth:`PlanDocument.read_later`; ``pool`` is the writer thread (None: no team
    database, the work runs here)."""
    if pool is None:

        def here() -> Any:
            with doc.read() as session:
                return work(session)

        _run_here(doc, here, landed, failed)
        return
    if doc.offline:
        failed(_tr("The team database cannot be reached now: this shows what was read before."))
        return
    store = doc.store

    def run(_report: Report) -> Any:
        # Never committed: whatever the work did to its objects is dropped with the session.
        with store.session() as session:
            return work(session)

    def done(result: object) -> None:
        if owner is None or isValid(owner):  # a window closed meanwhile: nothing to fill
            landed(result)

    def refused(exc: BaseException) -> None:
        if owner is not None and not isValid(owner):
            return
        message = _message(doc, exc)
        if message is None:
            log.error("a read beside the plan failed", exc_info=exc)
            message = _tr("Could not read: %1").replace("%1", str(exc))
        failed(message)

    _start(pool, run, done, refused)


def _run_here(
    doc: Any, here: Callable[[], Any], landed: Callable[[Any], None], failed: Callable[[str], None]
) -> None:
    """No team database: the work runs at once; a failure the user can act on is said."""
    try:
        result = here()
    except Exception as exc:
        message = _message(doc, exc)
        if message is None:
            raise
        failed(message)
        return
    landed(result)


def _start(
    pool: QThreadPool,
    run: Callable[[Report], Any],
    done: Callable[[object], None],
    refused: Callable[[BaseException], None],
) -> None:
    """Run ``run`` on the writer thread; ``done`` or ``refused`` on the UI thread. The job is
    held in :data:`_running` until it has reported (the pool does not own it)."""
    job = BackgroundJob(run)
    _running.add(job)

    def finished(result: object) -> None:
        _running.discard(job)
        done(result)

    def failed(exc: object) -> None:
        _running.discard(job)
        assert isinstance(exc, BaseException)
        refused(exc)

    job.signals.finished.connect(finished)
    job.signals.failed.connect(failed)
    pool.start(job)


def _server_gone(doc: Any, exc: SQLAlchemyError) -> bool:
    """The failure was the team database gone or refusing: the document goes offline (or
    read-only) as a failed save of its own would have, and its unsaved edits are kept."""
    from sprintdesk.editing.pending import snapshot

    offline = doc._offline
    return bool(offline.failed(offline.keep(), snapshot(doc.session), exc))


def _message(doc: Any, exc: BaseException) -> str | None:
    """A message for the user, or None for a failure that is a bug (raised as it is)."""
    if isinstance(exc, RosterError | PlanError | StoreError | LookupError):
        return str(exc)
    if isinstance(exc, SQLAlchemyError):
        return str(storage_error(exc, doc.store.path or doc.store.url))
    return None
