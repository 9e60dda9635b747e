"""A team's members ticked in the roster while the team database's server is stopped (a real
PostgreSQL server, pg_ctl): the change waits in the offline outbox with the plan's edits, the
roster says so, and when the server is back it lands as a merge with what somebody else changed
in the same team meanwhile. (The kill while offline: tests/integration/test_offline_kill.py.)

These tests stop their server, so they run on a cluster of their own (tests/pg.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import Person, Sprint, Team
from sprintdesk.storage.outbox import outbox_path
from sprintdesk.storage.store import Store, open_store
from sprintdesk.views.roster import TeamsPage
from tests.pg import PgCluster

pytestmark = pytest.mark.postgresql


@pytest.fixture
def doc(team_doc: PlanDocument) -> PlanDocument:
    return team_doc


def members_on_server(url: str, team_id: int) -> set[int]:
    store = open_store(url)
    try:
        with store.session() as session:
            team = session.get(Team, team_id)
            assert team is not None
            return {person.id for person in team.members}
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


def item_for(page: TeamsPage, person_id: int):
    for index in range(page.members.count()):
        item = page.members.item(index)
        if item.data(Qt.ItemDataRole.UserRole) == person_id:
            return item
    raise AssertionError(f"person {person_id} is not listed")


def test_members_ticked_offline_wait_and_land_merged_with_others(
    qtbot, own_cluster: PgCluster, team_url: str, doc: PlanDocument, data_dir: Path
) -> None:
    page = TeamsPage(doc)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.team_list.count() > 0)  # read behind the window
    page.team_list.setCurrentRow(0)
    team_id = page.current_id
    assert team_id is not None
    qtbot.waitUntil(lambda: page.members.count() > 0)  # its details too
    before = members_on_server(team_url, team_id)
    outsiders = [
        page.members.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(page.members.count())
        if page.members.item(i).checkState() == Qt.CheckState.Unchecked
    ]
    assert len(outsiders) >= 2 and before
    mine, theirs = outsiders[0], outsiders[1]
    leaving = sorted(before)[0]

    # Somebody else adds a person to the same team after this roster read it.
    other = open_store(team_url)
    with other.unit_of_work() as session:
        team = session.get(Team, team_id)
        person = session.get(Person, theirs)
        assert team is not None and person is not None
        team.members.append(person)
    other.close()

    own_cluster.stop("fast")
    # The first tick finds the server gone (its save, behind the window, fails): the window
    # goes offline, the change waits.
    item_for(page, mine).setCheckState(Qt.CheckState.Checked)
    qtbot.waitUntil(lambda: "once the team database is back" in page.message.text(), timeout=15000)
    assert doc.offline
    assert outbox_kinds(team_url, data_dir) == ["members"]
    assert doc.status_text() == "Offline — 1 change waiting"
    assert "once the team database is back" in page.message.text()
    # A second tick while offline joins the same waiting change.
    item_for(page, leaving).setCheckState(Qt.CheckState.Unchecked)
    assert outbox_kinds(team_url, data_dir) == ["members"]

    own_cluster.start()
    qtbot.waitUntil(lambda: not doc.offline and doc.state == "saved", timeout=15000)
    assert doc.outbox is not None and doc.outbox.count() == 0
    assert members_on_server(team_url, team_id) == (before | {mine, theirs}) - {leaving}


def test_members_left_in_the_outbox_by_a_killed_window_are_replayed_at_open(
    own_cluster: PgCluster, team_url: str, data_dir: Path
) -> None:
    from sprintdesk.storage.outbox import Outbox, members_entry

    store: Store = open_store(team_url)
    with store.session() as session:
        team = session.scalars(select(Team).order_by(Team.id)).first()
        assert team is not None
        team_id, base = team.id, sorted(p.id for p in team.members)
        newcomer = session.scalars(
            select(Person.id).where(Person.id.not_in(base)).order_by(Person.id)
        ).first()
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert newcomer is not None and sprint_id is not None
    outbox = Outbox(outbox_path(team_url, data_dir))
    outbox.write([members_entry(team_id, [*base, newcomer], base)])
    outbox.close()

    doc = PlanDocument(store)
    doc.open_sprint(sprint_id)
    try:
        assert doc.outbox is not None and doc.outbox.count() == 0
        assert members_on_server(team_url, team_id) == {*base, newcomer}
    finally:
        doc.close()
        store.close()
