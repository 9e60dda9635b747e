"""Outcomes page (status, note, carry-over creating the 🔁 goal) and team pages (support hero,
time off, retro statuses, hang-over decisions, priority lists, OKRs, findings)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from sprintdesk.plan.model import (
    Goal,
    Okr,
    OutcomeReview,
    Person,
    SectionKind,
    Sprint,
    TeamItem,
    TeamPlan,
)
from sprintdesk.views.widgets import ChoicePicker
from tests.ui.accessibility import assert_all_named
from tests.ui.pages_support import (  # noqa: F401
    demo_doc_fixture,
    fresh,
    open_page,
    saved,
    section_of,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _latest(session):
    return session.scalars(select(Sprint).order_by(Sprint.id.desc())).first()


def _outcome(store, title):
    return fresh(
        store,
        lambda s: next(
            (o.status, o.note, o.carry_over) for o in _latest(s).outcomes if o.title == title
        ),
    )


def _carried_goals(store):
    return fresh(store, lambda s: [g.title for g in _latest(s).goals if g.carried_over])


# --- outcomes ------------------------------------------------------------------------------


def test_outcome_status_and_note_are_saved_and_undone(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.OUTCOMES)
    assert_all_named(page)
    card = page.cards[1]
    title = card.outcome.title
    assert [c.label for c in card.status.choices()] == [
        "🟢 finished",
        "🟡 in progress",
        "🔴 won't finish",
        "⚪ not started",
    ]
    assert card.details.text().startswith("Owner: Lena Kowalski")
    assert card.status.pick("finished")
    card.note.selectAll()
    qtbot.keyClicks(card.note, "Shipped after all")
    saved(demo_doc)
    assert _outcome(demo_store, title)[:2] == ("finished", "Shipped after all")
    demo_doc.undo_stack.undo()
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _outcome(demo_store, title)[:2] == ("wont_finish", "Blocked on the storage upgrade.")
    assert card.status.currentText() == "🔴 won't finish"
    assert card.note.text() == "Blocked on the storage upgrade."


def test_carry_over_toggle_creates_the_goal_and_undo_removes_it(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.OUTCOMES)
    card = page.cards[1]
    title = card.outcome.title
    assert title not in _carried_goals(demo_store)
    qtbot.mouseClick(card.carry, Qt.MouseButton.LeftButton)
    assert card.carry.isChecked()
    saved(demo_doc)
    assert title in _carried_goals(demo_store)
    assert _outcome(demo_store, title)[2] is True
    goal_owner = fresh(
        demo_store,
        lambda s: next(g.owner.name for g in _latest(s).goals if g.title == title),
    )
    assert goal_owner == "Lena Kowalski"
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert title not in _carried_goals(demo_store)
    assert _outcome(demo_store, title)[2] is False
    assert not card.carry.isChecked()
    demo_doc.undo_stack.redo()
    saved(demo_doc)
    assert title in _carried_goals(demo_store)
    # Untick: the goal goes away again, undoably.
    qtbot.mouseClick(card.carry, Qt.MouseButton.LeftButton)
    saved(demo_doc)
    assert title not in _carried_goals(demo_store)
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert title in _carried_goals(demo_store)
    assert fresh(demo_store, lambda s: s.scalars(select(OutcomeReview)).first()) is not None


def test_unticking_an_edited_carried_goal_asks_first(qtbot, demo_doc, demo_store, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from sprintdesk.plan.planning import carried_goal, carried_goal_edits

    page = open_page(qtbot, demo_doc, SectionKind.OUTCOMES)
    card = page.cards[1]
    title = card.outcome.title
    qtbot.mouseClick(card.carry, Qt.MouseButton.LeftButton)
    saved(demo_doc)
    goal = carried_goal(demo_doc.sprint, card.outcome)
    assert goal is not None and carried_goal_edits(goal, card.outcome) == []
    # Unedited: unticking takes it out without a question.
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.Cancel]

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    qtbot.mouseClick(card.carry, Qt.MouseButton.LeftButton)
    saved(demo_doc)
    assert asked == [] and title not in _carried_goals(demo_store)
    # Edited in the goals (its why and owner): unticking asks, and Cancel keeps it.
    qtbot.mouseClick(card.carry, Qt.MouseButton.LeftButton)
    saved(demo_doc)
    goal = carried_goal(demo_doc.sprint, card.outcome)
    assert goal is not None
    demo_doc.set_attr(goal, "why", "Still blocks the pricing launch.", "Edit why")
    engineer = next(p for p in demo_doc.session.scalars(select(Person)) if p is not goal.owner)
    demo_doc.set_attr(goal, "owner", engineer, "Edit owner")
    saved(demo_doc)
    assert carried_goal_edits(goal, card.outcome) == ["owner", "why"]
    qtbot.mouseClick(card.carry, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and title in asked[0] and "owner, why" in asked[0]
    assert card.carry.isChecked()
    saved(demo_doc)
    assert title in _carried_goals(demo_store)
    # Yes: it goes, with its edits, and Ctrl+Z brings them back.
    answer[0] = QMessageBox.StandardButton.Yes
    qtbot.mouseClick(card.carry, Qt.MouseButton.LeftButton)
    saved(demo_doc)
    assert not card.carry.isChecked() and title not in _carried_goals(demo_store)
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    why = fresh(demo_store, lambda s: next(g.why for g in _latest(s).goals if g.title == title))
    assert why == "Still blocks the pricing launch."


# --- team ----------------------------------------------------------------------------------


def _plan(store, team):
    def read(session):
        plan = next(p for p in _latest(session).team_plans if p.team.name == team)
        return {
            "hero": plan.support_hero.name if plan.support_hero else None,
            "items": [(i.kind, i.title, i.status, i.decision, i.carried_over) for i in plan.items],
            "okrs": [(o.title, o.status) for o in plan.okrs],
            "other": plan.other_teams_impacted,
        }

    return fresh(store, read)


def test_team_page_shows_and_edits_the_team(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.TEAM, "Pipeline")
    assert_all_named(page)
    assert page.title_label.text() == "Team Pipeline"
    # Time off of the team's members only.
    assert "Priya Sharma" in page.time_off.text()
    assert "Lena Kowalski" not in page.time_off.text()
    assert "week 1: Tomasz Nowak" in page.duties.text()
    jun = demo_doc.session.scalar(select(Person).where(Person.name == "Jun Watanabe"))
    assert page.hero.pick(jun.id)
    qtbot.keyClicks(page.other_teams, " and Onboarding")
    saved(demo_doc)
    plan = _plan(demo_store, "Pipeline")
    assert plan["hero"] == "Jun Watanabe"
    assert plan["other"].endswith(" and Onboarding")
    demo_doc.undo_stack.undo()
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _plan(demo_store, "Pipeline")["hero"] == "Tomasz Nowak"

    # Switching to another team's section shows that team.
    page.show_section(section_of(demo_doc, SectionKind.TEAM, "Billing"))
    assert page.title_label.text() == "Team Billing"
    titles = [
        page.tables["retro"].model.index(r, 1).data()
        for r in range(page.tables["retro"].model.rowCount())
    ]
    assert any("Tax rules for the EU" in t for t in titles)
    assert "Lena Kowalski" in page.time_off.text()


def test_high_and_low_lists_and_okrs(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.TEAM, "Billing")
    high = page.tables["high"]
    qtbot.keyClicks(high.add_line, "EU VAT invoices")
    qtbot.keyClick(high.add_line, Qt.Key.Key_Return)
    low = page.tables["low"]
    qtbot.keyClicks(low.add_line, "Tidy the invoice CSS")
    qtbot.keyClick(low.add_line, Qt.Key.Key_Return)
    # Owner through the cell picker.
    row = high.model.row_of(next(o for o in high.model.objects() if o.title == "EU VAT invoices"))
    index = high.model.index(row, 1)
    high.view.edit(index)
    picker = high.view.viewport().findChild(ChoicePicker)
    lena = demo_doc.session.scalar(select(Person).where(Person.name == "Lena Kowalski"))
    assert picker.pick(lena.id)
    okrs = page.tables["okrs"]
    qtbot.keyClicks(okrs.add_line, "Invoices always correct")
    qtbot.keyClick(okrs.add_line, Qt.Key.Key_Return)
    okr_index = okrs.model.index(0, 1)
    okrs.view.edit(okr_index)
    okr_picker = okrs.view.viewport().findChild(ChoicePicker)
    assert [c.label for c in okr_picker.choices()] == [
        "🟢 on track",
        "🟡 at risk",
        "🔴 off track",
        "⚪ status unknown",  # imported OKRs written without a status
    ]
    assert okr_picker.pick("red")
    saved(demo_doc)
    plan = _plan(demo_store, "Billing")
    assert ("high", "EU VAT invoices", None, None, False) in plan["items"]
    assert ("low", "Tidy the invoice CSS", None, None, False) in plan["items"]
    assert plan["okrs"] == [("Invoices always correct", "red")]
    owner = fresh(
        demo_store,
        lambda s: s.scalar(select(TeamItem).where(TeamItem.title == "EU VAT invoices")).owner.name,
    )
    assert owner == "Lena Kowalski"
    assert okrs.model.index(0, 1).data() == "🔴 off track"
    for _ in range(3):
        demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert (
        fresh(demo_store, lambda s: s.scalars(select(Okr).where(Okr.title.like("Invoices%"))).all())
        == []
    )


def test_hangover_decision_adds_the_carried_item_and_undo_removes_it(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.TEAM, "Pipeline")
    table = page.tables["hangover"]
    item = next(o for o in table.model.objects() if o.decision == "deprioritise")
    title = item.title

    def high_carried():
        return [
            t for k, t, _s, _d, c in _plan(demo_store, "Pipeline")["items"] if k == "high" and c
        ]

    assert title not in high_carried()
    table.view.selectRow(table.model.row_of(item))
    qtbot.mouseClick(page.prioritise_button, Qt.MouseButton.LeftButton)
    saved(demo_doc)
    assert title in high_carried()
    assert item.decision == "prioritise"
    high_titles = [
        page.tables["high"].model.index(r, 0).data()
        for r in range(page.tables["high"].model.rowCount())
    ]
    assert f"🔁 {title}" in high_titles
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert title not in high_carried()
    assert item.decision == "deprioritise"
    demo_doc.undo_stack.redo()
    saved(demo_doc)
    assert title in high_carried()
    # The decision column's picker goes through the same path.
    row = table.model.row_of(item)
    table.view.edit(table.model.index(row, 2))
    picker = table.view.viewport().findChild(ChoicePicker)
    assert picker.pick("deprioritise")
    saved(demo_doc)
    assert title not in high_carried()


def test_retro_status_adds_a_hangover_undoably(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.TEAM, "Onboarding")
    retro = page.tables["retro"]
    finished = next(o for o in retro.model.objects() if o.status == "finished")

    def hangovers():
        return [t for k, t, *_ in _plan(demo_store, "Onboarding")["items"] if k == "hangover"]

    before = hangovers()
    assert before.count(finished.title) == 0
    retro.view.edit(retro.model.index(retro.model.row_of(finished), 3))
    picker = retro.view.viewport().findChild(ChoicePicker)
    assert picker.pick("wont_finish")
    saved(demo_doc)
    assert hangovers().count(finished.title) == 1
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert hangovers() == before
    assert finished.status == "finished"


def test_team_findings_inline(qtbot, demo_doc):
    page = open_page(qtbot, demo_doc, SectionKind.TEAM, "Billing")

    def shown() -> list[tuple[str, str]]:
        return [(lab.finding.code, lab.text()) for lab in page.findings_box.labels()]

    # The support hero for the whole sprint has no time left for the items they own.
    assert [code for code, _ in shown()] == ["over-allocated"]
    assert "Lena Kowalski is over-allocated" in shown()[0][1]
    assert page.hero.pick(None)
    labels = page.findings_box.labels()
    assert [lab.finding.code for lab in labels] == ["no-support-hero"]  # and Lena has time
    assert labels[0].property("severity") == "warning"
    assert "Billing has no support hero" in labels[0].text()
    plan_id = demo_doc.session.scalar(
        select(TeamPlan.id).where(TeamPlan.sprint_id == demo_doc.sprint.id).limit(1)
    )
    assert plan_id is not None
    demo_doc.undo_stack.undo()
    assert [code for code, _ in shown()] == ["over-allocated"]
    # Another team's page shows its own people, not Lena.
    pipeline = open_page(qtbot, demo_doc, SectionKind.TEAM, "Pipeline")
    texts = [lab.text() for lab in pipeline.findings_box.labels()]
    assert len(texts) == 1 and "Jun Watanabe is over-allocated" in texts[0]


def test_team_presentation_hides_chrome(qtbot, demo_doc):
    page = open_page(qtbot, demo_doc, SectionKind.TEAM, "Pipeline")
    assert page.tables["high"].add_line.isVisible()
    assert page.decision_buttons.isVisible()
    page.set_presentation(True)
    assert not page.tables["high"].add_line.isVisible()
    assert not page.decision_buttons.isVisible()
    assert not page.time_off_note.isVisible()  # empty: nothing to show
    assert page.tables["retro"].view.isVisible()
    assert not page.title_label.isVisible()  # the window's header shows it large
    page.set_presentation(False)
    assert page.tables["high"].add_line.isVisible()
    assert Goal is not None
