"""The tool windows save behind the window on a team database: with the server stalled (a
proxy holding everything sent to it) adding or removing days off in the Availability window
sends no statement from the UI thread; the entry stays as typed until the save lands, the
window then shows it; a server lost on the way, or away from the start, keeps what was typed
in the offline outbox, listed as waiting (tests/ui/test_offline_beside.py: it lands later)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import Sprint, TimeOff
from sprintdesk.storage.store import Store, open_store
from sprintdesk.views.availability import AvailabilityEditor
from tests.gateproxy import GateProxy
from tests.ui.test_structure_behind import UiStatements

pytestmark = pytest.mark.postgresql


@pytest.fixture
def editor(
    qtbot, through_proxy: tuple[GateProxy, str]
) -> Iterator[tuple[Store, PlanDocument, AvailabilityEditor]]:
    """The Availability window of the newest demo sprint, that sprint open, through the proxy."""
    _proxy, url = through_proxy
    store = open_store(url)
    doc = PlanDocument(store)
    with store.session() as session:
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    doc.open_sprint(sprint_id)
    window = AvailabilityEditor(doc, sprint_id)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.state is not None, timeout=15000)  # read behind the window
    yield store, doc, window
    doc.close()
    store.close()


def notes_in_database(url: str) -> dict[int, str]:
    store = open_store(url)
    try:
        with store.session() as session:
            return {row.id: row.note for row in session.scalars(select(TimeOff))}
    finally:
        store.close()


def test_days_off_are_added_and_removed_behind_the_window(
    qtbot, pg_database: str, through_proxy, editor
) -> None:
    proxy, _url = through_proxy
    store, _doc, window = editor
    rows_before = window.off_table.rowCount()
    window.off_note.setText("Dentist")
    safety = threading.Timer(10, proxy.open_gate)  # fails on what was sent instead of hanging
    safety.start()
    ui = UiStatements(store)
    try:
        proxy.close_gate()
        qtbot.mouseClick(window.off_add, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: proxy.held > 0)  # the writer's statement waits at the gate
        assert ui.seen == []  # nothing was sent from the UI thread
        assert not window.off_add.isEnabled()  # no second add while the first is on its way
        assert window.off_note.text() == "Dentist"  # kept until it has landed
        window.off_note.setText("Dentist, then the bank")  # typed while it was on its way
    finally:
        ui.stop()
        proxy.open_gate()
        safety.cancel()
    qtbot.waitUntil(lambda: "Added days off" in window.message.text(), timeout=15000)
    assert "Dentist" in notes_in_database(pg_database).values()
    # The window shows what landed once it has read it again (behind the window too).
    qtbot.waitUntil(lambda: window.off_table.rowCount() == rows_before + 1, timeout=15000)
    assert window.off_note.text() == "Dentist, then the bank"  # what was typed since stays
    assert window.off_add.isEnabled()

    added = next(
        row
        for row in range(window.off_table.rowCount())
        if any(
            (item := window.off_table.item(row, column)) is not None and item.text() == "Dentist"
            for column in range(window.off_table.columnCount())
        )
    )
    window.off_table.selectRow(added)
    safety = threading.Timer(10, proxy.open_gate)
    safety.start()
    ui = UiStatements(store)
    try:
        proxy.close_gate()
        qtbot.mouseClick(window.off_remove, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
    finally:
        ui.stop()
        proxy.open_gate()
        safety.cancel()
    qtbot.waitUntil(lambda: "Removed" in window.message.text(), timeout=15000)
    assert "Dentist" not in notes_in_database(pg_database).values()
    qtbot.waitUntil(lambda: window.off_table.rowCount() == rows_before, timeout=15000)


def test_days_off_lost_with_the_server_wait_in_the_outbox(
    qtbot, pg_database: str, through_proxy, editor
) -> None:
    proxy, _url = through_proxy
    store, doc, window = editor
    window.off_note.setText("Conference")
    safety = threading.Timer(10, proxy.open_gate)  # a save made here would hang otherwise
    safety.start()
    proxy.close_gate()
    qtbot.mouseClick(window.off_add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: proxy.held > 0)
    safety.cancel()
    proxy.stop()  # the connection drops with the save in it; nothing answers any more
    back = "once the team database is back"
    qtbot.waitUntil(lambda: back in window.message.text(), timeout=15000)
    assert doc.offline
    # Nothing typed is lost: kept in the offline outbox, listed as waiting.
    assert doc.outbox is not None and doc.outbox.count() == 1
    waiting = [
        window.off_table.item(row, 4).text()
        for row in range(window.off_table.rowCount())
        if window.off_table.item(row, 0).text().endswith("(waiting)")
    ]
    assert waiting == ["Conference"]
    assert window.off_add.isEnabled()

    # Asked again while offline: kept at once, nothing sent from the UI thread.
    ui = UiStatements(store)
    try:
        window.message.clear()
        window.off_note.setText("Offsite")
        qtbot.mouseClick(window.off_add, Qt.MouseButton.LeftButton)
        assert ui.seen == []
    finally:
        ui.stop()
    assert back in window.message.text()
    assert doc.outbox.count() == 2
    assert doc.status_text() == "Offline — 2 changes waiting"
    assert "Conference" not in notes_in_database(pg_database).values()


def test_a_person_is_added_behind_the_window(
    qtbot, pg_database: str, through_proxy, editor
) -> None:
    from sprintdesk.plan.model import Person
    from sprintdesk.views.roster import PeoplePage

    proxy, _url = through_proxy
    store, doc, _window = editor
    page = PeoplePage(doc)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=15000)  # read behind the window
    page.new_name.setText("Ada Far-Away")
    safety = threading.Timer(10, proxy.open_gate)  # fails on what was sent instead of hanging
    safety.start()
    ui = UiStatements(store)
    try:
        proxy.close_gate()
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert page.new_name.text() == "Ada Far-Away"  # kept until it has landed
    finally:
        ui.stop()
        proxy.open_gate()
        safety.cancel()
    qtbot.waitUntil(lambda: "Added" in page.message.text(), timeout=15000)
    assert page.new_name.text() == ""
    # The table shows them once it has read them (behind the window too), selected.
    qtbot.waitUntil(lambda: "Ada Far-Away" in [row.name for row in page.model.rows], timeout=15000)
    assert page.name_edit.text() == "Ada Far-Away"
    check = open_store(pg_database)
    try:
        with check.session() as session:
            assert session.scalar(select(Person.id).where(Person.name == "Ada Far-Away"))
    finally:
        check.close()


@pytest.fixture
def far_doc(through_proxy: tuple[GateProxy, str]) -> Iterator[tuple[Store, PlanDocument, int]]:
    """The newest demo sprint open through the proxy, no tool window yet."""
    _proxy, url = through_proxy
    store = open_store(url)
    doc = PlanDocument(store)
    with store.session() as session:
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    doc.open_sprint(sprint_id)
    yield store, doc, sprint_id
    doc.close()
    store.close()


@contextmanager
def stalled(proxy: GateProxy, store: Store) -> Iterator[UiStatements]:
    """The server stalled (the gate holds what is sent) while the block runs; the statements
    the UI thread sent meanwhile are counted. A safety timer opens the gate after 10 s, so a
    statement sent from the UI thread fails the test instead of hanging it."""
    safety = threading.Timer(10, proxy.open_gate)
    safety.start()
    ui = UiStatements(store)
    proxy.close_gate()
    try:
        yield ui
    finally:
        ui.stop()
        proxy.open_gate()
        safety.cancel()


def test_availability_opens_and_reads_again_behind_the_window(
    qtbot, monkeypatch, pg_database: str, through_proxy, far_doc
) -> None:
    from sprintdesk.views import availability

    # The hero grid is built a team an event-loop turn: complete when the window says so.
    monkeypatch.setattr(availability, "HERO_TEAMS_PER_TURN", 1)
    proxy, _url = through_proxy
    store, doc, sprint_id = far_doc
    with stalled(proxy, store) as ui:
        window = AvailabilityEditor(doc, sprint_id)
        qtbot.addWidget(window)
        qtbot.waitUntil(lambda: proxy.held > 0)  # the read waits at the gate
        assert ui.seen == []  # opening sent nothing from the UI thread
        assert window.message.text() == "Loading…"
        assert window.off_person.count() == 0
    with qtbot.waitSignal(window.loaded, timeout=15000):
        pass
    assert not window.reading
    assert window.message.text() == ""
    assert window.off_person.count() > 0 and window.share_spins
    state = window.state
    assert state is not None and len(state.heroes) > 1
    assert set(window.hero_boxes) == {
        (team.team_id, week) for team in state.heroes for week in range(state.weeks + 1)
    }
    assert window.hero_grid.parentWidget() is window.hero_panel
    assert window.hero_panel.parentWidget() is not None  # swapped in, complete
    shown = window.off_table.rowCount()

    # Somebody else adds days off; reading again shows the old list until the answer lands.
    other = open_store(pg_database)
    with other.unit_of_work() as session:
        from sprintdesk.plan import roster
        from sprintdesk.plan.model import Person

        sprint = session.get(Sprint, sprint_id)
        person = session.scalars(select(Person).order_by(Person.id)).first()
        assert sprint is not None and sprint.start is not None and person is not None
        roster.add_time_off(session, sprint, person, sprint.start, sprint.start, note="Elsewhere")
    other.close()
    with stalled(proxy, store) as ui:
        window.reload()
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert window.off_table.rowCount() == shown  # what it showed stays meanwhile
        assert window.message.text() == ""  # no "Loading…" over contents it has
    qtbot.waitUntil(lambda: window.off_table.rowCount() == shown + 1, timeout=15000)


def people_in_database(url: str) -> dict[str, tuple[str | None, bool]]:
    from sprintdesk.plan.model import Person

    check = open_store(url)
    try:
        with check.session() as session:
            return {p.name: (p.github_login, p.active) for p in session.scalars(select(Person))}
    finally:
        check.close()


def test_a_persons_fields_are_saved_behind_the_window(
    qtbot, pg_database: str, through_proxy, far_doc
) -> None:
    from sprintdesk.views.roster import PeoplePage

    proxy, _url = through_proxy
    store, doc, _sprint_id = far_doc
    with stalled(proxy, store) as ui:
        page = PeoplePage(doc)
        qtbot.addWidget(page)
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []  # the people are read behind the window too
        assert page.message.text() == "Loading…"
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=15000)
    page.table.selectRow(0)
    old = page.name_edit.text()
    page.name_edit.setText("Ana Far-Away")
    with stalled(proxy, store) as ui:
        page.name_edit.editingFinished.emit()  # the field is left: it is saved
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert page.name_edit.text() == "Ana Far-Away"
        page.login_edit.setText("typed-meanwhile")  # the next field, typed while on its way
    qtbot.waitUntil(lambda: "Saved Ana Far-Away" in page.message.text(), timeout=15000)
    qtbot.waitUntil(lambda: "Ana Far-Away" in [row.name for row in page.model.rows], timeout=15000)
    assert old not in [row.name for row in page.model.rows]
    assert page.name_edit.text() == "Ana Far-Away"
    assert page.login_edit.text() == "typed-meanwhile"  # the table read again: typed text stays
    assert "Ana Far-Away" in people_in_database(pg_database)


def test_a_persons_save_refused_or_lost_says_why_and_keeps_what_was_typed(
    qtbot, pg_database: str, through_proxy, far_doc
) -> None:
    from sprintdesk.views.roster import PeoplePage

    proxy, _url = through_proxy
    store, doc, _sprint_id = far_doc
    page = PeoplePage(doc)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() > 1, timeout=15000)
    taken = page.model.rows[1].login
    assert taken
    page.table.selectRow(0)
    page.login_edit.setText(taken)  # somebody else's login: refused by the roster's rules
    page.save_current()
    qtbot.waitUntil(lambda: "already has the GitHub login" in page.message.text(), timeout=15000)
    assert page.login_edit.text() == taken

    page.login_edit.setText("ana-far-away")
    with stalled(proxy, store):
        page.save_current()
        qtbot.waitUntil(lambda: proxy.held > 0)
        proxy.stop()  # the connection drops with the save in it
    qtbot.waitUntil(lambda: "Not saved" in page.message.text(), timeout=15000)
    assert "cannot be reached" in page.message.text()
    assert page.login_edit.text() == "ana-far-away"  # nothing typed is lost
    assert "ana-far-away" not in {login for login, _ in people_in_database(pg_database).values()}


def test_a_person_is_archived_behind_the_window(
    qtbot, pg_database: str, through_proxy, far_doc
) -> None:
    from sprintdesk.views.roster import PeoplePage

    proxy, _url = through_proxy
    store, doc, _sprint_id = far_doc
    page = PeoplePage(doc)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=15000)
    page.table.selectRow(0)
    name = page.name_edit.text()
    with stalled(proxy, store) as ui:
        qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert not page.archive_button.isEnabled()  # not twice while on its way
    qtbot.waitUntil(lambda: "is archived" in page.message.text(), timeout=15000)
    assert people_in_database(pg_database)[name][1] is False
    qtbot.waitUntil(lambda: name not in [row.name for row in page.model.rows], timeout=15000)
    page.table.selectRow(0)  # the next person: the button is back
    assert page.archive_button.isEnabled()


def test_the_roster_opens_behind_the_window(qtbot, through_proxy, far_doc) -> None:
    from sprintdesk.views.roster import RosterWindow

    proxy, _url = through_proxy
    store, doc, sprint_id = far_doc
    with stalled(proxy, store) as ui:
        window = RosterWindow(doc)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []  # people, teams, sprints and availability: none read here
    qtbot.waitUntil(
        lambda: (
            window.people_page.model.rowCount() > 0
            and window.teams_page.team_list.count() > 0
            and window.availability_page.editor is not None
            and window.availability_page.editor.state is not None
        ),
        timeout=15000,
    )
    assert window.availability_page.sprint_box.currentData() == sprint_id  # the newest
    assert window.people_page.message.text() == ""  # "Loading…" went with the answer


def teams_in_database(url: str) -> list[str]:
    from sprintdesk.plan.model import Team

    check = open_store(url)
    try:
        with check.session() as session:
            return list(session.scalars(select(Team.name)))
    finally:
        check.close()


def test_a_team_is_chosen_and_renamed_behind_the_window(
    qtbot, pg_database: str, through_proxy, far_doc
) -> None:
    from sprintdesk.views.roster import TeamsPage

    proxy, _url = through_proxy
    store, doc, _sprint_id = far_doc
    page = TeamsPage(doc)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.team_list.count() > 1, timeout=15000)
    with stalled(proxy, store) as ui:
        page.team_list.setCurrentRow(1)
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []  # the team's details are read behind the window
        assert not page.details.isEnabled()  # nothing to tick until they land
    qtbot.waitUntil(lambda: page.members.count() > 0, timeout=15000)
    old = page.name_edit.text()
    page.name_edit.setText("Far Away Team")
    with stalled(proxy, store) as ui:
        page.name_edit.editingFinished.emit()
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert page.name_edit.text() == "Far Away Team"
    qtbot.waitUntil(lambda: "Renamed" in page.message.text(), timeout=15000)
    assert "Far Away Team" in teams_in_database(pg_database)
    assert old not in teams_in_database(pg_database)
    qtbot.waitUntil(
        lambda: (
            "Far Away Team"
            in [page.team_list.item(i).text() for i in range(page.team_list.count())]
        ),
        timeout=15000,
    )
    assert page.name_edit.text() == "Far Away Team"

    # A name another team has is refused: said, and the field keeps it.
    taken = page.team_list.item(0).text()
    page.name_edit.setText(taken)
    page.save_name()
    qtbot.waitUntil(lambda: "already a team called" in page.message.text(), timeout=15000)
    assert page.name_edit.text() == taken
    assert "Far Away Team" in teams_in_database(pg_database)


def test_capacity_is_worked_out_behind_the_window(qtbot, through_proxy, far_doc) -> None:
    from sprintdesk.views.capacity import CapacityView

    proxy, _url = through_proxy
    store, doc, sprint_id = far_doc
    view = CapacityView(doc)
    qtbot.addWidget(view)
    with stalled(proxy, store) as ui:
        view.show_sprint(sprint_id)
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert view.summary.text() == "Loading…"
    qtbot.waitUntil(lambda: bool(view.rows), timeout=15000)
    assert "working days" in view.heading.text()
    shown = list(view.rows)
    with stalled(proxy, store) as ui:
        view.refresh()  # as after every save: what it shows stays until the answer lands
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert view.rows == shown and view.summary.text() != "Loading…"
    qtbot.waitUntil(lambda: not view.reading, timeout=15000)


def test_the_welcome_page_reads_and_saves_behind_itself(
    qtbot, pg_database: str, through_proxy, far_doc
) -> None:
    from sprintdesk.views.welcome import WelcomePage

    proxy, _url = through_proxy
    store, doc, _sprint_id = far_doc
    with stalled(proxy, store) as ui:
        page = WelcomePage(doc)
        qtbot.addWidget(page)
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
    qtbot.waitUntil(lambda: page.members.count() > 0, timeout=15000)
    people = page.members.count()

    page.person_name.setText("Wen Far-Away")
    page.person_login.setText("wen-far")
    with stalled(proxy, store) as ui:
        qtbot.mouseClick(page.add_person_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert not page.add_person_button.isEnabled()  # not twice while on its way
        assert page.person_name.text() == "Wen Far-Away"  # kept until it has landed
    qtbot.waitUntil(lambda: page.members.count() == people + 1, timeout=15000)
    assert page.person_name.text() == "" and page.person_login.text() == ""
    assert page.add_person_button.isEnabled()
    assert people_in_database(pg_database)["Wen Far-Away"] == ("wen-far", True)

    # Refused on the writer (a login somebody has): said under the card, the fields kept.
    page.person_name.setText("Wen Again")
    page.person_login.setText("wen-far")
    qtbot.mouseClick(page.add_person_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.people_error.text() != "", timeout=15000)
    assert page.person_name.text() == "Wen Again" and page.person_login.text() == "wen-far"
    assert "Wen Again" not in people_in_database(pg_database)

    page.sprint_name.setText("Far-Away Sprint")
    with qtbot.waitSignal(page.sprintCreated, timeout=15000) as made, stalled(proxy, store) as ui:
        qtbot.mouseClick(page.start_sprint_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert not page.start_sprint_button.isEnabled()
    check = open_store(pg_database)
    try:
        with check.session() as session:
            sprint = session.get(Sprint, made.args[0])
            assert sprint is not None and sprint.name == "Far-Away Sprint"
    finally:
        check.close()


def test_a_team_is_added_and_its_members_ticked_behind_the_window(
    qtbot, pg_database: str, through_proxy, far_doc
) -> None:
    from sprintdesk.plan.model import Team
    from sprintdesk.views.roster import TeamsPage

    proxy, _url = through_proxy
    store, doc, _sprint_id = far_doc
    page = TeamsPage(doc)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.team_list.count() > 0, timeout=15000)
    page.new_name.setText("Night Shift")
    with stalled(proxy, store) as ui:
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert not page.add_button.isEnabled()
        assert page.new_name.text() == "Night Shift"  # kept until it has landed
    qtbot.waitUntil(lambda: "Added team Night Shift" in page.message.text(), timeout=15000)
    assert page.new_name.text() == ""
    # Listed and chosen once read again; its (empty) member list with it.
    qtbot.waitUntil(
        lambda: page.name_edit.text() == "Night Shift" and page.members.count() > 0,
        timeout=15000,
    )
    team_id = page.current_id
    assert team_id is not None

    first, second = page.members.item(0), page.members.item(1)
    chosen = {first.data(Qt.ItemDataRole.UserRole), second.data(Qt.ItemDataRole.UserRole)}
    with stalled(proxy, store) as ui:
        first.setCheckState(Qt.CheckState.Checked)
        second.setCheckState(Qt.CheckState.Checked)  # a second tick while the first is on its way
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
    qtbot.waitUntil(lambda: "Night Shift now has 2 members" in page.message.text(), timeout=15000)
    check = open_store(pg_database)
    try:
        with check.session() as session:
            team = session.get(Team, team_id)
            assert team is not None and {p.id for p in team.members} == chosen
    finally:
        check.close()


def test_the_sprint_rota_reads_who_may_be_chosen_behind_the_window(
    qtbot, through_proxy, far_doc
) -> None:
    from sprintdesk.views.rota import SprintRotaEditor

    proxy, _url = through_proxy
    store, doc, _sprint_id = far_doc
    rota = SprintRotaEditor(doc)
    qtbot.addWidget(rota)
    with stalled(proxy, store) as ui:
        rota.refresh()  # as after every edit of the plan
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert rota.boxes  # the weeks show at once, from the open sprint
    qtbot.waitUntil(lambda: rota.boxes[0].count() > 1, timeout=15000)
    listed = [rota.boxes[0].itemText(i) for i in range(1, rota.boxes[0].count())]
    with stalled(proxy, store) as ui:
        rota.refresh()  # read again: the same people, the pickers stay as they are
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert [rota.boxes[0].itemText(i) for i in range(1, rota.boxes[0].count())] == listed


def test_people_from_github_are_checked_and_added_behind_the_window(
    qtbot, pg_database: str, through_proxy, far_doc
) -> None:
    from sprintdesk.views.github_people import GitHubPeopleDialog

    proxy, _url = through_proxy
    store, doc, _sprint_id = far_doc
    with stalled(proxy, store) as ui:
        dialog = GitHubPeopleDialog(doc)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []  # its GitHub settings are read behind the window
        assert not dialog.fetch_button.isEnabled()  # fetching waits for them
        dialog.repo.setCurrentText("acme/typed-meanwhile")
    qtbot.waitUntil(dialog.fetch_button.isEnabled, timeout=15000)
    assert dialog.repo.currentText() == "acme/typed-meanwhile"  # what was typed stays
    with stalled(proxy, store) as ui:
        dialog._fetched(["ana-souza", "far-newcomer"])  # as the fetch from GitHub hands them
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []  # who is in the roster already is read behind the window
    qtbot.waitUntil(lambda: dialog.people.count() == 2, timeout=15000)
    assert dialog.checked_logins() == ["far-newcomer"]
    with (
        qtbot.waitSignal(dialog.added, timeout=15000) as added,
        stalled(proxy, store) as ui,
    ):
        assert dialog.add_selected()
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert not dialog.add_button.isEnabled()
    assert added.args == [1]
    assert people_in_database(pg_database)["far-newcomer"] == ("far-newcomer", True)
    qtbot.waitUntil(lambda: "Added 1 person" in dialog.message.text(), timeout=15000)
    assert dialog.checked_logins() == []  # listed as already in the roster now


def test_a_read_while_offline_is_said_and_keeps_what_the_window_shows(
    qtbot, through_proxy, editor
) -> None:
    proxy, _url = through_proxy
    store, doc, window = editor
    window.off_note.setText("Conference")
    proxy.close_gate()
    qtbot.mouseClick(window.off_add, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: proxy.held > 0)
    proxy.stop()  # the save finds the server gone: the document goes offline
    qtbot.waitUntil(lambda: doc.offline, timeout=15000)
    qtbot.waitUntil(lambda: window.off_add.isEnabled(), timeout=15000)  # kept in the outbox
    rows, people = window.off_table.rowCount(), window.off_person.count()

    ui = UiStatements(store)
    try:
        window.reload()
        assert ui.seen == []  # refused at once, nothing sent
    finally:
        ui.stop()
    assert "cannot be reached" in window.message.text()
    assert "shows what was read before" in window.message.text()
    assert not window.reading
    assert window.off_table.rowCount() == rows and window.off_person.count() == people
    assert any(  # the days off kept in the outbox still listed, as waiting
        window.off_table.item(row, 0).text().endswith("(waiting)") for row in range(rows)
    )


def test_a_share_and_a_hero_are_saved_behind_the_window(
    qtbot, pg_database: str, through_proxy, editor
) -> None:
    from sprintdesk.plan.model import Allocation, SupportDuty

    proxy, _url = through_proxy
    store, _doc, window = editor
    qtbot.waitUntil(lambda: not window.reading, timeout=15000)
    person_id, spin = next(iter(window.share_spins.items()))
    capacity = window.capacity_line.text()
    with stalled(proxy, store) as ui:
        spin.setValue(50)
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
        assert spin.value() == 50  # as chosen while it is on its way
    qtbot.waitUntil(lambda: window.capacity_line.text() != capacity, timeout=15000)
    team_id, week = next(key for key in window.hero_boxes if key[1] == 1)
    box = window.hero_boxes[(team_id, week)]
    with stalled(proxy, store) as ui:
        box.setCurrentIndex(box.findData(person_id))
        qtbot.waitUntil(lambda: proxy.held > 0)
        assert ui.seen == []
    check = open_store(pg_database)
    try:
        with check.session() as session:
            qtbot.waitUntil(
                lambda: (
                    session.scalar(
                        select(SupportDuty.person_id).where(
                            SupportDuty.team_id == team_id, SupportDuty.week == week
                        )
                    )
                    == person_id
                ),
                timeout=15000,
            )
            shares = session.execute(select(Allocation.person_id, Allocation.share)).all()
            assert (person_id, 0.5) in [tuple(row) for row in shares]
    finally:
        check.close()
