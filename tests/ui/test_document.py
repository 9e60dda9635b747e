"""PlanDocument: undoable edits, autosave within half a second, recovery from a failed save."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sprintdesk.editing.document import AUTOSAVE_DELAY_MS, PlanDocument, SaveError
from sprintdesk.plan.model import Goal, Person, Priority, Sprint
from sprintdesk.storage.store import Store


def latest_id(store: Store) -> int:
    with store.session() as session:
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    return sprint_id


def fresh(store: Store, model, ident):
    with store.session() as session:
        return session.get(model, ident)


def test_edit_is_saved_by_the_timer_within_half_a_second(qtbot, demo_store: Store) -> None:
    assert AUTOSAVE_DELAY_MS <= 500
    doc = PlanDocument(demo_store)
    sprint = doc.open_sprint(latest_id(demo_store))
    goal = sprint.goals[0]
    states: list[str] = []
    doc.stateChanged.connect(states.append)
    with qtbot.waitSignal(doc.saved, timeout=2000):
        doc.set_attr(goal, "title", "Renamed goal")
        assert doc.state == "pending"
    assert states == ["pending", "saved"]
    assert fresh(demo_store, Goal, goal.id).title == "Renamed goal"
    doc.close()


def test_typing_merges_into_one_undo_step_and_undo_is_saved(qtbot, demo_store: Store) -> None:
    doc = PlanDocument(demo_store)
    sprint = doc.open_sprint(latest_id(demo_store))
    goal = sprint.goals[0]
    original = goal.title
    for text in ("S", "Sh", "Shi", "Ship"):
        doc.set_attr(goal, "title", text)
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert goal.title == original
    assert doc.save_now()
    assert fresh(demo_store, Goal, goal.id).title == original
    doc.undo_stack.redo()
    doc.save_now()
    assert fresh(demo_store, Goal, goal.id).title == "Ship"
    doc.close()


def test_delete_undo_restores_the_row_and_its_children(qtbot, demo_store: Store) -> None:
    doc = PlanDocument(demo_store)
    sprint = doc.open_sprint(latest_id(demo_store))
    goal = next(g for g in sprint.goals if g.contributors)
    shares = [(c.person.name, c.share) for c in goal.contributors]
    doc.remove_row(sprint.goals, goal)
    doc.save_now()
    assert fresh(demo_store, Goal, goal.id) is None
    doc.undo_stack.undo()
    doc.save_now()
    with demo_store.session() as session:
        again = session.get(Goal, goal.id)
        assert again is not None
        assert [(c.person.name, c.share) for c in again.contributors] == shares
    doc.close()


def test_insert_and_move_renumber_positions(qtbot, demo_store: Store) -> None:
    doc = PlanDocument(demo_store)
    sprint = doc.open_sprint(latest_id(demo_store))
    doc.insert_row(sprint.priorities, Priority(text="Top"), 0)
    doc.move_row(sprint.priorities, 0, 2)
    doc.save_now()
    with demo_store.session() as session:
        rows = session.scalars(
            select(Priority).where(Priority.sprint_id == sprint.id).order_by(Priority.position)
        ).all()
        assert [r.position for r in rows] == list(range(len(rows)))
        assert rows[2].text == "Top"
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    doc.save_now()
    with demo_store.session() as session:
        texts = session.scalars(select(Priority.text).where(Priority.sprint_id == sprint.id)).all()
        assert "Top" not in texts
    doc.close()


def test_failed_save_keeps_every_edit_and_saves_it_later(qtbot, demo_store: Store) -> None:
    doc = PlanDocument(demo_store)
    sprint = doc.open_sprint(latest_id(demo_store))
    goal = sprint.goals[0]
    people = doc.session.scalars(select(Person).order_by(Person.id)).all()
    doc.set_attr(goal, "why", "Because customers asked")
    doc.set_attr(people[1], "github_login", people[0].github_login)  # violates uniqueness
    with qtbot.waitSignal(doc.saveFailed, timeout=2000) as failed:
        pass
    assert "kept in memory" in failed.args[0]
    assert doc.state == "error"
    # Nothing the user typed is gone from the open document, and reading it (a page
    # refreshing) does not run into the failing write again ...
    assert goal.why == "Because customers asked"
    assert [p.name for p in doc.session.scalars(select(Person).order_by(Person.id))]
    # ... and once the conflict is fixed, everything is written.
    doc.set_attr(people[1], "github_login", "someone-else")
    assert doc.save_now()
    assert fresh(demo_store, Goal, goal.id).why == "Because customers asked"
    assert fresh(demo_store, Person, people[1].id).github_login == "someone-else"
    doc.close()


def test_failed_save_is_retried_without_another_edit(
    qtbot,
    demo_store: Store,
    monkeypatch,
) -> None:
    """The user frees disk space (here: another program resolves the conflict) and types
    nothing more: the edits still reach the database."""
    from sprintdesk.editing import document

    monkeypatch.setattr(document, "RETRY_DELAY_MS", 200)
    doc = PlanDocument(demo_store)
    sprint = doc.open_sprint(latest_id(demo_store))
    people = doc.session.scalars(select(Person).order_by(Person.id)).all()
    taken = people[0].github_login
    first_id, second_id, goal_id = people[0].id, people[1].id, sprint.goals[0].id
    doc.set_attr(sprint.goals[0], "why", "Kept through the retry")
    doc.set_attr(people[1], "github_login", taken)
    with qtbot.waitSignal(doc.saveFailed, timeout=2000):
        pass
    with demo_store.unit_of_work() as other:  # the conflict goes away outside the app
        other.get(Person, first_id).github_login = "moved-elsewhere"
    with qtbot.waitSignal(doc.saved, timeout=3000):
        pass
    assert doc.state == "saved"
    assert fresh(demo_store, Goal, goal_id).why == "Kept through the retry"
    assert fresh(demo_store, Person, second_id).github_login == taken
    doc.close()


def test_views_read_and_write_beside_the_plan_through_the_document(
    qtbot, demo_store: Store
) -> None:
    """A tool window's write saves the plan's pending edits first, commits on its own, and a
    failing database gives a message for the user (nothing of that write is kept)."""
    doc = PlanDocument(demo_store)
    sprint = doc.open_sprint(latest_id(demo_store))
    goal_id = sprint.goals[0].id
    doc.set_attr(sprint.goals[0], "why", "Saved before the roster edit")
    with doc.read() as session:  # a read sees only what is committed: not the pending edit
        assert session.get(Goal, goal_id).why != "Saved before the roster edit"
    taken = doc.session.scalars(
        select(Person.github_login).where(Person.github_login.is_not(None))
    ).first()
    with (
        pytest.raises(SaveError, match="Could not save to the database"),
        doc.write() as session,
    ):
        session.add(Person(name="Someone else", github_login=taken))
    assert doc.state == "saved"
    assert fresh(demo_store, Goal, goal_id).why == "Saved before the roster edit"
    with doc.read() as session:
        assert session.scalars(select(Person).where(Person.name == "Someone else")).all() == []
    with doc.write() as session:
        session.add(Person(name="Someone else", github_login="someone-else"))
    with doc.read() as session:
        added = session.scalars(select(Person.github_login).where(Person.name == "Someone else"))
        assert added.all() == ["someone-else"]
    doc.close()
