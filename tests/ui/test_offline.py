"""The team database's server goes away mid-meeting (a real PostgreSQL server stopped with
pg_ctl and started again): edits keep being accepted and journaled in the outbox file, the
status says how many wait, and when the server is back they land through the conflict rules.

These tests stop their server, so they run on a cluster of their own (tests/pg.py)."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, select

from sprintdesk.editing import document
from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import Goal, Priority, Sprint
from sprintdesk.storage.outbox import outbox_path
from sprintdesk.storage.store import Store, open_store
from tests.pg import PgCluster

pytestmark = pytest.mark.postgresql


def newest_sprint(store: Store) -> int:
    with store.session() as session:
        found = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
        assert found is not None
        return found


def goal_of(doc: PlanDocument, index: int = 0) -> Goal:
    assert doc.sprint is not None
    return doc.sprint.goals[index]


@pytest.fixture
def doc(team_url: str) -> Iterator[PlanDocument]:
    store = open_store(team_url)
    opened = PlanDocument(store)
    opened.open_sprint(newest_sprint(store))
    yield opened
    opened.close()
    store.close()


def outbox_rows(url: str, data_dir: Path) -> list[dict[str, object]]:
    path = outbox_path(url, data_dir)
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    try:
        return [json.loads(row[0]) for row in conn.execute("SELECT body FROM entries")]
    finally:
        conn.close()


def test_edits_while_the_server_is_stopped_land_when_it_is_back(
    qtbot, own_cluster: PgCluster, team_url: str, doc: PlanDocument, data_dir: Path
) -> None:
    assert doc.sprint is not None
    for number in range(3):
        doc.set_attr(goal_of(doc), "why", f"online {number}")
        assert doc.save_now()
    own_cluster.stop("fast")

    # The save that finds the server gone keeps the edit; the window goes on.
    doc.set_attr(goal_of(doc), "why", "offline 0")
    assert not doc.save_now()
    assert doc.offline and doc.state == "offline"
    assert doc.status_text() == "Offline — 1 change waiting"
    titles = [goal.title for goal in doc.sprint.goals]  # everything loaded stays readable
    assert all(titles)
    # Every later edit is journaled at once: new rows, changed fields, deletions.
    doc.set_attr(goal_of(doc, 1), "title", "Renamed offline")
    doc.insert_row(doc.sprint.priorities, Priority(text="Added offline"))
    doomed = doc.sprint.priorities[0].text
    doc.remove_row(doc.sprint.priorities, doc.sprint.priorities[0])
    rows = outbox_rows(team_url, data_dir)
    assert doc.outbox is not None and doc.outbox.count() == len(rows)
    assert doc.status_text() == f"Offline — {len(rows)} changes waiting"
    assert {(row["kind"], row["table"], row["field"]) for row in rows} >= {
        ("update", "goals", "why"),
        ("update", "goals", "title"),
        ("insert", "priorities", None),
        ("delete", "priorities", None),
    }
    assert "***" not in outbox_path(team_url, data_dir).name

    own_cluster.start()
    qtbot.waitUntil(lambda: not doc.offline and doc.state == "saved", timeout=15000)
    assert doc.state == "saved" and doc.outbox.count() == 0
    assert outbox_rows(team_url, data_dir) == []

    check = open_store(team_url)
    with check.session() as session:
        sprint = session.get(Sprint, doc.sprint.id)
        assert sprint is not None
        assert sprint.goals[0].why == "offline 0"
        assert sprint.goals[1].title == "Renamed offline"
        texts = [priority.text for priority in sprint.priorities]
        assert texts.count("Added offline") == 1 and doomed not in texts
    check.close()


def test_replayed_edits_go_through_the_conflict_rules(
    qtbot, own_cluster: PgCluster, team_url: str, doc: PlanDocument, monkeypatch
) -> None:
    # The look-out waits: somebody else saves first, once the server is back.
    monkeypatch.setattr(document, "PROBE_DELAYS_MS", (600_000,))
    own_cluster.stop("fast")
    doc.set_attr(goal_of(doc), "title", "Mine, offline")
    doc.set_attr(goal_of(doc), "why", "My reason, offline")
    assert not doc.save_now() and doc.offline
    own_cluster.start()

    other = open_store(team_url)
    with other.unit_of_work() as session:
        assert doc.sprint is not None
        goal = session.get(Goal, goal_of(doc).id)
        assert goal is not None
        goal.title = "Theirs"  # the same field: asked about
        goal.target = "Their target"  # another field: both land

    with qtbot.waitSignal(doc.conflictsFound, timeout=5000) as found:
        assert doc.try_online()
    (conflict,) = found.args[0]
    assert (conflict.field, conflict.mine, conflict.theirs) == ("title", "Mine, offline", "Theirs")
    doc.resolve_conflict(conflict, keep_mine=True)
    with other.session() as session:
        goal = session.get(Goal, goal_of(doc).id)
        assert goal is not None
        assert (goal.title, goal.why, goal.target) == (
            "Mine, offline",
            "My reason, offline",
            "Their target",
        )
    other.close()


def test_an_outbox_left_behind_is_replayed_once_when_the_plan_opens(
    qtbot, own_cluster: PgCluster, team_url: str, doc: PlanDocument, data_dir: Path
) -> None:
    own_cluster.stop("fast")
    assert doc.sprint is not None
    sprint_id = doc.sprint.id
    doc.insert_row(doc.sprint.priorities, Priority(text="Left in the outbox"))
    assert not doc.save_now() and doc.offline
    doc.set_attr(goal_of(doc), "why", "Also left")
    # The SprintDesk goes away without saving (as if killed): only the outbox remains.
    doc.session.close()
    doc.outbox.close()
    own_cluster.start()
    outbox_file = outbox_path(team_url, data_dir)
    left = outbox_file.read_bytes()

    for attempt in range(2):
        if attempt:
            # As if killed after the commit and before the outbox was emptied: the batch is
            # recognised as landed and not applied again.
            outbox_file.write_bytes(left)
        store = open_store(team_url)
        again = PlanDocument(store)
        again.open_sprint(sprint_id)
        assert again.outbox is not None and again.outbox.count() == 0
        again.close()
        store.close()
    check = open_store(team_url)
    with check.session() as session:
        texts = session.scalars(select(Priority.text).where(Priority.sprint_id == sprint_id))
        assert list(texts).count("Left in the outbox") == 1
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None and sprint.goals[0].why == "Also left"
    check.close()


def test_the_window_says_offline_and_the_clock_keeps_running(
    qtbot, own_cluster: PgCluster, team_url: str, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QLabel

    from sprintdesk.ui.main_window import MainWindow

    store = open_store(team_url)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings=settings)
    qtbot.addWidget(window)
    label = window.findChild(QLabel, "saveState")
    assert label is not None
    doc = window.doc
    assert doc.sprint is not None
    window.act_start_meeting.trigger()
    assert window.clock is not None and window.clock.running
    assert doc.save_now()
    qtbot.wait(200)  # the window's own look-ups after opening (suggested timeboxes) are done
    own_cluster.stop("fast")
    doc.set_attr(goal_of(doc), "why", "Typed while the server was away")
    assert not doc.save_now()
    assert label.text() == "Offline — 1 change waiting"
    doc.set_attr(goal_of(doc, 1), "why", "And this")
    assert label.text() == "Offline — 2 changes waiting"
    window.commands.act_next.trigger()  # the meeting goes on without the server
    assert window.clock.running
    qtbot.wait(1200)  # a tick or two of the clock
    assert label.text().startswith("Offline — ")

    own_cluster.start()
    qtbot.waitUntil(lambda: label.text() == "✓ All changes saved", timeout=15000)
    window.close()
    check = open_store(team_url)
    with check.session() as session:
        goal = session.get(Goal, goal_of(doc).id)
        assert goal is not None and goal.why == "Typed while the server was away"
        sprint = session.get(Sprint, doc.sprint.id)
        assert sprint is not None and sprint.state == "in_meeting"
    check.close()
    store.close()


def test_the_outbox_goes_behind_the_window_before_what_is_typed_once_back(
    qtbot, own_cluster: PgCluster, team_url: str, doc: PlanDocument, monkeypatch
) -> None:
    # The look-out waits: the test says when the server is back.
    monkeypatch.setattr(document, "PROBE_DELAYS_MS", (600_000,))
    assert doc.sprint is not None
    sprint_id = doc.sprint.id
    own_cluster.stop("fast")
    doc.set_attr(goal_of(doc), "why", "offline")
    assert not doc.save_now() and doc.offline
    # A list renumbered offline (the first goal deleted, the rest move up), a new row.
    doomed = goal_of(doc).id
    doc.remove_row(doc.sprint.goals, goal_of(doc))
    doc.set_attr(goal_of(doc), "title", "Renamed offline")
    doc.insert_row(doc.sprint.priorities, Priority(text="Added offline"))
    waiting = doc.waiting
    assert waiting >= 4
    own_cluster.start()

    main = threading.main_thread()
    on_ui: list[str] = []

    def record(_conn, _cursor, statement: str, *_rest) -> None:
        if threading.current_thread() is main:
            on_ui.append(statement)

    event.listen(doc.store.engine, "before_cursor_execute", record)
    try:
        assert doc.try_online() and not doc.offline
        # On its way: still counted as waiting until it has landed.
        assert doc.waiting == waiting
        assert doc.status_text() == f"Sending — {waiting} changes waiting"
        # Typed once back: goes after the outbox (the same field: no conflict, it wins).
        doc.set_attr(goal_of(doc), "title", "Typed once back")
        doc.autosave()
        qtbot.waitUntil(lambda: doc.state == "saved" and not doc.waiting, timeout=15000)
    finally:
        event.remove(doc.store.engine, "before_cursor_execute", record)
    assert on_ui == []  # no statement on the UI thread from reconnecting to landed

    check = open_store(team_url)
    with check.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        assert doomed not in [goal.id for goal in sprint.goals]
        assert [goal.position for goal in sprint.goals] == list(range(len(sprint.goals)))
        assert sprint.goals[0].title == "Typed once back"
        assert [p.text for p in sprint.priorities].count("Added offline") == 1
    check.close()
    assert doc.outbox is not None and doc.outbox.count() == 0
