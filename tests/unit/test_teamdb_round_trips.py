"""A commit on a team database in as few round trips as it takes: the notification of what
changed goes with the COMMIT (one simple query), and a connection used a moment ago is not
pinged first. What the notification says arrives intact, whatever the typed text holds."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event, select

from sprintdesk.plan.model import Person
from sprintdesk.storage.live import Listener
from sprintdesk.storage.store import open_store

pytestmark = pytest.mark.postgresql


def test_a_commit_sends_its_notification_with_the_commit_and_pings_nothing(
    pg_database: str,
) -> None:
    store = open_store(pg_database)
    listener = Listener(pg_database)
    listener.connect()
    pings: list[Any] = []
    statements: list[str] = []
    ping = store.engine.dialect.do_ping

    def counted_ping(dbapi_connection: Any) -> bool:
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    store.engine.dialect.do_ping = counted_ping  # type: ignore[method-assign]

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    try:
        with store.unit_of_work() as session:
            session.add(Person(name="Ann"))
        listener.wait(5)
        listener.poll()
        session = store.session()
        person = session.scalars(select(Person)).one()
        session.commit()
        typed = "O'Brien: 50% done \\ back\"slash"
        person.name = typed
        event.listen(store.engine, "before_cursor_execute", record)
        session.commit()
        event.remove(store.engine, "before_cursor_execute", record)
        session.close()
        # The UPDATE, then the notification and the COMMIT together; psycopg's BEGIN rides
        # ahead of the UPDATE. No ping: the connection was used a moment ago.
        assert len(statements) == 2
        assert statements[0].startswith("UPDATE people")
        assert "pg_notify" in statements[1] and statements[1].endswith("COMMIT")
        assert pings == []
        changes = listener.wait(5)
        assert [(c.what, c.id, c.op) for c in changes] == [("people", person.id, "update")]
        with store.session() as check:
            saved = check.get(Person, person.id)
            assert saved is not None and saved.name == typed
    finally:
        listener.close()
        store.close()


def test_a_rolled_back_flush_notifies_nobody_and_leaves_nothing_for_the_next_commit(
    pg_database: str,
) -> None:
    store = open_store(pg_database)
    listener = Listener(pg_database)
    listener.connect()
    try:
        with store.unit_of_work() as session:
            session.add(Person(name="Bo"))
        listener.wait(5)
        listener.poll()
        with store.session() as session:
            person = session.scalars(select(Person)).one()
            person.name = "Never saved"
            session.flush()
            session.rollback()
        assert listener.wait(0.3) == []
        with store.unit_of_work() as session:
            session.add(Person(name="Cy"))
        changes = listener.wait(5)
        assert [(c.what, c.op) for c in changes] == [("people", "insert")]
    finally:
        listener.close()
        store.close()


def test_a_connection_idle_for_long_is_checked_before_use(pg_database: str) -> None:
    store = open_store(pg_database)
    pings: list[Any] = []
    ping = store.engine.dialect.do_ping

    def counted_ping(dbapi_connection: Any) -> bool:
        pings.append(dbapi_connection)
        return ping(dbapi_connection)

    store.engine.dialect.do_ping = counted_ping  # type: ignore[method-assign]
    try:
        with store.engine.connect() as conn:
            conn.connection.dbapi_connection  # noqa: B018 - checked out, then back in the pool
            record = conn.connection._connection_record
        assert record is not None
        record.info["sprintdesk.used"] -= 3600  # as if an hour passed (a sleeping laptop)
        with store.engine.connect():
            pass
        assert len(pings) == 1
        with store.engine.connect():
            pass
        assert len(pings) == 1  # used a moment ago: no second ping
    finally:
        store.close()
