"""Proposed goals page: reordering goals (Alt+Up/Down, ▲/▼ buttons hidden when presenting),
the goal's team picker, and a sprint with many goals (cards built in batches, far ones
collapsed, the plan checks run once per change)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from sprintdesk.plan.model import Goal, SectionKind, Sprint, Team
from sprintdesk.plan.rules import Finding, check_sprint
from sprintdesk.views import base as base_module
from sprintdesk.views.goals import CARDS_AT_ONCE, GoalsPage
from sprintdesk.views.pages import PAGE_CLASSES
from tests.ui.pages_support import (  # noqa: F401
    demo_doc_fixture,
    fresh,
    latest_sprint_id,
    open_page,
    saved,
    section_of,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _saved_order(store, sprint_id):
    def read(session):
        goals = session.scalars(
            select(Goal).where(Goal.sprint_id == sprint_id).order_by(Goal.position)
        )
        return [g.title for g in goals]

    return fresh(store, read)


def _titles(page):
    return [card.goal.title for card in page.cards]


@pytest.fixture
def goals_page(qtbot, demo_doc):
    return open_page(qtbot, demo_doc, SectionKind.GOALS)


def test_alt_arrows_move_the_focused_goal_and_undo(qtbot, goals_page, demo_doc, demo_store):
    sprint_id = demo_doc.sprint.id
    goals_page.add_goal("Faster invoices")
    saved(demo_doc)
    demo_doc.undo_stack.clear()
    before = _titles(goals_page)
    assert len(before) == 3
    card = goals_page.cards[0]
    card.why.setFocus()
    qtbot.keyClick(card.why, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(card.why, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    expected = [before[1], before[2], before[0], *before[3:]]
    assert _titles(goals_page) == expected
    assert card.why.hasFocus()  # the card moved, the cursor stayed in it
    saved(demo_doc)
    assert _saved_order(demo_store, sprint_id) == expected
    qtbot.keyClick(card.owner, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)  # from a picker
    assert _titles(goals_page) == [before[1], before[0], before[2], *before[3:]]
    demo_doc.undo_stack.undo()
    demo_doc.undo_stack.undo()
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _titles(goals_page) == before
    assert _saved_order(demo_store, sprint_id) == before
    # Nothing moves past either end.
    goals_page.cards[0].title.setFocus()
    qtbot.keyClick(goals_page.cards[0].title, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert _titles(goals_page) == before
    assert not demo_doc.undo_stack.canUndo()


def test_move_buttons_and_presentation(qtbot, goals_page, demo_doc):
    before = _titles(goals_page)
    last = goals_page.cards[-1]
    qtbot.mouseClick(last.up_button, Qt.MouseButton.LeftButton)
    assert _titles(goals_page) == [*before[:-2], before[-1], before[-2]]
    qtbot.mouseClick(last.down_button, Qt.MouseButton.LeftButton)
    assert _titles(goals_page) == before
    assert last.up_button.isVisible() and last.down_button.isVisible()
    goals_page.set_presentation(True)
    assert not last.up_button.isVisible() and not last.down_button.isVisible()
    goals_page.set_presentation(False)
    assert last.up_button.isVisible()


def test_team_picker_offers_the_teams_and_no_team(goals_page, demo_doc, demo_store):
    card = next(c for c in goals_page.cards if c.goal.title == "Self-serve plan upgrades")
    picker = card.team
    assert picker.accessibleName() == "Goal team"
    teams = list(demo_doc.session.scalars(select(Team).where(Team.active.is_(True))))
    labels = [c.label for c in picker.choices()]
    assert labels[0] == "— no team —"
    assert sorted(labels[1:]) == sorted(t.name for t in teams)
    assert picker.currentText() == "Billing"
    other = next(t for t in teams if t.name != "Billing")
    assert picker.pick(other.id)
    saved(demo_doc)

    def team_of(session):
        goal = session.scalars(select(Goal).where(Goal.title == "Self-serve plan upgrades"))
        team = goal.first().team
        return team.name if team is not None else None

    assert fresh(demo_store, team_of) == other.name
    assert picker.pick(None)
    saved(demo_doc)
    assert fresh(demo_store, team_of) is None
    demo_doc.undo_stack.undo()
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert fresh(demo_store, team_of) == "Billing"
    assert picker.currentText() == "Billing"


def test_many_goals_are_built_in_batches_and_far_ones_collapsed(
    qtbot, demo_doc, demo_store, monkeypatch
):
    sprint = demo_doc.sprint
    for i in range(60):
        sprint.goals.append(
            Goal(title=f"Bulk goal {i:02d}", why="w", target="t", confidence="likely")
        )
    saved(demo_doc)
    runs = []

    def counting(sprint: Sprint) -> list[Finding]:
        runs.append(1)
        return check_sprint(sprint)

    monkeypatch.setattr(base_module, "check_sprint", counting)
    page = open_page(qtbot, demo_doc, SectionKind.GOALS)  # waits for the batches to finish
    goals = list(sprint.goals)
    assert [c.goal for c in page.cards] == goals  # every card, in order
    assert len(runs) == 1  # the checks ran once for the show and all the cards
    collapsed = [c for c in page.cards if c.collapsed()]
    assert collapsed and not page.cards[0].collapsed()
    assert collapsed[-1] is page.cards[-1]
    # Scrolling to the end expands the cards there; Alt+Up on the last one moves it.
    last = page.cards[-1]
    page.scroll_area.verticalScrollBar().setValue(page.scroll_area.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: not last.collapsed(), timeout=5000)
    assert page.cards[0].collapsed()
    last.title.setFocus()
    qtbot.keyClick(last.title, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert page.cards[-2] is last
    assert len(runs) == 2  # one more change, one more run
    saved(demo_doc)
    titles = _saved_order(demo_store, latest_sprint_id(demo_store))
    assert titles[-2:] == ["Bulk goal 59", "Bulk goal 58"]


def test_after_a_switch_the_checks_and_the_refresh_with_their_findings_take_a_turn_each(
    qtbot, demo_doc
):
    """On a large sprint the plan checks and the page's refresh with their findings made one
    event-loop turn of over 100 ms; the refresh while the batches still build the cards out of
    sight built six more cards in that same turn. Now: checks, then refresh, then batches."""
    sprint = demo_doc.sprint
    for i in range(30):
        sprint.goals.append(Goal(title=f"Bulk goal {i:02d}", why="", target="t"))
    saved(demo_doc)
    page = GoalsPage(demo_doc)
    assert isinstance(page, PAGE_CLASSES[SectionKind.GOALS])
    qtbot.addWidget(page)
    page.resize(1280, 720)
    page.show_section(section_of(demo_doc, SectionKind.GOALS))  # a switch: no checks yet
    assert len(page.cards) == CARDS_AT_ONCE
    assert not page.findings_cache.ready() and page.findings_pending()
    assert page.general.labels() == [] and page.cards[0].findings.labels() == []

    page._late.timeout.emit()  # the first late turn runs the checks only
    assert page.findings_cache.ready() and page.findings_pending()
    assert page.cards[0].findings.labels() == []

    page._late.timeout.emit()  # the next one shows their findings, building no more cards
    assert not page.findings_pending()
    assert len(page.cards) == CARDS_AT_ONCE
    qtbot.waitUntil(lambda: not page.cards[0].findings.pending())
    assert [label.finding.code for label in page.cards[0].findings.labels()]

    qtbot.waitUntil(lambda: not page.pending_work(), timeout=30000)
    assert [c.goal for c in page.cards] == list(sprint.goals)  # every card, in order
    no_why = [c for c in page.cards if c.goal.title.startswith("Bulk")]
    qtbot.waitUntil(lambda: not no_why[-1].findings.pending())
    assert "no-why" in [label.finding.code for label in no_why[-1].findings.labels()]
