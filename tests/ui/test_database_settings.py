"""Settings → Database: test a team database connection (plain answers), remember the choice
without the password, keep the password in the keyring."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

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
