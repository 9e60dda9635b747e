"""A trailing ``@login`` typed on a team page is the item's owner (issue 14 walk-through,
finding 7; issue item 8), as the importer and the retro's actions take it, and the published
text names the owner once."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit
from sqlalchemy import select

from sprintdesk.markdown.render import render_markdown_file, render_plan
from sprintdesk.plan.model import ItemKind, Person, SectionKind, Sprint, TeamItem
from tests.ui.pages_support import demo_doc_fixture, fresh, open_page, saved  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _person_with_login(doc) -> Person:
    person = doc.session.scalars(
        select(Person).where(Person.github_login.is_not(None)).order_by(Person.name)
    ).first()
    assert person is not None and person.github_login
    return person


def _item(store, title: str) -> tuple[str, str | None]:
    def read(session):
        item = session.scalars(select(TeamItem).where(TeamItem.title.startswith(title))).one()
        return item.title, item.owner.github_login if item.owner else None

    return fresh(store, read)


def test_a_typed_high_priority_item_takes_its_trailing_login_as_owner(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.TEAM, "Billing")
    login = _person_with_login(demo_doc).github_login
    high = page.tables["high"]
    qtbot.keyClicks(high.add_line, f"Rotate the archive keys @{login}")
    qtbot.keyClick(high.add_line, Qt.Key.Key_Return)
    saved(demo_doc)
    assert _item(demo_store, "Rotate the archive keys") == ("Rotate the archive keys", login)

    # Undo takes the item (and its owner) away in one step.
    demo_doc.undo_stack.undo()
    saved(demo_doc)
    assert (
        fresh(
            demo_store,
            lambda s: s.scalars(select(TeamItem).where(TeamItem.title.startswith("Rotate"))).all(),
        )
        == []
    )


def test_editing_an_item_with_a_trailing_login_sets_the_owner_once(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.TEAM, "Billing")
    login = _person_with_login(demo_doc).github_login
    low = page.tables["low"]
    qtbot.keyClicks(low.add_line, "Tidy the invoice CSS")
    qtbot.keyClick(low.add_line, Qt.Key.Key_Return)
    row = low.model.row_of(next(o for o in low.model.objects() if o.title.startswith("Tidy")))
    view = low.view
    view.setFocus()
    view.setCurrentIndex(low.model.index(row, 0))
    qtbot.keyClick(view, Qt.Key.Key_F2)
    editor = view.viewport().findChild(QLineEdit)
    assert isinstance(editor, QLineEdit)
    editor.end(False)
    qtbot.keyClicks(editor, f" @{login}")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)
    saved(demo_doc)
    assert _item(demo_store, "Tidy the invoice CSS") == ("Tidy the invoice CSS", login)

    def rendered(session) -> str:
        sprint = session.scalars(select(Sprint).order_by(Sprint.id.desc())).first()
        return render_markdown_file(render_plan(sprint))

    text = fresh(demo_store, rendered)
    line = next(x for x in text.splitlines() if "Tidy the invoice CSS" in x)
    assert line.count(f"@{login}") == 1, line


def test_an_unknown_trailing_login_stays_in_the_text(qtbot, demo_doc, demo_store):
    page = open_page(qtbot, demo_doc, SectionKind.TEAM, "Billing")
    high = page.tables["high"]
    qtbot.keyClicks(high.add_line, "Ask @nobody-here")
    qtbot.keyClick(high.add_line, Qt.Key.Key_Return)
    saved(demo_doc)
    assert _item(demo_store, "Ask") == ("Ask @nobody-here", None)
    assert ItemKind.HIGH.value == fresh(
        demo_store,
        lambda s: s.scalars(
            select(TeamItem.kind).where(TeamItem.title == "Ask @nobody-here")
        ).one(),
    )
