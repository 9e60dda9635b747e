"""Days off added or removed in the availability window, and a person added in the roster, while
the team database's server is stopped (a real PostgreSQL server, pg_ctl): they wait in the
offline outbox, the window lists them marked as waiting and the status bar counts them, and when
the server is back they land once, through the replay's rules: days off only for the days that
person is not already off, a person of the same login (or name, without one) added meanwhile is
that person. A window closed before its save found the server gone still keeps the change.
(The kill while offline: tests/integration/test_offline_kill.py.)

These tests stop their server, so they run on a cluster of their own (tests/pg.py)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan import roster
from sprintdesk.plan.model import Person, Sprint, TimeOff
from sprintdesk.storage.outbox import Outbox, outbox_path, person_entry, time_off_entry
from sprintdesk.storage.store import Store, open_store
from sprintdesk.views.availability import AvailabilityDialog, AvailabilityEditor
from sprintdesk.views.dates import qdate
from sprintdesk.views.roster import PeoplePage
from tests.pg import PgCluster

pytestmark = pytest.mark.postgresql


@pytest.fixture
def doc(team_doc: PlanDocument) -> PlanDocument:
    return team_doc


def outbox_kinds(url: str, data_dir: Path) -> list[str]:
    path = outbox_path(url, data_dir)
    if not path.exists():
        return []
    conn = sqlite3.connect(path)
    try:
        return [json.loads(row[0])["kind"] for row in conn.execute("SELECT body FROM entries")]
    finally:
        conn.close()


def days_off_on_server(url: str, sprint_id: int) -> list[tuple[int, date, date, str]]:
    store = open_store(url)
    try:
        with store.session() as session:
            rows = session.scalars(
                select(TimeOff).where(TimeOff.sprint_id == sprint_id).order_by(TimeOff.id)
            )
            return [(off.person_id, off.start, off.end, off.note) for off in rows]
    finally:
        store.close()


def people_on_server(url: str) -> list[tuple[str, str | None]]:
    store = open_store(url)
    try:
        with store.session() as session:
            return [(p.name, p.github_login) for p in session.scalars(select(Person))]
    finally:
        store.close()


def table_rows(editor: AvailabilityEditor) -> list[list[str]]:
    table = editor.off_table
    return [
        [table.item(row, column).text() for column in range(table.columnCount())]
        for row in range(table.rowCount())
    ]


def monday_in(doc: PlanDocument) -> date:
    """A Monday in the open sprint with no demo days off that week's Monday to Wednesday."""
    assert doc.sprint is not None and doc.sprint.start is not None
    start = doc.sprint.start
    return start + timedelta(days=(7 - start.weekday()) % 7)


def test_days_off_added_offline_are_listed_as_waiting_and_land_once(
    qtbot, own_cluster: PgCluster, team_url: str, doc: PlanDocument, data_dir: Path
) -> None:
    assert doc.sprint is not None
    sprint_id = doc.sprint.id
    editor = AvailabilityEditor(doc, sprint_id)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.state is not None)  # read behind the window
    before = days_off_on_server(team_url, sprint_id)
    person_id = editor.off_person.itemData(0)
    name = editor.off_person.itemText(0)
    monday = monday_in(doc)

    own_cluster.stop("fast")
    editor.off_from.setDate(qdate(monday))
    editor.off_to.setDate(qdate(monday + timedelta(days=1)))
    qtbot.keyClicks(editor.off_note, "offsite")
    qtbot.mouseClick(editor.off_add, Qt.MouseButton.LeftButton)
    # The save finds the server gone: the window goes offline, the days off wait.
    qtbot.waitUntil(lambda: doc.offline, timeout=15000)
    qtbot.waitUntil(lambda: editor.off_add.isEnabled(), timeout=5000)
    assert outbox_kinds(team_url, data_dir) == ["timeoff"]
    assert doc.status_text() == "Offline — 1 change waiting"
    assert editor.message.text() == (
        f"The days off for {name} will be saved once the team database is back."
    )
    assert editor.off_note.text() == ""
    waiting = [row for row in table_rows(editor) if row[0].endswith("(waiting)")]
    assert waiting == [
        [f"{name} (waiting)", str(monday), str(monday + timedelta(days=1)), "", "offsite"]
    ]
    # A second entry while offline is kept at once, and counted.
    editor.off_from.setDate(qdate(monday + timedelta(days=2)))
    editor.off_to.setDate(qdate(monday + timedelta(days=2)))
    assert editor.add_days_off()
    assert outbox_kinds(team_url, data_dir) == ["timeoff", "timeoff"]
    assert doc.status_text() == "Offline — 2 changes waiting"
    assert sum(row[0].endswith("(waiting)") for row in table_rows(editor)) == 2
    # Dates that could never be saved are refused at once, as online, and stay as typed.
    editor.off_from.setDate(qdate(monday + timedelta(days=3)))
    editor.off_to.setDate(qdate(monday + timedelta(days=1)))
    assert not editor.add_days_off()
    assert "before they start" in editor.message.text()
    assert outbox_kinds(team_url, data_dir) == ["timeoff", "timeoff"]

    own_cluster.start()
    qtbot.waitUntil(lambda: not doc.offline and doc.state == "saved", timeout=15000)
    assert doc.outbox is not None and doc.outbox.count() == 0
    added = [row for row in days_off_on_server(team_url, sprint_id) if row not in before]
    assert added == [
        (person_id, monday, monday + timedelta(days=1), "offsite"),
        (person_id, monday + timedelta(days=2), monday + timedelta(days=2), ""),
    ]
    # Landed: listed as the server has them (read again behind the window), nothing marked
    # as waiting.
    qtbot.waitUntil(lambda: not any(row[0].endswith("(waiting)") for row in table_rows(editor)))
    rows = table_rows(editor)
    assert [name, str(monday), str(monday + timedelta(days=1)), "", "offsite"] in rows


