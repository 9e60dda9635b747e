"""Who else has the sprint open, kept by heartbeat from a worker thread (team database only).

:class:`PresenceTracker` beats every :data:`~sprintdesk.storage.presence.HEARTBEAT_SECONDS` on
a private one-thread pool (one round trip, never on the UI thread), at once when the person
moves to another section or opens another sprint, and when a presence notification says
somebody else came, moved or left. It also holds the facilitator's lease (:meth:`claim`) and the
server's clock offset, which the meeting clock runs on so that every seat shows the same
countdown.

Signals:
    seatsChanged(list): the other live seats of the sprint (``storage.presence.Seat``).
    facilitatorChanged(): the lease moved (see :attr:`facilitator`, :attr:`is_facilitator`).
    answered(): a heartbeat came back (the server's clock offset is measured again).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from sprintdesk.editing.jobs import BackgroundJob
from sprintdesk.storage import presence
from sprintdesk.storage.presence import Beat, Seat
from sprintdesk.storage.store import Store

log = logging.getLogger(__name__)


class PresenceTracker(QObject):
    seatsChanged = Signal(list)
    facilitatorChanged = Signal()
    answered = Signal()

    def __init__(
        self,
        store: Store,
        *,
        name: str | None = None,
        interval: float = presence.HEARTBEAT_SECONDS,
        expiry: float = presence.EXPIRY_SECONDS,
        wall: Callable[[], float] = time.time,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.engine = store.engine
        self.client: str = store.notifier.client
        self.name = name or store.notifier.by
        self.expiry = expiry
        self.wall = wall  # this computer's clock (epoch seconds); server_time corrects it
        self.sprint_id: int | None = None
        self.section_id: int | None = None
        self.server_offset = 0.0
        self.others: list[Seat] = []
        self.facilitator: Seat | None = None
        self.beats = 0  # heartbeats answered (tests wait on it)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)  # beats go out in order, one at a time
        self._job: BackgroundJob | None = None
        self._queued: tuple[bool, bool] | None = None  # (announce, claim) waiting for the job
        self._timer = QTimer(self)
        self._timer.setInterval(round(interval * 1000))
        self._timer.timeout.connect(self.beat)
        self._stopped = False
        self._claiming = False  # a claim is on its way: older beats' facilitator is stale

    # --- what the window tells it ---------------------------------------------------------

    def follow(self, sprint_id: int, section_id: int | None = None) -> None:
        """Sit at ``sprint_id`` (leaving the seat at any other sprint)."""
        if sprint_id == self.sprint_id:
            self.set_section(section_id)
            return
        self.sprint_id = sprint_id
        self.section_id = section_id
        self.others = []
        self._set_facilitator(None)
        self.seatsChanged.emit([])
        self._stopped = False
        self._timer.start()
        self.beat(announce=True)

    def set_section(self, section_id: int | None) -> None:
        if section_id != self.section_id:
            self.section_id = section_id
            self.beat(announce=True)

    def on_changes(self, changes: list[Any]) -> None:
        """Live updates arrived: somebody else's presence moved on my sprint, so look again."""
        if any(
            change.what == presence.PRESENCE
            and change.sprint_id == self.sprint_id
            and change.client != self.client
            for change in changes
        ):
            self.beat()

    def claim(self) -> None:
        """Drive the meeting's clock from this window (the others follow it)."""
        me = Seat(self.client, self.name, self.section_id, facilitator=True)
        self._set_facilitator(me)  # at once: the key just pressed is the facilitator's
        self._claiming = True
        self._submit(announce=False, claim=True)

    @property
    def is_facilitator(self) -> bool:
        return self.facilitator is not None and self.facilitator.client == self.client

    def server_time(self) -> float:
        """Now, in the server's epoch seconds (this computer's clock plus the measured offset)."""
        return self.wall() + self.server_offset

    # --- heartbeat ------------------------------------------------------------------------

    def beat(self, announce: bool = False) -> None:
        self._submit(announce=announce, claim=False)

    def _submit(self, *, announce: bool, claim: bool) -> None:
        if self.sprint_id is None or self._stopped:
            return
        if self._job is not None:
            was_announce, was_claim = self._queued or (False, False)
            self._queued = (announce or was_announce, claim or was_claim)
            return
        sprint_id, section_id = self.sprint_id, self.section_id
        engine, client, name, expiry = self.engine, self.client, self.name, self.expiry
        wall = self.wall

        def work(_report: Callable[[int, int, str], None]) -> tuple[int, Beat, bool]:
            beat = presence.heartbeat(engine, client=client, sprint_id=sprint_id, name=name,
                                      section_id=section_id, announce=announce,
                                      expiry=expiry, wall=wall)  # fmt: skip
            if claim:
                presence.claim(engine, client=client, sprint_id=sprint_id, name=name)
                beat = presence.heartbeat(engine, client=client, sprint_id=sprint_id,
                                          name=name, section_id=section_id,
                                          expiry=expiry, wall=wall)  # fmt: skip
            return sprint_id, beat, claim

        job = self._job = BackgroundJob(work)
        job.signals.finished.connect(self._on_beat)
        job.signals.failed.connect(self._on_failed)
        self._pool.start(job)

    def _on_beat(self, result: tuple[int, Beat, bool]) -> None:
        self._job = None
        sprint_id, beat, claimed = result
        if claimed:
            self._claiming = False
        self.beats += 1
        if sprint_id == self.sprint_id and not self._stopped:
            self.server_offset = beat.server_offset
            others = beat.others(self.client)
            if others != self.others:
                self.others = others
                self.seatsChanged.emit(others)
            if not self._claiming:
                self._set_facilitator(beat.facilitator())
            self.answered.emit()
        self._next()

    def _on_failed(self, exc: BaseException) -> None:
        self._job = None
        # The server is away (the window says so elsewhere): the next beat tries again.
        log.warning("presence: %s", exc)
        self._next()

    def _next(self) -> None:
        if self._queued is not None:
            announce, claim = self._queued
            self._queued = None
            self._submit(announce=announce, claim=claim)

    def _set_facilitator(self, seat: Seat | None) -> None:
        before = self.facilitator.client if self.facilitator is not None else None
        self.facilitator = seat
        if (seat.client if seat is not None else None) != before:
            self.facilitatorChanged.emit()

    # --- ending ---------------------------------------------------------------------------

    def suspend(self) -> None:
        """Stop beating without leaving (what a laptop going to sleep does)."""
        self._stopped = True
        self._timer.stop()
        self._pool.waitForDone()

    def stop(self) -> None:
        """Leave the sprint: the others see it at once."""
        sprint_id = self.sprint_id
        self.suspend()
        self.sprint_id = None
        if sprint_id is None:
            return
        try:
            presence.leave(self.engine, client=self.client, sprint_id=sprint_id, name=self.name)
        except Exception as exc:  # the server is away: the seat expires by itself
            log.warning("presence: leaving failed (%s)", exc)
