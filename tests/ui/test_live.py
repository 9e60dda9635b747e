"""Two SprintDesks on one team database (two stores, two engines, one process, a real
PostgreSQL server): an edit in one shows in the other without disturbing its undo stack."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from sprintdesk.editing.document import PlanDocument
from sprintdesk.editing.live import LiveUpdates, watch_document
from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import Goal, Sprint
from sprintdesk.storage.store import Store, open_store

pytestmark = pytest.mark.postgresql


@pytest.fixture
def two_docs(pg_database: str) -> Iterator[tuple[PlanDocument, PlanDocument, LiveUpdates]]:
    setup = open_store(pg_database)
    with setup.unit_of_work() as session:
        load_demo(session)
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    setup.close()
    stores: list[Store] = [open_store(pg_database), open_store(pg_database)]
    docs = [PlanDocument(store) for store in stores]
    for doc in docs:
        assert sprint_id is not None
        doc.open_sprint(sprint_id)
    live = watch_document(docs[1])
    assert live is not None and live.connected
    yield docs[0], docs[1], live
    live.stop()
    for doc, store in zip(docs, stores, strict=True):
        doc.close()
        store.close()


def goal_of(doc: PlanDocument, index: int = 0) -> Goal:
    assert doc.sprint is not None
    return doc.sprint.goals[index]


def test_an_edit_in_one_window_shows_in_the_other(qtbot, two_docs) -> None:
    ann, ben, _live = two_docs
    # Ben has his own undo history, which the remote edit must leave alone.
    ben.set_attr(goal_of(ben, 1), "why", "Ben's reason")
    assert ben.save_now()
    undo_before = ben.undo_stack.count()

    ann.set_attr(goal_of(ann), "title", "Renamed by Ann")
    with qtbot.waitSignal(ben.changed, timeout=5000):
        assert ann.save_now()
    assert goal_of(ben).title == "Renamed by Ann"
    assert ben.undo_stack.count() == undo_before
    # Undo in Ben's window reverts Ben's edit, not Ann's.
    ben.undo_stack.undo()
    assert ben.save_now()
    assert goal_of(ben).title == "Renamed by Ann"
    assert goal_of(ben, 1).why != "Ben's reason"


def test_a_row_added_elsewhere_appears(qtbot, two_docs) -> None:
    ann, ben, _live = two_docs
    assert ann.sprint is not None and ben.sprint is not None
    count = len(ben.sprint.goals)
    ann.insert_row(ann.sprint.goals, Goal(title="New from Ann"), len(ann.sprint.goals))
    with qtbot.waitSignal(ben.changed, timeout=5000):
        assert ann.save_now()
    assert len(ben.sprint.goals) == count + 1
    assert ben.sprint.goals[-1].title == "New from Ann"


def test_own_commits_are_not_echoed(qtbot, two_docs) -> None:
    _ann, ben, live = two_docs
    heard: list[object] = []
    live.changesArrived.connect(heard.append)
    ben.set_attr(goal_of(ben), "title", "Ben's own")
    assert ben.save_now()
    qtbot.wait(300)
    assert heard == []


def test_same_field_in_two_windows_asks_the_second(qtbot, two_docs) -> None:
    ann, ben, live = two_docs
    live.stop()  # Ben has not seen Ann's save yet when he saves
    ann.set_attr(goal_of(ann), "title", "Ann's title")
    assert ann.save_now()
    ben.set_attr(goal_of(ben), "title", "Ben's title")
    ben.set_attr(goal_of(ben), "why", "Ben's reason")
    with qtbot.waitSignal(ben.conflictsFound, timeout=1000) as found:
        assert ben.save_now()
    (conflict,) = found.args[0]
    assert (conflict.field, conflict.mine, conflict.theirs) == (
        "title",
        "Ben's title",
        "Ann's title",
    )
    assert goal_of(ben).why == "Ben's reason"  # his other field landed
    ben.resolve_conflict(conflict, keep_mine=True)
    ann.reload()
    assert goal_of(ann).title == "Ben's title"


def test_the_conflict_question_keeps_mine_when_asked(qtbot, two_docs, monkeypatch) -> None:
    from PySide6.QtWidgets import QMessageBox, QWidget

    from sprintdesk.ui.conflict_dialog import ask_about_conflicts

    ann, ben, live = two_docs
    live.stop()
    ann.set_attr(goal_of(ann), "title", "Ann's title")
    assert ann.save_now()
    ben.set_attr(goal_of(ben), "title", "Ben's title")
    parent = QWidget()
    qtbot.addWidget(parent)
    shown: list[str] = []

    def answer(box: QMessageBox) -> int:
        shown.append(box.informativeText())
        keep = next(b for b in box.buttons() if b.text() == "Keep mine")
        keep.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    ben.conflictsFound.connect(lambda found: ask_about_conflicts(parent, ben, found))
    assert ben.save_now()
    # Who saved theirs and when (schema 0005): both windows connect as the role postgres here.
    assert len(shown) == 1
    assert re.fullmatch(
        r"postgres changed this at \d\d:\d\d\.\nYours: Ben's title\nTheirs: Ann's title", shown[0]
    ), shown
    ann.reload()
    assert goal_of(ann).title == "Ben's title"


def test_the_window_on_a_team_database_hides_restore_from_backup(qtbot, pg_database, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QAction

    from sprintdesk.ui.main_window import MainWindow

    store = open_store(pg_database)
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings=settings)
    qtbot.addWidget(window)
    restore = window.findChild(QAction, "restoreBackup")
    assert restore is not None and not restore.isVisible()
    assert window.live_updates is not None and window.live_updates.connected
    window.close()
    assert window.live_updates is None
    store.close()
