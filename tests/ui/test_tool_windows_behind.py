"""The tool windows save behind the window on a team database: with the server stalled (a
proxy holding everything sent to it) adding or removing days off in the Availability window
sends no statement from the UI thread; the entry stays as typed until the save lands, the
window then shows it; a server lost on the way, or away from the start, keeps what was typed
in the offline outbox, listed as waiting (tests/ui/test_offline_beside.py: it lands later)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import Sprint, TimeOff
from sprintdesk.storage.store import Store, open_store
from sprintdesk.views.availability import AvailabilityEditor
from tests.gateproxy import GateProxy
from tests.pg import PgCluster
from tests.ui.test_structure_behind import UiStatements

pytestmark = pytest.mark.postgresql


@pytest.fixture
def through_proxy(pg_cluster: PgCluster, pg_database: str) -> Iterator[tuple[GateProxy, str]]:
    setup = open_store(pg_database)
    with setup.unit_of_work() as session:
        load_demo(session)
    setup.close()
    proxy = GateProxy(pg_cluster.port)
    name = pg_database.rsplit("/", 1)[1]
    yield proxy, f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/{name}"
    proxy.stop()


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
    assert window.off_table.rowCount() == rows_before + 1  # the window shows what landed
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
    assert window.off_table.rowCount() == rows_before


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
    assert "Ada Far-Away" in [row.name for row in page.model.rows]  # the table shows them
    check = open_store(pg_database)
    try:
        with check.session() as session:
            assert session.scalar(select(Person.id).where(Person.name == "Ada Far-Away"))
    finally:
        check.close()
