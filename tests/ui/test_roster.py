"""The roster window (sprintdesk.views.roster) and the availability editor
(sprintdesk.views.availability), driven like a user would, checked in the database."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import select

from sprintdesk.plan.model import Allocation, Person, Role, Sprint, SupportDuty, Team, TimeOff
from sprintdesk.plan.planning import create_sprint
from sprintdesk.storage.store import Store
from sprintdesk.views.availability import AvailabilityDialog
from sprintdesk.views.roster import PeopleModel, PeoplePage, RosterWindow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _people(store: Store) -> dict[str, Person]:
    with store.session() as session:
        return {p.name: p for p in session.scalars(select(Person))}


def _select(page: PeoplePage, person_id: int) -> None:
    row = page.model.row_of(person_id)
    assert row is not None
    page.table.selectRow(row)


def _window(doc_for, qtbot, store: Store) -> RosterWindow:
    window = RosterWindow(doc_for(store))
    qtbot.addWidget(window)
    return window


def test_people_model(doc_for, qtbot, qtmodeltester, demo_store: Store) -> None:
    window = _window(doc_for, qtbot, demo_store)
    model = window.people_page.model
    assert isinstance(model, PeopleModel)
    qtmodeltester.check(model)
    assert model.rowCount() == 8
    assert model.headerData(1, Qt.Orientation.Horizontal) == "GitHub login"
    first = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert first == ["Ana Souza", "@ana-souza", "Engineer", "Onboarding", "Active"]


def test_add_person_with_validation(doc_for, qtbot, store: Store) -> None:
    window = _window(doc_for, qtbot, store)
    page = window.people_page
    qtbot.keyClicks(page.new_name, "Ana Souza")
    qtbot.keyClicks(page.new_login, "@ana-souza")
    page.new_role.setCurrentIndex(page.new_role.findData(Role.DESIGNER.value))
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    ana = _people(store)["Ana Souza"]
    assert (ana.github_login, ana.role, ana.active) == ("ana-souza", "designer", True)
    assert page.new_name.text() == "" and "Added Ana Souza" in page.message.text()
    assert page.model.rowCount() == 1 and page.current_id == ana.id
    assert page.name_edit.text() == "Ana Souza"

    # Duplicate login (GitHub logins ignore case): refused, and what was typed stays.
    qtbot.keyClicks(page.new_name, "Another Ana")
    qtbot.keyClicks(page.new_login, "ANA-souza")
    qtbot.keyClick(page.new_login, Qt.Key.Key_Return)
    assert page.message.text() == "Ana Souza already has the GitHub login “ana-souza”."
    assert (page.new_name.text(), page.new_login.text()) == ("Another Ana", "ANA-souza")
    assert len(_people(store)) == 1

    page.new_name.clear()
    page.new_login.clear()
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "A person needs a name."
    qtbot.keyClicks(page.new_name, "Kwame")
    qtbot.keyClicks(page.new_login, "kwame asante")
    assert not page.add_person()
    assert "not a GitHub login" in page.message.text()
    assert page.new_login.text() == "kwame asante"


def test_edit_and_archive_person(doc_for, qtbot, demo_store: Store) -> None:
    window = _window(doc_for, qtbot, demo_store)
    page = window.people_page
    jun = _people(demo_store)["Jun Watanabe"]
    _select(page, jun.id)
    assert page.login_edit.text() == "jun"
    page.name_edit.clear()
    qtbot.keyClicks(page.name_edit, "Jun W.")
    page.name_edit.editingFinished.emit()
    assert _people(demo_store)["Jun W."].id == jun.id
    assert "Saved Jun W." in page.message.text()

    # Taking someone else's login is refused; the field keeps the text.
    page.login_edit.setText("marco")
    assert not page.save_current()
    assert page.message.text() == "Marco Rossi already has the GitHub login “marco”."
    assert page.login_edit.text() == "marco"
    assert _people(demo_store)["Jun W."].github_login == "jun"
    page.name_edit.setText("   ")
    page.login_edit.setText("jun")
    assert not page.save_current()
    assert page.message.text() == "A person needs a name."

    page.name_edit.setText("Jun W.")
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert _people(demo_store)["Jun W."].active is False
    assert "archived" in page.message.text()
    assert jun.id not in [row.id for row in page.model.rows]  # archived are hidden...
    page.show_archived.setChecked(True)  # ...until asked for
    row = page.model.row_of(jun.id)
    assert row is not None and page.model.data(page.model.index(row, 4)) == "Archived"
    _select(page, jun.id)
    assert page.archive_button.text() == "Restore"
    page.toggle_archived()
    assert _people(demo_store)["Jun W."].active is True


def test_teams_add_rename_members_archive(doc_for, qtbot, demo_store: Store) -> None:
    window = _window(doc_for, qtbot, demo_store)
    window.tabs.setCurrentIndex(1)
    page = window.teams_page
    qtbot.keyClicks(page.new_name, "billing")  # same as "Billing" but for case
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.message.text() == "There is already a team called “Billing”."
    assert page.new_name.text() == "billing"
    page.new_name.setText("  Platform  ")
    assert page.add_team()
    with demo_store.session() as session:
        platform = session.scalars(select(Team).where(Team.name == "Platform")).one()
    assert page.current_id == platform.id and page.name_edit.text() == "Platform"

    # Tick two members: written at once.
    names = {page.members.item(i).text(): page.members.item(i) for i in range(page.members.count())}
    names["Ana Souza"].setCheckState(Qt.CheckState.Checked)
    names["Jun Watanabe"].setCheckState(Qt.CheckState.Checked)
    with demo_store.session() as session:
        team = session.get(Team, platform.id)
        assert team is not None
        assert [p.name for p in team.members] == ["Ana Souza", "Jun Watanabe"]
    assert "2 members" in page.message.text()
    # The people tab shows the new team.
    people = window.people_page
    ana_row = people.model.row_of(_people(demo_store)["Ana Souza"].id)
    assert ana_row is not None
    assert "Platform" in people.model.data(people.model.index(ana_row, 3))

    page.name_edit.setText("Pipeline")
    page.name_edit.editingFinished.emit()
    assert page.message.text() == "There is already a team called “Pipeline”."
    assert page.name_edit.text() == "Pipeline"
    page.name_edit.setText("Core platform")
    assert page.save_name()
    page.toggle_archived()
    with demo_store.session() as session:
        team = session.get(Team, platform.id)
        assert team is not None and (team.name, team.active) == ("Core platform", False)
    assert page.current_id is None  # archived teams leave the list until shown


@pytest.fixture
def sprint_id(store: Store) -> int:
    with store.unit_of_work() as session:
        ana = Person(name="Ana", github_login="ana")
        ben = Person(name="Ben", github_login="ben")
        session.add(Team(name="Core", members=[ana, ben]))
        session.flush()
        sprint = create_sprint(session, "S", date(2025, 3, 3), date(2025, 3, 14))
        session.flush()
        return sprint.id


def _sprint(store: Store, sprint_id: int):
    session = store.session()
    sprint = session.get(Sprint, sprint_id)
    return session, sprint


def test_availability_days_off(doc_for, qtbot, store: Store, sprint_id: int) -> None:
    dialog = AvailabilityDialog(doc_for(store), sprint_id)
    qtbot.addWidget(dialog)
    editor = dialog.editor
    assert dialog.windowTitle() == "Availability — S"
    editor.off_person.setCurrentIndex(editor.off_person.findText("Ben"))
    editor.off_from.setDate(QDate(2025, 3, 6))
    editor.off_to.setDate(QDate(2025, 3, 10))
    qtbot.keyClicks(editor.off_note, "conference")
    qtbot.mouseClick(editor.off_add, Qt.MouseButton.LeftButton)
    assert editor.off_table.rowCount() == 1
    assert editor.off_table.item(0, 0).text() == "Ben"
    assert "Ben 7 days" in editor.capacity_line.text()  # Thu, Fri, Mon off
    # A half day for Ana.
    editor.off_person.setCurrentIndex(editor.off_person.findText("Ana"))
    editor.off_from.setDate(QDate(2025, 3, 14))
    editor.off_half.setChecked(True)
    assert editor.add_days_off()
    session, sprint = _sprint(store, sprint_id)
    with session:
        entries = sorted(
            (e.person.name, e.start, e.end, e.half_day, e.note) for e in sprint.time_off
        )
    assert entries == [
        ("Ana", date(2025, 3, 14), date(2025, 3, 14), True, ""),
        ("Ben", date(2025, 3, 6), date(2025, 3, 10), False, "conference"),
    ]
    # Removing needs a selection, then removes exactly it.
    editor.off_table.clearSelection()
    editor.remove_selected_days_off()
    assert "Select the days off" in editor.message.text()
    editor.off_table.selectRow(0)
    editor.remove_selected_days_off()
    session, sprint = _sprint(store, sprint_id)
    with session:
        assert len(sprint.time_off) == 1


def test_availability_rejects_bad_ranges_and_keeps_the_note(
    doc_for, qtbot, store: Store, sprint_id: int
) -> None:
    dialog = AvailabilityDialog(doc_for(store), sprint_id)
    qtbot.addWidget(dialog)
    editor = dialog.editor
    # A range inside the sprint can still be bad: a weekend has no working day.
    editor.off_from.setDate(QDate(2025, 3, 8))
    editor.off_to.setDate(QDate(2025, 3, 9))
    qtbot.keyClicks(editor.off_note, "moving house")
    assert not editor.add_days_off()
    assert editor.message.text() == "2025-03-08 to 2025-03-09 has no working day in the sprint."
    assert editor.off_note.text() == "moving house"
    session, sprint = _sprint(store, sprint_id)
    with session:
        assert sprint.time_off == []


def test_availability_share_and_support_heroes(
    doc_for, qtbot, store: Store, sprint_id: int
) -> None:
    window = _window(doc_for, qtbot, store)
    window.tabs.setCurrentWidget(window.availability_page)
    assert window.availability_page.sprint_box.currentData() == sprint_id
    editor = window.availability_page.editor
    assert editor is not None
    people = _people(store)
    ana, ben = people["Ana"], people["Ben"]
    editor.share_spins[ana.id].setValue(50)
    session, sprint = _sprint(store, sprint_id)
    with session:
        assert [(a.person_id, a.share) for a in sprint.allocations] == [(ana.id, 0.5)]
    assert "Ana 5 days" in editor.capacity_line.text()
    editor.share_spins[ana.id].setValue(100)  # back to full time: the entry goes
    session, sprint = _sprint(store, sprint_id)
    with session:
        assert sprint.allocations == []
        team_id = sprint.team_plans[0].team_id

    whole = editor.hero_boxes[(team_id, 0)]
    whole.setCurrentIndex(whole.findData(ana.id))
    week2 = editor.hero_boxes[(team_id, 2)]
    week2.setCurrentIndex(week2.findData(ben.id))
    session, sprint = _sprint(store, sprint_id)
    with session:
        assert sprint.team_plans[0].support_hero_id == ana.id
        assert [(d.week, d.person_id) for d in sprint.support_duties] == [(2, ben.id)]
    # Ana is hero in week 1 (week 2 is Ben's), Ben only in week 2.
    assert "Ana 5 days" in editor.capacity_line.text()
    assert "Ben 5 days" in editor.capacity_line.text()
    week2.setCurrentIndex(0)  # nobody: the duty goes
    session, sprint = _sprint(store, sprint_id)
    with session:
        assert session.scalars(select(SupportDuty)).all() == []
        assert session.scalars(select(Allocation)).all() == []
        assert session.scalars(select(TimeOff)).all() == []
