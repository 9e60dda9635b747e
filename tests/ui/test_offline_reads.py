"""What needs the team database's server while it is stopped (a real PostgreSQL server stopped
with pg_ctl): opening another sprint says it needs the server and keeps everything typed,
starting a meeting works without looking for other running meetings and says so; and a quick
restart of the server is not taken for the server being gone.

These tests stop their server, so they run on a cluster of their own (tests/pg.py)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import event, select

from sprintdesk.editing.document import OfflineError, PlanDocument
from sprintdesk.plan.model import Goal, Sprint
from sprintdesk.storage.store import open_store
from tests.pg import PgCluster

pytestmark = pytest.mark.postgresql


def sprint_ids(url: str) -> list[int]:
    store = open_store(url)
    try:
        with store.session() as session:
            return list(session.scalars(select(Sprint.id).order_by(Sprint.id)))
    finally:
        store.close()


def goal_why(url: str, goal_id: int) -> str:
    store = open_store(url)
    try:
        with store.session() as session:
            goal = session.get(Goal, goal_id)
            assert goal is not None
            return goal.why
    finally:
        store.close()


def test_opening_another_sprint_offline_says_it_needs_the_server_and_keeps_the_edits(
    qtbot, own_cluster: PgCluster, team_url: str
) -> None:
    first, *_rest, newest = sprint_ids(team_url)
    store = open_store(team_url)
    doc = PlanDocument(store)
    sprint = doc.open_sprint(newest)
    goal = sprint.goals[0]
    own_cluster.stop("fast")
    # Not yet known to be offline: the edit is sent, and opening finds the server gone.
    doc.set_attr(goal, "why", "Typed just before opening another sprint")
    with pytest.raises(OfflineError, match="needs the team database"):
        doc.open_sprint(first)
    qtbot.waitUntil(lambda: doc.offline, timeout=15000)
    assert doc.sprint is sprint and goal.why == "Typed just before opening another sprint"
    assert [g.title for g in sprint.goals]  # what is on screen stays readable
    # Known to be offline: asked again, the same answer at once.
    doc.set_attr(goal, "target", "Typed offline")
    with pytest.raises(OfflineError):
        doc.open_sprint(first)
    assert doc.outbox is not None
    assert {(e.field, e.mine) for e in doc.outbox.entries()} >= {
        ("why", "Typed just before opening another sprint"),
        ("target", "Typed offline"),
    }

    own_cluster.start()
    qtbot.waitUntil(lambda: not doc.offline and doc.state == "saved", timeout=15000)
    assert doc.open_sprint(first).id == first
    doc.close()
    store.close()
    assert goal_why(team_url, goal.id) == "Typed just before opening another sprint"


def test_a_meeting_starts_offline_and_the_window_says_what_it_could_not_check(
    qtbot, own_cluster: PgCluster, team_url: str, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    from sprintdesk.ui.main_window import MainWindow

    store = open_store(team_url)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings=settings)
    qtbot.addWidget(window)
    doc = window.doc
    assert doc.sprint is not None and doc.save_now()
    qtbot.wait(200)  # the window's own look-ups after opening (suggested timeboxes) are done
    own_cluster.stop("fast")
    doc.set_attr(doc.sprint.goals[0], "why", "Typed before the meeting, offline")
    assert not doc.save_now() and doc.offline
    window.act_start_meeting.trigger()
    assert window.clock is not None and window.clock.in_meeting and window.clock.running
    assert "cannot be checked" in window.statusBar().currentMessage()
    assert doc.sprint.goals[0].why == "Typed before the meeting, offline"
    window.close()
    store.close()


def test_a_quick_server_restart_is_not_taken_for_the_server_gone(
    qtbot, own_cluster: PgCluster, team_url: str
) -> None:
    store = open_store(team_url)
    doc = PlanDocument(store)
    sprint = doc.open_sprint(sprint_ids(team_url)[-1])
    states: list[str] = []
    doc.stateChanged.connect(states.append)
    goal = sprint.goals[0]
    doc.set_attr(goal, "why", "Before the restart")
    assert doc.save_now()
    # Restarted within the pool's idle ping (5 s): the pooled connections are dead.
    own_cluster.stop("fast")
    own_cluster.start()
    doc.set_attr(goal, "why", "Saved on the UI thread after the restart")
    assert doc.save_now()
    own_cluster.stop("fast")
    own_cluster.start()
    on_ui_thread: list[str] = []

    def record(_conn, _cursor, statement: str, *_rest) -> None:
        if threading.current_thread() is threading.main_thread():
            on_ui_thread.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    doc.set_attr(goal, "why", "Saved behind the window after the restart")
    doc.autosave()
    qtbot.waitUntil(lambda: doc.state == "saved", timeout=15000)
    event.remove(store.engine, "before_cursor_execute", record)
    assert "offline" not in states and not doc.offline
    assert on_ui_thread == []  # the writer tried again itself: no save fell back to the UI
    doc.close()
    store.close()
    assert goal_why(team_url, goal.id) == "Saved behind the window after the restart"


def test_picking_another_sprint_offline_keeps_the_open_one_and_says_why(
    qtbot, own_cluster: PgCluster, team_url: str, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    from sprintdesk.ui.main_window import MainWindow

    store = open_store(team_url)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings=settings)
    qtbot.addWidget(window)
    doc = window.doc
    current = doc.sprint
    assert current is not None and doc.save_now()
    qtbot.wait(200)  # the window's own look-ups after opening (suggested timeboxes) are done
    own_cluster.stop("fast")
    doc.set_attr(current.goals[0], "why", "Typed before picking another sprint")
    assert not doc.save_now() and doc.offline
    picker = window.sprint_picker
    other = next(i for i in range(picker.count()) if picker.itemData(i) != current.id)
    picker.setCurrentIndex(other)
    assert doc.sprint is current and picker.currentData() == current.id
    assert "needs the team database" in window.statusBar().currentMessage()
    assert current.goals[0].why == "Typed before picking another sprint"
    window.sprints.pick_up_other_writers()  # coming back to the window asks nothing offline
    assert doc.sprint is current and current.goals[0].why == "Typed before picking another sprint"
    window.close()
    store.close()


def test_coming_back_to_the_window_with_the_server_gone_asks_it_behind_the_window(
    qtbot, own_cluster: PgCluster, team_url: str, tmp_path: Path
) -> None:
    """The window does not know yet that the server has gone (nothing was saved since): coming
    back to it looks for other writers' sprints behind the window, and a refused look is no
    error for the user (the walk-through met an "unexpected problem" on each activation)."""
    from PySide6.QtCore import QSettings

    from sprintdesk.ui.main_window import MainWindow

    store = open_store(team_url)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings=settings)
    qtbot.addWidget(window)
    doc = window.doc
    current = doc.sprint
    assert current is not None and doc.save_now()
    qtbot.wait(200)  # the window's own look-ups after opening are done
    queries: list[str] = []

    def on_ui_thread(*_args: object) -> None:
        if threading.current_thread() is threading.main_thread():
            queries.append("query")

    event.listen(store.engine, "before_cursor_execute", on_ui_thread)
    own_cluster.stop("fast")
    window.sprints.pick_up_other_writers()  # what coming back to the window runs
    assert queries == []
    qtbot.wait(300)  # the refused look has come back
    assert doc.sprint is current and not doc.offline
    event.remove(store.engine, "before_cursor_execute", on_ui_thread)
    window.close()
    store.close()
