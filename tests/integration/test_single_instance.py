"""One SprintDesk per data directory, with real second processes and a killed holder."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from sprintdesk.ui.single_instance import (
    AlreadyRunningError,
    SingleInstance,
    acquire_or_signal,
    server_name,
)

HELPER = Path(__file__).with_name("instance_helper.py")
ROOT = Path(__file__).resolve().parents[2]


def _start(data_dir: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(HELPER), str(data_dir), mode],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def _wait_ready(child: subprocess.Popen[str]) -> None:
    assert child.stdout is not None
    line = child.stdout.readline().strip()
    assert line == "ready", child.stderr.read() if child.stderr else line


@pytest.fixture
def instances() -> Iterator[list[SingleInstance]]:
    held: list[SingleInstance] = []
    yield held
    for instance in held:
        instance.release()


def test_second_launch_raises_the_running_one(
    qtbot: QtBot, data_dir: Path, instances: list[SingleInstance]
) -> None:
    first = acquire_or_signal(data_dir)
    assert first is not None and first.locked
    instances.append(first)
    with qtbot.waitSignal(first.raiseRequested, timeout=10_000):
        second = _start(data_dir, "launch")
    out, err = second.communicate(timeout=10)
    assert second.returncode == 0, err
    assert out.strip() == "signalled"


def test_this_launch_signals_a_running_process_and_gets_none(qapp: object, data_dir: Path) -> None:
    holder = _start(data_dir, "hold")
    try:
        _wait_ready(holder)
        assert acquire_or_signal(data_dir) is None
        out, err = holder.communicate(timeout=10)
        assert holder.returncode == 0, err
        assert out.strip() == "raised"
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.communicate()


def test_a_killed_holder_leaves_a_lock_that_is_recovered(
    qtbot: QtBot, data_dir: Path, instances: list[SingleInstance]
) -> None:
    holder = _start(data_dir, "hold")
    _wait_ready(holder)
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=10)  # reaped: a zombie would still count as alive
    assert (data_dir / "sprintdesk.lock").exists()  # SIGKILL left the lock behind
    instance = acquire_or_signal(data_dir)
    assert instance is not None and instance.locked
    instances.append(instance)
    # It serves the next launch, although the dead holder's socket file was left behind too.
    with qtbot.waitSignal(instance.raiseRequested, timeout=10_000):
        launch = _start(data_dir, "launch")
    out, err = launch.communicate(timeout=10)
    assert out.strip() == "signalled", err


def test_different_data_dirs_do_not_interfere(
    qapp: object, tmp_path: Path, instances: list[SingleInstance]
) -> None:
    one = acquire_or_signal(tmp_path / "one")
    two = acquire_or_signal(tmp_path / "two")
    assert one is not None and two is not None
    instances.extend([one, two])
    assert server_name(tmp_path / "one") != server_name(tmp_path / "two")
    assert server_name(tmp_path / "one") == server_name(tmp_path / "one" / ".." / "one")


def test_a_holder_that_does_not_answer_is_named(qapp: object, data_dir: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    holder = _start(data_dir, "lock-only")
    try:
        _wait_ready(holder)
        with pytest.raises(AlreadyRunningError, match=f"process {holder.pid}"):
            acquire_or_signal(data_dir, timeout_ms=500)
    finally:
        holder.kill()
        holder.communicate()


def test_release_lets_the_next_one_in(qapp: object, data_dir: Path) -> None:
    first = acquire_or_signal(data_dir)
    assert first is not None
    first.release()
    again = acquire_or_signal(data_dir)
    assert again is not None and again.locked
    again.release()


def test_a_launch_before_the_first_paint_waits_for_the_listener(
    qtbot: QtBot, data_dir: Path, instances: list[SingleInstance]
) -> None:
    """The app takes the lock before its first paint and listens just after: a second launch
    in between keeps calling until it is heard, and is not started as a second window."""
    first = acquire_or_signal(data_dir, listen=False)
    assert first is not None and first.locked and first.server is None
    instances.append(first)
    second = _start(data_dir, "launch")
    qtbot.wait(600)  # the second launch is calling an instance that does not listen yet
    assert second.poll() is None
    with qtbot.waitSignal(first.raiseRequested, timeout=10_000):
        first.listen()
    out, err = second.communicate(timeout=10)
    assert second.returncode == 0, err
    assert out.strip() == "signalled"
