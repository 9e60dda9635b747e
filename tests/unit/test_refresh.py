"""Bringing somebody else's commit into an open session (``storage.refresh``): read with a
connection of its own, applied without SQL; pending edits, lists and versions respected. Runs on
SQLite: the same code serves the team database's live updates."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event, select

from sprintdesk.plan.model import Goal
from sprintdesk.plan.planning import load_sprint
from sprintdesk.storage import refresh
from sprintdesk.storage.store import Store


@dataclass(frozen=True)
class Note:
    """A change notification as ``storage.live.Change`` has it."""

    what: str
    id: int | str
    op: str = "update"
    sprint_id: int | None = None


def newest_sprint(store: Store) -> int:
    with store.session() as session:
        goal = session.scalars(select(Goal).order_by(Goal.sprint_id.desc())).first()
        assert goal is not None
        return goal.sprint_id


def fetch(store: Store, notes: list[Note]) -> refresh.Fetched:
    with store.engine.connect() as conn:
        return refresh.fetch(conn, notes)


def count_sql(store: Store) -> list[str]:
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_a_changed_row_takes_their_values_without_sql(demo_store: Store) -> None:
    sprint_id = newest_sprint(demo_store)
    mine = demo_store.session()
    sprint = load_sprint(mine, sprint_id)
    goal = sprint.goals[0]
    with demo_store.unit_of_work() as theirs:
        other = theirs.get(Goal, goal.id)
        assert other is not None
        other.title = "Their title"
    fetched = fetch(demo_store, [Note("goals", goal.id)])
    assert fetched.statements == 1
    seen = count_sql(demo_store)
    assert refresh.apply(mine, fetched)
    assert seen == []
    assert goal.title == "Their title" and goal.version == 2
    assert not mine.dirty  # nothing of theirs is written back by my next save
    mine.close()


def test_a_pending_edit_stays_and_meets_the_conflict_rules(demo_store: Store) -> None:
    from sprintdesk.storage.conflicts import commit_merging

    sprint_id = newest_sprint(demo_store)
    mine = demo_store.session()
    goal = load_sprint(mine, sprint_id).goals[0]
    goal.why = "My reason"  # typed, not saved yet
    with demo_store.unit_of_work() as theirs:
        other = theirs.get(Goal, goal.id)
        assert other is not None
        other.title = "Their title"
        other.why = "Their reason"
    refresh.apply(mine, fetch(demo_store, [Note("goals", goal.id)]))
    assert goal.title == "Their title"
    assert goal.why == "My reason"
    # Saving asks about the field both changed instead of overwriting theirs unseen.
    conflicts = commit_merging(mine)
    assert [(c.field, c.mine, c.theirs) for c in conflicts] == [
        ("why", "My reason", "Their reason")
    ]
    mine.close()


def test_a_fetch_older_than_my_own_save_is_ignored(demo_store: Store) -> None:
    sprint_id = newest_sprint(demo_store)
    mine = demo_store.session()
    goal = load_sprint(mine, sprint_id).goals[0]
    with demo_store.unit_of_work() as theirs:
        other = theirs.get(Goal, goal.id)
        assert other is not None
        other.title = "Their title"
    stale = fetch(demo_store, [Note("goals", goal.id)])  # read before my save below
    mine.refresh(goal)
    goal.title = "My later title"
    mine.commit()
    refresh.apply(mine, stale)
    assert goal.title == "My later title" and goal.version == 3
    mine.close()


def test_new_and_deleted_rows_join_and_leave_the_lists_in_order(demo_store: Store) -> None:
    sprint_id = newest_sprint(demo_store)
    mine = demo_store.session()
    sprint = load_sprint(mine, sprint_id)
    before = [g.title for g in sprint.goals]
    with demo_store.unit_of_work() as theirs:
        their_sprint = load_sprint(theirs, sprint_id)
        gone = their_sprint.goals.pop(1)
        their_sprint.goals.insert(0, Goal(title="First now"))
        for position, goal in enumerate(their_sprint.goals):
            goal.position = position
        theirs.flush()
        notes = [Note("goals", g.id, sprint_id=sprint_id) for g in their_sprint.goals]
        notes[0] = Note("goals", their_sprint.goals[0].id, "insert", sprint_id)
        notes.append(Note("goals", gone.id, "delete", sprint_id))
    fetched = fetch(demo_store, notes)
    seen = count_sql(demo_store)
    assert refresh.apply(mine, fetched)
    assert seen == []
    assert [g.title for g in sprint.goals] == ["First now", before[0], *before[2:]]
    mine.close()


def test_notes_about_unknown_tables_or_keys_are_skipped(demo_store: Store) -> None:
    fetched = fetch(demo_store, [Note("presence", "abc"), Note("goals", "x,y"), Note("nope", 1)])
    assert fetched.rows == [] and fetched.statements == 0


def test_a_setting_changed_elsewhere_is_answered_with_no_query(demo_store: Store) -> None:
    from sprintdesk.plan import settings
    from sprintdesk.plan.capacity import GOAL_DAYS_KEY, load_estimates

    mine = demo_store.session()
    load_sprint(mine, newest_sprint(demo_store))
    before = load_estimates(mine)  # the settings read once, a missing key known as missing
    seen = count_sql(demo_store)
    assert load_estimates(mine) == before
    assert seen == []
    with demo_store.unit_of_work() as theirs:
        settings.put(theirs, GOAL_DAYS_KEY, "7.5")
    fetched = fetch(demo_store, [Note("settings", GOAL_DAYS_KEY, "insert")])
    seen.clear()
    refresh.apply(mine, fetched)
    assert load_estimates(mine).goal_days == 7.5
    assert seen == []