def test_days_off_removed_offline_wait_and_a_waiting_entry_removed_is_dropped(
    qtbot, own_cluster: PgCluster, team_url: str, doc: PlanDocument, data_dir: Path
) -> None:
    assert doc.sprint is not None
    sprint_id = doc.sprint.id
    editor = AvailabilityEditor(doc, sprint_id)
    qtbot.addWidget(editor)
    qtbot.waitUntil(lambda: editor.state is not None)  # read behind the window
    before = days_off_on_server(team_url, sprint_id)
    assert len(before) >= 2 and editor.off_table.rowCount() == len(before)
    removed_note = editor.off_table.item(0, 4).text()
    removed_id = editor.off_table.item(0, 0).data(Qt.ItemDataRole.UserRole)

    own_cluster.stop("fast")
    # Days off added offline and removed again before the server is back: never sent.
    editor.off_from.setDate(qdate(monday_in(doc)))
    editor.off_to.setDate(qdate(monday_in(doc)))
    editor.add_days_off()
    qtbot.waitUntil(lambda: doc.offline, timeout=15000)
    qtbot.waitUntil(lambda: editor.off_add.isEnabled(), timeout=5000)
    assert outbox_kinds(team_url, data_dir) == ["timeoff"]
    # Listed in date order among the others (not necessarily last).
    waiting = [i for i, row in enumerate(table_rows(editor)) if row[0].endswith("(waiting)")]
    assert len(waiting) == 1
    editor.off_table.selectRow(waiting[0])
    editor.remove_selected_days_off()  # nothing waits any more, and the server is still away
    assert outbox_kinds(team_url, data_dir) == []
    assert doc.offline and doc.status_text() == "Offline — 0 changes waiting"
    assert editor.message.text() == "1 entry will be removed once the team database is back."
    assert editor.off_table.rowCount() == len(before)
    # Days off on the server removed offline: taken off the list, removed when it is back.
    editor.off_table.selectRow(0)
    editor.remove_selected_days_off()
    assert outbox_kinds(team_url, data_dir) == ["delete"]
    assert doc.status_text() == "Offline — 1 change waiting"
    assert editor.off_table.rowCount() == len(before) - 1
    assert removed_note not in [row[4] for row in table_rows(editor)]
    # The same row removed again (another window on the same sprint) is one removal.
    assert doc.beside.hold_removals([removed_id], [])
    assert doc.status_text() == "Offline — 1 change waiting"

    own_cluster.start()
    qtbot.waitUntil(lambda: not doc.offline and doc.state == "saved", timeout=15000)
    assert doc.outbox is not None and doc.outbox.count() == 0
    assert days_off_on_server(team_url, sprint_id) == [
        row for row in before if row[3] != removed_note
    ]
    qtbot.waitUntil(lambda: not editor.reading)  # read again behind the window once landed
    assert editor.off_table.rowCount() == len(before) - 1


