"""The sprint-wide support rota on the priorities page (or, in an agenda without one, on the
first team's page): one person picker per week, chosen with the keyboard, every change undoable
and in the database within the autosave."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import SectionKind, SupportDuty
from sprintdesk.plan.planning import create_sprint
from sprintdesk.plan.workdays import week_count
from tests.ui.accessibility import assert_all_named
from tests.ui.pages_support import (  # noqa: F401
    demo_doc_fixture,
    fresh,
    open_page,
    saved,
    section_of,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _rota(store, sprint_id):
    return fresh(
        store,
        lambda s: [
            (d.week, d.person.name)
            for d in s.scalars(
                select(SupportDuty)
                .where(SupportDuty.sprint_id == sprint_id, SupportDuty.team_id.is_(None))
                .order_by(SupportDuty.week)
            )
        ],
    )


def test_the_rota_is_chosen_with_the_keyboard_undone_and_saved(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.PRIORITIES)
    rota = page.rota
    sprint = demo_doc.sprint
    assert sprint is not None and week_count(sprint) == 2
    assert len(rota.boxes) == 2 and _rota(demo_store, sprint.id) == []
    assert rota.labels[0].text().startswith("Week 1  (")  # the week's dates beside it
    assert_all_named(rota)
    first, second = rota.boxes
    with qtbot.waitActive(page):  # focus needs an active window (waitActive is a context)
        page.activateWindow()
    first.setFocus()
    assert first.hasFocus()
    qtbot.keyClick(first, Qt.Key.Key_Down)  # the first person after "nobody"
    chosen = first.currentText()
    saved(demo_doc)
    assert _rota(demo_store, sprint.id) == [(1, chosen)]
    # Tab reaches the next week; the edit did not take the focus away.
    assert first.hasFocus()
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert second.hasFocus()
    qtbot.keyClick(second, Qt.Key.Key_Down)
    qtbot.keyClick(second, Qt.Key.Key_Down)  # two edits: somebody, then the next person
    other = second.currentText()
    saved(demo_doc)
    assert _rota(demo_store, sprint.id) == [(1, chosen), (2, other)]
    # Week 1 changes hands, then nobody has it.
    qtbot.keyClick(first, Qt.Key.Key_Down)
    changed = first.currentText()
    assert changed != chosen
    first.setCurrentIndex(0)
    saved(demo_doc)
    assert _rota(demo_store, sprint.id) == [(2, other)]
    # Undo, step by step, back to where it started; the pickers follow.
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _rota(demo_store, sprint.id) == [(1, changed), (2, other)]
    assert first.currentText() == changed
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _rota(demo_store, sprint.id) == [(1, chosen), (2, other)]
    demo_doc.undo_stack.undo()  # week 2's second choice, then week 2 itself
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _rota(demo_store, sprint.id) == [(1, chosen)]
    assert second.currentIndex() == 0
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _rota(demo_store, sprint.id) == [] and first.currentIndex() == 0
    demo_doc.undo_stack.redo()
    saved(demo_doc)
    assert _rota(demo_store, sprint.id) == [(1, chosen)] and first.currentText() == chosen


def test_a_team_s_duties_are_not_the_sprint_rota(qtbot, demo_doc, demo_store):
    """The demo's Pipeline team has weekly heroes: they stay off the sprint-wide rota, and
    choosing the sprint's hero for a week leaves them as they were."""
    page = open_page(qtbot, demo_doc, SectionKind.PRIORITIES)
    sprint = demo_doc.sprint
    assert sprint is not None
    team_duties = [(d.week, d.person.name) for d in sprint.support_duties if d.team is not None]
    assert all(box.currentIndex() == 0 for box in page.rota.boxes)
    page.rota.boxes[1].setCurrentIndex(1)
    saved(demo_doc)
    after = fresh(
        demo_store,
        lambda s: [
            (d.week, d.person.name)
            for d in s.scalars(
                select(SupportDuty)
                .where(SupportDuty.sprint_id == sprint.id, SupportDuty.team_id.is_not(None))
                .order_by(SupportDuty.week)
            )
        ],
    )
    assert sorted(after) == sorted(team_duties)
    assert [w for w, _ in _rota(demo_store, sprint.id)] == [2]


@pytest.fixture
def per_team_doc(qtbot, demo_store):
    """A per-team sprint (no priorities section) made from the demo's teams, open in a doc."""
    with demo_store.unit_of_work() as session:
        sprint = create_sprint(
            session, "Per team", date(2026, 3, 2), date(2026, 3, 13), template="per-team"
        )
        session.flush()
        sprint_id = sprint.id
    doc = PlanDocument(demo_store)
    doc.open_sprint(sprint_id)
    yield doc
    doc.close()


def test_a_per_team_sprint_edits_the_rota_on_its_first_team_page(qtbot, per_team_doc, demo_store):
    """The per-team template has no priorities page: the meeting opens on the first team, whose
    page holds the sprint-wide rota (the other teams' pages do not repeat it)."""
    doc = per_team_doc
    sprint = doc.sprint
    assert sprint is not None
    kinds = {s.kind for s in sprint.sections}
    assert SectionKind.PRIORITIES.value not in kinds
    teams = [s.team_plan.team.name for s in sprint.sections if s.team_plan is not None]
    assert len(teams) >= 2 and sprint.sections[0].team_plan is not None
    page = open_page(qtbot, doc, SectionKind.TEAM, teams[0])
    rota = page.rota
    assert rota.isVisible() and len(rota.boxes) == week_count(sprint) == 2
    assert rota.labels[1].text() == "Week 2  (Mar 9 – Mar 13)"
    assert_all_named(rota)
    rota.boxes[0].setFocus()
    qtbot.keyClick(rota.boxes[0], Qt.Key.Key_Down)
    qtbot.keyClick(rota.boxes[0], Qt.Key.Key_Tab)
    assert rota.boxes[1].hasFocus()
    qtbot.keyClick(rota.boxes[1], Qt.Key.Key_Down)
    qtbot.keyClick(rota.boxes[1], Qt.Key.Key_Down)
    first, second = rota.boxes[0].currentText(), rota.boxes[1].currentText()
    saved(doc)
    assert _rota(demo_store, sprint.id) == [(1, first), (2, second)]
    # A team's own hero stays the team's.
    assert all(d.team is None for d in sprint.support_duties)
    doc.undo_stack.undo()
    saved(doc)
    assert rota.boxes[1].currentIndex() == 1  # the picker follows: one step down, not two
    assert _rota(demo_store, sprint.id) == [(1, first), (2, rota.boxes[1].itemText(1))]
    # Another team's page shows that team only; the rota's home is still the first team.
    page.show_section(section_of(doc, SectionKind.TEAM, teams[1]))
    qtbot.waitUntil(lambda: not page.pending_work(), timeout=30000)
    assert not rota.isVisible()
    page.show_section(section_of(doc, SectionKind.TEAM, teams[0]))
    assert rota.isVisible() and rota.boxes[0].currentText() == first


def test_a_classic_sprint_keeps_the_rota_off_its_team_pages(qtbot, demo_doc):
    page = open_page(qtbot, demo_doc, SectionKind.TEAM)
    assert not page.rota.isVisible()
