"""Who has a sprint open on a team database, and who drives its meeting clock (schema 0004).

Each window keeps one ``presence`` row alive by heartbeat (:func:`heartbeat`, one statement:
upsert my row, purge long-dead rows, read who else is here, read the server's clock, and tell
the others when something they show changed). Freshness is decided by the server comparing
``heartbeat_at`` with its own ``now()``, so laptops whose clocks disagree still agree on who is
here; a window that stops beating (closed, crashed, asleep) drops out after
:data:`EXPIRY_SECONDS`. The facilitator is a lease on the same row: :func:`claim` gives it to one
window of the sprint and takes it from the others; it lapses with the heartbeat.

The server's clock also gives each client its offset (:attr:`Beat.server_offset`): the meeting
clock runs on server time, so a follower computes the facilitator's countdown from the stored
start instant without drift. Qt-free; the window's part is ``sprintdesk.editing.presence``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from sprintdesk.storage.live import CHANNEL

if TYPE_CHECKING:
    from sqlalchemy import Engine

HEARTBEAT_SECONDS = 15.0
# Gone after this long without a heartbeat; others look at least every HEARTBEAT_SECONDS, so a
# sleeping laptop has left everyone's list within EXPIRY + HEARTBEAT = 55 s.
EXPIRY_SECONDS = 40.0
PURGE_SECONDS = 3600.0  # rows this old are deleted by whoever beats next
PRESENCE = "presence"  # the ``what`` of a presence notification


@dataclass(frozen=True)
class Seat:
    """One window with the sprint open: whose, on which section, driving the clock or not."""

    client: str
    name: str
    section_id: int | None
    facilitator: bool


@dataclass(frozen=True)
class Beat:
    """What one heartbeat learned: every live seat of the sprint (mine included, as the server
    had it before this beat) and how far the server's clock is ahead of this computer's."""

    seats: tuple[Seat, ...]
    server_offset: float

    def others(self, client: str) -> list[Seat]:
        return [seat for seat in self.seats if seat.client != client]

    def facilitator(self) -> Seat | None:
        return next((seat for seat in self.seats if seat.facilitator), None)


_BEAT = text(
    """
    WITH purged AS (
        DELETE FROM presence
        WHERE heartbeat_at < now() - make_interval(secs => :purge)
    ),
    mine AS (
        INSERT INTO presence (client, sprint_id, user_name, section_id, facilitator, heartbeat_at)
        VALUES (:client, :sprint_id, :name, :section_id, false, now())
        ON CONFLICT (client) DO UPDATE SET
            facilitator = presence.facilitator AND presence.sprint_id = EXCLUDED.sprint_id,
            sprint_id = EXCLUDED.sprint_id, user_name = EXCLUDED.user_name,
            section_id = EXCLUDED.section_id, heartbeat_at = now()
    )
    SELECT extract(epoch FROM now())::float8 AS server_now,
           (SELECT count(*) FROM (SELECT pg_notify(:channel, :payload) WHERE :announce) n)
               AS announced,
           p.client, p.user_name, p.section_id, p.facilitator
    FROM (SELECT 1) AS one
    LEFT JOIN presence AS p
        ON p.sprint_id = :sprint_id
       AND p.heartbeat_at > now() - make_interval(secs => :expiry)
    ORDER BY p.user_name, p.client
    """
)

_CLAIM = text(
    """
    WITH claimed AS (
        UPDATE presence SET facilitator = (client = :client)
        WHERE sprint_id = :sprint_id AND (facilitator OR client = :client)
        RETURNING client
    )
    SELECT (SELECT count(*) FROM claimed) AS rows,
           (SELECT count(*) FROM (SELECT pg_notify(:channel, :payload)) n) AS announced
    """
)

_LEAVE = text(
    """
    WITH gone AS (DELETE FROM presence WHERE client = :client RETURNING sprint_id)
    SELECT (SELECT count(*) FROM (SELECT pg_notify(:channel, :payload)) n) AS announced
    """
)


def _payload(client: str, by: str, sprint_id: int, op: str = "update") -> str:
    at = datetime.now(UTC).isoformat(timespec="milliseconds")
    change = {"sprint_id": sprint_id, "what": PRESENCE, "id": client, "op": op}
    return json.dumps(
        {"client": client, "by": by, "at": at, "changes": [change]}, separators=(",", ":")
    )


def heartbeat(
    engine: Engine,
    *,
    client: str,
    sprint_id: int,
    name: str,
    section_id: int | None,
    announce: bool = False,
    expiry: float = EXPIRY_SECONDS,
    wall: Callable[[], float] = time.time,
) -> Beat:
    """Keep my seat alive and read the others', in one round trip. ``announce``: tell the
    other windows now (I came, or moved to another section) rather than at their next beat.
    ``wall``: this computer's clock, which the measured offset corrects."""
    params: dict[str, Any] = {
        "client": client,
        "sprint_id": sprint_id,
        "name": name,
        "section_id": section_id,
        "purge": PURGE_SECONDS,
        "expiry": expiry,
        "channel": CHANNEL,
        "payload": _payload(client, name, sprint_id),
        "announce": announce,
    }
    before = wall()
    with engine.begin() as conn:
        rows = conn.execute(_BEAT, params).all()
    after = wall()
    server_now = float(rows[0].server_now)
    seats = tuple(
        Seat(
            client=row.client,
            name=row.user_name,
            section_id=row.section_id,
            facilitator=bool(row.facilitator),
        )
        for row in rows
        if row.client is not None
    )
    return Beat(seats=seats, server_offset=server_now - (before + after) / 2)


def claim(engine: Engine, *, client: str, sprint_id: int, name: str) -> None:
    """Make this window the one that drives the sprint's clock (taking it from any other)."""
    with engine.begin() as conn:
        conn.execute(
            _CLAIM,
            {
                "client": client,
                "sprint_id": sprint_id,
                "channel": CHANNEL,
                "payload": _payload(client, name, sprint_id),
            },
        )


def leave(engine: Engine, *, client: str, sprint_id: int, name: str) -> None:
    """Give up my seat at once (the window closes or opens another sprint)."""
    with engine.begin() as conn:
        conn.execute(
            _LEAVE,
            {
                "client": client,
                "channel": CHANNEL,
                "payload": _payload(client, name, sprint_id, op="delete"),
            },
        )