def test_days_off_whose_window_closed_before_the_server_was_found_gone_still_wait(
    qtbot, own_cluster: PgCluster, team_url: str, data_dir: Path
) -> None:
    """Added, then the window closed while the save was on its way, then the connection lost:
    the days off are kept in the outbox all the same (nothing left to show them in)."""
    import threading

    from shiboken6 import delete, isValid

    from tests.gateproxy import GateProxy

    proxy = GateProxy(own_cluster.port)
    url = team_url.replace(f":{own_cluster.port}/", f":{proxy.port}/")
    store = open_store(url)
    doc = PlanDocument(store)
    try:
        sprint_id = doc.session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
        assert sprint_id is not None
        doc.open_sprint(sprint_id)
        editor = AvailabilityEditor(doc, sprint_id)
        qtbot.waitUntil(lambda: editor.state is not None)  # read behind the window
        editor.off_from.setDate(qdate(monday_in(doc)))
        editor.off_to.setDate(qdate(monday_in(doc)))
        editor.off_note.setText("Conference")
        safety = threading.Timer(10, proxy.open_gate)  # a save made here would hang otherwise
        safety.start()
        proxy.close_gate()
        editor.add_days_off()
        qtbot.waitUntil(lambda: proxy.held > 0)
        safety.cancel()
        delete(editor)  # the window closes with the save on its way
        assert not isValid(editor)
        proxy.stop()  # the connection drops with the save in it
        qtbot.waitUntil(lambda: doc.offline, timeout=15000)
        qtbot.waitUntil(lambda: doc.outbox is not None and doc.outbox.count() == 1)
        assert outbox_kinds(url, data_dir) == ["timeoff"]
        assert doc.status_text() == "Offline — 1 change waiting"
    finally:
        doc.close()
        store.close()
        proxy.stop()


def test_days_off_waiting_in_the_outbox_leave_out_days_somebody_else_added_meanwhile(
    own_cluster: PgCluster, team_url: str, data_dir: Path
) -> None:
    store: Store = open_store(team_url)
    with store.session() as session:
        sprint = session.scalars(select(Sprint).order_by(Sprint.id.desc())).first()
        assert sprint is not None and sprint.start is not None
        sprint_id = sprint.id
        monday = sprint.start + timedelta(days=(7 - sprint.start.weekday()) % 7)
        busy = {off.person_id for off in sprint.time_off}
        person_id = session.scalars(
            select(Person.id).where(Person.id.not_in(busy)).order_by(Person.id)
        ).first()
    assert person_id is not None
    friday = monday + timedelta(days=4)
    # Killed while offline with Monday to Friday off waiting...
    outbox = Outbox(outbox_path(team_url, data_dir))
    outbox.write(
        [time_off_entry(sprint_id, person_id, monday, friday, half_day=False, note="holiday")]
    )
    outbox.close()
    # ...while somebody else entered Wednesday and Thursday for the same person.
    wednesday, thursday = monday + timedelta(days=2), monday + timedelta(days=3)
    with store.unit_of_work() as session:
        found = session.get(Sprint, sprint_id)
        person = session.get(Person, person_id)
        assert found is not None and person is not None
        roster.add_time_off(session, found, person, wednesday, thursday, note="theirs")

    for _run in range(2):  # opened twice: the second finds nothing waiting, adds nothing
        doc = PlanDocument(store)
        doc.open_sprint(sprint_id)
        assert doc.outbox is not None and doc.outbox.count() == 0
        doc.close()
    store.close()
    mine = sorted(
        (start, end, note)
        for who, start, end, note in days_off_on_server(team_url, sprint_id)
        if who == person_id
    )
    assert mine == [
        (monday, monday + timedelta(days=1), "holiday"),
        (wednesday, thursday, "theirs"),
        (friday, friday, "holiday"),
    ]


def test_person_added_offline_is_listed_as_waiting_and_lands_once(
    qtbot, own_cluster: PgCluster, team_url: str, doc: PlanDocument, data_dir: Path
) -> None:
    page = PeoplePage(doc)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)  # read behind the window
    before = people_on_server(team_url)

    own_cluster.stop("fast")
    qtbot.keyClicks(page.new_name, "  Noor   Haddad ")
    qtbot.keyClicks(page.new_login, "@noor-h")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: doc.offline, timeout=15000)
    qtbot.waitUntil(lambda: page.add_button.isEnabled(), timeout=5000)
    assert outbox_kinds(team_url, data_dir) == ["person"]
    assert doc.status_text() == "Offline — 1 change waiting"
    assert page.message.text() == "Noor Haddad will be added once the team database is back."
    assert (page.new_name.text(), page.new_login.text()) == ("", "")
    names = [page.model.rows[i].name for i in range(page.model.rowCount())]
    assert "Noor Haddad (waiting)" in names
    # The same login added again while offline is still one waiting person...
    qtbot.keyClicks(page.new_name, "Noor H.")
    qtbot.keyClicks(page.new_login, "NOOR-H")
    assert page.add_person()
    assert outbox_kinds(team_url, data_dir) == ["person"]
    assert page.message.text() == (
        "Noor H. is already waiting to be added (the same login or name)."
    )
    # ...and a login a listed person has is refused at once, as online, and kept as typed.
    taken = next(row for row in page.model.rows if row.login)
    page.new_name.setText("Someone")
    page.new_login.setText(taken.login.upper())
    assert not page.add_person()
    assert "already has the GitHub login" in page.message.text()
    assert page.new_login.text() == taken.login.upper()
    assert doc.status_text() == "Offline — 1 change waiting"

    own_cluster.start()
    qtbot.waitUntil(lambda: not doc.offline and doc.state == "saved", timeout=15000)
    assert doc.outbox is not None and doc.outbox.count() == 0
    after = people_on_server(team_url)
    assert sorted(set(after) - set(before)) == [("Noor Haddad", "noor-h")]
    assert len(after) == len(before) + 1
    # Listed as the server has them once read again behind the window.
    qtbot.waitUntil(lambda: "Noor Haddad" in [row.name for row in page.model.rows])
    names = [row.name for row in page.model.rows]
    assert not any(n.endswith("(waiting)") for n in names)


