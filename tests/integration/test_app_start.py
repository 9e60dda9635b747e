"""The real start-up path (``sprintdesk`` with no command) in a subprocess: logging, the daily
backup once the database is open, and a second launch raising the first window."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.slow  # among the slowest of the suite: `make test-slow` runs it
def test_start_backup_and_single_instance(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    base = [sys.executable, "-m", "sprintdesk", "--data-dir", str(data)]
    subprocess.run([*base, "demo"], check=True, capture_output=True, env=env, timeout=60)
    first = subprocess.Popen(base, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log = data / "logs" / "sprintdesk.log"
    try:
        assert _wait_for(lambda: log.exists() and "daily backup written" in log.read_text())
        assert (data / "backups").is_dir() and list((data / "backups").glob("*daily*.db"))
        second = subprocess.run(base, env=env, capture_output=True, text=True, timeout=60)
        assert second.returncode == 0, second.stderr
        assert _wait_for(lambda: "asked to raise the window" in log.read_text())
        assert first.poll() is None  # the first one is still running
    finally:
        first.terminate()
        first.wait(timeout=30)
