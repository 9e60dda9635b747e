"""Rows added and deleted on a team database are saved behind the window too: with the server
stalled (a proxy holding everything sent to it) the autosave returns without a statement on the
UI thread, the new row already has its id, later edits to it are taken, undo works, and it all
lands in order once the server answers; a batch lost with the server comes back as unsaved and
goes to the outbox, ids and all."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import event, select

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan import settings as db_settings
from sprintdesk.plan.model import Goal, GoalContributor, Setting, Sprint
from sprintdesk.storage.store import Store, open_store
from tests.gateproxy import GateProxy

pytestmark = pytest.mark.postgresql


@pytest.fixture
def opened(qtbot, through_proxy: tuple[GateProxy, str]) -> Iterator[tuple[Store, PlanDocument]]:
    """The newest demo sprint open through the proxy, once the server has handed out the ids
    for new rows (they are asked for when a sprint opens, behind the window)."""
    _proxy, url = through_proxy
    store = open_store(url)
    doc = PlanDocument(store)
    with store.session() as session:
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    doc.open_sprint(sprint_id)
    assert doc._behind is not None
    ids = doc._behind.ids
    qtbot.waitUntil(lambda: ids.enough({"goals": 2, "goal_contributors": 2}), timeout=15000)
    yield store, doc
    doc.close()
    store.close()


class UiStatements:
    """Counts the statements the UI thread sends (the writer's are its own thread's)."""

    def __init__(self, store: Store) -> None:
        self.seen: list[str] = []
        self._main = threading.main_thread()
        event.listen(store.engine, "before_cursor_execute", self._record)
        self._store = store

    def _record(self, _conn, _cursor, statement: str, *_rest) -> None:
        if threading.current_thread() is self._main:
            self.seen.append(statement)

    def stop(self) -> None:
        event.remove(self._store.engine, "before_cursor_execute", self._record)


def in_database(url: str) -> dict[int, tuple[str, str, list[int]]]:
    """Every goal: title, why and its contributors' person ids."""
    store = open_store(url)
    try:
        with store.session() as session:
            return {
                goal.id: (goal.title, goal.why, sorted(c.person_id for c in goal.contributors))
                for goal in session.scalars(select(Goal))
            }
    finally:
        store.close()


def test_adding_and_deleting_rows_waits_for_no_server(
    qtbot, pg_database: str, through_proxy, opened
) -> None:
    proxy, _url = through_proxy
    store, doc = opened
    sprint = doc.sprint
    assert sprint is not None
    doomed = sprint.goals[0]
    doomed_id = doomed.id
    person = sprint.goals[1].owner or sprint.allocations[0].person
    safety = threading.Timer(30, proxy.open_gate)  # fails on what landed instead of hanging
    safety.start()
    ui = UiStatements(store)
    try:
        proxy.close_gate()
        added = Goal(title="Added while the server stalled")
        doc.insert_row(sprint.goals, added)
        doc.remove_row(sprint.goals, doomed)
        doc.autosave()
        assert added.id is not None  # given ahead of time: later edits can refer to it
        qtbot.waitUntil(lambda: proxy.held > 0)  # the writer's statement waits at the gate
        # The new row takes edits and a row under it while its INSERT is still on its way.
        doc.set_attr(added, "why", "Typed into the new goal")
        doc.insert_row(added.contributors, GoalContributor(person=person, share=50))
        doc.autosave()
        assert ui.seen == []  # nothing of it was sent from the UI thread
        assert doc.state == "pending"
        proxy.open_gate()
        qtbot.waitUntil(lambda: doc.state == "saved", timeout=15000)
    finally:
        safety.cancel()
        ui.stop()
    landed = in_database(pg_database)
    assert landed[added.id] == (
        "Added while the server stalled",
        "Typed into the new goal",
        [person.id],
    )
    assert doomed_id not in landed
    positions = [goal.position for goal in sprint.goals]
    assert positions == list(range(len(sprint.goals)))


def test_undoing_an_add_and_a_delete_lands_too(qtbot, pg_database: str, opened) -> None:
    _store, doc = opened
    sprint = doc.sprint
    assert sprint is not None
    doomed = sprint.goals[1]
    before = in_database(pg_database)[doomed.id]
    added = Goal(title="Added, then undone")
    doc.insert_row(sprint.goals, added)
    doc.autosave()
    doc.remove_row(sprint.goals, doomed)
    doc.autosave()
    qtbot.waitUntil(lambda: doc.state == "saved", timeout=15000)
    landed = in_database(pg_database)
    assert added.id in landed and doomed.id not in landed

    doc.undo_stack.undo()  # the delete: the goal comes back with its id and contributors
    doc.autosave()
    doc.undo_stack.undo()  # the add
    doc.autosave()
    qtbot.waitUntil(lambda: doc.state == "saved", timeout=15000)
    landed = in_database(pg_database)
    assert added.id not in landed
    assert landed[doomed.id] == before
    doc.undo_stack.redo()  # and the add once more, under the same id
    doc.autosave()
    qtbot.waitUntil(lambda: doc.state == "saved", timeout=15000)
    assert in_database(pg_database)[added.id][0] == "Added, then undone"


