"""A team added while the team database's server is stopped (a real PostgreSQL server,
pg_ctl), from the roster and from the welcome page: it waits in the offline outbox, the page
says so, and when the server is back it is added exactly once; a team of the same name added
meanwhile by somebody else gets the waiting team's members instead of a twin. (The kill while
offline: tests/integration/test_offline_kill.py.)

These tests stop their server, so they run on a cluster of their own (tests/pg.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import Person, Sprint, Team
from sprintdesk.storage.outbox import outbox_path
from sprintdesk.storage.store import Store, open_store
from sprintdesk.views.roster import TeamsPage
from sprintdesk.views.welcome import WelcomePage
from tests.pg import PgCluster

pytestmark = pytest.mark.postgresql


@pytest.fixture
def doc(team_doc: PlanDocument) -> PlanDocument:
    return team_doc


def teams_named(url: str, name: str) -> list[tuple[int, set[int]]]:
    """Every team called ``name`` (ignoring case) on the server, with its members."""
    store = open_store(url)
    try:
        with store.session() as session:
            teams = session.scalars(select(Team).where(func.lower(Team.name) == name.lower()))
            return [(team.id, {person.id for person in team.members}) for team in teams]
    finally:
        store.close()


def outbox_kinds(url: str, data_dir: Path) -> list[str]:
    path = outbox_path(url, data_dir)
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    try:
        return [json.loads(row[0])["kind"] for row in conn.execute("SELECT body FROM entries")]
    finally:
        conn.close()


def test_team_added_in_the_roster_offline_waits_and_lands_once(
    qtbot, own_cluster: PgCluster, team_url: str, doc: PlanDocument, data_dir: Path
) -> None:
    page = TeamsPage(doc)
    qtbot.addWidget(page)

    own_cluster.stop("fast")
    qtbot.keyClicks(page.new_name, "  Night   Owls ")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    # The add finds the server gone (its save, behind the window, fails): the window goes
    # offline, the new team waits.
    qtbot.waitUntil(lambda: "once the team database is back" in page.message.text(), timeout=15000)
    assert doc.offline
    assert outbox_kinds(team_url, data_dir) == ["team"]
    assert doc.status_text() == "Offline — 1 change waiting"
    assert "Night Owls" in page.message.text()
    assert "once the team database is back" in page.message.text()
    assert page.new_name.text() == ""
    # The same team added again while offline is still one waiting team.
    qtbot.keyClicks(page.new_name, "night owls")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert outbox_kinds(team_url, data_dir) == ["team"]

    own_cluster.start()
    qtbot.waitUntil(lambda: not doc.offline and doc.state == "saved", timeout=15000)
    assert doc.outbox is not None and doc.outbox.count() == 0
    assert [members for _id, members in teams_named(team_url, "Night Owls")] == [set()]
    # Landed, the team shows in the roster's list (once read again, behind the window).
    qtbot.waitUntil(
        lambda: (
            "Night Owls" in [page.team_list.item(i).text() for i in range(page.team_list.count())]
        )
    )


def test_team_added_on_the_welcome_page_offline_keeps_its_members(
    qtbot, own_cluster: PgCluster, team_url: str, doc: PlanDocument, data_dir: Path
) -> None:
    page = WelcomePage(doc)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.members.count() > 1)  # read behind the page
    ids = [page.members.item(i).data(Qt.ItemDataRole.UserRole) for i in (0, 1)]

    own_cluster.stop("fast")
    qtbot.keyClicks(page.team_name, "Night Owls")
    for i in (0, 1):
        page.members.item(i).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(page.add_team_button, Qt.MouseButton.LeftButton)
    # Sent behind the page, the save finds the server gone: the team waits in the outbox.
    qtbot.waitUntil(lambda: page.team_waiting.text() != "", timeout=15000)
    assert doc.offline
    assert outbox_kinds(team_url, data_dir) == ["team"]
    assert page.team_waiting.text() == (
        "Team Night Owls will be added with 2 members once the team database is back."
    )
    assert page.team_error.text() == ""

    own_cluster.start()
    qtbot.waitUntil(lambda: not doc.offline and doc.state == "saved", timeout=15000)
    assert doc.outbox is not None and doc.outbox.count() == 0
    assert [members for _id, members in teams_named(team_url, "Night Owls")] == [set(ids)]
    # Landed, the team is counted (once read again, behind the page) and the waiting
    # message is gone.
    qtbot.waitUntil(lambda: "Night Owls (2)" in page.people_summary.text())
    assert page.team_waiting.text() == ""
    assert page.team_waiting.isHidden()


def test_team_waiting_in_the_outbox_merges_into_one_of_the_same_name_added_meanwhile(
    own_cluster: PgCluster, team_url: str, data_dir: Path
) -> None:
    from sprintdesk.storage.outbox import Outbox, team_entry

    store: Store = open_store(team_url)
    with store.unit_of_work() as session:
        people = list(session.scalars(select(Person.id).order_by(Person.id)))
        mine, theirs = people[:2], people[1:3]
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    # Killed while offline with the team waiting...
    outbox = Outbox(outbox_path(team_url, data_dir))
    outbox.write([team_entry("Night Owls", mine)])
    outbox.close()
    # ...while somebody else added a team of the same name.
    with store.unit_of_work() as session:
        from sprintdesk.plan import roster

        roster.add_team(
            session, "NIGHT OWLS", [p for p in (session.get(Person, i) for i in theirs) if p]
        )

    doc = PlanDocument(store)
    doc.open_sprint(sprint_id)
    try:
        assert doc.outbox is not None and doc.outbox.count() == 0
        [(team_id, members)] = teams_named(team_url, "Night Owls")
        assert members == set(mine) | set(theirs)
    finally:
        doc.close()
        store.close()
    # Opened again: nothing waits, nothing is added twice.
    store = open_store(team_url)
    again = PlanDocument(store)
    again.open_sprint(sprint_id)
    again.close()
    store.close()
    assert teams_named(team_url, "Night Owls") == [(team_id, set(mine) | set(theirs))]
