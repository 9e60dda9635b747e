"""The local database: where it lives, the engine and sessions, migrations and backups.

Opening a store checks the file before touching it: a corrupted file or one written by a newer
SprintDesk is refused with a message naming the file (and the newest backup) and is never
written. Alembic is imported only when the database is not at the head revision, and
SQLAlchemy only when a database is opened: the paths, names and errors here are needed before
that (by the launcher and the log file, ahead of the window's first paint).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sprintdesk.storage.errors import (
    AuthenticationError,
    BadDatabaseUrlError,
    CorruptDatabaseError,
    DatabaseMissingError,
    DiskFullError,
    NewerSchemaError,
    PermissionDeniedError,
    ReadOnlyStoreError,
    ServerUnreachableError,
    StoreError,
    storage_error,
)
from sprintdesk.storage.migrations import HEAD, REVISIONS
from sprintdesk.storage.server import connect_args, display_url, is_server_url

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

__all__ = [
    "AuthenticationError",
    "BadDatabaseUrlError",
    "CorruptDatabaseError",
    "DatabaseMissingError",
    "DiskFullError",
    "NewerSchemaError",
    "PermissionDeniedError",
    "ReadOnlyStoreError",
    "ServerUnreachableError",
    "Store",
    "StoreError",
    "open_store",
    "open_store_read_only",
    "storage_error",
]

BACKUP_DIRNAME = "backups"
SQLITE_MAGIC = b"SQLite format 3\x00"
# A pooled connection to a team database idle longer than this is checked before use.
PING_AFTER_IDLE_SECONDS = 5.0


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def backup_dir_for(db_path: Path) -> Path:
    return db_path.parent / BACKUP_DIRNAME


def newest_backup(db_path: Path) -> Path | None:
    folder = backup_dir_for(db_path)
    if not folder.is_dir():
        return None
    candidates = sorted(folder.glob("*.db"), key=lambda p: p.stat().st_mtime)
    return candidates[-1] if candidates else None


def _corrupt(db_path: Path, detail: str) -> CorruptDatabaseError:
    backup = newest_backup(db_path)
    hint = f" The newest backup is {backup}." if backup else " There is no backup of it."
    return CorruptDatabaseError(
        f"The database {db_path} cannot be read ({detail}). SprintDesk will not change it." + hint
    )


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
    finally:
        cursor.close()


def _sqlite_revision(db_path: Path, *, immutable: bool = False) -> str | None:
    """Read the schema revision without writing: a read-only connection, no pragmas
    (``immutable``: not even the ``-shm`` file a WAL database's readers create)."""
    try:
        with db_path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise _corrupt(db_path, exc.strerror or str(exc)) from exc
    if header != SQLITE_MAGIC:
        raise _corrupt(db_path, "it is not a SQLite database")
    try:
        options = "?mode=ro&immutable=1" if immutable else "?mode=ro"
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}{options}", uri=True)
    except sqlite3.Error as exc:
        raise _corrupt(db_path, str(exc)) from exc
    try:
        check = conn.execute("PRAGMA quick_check(1)").fetchone()
        if not check or check[0] != "ok":
            raise _corrupt(db_path, f"integrity check failed: {check[0] if check else '?'}")
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        if "alembic_version" not in tables:
            if tables - {"sqlite_sequence"}:
                raise _corrupt(db_path, "it is not a SprintDesk database")
            return None
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    except sqlite3.DatabaseError as exc:
        raise _corrupt(db_path, str(exc)) from exc
    finally:
        conn.close()


