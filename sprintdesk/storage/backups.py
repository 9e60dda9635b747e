"""Backups of the database: one each day SprintDesk is used (the last 14 kept), one before
the first edit after each hour of work (kept for two days: the daily copies are the long-term
ones), and restoring one of them.

The daily copy is made when SprintDesk starts: on a day's first start it may be empty, and a
restore after a corruption would lose the day's work. The hourly copy (:func:`hourly_backup`,
called by the editing document before it saves) bounds that loss to about an hour.

Backups are made with SQLite's backup API (a consistent copy of a live database) into
``<data dir>/backups``. A restore first checks the chosen file, then backs up the current
database, then replaces it; the caller must have closed every connection to it. No Qt here.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sprintdesk.storage.migrations import REVISIONS
from sprintdesk.storage.store import SQLITE_MAGIC, StoreError, backup_dir_for

KEEP_DAILY = 14
DAILY_PREFIX = "sprintdesk-daily-"
HOURLY_PREFIX = "sprintdesk-hourly-"
RESTORE_PREFIX = "sprintdesk-before-restore-"
HOURLY_EVERY = timedelta(hours=1)
KEEP_HOURLY_FOR = timedelta(days=2)

_KIND_RE = re.compile(r"^sprintdesk-(?P<kind>daily|hourly|manual|before-restore|before)-")


class BackupError(StoreError):
    """A backup could not be made, read or restored; the message is meant for the user."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime
    size: int
    kind: str  # "daily", "hourly", "manual", "before-restore", "before-migration" or "other"

    @property
    def name(self) -> str:
        return self.path.name


def _kind(name: str) -> str:
    match = _KIND_RE.match(name)
    if not match:
        return "other"
    kind = match["kind"]
    return "before-migration" if kind == "before" else kind


def _readonly_uri(path: Path) -> str:
    # immutable: no locks and no -wal/-shm files left beside a backup we only read.
    return f"{path.resolve().as_uri()}?mode=ro&immutable=1"


def _explain(exc: BaseException, action: str, where: Path) -> BackupError:
    text = str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror
    lowered = text.lower()
    if "full" in lowered or "no space" in lowered:
        hint = " The disk is full: free some space."
    elif "read-only" in lowered or "readonly" in lowered or "permission" in lowered:
        hint = " The folder is read-only."
    else:
        hint = ""
    return BackupError(f"Cannot {action} {where}: {text}.{hint}")


def _copy_database(source_uri: str, dest: Path) -> None:
    """Copy with the backup API into a temporary file, then move it into place atomically, so
    that an interrupted backup never leaves a half-written file under the final name."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    src = sqlite3.connect(source_uri, uri=True)
    try:
        out = sqlite3.connect(tmp)
        try:
            src.backup(out)
        finally:
            out.close()
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    finally:
        src.close()


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Every backup of ``db_path``, newest first."""
    folder = backup_dir_for(db_path)
    if not folder.is_dir():
        return []
    found: list[BackupInfo] = []
    for path in folder.glob("*.db"):
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append(
            BackupInfo(path, datetime.fromtimestamp(stat.st_mtime), stat.st_size, _kind(path.name))
        )
    found.sort(key=lambda b: (b.created, b.name), reverse=True)
    return found


def daily_backup_path(db_path: Path, day: date) -> Path:
    return backup_dir_for(db_path) / f"{DAILY_PREFIX}{day:%Y%m%d}.db"


def daily_backup(
    db_path: Path, *, today: date | None = None, keep: int = KEEP_DAILY
) -> Path | None:
    """Back the database up once a day: returns the new backup, or None when today's exists
    already or there is nothing to back up yet. Keeps the newest ``keep`` daily backups.

    Raises :class:`BackupError` (disk full, read-only folder): the caller logs it and goes on.
    """
    day = today or date.today()
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    dest = daily_backup_path(db_path, day)
    if dest.exists():
        return None
    try:
        _copy_database(f"{db_path.resolve().as_uri()}?mode=ro", dest)
    except (OSError, sqlite3.Error) as exc:
        raise _explain(exc, "write the daily backup to", dest.parent) from exc
    prune(db_path, keep=keep)
    return dest


def hourly_backup(
    db_path: Path, *, now: datetime | None = None, every: timedelta = HOURLY_EVERY
) -> Path | None:
    """Back the database up when its newest backup (of any kind) is ``every`` old or more:
    called before saving an edit, it copies the work as it was before that edit. Returns the
    new backup, or None when a recent one exists or there is nothing to back up yet. Hourly
    copies older than :data:`KEEP_HOURLY_FOR` are deleted (the daily ones stay 14 days).

    Raises :class:`BackupError` (disk full, read-only folder): the caller logs it and goes on.
    """
    moment = now or datetime.now()
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    existing = list_backups(db_path)
    if existing and moment - existing[0].created < every:
        return None
    folder = backup_dir_for(db_path)
    dest = folder / f"{HOURLY_PREFIX}{moment:%Y%m%d-%H%M%S}.db"
    counter = 2
    while dest.exists():
        dest = folder / f"{HOURLY_PREFIX}{moment:%Y%m%d-%H%M%S}-{counter}.db"
        counter += 1
    try:
        _copy_database(f"{db_path.resolve().as_uri()}?mode=ro", dest)
    except (OSError, sqlite3.Error) as exc:
        raise _explain(exc, "write the hourly backup to", dest.parent) from exc
    # The copy's time is the moment it stands for (``now`` in tests, the clock otherwise).
    with contextlib.suppress(OSError):
        os.utime(dest, (moment.timestamp(), moment.timestamp()))
    for info in existing:
        if info.kind == "hourly" and moment - info.created > KEEP_HOURLY_FOR:
            with contextlib.suppress(OSError):
                info.path.unlink()
    return dest


