"""The clock tick and the page switches stay cheap on a large sprint (issue 11): a tick repaints
only the running row's time cell, each agenda cell is asked for all its roles in one call, and
a large team's first show fills its tables in the turns after the first paint. These count what
the window does (signals, calls, rows), never how long it takes (bench/bench_startup.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QModelRoleData, QModelRoleDataSpan, QPoint, Qt

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import Goal, ItemKind, Okr, OkrStatus, SectionKind, TeamItem
from sprintdesk.plan.planning import create_sprint
from sprintdesk.plan.roster import add_team
from sprintdesk.storage.store import Store
from sprintdesk.ui.agenda_model import COL_ACTUAL, COL_STATE, STATE_ROLE
from sprintdesk.views.team import ROWS_AT_FIRST_SHOW, TeamPage
from tests.ui.pages_support import (  # noqa: F401
    demo_doc_fixture,
    open_page,
    saved,
    section_of,
)


def test_a_tick_repaints_only_the_running_rows_actual_time(qtbot, demo_window) -> None:
    window, fake = demo_window
    window.start_meeting()
    window.tick()  # the first tick of the row: its state cell too ("current")
    model = window.agenda_model
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, _roles=(): changed.append(
            (top.row(), top.column(), bottom.row(), bottom.column())
        )
    )
    for _ in range(3):
        fake.advance(1.0)
        window.tick()
    clock = window.clock
    assert clock is not None and clock.current is not None
    row = model.row_of(clock.current.id)
    assert changed == [(row, COL_ACTUAL, row, COL_ACTUAL)] * 3
    # The time shown is the clock's, and the state cell still reads "current".
    assert model.index(row, COL_ACTUAL).data() == "0:03"
    assert model.index(row, COL_STATE).data(STATE_ROLE) == "current"


def test_the_next_section_shows_its_state_and_then_only_its_time_changes(
    qtbot, demo_window
) -> None:
    window, fake = demo_window
    window.start_meeting()
    window.tick()
    fake.advance(1.0)
    window.tick()
    model = window.agenda_model
    changed: list[tuple[int, int, int, int]] = []
    model.dataChanged.connect(
        lambda top, bottom, _roles=(): changed.append(
            (top.row(), top.column(), bottom.row(), bottom.column())
        )
    )
    window.next_section()
    clock = window.clock
    assert clock is not None and clock.current is not None
    row = model.row_of(clock.current.id)
    # The new row's state cell ("current") is repainted with the move ...
    assert any(
        top <= row <= bottom and first <= COL_STATE <= last for top, first, bottom, last in changed
    ), changed
    assert model.index(row, COL_STATE).data(STATE_ROLE) == "current"
    # ... and its ticks repaint its time only.
    changed.clear()
    fake.advance(1.0)
    window.tick()
    assert changed == [(row, COL_ACTUAL, row, COL_ACTUAL)]


def _asked(model: Any, index: QModelIndex, role: int) -> Any:
    """What multiData answers for one role (a span from a Python list cannot be made)."""
    role_data = QModelRoleData(role)
    model.multiData(index, QModelRoleDataSpan(role_data))
    return role_data.data()


ROLES = [
    int(role)
    for role in (
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.CheckStateRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.EditRole,
        STATE_ROLE,
    )
]


def test_each_agenda_cell_is_painted_from_one_call_with_what_data_gives(qtbot, demo_window) -> None:
    window, fake = demo_window
    window.start_meeting()
    fake.advance(75.0)
    window.tick()
    model = window.agenda_model
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            answers = [_asked(model, index, role) for role in ROLES]
            assert answers == [index.data(role) for role in ROLES], (row, column)
    # Out of range: every role empty.
    assert all(_asked(model, QModelIndex(), role) is None for role in ROLES)

    # The view paints a cell from that one call: no Python call per role.
    calls: dict[str, int] = {"data": 0, "multiData": 0}
    for name in calls:
        method = getattr(model, name)

        def counted(*args: Any, _name: str = name, _method: Any = method) -> Any:
            calls[_name] += 1
            return _method(*args)

        setattr(model, name, counted)
    try:
        fake.advance(1.0)
        window.tick()
        window.agenda_view.viewport().repaint()
    finally:
        del model.data, model.multiData
    assert calls["multiData"] >= model.rowCount()
    assert calls["data"] == 0, calls


@pytest.fixture
def large_team_doc(qtbot, store: Store, doc_for) -> PlanDocument:
    """A sprint whose two teams have more rows than a page coming on screen fills at once."""
    with store.unit_of_work() as session:
        teams = [add_team(session, "Pipeline"), add_team(session, "Billing")]
        session.flush()
        sprint = create_sprint(
            session, "Large team", date(2026, 12, 7), date(2026, 12, 18), teams=teams
        )
        kinds = [ItemKind.RETRO_HIGH, ItemKind.HANGOVER, ItemKind.HIGH, ItemKind.LOW]
        for plan in sprint.team_plans:
            plan.items = [
                TeamItem(kind=kinds[i % 4].value, position=i, title=f"Item {i}", note="")
                for i in range(ROWS_AT_FIRST_SHOW + 12)
            ]
            plan.okrs = [
                Okr(position=0, title="Faster builds", status=OkrStatus.GREEN.value, note="")
            ]
        session.flush()
        sprint_id = sprint.id
    doc: PlanDocument = doc_for(store)
    doc.open_sprint(sprint_id)
    return doc


pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _table_rows(page: TeamPage) -> dict[str, int]:
    return {key: table.model.rowCount() for key, table in page.tables.items()}


def _fill_turns(qtbot: Any, page: TeamPage) -> list[int]:
    """How many tables are filled after each turn of the event loop, until none waits."""
    filled: list[int] = []
    for _ in range(1000):  # bounded: a page that never finishes fails the caller's check
        if not page.pending_work():
            break
        qtbot.wait(1)  # one turn of the event loop (and more: the count is what matters)
        filled.append(sum(1 for t in page.tables.values() if not t.held))
    return filled


def test_a_large_teams_first_show_fills_its_tables_one_a_turn(qtbot, large_team_doc) -> None:
    page = TeamPage(large_team_doc)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show_section(section_of(large_team_doc, SectionKind.TEAM))
    page.show()
    qtbot.waitExposed(page)
    # The first paint shows the page without its tables: neither rows nor "Nothing yet."
    assert page.pending_work()
    assert set(_table_rows(page).values()) == {0}
    assert not any(t.view.isVisible() or t.empty_label.isVisible() for t in page.tables.values())
    # One table a turn, every one of them in the end, each with its rows.
    filled = _fill_turns(qtbot, page)
    assert filled[-1] == len(page.tables) and len(set(filled)) > 2
    assert _table_rows(page) == {"retro": 8, "hangover": 8, "high": 8, "low": 8, "okrs": 1}
    assert all(t.view.isVisible() for t in page.tables.values())

    # Another team's section, or the same one again, is shown at once.
    page.show_section(section_of(large_team_doc, SectionKind.TEAM))
    assert not page.pending_work() and _table_rows(page)["high"] == 8


def test_back_from_another_page_with_another_large_team_its_tables_fill_in_turns(
    qtbot, large_team_doc
) -> None:
    """Coming back on screen with another team's rows, the page measured every row of its five
    tables in the switch's one turn; with the same team it shows its tables at once."""
    page = TeamPage(large_team_doc)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show_section(section_of(large_team_doc, SectionKind.TEAM, "Pipeline"))
    page.show()
    qtbot.waitExposed(page)
    qtbot.waitUntil(lambda: not page.pending_work())
    page.hide()  # another page is on screen
    page.show_section(section_of(large_team_doc, SectionKind.TEAM, "Billing"))
    page.show()
    assert page.plan is not None and page.plan.team.name == "Billing"
    # The first paint shows no table: neither Pipeline's rows nor Billing's yet.
    assert all(t.held for t in page.tables.values())
    assert not any(t.view.isVisible() for t in page.tables.values())
    filled = _fill_turns(qtbot, page)
    assert filled[-1] == len(page.tables) and len(set(filled)) > 2
    assert all(
        table.model.object_at(0).team_plan is page.plan
        for table in page.tables.values()
        if table.model.rowCount()
    )

    page.hide()  # and back with the same team: nothing waits
    page.show_section(section_of(large_team_doc, SectionKind.TEAM, "Billing"))
    page.show()
    assert not page.pending_work() and _table_rows(page)["high"] == 8


