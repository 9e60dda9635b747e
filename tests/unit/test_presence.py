"""Presence on a real PostgreSQL server (schema 0004): seats kept by heartbeat, judged by the
server's clock, the facilitator's lease, and who a change notification names."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import Goal, Sprint
from sprintdesk.storage import presence
from sprintdesk.storage.live import Listener
from sprintdesk.storage.store import Store, open_store

pytestmark = pytest.mark.postgresql


@pytest.fixture
def store_and_sprint(pg_database: str) -> Iterator[tuple[Store, int]]:
    store = open_store(pg_database)
    with store.unit_of_work() as session:
        load_demo(session)
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    yield store, sprint_id
    store.close()


def test_a_heartbeat_shows_who_else_is_here(store_and_sprint) -> None:
    store, sprint = store_and_sprint
    first = presence.heartbeat(store.engine, client="a", sprint_id=sprint, name="Ana",
                               section_id=None)  # fmt: skip
    assert first.seats == ()  # my own row is written by this beat, seen from the next
    presence.heartbeat(store.engine, client="b", sprint_id=sprint, name="Ben", section_id=7)
    beat = presence.heartbeat(store.engine, client="a", sprint_id=sprint, name="Ana",
                              section_id=3)  # fmt: skip
    assert [(s.name, s.section_id) for s in beat.others("a")] == [("Ben", 7)]
    assert {s.client for s in beat.seats} == {"a", "b"}
    # Another sprint's seats are not mine to see.
    other = presence.heartbeat(store.engine, client="c", sprint_id=sprint - 1, name="Cy",
                               section_id=None)  # fmt: skip
    assert other.others("c") == []


def test_a_seat_expires_by_the_servers_clock(store_and_sprint) -> None:
    store, sprint = store_and_sprint
    presence.heartbeat(store.engine, client="b", sprint_id=sprint, name="Ben", section_id=None)
    # Ben's laptop went to sleep a minute ago: his last beat is old by the server's clock.
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE presence SET heartbeat_at = now() - interval '61 seconds'"))
    beat = presence.heartbeat(store.engine, client="a", sprint_id=sprint, name="Ana",
                              section_id=None)  # fmt: skip
    assert beat.others("a") == []
    # Within the expiry he is still here.
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE presence SET heartbeat_at = now() - interval '20 seconds'"))
    beat = presence.heartbeat(store.engine, client="a", sprint_id=sprint, name="Ana",
                              section_id=None)  # fmt: skip
    assert [s.name for s in beat.others("a")] == ["Ben"]
    assert presence.EXPIRY_SECONDS + presence.HEARTBEAT_SECONDS <= 60


def test_the_server_offset_is_measured(store_and_sprint) -> None:
    store, sprint = store_and_sprint
    beat = presence.heartbeat(store.engine, client="a", sprint_id=sprint, name="Ana",
                              section_id=None)  # fmt: skip
    assert abs(beat.server_offset) < 5  # same machine: the clocks agree


def test_one_facilitator_at_a_time(store_and_sprint) -> None:
    store, sprint = store_and_sprint
    for client, name in (("a", "Ana"), ("b", "Ben")):
        presence.heartbeat(store.engine, client=client, sprint_id=sprint, name=name,
                           section_id=None)  # fmt: skip
    presence.claim(store.engine, client="a", sprint_id=sprint, name="Ana")
    beat = presence.heartbeat(store.engine, client="b", sprint_id=sprint, name="Ben",
                              section_id=None)  # fmt: skip
    facilitator = beat.facilitator()
    assert facilitator is not None and facilitator.name == "Ana"
    presence.claim(store.engine, client="b", sprint_id=sprint, name="Ben")
    beat = presence.heartbeat(store.engine, client="a", sprint_id=sprint, name="Ana",
                              section_id=None)  # fmt: skip
    assert [s.name for s in beat.seats if s.facilitator] == ["Ben"]
    # Ana's heartbeat did not take the lease back.
    beat = presence.heartbeat(store.engine, client="a", sprint_id=sprint, name="Ana",
                              section_id=None)  # fmt: skip
    assert [s.name for s in beat.seats if s.facilitator] == ["Ben"]


def test_leaving_and_announcing_notify_the_others(store_and_sprint) -> None:
    store, sprint = store_and_sprint
    listener = Listener(store.url)
    listener.connect()
    try:
        presence.heartbeat(store.engine, client="b", sprint_id=sprint, name="Ben",
                           section_id=None)  # fmt: skip
        assert listener.wait(0.3) == []  # a plain beat is quiet
        presence.heartbeat(store.engine, client="b", sprint_id=sprint, name="Ben",
                           section_id=4, announce=True)  # fmt: skip
        (change,) = listener.wait(5)
        assert (change.what, change.id, change.sprint_id, change.by) == (
            "presence", "b", sprint, "Ben")  # fmt: skip
        presence.leave(store.engine, client="b", sprint_id=sprint, name="Ben")
        (change,) = listener.wait(5)
        assert (change.what, change.op) == ("presence", "delete")
        beat = presence.heartbeat(store.engine, client="a", sprint_id=sprint, name="Ana",
                                  section_id=None)  # fmt: skip
        assert beat.others("a") == []
    finally:
        listener.close()


def test_a_change_names_the_database_role(pg_cluster, pg_database: str) -> None:
    """``by`` is the role the server authenticated (here a role named after Ana), not the
    operating system's login."""
    pg_cluster.execute(
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ana') THEN "
        "CREATE ROLE ana LOGIN SUPERUSER PASSWORD 'pw-ana'; END IF; END$$"
    )
    name = pg_database.rsplit("/", 1)[1]
    store = open_store(pg_cluster.url(name, user="ana", password="pw-ana"))
    listener = Listener(pg_database)
    listener.connect()
    try:
        with store.unit_of_work() as session:
            load_demo(session)
        listener.wait(5)
        time.sleep(0.05)
        listener.poll()
        with store.unit_of_work() as session:
            goal = session.scalars(select(Goal).order_by(Goal.id)).first()
            assert goal is not None
            goal.title = "Ana was here"
        (change,) = listener.wait(5)
        assert change.by == "ana"
    finally:
        listener.close()
        store.close()


def test_watch_prints_plan_changes_not_presence(store_and_sprint) -> None:
    import json
    import os
    import subprocess
    import sys

    store, sprint = store_and_sprint
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(
        [sys.executable, "-m", "sprintdesk", "--db", store.url, "watch", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as watcher:
        assert watcher.stderr is not None and watcher.stdout is not None
        try:
            assert "watching" in watcher.stderr.readline()
            presence.heartbeat(store.engine, client="b", sprint_id=sprint, name="Ben",
                               section_id=None, announce=True)  # fmt: skip
            with store.unit_of_work() as session:
                goal = session.scalars(select(Goal).order_by(Goal.id)).first()
                assert goal is not None
                goal.why = "Because"
                goal_id = goal.id
            line = json.loads(watcher.stdout.readline())
            assert (line["what"], line["id"], line["by"]) == ("goals", goal_id, "postgres")
        finally:
            watcher.terminate()
            watcher.wait(10)