def test_people_waiting_in_the_outbox_are_the_ones_added_meanwhile_with_their_login_or_name(
    own_cluster: PgCluster, team_url: str, data_dir: Path
) -> None:
    store: Store = open_store(team_url)
    with store.session() as session:
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    # Killed while offline with three people waiting...
    outbox = Outbox(outbox_path(team_url, data_dir))
    outbox.write(
        [
            person_entry("Ana Offline", "ana-gh", "engineer"),
            person_entry("Bo Berg", None, "engineer"),
            person_entry("Cy Chen", "cy-gh", "engineer"),
        ]
    )
    outbox.close()
    # ...while somebody else added Ana (another spelling, the same login) and Bo (no login).
    with store.unit_of_work() as session:
        roster.add_person(session, "Ana B.", "Ana-GH")
        roster.add_person(session, "bo berg")
    before = people_on_server(team_url)

    for _run in range(2):  # opened twice: the second finds nothing waiting, adds nothing
        doc = PlanDocument(store)
        doc.open_sprint(sprint_id)
        assert doc.outbox is not None and doc.outbox.count() == 0
        doc.close()
    store.close()
    after = people_on_server(team_url)
    assert sorted(set(after) - set(before)) == [("Cy Chen", "cy-gh")]
    assert len(after) == len(before) + 1
    store = open_store(team_url)
    with store.session() as session:
        count = session.scalar(select(func.count()).select_from(Person))
    store.close()
    assert count == len(before) + 1


def test_the_availability_window_opens_offline_with_the_plans_days_off_and_adds_in_order(
    qtbot, own_cluster: PgCluster, doc: PlanDocument, data_dir: Path, team_url: str
) -> None:
    """View > Availability… while offline: the window opens on what the document has loaded,
    says it is offline, and a day off added waits, listed in date order with the others."""
    assert doc.sprint is not None
    sprint = doc.sprint
    loaded = sorted((e.person.name, e.start) for e in sprint.time_off)
    assert loaded
    own_cluster.stop("fast")
    doc.set_attr(sprint.goals[0], "why", "Typed before going offline")
    qtbot.waitUntil(lambda: doc.offline, timeout=15000)

    dialog = AvailabilityDialog(doc, sprint.id)
    qtbot.addWidget(dialog)
    editor = dialog.editor
    assert editor.state is not None
    assert dialog.windowTitle() == f"Availability — {sprint.name}"
    assert sorted((row[0], date.fromisoformat(row[1])) for row in table_rows(editor)) == loaded
    assert "cannot be reached" in editor.message.text()
    name = editor.off_person.itemText(0)
    early = min(start for _name, start in loaded)
    assert sprint.start is not None
    day: date = min(sprint.start, early)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    editor.off_person.setCurrentIndex(0)
    editor.off_from.setDate(qdate(day))
    editor.off_to.setDate(qdate(day))
    assert editor.add_days_off()
    assert outbox_kinds(team_url, data_dir) == ["update", "timeoff"]  # the goal's, the day's
    assert editor.off_person.hasFocus() or dialog.focusWidget() is editor.off_person
    starts = [row[1] for row in table_rows(editor)]
    assert starts == sorted(starts)
    assert [f"{name} (waiting)", str(day)] in [row[:2] for row in table_rows(editor)]


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_view_availability_opens_offline_from_the_menu(
    qtbot, own_cluster: PgCluster, team_url: str, tmp_path: Path
) -> None:
    """View > Availability… (Ctrl+Shift+A) with the server away: the window opens on the
    plan's days off, and closing it raises nothing."""
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from sprintdesk.ui.main_window import MainWindow

    store = open_store(team_url)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings=settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    doc = window.doc
    assert doc.sprint is not None
    qtbot.waitUntil(lambda: doc.state == "saved", timeout=10_000)
    own_cluster.stop("fast")
    doc.set_attr(doc.sprint.goals[0], "why", "Typed offline")
    qtbot.waitUntil(lambda: doc.offline, timeout=15000)
    seen: list[list[list[str]]] = []

    def look_and_close() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AvailabilityDialog)
        seen.append(table_rows(dialog.editor))
        dialog.reject()

    QTimer.singleShot(0, look_and_close)
    window.features.open_availability()
    assert seen and len(seen[0]) == len(doc.sprint.time_off) > 0
    window.close()
    store.close()