def _engine_revision(engine: Engine) -> str | None:
    from sqlalchemy import inspect, text

    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def sqlite_backup(source: Path, dest: Path) -> Path:
    """Copy a live SQLite database consistently with the backup API."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
    finally:
        src.close()
    return dest


class Store:
    """An open database: the engine and a session factory."""

    def __init__(self, url: str, engine: Engine) -> None:
        from sqlalchemy.orm import sessionmaker

        self.url = url
        self.engine = engine
        # The SQLite file, or None: a team database on a server has no file here (backups,
        # restore and the start-up reader are for the local file only).
        self.path = sqlite_path(url)
        self.is_server = engine.dialect.name != "sqlite"
        # What may be shown or logged: the URL with any password masked.
        self.display_url = display_url(url)
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # The data folder (set by the app): a team database's offline outbox is kept there.
        self.data_dir: Path | None = None
        self.notifier: Any = None
        # Every commit says who changed each row and when (schema 0005), whichever path made it.
        from sprintdesk.storage.conflicts import stamp_changes
        from sprintdesk.storage.server import changer_name

        self.changed_by = changer_name(url)
        stamp_changes(self._sessions, by=self.changed_by)
        if self.is_server:
            # Each flush tells the other SprintDesks on this database what changed (NOTIFY,
            # delivered on commit).
            from sprintdesk.storage.live import Notifier
            from sprintdesk.storage.server import role_name

            self.notifier = Notifier(self._sessions, by=role_name(url))

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self._sessions.begin() as session:
            yield session

    def backup(self, dest: Path | None = None, *, label: str = "manual") -> Path:
        if self.path is None:
            raise StoreError(
                "Backups are for the local database only; a team database is backed up on "
                "its server (pg_dump)."
            )
        if dest is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            dest = backup_dir_for(self.path) / f"sprintdesk-{label}-{stamp}.db"
        return sqlite_backup(self.path, dest)

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event

    if sqlite_path(url) is None and is_server_url(url):
        # A server: connect with the keyring's password when libpq has none, and check a
        # pooled connection before use only when it sat idle (see _ping_when_idle).
        engine = create_engine(
            url, pool_use_lifo=True, connect_args=connect_args(url), hide_parameters=True
        )
        _ping_when_idle(engine)
        return engine
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect)
    return engine


def _ping_when_idle(engine: Engine, idle: float = PING_AFTER_IDLE_SECONDS) -> None:
    """Check a pooled connection before handing it out only when it sat idle for ``idle``
    seconds: that is when a server restart, a changed network or a sleeping laptop leaves it
    dead. A ping on every checkout (``pool_pre_ping``) is a round trip more on every commit and
    every load; a connection used a moment ago that fails anyway raises a disconnect error,
    which empties the pool, and the caller's own reconnect-on-error takes over (a save goes to
    the outbox and the window goes offline until the server answers, a listener reconnects).
    The pool is last-in first-out, so the connection handed out is the one used last."""
    import time

    from sqlalchemy import event
    from sqlalchemy.exc import DisconnectionError

    def fresh(_dbapi_connection: Any, record: Any) -> None:
        record.info["sprintdesk.used"] = time.monotonic()

    def checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        now = time.monotonic()
        if now - record.info.get("sprintdesk.used", 0.0) > idle:
            try:
                engine.dialect.do_ping(dbapi_connection)
            except engine.dialect.loaded_dbapi.Error as exc:
                # The pool drops this connection and hands out a new one.
                raise DisconnectionError(str(exc)) from exc
        record.info["sprintdesk.used"] = now

    def checkin(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            record.info["sprintdesk.used"] = time.monotonic()

    event.listen(engine, "connect", fresh)
    event.listen(engine, "checkout", checkout)
    event.listen(engine, "checkin", checkin)


def open_store_read_only(url: str) -> Store:
    """Open an existing SQLite database only to read it, even where it cannot be written (a
    read-only folder, an archive): ``list``, ``check`` and ``export`` work there. Nothing is
    created, migrated or written; a write fails.

    Without a ``-wal`` file beside it (SprintDesk folds it in when it closes) the file is read
    as immutable, which needs no ``-shm`` file either; with one, SQLite's read-only WAL mode
    reads the pending pages too."""
    import sqlite3

    from sqlalchemy import create_engine
    from sqlalchemy.exc import ArgumentError

    try:
        db_path = sqlite_path(url)
    except ArgumentError:
        raise BadDatabaseUrlError(
            f"{url!r} is not a database URL (for example sqlite:///path/to/sprintdesk.db)."
        ) from None
    if db_path is None:
        raise StoreError(
            f"{display_url(url)} is not a SQLite database file: opening read-only is for the "
            "local database only."
        )
    if not db_path.is_file() or db_path.stat().st_size == 0:
        raise StoreError(f"There is no SprintDesk database at {db_path}.")
    wal = db_path.with_name(db_path.name + "-wal").exists()
    revision = _sqlite_revision(db_path, immutable=not wal)
    if revision != HEAD:
        newer = revision is not None and revision not in REVISIONS
        raise (NewerSchemaError if newer else ReadOnlyStoreError)(
            f"The database {db_path} has schema {revision or 'none'} and this SprintDesk reads "
            f"{HEAD}; it cannot be {'read' if newer else 'upgraded'} where it cannot be written."
        )
    uri = f"{db_path.resolve().as_uri()}?mode=ro" + ("" if wal else "&immutable=1")

    def connect() -> sqlite3.Connection:
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    return Store(url, create_engine("sqlite://", creator=connect))


def open_store(url: str) -> Store:
    """Open (and if needed create or migrate) the database at ``url``.

    Raises :class:`StoreError` subclasses with a message meant for the user.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, OperationalError

    try:
        db_path = sqlite_path(url)
    except ArgumentError:
        raise BadDatabaseUrlError(
            f"{display_url(url)!r} is not a database URL (for example "
            "sqlite:///path/to/sprintdesk.db or postgresql+psycopg://user@host/sprintdesk)."
        ) from None
    if db_path is None and make_url(url).get_backend_name() == "postgresql":
        return _open_server_store(url)
    revision: str | None = None
    if db_path is not None:
        if db_path.exists() and db_path.stat().st_size > 0:
            # Refuse now rather than fail at the first autosave, with the edit lost. First,
            # too: reading a WAL database needs a -shm file, which a read-only folder refuses.
            for target in (db_path, db_path.parent):
                if not os.access(target, os.W_OK):
                    raise ReadOnlyStoreError(
                        f"The database {db_path} cannot be changed: {target} is read-only. "
                        "Nothing was changed; make it writable or choose another folder with "
                        "--data-dir."
                    )
            revision = _sqlite_revision(db_path)
        else:
            try:
                db_path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise ReadOnlyStoreError(
                    f"Cannot create the data folder {db_path.parent}: {exc.strerror or exc}. "
                    "Choose a folder you can write to with --data-dir."
                ) from exc
            if not os.access(db_path.parent, os.W_OK):
                raise ReadOnlyStoreError(
                    f"The data folder {db_path.parent} is read-only; "
                    "choose another with --data-dir."
                )
    if revision is not None and revision not in REVISIONS:
        raise NewerSchemaError(
            f"The database {db_path or url} was written by a newer SprintDesk "
            f"(schema {revision}); this version knows up to {HEAD}. Update SprintDesk to "
            "open it. The file was not changed."
        )
    try:
        engine = _make_engine(url)
    except (ImportError, NoSuchModuleError) as exc:
        raise BadDatabaseUrlError(
            f"Cannot use {make_url(url).drivername!r} databases: its Python driver is not "
            f"installed ({exc})."
        ) from None
    try:
        if db_path is None:
            revision = _engine_revision(engine)
            if revision is not None and revision not in REVISIONS:
                raise NewerSchemaError(
                    f"The database {url} was written by a newer SprintDesk (schema {revision})."
                )
        if revision != HEAD:
            if db_path is not None and revision is not None:
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                sqlite_backup(
                    db_path,
                    backup_dir_for(db_path)
                    / f"sprintdesk-before-{HEAD}-from-{revision}-{stamp}.db",
                )
            from sprintdesk.storage.migrations import upgrade

            with engine.begin() as conn:
                upgrade(conn)
            if db_path is not None:
                # Batch migrations copy whole tables through the write-ahead log: fold it back
                # into the file now rather than leave a log larger than the plan on disk.
                with engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except OperationalError as exc:
        engine.dispose()
        message = str(exc.orig) if exc.orig else str(exc)
        if "readonly" in message or "read-only" in message:
            raise ReadOnlyStoreError(
                f"The database {db_path or url} is read-only: {message}."
            ) from exc
        if "disk is full" in message:
            raise DiskFullError(
                f"Cannot open the database {db_path or url}: the disk is full. Free some disk "
                "space and start SprintDesk again; the file was not damaged."
            ) from exc
        raise StoreError(f"Cannot open the database {db_path or url}: {message}.") from exc
    except DatabaseError as exc:
        engine.dispose()
        if db_path is not None:
            raise _corrupt(db_path, str(exc.orig)) from exc
        raise StoreError(f"Cannot open the database {url}: {exc.orig}.") from exc
    except BaseException:
        engine.dispose()
        raise
    return Store(url, engine)


