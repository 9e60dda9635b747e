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

from sprintdesk.storage.migrations import HEAD, REVISIONS

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

BACKUP_DIRNAME = "backups"
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(Exception):
    """A problem with the database that the user must be told about in plain words."""


class NewerSchemaError(StoreError):
    pass


class CorruptDatabaseError(StoreError):
    pass


class ReadOnlyStoreError(StoreError):
    pass


class BadDatabaseUrlError(StoreError):
    """``--db`` is not a usable SQLAlchemy URL (bad input, not a broken database)."""


class DiskFullError(StoreError):
    pass


def storage_error(exc: BaseException, where: object) -> StoreError:
    """A message for a failed write (disk full, read-only, busy) that says what was kept."""
    orig = getattr(exc, "orig", None)
    message = str(orig if orig is not None else exc)
    lowered = message.lower()
    if "disk is full" in lowered or "no space" in lowered:
        return DiskFullError(
            f"The disk holding {where} is full, so the last change was not saved. Everything "
            "saved before it is safe; free some disk space and try again."
        )
    if "readonly" in lowered or "read-only" in lowered:
        return ReadOnlyStoreError(
            f"The database {where} is read-only, so the last change was not saved. Everything "
            "saved before it is safe; make the folder writable or choose another with --data-dir."
        )
    if "locked" in lowered or "busy" in lowered:
        return StoreError(
            f"The database {where} is busy (is another program using it?); the last change was "
            "not saved. Try again in a moment."
        )
    return StoreError(f"Could not save to the database {where}: {message}.")


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
        self.path = sqlite_path(url)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def session(self) -> Session:
        return self._sessions()

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self._sessions.begin() as session:
            yield session

    def backup(self, dest: Path | None = None, *, label: str = "manual") -> Path:
        if self.path is None:
            raise StoreError("Only a SQLite database file can be backed up.")
        if dest is None:
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
            dest = backup_dir_for(self.path) / f"sprintdesk-{label}-{stamp}.db"
        return sqlite_backup(self.path, dest)

    def close(self) -> None:
        self.engine.dispose()


def _make_engine(url: str) -> Engine:
    from sqlalchemy import create_engine, event

    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_connect)
    return engine


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
        raise StoreError(f"{url} is not a SQLite database file: it cannot be opened read-only.")
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
            f"{url!r} is not a database URL (for example sqlite:///path/to/sprintdesk.db)."
        ) from None
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
