"""After a tool window's save on a team database the main window shows it without a query on
the UI thread: the rows the save committed are read behind the window and applied as somebody
else's changes are (issue 12). What the pages show then is what a full reload shows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import Sprint, Team
from sprintdesk.storage.store import open_store
from sprintdesk.ui.main_window import MainWindow
from sprintdesk.views.availability import AvailabilityDialog
from sprintdesk.views.roster import RosterWindow
from tests.clocks import FakeClock
from tests.gateproxy import GateProxy
from tests.pg import PgCluster
from tests.ui.test_structure_behind import UiStatements

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

WAIT_MS = 15000


@pytest.fixture
def window(
    qtbot: Any, pg_cluster: PgCluster, pg_database: str, tmp_path: Path
) -> Iterator[MainWindow]:
    """The main window on the demo's newest sprint (a draft), through the gate proxy."""
    setup = open_store(pg_database)
    with setup.unit_of_work() as session:
        load_demo(session)
        for sprint in session.scalars(select(Sprint)):
            sprint.state = "draft"  # the newest sprint opens; no "reopen?" question
    setup.close()
    proxy = GateProxy(pg_cluster.port)
    name = pg_database.rsplit("/", 1)[1]
    store = open_store(f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/{name}")
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    fake = FakeClock()
    made = MainWindow(store, monotonic=fake.monotonic, wall=fake.time, settings=settings)
    qtbot.addWidget(made)
    made.resize(1280, 720)
    made.show()
    qtbot.waitExposed(made)
    qtbot.waitUntil(lambda: made.doc.sprint is not None, timeout=WAIT_MS)
    yield made
    made.close()
    proxy.stop()


def visible_texts(page: QWidget | None) -> list[str]:
    """What the page shows: the texts of its visible labels, fields and buttons."""
    assert page is not None
    texts: list[str] = []
    for widget in page.findChildren(QWidget):
        if not widget.isVisibleTo(page):
            continue
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(f"{widget.objectName()}={widget.text()}")
    return texts


def shown_label(window: MainWindow) -> QLabel | None:
    """The team page's time off list, once the pages are built (after the first paint)."""
    label = window.pages.currentWidget().findChild(QLabel, "timeOffList")
    return label if isinstance(label, QLabel) else None


def plan_reads(statements: list[str]) -> list[str]:
    """The statements that read the plan again (the sprint, its time off): a full reload's.
    The team page's own refresh still reads the active people and a setting itself."""
    return [s for s in statements if "time_off" in s or "FROM sprints" in s]


def test_a_person_renamed_in_the_roster_shows_without_reading_the_plan_here(
    qtbot: Any, window: MainWindow
) -> None:
    doc = window.doc
    sprint = doc.sprint
    assert sprint is not None
    entry = sprint.time_off[0]  # their name shows in the team page's time off
    section = next(
        s
        for s in sprint.sections
        if s.kind == "team" and s.team_plan is not None and entry.person in s.team_plan.team.members
    )
    window.show_section(section)
    qtbot.waitUntil(lambda: window.displayed is section)
    qtbot.waitUntil(lambda: shown_label(window) is not None, timeout=WAIT_MS)
    label = shown_label(window)
    assert label is not None and entry.person.name in label.text()
    window.features.open_roster()
    roster = next(w for w in QApplication.topLevelWidgets() if isinstance(w, RosterWindow))
    page = roster.people_page
    qtbot.waitUntil(lambda: page.model.row_of(entry.person_id) is not None, timeout=WAIT_MS)
    row = page.model.row_of(entry.person_id)
    assert row is not None
    page.table.selectRow(row)
    qtbot.waitUntil(lambda: page.current_id == entry.person_id)

    ui = UiStatements(doc.store)
    try:
        page.name_edit.setText("Renamed Person")
        assert page.save_current()
        qtbot.waitUntil(lambda: "Renamed Person" in label.text(), timeout=WAIT_MS)
        assert plan_reads(ui.seen) == []  # the row was read behind the window
    finally:
        ui.stop()
    assert window.displayed is section
    partial = visible_texts(window.pages.currentWidget())
    window.features.after_external_change()
    reopened = doc.sprint
    assert reopened is not None
    window.show_section(next(s for s in reopened.sections if s.id == section.id))
    assert visible_texts(window.pages.currentWidget()) == partial


def test_days_off_saved_in_availability_show_without_sql_here_as_after_a_reload(
    qtbot: Any, window: MainWindow
) -> None:
    doc = window.doc
    sprint = doc.sprint
    assert sprint is not None
    section = next(s for s in sprint.sections if s.kind == "team" and s.team_plan is not None)
    member = section.team_plan.team.members[0]
    window.show_section(section)
    qtbot.waitUntil(lambda: window.displayed is section)
    qtbot.waitUntil(lambda: shown_label(window) is not None, timeout=WAIT_MS)
    before = visible_texts(window.pages.currentWidget())

    ui = UiStatements(doc.store)
    added: list[bool] = []

    def add_days_off_and_close() -> None:
        dialog = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, AvailabilityDialog)
        )
        editor = dialog.editor
        qtbot.waitUntil(lambda: editor.state is not None, timeout=WAIT_MS)
        editor.off_person.setCurrentIndex(editor.off_person.findData(member.id))
        editor.off_note.setText("Dentist")
        added.append(editor.add_days_off())
        dialog.reject()  # closed before the save has landed

    try:
        QTimer.singleShot(0, add_days_off_and_close)
        window.features.open_availability()
        assert added == [True]
        label = shown_label(window)
        assert label is not None
        qtbot.waitUntil(lambda: "Dentist" in label.text(), timeout=WAIT_MS)
        assert plan_reads(ui.seen) == []  # the saved row was read behind the window
    finally:
        ui.stop()
    assert window.displayed is section  # the window stayed where it was
    partial = visible_texts(window.pages.currentWidget())
    assert partial != before

    window.features.after_external_change()  # everything read again, as on this computer
    reopened = doc.sprint
    assert reopened is not None
    window.show_section(next(s for s in reopened.sections if s.id == section.id))
    assert visible_texts(window.pages.currentWidget()) == partial


