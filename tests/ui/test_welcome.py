"""The welcome page: people and teams, starting a sprint from a template, the demo data."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sprintdesk.plan.model import Person, Role, Sprint, Team
from sprintdesk.storage.store import Store
from sprintdesk.views.welcome import WelcomePage
from tests.ui.accessibility import (
    describe,
    duplicate_mnemonics,
    mnemonic,
    tab_order,
    unnamed_interactive_widgets,
)

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def page(doc_for, qtbot: QtBot, store: Store) -> WelcomePage:
    widget = WelcomePage(doc_for(store))
    qtbot.addWidget(widget)
    widget.resize(1200, 850)
    widget.show()
    return widget


def _add_person(qtbot: QtBot, page: WelcomePage, name: str, login: str = "") -> None:
    qtbot.keyClicks(page.person_name, name)
    if login:
        qtbot.keyClicks(page.person_login, login)
    qtbot.mouseClick(page.add_person_button, Qt.MouseButton.LeftButton)


def test_every_interactive_widget_has_an_accessible_name(page: WelcomePage) -> None:
    # strict: an explicit accessibleName, not only what Qt derives from labels.
    missing = unnamed_interactive_widgets(page, strict=True)
    assert not missing, describe(missing)


def test_keyboard_tab_order_walks_the_forms(page: WelcomePage) -> None:
    order = tab_order(page.person_name)
    expected = [
        page.person_name,
        page.person_login,
        page.person_role,
        page.add_person_button,
        page.team_name,
        page.members,
        page.add_team_button,
        page.sprint_name,
        page.sprint_start,
        page.sprint_end,
        page.template_combo,
        page.start_sprint_button,
        page.demo_button,
    ]
    positions = [order.index(widget) for widget in expected]
    assert positions == sorted(positions), [w.objectName() for w in order]


def test_add_people_and_a_team(qtbot: QtBot, page: WelcomePage, store: Store) -> None:
    _add_person(qtbot, page, "Ana Souza", "@ana-souza")
    qtbot.keyClicks(page.person_name, "Marco Rossi")
    page.person_role.setCurrentIndex(page.person_role.findData("designer"))
    qtbot.keyClick(page.person_name, Qt.Key.Key_Return)  # Enter adds too
    assert page.person_name.text() == ""
    assert page.members.count() == 2
    page.members.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.keyClicks(page.team_name, "Billing")
    with qtbot.waitSignal(page.peopleChanged):
        qtbot.mouseClick(page.add_team_button, Qt.MouseButton.LeftButton)
    with store.session() as session:
        people = {p.name: p for p in session.scalars(select(Person))}
        assert people["Ana Souza"].github_login == "ana-souza"
        assert people["Marco Rossi"].role == "designer"
        team = session.scalars(select(Team)).one()
        assert team.name == "Billing"
        assert [m.name for m in team.members] == ["Ana Souza"]
    assert "Billing (1)" in page.people_summary.text()
    assert not page.demo_button.isEnabled()


def test_bad_input_is_explained_and_kept(qtbot: QtBot, page: WelcomePage, store: Store) -> None:
    qtbot.mouseClick(page.add_person_button, Qt.MouseButton.LeftButton)
    assert page.people_error.isVisible()
    assert "needs a name" in page.people_error.text()
    _add_person(qtbot, page, "Ana", "ana")
    _add_person(qtbot, page, "Another Ana", "ana")
    assert "already has the GitHub login" in page.people_error.text()
    assert page.person_name.text() == "Another Ana"  # nothing typed is lost
    qtbot.keyClicks(page.team_name, "   ")
    qtbot.mouseClick(page.add_team_button, Qt.MouseButton.LeftButton)
    assert "team needs a name" in page.team_error.text()
    with store.session() as session:
        assert session.scalars(select(Person.name)).all() == ["Ana"]


def test_start_a_sprint_from_a_template(qtbot: QtBot, page: WelcomePage, store: Store) -> None:
    with store.unit_of_work() as session:
        session.add(Team(name="Pipeline"))
    page.refresh()
    assert page.teams_hint.text() == "The sprint gets a team plan for your team."
    page.sprint_name.clear()
    qtbot.keyClicks(page.sprint_name, "4.12.0 1/2")
    page.sprint_start.setDate(QDate(2026, 3, 2))
    assert page.sprint_end.date() == QDate(2026, 3, 13)  # moved along: two weeks
    page.template_combo.setCurrentIndex(page.template_combo.findData("team-comments"))
    assert "each team writes" in page.template_description.text()
    with qtbot.waitSignal(page.sprintCreated) as created:
        qtbot.mouseClick(page.start_sprint_button, Qt.MouseButton.LeftButton)
    with store.session() as session:
        sprint = session.get(Sprint, created.args[0])
        assert sprint is not None
        assert sprint.name == "4.12.0 1/2"
        assert (sprint.start, sprint.end) == (date(2026, 3, 2), date(2026, 3, 13))
        assert sprint.template == "team-comments"
        assert [p.team.name for p in sprint.team_plans] == ["Pipeline"]
        assert sprint.sections  # the template's agenda


def test_sprint_dates_are_suggested_and_checked(
    qtbot: QtBot, page: WelcomePage, store: Store
) -> None:
    start = page.sprint_start.date()
    assert start >= QDate.currentDate()
    assert start.dayOfWeek() <= 5
    assert start.daysTo(page.sprint_end.date()) == 11
    page.sprint_end.setDate(start.addDays(-3))
    with qtbot.assertNotEmitted(page.sprintCreated):
        qtbot.mouseClick(page.start_sprint_button, Qt.MouseButton.LeftButton)
    assert "before it starts" in page.sprint_error.text()
    with store.session() as session:
        assert session.scalars(select(Sprint)).all() == []


def test_load_the_demo(qtbot: QtBot, page: WelcomePage, store: Store) -> None:
    assert page.demo_button.isEnabled()
    with qtbot.waitSignal(page.demoLoaded):
        qtbot.mouseClick(page.demo_button, Qt.MouseButton.LeftButton)
    with store.session() as session:
        assert len(session.scalars(select(Sprint)).all()) >= 4
    assert not page.demo_button.isEnabled()
    assert page.demo_hint.isVisible()


def test_welcome_page_has_no_duplicate_mnemonics(qtbot: QtBot, page: WelcomePage) -> None:
    qtbot.waitExposed(page)
    assert duplicate_mnemonics(page) == {}
    # Alt+T and Alt+S press their buttons (they used to move the focus to a field instead).
    assert mnemonic(page.add_team_button.text()) == "t"
    assert mnemonic(page.start_sprint_button.text()) == "s"


def test_welcome_role_goes_back_to_engineer_after_adding(
    qtbot: QtBot, page: WelcomePage, store: Store
) -> None:
    page.person_role.setCurrentIndex(page.person_role.findData(Role.DESIGNER.value))
    _add_person(qtbot, page, "Dana Designer")
    assert page.person_role.currentData() == Role.ENGINEER.value
    _add_person(qtbot, page, "Eli Engineer")
    with store.session() as session:
        roles = {p.name: p.role for p in session.scalars(select(Person))}
    assert roles == {"Dana Designer": Role.DESIGNER.value, "Eli Engineer": Role.ENGINEER.value}
