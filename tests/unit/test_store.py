"""The store: data dir resolution, pragmas, migrations, refusing newer and corrupted files.

What holds for every engine runs on SQLite and on a real PostgreSQL server (tests/pg.py):
creating the schema, the migrations matching the model, Alembic left unimported at the head,
a newer schema refused untouched, version counters. The file checks are SQLite's."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from sprintdesk.plan.model import Base, Person, Sprint
from sprintdesk.storage.migrations import HEAD, REVISIONS
from sprintdesk.storage.store import (
    CorruptDatabaseError,
    NewerSchemaError,
    Store,
    backup_dir_for,
    open_store,
)
from sprintdesk.system.paths import default_url, resolve_data_dir
from tests.pg import ENGINES

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(params=ENGINES)
def fresh_url(request: pytest.FixtureRequest, data_dir: Path) -> str:
    """A database with nothing in it yet, on each engine: a SQLite file that does not exist,
    and an empty PostgreSQL database (no tables)."""
    if request.param == "sqlite":
        return f"sqlite:///{data_dir / 'sprintdesk.db'}"
    return str(request.getfixturevalue("pg_empty_database"))


@pytest.fixture
def store(fresh_url: str) -> Iterator[Store]:
    """Here a database really created by ``open_store`` (elsewhere tests start from a copy)."""
    opened = open_store(fresh_url)
    yield opened
    opened.close()


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_data_dir_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPRINTDESK_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(str(tmp_path / "cli")) == tmp_path / "cli"
    assert resolve_data_dir(None) == tmp_path / "env"
    monkeypatch.delenv("SPRINTDESK_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert resolve_data_dir(None) == tmp_path / "xdg" / "SprintDesk"
    assert default_url(tmp_path) == f"sqlite:///{tmp_path / 'sprintdesk.db'}"


def test_new_database_is_created_at_head(store: Store, fresh_url: str) -> None:
    assert store.is_server == fresh_url.startswith("postgresql")
    assert (store.path is None) == store.is_server  # a team database has no file here
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD


def test_sqlite_pragmas_on_connect(db_url: str) -> None:
    store = open_store(db_url)
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
    store.close()


def test_edits_count_up_the_version_counters(store: Store) -> None:
    from sprintdesk.plan.demo import load_demo
    from sprintdesk.plan.model import Goal

    with store.unit_of_work() as session:
        load_demo(session)
    with store.unit_of_work() as session:
        goal = session.scalars(select(Goal).order_by(Goal.id)).first()
        assert goal is not None and goal.version == 1
        goal.title = "Ship the team database"
    with store.session() as session:
        goal = session.scalars(select(Goal).order_by(Goal.id)).first()
        assert goal is not None
        assert (goal.title, goal.version) == ("Ship the team database", 2)


def test_revisions_constant_matches_the_alembic_scripts() -> None:
    from alembic.script import ScriptDirectory

    from sprintdesk.storage.migrations import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    assert scripts.get_current_head() == HEAD
    chain = [s.revision for s in scripts.walk_revisions()]
    assert list(reversed(chain)) == list(REVISIONS)


def test_migrations_produce_exactly_the_model(store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_alembic_is_not_imported_when_at_head(fresh_url: str) -> None:
    import subprocess
    import sys

    open_store(fresh_url).close()
    code = (
        "import sys; from sprintdesk.storage.store import open_store; "
        f"open_store({fresh_url!r}).close(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("schema_*.db")), ids=lambda p: p.name)
def test_every_released_schema_opens_and_upgrades(fixture: Path, tmp_path: Path) -> None:
    db = tmp_path / "sprintdesk.db"
    shutil.copy(fixture, db)
    revision = fixture.stem.removeprefix("schema_")
    store = open_store(f"sqlite:///{db}")
    try:
        with store.session() as session:
            names = [s.name for s in session.scalars(select(Sprint).order_by(Sprint.id))]
            assert names[:2] == ["4.11.0 1/2", "4.11.0 2/2"]
            assert session.scalar(select(Person).where(Person.github_login == "tomasz"))
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    finally:
        store.close()
    backups = list(backup_dir_for(db).glob("*.db"))
    if revision == HEAD:
        assert backups == []
    else:  # the file was backed up before migrating
        assert len(backups) == 1


def test_at_least_the_first_schema_has_a_fixture() -> None:
    assert (FIXTURES / f"schema_{REVISIONS[0]}.db").exists()


def test_newer_schema_is_refused_and_never_written(fresh_url: str, data_dir: Path) -> None:
    open_store(fresh_url).close()
    if fresh_url.startswith("postgresql"):
        engine = create_engine(fresh_url)
        with engine.begin() as writer:
            writer.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        with pytest.raises(NewerSchemaError) as info:
            open_store(fresh_url)
        assert "newer SprintDesk" in str(info.value) and "Nothing was changed" in str(info.value)
        with engine.connect() as check:
            version = check.execute(text("SELECT version_num FROM alembic_version")).scalar()
            assert version == "9999"
        engine.dispose()
        return
    db_url = fresh_url
    db = data_dir / "sprintdesk.db"
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    before = digest(db)
    with pytest.raises(NewerSchemaError) as info:
        open_store(db_url)
    assert "newer SprintDesk" in str(info.value) and str(db) in str(info.value)
    assert digest(db) == before
    assert not (data_dir / "sprintdesk.db-wal").exists()


@pytest.mark.parametrize(
    "content",
    [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 8192],
    ids=["text", "garbage-after-header"],
)
def test_corrupted_file_is_named_and_never_overwritten(
    content: bytes, db_url: str, data_dir: Path
) -> None:
    data_dir.mkdir(parents=True)
    db = data_dir / "sprintdesk.db"
    db.write_bytes(content)
    with pytest.raises(CorruptDatabaseError) as info:
        open_store(db_url)
    message = str(info.value)
    assert str(db) in message and "no backup" in message
    assert db.read_bytes() == content


def test_corrupted_file_message_names_the_newest_backup(db_url: str, data_dir: Path) -> None:
    store = open_store(db_url)
    store.backup(label="daily")
    newest = store.backup(backup_dir_for(data_dir / "sprintdesk.db") / "zz-newest.db")
    store.close()
    db = data_dir / "sprintdesk.db"
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    db.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(CorruptDatabaseError) as info:
        open_store(db_url)
    assert str(newest) in str(info.value)


def test_a_foreign_sqlite_file_is_not_taken_over(db_url: str, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    db = data_dir / "sprintdesk.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    before = digest(db)
    with pytest.raises(CorruptDatabaseError, match="not a SprintDesk database"):
        open_store(db_url)
    assert digest(db) == before


def test_other_sqlalchemy_urls_work(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.sqlite'}"
    store = open_store(url)
    with store.unit_of_work() as session:
        session.add(Person(name="Ana"))
    store.close()
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM people")).scalar() == "Ana"
    engine.dispose()


def test_read_only_opening_reads_and_never_writes(tmp_path: Path) -> None:
    import sqlite3

    from sqlalchemy import func, select
    from sqlalchemy.exc import OperationalError

    from sprintdesk.plan.model import Person
    from sprintdesk.storage.store import StoreError, open_store_read_only

    url = f"sqlite:///{tmp_path / 'plan.db'}"
    with pytest.raises(StoreError, match="no SprintDesk database"):
        open_store_read_only(url)
    assert not (tmp_path / "plan.db").exists()
    store = open_store(url)
    with store.unit_of_work() as session:
        session.add(Person(name="Ana"))
    store.close()
    before = digest(tmp_path / "plan.db")
    reader = open_store_read_only(url)
    try:
        with reader.session() as session:
            assert session.scalar(select(func.count()).select_from(Person)) == 1
        with pytest.raises(OperationalError, match="readonly"), reader.unit_of_work() as session:
            session.add(Person(name="Ben"))
    finally:
        reader.close()
    assert digest(tmp_path / "plan.db") == before
    conn = sqlite3.connect(tmp_path / "plan.db")
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    with pytest.raises(NewerSchemaError, match="cannot be read where it cannot be written"):
        open_store_read_only(url)
    conn = sqlite3.connect(tmp_path / "plan.db")
    conn.execute("DELETE FROM alembic_version")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="cannot be upgraded where it cannot be written"):
        open_store_read_only(url)


def test_a_new_database_leaves_no_write_ahead_log_of_its_migrations(db_url: str) -> None:
    store = open_store(db_url)
    try:
        assert store.path is not None
        wal = store.path.with_name(store.path.name + "-wal")
        assert not wal.exists() or wal.stat().st_size < 64 * 1024
    finally:
        store.close()
