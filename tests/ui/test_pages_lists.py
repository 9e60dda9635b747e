"""Retro and priorities pages: Enter adds, edit in place, Delete removes, Alt+Up/Down and drag
reorder, every edit undoable and in the database."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit
from sqlalchemy import select

from sprintdesk.plan.model import Person, Priority, RetroKind, RetroNote, SectionKind
from sprintdesk.views.widgets import ChoicePicker
from tests.ui.accessibility import assert_all_named
from tests.ui.pages_support import demo_doc_fixture, fresh, open_page, saved  # noqa: F401

# The offscreen platform says so whenever a top-level widget's size limits change.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _priorities(store):
    return fresh(
        store,
        lambda s: [
            p.text
            for p in s.scalars(
                select(Priority)
                .where(Priority.sprint_id == max(s.scalars(select(Priority.sprint_id))))
                .order_by(Priority.position)
            )
        ],
    )


def _notes(store, kind):
    return fresh(
        store,
        lambda s: [
            n.text
            for n in s.scalars(
                select(RetroNote)
                .where(RetroNote.kind == kind.value)
                .where(RetroNote.sprint_id == max(s.scalars(select(RetroNote.sprint_id))))
                .order_by(RetroNote.position)
            )
        ],
    )


def test_retro_enter_adds_edit_in_place_and_delete(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.RETRO)
    assert_all_named(page)
    table = page.tables[RetroKind.WENT_WELL]
    before = _notes(demo_store, RetroKind.WENT_WELL)

    qtbot.keyClicks(table.add_line, "Demo day went great")
    qtbot.keyClick(table.add_line, Qt.Key.Key_Return)
    assert table.add_line.text() == ""
    assert table.model.rowCount() == len(before) + 1
    saved(demo_doc)
    assert _notes(demo_store, RetroKind.WENT_WELL) == [*before, "Demo day went great"]
    # Other kinds are untouched.
    assert "Demo day went great" not in _notes(demo_store, RetroKind.TO_IMPROVE)

    # Edit in place: F2 opens the editor on the cell, Enter commits.
    view = table.view
    row = table.model.rowCount() - 1
    view.setFocus()
    view.setCurrentIndex(table.model.index(row, 0))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.viewport().findChild(QLineEdit)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Demo day was calm")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate commits through a queued call.
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)
    saved(demo_doc)
    assert _notes(demo_store, RetroKind.WENT_WELL)[-1] == "Demo day was calm"

    # Delete removes the selected row; undo brings it back, in the database too.
    view.setFocus()
    view.selectRow(row)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    saved(demo_doc)
    assert _notes(demo_store, RetroKind.WENT_WELL) == before
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _notes(demo_store, RetroKind.WENT_WELL)[-1] == "Demo day was calm"
    assert table.model.rowCount() == len(before) + 1
    demo_doc.undo_stack.undo()  # the edit in place
    demo_doc.undo_stack.undo()  # the add
    saved(demo_doc)
    assert _notes(demo_store, RetroKind.WENT_WELL) == before
    demo_doc.undo_stack.redo()
    saved(demo_doc)
    assert _notes(demo_store, RetroKind.WENT_WELL)[-1] == "Demo day went great"


def test_retro_action_owner_is_set_through_the_cell_picker(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.RETRO)
    table = page.tables[RetroKind.ACTION]
    qtbot.keyClicks(table.add_line, "Pair on the import wizard")
    qtbot.keyClick(table.add_line, Qt.Key.Key_Return)
    row = table.model.rowCount() - 1
    index = table.model.index(row, 1)
    table.view.setCurrentIndex(index)
    table.view.edit(index)
    picker = table.view.viewport().findChild(ChoicePicker)
    assert picker is not None
    kwame = demo_doc.session.scalar(select(Person).where(Person.name == "Kwame Asante"))
    assert picker.pick(kwame.id)
    saved(demo_doc)
    owner = fresh(
        demo_store,
        lambda s: (
            s.scalar(
                select(RetroNote).where(RetroNote.text == "Pair on the import wizard")
            ).owner.name
        ),
    )
    assert owner == "Kwame Asante"
    assert table.model.index(row, 1).data() == "Kwame Asante"
    demo_doc.undo_stack.undo()
    assert table.model.index(row, 1).data() == ""


def test_retro_empty_text_is_not_added(qtbot, demo_doc):
    page = open_page(qtbot, demo_doc, SectionKind.RETRO)
    table = page.tables[RetroKind.TO_IMPROVE]
    rows = table.model.rowCount()
    qtbot.keyClicks(table.add_line, "   ")
    qtbot.keyClick(table.add_line, Qt.Key.Key_Return)
    assert table.model.rowCount() == rows
    assert demo_doc.undo_stack.count() == 0


def test_priorities_reorder_with_alt_arrows_and_undo(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.PRIORITIES)
    view = page.table.view
    original = _priorities(demo_store)
    assert len(original) == 3
    view.setFocus()
    view.setCurrentIndex(page.table.model.index(0, 1))
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert view.currentIndex().row() == 1  # the cursor follows the moved row
    saved(demo_doc)
    assert _priorities(demo_store) == [original[1], original[0], original[2]]
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    saved(demo_doc)
    assert _priorities(demo_store) == [original[1], original[2], original[0]]
    # At the bottom Alt+Down does nothing.
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert demo_doc.undo_stack.count() == 2
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    saved(demo_doc)
    assert _priorities(demo_store) == [original[1], original[0], original[2]]
    assert page.table.model.index(0, 0).data() == "1."
    for _ in range(3):
        demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _priorities(demo_store) == original


def test_priorities_enter_adds_and_delete_removes(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.PRIORITIES)
    original = _priorities(demo_store)
    qtbot.keyClicks(page.table.add_line, "Ship the pricing preview")
    qtbot.keyClick(page.table.add_line, Qt.Key.Key_Enter)
    saved(demo_doc)
    assert _priorities(demo_store) == [*original, "Ship the pricing preview"]
    view = page.table.view
    # Adding resets the model: the user's current row stays on the same priority.
    view.setCurrentIndex(page.table.model.index(1, 1))
    current = page.table.model.object_at(1)
    qtbot.keyClicks(page.table.add_line, "One more")
    qtbot.keyClick(page.table.add_line, Qt.Key.Key_Enter)
    assert page.table.model.object_at(view.currentIndex().row()) is current
    demo_doc.undo_stack.undo()
    view.setFocus()
    view.selectRow(0)
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    saved(demo_doc)
    assert _priorities(demo_store) == [*original[1:], "Ship the pricing preview"]
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _priorities(demo_store) == [*original, "Ship the pricing preview"]


def test_priorities_drop_moves_the_dragged_row(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.PRIORITIES)
    view = page.table.view
    original = _priorities(demo_store)
    view.setCurrentIndex(page.table.model.index(0, 1))
    target = view.visualRect(page.table.model.index(2, 1)).center()
    mime = QMimeData()
    event = QDropEvent(
        QPointF(target),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # A drop from this very view (source() is only set for real drags).
    view.handle_drop(event, source_is_self=True)
    assert event.dropAction() != Qt.DropAction.MoveAction  # the view must not delete rows
    saved(demo_doc)
    assert _priorities(demo_store) == [original[1], original[2], original[0]]
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert _priorities(demo_store) == original
