"""Helpers for the section page tests: a PlanDocument on the demo database and a shown page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import AgendaSection, SectionKind, Sprint
from sprintdesk.storage.store import Store
from sprintdesk.views.pages import PAGE_CLASSES

T = TypeVar("T")

PRESENTATION_QSS = "QWidget { font-size: 24px; color: #f8fafc; background: #0b1020; }"


def latest_sprint_id(store: Store) -> int:
    with store.session() as session:
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
        assert sprint_id is not None
        return sprint_id


@pytest.fixture(name="demo_doc")  # imported by the page tests
def demo_doc_fixture(qtbot: Any, demo_store: Store) -> Iterator[PlanDocument]:
    """The demo's current (draft) sprint open in a document."""
    doc = PlanDocument(demo_store)
    doc.open_sprint(latest_sprint_id(demo_store))
    yield doc
    doc.close()


def fresh(store: Store, read: Callable[[Session], T]) -> T:
    """Read with a brand-new session: what is really in the database file."""
    with store.session() as session:
        return read(session)


def section_of(doc: PlanDocument, kind: SectionKind, team: str | None = None) -> AgendaSection:
    assert doc.sprint is not None
    for section in doc.sprint.sections:
        if section.kind != kind.value:
            continue
        if team is None or (section.team_plan is not None and section.team_plan.team.name == team):
            return section
    raise LookupError(kind)


def open_page(qtbot: Any, doc: PlanDocument, kind: SectionKind, team: str | None = None) -> Any:
    page = PAGE_CLASSES[kind](doc)
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show_section(section_of(doc, kind, team))
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitActive(page)
    # The plan checks' findings (and, on a large sprint, the cards out of sight) are added
    # from the event loop just after the page is painted. The wait is for that work to end, not
    # a speed limit (bench_pages times it): a loaded machine may take longer.
    qtbot.waitUntil(lambda: not page.pending_work(), timeout=30000)
    return page


def saved(doc: PlanDocument) -> None:
    assert doc.save_now(), doc.last_error
