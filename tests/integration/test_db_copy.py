"""``sprintdesk db copy --to URL``: this computer's plan moved into an empty team database,
every sprint's export identical before and after, ids and links intact."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from sprintdesk.cli.main import main
from sprintdesk.plan.model import Goal, Setting, Sprint
from sprintdesk.storage.store import Store, open_store
from tests.pg import PgCluster

pytestmark = pytest.mark.postgresql


def exports(url: str, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    store = open_store(url)
    try:
        with store.session() as session:
            ids = [str(i) for i in session.scalars(select(Sprint.id).order_by(Sprint.id))]
    finally:
        store.close()
    texts = {}
    for sprint_id in ids:
        capsys.readouterr()
        assert main(["--db", url, "export", sprint_id]) == 0
        texts[sprint_id] = capsys.readouterr().out
    return texts


def test_copy_keeps_every_sprint_identical(
    demo_store: Store, db_url: str, pg_empty_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with demo_store.unit_of_work() as session:
        session.merge(Setting(key="github.repo", value="acme/plans"))
        sprints = session.scalars(select(Sprint).order_by(Sprint.id)).all()
        sprints[-1].previous_id = sprints[0].id  # a link from a table to itself
    demo_store.close()
    before = exports(db_url, capsys)
    assert len(before) >= 2

    assert main(["--db", db_url, "db", "copy", "--to", pg_empty_database]) == 0
    out = capsys.readouterr().out
    assert f"Copied {len(before)} sprints" in out

    assert exports(pg_empty_database, capsys) == before
    source, target = open_store(db_url), open_store(pg_empty_database)
    try:
        with source.session() as a, target.session() as b:
            pairs = [
                (s.id, s.uuid, s.previous_id, len(s.goals))
                for s in a.scalars(select(Sprint).order_by(Sprint.id))
            ]
            assert pairs == [
                (s.id, s.uuid, s.previous_id, len(s.goals))
                for s in b.scalars(select(Sprint).order_by(Sprint.id))
            ]
            assert b.get(Setting, "github.repo").value == "acme/plans"
            # The facilitator's private notes stay in this computer's file: the team database's
            # rows are everybody's (on it, each person's notes live in their own data folder).
            assert any(s.facilitator_notes for s in a.scalars(select(Sprint)))
            assert [s.facilitator_notes for s in b.scalars(select(Sprint))] == [""] * len(pairs)
            # The id sequences moved past the copied ids: a new goal gets a fresh id.
            most = max(a.scalars(select(Goal.id)))
        with target.unit_of_work() as session:
            sprint = session.scalars(select(Sprint)).first()
            assert sprint is not None
            goal = Goal(sprint=sprint, title="After the move")
            session.add(goal)
            session.flush()
            assert goal.id > most
    finally:
        source.close()
        target.close()


def test_copy_refuses_a_database_that_holds_a_plan(
    demo_store: Store, db_url: str, pg_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    demo_store.close()
    assert main(["--db", db_url, "db", "copy", "--to", pg_database]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "db", "copy", "--to", pg_database]) == 1
    err = capsys.readouterr().err
    assert "already holds a plan" in err and "Nothing was copied" in err


def test_copy_masks_the_password_it_prints(
    demo_store: Store,
    db_url: str,
    pg_cluster: PgCluster,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    demo_store.close()
    pg_cluster.execute(
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mover') THEN "
        "CREATE ROLE mover LOGIN PASSWORD 'hunter2-long'; END IF; END$$"
    )
    name = pg_cluster.new_database(migrated=False, owner="mover")
    url = pg_cluster.url(name, user="mover", password="hunter2-long")
    assert main(["--db", db_url, "db", "copy", "--to", url]) == 0
    captured = capsys.readouterr()
    assert "hunter2-long" not in captured.out + captured.err
    assert "mover:***@" in captured.out
    pg_cluster.drop_database(name)