def test_rows_lost_with_the_server_come_back_as_unsaved_and_go_to_the_outbox(
    qtbot, pg_database: str, through_proxy, opened
) -> None:
    proxy, _url = through_proxy
    _store, doc = opened
    sprint = doc.sprint
    assert sprint is not None
    doomed = sprint.goals[0]
    added = Goal(title="On its way when the server went")
    doc.insert_row(sprint.goals, added)
    doc.remove_row(sprint.goals, doomed)
    proxy.close_gate()
    doc.autosave()
    qtbot.waitUntil(lambda: proxy.held > 0)
    proxy.stop()  # the connection drops with the batch in it; nothing answers any more
    qtbot.waitUntil(lambda: doc.offline, timeout=15000)
    assert added in sprint.goals and doomed not in sprint.goals
    assert doc.outbox is not None
    waiting = {(e.kind, e.table, e.key) for e in doc.outbox.entries() if e.kind != "update"}
    assert waiting == {("insert", "goals", added.id), ("delete", "goals", doomed.id)}
    assert added.id not in in_database(pg_database)

    # Replayed (as by the next SprintDesk after a kill): the row keeps its id, and a replay
    # of a batch that already landed does not insert it twice.
    from sprintdesk.storage.outbox import replay

    entries = doc.outbox.entries()
    for _attempt in range(2):
        again = open_store(pg_database)
        with again.unit_of_work() as session:
            replay(session, entries)
        again.close()
    landed = in_database(pg_database)
    assert landed[added.id][0] == "On its way when the server went"
    assert doomed.id not in landed


def test_closing_waits_for_rows_on_their_way(
    qtbot, pg_database: str, through_proxy, opened
) -> None:
    proxy, _url = through_proxy
    store, doc = opened
    sprint = doc.sprint
    assert sprint is not None
    added = Goal(title="Added just before closing")
    doc.insert_row(sprint.goals, added)
    proxy.close_gate()
    doc.autosave()
    qtbot.waitUntil(lambda: proxy.held > 0)  # on its way, stalled
    threading.Timer(0.5, proxy.open_gate).start()
    assert doc.close()  # waits for it rather than dropping it
    assert in_database(pg_database)[added.id][0] == "Added just before closing"


def test_an_autosave_with_nothing_new_does_not_wait_for_batches_on_their_way(
    qtbot, through_proxy, opened
) -> None:
    proxy, _url = through_proxy
    store, doc = opened
    sprint = doc.sprint
    assert sprint is not None
    safety = threading.Timer(10, proxy.open_gate)  # fails on what landed instead of hanging
    safety.start()
    ui = UiStatements(store)
    try:
        proxy.close_gate()
        doc.remove_row(sprint.goals, sprint.goals[0])
        doc.autosave()
        qtbot.waitUntil(lambda: proxy.held > 0)  # the batch waits at the gate
        doc.autosave()  # the timer's own run after a hand-over: nothing new to send
        assert proxy.held > 0  # it came back while the batch was still stalled
        assert ui.seen == []
    finally:
        proxy.open_gate()
        safety.cancel()
        ui.stop()
    qtbot.waitUntil(lambda: doc.state == "saved", timeout=15000)


def test_rows_added_before_their_ids_came_wait_for_them_on_the_writer(
    qtbot, pg_database: str, through_proxy, opened
) -> None:
    proxy, _url = through_proxy
    store, doc = opened
    sprint = doc.sprint
    assert sprint is not None and doc._behind is not None
    safety = threading.Timer(30, proxy.open_gate)  # fails on what landed instead of hanging
    safety.start()
    ui = UiStatements(store)
    # More goals at once (a paste) than the ids the server handed out ahead of time.
    pasted = [Goal(title=f"Pasted goal {i}") for i in range(12)]
    try:
        proxy.close_gate()
        for goal in pasted:
            doc.insert_row(sprint.goals, goal)
        doc.autosave()
        qtbot.waitUntil(lambda: proxy.held > 0)  # the writer's reservation waits at the gate
        doc.set_attr(pasted[0], "why", "Typed while the ids were on their way")
        doc.autosave()
        assert ui.seen == []  # nothing saved here meanwhile
        assert doc.state == "pending"
        proxy.open_gate()
        qtbot.waitUntil(lambda: doc.state == "saved", timeout=15000)
        assert ui.seen == []
    finally:
        proxy.open_gate()
        safety.cancel()
        ui.stop()
    landed = in_database(pg_database)
    assert [landed[goal.id][0] for goal in pasted] == [goal.title for goal in pasted]
    assert landed[pasted[0].id][1] == "Typed while the ids were on their way"


