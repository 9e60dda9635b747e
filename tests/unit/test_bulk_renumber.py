"""A list renumbered on a team database (a row deleted near its top: every row below moves up)
is written by the writer thread as one version-checked UPDATE (``storage.bulk``), not one per
row: the positions, counters and who-changed stamps land as the row-by-row save left them, the
live updates hear of every moved row, and a row somebody else moved meanwhile is a conflict,
not overwritten."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, select, update

from sprintdesk.editing.commands import renumber
from sprintdesk.editing.writer import write
from sprintdesk.plan.model import Goal, GoalContributor, Person, Sprint, TimeOff
from sprintdesk.storage.live import Listener
from sprintdesk.storage.outbox import Entry, Outbox
from sprintdesk.storage.store import Store, open_store

pytestmark = pytest.mark.postgresql

GOALS = 8


@pytest.fixture
def team_store(pg_database: str) -> Iterator[tuple[Store, int]]:
    """A team database with one sprint of ``GOALS`` goals, positions 0..GOALS-1."""
    store = open_store(pg_database)
    with store.unit_of_work() as session:
        sprint = Sprint(name="Renumbered")
        sprint.goals = [Goal(title=f"Goal {i}", position=i) for i in range(GOALS)]
        session.add(sprint)
        session.flush()
        sprint_id = sprint.id
    yield store, sprint_id
    store.close()


def delete_first(store: Store, sprint_id: int) -> list[Entry]:
    """The batch the document hands the writer for deleting the first goal."""
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        sprint.goals.remove(sprint.goals[0])
        renumber(sprint.goals)
        return Outbox(Path("unused")).capture(session)


def goals_of(store: Store, sprint_id: int) -> list[tuple[int, str, int, int, str | None]]:
    with store.session() as session:
        return [
            (goal.id, goal.title, goal.position, goal.version, goal.changed_by)
            for goal in session.scalars(
                select(Goal).where(Goal.sprint_id == sprint_id).order_by(Goal.position)
            )
        ]


def test_a_renumbered_list_is_one_version_checked_update(
    pg_database: str, team_store: tuple[Store, int]
) -> None:
    store, sprint_id = team_store
    before = goals_of(store, sprint_id)
    entries = delete_first(store, sprint_id)
    listener = Listener(pg_database)
    listener.connect()
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        statements.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    session = store.session()
    try:
        outcome = write(session, entries, store)
    finally:
        session.close()
        event.remove(store.engine, "before_cursor_execute", record)
    try:
        heard = listener.wait(5)
    finally:
        listener.close()
    updates = [s for s in statements if s.startswith("UPDATE goals")]
    assert len(updates) == 1 and "FROM (VALUES" in updates[0]
    after = goals_of(store, sprint_id)
    # The same order, one place up, each counter one higher and stamped as a flush stamps it.
    assert [(i, t) for i, t, *_ in after] == [(i, t) for i, t, *_ in before[1:]]
    assert [p for _i, _t, p, _v, _b in after] == list(range(GOALS - 1))
    assert [v for *_, v, _b in after] == [v + 1 for *_, v, _b in before[1:]]
    assert {b for *_, b in after} == {store.changed_by}
    # The writer hands the document the counters the database gave.
    assert {key: version for (table, key), version in outcome.versions.items()} == {
        i: v for i, _t, _p, v, _b in after
    }
    moved = {c.id for c in heard if c.what == "goals" and c.op == "update"}
    assert moved == {i for i, *_ in after}
    assert outcome.conflicts == []


def test_a_goal_moved_elsewhere_meanwhile_is_a_conflict_not_overwritten(
    team_store: tuple[Store, int],
) -> None:
    store, sprint_id = team_store
    before = goals_of(store, sprint_id)
    moved_id = before[3][0]
    entries = delete_first(store, sprint_id)
    other = open_store(store.url)
    once: list[bool] = []

    def meanwhile(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        # Somebody else moves goal 3 to the end between the writer's read and its UPDATE.
        if statement.startswith("UPDATE goals") and not once:
            once.append(True)
            with other.unit_of_work() as session:
                session.execute(
                    update(Goal)
                    .where(Goal.id == moved_id)
                    .values(position=99, version=Goal.version + 1)
                )

    event.listen(store.engine, "before_cursor_execute", meanwhile)
    session = store.session()
    try:
        outcome = write(session, entries, store)
    finally:
        session.close()
        event.remove(store.engine, "before_cursor_execute", meanwhile)
        other.close()
    assert once
    assert [(c.table, c.key, c.field, c.mine, c.theirs) for c in outcome.conflicts] == [
        ("goals", moved_id, "position", 2, 99)
    ]
    after = {i: p for i, _t, p, _v, _b in goals_of(store, sprint_id)}
    assert after[moved_id] == 99  # theirs stays until the person chooses
    others = [before[i][0] for i in (1, 2, 4, 5, 6, 7)]
    assert [after[i] for i in others] == [0, 1, 3, 4, 5, 6]


def test_rows_changed_alike_in_columns_of_other_types_land_as_typed(
    team_store: tuple[Store, int],
) -> None:
    store, sprint_id = team_store
    with store.unit_of_work() as session:
        person = Person(name="Ann")
        session.add(person)
        session.add_all(
            TimeOff(
                sprint_id=sprint_id, person=person, start=date(2026, 1, d), end=date(2026, 1, d)
            )
            for d in (5, 6, 7, 8)
        )
    with store.session() as session:
        offs = list(session.scalars(select(TimeOff).order_by(TimeOff.id)))
        for off in offs:  # a date, a flag, text and a null, each the same columns on 4 rows
            off.end = date(2026, 2, off.start.day)
            off.half_day = True
            off.note = "Moved to February: it's 'quoted'"
        entries = Outbox(Path("unused")).capture(session)
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    session = store.session()
    try:
        write(session, entries, store)
    finally:
        session.close()
    assert len([s for s in statements if s.startswith("UPDATE time_off")]) == 1
    with store.session() as session:
        landed = [
            (off.start, off.end, off.half_day, off.note, off.version)
            for off in session.scalars(select(TimeOff).order_by(TimeOff.id))
        ]
    assert landed == [
        (date(2026, 1, d), date(2026, 2, d), True, "Moved to February: it's 'quoted'", 2)
        for d in (5, 6, 7, 8)
    ]


def test_deleting_a_goal_leaves_its_contributors_to_the_database(
    team_store: tuple[Store, int],
) -> None:
    store, sprint_id = team_store
    with store.unit_of_work() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        person = Person(name="Contributing")
        sprint.goals[0].contributors = [GoalContributor(person=person, share=100)]
    entries = delete_first(store, sprint_id)
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    session = store.session()
    try:
        write(session, entries, store)
    finally:
        session.close()
        event.remove(store.engine, "before_cursor_execute", record)
    # No lazy read of the deleted goal's contributors: ON DELETE CASCADE removes them.
    assert not [s for s in sent if s.startswith("SELECT") and "FROM goal_contributors" in s]
    with store.session() as check:
        assert check.scalars(select(GoalContributor)).all() == []
    assert len(goals_of(store, sprint_id)) == GOALS - 1
