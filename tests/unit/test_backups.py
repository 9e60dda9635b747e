"""Daily backups (one a day, the last 14 kept), listing, validating and restoring."""

from __future__ import annotations

import os
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sprintdesk.plan.model import Person
from sprintdesk.storage import backups
from sprintdesk.storage.migrations import HEAD
from sprintdesk.storage.store import Store, backup_dir_for, open_store


def _people(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM people ORDER BY name")]
    finally:
        conn.close()


def _add(store: Store, name: str) -> None:
    with store.unit_of_work() as session:
        session.add(Person(name=name))


def test_one_backup_per_day(store: Store) -> None:
    assert store.path is not None
    _add(store, "Ana")
    day = date(2026, 3, 2)
    first = backups.daily_backup(store.path, today=day)
    assert first == backup_dir_for(store.path) / "sprintdesk-daily-20260302.db"
    # Committed but possibly still in the -wal file: the backup API copies it anyway.
    assert _people(first) == ["Ana"]
    _add(store, "Ben")
    assert backups.daily_backup(store.path, today=day) is None
    assert _people(first) == ["Ana"]
    second = backups.daily_backup(store.path, today=day + timedelta(days=1))
    assert second is not None and _people(second) == ["Ana", "Ben"]
    assert not list(backup_dir_for(store.path).glob("*.part"))


def test_keeps_the_last_fourteen(store: Store) -> None:
    assert store.path is not None
    start = date(2026, 1, 1)
    for offset in range(20):
        assert backups.daily_backup(store.path, today=start + timedelta(days=offset))
    names = sorted(p.name for p in backup_dir_for(store.path).glob("sprintdesk-daily-*.db"))
    assert len(names) == backups.KEEP_DAILY
    assert names[0] == "sprintdesk-daily-20260107.db"
    assert names[-1] == "sprintdesk-daily-20260120.db"


def test_no_database_yet_means_no_backup(data_dir: Path) -> None:
    assert backups.daily_backup(data_dir / "sprintdesk.db") is None
    assert backups.list_backups(data_dir / "sprintdesk.db") == []


def test_list_is_newest_first_with_kinds(store: Store) -> None:
    assert store.path is not None
    old = backups.daily_backup(store.path, today=date(2026, 1, 1))
    assert old is not None
    os.utime(old, (1_700_000_000, 1_700_000_000))
    manual = store.backup(label="manual")
    found = backups.list_backups(store.path)
    assert [b.path for b in found] == [manual, old]
    assert [b.kind for b in found] == ["manual", "daily"]
    assert all(b.size > 0 for b in found)


def test_validate_rejects_what_cannot_be_restored(store: Store, tmp_path: Path) -> None:
    assert store.path is not None
    good = store.backup(label="manual")
    assert backups.validate_backup(good) == HEAD

    text = tmp_path / "notes.db"
    text.write_text("just some notes")
    with pytest.raises(backups.BackupError, match="not a SQLite database"):
        backups.validate_backup(text)

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE things (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(backups.BackupError, match="not a SprintDesk database"):
        backups.validate_backup(other)

    newer = tmp_path / "newer.db"
    newer.write_bytes(good.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    with pytest.raises(backups.BackupError, match="newer SprintDesk"):
        backups.validate_backup(newer)

    damaged = tmp_path / "damaged.db"
    data = bytearray(good.read_bytes())
    page = 4096
    for offset in range(page, len(data), 97):  # scribble over every page after the first
        data[offset] = (data[offset] + 101) % 256
    damaged.write_bytes(bytes(data))
    with pytest.raises(backups.BackupError):
        backups.validate_backup(damaged)


def test_restore_replaces_and_keeps_a_safety_copy(store: Store) -> None:
    assert store.path is not None
    _add(store, "Ana")
    backup = backups.daily_backup(store.path, today=date(2026, 1, 1))
    assert backup is not None
    _add(store, "Ben")
    store.close()
    safety = backups.restore_backup(backup, store.path)
    assert safety is not None and safety.name.startswith("sprintdesk-before-restore-")
    assert _people(safety) == ["Ana", "Ben"]
    reopened = open_store(store.url)
    try:
        with reopened.session() as session:
            assert session.scalars(select(Person.name)).all() == ["Ana"]
            assert session.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        _add(reopened, "Cleo")  # the restored database takes new edits
        with reopened.session() as session:
            assert session.scalar(select(func.count(Person.id))) == 2
    finally:
        reopened.close()
    # Restoring the safety copy undoes the restore.
    backups.restore_backup(safety, store.path)
    assert _people(store.path) == ["Ana", "Ben"]


def test_a_bad_backup_leaves_the_database_alone(store: Store, tmp_path: Path) -> None:
    assert store.path is not None
    _add(store, "Ana")
    store.close()
    before = store.path.read_bytes()
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    with pytest.raises(backups.BackupError):
        backups.restore_backup(bad, store.path)
    assert store.path.read_bytes() == before
    assert not list(backup_dir_for(store.path).glob("sprintdesk-before-restore-*"))
