"""SIGKILL in the middle of editing: every edit reported as committed survives, and the database
passes ``PRAGMA integrity_check`` (a real child process, killed at random moments)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sprintdesk.storage.store import open_store

WORKER = Path(__file__).with_name("kill_worker.py")
ROOT = Path(__file__).resolve().parents[2]
KILLS = 20


def _committed_lines(output: bytes) -> list[int]:
    # Only whole lines: the last one may have been cut by the kill.
    lines = output.split(b"\n")
    return [int(line) for line in lines[:-1] if line.strip()]


@pytest.mark.slow
def test_sigkill_loses_nothing_committed(data_dir: Path) -> None:
    url = f"sqlite:///{data_dir / 'sprintdesk.db'}"
    open_store(url).close()  # create and migrate once, as the first start would
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rng = random.Random(7)
    reported: list[int] = []
    next_number = 0
    for _ in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, str(WORKER), url, str(next_number)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None
        first = child.stdout.readline()  # the loop is running: at least one commit done
        assert first.strip(), child.stderr.read().decode() if child.stderr else ""
        time.sleep(rng.uniform(0.0, 0.12))
        child.send_signal(signal.SIGKILL)
        rest, _err = child.communicate()
        assert child.returncode == -signal.SIGKILL
        numbers = _committed_lines(first + rest)
        assert numbers, "the worker reported no commit"
        reported.extend(numbers)
        next_number = numbers[-1] + 2  # the edit after the last reported may have committed

        conn = sqlite3.connect(data_dir / "sprintdesk.db")
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            present = {row[0] for row in conn.execute("SELECT github_login FROM people")}
        finally:
            conn.close()
        missing = [n for n in numbers if f"edit-{n}" not in present]
        assert not missing, f"committed edits lost after a kill: {missing[:10]}"

    # The app's own way in still accepts the file after all those kills.
    store = open_store(url)
    try:
        with store.session() as session:
            logins = set(
                session.connection().exec_driver_sql("SELECT github_login FROM people").scalars()
            )
    finally:
        store.close()
    assert {f"edit-{n}" for n in reported} <= logins
    assert len(reported) > KILLS
