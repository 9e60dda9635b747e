"""Summary page (time planned vs actual, all findings), the notes page, the page contract
(PAGE_CLASSES, presentation mode and its font sizes) and qtmodeltester on every item model."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit
from sqlalchemy import select

from sprintdesk.plan.model import Priority, SectionKind, Sprint
from sprintdesk.plan.rules import Severity, check_sprint
from sprintdesk.views.models import (
    ERROR_BACKGROUND,
    Column,
    ObjectTableModel,
    SectionTimesModel,
    SeverityRole,
)
from sprintdesk.views.pages import PAGE_CLASSES
from tests.ui.accessibility import assert_all_named
from tests.ui.pages_support import (  # noqa: F401
    PRESENTATION_QSS,
    demo_doc_fixture,
    fresh,
    open_page,
    saved,
    section_of,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_page_classes_cover_every_section_kind(qtbot, demo_doc):
    assert set(PAGE_CLASSES) == set(SectionKind)
    for section in demo_doc.sprint.sections:
        page = PAGE_CLASSES[SectionKind(section.kind)](demo_doc)
        qtbot.addWidget(page)
        page.show_section(section)
        page.set_presentation(True)
        page.set_presentation(False)


def test_summary_shows_planned_actual_and_overrun(qtbot, demo_doc):
    previous = demo_doc.sprint.previous
    demo_doc.open_sprint(previous.id)  # a finished meeting, with actual times
    page = open_page(qtbot, demo_doc, SectionKind.SUMMARY)
    assert_all_named(page)
    model = page.times_model
    sections = previous.sections
    assert model.rowCount() == len(sections) + 1
    assert model.index(len(sections), 0).data() == "Total"
    over_rows = [
        r
        for r, s in enumerate(sections)
        if s.actual_seconds > s.timebox_seconds + s.extension_seconds + 0.5
    ]
    assert over_rows, "the demo has overruns"
    row = over_rows[0]
    section = sections[row]
    over = int(section.actual_seconds) - section.timebox_seconds - section.extension_seconds
    diff = SectionTimesModel.COL_DIFFERENCE
    assert model.index(row, diff).data() == f"+{over // 60}:{over % 60:02d} over"
    assert model.index(row, diff).data(SeverityRole) == "overrun"
    assert model.index(row, diff).data(Qt.ItemDataRole.BackgroundRole).color().name() == (
        ERROR_BACKGROUND
    )
    planned = section.timebox_seconds
    assert model.index(row, 1).data() == f"{planned // 60}:{planned % 60:02d}"
    assert "ran over" in page.overrun.text()
    # All findings, each saying its severity in words.
    expected = check_sprint(previous)
    labels = page.findings_box.labels()
    assert [lab.finding for lab in labels] == sorted(
        expected, key=lambda f: f.severity != Severity.ERROR
    )
    assert all(lab.text().startswith(("⛔ Error:", "⚠ Warning:")) for lab in labels)


def test_summary_follows_edits(qtbot, demo_doc):
    page = open_page(qtbot, demo_doc, SectionKind.SUMMARY)
    before = len(page.findings_box.labels())
    goal = next(g for g in demo_doc.sprint.goals if g.title == "Self-serve plan upgrades")
    demo_doc.set_attr(goal, "owner", None, "Clear owner")
    labels = page.findings_box.labels()
    assert "no-owner" in [lab.finding.code for lab in labels]
    assert labels[0].property("severity") == "error"  # errors first
    assert "1 error," in page.findings_heading.text()
    demo_doc.undo_stack.undo()
    assert len(page.findings_box.labels()) == before


def test_notes_page_and_private_notes(qtbot, demo_doc, demo_store):
    page = (
        open_page(qtbot, demo_doc, SectionKind.OTHER)
        if any(s.kind == SectionKind.OTHER for s in demo_doc.sprint.sections)
        else None
    )
    if page is None:
        page = PAGE_CLASSES[SectionKind.OTHER](demo_doc)
        qtbot.addWidget(page)
        page.resize(1280, 720)
        page.show_section(section_of(demo_doc, SectionKind.SUMMARY))
        page.show()
        qtbot.waitExposed(page)
    qtbot.keyClicks(page.table.add_line, "Celebrate the pilot launch")
    qtbot.keyClick(page.table.add_line, Qt.Key.Key_Return)
    assert page.private.toPlainText() == "Ask Billing about the pricing launch date."
    page.private.moveCursor(page.private.textCursor().MoveOperation.End)
    qtbot.keyClicks(page.private, " Friday?")
    saved(demo_doc)
    sprint_notes = fresh(
        demo_store,
        lambda s: (lambda sp: ([n.text for n in sp.notes], sp.facilitator_notes))(
            s.scalars(select(Sprint).order_by(Sprint.id.desc())).first()
        ),
    )
    assert sprint_notes == (
        ["Celebrate the pilot launch"],
        "Ask Billing about the pricing launch date. Friday?",
    )
    page.set_presentation(True)
    assert not page.private.isVisible()
    assert not page.private_heading.isVisible()
    assert not page.table.add_line.isVisible()
    demo_doc.undo_stack.undo()
    assert page.private.toPlainText() == "Ask Billing about the pricing launch date."


@pytest.mark.parametrize(
    "kind", [SectionKind.OUTCOMES, SectionKind.RETRO, SectionKind.GOALS, SectionKind.TEAM]
)
def test_presentation_is_large_and_without_chrome(qtbot, demo_doc, kind):
    page = open_page(qtbot, demo_doc, kind, "Pipeline" if kind == SectionKind.TEAM else None)
    page.setStyleSheet(PRESENTATION_QSS)
    page.set_presentation(True)
    qtbot.wait(1)  # let queued show/hide settle
    visible = [
        w for w in page.findChildren(QLabel) + page.findChildren(QLineEdit) if w.isVisibleTo(page)
    ]
    assert visible
    for widget in visible:
        assert QFontInfo(widget.font()).pixelSize() >= 22, widget.objectName()
        if isinstance(widget, QLineEdit):
            # No "type here" hints and no add lines on the shared screen.
            assert widget.placeholderText() in ("", "—"), widget.objectName()
    buttons = [b for b in page.findChildren(QAbstractButton) if b.isVisibleTo(page)]
    assert all(b.objectName() == "carryOver" for b in buttons), [b.objectName() for b in buttons]


# --- item models ----------------------------------------------------------------------------


def test_object_table_model_passes_the_model_tester(qtmodeltester, demo_doc):
    rows = list(demo_doc.sprint.priorities)
    model = ObjectTableModel(
        [
            Column("#", display=lambda p: str(p.position)),
            Column(
                "Priority",
                display=lambda p: p.text,
                commit=lambda p, v: demo_doc.set_attr(p, "text", v),
                stretch=True,
            ),
        ],
        lambda: rows,
        movable=True,
    )
    qtmodeltester.check(model)
    assert model.setData(model.index(0, 1), "Integrity first")
    assert demo_doc.sprint.priorities[0].text == "Integrity first"
    assert not model.setData(model.index(0, 1), "   ")  # an empty title is refused
    assert not model.setData(model.index(0, 0), "3")  # read-only column
    rows.append(Priority(text="New"))
    model.refresh()
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    empty = ObjectTableModel([Column("x", display=str)], lambda: [])
    qtmodeltester.check(empty)


def test_section_times_model_passes_the_model_tester(qtmodeltester, demo_doc):
    model = SectionTimesModel()
    qtmodeltester.check(model)
    model.set_sections(demo_doc.sprint.previous.sections)
    qtmodeltester.check(model)


def test_summary_with_many_findings_shows_them_all(qtbot, demo_doc):
    from sprintdesk.plan.model import Goal

    for i in range(30):  # no owner, why or target: three findings each
        demo_doc.sprint.goals.append(Goal(title=f"Loose goal {i:02d}", confidence="likely"))
    saved(demo_doc)
    page = open_page(qtbot, demo_doc, SectionKind.SUMMARY)  # waits for the batches
    expected = sorted(check_sprint(demo_doc.sprint), key=lambda f: f.severity != Severity.ERROR)
    assert len(expected) > 90
    assert [lab.finding for lab in page.findings_box.labels()] == expected
    errors = sum(f.severity == Severity.ERROR for f in expected)
    assert f"{errors} error{'' if errors == 1 else 's'}," in page.findings_heading.text()
