"""The sprint-wide support rota on the priorities page: one person picker per week, chosen with
the keyboard, every change undoable and in the database within the autosave."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from sprintdesk.plan.model import SectionKind, SupportDuty
from sprintdesk.plan.workdays import week_count
from tests.ui.accessibility import assert_all_named
from tests.ui.pages_support import demo_doc_fixture, fresh, open_page, saved  # noqa: F401

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