def test_a_member_taken_off_a_team_shows_as_after_a_reload(qtbot: Any, window: MainWindow) -> None:
    """A team's members are a many-to-many link no changed row carries: that save reads the
    plan again, and the team page drops the member's days off."""
    doc = window.doc
    sprint = doc.sprint
    assert sprint is not None
    entry = sprint.time_off[0]
    name = entry.person.name
    section = next(
        s
        for s in sprint.sections
        if s.kind == "team" and s.team_plan is not None and entry.person in s.team_plan.team.members
    )
    team_id = section.team_plan.team_id
    window.show_section(section)
    qtbot.waitUntil(lambda: shown_label(window) is not None, timeout=WAIT_MS)
    window.features.open_roster()
    roster = next(w for w in QApplication.topLevelWidgets() if isinstance(w, RosterWindow))
    roster.tabs.setCurrentIndex(1)
    page = roster.teams_page

    def team_item() -> Any:
        items = [page.team_list.item(i) for i in range(page.team_list.count())]
        return next((i for i in items if i.data(Qt.ItemDataRole.UserRole) == team_id), None)

    qtbot.waitUntil(lambda: team_item() is not None, timeout=WAIT_MS)
    page.team_list.setCurrentItem(team_item())

    def member_item() -> Any:
        items = [page.members.item(i) for i in range(page.members.count())]
        return next((i for i in items if i.text() == name), None)

    qtbot.waitUntil(
        lambda: (item := member_item()) is not None and item.checkState() == Qt.CheckState.Checked,
        timeout=WAIT_MS,
    )
    member_item().setCheckState(Qt.CheckState.Unchecked)
    qtbot.waitUntil(lambda: "now has" in page.message.text(), timeout=WAIT_MS)

    def shown() -> str:
        label = shown_label(window)
        return label.text() if label is not None else ""

    qtbot.waitUntil(lambda: name not in shown(), timeout=WAIT_MS)
    partial = visible_texts(window.pages.currentWidget())
    window.features.after_external_change()
    reopened = doc.sprint
    assert reopened is not None
    window.show_section(next(s for s in reopened.sections if s.id == section.id))
    assert visible_texts(window.pages.currentWidget()) == partial


def test_a_save_changing_a_row_and_a_link_reads_the_plan_again(
    qtbot: Any, window: MainWindow
) -> None:
    """The team's renamed row alone would not bring its new members: such a save is not
    applied row by row, the plan is read again (as after any other writer)."""
    doc = window.doc
    sprint = doc.sprint
    assert sprint is not None
    entry = sprint.time_off[0]
    person_id, name = entry.person_id, entry.person.name
    section = next(
        s
        for s in sprint.sections
        if s.kind == "team" and s.team_plan is not None and entry.person in s.team_plan.team.members
    )
    team_id = section.team_plan.team_id
    window.show_section(section)
    qtbot.waitUntil(lambda: shown_label(window) is not None, timeout=WAIT_MS)

    def work(session: Session) -> None:
        team = session.get(Team, team_id)
        assert team is not None
        team.name = f"{team.name} (renamed)"
        team.members = [p for p in team.members if p.id != person_id]

    landed: list[object] = []
    doc.write_later(work, landed=landed.append, failed=pytest.fail)
    qtbot.waitUntil(lambda: landed != [], timeout=WAIT_MS)
    window.features.after_tool_save()  # as the Roster says it saved

    def shown() -> str:
        label = shown_label(window)
        return label.text() if label is not None else ""

    qtbot.waitUntil(lambda: name not in shown(), timeout=WAIT_MS)
