"""Proposed goals page: the owner picker refuses non-engineers, contributors with shares, undo,
and the plan checks' findings inline (errors red, warnings amber, said in words)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from sqlalchemy import select

from sprintdesk.plan.model import Goal, Person, SectionKind
from sprintdesk.views.goals import ContributorError, parse_contributors
from sprintdesk.views.models import ERROR_COLOR, WARNING_COLOR
from tests.ui.accessibility import assert_all_named
from tests.ui.pages_support import demo_doc_fixture, fresh, open_page, saved  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

GOAL = "Self-serve plan upgrades"


def _goal(store, title=GOAL):
    def read(session):
        goal = session.scalars(select(Goal).where(Goal.title == title).order_by(Goal.id.desc()))
        goal = goal.first()
        assert goal is not None
        return {
            "owner": goal.owner.name if goal.owner else None,
            "why": goal.why,
            "confidence": goal.confidence,
            "contributors": [(c.person.name, c.share) for c in goal.contributors],
        }

    return fresh(store, read)


def _person(doc, name):
    return doc.session.scalar(select(Person).where(Person.name == name))


@pytest.fixture
def goals_page(qtbot, demo_doc):
    return open_page(qtbot, demo_doc, SectionKind.GOALS)


def _drawn_in(label):
    """The colour a label's text and severity bar are really drawn in (from the page's style)."""
    label.ensurePolished()
    text = label.palette().color(QPalette.ColorRole.WindowText).name()
    image = label.grab().toImage()
    bar = image.pixelColor(2, image.height() // 2).name()  # the 6 px bar on the left
    assert bar == text
    return text


def _card(page, title=GOAL):
    return next(c for c in page.cards if c.goal.title == title)


def test_owner_picker_shows_non_engineers_disabled_with_the_reason(goals_page, demo_doc):
    assert_all_named(goals_page)
    picker = _card(goals_page).owner
    labels = {c.label: c.enabled for c in picker.choices()}
    assert labels["Marco Rossi — designer, owners must be engineers"] is False
    assert labels["Dee Okafor — product, owners must be engineers"] is False
    assert labels["Ana Souza"] is True
    row = picker.findText("Marco Rossi — designer, owners must be engineers")
    item = picker.model().item(row)
    assert not item.isEnabled()
    assert "owners must be engineers" in item.toolTip()


def test_owner_picker_refuses_non_engineers_by_keyboard_and_code(
    qtbot, goals_page, demo_doc, demo_store
):
    card = _card(goals_page)
    picker = card.owner
    marco = _person(demo_doc, "Marco Rossi")
    # Walk the whole list with the arrow keys, both ways: never lands on a non-engineer.
    picker.setFocus()
    seen = set()
    for key in [Qt.Key.Key_Down] * 12 + [Qt.Key.Key_Up] * 12:
        qtbot.keyClick(picker, key)
        seen.add(picker.currentText())
        assert card.goal.owner is None or card.goal.owner.is_engineer
    assert "Marco Rossi — designer, owners must be engineers" not in seen
    assert "Jun Watanabe" in seen  # the keys did move through the list
    qtbot.keyClicks(picker, "Marco")  # keyboard search by name
    assert picker.value() != marco.id
    assert card.goal.owner is None or card.goal.owner.is_engineer
    # The paths the UI uses in code refuse too, and say why.
    assert picker.pick(marco.id) is False
    assert card.set_owner(marco.id) is False
    assert card.message.isVisible()
    assert "owners must be engineers" in card.message.text()
    picker.setCurrentIndex(picker.index_of(marco.id))
    assert picker.value() != marco.id
    saved(demo_doc)
    assert _goal(demo_store)["owner"] != "Marco Rossi"


def test_owner_change_is_saved_and_undone(goals_page, demo_doc, demo_store):
    card = _card(goals_page)
    kwame = _person(demo_doc, "Kwame Asante")
    assert card.owner.pick(kwame.id)
    saved(demo_doc)
    assert _goal(demo_store)["owner"] == "Kwame Asante"
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _goal(demo_store)["owner"] == "Ana Souza"
    assert card.owner.currentText() == "Ana Souza"


def test_typing_why_and_confidence_are_undoable(qtbot, goals_page, demo_doc, demo_store):
    card = _card(goals_page)
    card.why.selectAll()
    qtbot.keyClicks(card.why, "Sales calls delay upgrades")
    assert card.confidence.pick("certain")
    saved(demo_doc)
    assert _goal(demo_store)["why"] == "Sales calls delay upgrades"
    assert _goal(demo_store)["confidence"] == "certain"
    demo_doc.undo_stack.undo()
    demo_doc.undo_stack.undo()  # typing merges into one step
    saved(demo_doc)
    assert _goal(demo_store)["why"] == "Upgrades wait for a sales call today."
    assert _goal(demo_store)["confidence"] == "likely"
    assert card.why.text() == "Upgrades wait for a sales call today."


def test_contributors_with_shares(qtbot, goals_page, demo_doc, demo_store):
    card = _card(goals_page)
    assert card.contributors.text() == "@ana-souza 50, @lena-k 50"
    card.contributors.setFocus()
    card.contributors.selectAll()
    qtbot.keyClicks(card.contributors, "@ana-souza 60, @kwame-a 40")
    qtbot.keyClick(card.contributors, Qt.Key.Key_Return)
    saved(demo_doc)
    assert _goal(demo_store)["contributors"] == [("Ana Souza", 60), ("Kwame Asante", 40)]
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _goal(demo_store)["contributors"] == [("Ana Souza", 50), ("Lena Kowalski", 50)]
    assert card.contributors.text() == "@ana-souza 50, @lena-k 50"
    demo_doc.undo_stack.redo()
    demo_doc.undo_stack.undo()  # again without a save in between
    demo_doc.undo_stack.redo()
    saved(demo_doc)
    assert _goal(demo_store)["contributors"] == [("Ana Souza", 60), ("Kwame Asante", 40)]


def test_bad_contributors_are_explained_and_kept(qtbot, goals_page, demo_doc, demo_store):
    card = _card(goals_page)
    card.contributors.setFocus()
    card.contributors.selectAll()
    qtbot.keyClicks(card.contributors, "@ana-souza 50, @nobody 50")
    qtbot.keyClick(card.contributors, Qt.Key.Key_Return)
    assert card.message.isVisible()
    assert "Nobody called “@nobody”" in card.message.text()
    assert card.contributors.text() == "@ana-souza 50, @nobody 50"  # nothing typed is lost
    saved(demo_doc)
    assert _goal(demo_store)["contributors"] == [("Ana Souza", 50), ("Lena Kowalski", 50)]


def test_parse_contributors_reads_what_people_type(demo_doc):
    people = list(demo_doc.session.scalars(select(Person)))
    parsed = parse_contributors("@ana-souza 50%, Kwame: 30; lena 20", people)
    assert [(p.name, s) for p, s in parsed] == [
        ("Ana Souza", 50),
        ("Kwame Asante", 30),
        ("Lena Kowalski", 20),
    ]
    assert parse_contributors("", people) == []
    for bad in ("@ana-souza", "@ana-souza 50, @ana-souza 50", "@ana-souza 150"):
        with pytest.raises(ContributorError):
            parse_contributors(bad, people)


def test_findings_show_inline_with_their_colour(qtbot, goals_page, demo_doc):
    card = _card(goals_page)
    # Only findings about its people so far (a contributor is over-allocated).
    before = {label.finding.code for label in card.findings.labels()}
    assert all(label.finding.goal_id is None for label in card.findings.labels())
    assert card.owner.pick(None)  # no owner: an error
    card.target.selectAll()
    qtbot.keyClick(card.target, Qt.Key.Key_Delete)  # no target: a warning
    labels = card.findings.labels()
    by_code = {label.finding.code: label for label in labels}
    assert set(by_code) - before == {"no-owner", "no-target"}
    error, warning = by_code["no-owner"], by_code["no-target"]
    assert error.property("severity") == "error"
    assert error.text().startswith("⛔ Error:")
    assert _drawn_in(error) == ERROR_COLOR
    assert warning.property("severity") == "warning"
    assert warning.text().startswith("⚠ Warning:")
    assert _drawn_in(warning) == WARNING_COLOR
    assert labels[0] is error  # errors first
    # This card's findings do not show on another goal's card.
    other = _card(goals_page, "Partition the sessions table")
    assert other.findings.labels()
    assert all(lab.finding.goal_id in (None, other.goal.id) for lab in other.findings.labels())
    demo_doc.undo_stack.undo()
    demo_doc.undo_stack.undo()
    assert {label.finding.code for label in card.findings.labels()} == before


def test_add_goal_with_enter_and_its_findings_after_save(qtbot, goals_page, demo_doc, demo_store):
    qtbot.keyClicks(goals_page.add_line, "Faster invoices")
    qtbot.keyClick(goals_page.add_line, Qt.Key.Key_Return)
    card = _card(goals_page, "Faster invoices")
    saved(demo_doc)  # the new goal gets its id: its findings can point at it
    codes = {label.finding.code for label in card.findings.labels()}
    assert {"no-owner", "no-why", "no-target"} <= codes
    assert _goal(demo_store, "Faster invoices")["owner"] is None
    card.remove()
    saved(demo_doc)
    assert (
        fresh(demo_store, lambda s: s.scalar(select(Goal).where(Goal.title == "Faster invoices")))
        is None
    )
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _goal(demo_store, "Faster invoices")["owner"] is None


def test_presentation_hides_editing_chrome(goals_page):
    card = _card(goals_page)
    assert goals_page.add_line.isVisible() and card.delete_button.isVisible()
    goals_page.set_presentation(True)
    assert not goals_page.add_line.isVisible()
    assert not card.delete_button.isVisible()
    assert card.title.isVisible()
    goals_page.set_presentation(False)
    assert goals_page.add_line.isVisible()
