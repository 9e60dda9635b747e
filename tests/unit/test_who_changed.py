"""Who changed what (schema 0005): every commit path writes ``changed_by`` and ``changed_at`` on
the rows it changes, on SQLite and on PostgreSQL; a conflict names the other person and when.
Qt-free except the writer thread's own function (``editing.writer.write``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import make_url

from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import Goal, Person, Sprint, Team, TeamItem
from sprintdesk.storage.conflicts import commit_merging
from sprintdesk.storage.outbox import Entry, Outbox, replay
from sprintdesk.storage.store import Store, open_store
from tests.pg import PgCluster, db_url  # noqa: F401 - these tests run on SQLite and PostgreSQL

PASSWORD = "who-Changed-1"


def as_person(url: str, name: str, request: pytest.FixtureRequest, monkeypatch) -> Store:
    """A store whose edits are ``name``'s: the database role on a team database (created
    here), the login name on a local file."""
    if url.startswith("sqlite"):
        monkeypatch.setenv("LOGNAME", name)
        monkeypatch.setenv("USER", name)
        return open_store(url)
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    cluster.execute(
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
        f"'{name}') THEN CREATE ROLE {name} LOGIN SUPERUSER PASSWORD '{PASSWORD}'; "
        "END IF; END$$"
    )
    database = make_url(url).database
    assert database is not None
    return open_store(cluster.url(database, user=name, password=PASSWORD))


@pytest.fixture
def demo_url(db_url: str) -> Iterator[str]:  # noqa: F811
    store = open_store(db_url)
    with store.unit_of_work() as session:
        load_demo(session)
    store.close()
    yield db_url


def first_goal(session) -> Goal:
    goal = session.scalars(select(Goal).order_by(Goal.id)).first()
    assert goal is not None
    return goal


def utc(value: datetime | None) -> datetime:
    assert value is not None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_a_field_edit_and_a_new_row_say_who_and_when(demo_url, request, monkeypatch) -> None:
    store = as_person(demo_url, "wc_ana", request, monkeypatch)
    before = datetime.now(UTC) - timedelta(seconds=1)  # SQLite keeps no finer than a second
    try:
        with store.unit_of_work() as session:
            untouched = session.scalars(select(Goal).order_by(Goal.id.desc())).first()
            assert untouched is not None
            untouched_id = untouched.id
            goal = first_goal(session)
            goal.title = "Renamed by Ana"
            session.add(Goal(sprint=goal.sprint, title="Added by Ana"))
        with store.session() as check:
            for title in ("Renamed by Ana", "Added by Ana"):
                row = check.scalars(select(Goal).where(Goal.title == title)).one()
                assert row.changed_by == "wc_ana"
                assert before <= utc(row.changed_at) <= datetime.now(UTC)
            other = check.get(Goal, untouched_id)
            assert other is not None and other.changed_by != "wc_ana"  # not changed, not signed
    finally:
        store.close()


def test_a_membership_or_a_no_op_signs_nothing(demo_url, request, monkeypatch) -> None:
    store = as_person(demo_url, "wc_ana", request, monkeypatch)
    try:
        with store.unit_of_work() as session:
            person = session.scalars(select(Person).order_by(Person.id)).first()
            team = session.scalars(select(Team).order_by(Team.id)).first()
            assert person is not None and team is not None
            person.name = person.name  # the same value: no change
            if team in person.teams:
                person.teams.remove(team)
            else:
                person.teams.append(team)
            person_id, version = person.id, person.version
        with store.session() as check:
            row = check.get(Person, person_id)
            assert row is not None
            assert (row.version, row.changed_by != "wc_ana") == (version, True)
    finally:
        store.close()


def test_a_conflict_names_who_saved_theirs_and_when(demo_url, request, monkeypatch) -> None:
    ana = as_person(demo_url, "wc_ana", request, monkeypatch)
    ben = as_person(demo_url, "wc_ben", request, monkeypatch)
    try:
        a, b = ana.session(), ben.session()
        mine, theirs = first_goal(b), first_goal(a)
        theirs.title = "WC Ana title"
        a.commit()
        mine.title = "Ben's title"
        (conflict,) = commit_merging(b)
        assert (conflict.field, conflict.theirs, conflict.by) == ("title", "WC Ana title", "wc_ana")
        assert abs(utc(conflict.at) - datetime.now(UTC)) < timedelta(hours=1)
        a.close()
        b.close()
    finally:
        ana.close()
        ben.close()


def test_the_offline_replay_signs_what_it_lands(demo_url, request, monkeypatch, tmp_path) -> None:
    ana = as_person(demo_url, "wc_ana", request, monkeypatch)
    ben = as_person(demo_url, "wc_ben", request, monkeypatch)
    try:
        outbox = Outbox(tmp_path / "outbox.db")
        with ben.session() as session:
            goal = first_goal(session)
            goal.why = "Written offline by Ben"
            goal_id = goal.id
            outbox.write(outbox.capture(session))
        entries = outbox.entries()
        assert [e.field for e in entries] == ["why"]  # the stamp is not an edit of its own
        with ana.session() as session:  # somebody else's edit lands meanwhile
            first_goal(session).title = "WC Ana title"
            session.commit()
        with ben.session() as session:
            result = replay(session, entries)
            assert result.conflicts == []
            assert commit_merging(session) == []
        with ana.session() as check:
            row = check.get(Goal, goal_id)
            assert row is not None
            assert (row.title, row.why, row.changed_by) == (
                "WC Ana title",
                "Written offline by Ben",
                "wc_ben",
            )
        outbox.close()
    finally:
        ana.close()
        ben.close()


def test_the_writer_threads_commit_signs_and_reports_the_stamp(
    demo_url, request, monkeypatch
) -> None:
    from sprintdesk.editing.writer import write

    ben = as_person(demo_url, "wc_ben", request, monkeypatch)
    try:
        with ben.session() as session:
            item = session.scalars(select(TeamItem).order_by(TeamItem.id)).first()
            assert item is not None
            entry = Entry("update", "team_items", item.id, "title", item.title, "By the writer")
        with ben.session() as session:
            outcome = write(session, [entry])
        assert outcome.stamps[("team_items", item.id)][0] == "wc_ben"
        with ben.session() as check:
            row = check.get(TeamItem, item.id)
            assert row is not None and (row.title, row.changed_by) == ("By the writer", "wc_ben")
    finally:
        ben.close()


def test_an_import_signs_the_rows_it_writes(db_url, request, monkeypatch) -> None:  # noqa: F811
    from sprintdesk.markdown.importer import import_markdown

    store = as_person(db_url, "wc_ana", request, monkeypatch)
    try:
        with store.unit_of_work() as session:
            sprint, _parsed = import_markdown(
                session, "# Sprint 7\n\n## Goals\n\n- Ship the importer\n"
            )
            sprint_id = sprint.id
        with store.session() as check:
            sprint_row = check.get(Sprint, sprint_id)
            assert sprint_row is not None and sprint_row.changed_by == "wc_ana"
    finally:
        store.close()


def test_copy_keeps_the_stamps_and_signs_rows_that_had_none(demo_url, request, monkeypatch) -> None:
    cluster: PgCluster = request.getfixturevalue("pg_cluster")  # the copy's target
    source = open_store(demo_url)
    with source.unit_of_work() as session:
        signed_by = first_goal(session).changed_by
        session.execute(update(Team).values(changed_by=None, changed_at=None))
    source.close()
    name = cluster.new_database(migrated=False)
    target_url = cluster.url(name)
    from sprintdesk.storage.copying import copy_database

    source = open_store(demo_url)
    target = as_person(target_url, "wc_cleo", request, monkeypatch)
    try:
        copy_database(source, target)
        with target.session() as check:
            assert first_goal(check).changed_by == signed_by  # kept as it was
            assert {t.changed_by for t in check.scalars(select(Team))} == {"wc_cleo"}
    finally:
        source.close()
        target.close()
        cluster.drop_database(name)
