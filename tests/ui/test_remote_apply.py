"""A live update is read off the UI thread: between the notification and the repaint the window's
thread runs no SQL on a team database (a real PostgreSQL server, two stores)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event, select

from sprintdesk.editing.document import PlanDocument
from sprintdesk.editing.live import LiveUpdates, watch_document
from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import Sprint
from sprintdesk.storage.store import Store, open_store

pytestmark = pytest.mark.postgresql


@pytest.fixture
def pair(pg_database: str) -> Iterator[tuple[PlanDocument, PlanDocument, LiveUpdates]]:
    setup = open_store(pg_database)
    with setup.unit_of_work() as session:
        load_demo(session)
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    setup.close()
    assert sprint_id is not None
    stores: list[Store] = [open_store(pg_database), open_store(pg_database)]
    docs = [PlanDocument(store) for store in stores]
    for doc in docs:
        doc.open_sprint(sprint_id)
    live = watch_document(docs[1])
    assert live is not None
    yield docs[0], docs[1], live
    live.stop()
    for doc, store in zip(docs, stores, strict=True):
        doc.close()
        store.close()


def statements_on_this_thread(store: Store) -> list[str]:
    """SQL the calling (UI) thread sends through ``store`` from now on."""
    ui_thread = threading.get_ident()
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_rest) -> None:
        if threading.get_ident() == ui_thread:
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    return seen


def test_a_remote_edit_is_read_on_a_worker_thread(qtbot, pair) -> None:
    ann, ben, live = pair
    assert ann.sprint is not None and ben.sprint is not None
    on_ui = statements_on_this_thread(ben.store)
    heard: list[object] = []
    live.changesArrived.connect(heard.append)
    ann.set_attr(ann.sprint.goals[0], "title", "Renamed by Ann")
    ann.set_attr(ann.sprint.team_plans[0].items[0], "title", "Item renamed by Ann")
    with qtbot.waitSignal(ben.remoteApplied, timeout=5000):
        assert ann.save_now()
    assert heard  # the notification came through the event loop
    assert ben.sprint.goals[0].title == "Renamed by Ann"
    assert ben.sprint.team_plans[0].items[0].title == "Item renamed by Ann"
    assert on_ui == []


def test_rows_added_and_removed_elsewhere_show_without_sql_here(qtbot, pair) -> None:
    from sprintdesk.plan.model import Goal

    ann, ben, _live = pair
    assert ann.sprint is not None and ben.sprint is not None
    on_ui = statements_on_this_thread(ben.store)
    titles = [g.title for g in ben.sprint.goals]
    ann.remove_row(ann.sprint.goals, ann.sprint.goals[0])
    ann.insert_row(ann.sprint.goals, Goal(title="New from Ann"), 1)
    assert ann.save_now()
    expected = [titles[1], "New from Ann", *titles[2:]]
    # The deletion and the insertion may arrive as two fetches, each answered on this thread.
    qtbot.waitUntil(lambda: [g.title for g in ben.sprint.goals] == expected, timeout=5000)
    assert on_ui == []


def test_my_unsaved_typing_survives_a_remote_edit(qtbot, pair) -> None:
    ann, ben, _live = pair
    assert ann.sprint is not None and ben.sprint is not None
    ben.set_attr(ben.sprint.goals[0], "why", "Ben is typing")
    ann.set_attr(ann.sprint.goals[0], "title", "Ann's title")
    with qtbot.waitSignal(ben.remoteApplied, timeout=5000):
        assert ann.save_now()
    assert ben.sprint.goals[0].why == "Ben is typing"
    assert ben.sprint.goals[0].title == "Ann's title"
    assert ben.save_now()
    ann.reload()
    assert (ann.sprint.goals[0].title, ann.sprint.goals[0].why) == ("Ann's title", "Ben is typing")
