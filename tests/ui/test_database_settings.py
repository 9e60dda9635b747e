"""Settings → Database: test a team database connection (plain answers), remember the choice
without the password, keep the password in the keyring."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QPushButton

from sprintdesk.system.secrets import get_db_password
from sprintdesk.ui.database_settings import DatabaseSettingsTab, remembered_url
from tests.pg import PgCluster


@pytest.fixture
def qsettings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


def fill(tab: DatabaseSettingsTab, qtbot, port: int, database: str, password: str = "") -> None:
    tab.team.setChecked(True)
    tab.host.setText("127.0.0.1")
    tab.port.setValue(port)
    tab.database.clear()
    qtbot.keyClicks(tab.database, database)
    tab.user.setText("postgres")
    tab.tls.setCurrentText("disable")
    if password:
        qtbot.keyClicks(tab.password, password)


@pytest.mark.postgresql
def test_test_connection_gives_plain_answers(
    qtbot, qsettings, pg_cluster: PgCluster, pg_database: str
) -> None:
    tab = DatabaseSettingsTab(qsettings)
    qtbot.addWidget(tab)
    fill(tab, qtbot, pg_cluster.port, "no_such_plan")
    with qtbot.waitSignal(tab.test_finished, timeout=15000) as answer:
        tab.test_button.click()
    assert "has no database 'no_such_plan'" in answer.args[0]
    fill(tab, qtbot, pg_cluster.port, pg_database.rsplit("/", 1)[1])
    with qtbot.waitSignal(tab.test_finished, timeout=15000) as answer:
        tab.test_button.click()
    assert answer.args[0] == "Connected: the team database is ready."


def test_the_choice_is_remembered_without_the_password(qtbot, qsettings) -> None:
    tab = DatabaseSettingsTab(qsettings)
    qtbot.addWidget(tab)
    assert tab.local.isChecked() and not tab.host.isEnabled()
    fill(tab, qtbot, 6543, "plans", password="typed-secret")
    tab.save()
    url = remembered_url(qsettings)
    assert url == "postgresql+psycopg://postgres@127.0.0.1:6543/plans?sslmode=disable"
    qsettings.sync()
    assert "typed-secret" not in Path(qsettings.fileName()).read_text()
    assert get_db_password("127.0.0.1", 6543, "postgres") == "typed-secret"
    again = DatabaseSettingsTab(qsettings)
    qtbot.addWidget(again)
    assert again.team.isChecked() and again.database.text() == "plans"
    again.local.setChecked(True)
    again.save()
    assert remembered_url(qsettings) is None


def _plan_counts(url: str) -> tuple[int, int, int]:
    from sqlalchemy import func, select

    from sprintdesk.plan.model import Person, Sprint, Team
    from sprintdesk.storage.store import open_store

    store = open_store(url)
    try:
        with store.session() as session:
            return tuple(  # type: ignore[return-value]
                session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Sprint, Person, Team)
            )
    finally:
        store.close()


@pytest.mark.postgresql
def test_moving_in_copies_the_local_plan_with_a_progress_and_refuses_a_full_target(
    qtbot, qsettings, pg_cluster: PgCluster, pg_database: str, demo_store, db_url: str
) -> None:
    local = _plan_counts(db_url)
    tab = DatabaseSettingsTab(qsettings, local_url=db_url)
    qtbot.addWidget(tab)
    assert not tab.move_button.isEnabled()  # "This computer" chosen: nowhere to move to
    fill(tab, qtbot, pg_cluster.port, pg_database.rsplit("/", 1)[1])
    assert tab.move_button.isEnabled()
    seen: list[int] = []
    with qtbot.waitSignal(tab.move_finished, timeout=60000) as answer:
        tab.move_button.click()
        assert tab.progress is not None and tab.progress.objectName() == "moveInProgress"
        assert tab.move_job is not None
        tab.move_job.signals.progress.connect(lambda done, _total, _table: seen.append(done))
    assert answer.args[0] == (
        f"Copied {local[0]} sprints, {local[1]} people and {local[2]} teams to "
        f"{pg_database}?sslmode=disable."
    )
    assert seen and max(seen) > 0  # the progress moved, table by table
    assert tab.progress is None and tab.move_button.isEnabled()
    assert _plan_counts(pg_database) == local

    # Again: the team database holds a plan now, and is refused as by `db copy`.
    with qtbot.waitSignal(tab.move_finished, timeout=60000) as answer:
        tab.move_button.click()
    assert "already holds a plan" in answer.args[0]
    assert "Nothing was copied." in answer.args[0]
    assert _plan_counts(pg_database) == local


@pytest.mark.postgresql
def test_moving_in_can_be_cancelled_and_copies_nothing(
    qtbot, qsettings, pg_cluster: PgCluster, pg_database: str, demo_store, db_url: str
) -> None:
    import psycopg

    name = pg_database.rsplit("/", 1)[1]
    tab = DatabaseSettingsTab(qsettings, local_url=db_url)
    qtbot.addWidget(tab)
    fill(tab, qtbot, pg_cluster.port, name)
    # Somebody holds the people table: the copy waits inside its transaction, under way.
    holder = psycopg.connect(host="127.0.0.1", port=pg_cluster.port, user="postgres", dbname=name)
    holder.execute("LOCK TABLE people IN ACCESS EXCLUSIVE MODE")

    def copy_waits() -> bool:
        holder.execute("SELECT pg_stat_clear_snapshot()")  # a fresh look within the transaction
        row = holder.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'SprintDesk' "
            "AND wait_event_type = 'Lock'"
        ).fetchone()
        return bool(row and row[0])

    with qtbot.waitSignal(tab.move_finished, timeout=60000) as answer:
        tab.move_button.click()
        qtbot.waitUntil(copy_waits, timeout=30000)
        assert tab.progress is not None
        cancel = tab.progress.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "Cancel"
        cancel.click()
        holder.rollback()  # the copy goes on, and stops at the next table
    holder.close()
    assert answer.args[0] == "Cancelled: nothing was copied."
    assert _plan_counts(pg_database) == (0, 0, 0)
