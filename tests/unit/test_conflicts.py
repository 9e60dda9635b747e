"""Two writers on one plan (two stores on one database, SQLite and PostgreSQL): different
fields of one row both land, the same field is handed back with both values, a deleted row can
be offered back. Qt-free."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import Goal
from sprintdesk.storage.conflicts import commit_merging, resolve
from sprintdesk.storage.store import Store, open_store
from tests.pg import db_url  # noqa: F401 - these tests run on SQLite and on PostgreSQL


@pytest.fixture
def two(db_url: str) -> Iterator[tuple[Store, Store]]:  # noqa: F811
    first = open_store(db_url)
    with first.unit_of_work() as session:
        load_demo(session)
    second = open_store(db_url)
    yield first, second
    first.close()
    second.close()


def first_goal(session) -> Goal:
    goal = session.scalars(select(Goal).order_by(Goal.id)).first()
    assert goal is not None
    return goal


def test_different_fields_of_one_row_both_land(two: tuple[Store, Store]) -> None:
    a, b = (store.session() for store in two)
    mine, theirs = first_goal(a), first_goal(b)
    theirs.why = "Their reason"
    assert commit_merging(b) == []
    mine.title = "My title"
    assert commit_merging(a) == []
    with two[0].session() as check:
        goal = first_goal(check)
        assert (goal.title, goal.why) == ("My title", "Their reason")
        assert goal.version == 3
    a.close()
    b.close()


def test_same_field_is_handed_back_with_both_values(two: tuple[Store, Store]) -> None:
    a, b = (store.session() for store in two)
    mine, theirs = first_goal(a), first_goal(b)
    theirs.title = "Their title"
    theirs.why = "Their reason"
    b.commit()
    mine.title = "My title"
    mine.target = "My target"
    conflicts = commit_merging(a)
    assert [(c.field, c.mine, c.theirs) for c in conflicts] == [
        ("title", "My title", "Their title")
    ]
    with two[0].session() as check:  # nothing overwritten unseen; my other field landed
        goal = first_goal(check)
        assert (goal.title, goal.why, goal.target) == ("Their title", "Their reason", "My target")
    assert resolve(a, conflicts[0], keep_mine=True) == []
    with two[0].session() as check:
        assert first_goal(check).title == "My title"
    a.close()
    b.close()


def test_take_theirs_keeps_their_value(two: tuple[Store, Store]) -> None:
    a, b = (store.session() for store in two)
    mine, theirs = first_goal(a), first_goal(b)
    theirs.title = "Their title"
    b.commit()
    mine.title = "My title"
    conflicts = commit_merging(a)
    assert resolve(a, conflicts[0], keep_mine=False) == []
    with two[0].session() as check:
        assert first_goal(check).title == "Their title"
    a.close()
    b.close()


def test_a_row_deleted_elsewhere_is_offered_back(two: tuple[Store, Store]) -> None:
    a, b = (store.session() for store in two)
    mine, theirs = first_goal(a), first_goal(b)
    goal_id = mine.id
    b.delete(theirs)
    b.commit()
    mine.title = "Still wanted"
    conflicts = commit_merging(a)
    assert [(c.field, c.mine.get("title")) for c in conflicts] == [(None, "Still wanted")]
    assert resolve(a, conflicts[0], keep_mine=True) == []
    with two[0].session() as check:
        back = check.get(Goal, goal_id)
        assert back is not None and back.title == "Still wanted"
    a.close()
    b.close()


def test_a_conflict_names_the_row_and_the_field(two: tuple[Store, Store]) -> None:
    a, b = (store.session() for store in two)
    mine, theirs = first_goal(a), first_goal(b)
    theirs.title = "Their title"
    b.commit()
    mine.title = "My title"
    (conflict,) = commit_merging(a)
    assert conflict.obj is mine and conflict.what == "Goal.title"
    a.rollback()
    mine, theirs = first_goal(a), first_goal(b)
    b.delete(theirs)
    b.commit()
    mine.why = "Still wanted"
    (gone,) = commit_merging(a)
    assert gone.field is None and gone.theirs is None and gone.what == "Goal"
    a.close()
    b.close()


def test_the_same_change_made_by_both_is_no_conflict_and_my_other_edits_land(
    two: tuple[Store, Store],
) -> None:
    a, b = (store.session() for store in two)
    mine, theirs = first_goal(a), first_goal(b)
    theirs.title = "Agreed title"
    b.commit()
    mine.title = "Agreed title"  # the same value: nothing to ask
    mine.why = "My reason"  # a later column, left alone by them: it lands
    assert commit_merging(a) == []
    with two[0].session() as check:
        goal = first_goal(check)
        assert (goal.title, goal.why) == ("Agreed title", "My reason")
    a.close()
    b.close()


def test_a_row_added_with_a_stale_edit_still_lands(two: tuple[Store, Store]) -> None:
    a, b = (store.session() for store in two)
    mine, theirs = first_goal(a), first_goal(b)
    theirs.why = "Their reason"
    b.commit()
    mine.title = "My title"
    a.add(Goal(sprint_id=mine.sprint_id, title="A goal added meanwhile", position=99))
    assert commit_merging(a) == []
    with two[0].session() as check:
        titles = set(check.scalars(select(Goal.title)))
        assert {"My title", "A goal added meanwhile"} <= titles
    a.close()
    b.close()


def test_a_row_deleted_here_after_somebody_else_edited_it_is_still_deleted(
    two: tuple[Store, Store],
) -> None:
    a, b = (store.session() for store in two)
    mine, theirs = first_goal(a), first_goal(b)
    goal_id = mine.id
    theirs.why = "Their reason"
    b.commit()
    a.delete(mine)
    assert commit_merging(a) == []
    with two[0].session() as check:
        assert check.get(Goal, goal_id) is None
    a.close()
    b.close()


def test_deleting_rows_one_of_which_somebody_else_deleted_deletes_the_others(
    two: tuple[Store, Store],
) -> None:
    a, b = (store.session() for store in two)
    first, second = a.scalars(select(Goal).order_by(Goal.id).limit(2)).all()
    ids = (first.id, second.id)
    b.delete(b.get(Goal, first.id))
    b.commit()
    with a.no_autoflush:  # both deletes go in one flush, as in one unit of work
        a.delete(first)  # already gone: nothing to do for it
        a.delete(second)
    assert commit_merging(a) == []
    with two[0].session() as check:
        assert [check.get(Goal, goal_id) for goal_id in ids] == [None, None]
    a.close()
    b.close()


def test_a_row_deleted_elsewhere_leaves_the_session_when_theirs_is_taken(
    two: tuple[Store, Store],
) -> None:
    a, b = (store.session() for store in two)
    mine, theirs = first_goal(a), first_goal(b)
    goal_id = mine.id
    b.delete(theirs)
    b.commit()
    mine.title = "Still wanted"
    (gone,) = commit_merging(a)
    # The session no longer holds the row: nothing of it is saved again or read back.
    assert gone.obj not in a
    assert resolve(a, gone, keep_mine=False) == []
    assert a.get(Goal, goal_id) is None
    with two[0].session() as check:
        assert check.get(Goal, goal_id) is None
    a.close()
    b.close()
