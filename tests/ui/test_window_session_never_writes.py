"""On a team database the window's own session only reads: every write goes through the writer
thread. A lazy load after an edit must not flush that edit on the window's connection, where it
would sit uncommitted, holding the row's lock: the edit would never land, and anybody saving the
same row (the window's own writer included) would wait for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QCheckBox
from sqlalchemy import text

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import OutcomeReview, SectionKind
from sprintdesk.storage.store import Store, open_store
from tests.ui.pages_support import fresh, latest_sprint_id, open_page

pytestmark = pytest.mark.postgresql


@pytest.fixture
def team_doc(qtbot, pg_database: str) -> Iterator[tuple[Store, PlanDocument]]:
    store = open_store(pg_database)
    with store.unit_of_work() as session:
        load_demo(session)
    doc = PlanDocument(store)
    doc.open_sprint(latest_sprint_id(store))
    yield store, doc
    doc.close()
    store.close()


def _uncommitted_writers(store: Store) -> int:
    """Connections of this database sitting in a transaction that wrote something."""
    with store.engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    " AND state = 'idle in transaction' AND backend_xid IS NOT NULL"
                )
            ).scalar_one()
        )


def test_carrying_a_goal_over_lands_and_leaves_no_lock(qtbot, team_doc) -> None:
    store, doc = team_doc
    page = open_page(qtbot, doc, SectionKind.OUTCOMES)
    assert doc.sprint is not None
    outcome = next(o for o in doc.sprint.outcomes if not o.carry_over)
    box = next(
        b
        for b in page.findChildren(QCheckBox)
        if b.objectName() == "carryOver" and b.accessibleName() == f"Carry {outcome.title} over"
    )
    box.click()  # the page's edit reads the outcome's goal lazily right after setting the flag
    assert box.isChecked()
    doc.send()
    qtbot.waitUntil(
        lambda: fresh(store, lambda s: s.get(OutcomeReview, outcome.id).carry_over), timeout=10_000
    )
    qtbot.waitUntil(lambda: doc.state == "saved", timeout=10_000)
    assert _uncommitted_writers(store) == 0
