"""A team database on a real PostgreSQL server: connecting as libpq users expect, the plain
answer for each failure, the schema migrated once by clients starting together, an older
schema upgraded. (Creating the schema, a newer schema refused and the version counters run on
both engines in tests/unit/test_store.py.)"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from sprintdesk.plan.model import Sprint
from sprintdesk.storage.migrations import HEAD
from sprintdesk.storage.server import display_url
from sprintdesk.storage.store import (
    AuthenticationError,
    DatabaseMissingError,
    NewerSchemaError,
    PermissionDeniedError,
    ServerUnreachableError,
    StoreError,
    open_store,
)
from sprintdesk.system.secrets import store_db_password
from tests.pg import PgCluster, free_port

pytestmark = pytest.mark.postgresql

PASSWORD = "s3cret-Passw0rd"


@pytest.fixture
def alice(pg_cluster: PgCluster) -> str:
    """A role with a password that owns a fresh empty database; returns that database's name."""
    pg_cluster.execute(
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'alice') THEN "
        f"CREATE ROLE alice LOGIN PASSWORD '{PASSWORD}'; END IF; END$$"
    )
    return pg_cluster.new_database(migrated=False, owner="alice")


def test_password_from_pgpassword(
    pg_cluster: PgCluster, alice: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    open_store(pg_cluster.url(alice, user="alice")).close()


def test_password_from_pgpass_file(pg_cluster: PgCluster, alice: str, tmp_path: Path) -> None:
    pgpass = tmp_path / "pgpass"  # conftest points PGPASSFILE here
    pgpass.write_text(f"127.0.0.1:{pg_cluster.port}:*:alice:{PASSWORD}\n")
    pgpass.chmod(0o600)
    open_store(pg_cluster.url(alice, user="alice")).close()


def test_password_typed_in_the_app_comes_from_the_keyring(
    pg_cluster: PgCluster, alice: str
) -> None:
    url = pg_cluster.url(alice, user="alice")
    with pytest.raises(AuthenticationError):
        open_store(url)
    store_db_password("127.0.0.1", pg_cluster.port, "alice", PASSWORD)
    store = open_store(url)
    try:
        assert PASSWORD not in store.display_url and PASSWORD not in repr(store.engine.url)
    finally:
        store.close()


def test_wrong_password_is_said_plainly_and_never_shown(pg_cluster: PgCluster, alice: str) -> None:
    url = pg_cluster.url(alice, user="alice", password="not-the-password")
    with pytest.raises(AuthenticationError) as info:
        open_store(url)
    assert "wrong password" in str(info.value)
    assert "not-the-password" not in str(info.value)
    assert "***" in display_url(url) and "not-the-password" not in display_url(url)


def test_server_unreachable(pg_cluster: PgCluster) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/sprintdesk"
    with pytest.raises(ServerUnreachableError) as info:
        open_store(url)
    assert "Cannot reach the team database server 127.0.0.1:" in str(info.value)


def test_database_missing(pg_cluster: PgCluster) -> None:
    with pytest.raises(DatabaseMissingError) as info:
        open_store(pg_cluster.url("no_such_plan"))
    assert "has no database 'no_such_plan'" in str(info.value)


def test_no_permission_to_connect(pg_cluster: PgCluster, alice: str) -> None:
    pg_cluster.new_database()
    name = pg_cluster.new_database()
    pg_cluster.execute(f"REVOKE CONNECT ON DATABASE {name} FROM PUBLIC")
    with pytest.raises(PermissionDeniedError) as info:
        open_store(pg_cluster.url(name, user="alice", password=PASSWORD))
    assert "not allowed" in str(info.value) and "administrator" in str(info.value)


def test_no_permission_to_create_the_tables(pg_cluster: PgCluster, alice: str) -> None:
    # PostgreSQL 15: only the database owner may create tables in schema public.
    name = pg_cluster.new_database(migrated=False)
    with pytest.raises(PermissionDeniedError):
        open_store(pg_cluster.url(name, user="alice", password=PASSWORD))
    engine = create_engine(pg_cluster.url(name))
    with engine.connect() as conn:
        tables = conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname='public'"))
        assert tables.scalar() == 0  # the failed migration left nothing half-made
    engine.dispose()


def test_sslmode_in_the_url_is_honoured(pg_cluster: PgCluster) -> None:
    # The test server has no TLS: asking for it must fail, not quietly connect in the clear.
    with pytest.raises(ServerUnreachableError) as info:
        open_store(pg_cluster.url("postgres") + "?sslmode=require")
    assert "secure connection" in str(info.value) or "SSL" in str(info.value)


def test_pgsslmode_is_honoured(pg_cluster: PgCluster, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PGSSLMODE", "require")
    with pytest.raises(ServerUnreachableError):
        open_store(pg_cluster.url("postgres"))


def test_two_clients_starting_at_once_migrate_once(pg_empty_database: str) -> None:
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def start() -> None:
        barrier.wait()
        try:
            open_store(pg_empty_database).close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=start, daemon=True) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)  # a guard against a hang (migrating twice blocks), not a timing
    assert not any(thread.is_alive() for thread in threads), "the clients blocked each other"
    assert errors == []
    engine = create_engine(pg_empty_database)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all() == [
            HEAD
        ]
    engine.dispose()


def test_older_schema_on_the_server_is_upgraded(pg_empty_database: str) -> None:
    from sprintdesk.storage.migrations import upgrade

    engine = create_engine(pg_empty_database)
    with engine.begin() as conn:
        upgrade(conn, "0002")
        conn.execute(
            text(
                "INSERT INTO sprints (uuid, name, template, state, created_at, "
                "facilitator_notes, publish_pending) VALUES ('u-1', 'Old sprint', 'classic', "
                "'draft', now(), '', false)"
            )
        )
    engine.dispose()
    store = open_store(pg_empty_database)
    try:
        with store.session() as session:
            sprint = session.scalars(select(Sprint)).one()
            assert (sprint.name, sprint.version) == ("Old sprint", 1)
    finally:
        store.close()


def test_errors_are_store_errors() -> None:
    for cls in (
        AuthenticationError,
        DatabaseMissingError,
        PermissionDeniedError,
        ServerUnreachableError,
        NewerSchemaError,
    ):
        assert issubclass(cls, StoreError)
