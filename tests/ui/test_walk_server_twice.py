"""The walk-through's second round (issue 12): a window on a team database, shown and painted,
loses its server twice while edits are typed, with a colleague's edit in between. Every edit
typed offline lands when the server is back, the agenda keeps painting, and nothing is raised.

The server is stopped and started, so this runs on a cluster of its own (tests/pg.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from sprintdesk.plan.model import Goal
from sprintdesk.storage.store import open_store
from tests.pg import PgCluster

pytestmark = pytest.mark.postgresql


def goal_why(url: str, goal_id: int) -> str:
    store = open_store(url)
    try:
        with store.session() as session:
            why = session.scalar(select(Goal.why).where(Goal.id == goal_id))
            assert why is not None
            return why
    finally:
        store.close()


def set_why(url: str, goal_id: int, why: str) -> None:
    store = open_store(url)
    try:
        with store.unit_of_work() as session:
            goal = session.get(Goal, goal_id)
            assert goal is not None
            goal.why = why
    finally:
        store.close()


@pytest.mark.parametrize("settled", [True, False], ids=["settled", "at-once"])
def test_two_server_stops_lose_no_edit_and_keep_the_window_working(
    qtbot, own_cluster: PgCluster, team_url: str, tmp_path: Path, settled: bool
) -> None:
    """``at-once``: the server stops while the window's own look-ups after opening (the
    suggested timeboxes, read in the window's session) are still to run, and they fail."""
    from PySide6.QtCore import QSettings

    from sprintdesk.ui.main_window import MainWindow

    store = open_store(team_url)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings=settings)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    doc = window.doc
    sprint = doc.sprint
    assert sprint is not None
    first, second = sprint.goals[0], sprint.goals[1]
    qtbot.waitUntil(lambda: doc.state == "saved", timeout=10_000)
    if settled:
        qtbot.wait(500)  # the window's own look-ups after opening (suggested timeboxes) are done
    for round_ in (1, 2):
        own_cluster.stop("fast")
        window.sprints.pick_up_other_writers()  # coming back to the window
        doc.set_attr(first, "why", f"Typed offline, round {round_}")
        doc.send()
        qtbot.waitUntil(lambda: doc.offline, timeout=10_000)
        window.agenda_view.viewport().repaint()
        window.sprints.pick_up_other_writers()
        own_cluster.start()
        qtbot.waitUntil(lambda: not doc.offline and doc.state == "saved", timeout=20_000)
        assert goal_why(team_url, first.id) == f"Typed offline, round {round_}"
        # A colleague's edit, then one of ours on another goal: both land, nothing raised.
        set_why(team_url, second.id, f"Colleague, round {round_}")
        typed = f"Typed online, round {round_}"
        doc.set_attr(first, "why", typed)
        doc.send()
        qtbot.waitUntil(lambda t=typed: goal_why(team_url, first.id) == t, timeout=10_000)
        window.agenda_view.viewport().repaint()
    window.close()
    store.close()
