"""The Availability window read again (after a save landed, or the roster changed): the same
people, teams and weeks change their boxes in place, names, shares and chosen heroes included,
so reading again builds no new boxes (a few hundred on a large sprint, a long UI turn); what
somebody else changed shows all the same."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from sprintdesk.plan import roster
from sprintdesk.plan.model import Person, Sprint, Team
from sprintdesk.plan.planning import create_sprint
from sprintdesk.storage.store import Store
from sprintdesk.views.availability import AvailabilityEditor

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_reading_again_changes_the_boxes_in_place(doc_for, qtbot, store: Store) -> None:
    with store.unit_of_work() as session:
        ana, ben = Person(name="Ana"), Person(name="Ben")
        cy = Person(name="Cy", active=False)  # archived: no longer offered as a hero
        session.add_all([Team(name="Core", members=[ana, ben]), cy])
        session.flush()
        sprint_id = create_sprint(session, "S", date(2025, 3, 3), date(2025, 3, 14)).id
        ids = {p.name: p.id for p in (ana, ben, cy)}
        team_id = session.scalars(select(Team.id)).one()
    editor = AvailabilityEditor(doc_for(store), sprint_id)
    qtbot.addWidget(editor)
    spin, label = editor.share_spins[ids["Ana"]], editor.share_labels[ids["Ben"]]
    week1 = editor.hero_boxes[(team_id, 1)]
    assert week1.findData(ids["Cy"]) < 0

    # Somebody else: Ana half time, Ben renamed.
    with store.unit_of_work() as session:
        sprint = session.get(Sprint, sprint_id)
        ana_row, ben_row = session.get(Person, ids["Ana"]), session.get(Person, ids["Ben"])
        assert sprint is not None and ana_row is not None and ben_row is not None
        roster.set_share(session, sprint, ana_row, 0.5)
        ben_row.name = "Benedict"
    editor.reload()
    assert editor.share_spins[ids["Ana"]] is spin and spin.value() == 50  # in place
    assert editor.share_labels[ids["Ben"]] is label and label.text() == "Benedict"
    assert editor.hero_boxes[(team_id, 1)] is week1
    assert week1.itemText(week1.findData(ids["Ben"])) == "Benedict"
    assert "Ana 5 days, Benedict 10 days" in editor.capacity_line.text()

    # The archived Cy made hero in week 1: listed in that week's box, chosen.
    with store.unit_of_work() as session:
        sprint = session.get(Sprint, sprint_id)
        team = session.get(Team, team_id)
        cy_row = session.get(Person, ids["Cy"])
        assert sprint is not None and team is not None
        roster.set_support_duty(session, sprint, team, 1, cy_row)
    editor.reload()
    assert editor.hero_boxes[(team_id, 1)] is week1
    assert week1.currentData() == ids["Cy"] and week1.currentText() == "Cy"
    assert editor.hero_boxes[(team_id, 2)].findData(ids["Cy"]) < 0
    # Filling the boxes saved nothing: no share or hero was written back.
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        assert [(a.person_id, a.share) for a in sprint.allocations] == [(ids["Ana"], 0.5)]
        assert [(d.week, d.person_id) for d in sprint.support_duties] == [(1, ids["Cy"])]

    with store.unit_of_work() as session:
        sprint = session.get(Sprint, sprint_id)
        team = session.get(Team, team_id)
        assert sprint is not None and team is not None
        roster.set_support_duty(session, sprint, team, 1, None)
    editor.reload()
    assert editor.hero_boxes[(team_id, 1)] is week1
    assert week1.findData(ids["Cy"]) < 0  # no longer chosen: no longer listed
    assert week1.currentData() is None


def test_another_person_in_the_sprint_builds_the_boxes_again(doc_for, qtbot, store: Store) -> None:
    with store.unit_of_work() as session:
        ana = Person(name="Ana")
        session.add(Team(name="Core", members=[ana]))
        session.flush()
        sprint_id = create_sprint(session, "S", date(2025, 3, 3), date(2025, 3, 14)).id
    editor = AvailabilityEditor(doc_for(store), sprint_id)
    qtbot.addWidget(editor)
    with store.unit_of_work() as session:
        team = session.scalars(select(Team)).one()
        dee = Person(name="Dee")
        team.members.append(dee)
        session.flush()
        dee_id = dee.id
    editor.reload()
    assert editor.share_spins[dee_id].value() == 100
    assert editor.share_labels[dee_id].text() == "Dee"