def backup_age(created: datetime, now: datetime | None = None) -> tuple[str, int]:
    """How old a backup is, as (unit, count): ("minute", 5), ("hour", 2), ("day", 3); under a
    minute is ("minute", 0). The restore list says it in words ("2 hours ago")."""
    seconds = max(0.0, ((now or datetime.now()) - created).total_seconds())
    if seconds < 3600:
        return "minute", int(seconds // 60)
    if seconds < 86400:
        return "hour", int(seconds // 3600)
    return "day", int(seconds // 86400)


def prune(db_path: Path, *, keep: int = KEEP_DAILY) -> list[Path]:
    """Delete daily backups beyond the newest ``keep`` (and before-restore copies likewise)."""
    removed: list[Path] = []
    folder = backup_dir_for(db_path)
    for prefix in (DAILY_PREFIX, RESTORE_PREFIX):
        # The names carry the date, so sorting by name is sorting by age.
        files = sorted(folder.glob(f"{prefix}*.db"), reverse=True)
        for old in files[keep:]:
            with contextlib.suppress(OSError):
                old.unlink()
                removed.append(old)
    return removed


def _unique(folder: Path, prefix: str) -> Path:
    """A new file name with the time in it; never one that exists (two restores a second)."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = folder / f"{prefix}{stamp}.db"
    counter = 2
    while candidate.exists():
        candidate = folder / f"{prefix}{stamp}-{counter}.db"
        counter += 1
    return candidate


@dataclass(frozen=True)
class BackupContents:
    """What a copy holds, so an empty first-start copy is not chosen by mistake."""

    sprints: int
    people: int
    newest: str | None  # the name of the sprint starting last


def backup_contents(path: Path) -> BackupContents | None:
    """The number of sprints and people in a backup and its newest sprint's name, read without
    changing the file; None when it cannot be read (the restore then says why)."""
    try:
        conn = sqlite3.connect(_readonly_uri(path), uri=True)
        try:
            sprints = conn.execute("SELECT COUNT(*) FROM sprints").fetchone()[0]
            people = conn.execute("SELECT COUNT(*) FROM people").fetchone()[0]
            newest = conn.execute(
                'SELECT name FROM sprints ORDER BY "start" DESC, id DESC LIMIT 1'
            ).fetchone()
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return None
    return BackupContents(int(sprints), int(people), str(newest[0]) if newest else None)


def validate_backup(path: Path) -> str | None:
    """Check a backup can be restored; returns its schema revision. Raises BackupError."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise _explain(exc, "read the backup", path) from exc
    if header != SQLITE_MAGIC:
        raise BackupError(f"The file {path} is not a SQLite database; it cannot be restored.")
    try:
        conn = sqlite3.connect(_readonly_uri(path), uri=True)
        try:
            check = conn.execute("PRAGMA integrity_check").fetchone()
            if not check or check[0] != "ok":
                raise BackupError(
                    f"The backup {path} is damaged (integrity check: "
                    f"{check[0] if check else '?'}); choose another one."
                )
            tables = {
                row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "alembic_version" not in tables or "sprints" not in tables:
                raise BackupError(f"The file {path} is not a SprintDesk database.")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"The backup {path} cannot be read ({exc}); choose another one.") from exc
    revision = row[0] if row else None
    if revision is not None and revision not in REVISIONS:
        raise BackupError(
            f"The backup {path} was written by a newer SprintDesk "
            f"(schema {revision}); update SprintDesk to restore it."
        )
    return revision


def restore_backup(backup: Path, db_path: Path) -> Path | None:
    """Replace ``db_path`` with ``backup``; returns the safety copy of the replaced database.

    Close every connection to ``db_path`` first (``Store.close()``). An older schema is fine:
    the next ``open_store`` migrates it.
    """
    validate_backup(backup)
    safety: Path | None = None
    if db_path.is_file() and db_path.stat().st_size > 0:
        safety = _unique(backup_dir_for(db_path), RESTORE_PREFIX)
        try:
            # Through the backup API, so what is still in the -wal file is in the copy too.
            _copy_database(f"{db_path.resolve().as_uri()}?mode=ro", safety)
        except (OSError, sqlite3.Error) as exc:
            raise _explain(exc, "back up the current database to", safety.parent) from exc
    incoming = db_path.with_name(db_path.name + ".restore")
    try:
        _copy_database(_readonly_uri(backup), incoming)
        # A -wal left beside the old file would be replayed into the restored one.
        for suffix in ("-wal", "-shm"):
            side = db_path.with_name(db_path.name + suffix)
            if side.exists():
                side.unlink()
        os.replace(incoming, db_path)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            incoming.unlink()
        raise _explain(exc, "restore the backup into", db_path) from exc
    prune(db_path)
    return safety