def test_closing_while_a_large_teams_tables_wait_leaves_nothing_to_run(
    qtbot, large_team_doc
) -> None:
    page = TeamPage(large_team_doc)
    qtbot.addWidget(page)
    page.show_section(section_of(large_team_doc, SectionKind.TEAM))
    page.show()
    assert page.pending_work()
    page.stop_background()
    assert not page.pending_work()
    page.finish_pending()  # nothing left to build on a closing plan
    assert set(_table_rows(page).values()) == {0}


def test_a_small_team_fills_its_tables_at_once(qtbot, demo_doc) -> None:
    page = TeamPage(demo_doc)
    qtbot.addWidget(page)
    page.show_section(section_of(demo_doc, SectionKind.TEAM))
    assert not any(t.held for t in page.tables.values())
    assert sum(_table_rows(page).values()) > 0


def test_a_switch_to_a_long_goal_list_builds_one_screen_of_cards_at_once(
    qtbot, demo_window
) -> None:
    """The cards built in the switch's turn fill the first screen; the ones below it come in
    the turns after the first paint (each card built at once cost its share of that turn)."""
    window, _ = demo_window
    qtbot.waitUntil(lambda: window.painted, timeout=30000)
    sprint = window.doc.sprint
    assert sprint is not None
    for i in range(30):
        sprint.goals.append(Goal(title=f"Bulk goal {i:02d}", why="", target="t"))
    saved(window.doc)
    window.show_section(section_of(window.doc, SectionKind.GOALS))
    window.repaint()
    page = window.pages.currentWidget()
    viewport = page.scroll_area.viewport()
    cards = page.cards
    tops = [card.mapTo(viewport, QPoint(0, 0)).y() for card in cards]
    height = max(card.height() for card in cards)
    assert page.pending_work() and len(cards) < len(sprint.goals)
    # The first paint shows no gap below the cards ...
    assert tops[-1] + cards[-1].height() >= viewport.height(), (tops, viewport.height())
    # ... and no card was built at once that is a whole card's height out of sight.
    assert all(top < viewport.height() + height for top in tops), (tops, viewport.height())
    qtbot.waitUntil(lambda: not page.pending_work(), timeout=30000)
    assert [card.goal for card in page.cards] == list(sprint.goals)


def test_a_refresh_updates_the_cards_in_sight_and_the_others_as_they_come_into_it(
    qtbot, demo_doc
) -> None:
    """A switch back to a page of hundreds of goals updated every card, most of them collapsed
    out of sight; those now catch up when they expand."""
    sprint = demo_doc.sprint
    assert sprint is not None
    for i in range(30):
        sprint.goals.append(Goal(title=f"Bulk goal {i:02d}", why="", target="t"))
    saved(demo_doc)
    page = open_page(qtbot, demo_doc, SectionKind.GOALS)
    page.finish_pending()
    column = page.column
    last = page.cards[-1]
    assert column.virtual() and last.collapsed()
    updated: list[Any] = []
    update = column._update

    def counted(card: Any) -> None:
        updated.append(card)
        update(card)

    column._update = counted
    demo_doc.set_attr(last.goal, "title", "Renamed at the end", "Rename")
    assert updated and last not in updated
    assert len(updated) < len(page.cards) // 2
    # Scrolled to, it shows the goal as it is now.
    bar = page.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: (bar.setValue(bar.maximum()), not last.collapsed())[1])
    assert last in updated and last.title.text() == "Renamed at the end"
