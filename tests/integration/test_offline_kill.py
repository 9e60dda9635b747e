"""A SprintDesk editing a team database in a loop while its real PostgreSQL server is stopped
and started again, then killed (``kill -9``) while offline and started again once the server is
back: every edit it reported landed, and none twice."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sprintdesk.plan import roster
from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import Priority, Sprint
from sprintdesk.storage.store import open_store
from tests.pg import SKIP_REASON, PgCluster, server_bin, start_cluster

pytestmark = [pytest.mark.postgresql, pytest.mark.slow]

CLIENT = Path(__file__).with_name("offline_client.py")
MEMBERS_CLIENT = Path(__file__).with_name("members_client.py")
TEAM_CLIENT = Path(__file__).with_name("team_client.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_cluster() -> Iterator[PgCluster]:
    if server_bin() is None:
        pytest.skip(SKIP_REASON)
    cluster, folder = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


class Client:
    """The edit loop in a child process; its printed lines arrive on a queue."""

    def __init__(self, url: str, data_dir: Path, mode: str, script: Path = CLIENT) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(script), url, str(data_dir), mode],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.done: list[tuple[int, str]] = []
        self.chosen: dict[int, set[int]] = {}  # members_client: the members each change chose
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        with self.proc.stdout:
            for line in self.proc.stdout:
                self.lines.put(line.strip())

    def finish(self) -> None:
        """After the process ended: every line read, the pipe closed."""
        self.reader.join(timeout=30)

    def until(self, state: str, count: int) -> None:
        """Wait for ``count`` more edits reported in ``state`` (online or offline)."""
        seen = 0
        while seen < count:
            line = self.lines.get(timeout=60)
            self.take(line)
            if self.done[-1][1] == state:
                seen += 1

    def take(self, line: str) -> None:
        number, reported, *chosen = line.split()
        self.done.append((int(number), reported))
        if chosen:
            self.chosen[int(number)] = {int(i) for i in chosen[0].split(",") if i}


@pytest.mark.parametrize("mode", ["edit", "behind"])
def test_killed_offline_then_restarted_loses_no_edit_and_repeats_none(
    own_cluster: PgCluster, data_dir: Path, mode: str
) -> None:
    name = own_cluster.new_database(migrated=False)
    url = own_cluster.url(name)
    setup = open_store(url)
    with setup.unit_of_work() as session:
        load_demo(session)
    setup.close()

    client = Client(url, data_dir, mode)
    try:
        client.until("online", 5)
        own_cluster.stop("fast")  # the server goes away mid-meeting...
        client.until("offline", 5)
        own_cluster.start()  # ...comes back: the client reconnects by itself
        client.until("online", 5)
        own_cluster.stop("fast")
        client.until("offline", 5)
        client.proc.send_signal(signal.SIGKILL)  # killed while offline
        client.proc.wait(timeout=30)
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
            client.proc.wait()
        client.finish()
    while not client.lines.empty():  # lines printed before the kill
        client.take(client.lines.get())
    states = [reported for _number, reported in client.done]
    assert "offline" in states and states[-1] == "offline"

    own_cluster.start()
    replay = Client(url, data_dir, "replay")
    assert replay.lines.get(timeout=60) == "replayed, 0 waiting"
    assert replay.proc.wait(timeout=60) == 0
    replay.finish()

    last = client.done[-1][0]
    store = open_store(url)
    with store.session() as session:
        counts = dict(
            session.execute(select(Priority.text, func.count()).group_by(Priority.text)).all()
        )
        sprint = session.scalars(select(Sprint).order_by(Sprint.id.desc())).first()
        assert sprint is not None
        why = sprint.goals[0].why
    store.close()
    missing = [n for n in range(last + 1) if counts.get(f"edit {n}", 0) != 1]
    assert missing == [], f"edits lost or doubled: {missing}"
    assert counts.get(f"edit {last + 1}", 0) <= 1  # typed as the kill came: at most once
    assert why in (f"edit {last}", f"edit {last + 1}")
    own_cluster.drop_database(name)


def test_members_ticked_offline_survive_a_kill(own_cluster: PgCluster, data_dir: Path) -> None:
    """A team's members changed in the roster while the server is stopped, then the window
    killed: the next SprintDesk replays the change once the server is back."""
    name = own_cluster.new_database(migrated=False)
    url = own_cluster.url(name)
    setup = open_store(url)
    with setup.unit_of_work() as session:
        load_demo(session)
    setup.close()

    client = Client(url, data_dir, "edit", MEMBERS_CLIENT)
    try:
        client.until("online", 3)
        own_cluster.stop("fast")
        client.until("offline", 4)
        client.proc.send_signal(signal.SIGKILL)  # killed while offline
        client.proc.wait(timeout=30)
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
            client.proc.wait()
        client.finish()
    while not client.lines.empty():
        client.take(client.lines.get())
    assert client.done[-1][1] == "offline"
    last = client.chosen[client.done[-1][0]]
    saved = client.chosen[max(n for n, state in client.done if state == "online")]
    assert len(saved ^ last) >= 2  # the changes made offline are what is checked below

    own_cluster.start()
    replay = Client(url, data_dir, "replay", MEMBERS_CLIENT)
    assert replay.lines.get(timeout=60) == "replayed, 0 waiting"
    assert replay.proc.wait(timeout=60) == 0
    replay.finish()

    store = open_store(url)
    with store.session() as session:
        team = roster.teams(session, include_archived=False)[0]
        members = {person.id for person in team.members}
    store.close()
    # The last change reported, or the one ticked as the kill came (one person more or less).
    assert len(members ^ last) <= 1, (members, last)
    own_cluster.drop_database(name)


def test_team_added_offline_survives_a_kill(own_cluster: PgCluster, data_dir: Path) -> None:
    """A team added in the roster while the server is stopped, then the window killed: the
    next SprintDesk adds it once the server is back, and the one after that not again."""
    name = own_cluster.new_database(migrated=False)
    url = own_cluster.url(name)
    setup = open_store(url)
    with setup.unit_of_work() as session:
        load_demo(session)
    setup.close()

    client = subprocess.Popen(
        [sys.executable, str(TEAM_CLIENT), url, str(data_dir), "add"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert client.stdin is not None and client.stdout is not None
    try:
        assert client.stdout.readline().strip() == "ready"
        client.stdin.write("Day Shift\n")
        client.stdin.flush()
        assert client.stdout.readline().strip() == "added Day Shift online"
        own_cluster.stop("fast")
        client.stdin.write("Night Owls\n")
        client.stdin.flush()
        assert client.stdout.readline().strip() == "added Night Owls offline"
        client.send_signal(signal.SIGKILL)  # killed while offline
        client.wait(timeout=30)
    finally:
        if client.poll() is None:
            client.kill()
            client.wait()
        client.stdin.close()
        client.stdout.close()

    own_cluster.start()
    for _run in range(2):  # the second run finds nothing waiting and adds nothing again
        replay = Client(url, data_dir, "replay", TEAM_CLIENT)
        assert replay.lines.get(timeout=60) == "replayed, 0 waiting"
        assert replay.proc.wait(timeout=60) == 0
        replay.finish()

    store = open_store(url)
    with store.session() as session:
        names = [team.name for team in roster.teams(session, include_archived=True)]
    store.close()
    assert names.count("Day Shift") == 1 and names.count("Night Owls") == 1, names
    own_cluster.drop_database(name)


def test_days_off_and_a_person_added_offline_survive_a_kill(
    own_cluster: PgCluster, data_dir: Path
) -> None:
    """Days off added in the availability window and a person added in the roster while the
    server is stopped, then the window killed: the next SprintDesk saves them once the server
    is back, and the one after that not again."""
    from sprintdesk.plan.model import Person, TimeOff
    from sprintdesk.plan.workdays import working_days

    name = own_cluster.new_database(migrated=False)
    url = own_cluster.url(name)
    setup = open_store(url)
    with setup.unit_of_work() as session:
        load_demo(session)
        sprint = session.scalars(select(Sprint).order_by(Sprint.id.desc())).first()
        assert sprint is not None and sprint.start is not None
        taken = {day for off in sprint.time_off for day in working_days(off.start, off.end)}
        free = [day for day in working_days(sprint.start, sprint.end) if day not in taken]
        sprint_id = sprint.id
    setup.close()
    online_day, offline_day = free[0], free[1]

    client = subprocess.Popen(
        [sys.executable, str(TEAM_CLIENT), url, str(data_dir), "beside"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert client.stdin is not None and client.stdout is not None

    def send(line: str) -> str:
        assert client.stdin is not None and client.stdout is not None
        client.stdin.write(line + "\n")
        client.stdin.flush()
        return client.stdout.readline().strip()

    try:
        ready, person_id = client.stdout.readline().split()
        assert ready == "ready"
        assert send("person Day Walker") == "added person Day Walker online"
        assert send(f"off {online_day}") == f"added off {online_day} online"
        own_cluster.stop("fast")
        assert send("person Night Owl") == "added person Night Owl offline"
        assert send(f"off {offline_day}") == f"added off {offline_day} offline"
        client.send_signal(signal.SIGKILL)  # killed while offline
        client.wait(timeout=30)
    finally:
        if client.poll() is None:
            client.kill()
            client.wait()
        client.stdin.close()
        client.stdout.close()

    own_cluster.start()
    for _run in range(2):  # the second run finds nothing waiting and adds nothing again
        replay = Client(url, data_dir, "replay", TEAM_CLIENT)
        assert replay.lines.get(timeout=60) == "replayed, 0 waiting"
        assert replay.proc.wait(timeout=60) == 0
        replay.finish()

    store = open_store(url)
    with store.session() as session:
        names = list(session.scalars(select(Person.name)))
        days = list(
            session.scalars(
                select(TimeOff.start).where(
                    TimeOff.sprint_id == sprint_id, TimeOff.person_id == int(person_id)
                )
            )
        )
    store.close()
    assert names.count("Day Walker") == 1 and names.count("Night Owl") == 1, names
    assert days.count(online_day) == 1 and days.count(offline_day) == 1, days
    own_cluster.drop_database(name)
