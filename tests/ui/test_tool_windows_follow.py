"""Open tool windows follow a colleague's changes on a team database (two SprintDesks on one
real PostgreSQL server, live updates delivered as in the window): the Availability window lists
a colleague's days off without reopening and keeps what is being typed, and the same days off
for the same person cannot be stored twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from sprintdesk.editing.document import PlanDocument
from sprintdesk.editing.live import LiveUpdates, watch_document
from sprintdesk.plan import roster
from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import Person, Sprint, TimeOff
from sprintdesk.storage.store import Store, open_store
from sprintdesk.views.availability import AvailabilityEditor
from sprintdesk.views.dates import qdate
from sprintdesk.views.roster import RosterWindow

pytestmark = pytest.mark.postgresql


@pytest.fixture
def colleague_and_me(pg_database: str) -> Iterator[tuple[Store, PlanDocument, int]]:
    """A colleague's store, and my document watching for live updates, on one sprint."""
    setup = open_store(pg_database)
    with setup.unit_of_work() as session:
        load_demo(session)
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    setup.close()
    assert sprint_id is not None
    colleague, mine = open_store(pg_database), open_store(pg_database)
    doc = PlanDocument(mine)
    doc.open_sprint(sprint_id)
    live: LiveUpdates | None = watch_document(doc)
    assert live is not None and live.connected
    yield colleague, doc, sprint_id
    live.stop()
    doc.close()
    mine.close()
    colleague.close()


def a_free_monday(store: Store, sprint_id: int, person_id: int) -> date:
    """A Monday in the sprint on which ``person_id`` has no days off stored."""
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None and sprint.start is not None and sprint.end is not None
        taken = [(e.start, e.end) for e in sprint.time_off if e.person_id == person_id]
        day = sprint.start + timedelta(days=(7 - sprint.start.weekday()) % 7)
        while any(start <= day <= end for start, end in taken):
            day += timedelta(days=7)
        assert day <= sprint.end
        return day


def rows_of(editor: AvailabilityEditor) -> list[tuple[str, str, str]]:
    table = editor.off_table
    return [
        (table.item(row, 0).text(), table.item(row, 1).text(), table.item(row, 4).text())
        for row in range(table.rowCount())
    ]


def test_a_colleagues_days_off_appear_in_the_open_window_keeping_what_is_typed(
    qtbot, colleague_and_me
) -> None:
    colleague, doc, sprint_id = colleague_and_me
    editor = AvailabilityEditor(doc, sprint_id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.state is not None, timeout=5000)
    person_id, name = editor.off_person.itemData(1), editor.off_person.itemText(1)
    monday = a_free_monday(colleague, sprint_id, person_id)
    # I am typing an entry of my own, with a row selected.
    editor.off_person.setCurrentIndex(1)
    editor.off_from.setDate(qdate(monday + timedelta(days=1)))
    qtbot.keyClicks(editor.off_note, "half typed")
    editor.off_table.selectRow(0)
    selected_id = editor.off_table.item(0, 0).data(Qt.ItemDataRole.UserRole)

    with colleague.unit_of_work() as session:
        sprint, person = session.get(Sprint, sprint_id), session.get(Person, person_id)
        assert sprint is not None and person is not None
        roster.add_time_off(session, sprint, person, monday, monday, note="dentist")
    qtbot.waitUntil(lambda: (name, str(monday), "dentist") in rows_of(editor), timeout=5000)
    assert editor.off_note.text() == "half typed"
    assert editor.off_person.currentData() == person_id
    assert editor.off_from.date() == qdate(monday + timedelta(days=1))
    table = editor.off_table
    picked = {
        table.item(i.row(), 0).data(Qt.ItemDataRole.UserRole) for i in table.selectedIndexes()
    }
    assert picked == {selected_id}