def test_closing_sends_rows_still_waiting_for_their_ids(
    qtbot, pg_database: str, through_proxy, opened
) -> None:
    proxy, _url = through_proxy
    store, doc = opened
    sprint = doc.sprint
    assert sprint is not None
    ui = UiStatements(store)
    pasted = [Goal(title=f"Pasted just before closing {i}") for i in range(12)]
    safety = threading.Timer(30, proxy.open_gate)  # fails on what landed instead of hanging
    safety.start()
    try:
        proxy.close_gate()
        for goal in pasted:
            doc.insert_row(sprint.goals, goal)
        doc.autosave()
        qtbot.waitUntil(lambda: proxy.held > 0)
        threading.Timer(0.5, proxy.open_gate).start()
        assert doc.close()  # waits for the ids, then for the rows, sent by the writer
        assert ui.seen == []
    finally:
        proxy.open_gate()
        safety.cancel()
        ui.stop()
    landed = in_database(pg_database)
    assert all(landed[goal.id][0] == goal.title for goal in pasted)


def test_reload_waits_for_edits_on_their_way_without_blocking(
    qtbot, pg_database: str, through_proxy, opened
) -> None:
    proxy, _url = through_proxy
    store, doc = opened
    sprint = doc.sprint
    assert sprint is not None
    mine, theirs = sprint.goals[0], sprint.goals[1]
    # Somebody else (a dialog, an import) commits beside the window.
    other = open_store(pg_database)
    with other.unit_of_work() as session:
        row = session.get(Goal, theirs.id)
        assert row is not None
        row.title = "Changed beside the window"
    other.close()
    reloaded: list[str] = []
    doc.changed.connect(lambda: reloaded.append(theirs.title))
    safety = threading.Timer(10, proxy.open_gate)  # fails on what landed instead of hanging
    safety.start()
    ui = UiStatements(store)
    try:
        proxy.close_gate()
        doc.set_attr(mine, "title", "Typed just before the reload")
        doc.autosave()
        qtbot.waitUntil(lambda: proxy.held > 0)  # the edit waits at the gate
        reloaded.clear()
        doc.reload()
        assert proxy.held > 0  # came back at once, the edit still on its way
        assert ui.seen == [] and reloaded == []
    finally:
        proxy.open_gate()
        safety.cancel()
        ui.stop()
    qtbot.waitUntil(lambda: bool(reloaded), timeout=15000)  # applied once the edit landed
    assert reloaded == ["Changed beside the window"]
    assert doc.state == "saved"
    assert in_database(pg_database)[mine.id][0] == "Typed just before the reload"


def test_rows_waiting_for_ids_the_server_never_sent_go_to_the_outbox(
    qtbot, pg_database: str, through_proxy, opened
) -> None:
    proxy, _url = through_proxy
    _store, doc = opened
    sprint = doc.sprint
    assert sprint is not None
    pasted = [Goal(title=f"Pasted as the server went {i}") for i in range(12)]
    proxy.close_gate()
    for goal in pasted:
        doc.insert_row(sprint.goals, goal)
    doc.autosave()
    qtbot.waitUntil(lambda: proxy.held > 0)  # the reservation waits at the gate
    proxy.stop()  # and is lost with the server
    qtbot.waitUntil(lambda: doc.offline, timeout=15000)
    assert doc.outbox is not None
    waiting = [e.values["title"] for e in doc.outbox.entries() if e.kind == "insert"]
    assert waiting == [goal.title for goal in pasted]
    assert all(goal in sprint.goals for goal in pasted)


def settings_in(url: str) -> dict[str, str]:
    store = open_store(url)
    try:
        with store.session() as session:
            return {row.key: row.value for row in session.scalars(select(Setting))}
    finally:
        store.close()


def test_a_setting_keyed_by_its_name_is_saved_behind_the_window_new_or_changed(
    qtbot, pg_database: str, through_proxy, opened
) -> None:
    proxy, _url = through_proxy
    store, doc = opened
    db_settings.put(doc.session, "test.new_here", "1")  # not there yet: a new row
    db_settings.put(doc.session, "test.theirs_first", "mine")
    other = open_store(pg_database)  # somebody saves that one first, meanwhile
    with other.unit_of_work() as session:
        db_settings.put(session, "test.theirs_first", "theirs")
    other.close()
    safety = threading.Timer(20, proxy.open_gate)  # fails on what landed instead of hanging
    safety.start()
    ui = UiStatements(store)
    try:
        proxy.close_gate()
        doc.mark_dirty()
        doc.autosave()
        assert ui.seen == [] and doc.state == "pending"
        proxy.open_gate()
        qtbot.waitUntil(lambda: doc.state == "saved", timeout=15000)
        landed = settings_in(pg_database)
        assert (landed["test.new_here"], landed["test.theirs_first"]) == ("1", "mine")
        proxy.close_gate()
        db_settings.put(doc.session, "test.new_here", "0")  # now a row of its own: changed
        doc.mark_dirty()
        doc.autosave()
        assert ui.seen == [] and doc.state == "pending"
        proxy.open_gate()
        qtbot.waitUntil(lambda: doc.state == "saved", timeout=15000)
    finally:
        safety.cancel()
        ui.stop()
    assert ui.seen == []
    landed = settings_in(pg_database)
    assert (landed["test.new_here"], landed["test.theirs_first"]) == ("0", "mine")
