"""Live updates on a real PostgreSQL server: a commit in one client notifies the others with the
rows it changed; ``sprintdesk watch --json`` prints them; against SQLite it explains (exit 2)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest
from sqlalchemy import select

from sprintdesk.cli.main import main
from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import Goal, TeamItem
from sprintdesk.storage.live import Listener
from sprintdesk.storage.store import open_store

pytestmark = pytest.mark.postgresql


def test_a_commit_notifies_listeners_with_the_changed_rows(pg_database: str) -> None:
    writer = open_store(pg_database)
    listener = Listener(pg_database)
    listener.connect()
    try:
        with writer.unit_of_work() as session:
            load_demo(session)
        assert listener.wait(5)  # the demo's rows
        listener.poll()
        with writer.unit_of_work() as session:
            goal = session.scalars(select(Goal).order_by(Goal.id)).first()
            item = session.scalars(select(TeamItem).order_by(TeamItem.id)).first()
            assert goal is not None and item is not None
            goal.title = "Changed by Ann"
            item.title = "Changed too"
            expected = {
                ("goals", goal.id, goal.sprint_id),
                ("team_items", item.id, item.team_plan.sprint_id),
            }
        changes = listener.wait(5)
        assert {(c.what, c.id, c.sprint_id) for c in changes} == expected
        assert all(c.client == writer.notifier.client and c.op == "update" for c in changes)
        # Rolled back: nobody hears of it.
        with writer.session() as session:
            goal = session.scalars(select(Goal)).first()
            assert goal is not None
            goal.title = "Never saved"
            session.flush()
            session.rollback()
        assert listener.wait(0.3) == []
    finally:
        listener.close()
        writer.close()


def test_watch_prints_one_json_line_per_change(pg_database: str) -> None:
    store = open_store(pg_database)
    with store.unit_of_work() as session:
        load_demo(session)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    watcher = subprocess.Popen(
        [sys.executable, "-m", "sprintdesk", "--db", pg_database, "watch", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        # Ctrl+C as in a terminal: a suite started in the background (a shell's `&`) runs with
        # SIGINT ignored, which a child inherits, and Python then leaves it ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert watcher.stderr is not None and watcher.stdout is not None
        assert "watching" in watcher.stderr.readline()  # LISTEN is in place
        with store.unit_of_work() as session:
            goal = session.scalars(select(Goal).order_by(Goal.id)).first()
            assert goal is not None
            goal.why = "Because the team asked"
            goal_id, sprint_id = goal.id, goal.sprint_id
        line = json.loads(watcher.stdout.readline())
        assert set(line) == {"sprint_id", "what", "id", "by", "at"}
        assert (line["what"], line["id"], line["sprint_id"]) == ("goals", goal_id, sprint_id)
        watcher.send_signal(signal.SIGINT)  # Ctrl+C ends it quietly
        assert watcher.wait(10) == 0
    finally:
        if watcher.poll() is None:  # a failed step above: never leave it (or the test) waiting
            watcher.kill()
        watcher.communicate()
        store.close()


def test_watch_against_sqlite_explains(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db_url, "watch", "--json"]) == 2
    assert "watching needs a team database" in capsys.readouterr().err