def _open_server_store(url: str) -> Store:
    """Open a team database on a PostgreSQL server, creating or migrating its schema under a
    lock so that SprintDesks starting together migrate it once. A schema newer than this
    SprintDesk's is refused before anything is written."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError, NoSuchModuleError

    from sprintdesk.storage.server import explain, lock_for_migration

    shown = display_url(url)
    if make_url(url).get_dialect().driver != "psycopg":
        raise BadDatabaseUrlError(
            f"{shown}: SprintDesk talks to PostgreSQL through psycopg 3; write the URL as "
            "postgresql+psycopg://USER@HOST:PORT/DATABASE."
        )
    try:
        engine = _make_engine(url)
    except (ImportError, NoSuchModuleError) as exc:
        raise BadDatabaseUrlError(
            f"Cannot use {shown}: the PostgreSQL driver (psycopg) is not installed ({exc})."
        ) from None

    def refuse_newer(revision: str | None) -> None:
        if revision is not None and revision not in REVISIONS:
            raise NewerSchemaError(
                f"The team database {shown} was set up by a newer SprintDesk (schema "
                f"{revision}); this version knows up to {HEAD}. Update SprintDesk to use it. "
                "Nothing was changed."
            )

    try:
        revision = _engine_revision(engine)
        refuse_newer(revision)
        if revision != HEAD:
            from sprintdesk.storage.migrations import upgrade

            with engine.begin() as conn:
                lock_for_migration(conn)
                # Another SprintDesk may have migrated while this one waited for the lock.
                from sqlalchemy import inspect, text

                current = (
                    conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
                    if inspect(conn).has_table("alembic_version")
                    else None
                )
                refuse_newer(current)
                if current != HEAD:
                    upgrade(conn)
    except DBAPIError as exc:
        engine.dispose()
        raise explain(exc, url) from exc
    except BaseException:
        engine.dispose()
        raise
    return Store(url, engine)
