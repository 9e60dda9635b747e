"""Live updates on a team database: NOTIFY in the writing transaction, LISTEN on a dedicated
connection. Qt-free: the window watches :meth:`Listener.fileno` from its event loop
(``sprintdesk.editing.live``), ``sprintdesk watch`` blocks on :meth:`Listener.wait`.

Every flush on a team database queues ``pg_notify('sprintdesk', payload)`` on the session's own
connection; the queue goes with the COMMIT, in the same round trip, so the notification is
delivered when (and only if) the transaction commits, and a rollback drops it. The
payload says which rows changed, per sprint: ``{"client", "by", "at", "changes": [{"sprint_id",
"what", "id", "op"}, ...]}`` (split to stay under PostgreSQL's 8000-byte limit). ``by`` is the
database role that committed (the identity the server checked, not the OS login). Presence
(``storage.presence``) uses the same channel with ``what`` = ``"presence"``: somebody came,
left, moved to another section or took over the clock; it is not a change to the plan. PostgreSQL
replays nothing missed while a listener was away: after a reconnect, reload everything.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, sessionmaker

from sprintdesk.plan import model

if TYPE_CHECKING:
    import psycopg
    from sqlalchemy import Connection

CHANNEL = "sprintdesk"
# Connection.info key: the notifications a transaction's flushes queued for its commit.
PENDING = "sprintdesk.notify"
MAX_PAYLOAD = 7000  # PostgreSQL refuses payloads of 8000 bytes or more


@dataclass(frozen=True)
class Change:
    """One changed row: ``what`` is the table, ``op`` insert, update or delete."""

    sprint_id: int | None
    what: str
    id: int | str
    op: str
    by: str
    at: str
    client: str

    def as_json(self) -> dict[str, Any]:
        return {"sprint_id": self.sprint_id, "what": self.what, "id": self.id, "by": self.by,
                "at": self.at}  # fmt: skip


def _sprint_of(obj: Any) -> int | None:
    if isinstance(obj, model.Sprint):
        return obj.id
    sprint_id = getattr(obj, "sprint_id", None)
    if sprint_id is not None:
        return int(sprint_id)
    for parent in ("team_plan", "goal"):
        owner = getattr(obj, parent, None) if hasattr(type(obj), parent) else None
        if owner is not None and getattr(owner, "sprint_id", None) is not None:
            return int(owner.sprint_id)
    return None


def _row(obj: Any, op: str) -> dict[str, Any]:
    return {
        "sprint_id": _sprint_of(obj),
        "what": type(obj).__tablename__,
        "id": _key(obj),
        "op": op,
    }


def _key(obj: Any) -> int | str:
    state = inspect(obj)
    # A row inserted by this flush has no identity yet (it gets one after the flush), but its
    # primary key is already filled in from the INSERT.
    identity = state.identity or tuple(state.mapper.primary_key_from_instance(obj))
    if identity and len(identity) == 1:
        return identity[0]  # type: ignore[no-any-return]
    return ",".join(str(part) for part in identity or ())


class Notifier:
    """Sends what each flush changed, from the sessions of one store (PostgreSQL only)."""

    def __init__(self, sessions: sessionmaker[Session], *, by: str) -> None:
        self.client = uuid.uuid4().hex
        # The database role (storage.server.role_name), not the OS login: the name the server
        # authenticated, the same whichever computer the person uses.
        self.by = by
        self.sent = 0
        event.listen(sessions, "after_flush", self._after_flush)
        # The notifications wait for the commit and go with it, in one round trip.
        engine = sessions.kw["bind"]
        event.listen(engine, "commit", self._on_commit)
        event.listen(engine, "rollback", self._on_rollback)

    def tell(self, session: Session, updated: list[Any]) -> None:
        """Rows ``session`` updated without a flush (``storage.bulk``): heard as a flush's."""
        self._queue(session, [_row(obj, "update") for obj in updated])

    def _after_flush(self, session: Session, _context: Any) -> None:
        rows: list[dict[str, Any]] = []
        for op, objects in (
            ("insert", session.new),
            ("update", session.dirty),
            ("delete", session.deleted),
        ):
            for obj in objects:
                if op == "update" and not session.is_modified(obj, include_collections=False):
                    continue
                table = getattr(type(obj), "__tablename__", None)
                if table is None:
                    continue
                # An orphan the flush deleted (removed from its list) is a delete, not an update.
                op_here = "delete" if op == "update" and inspect(obj).deleted else op
                rows.append(_row(obj, op_here))
        self._queue(session, rows)

    def _queue(self, session: Session, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        at = datetime.now(UTC).isoformat(timespec="milliseconds")
        head = {"client": self.client, "by": self.by, "at": at}
        pending = session.connection().info.setdefault(PENDING, [])
        for chunk in _chunks(rows, len(json.dumps(head))):
            pending.append(json.dumps({**head, "changes": chunk}, separators=(",", ":")))

    def _on_commit(self, conn: Connection) -> None:
        """Send what the transaction's flushes changed together with its COMMIT: one simple
        query (``SELECT pg_notify(...); ...; COMMIT``) instead of a round trip for each
        notification and one for the commit. The driver's own commit then finds the
        transaction ended and sends nothing. A failure is the commit's, and raised as such."""
        pending = conn.info.pop(PENDING, None)
        if not pending:
            return
        from psycopg import pq, sql

        dbapi: psycopg.Connection[Any] = conn.connection.dbapi_connection  # type: ignore[assignment]
        statements: list[sql.Composable] = [
            sql.SQL("SELECT pg_notify({}, {})").format(sql.Literal(CHANNEL), sql.Literal(p))
            for p in pending
        ]
        if dbapi.info.transaction_status == pq.TransactionStatus.INTRANS:
            statements.append(sql.SQL("COMMIT"))
        query = sql.SQL("; ").join(statements).as_string(dbapi)
        # No parameters: the driver sends it as it is (the simple protocol, several statements).
        conn.exec_driver_sql(query)
        self.sent += len(pending)

    @staticmethod
    def _on_rollback(conn: Connection) -> None:
        # An invalidated connection is replaced, and its info with it.
        if not conn.invalidated:
            conn.info.pop(PENDING, None)


def _chunks(rows: list[dict[str, Any]], overhead: int) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    size = overhead + 20
    for row in rows:
        length = len(json.dumps(row, separators=(",", ":"))) + 1
        if chunk and size + length > MAX_PAYLOAD:
            yield chunk
            chunk, size = [], overhead + 20
        chunk.append(row)
        size += length
    if chunk:
        yield chunk


def parse_payload(payload: str) -> list[Change]:
    """The changes one notification carries (nothing for a payload that is not ours)."""
    try:
        data = json.loads(payload)
        return [
            Change(
                sprint_id=row.get("sprint_id"),
                what=str(row["what"]),
                id=row["id"],
                op=str(row.get("op", "update")),
                by=str(data.get("by", "")),
                at=str(data.get("at", "")),
                client=str(data.get("client", "")),
            )
            for row in data.get("changes", [])
        ]
    except (ValueError, KeyError, TypeError, AttributeError):
        return []


class Listener:
    """A dedicated autocommit connection that LISTENs for SprintDesk's notifications."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.conn: psycopg.Connection[Any] | None = None

    def connect(self) -> None:
        """Open the connection and LISTEN; raises a StoreError subclass in plain words."""
        import psycopg
        from sqlalchemy.engine import make_url

        from sprintdesk.storage.server import connect_args, explain

        parsed = make_url(self.url)
        args = {key: value for key, value in connect_args(self.url).items()}
        args.update({str(k): v for k, v in parsed.query.items()})
        try:
            self.conn = psycopg.connect(
                host=parsed.host or "",
                port=parsed.port or 5432,
                user=parsed.username or "",
                password=parsed.password or args.pop("password", None) or "",
                dbname=parsed.database or "",
                autocommit=True,
                **args,
            )
            self.conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            self.close()
            raise explain(exc, self.url) from exc

    def fileno(self) -> int:
        assert self.conn is not None
        return self.conn.fileno()

    def poll(self) -> list[Change]:
        """The changes that arrived, without waiting. Raises ``psycopg.OperationalError`` when
        the connection is lost (reconnect, then reload everything)."""
        return self.wait(0)

    def wait(self, timeout: float | None) -> list[Change]:
        """The changes that arrive within ``timeout`` seconds (all that are there at once)."""
        assert self.conn is not None
        changes: list[Change] = []
        for note in self.conn.notifies(timeout=timeout, stop_after=1):
            changes.extend(parse_payload(note.payload))
        for note in self.conn.notifies(timeout=0):
            changes.extend(parse_payload(note.payload))
        return changes

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.close()
            finally:
                self.conn = None
