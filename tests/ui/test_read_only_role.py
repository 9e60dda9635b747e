"""A database role with read-only grants (GRANT SELECT only) on a real PostgreSQL server: it
opens and follows the plan, its edits are refused with a message naming the permission, and
nothing it typed is lost (kept in the document and the outbox, and exportable)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from sprintdesk.editing.document import PlanDocument
from sprintdesk.editing.live import watch_document
from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import Goal, Sprint
from sprintdesk.storage.outbox import Outbox, outbox_path
from sprintdesk.storage.store import open_store
from tests.pg import PgCluster

pytestmark = pytest.mark.postgresql

PASSWORD = "read-0nly-pw"


@pytest.fixture
def plan_for_reader(pg_cluster: PgCluster, pg_database: str) -> Iterator[tuple[str, str]]:
    """(owner's URL, reader's URL) of one team database holding the demo plan."""
    setup = open_store(pg_database)
    with setup.unit_of_work() as session:
        load_demo(session)
    setup.close()
    name = pg_database.rsplit("/", 1)[1]
    pg_cluster.execute(
        "DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') THEN "
        f"CREATE ROLE reader LOGIN PASSWORD '{PASSWORD}'; END IF; END$$",
        f"GRANT CONNECT ON DATABASE {name} TO reader",
    )
    pg_cluster.execute(
        "GRANT USAGE ON SCHEMA public TO reader",
        "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader",
        database=name,
    )
    yield pg_database, pg_cluster.url(name, user="reader", password=PASSWORD)


def test_a_read_only_role_follows_the_plan_and_keeps_what_it_typed(
    qtbot, plan_for_reader: tuple[str, str], data_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from sprintdesk.ui import export_actions

    owner_url, reader_url = plan_for_reader
    owner_store, reader_store = open_store(owner_url), open_store(reader_url)
    with reader_store.session() as session:
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    owner, reader = PlanDocument(owner_store), PlanDocument(reader_store)
    owner.open_sprint(sprint_id)
    sprint = reader.open_sprint(sprint_id)
    live = watch_document(reader)
    assert live is not None and live.connected
    try:
        # Following: the owner's edit shows in the reader's window.
        owner.set_attr(owner.sprint.goals[0], "title", "Renamed by the owner")
        with qtbot.waitSignal(reader.changed, timeout=5000):
            assert owner.save_now()
        assert sprint.goals[0].title == "Renamed by the owner"

        # Editing: refused, with the permission named; the edit stays.
        with qtbot.waitSignal(reader.saveFailed) as failed:
            reader.set_attr(sprint.goals[1], "why", "The reader's own reason")
            assert not reader.save_now()
        message = failed.args[0]
        assert "UPDATE permission on the table goals" in message
        assert "'reader'" in message and "export" in message.lower()
        assert PASSWORD not in message
        assert reader.state == "refused" and reader.read_only
        assert sprint.goals[1].why == "The reader's own reason"
        assert "The reader's own reason" in reader.export_markdown()
        # Another edit is kept without a round trip to the server, and journaled.
        reader.set_attr(sprint.goals[1], "target", "The reader's target")
        kept = Outbox(outbox_path(reader_url, data_dir))
        assert {(e.field, e.mine) for e in kept.entries()} == {
            ("why", "The reader's own reason"),
            ("target", "The reader's target"),
        }
        kept.close()
        # File → Export writes the plan as this window has it.
        target = tmp_path / "kept.md"
        monkeypatch.setattr(
            QFileDialog,
            "getSaveFileName",
            staticmethod(lambda *a, **k: (str(target), "Markdown (*.md)")),
        )
        unsaved = reader.export_markdown()
        assert export_actions.export_to_file(None, reader_store, sprint_id, unsaved=unsaved)
        assert "The reader's target" in target.read_text(encoding="utf-8")
        with owner_store.session() as session:
            goal = session.get(Goal, sprint.goals[1].id)
            assert goal is not None and goal.why != "The reader's own reason"
    finally:
        live.stop()
        reader.close()
        owner.close()
        reader_store.close()
        owner_store.close()
