"""Pages over very long lists (issue 14, item 4): a 5 MB plan has tens of thousands of
priorities. The page must not lay out a row per priority: beyond LARGE_TABLE_ROWS rows the
table scrolls one-line rows of a fixed height, and shows every row again when it shrinks."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import Priority, SectionKind
from sprintdesk.plan.planning import create_sprint
from sprintdesk.storage.store import Store
from sprintdesk.views.tables import LARGE_TABLE_ROWS
from tests.ui.pages_support import open_page

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

MANY = 3_000


@pytest.fixture
def huge_doc(qtbot, store: Store):
    with store.unit_of_work() as session:
        sprint = create_sprint(session, "Huge plan", date(2026, 12, 7), date(2026, 12, 18))
        sprint.priorities = [
            Priority(position=i, text=f"Priority {i + 1}: a long line of text " * 3)
            for i in range(MANY)
        ]
        session.flush()
        sprint_id = sprint.id
    doc = PlanDocument(store)
    doc.open_sprint(sprint_id)
    yield doc
    doc.close()


def test_priorities_page_with_thousands_of_rows_scrolls_in_its_table(qtbot, huge_doc):
    page = open_page(qtbot, huge_doc, SectionKind.PRIORITIES)
    view = page.table.view
    assert page.table.model.rowCount() == MANY
    # One fixed row height (no row measured), and the table scrolls rather than the page
    # growing to thousands of rows: the page is laid out at the height of its window.
    assert view.large
    assert view.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    assert view.verticalScrollBar().maximum() > 0
    assert page.body.height() <= page.scroll_area.viewport().height() + 1
    assert view.height() > 8 * view.verticalHeader().defaultSectionSize()
    # Every row is there and ranked, the last one too (the rank is the model's row).
    view.scrollToBottom()
    last = page.table.model.index(MANY - 1, 0)
    assert last.data() == f"{MANY}."
    assert view.visualRect(last).intersects(view.viewport().rect())
    # A one-line row keeps its whole text in the tooltip.
    text_cell = page.table.model.index(MANY - 1, 1)
    assert text_cell.data(Qt.ItemDataRole.ToolTipRole).startswith(f"Priority {MANY}:")


def test_a_long_table_shows_every_row_again_once_short(qtbot, huge_doc):
    page = open_page(qtbot, huge_doc, SectionKind.PRIORITIES)
    sprint = huge_doc.sprint
    assert sprint is not None and page.table.view.large
    huge_doc.edit(
        "Delete priorities",
        lambda: sprint.priorities.__delitem__(slice(5, None)),
        lambda: None,
    )
    view = page.table.view
    assert page.table.model.rowCount() == 5 <= LARGE_TABLE_ROWS
    assert not view.large
    assert view.verticalHeader().sectionResizeMode(0) == QHeaderView.ResizeMode.ResizeToContents
    qtbot.waitUntil(lambda: view.height() >= view.verticalHeader().length())
    assert view.verticalScrollBar().maximum() == 0


def test_team_page_with_thousands_of_items_scrolls_in_its_table(qtbot, store: Store):
    from sprintdesk.plan.model import ItemKind, TeamItem
    from sprintdesk.plan.roster import add_team

    with store.unit_of_work() as session:
        team = add_team(session, "Pipeline")
        session.flush()
        sprint = create_sprint(
            session, "Huge team", date(2026, 12, 7), date(2026, 12, 18), teams=[team]
        )
        sprint.team_plans[0].items = [
            TeamItem(kind=ItemKind.HIGH.value, position=i, title=f"Item {i}") for i in range(MANY)
        ]
        session.flush()
        sprint_id = sprint.id
    doc = PlanDocument(store)
    doc.open_sprint(sprint_id)
    try:
        page = open_page(qtbot, doc, SectionKind.TEAM)
        table = page.tables["high"]
        assert table.model.rowCount() == MANY and table.view.large
        assert table.view.verticalScrollBar().maximum() > 0
        assert page.body.height() < 40 * table.view.verticalHeader().defaultSectionSize()
    finally:
        doc.close()
