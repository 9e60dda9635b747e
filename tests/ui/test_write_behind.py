"""Autosave on a team database does not make the window wait for the network: with the server
stalled (a proxy holding everything sent to it), the autosave returns at once, the event loop
turns, edits are still taken, and everything lands in order once the server answers."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import Goal, Sprint
from sprintdesk.storage.store import Store, open_store
from tests.gateproxy import GateProxy

pytestmark = pytest.mark.postgresql


def goals_in_database(url: str) -> dict[int, str]:
    store = open_store(url)
    try:
        with store.session() as session:
            return {goal.id: goal.why for goal in session.scalars(select(Goal))}
    finally:
        store.close()


def _latest_sprint_opened(url: str) -> tuple[Store, PlanDocument, Sprint]:
    """The database at ``url`` opened, with its latest sprint open in a document."""
    store = open_store(url)
    doc = PlanDocument(store)
    with store.session() as session:
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    return store, doc, doc.open_sprint(sprint_id)


def test_autosave_does_not_wait_for_a_stalled_server(
    qtbot, pg_database: str, through_proxy: tuple[GateProxy, str]
) -> None:
    proxy, url = through_proxy
    store: Store = open_store(url)
    doc = PlanDocument(store)
    with store.session() as session:
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    sprint = doc.open_sprint(sprint_id)
    first, second = sprint.goals[0], sprint.goals[1]
    # Should the autosave wait for the server after all, the gate opens by itself later, so
    # the test fails on what landed instead of hanging.
    safety = threading.Timer(30, proxy.open_gate)
    safety.start()
    try:
        doc.set_attr(first, "why", "Saved behind the window")
        proxy.close_gate()
        doc.autosave()  # what the autosave timer runs
        # Back at once: the server has not been able to answer, nothing has landed yet.
        assert proxy.gate.is_set() is False
        assert goals_in_database(pg_database)[first.id] != "Saved behind the window"
        qtbot.waitUntil(lambda: proxy.held > 0)  # the writer's statement waits at the gate
        ticks: list[int] = []

        def turned() -> bool:
            ticks.append(1)
            return len(ticks) > 3

        qtbot.waitUntil(turned)  # the event loop turns
        doc.set_attr(second, "why", "Typed while the server stalled")
        assert doc.state == "pending"
        proxy.open_gate()
        qtbot.waitUntil(lambda: doc.state == "saved", timeout=15000)
    finally:
        safety.cancel()
    landed = goals_in_database(pg_database)
    assert landed[first.id] == "Saved behind the window"
    assert landed[second.id] == "Typed while the server stalled"
    doc.close()
    store.close()


def test_edits_saved_behind_keep_the_conflict_rules(
    qtbot, pg_database: str, through_proxy: tuple[GateProxy, str]
) -> None:
    _proxy, url = through_proxy
    store, doc, sprint = _latest_sprint_opened(url)
    goal = sprint.goals[0]
    other = open_store(pg_database)
    with other.unit_of_work() as session:
        theirs = session.get(Goal, goal.id)
        assert theirs is not None
        theirs.title = "Their title"
        theirs.target = "Their target"
    doc.set_attr(goal, "title", "My title")
    doc.set_attr(goal, "why", "My reason")
    with qtbot.waitSignal(doc.conflictsFound, timeout=15000) as found:
        doc.autosave()
    (conflict,) = found.args[0]
    assert (conflict.field, conflict.mine, conflict.theirs) == ("title", "My title", "Their title")
    assert conflict.obj is goal and goal.title == "Their title"  # shown until chosen
    doc.resolve_conflict(conflict, keep_mine=True)
    with other.session() as session:
        landed = session.get(Goal, goal.id)
        assert landed is not None
        assert (landed.title, landed.why, landed.target) == (
            "My title",
            "My reason",
            "Their target",
        )
    other.close()
    doc.close()
    store.close()


def test_a_batch_lost_with_the_server_comes_back_as_unsaved_and_goes_to_the_outbox(
    qtbot, pg_database: str, through_proxy: tuple[GateProxy, str]
) -> None:
    proxy, url = through_proxy
    store, doc, sprint = _latest_sprint_opened(url)
    goal = sprint.goals[0]
    doc.set_attr(goal, "why", "On its way when the server went")
    proxy.close_gate()
    doc.autosave()
    qtbot.waitUntil(lambda: proxy.held > 0)
    proxy.stop()  # the connection drops with the batch in it; nothing answers any more
    qtbot.waitUntil(lambda: doc.offline, timeout=15000)
    assert doc.state == "offline" and goal.why == "On its way when the server went"
    assert doc.outbox is not None
    assert [(e.kind, e.table, e.field, e.mine) for e in doc.outbox.entries()] == [
        ("update", "goals", "why", "On its way when the server went")
    ]
    assert goals_in_database(pg_database)[goal.id] != "On its way when the server went"
    doc.close()
    store.close()
