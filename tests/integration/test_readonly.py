"""A read-only or full data directory: a clear message, and nothing already saved is lost.

These mount a read-only bind or a tiny tmpfs (root in CI and here); where mounting is not
permitted they skip with the reason.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from sprintdesk.plan.model import Person
from sprintdesk.storage.backups import BackupError, daily_backup
from sprintdesk.storage.store import DiskFullError, ReadOnlyStoreError, open_store, storage_error
from sprintdesk.system.paths import default_url

ROOT = Path(__file__).resolve().parents[2]


def _mount(*args: str) -> None:
    if sys.platform != "linux" or shutil.which("mount") is None:
        pytest.skip("mounting test file systems needs Linux and mount(8)")
    result = subprocess.run(["mount", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount here ({result.stderr.strip() or 'not permitted'})")


def _umount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    target = tmp_path / "tiny"
    target.mkdir()
    _mount("-t", "tmpfs", "-o", "size=1m,mode=0755", "tmpfs", str(target))
    yield target
    _umount(target)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """(writable source folder, the same folder mounted read-only)."""
    source = tmp_path / "rw"
    view = tmp_path / "ro"
    source.mkdir()
    view.mkdir()
    _mount("--bind", str(source), str(view))
    try:
        _mount("-o", "remount,ro,bind", str(view))
    except BaseException:
        _umount(view)
        raise
    yield source, view
    _umount(view)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _names(path: Path) -> list[str]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM people ORDER BY id")]
    finally:
        conn.close()


def test_read_only_folder_with_a_database(read_only: tuple[Path, Path]) -> None:
    source, view = read_only
    store = open_store(default_url(source))
    with store.unit_of_work() as session:
        session.add(Person(name="Ana"))
    store.close()
    before = _digest(source / "sprintdesk.db")

    with pytest.raises(ReadOnlyStoreError) as caught:
        open_store(default_url(view))
    message = str(caught.value)
    assert str(view) in message and "read-only" in message and "--data-dir" in message
    assert "Nothing was changed" in message
    assert _digest(source / "sprintdesk.db") == before
    assert _names(source / "sprintdesk.db") == ["Ana"]


def test_read_only_empty_folder(read_only: tuple[Path, Path]) -> None:
    _source, view = read_only
    with pytest.raises(ReadOnlyStoreError, match="(?i)read-only.*--data-dir"):
        open_store(default_url(view / "data"))


def test_cli_says_so_in_one_line(read_only: tuple[Path, Path]) -> None:
    source, view = read_only
    open_store(default_url(source)).close()
    result = subprocess.run(
        [sys.executable, "-m", "sprintdesk", "--data-dir", str(view), "person", "Ana"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "read-only" in result.stderr


def test_disk_full_keeps_what_was_saved(tiny_disk: Path) -> None:
    store = open_store(default_url(tiny_disk))
    saved = 0
    with pytest.raises(OperationalError) as caught:  # noqa: PT012 - we fill the disk on purpose
        for saved in range(10_000):  # noqa: B007
            with store.unit_of_work() as session:
                session.add(Person(name=f"{saved:05d} " + "x" * 4000))
    error = storage_error(caught.value, store.path)
    assert isinstance(error, DiskFullError)
    assert "full" in str(error) and "Everything saved before it is safe" in str(error)
    assert saved > 10  # the disk took a good number of edits before it filled up

    # The session that failed rolled back; everything committed before it is still there.
    with store.session() as session:
        assert session.scalar(select(func.count(Person.id))) == saved
    store.close()
    conn = sqlite3.connect(tiny_disk / "sprintdesk.db")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == saved
    finally:
        conn.close()


def test_daily_backup_on_a_full_disk_is_explained(tiny_disk: Path) -> None:
    store = open_store(default_url(tiny_disk))
    try:
        with store.unit_of_work() as session:  # about half the disk
            session.add_all(Person(name="y" * 4000) for _ in range(100))
        assert store.path is not None
        with pytest.raises(BackupError, match="full"):
            daily_backup(store.path)
        assert not list((tiny_disk / "backups").glob("*.db*"))  # no half-written backup
        with store.session() as session:
            assert session.scalar(select(func.count(Person.id))) == 100
    finally:
        store.close()


@pytest.mark.slow  # among the slowest of the suite: `make test-slow` runs it
def test_reading_commands_work_in_a_read_only_folder(read_only: tuple[Path, Path]) -> None:
    """An archive or a read-only mount: list, check and export read it; a change is still
    refused with the read-only message, and the file is untouched."""
    from sprintdesk.plan.demo import load_demo

    source, view = read_only
    store = open_store(default_url(source))
    with store.unit_of_work() as session:
        load_demo(session)
    store.close()
    before = _digest(source / "sprintdesk.db")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sprintdesk", "--data-dir", str(view), *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )

    listed = run("list")
    assert listed.returncode == 0, listed.stderr
    assert "4.12.0 2/2" in listed.stdout
    exported = run("export", "4.12.0 2/2")
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout.startswith("# Sprint 4.12.0 2/2")
    checked = run("check", "4.12.0 2/2")
    assert checked.returncode in (0, 1), checked.stderr  # 1: the plan has errors
    assert "Traceback" not in checked.stderr
    changed = run("person", "Ana")
    assert changed.returncode == 1 and "read-only" in changed.stderr
    assert _digest(source / "sprintdesk.db") == before
    assert not list(view.glob("*-shm")) and not list(source.glob("*-shm"))