def test_the_same_days_off_for_the_same_person_are_stored_once(qtbot, colleague_and_me) -> None:
    colleague, doc, sprint_id = colleague_and_me
    editor = AvailabilityEditor(doc, sprint_id)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.state is not None, timeout=5000)
    person_id, name = editor.off_person.itemData(0), editor.off_person.itemText(0)
    monday = a_free_monday(colleague, sprint_id, person_id)
    with colleague.unit_of_work() as session:
        sprint, person = session.get(Sprint, sprint_id), session.get(Person, person_id)
        assert sprint is not None and person is not None
        roster.add_time_off(session, sprint, person, monday, monday)
    # The same day off typed in my window before it heard of the colleague's: refused, kept.
    editor.off_person.setCurrentIndex(0)
    editor.off_from.setDate(qdate(monday))
    editor.off_to.setDate(qdate(monday))
    qtbot.keyClicks(editor.off_note, "mine")
    editor.add_days_off()
    qtbot.waitUntil(lambda: editor.off_add.isEnabled(), timeout=5000)
    assert editor.message.text() == (
        f"{name} already has these days off ({monday} to {monday}); they are stored once."
    )
    assert editor.off_note.text() == "mine"
    with colleague.session() as session:
        stored = session.scalars(
            select(TimeOff).where(
                TimeOff.sprint_id == sprint_id,
                TimeOff.person_id == person_id,
                TimeOff.start == monday,
            )
        ).all()
    assert len(stored) == 1


def test_a_colleagues_new_person_and_team_appear_in_the_open_roster_keeping_what_is_typed(
    qtbot, colleague_and_me
) -> None:
    colleague, doc, _sprint_id = colleague_and_me
    window = RosterWindow(doc)
    qtbot.addWidget(window)
    people, teams = window.people_page, window.teams_page
    qtbot.waitUntil(lambda: not people.reading and people.model.rowCount() > 0, timeout=5000)
    qtbot.waitUntil(lambda: teams.team_list.count() > 0, timeout=5000)
    qtbot.keyClicks(people.new_name, "Half typed")
    people.table.selectRow(0)
    selected = people.current_id

    with colleague.unit_of_work() as session:
        roster.add_person(session, "Zoe Colleague", "zoe-c", "engineer")
        roster.add_team(session, "Zeta Team")
    names = lambda: [row.name for row in people.model.rows]  # noqa: E731
    qtbot.waitUntil(lambda: "Zoe Colleague" in names(), timeout=5000)
    team_names = lambda: [teams.team_list.item(i).text() for i in range(teams.team_list.count())]  # noqa: E731
    qtbot.waitUntil(lambda: "Zeta Team" in team_names(), timeout=5000)
    assert people.new_name.text() == "Half typed"
    assert people.current_id == selected


def test_dates_typed_outside_the_sprint_stay_when_the_window_reads_again(
    qtbot, colleague_and_me
) -> None:
    """Read again (a colleague's change, or the team database back after being away): the
    dates typed in the add-days-off row stay as typed, even outside the sprint (adding says
    why they cannot be saved)."""
    _colleague, doc, sprint_id = colleague_and_me
    editor = AvailabilityEditor(doc, sprint_id)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.state is not None, timeout=5000)
    state = editor.state
    assert state is not None and state.end is not None
    later = qdate(state.end + timedelta(days=10))
    editor.off_from.setDate(later)
    editor.off_to.setDate(later.addDays(1))
    with qtbot.waitSignal(editor.loaded, timeout=5000):
        editor.reload()
    assert (editor.off_from.date(), editor.off_to.date()) == (later, later.addDays(1))


def test_after_adding_focus_is_back_in_the_forms_first_field(qtbot, colleague_and_me) -> None:
    """Adding several in a row: after "Add days off" the person box has the focus again, after
    "Add person" the name field (not the buttons next to them)."""
    colleague, doc, sprint_id = colleague_and_me
    window = RosterWindow(doc)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    people = window.people_page
    qtbot.waitUntil(lambda: not people.reading, timeout=5000)
    qtbot.keyClicks(people.new_name, "Nia Newcomer")
    qtbot.mouseClick(people.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nia Newcomer" in [row.name for row in people.model.rows], timeout=5000)
    assert window.focusWidget() is people.new_name

    window.tabs.setCurrentWidget(window.availability_page)
    qtbot.waitUntil(lambda: window.availability_page.editor is not None, timeout=5000)
    editor = window.availability_page.editor
    assert editor is not None
    qtbot.waitUntil(lambda: editor.state is not None, timeout=5000)
    person_id = editor.off_person.currentData()
    monday = a_free_monday(colleague, editor.sprint_id, person_id)
    editor.off_from.setDate(qdate(monday))
    editor.off_to.setDate(qdate(monday))
    editor.off_add.setFocus()
    qtbot.mouseClick(editor.off_add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.message.text().startswith("Added days off"), timeout=5000)
    assert window.focusWidget() is editor.off_person
