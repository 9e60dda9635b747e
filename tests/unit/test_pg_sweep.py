"""The test clusters left running by a killed test run are stopped and removed at the next
session's start; those of live runs, and folders that do not say whose they are, are left."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.pg import FOLDER_PREFIX, OWNER_FILE, SKIP_REASON, server_bin, start_cluster
from tests.pg import sweep_stale_clusters as sweep


def gone_pid() -> int:
    """The id of a process that has ended."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return int(done.stdout)


@pytest.fixture
def root() -> Iterator[Path]:
    """A folder the server's own user can reach (the tests' tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="sprintdesk-sweep-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_only_folders_of_ended_runs_are_swept(root: Path) -> None:
    ended, alive, unknown = (root / f"{FOLDER_PREFIX}{name}" for name in ("a", "b", "c"))
    for folder in (ended, alive, unknown):
        folder.mkdir()
    (ended / OWNER_FILE).write_text(f"{gone_pid()}\n")
    (alive / OWNER_FILE).write_text(f"{os.getpid()}\n")
    assert sweep(root) == [ended]
    assert not ended.exists() and alive.exists() and unknown.exists()


@pytest.mark.postgresql
def test_a_running_cluster_of_a_killed_run_is_stopped(root: Path) -> None:
    if server_bin() is None:
        pytest.skip(SKIP_REASON)
    cluster, folder = start_cluster(root)
    try:
        assert (cluster.data / "postmaster.pid").exists()
        (folder / OWNER_FILE).write_text(f"{gone_pid()}\n")  # as if its run was killed
        assert sweep(root) == [folder]
        assert not folder.exists()
        with pytest.raises(Exception, match="(?i)connect|refused"):
            cluster.execute("SELECT 1")
    finally:
        if folder.exists():
            cluster.stop()
