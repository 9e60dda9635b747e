"""Settings → Database as a newcomer meets it: moving in copies the window's own database, OK
switches the window to the chosen database at once (with a status-bar word while on a team
database), the password field tells the truth without a keyring, and an unreachable server is
explained in one plain sentence."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from sprintdesk.storage.store import Store
from sprintdesk.ui.database_settings import DatabaseSettingsTab, remembered_url
from sprintdesk.ui.settings_dialog import SettingsDialog
from tests.pg import PgCluster
from tests.ui.test_database_settings import _plan_counts, fill


@pytest.mark.postgresql
def test_moving_in_copies_the_database_the_window_has_open(
    qtbot,
    ui_settings: QSettings,
    pg_cluster: PgCluster,
    pg_database: str,
    demo_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The window runs on a --data-dir database; the default data folder is somewhere else.
    default_folder = tmp_path / "default-data"
    monkeypatch.setenv("SPRINTDESK_DATA_DIR", str(default_folder))
    local = _plan_counts(demo_store.url)
    assert local[0] > 0
    dialog = SettingsDialog(demo_store, ui_settings=ui_settings)
    qtbot.addWidget(dialog)
    tab = dialog.database
    fill(tab, qtbot, pg_cluster.port, pg_database.rsplit("/", 1)[1])
    with qtbot.waitSignal(tab.move_finished, timeout=60000) as answer:
        tab.move_button.click()
    assert answer.args[0].startswith(f"Copied {local[0]} sprints, {local[1]} people")
    assert _plan_counts(pg_database) == local
    assert not default_folder.exists()  # no stray empty database in the default folder


def _drive_settings(window, qtbot, choose) -> None:
    """Open Edit → Settings the way the menu does; ``choose(tab)`` picks a database on the
    Database tab, and OK is pressed (the dialog is cancelled if the database cannot open)."""

    def drive() -> None:
        shown = [each for each in window.findChildren(SettingsDialog) if each.isVisible()]
        if not shown:  # events ran before the dialog opened
            QTimer.singleShot(10, drive)
            return
        dialog = shown[0]
        dialog.database.open_failed.connect(lambda _message: dialog.reject())
        choose(dialog.database)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.click()

    QTimer.singleShot(0, drive)
    window.features.open_settings()


@pytest.mark.postgresql
def test_ok_switches_the_window_to_the_team_database_and_back(
    qtbot, demo_window, ui_settings: QSettings, pg_cluster: PgCluster, pg_database: str
) -> None:
    window, _clock = demo_window
    local_url = window.store.url
    place = window.statusBar().findChild(QLabel, "databasePlace")
    assert place is not None and place.isHidden()  # this computer's database: no word
    name = pg_database.rsplit("/", 1)[1]
    pg_cluster.execute("ALTER USER postgres PASSWORD 'hush-secret'")
    try:

        def team(tab: DatabaseSettingsTab) -> None:
            fill(tab, qtbot, pg_cluster.port, name, password="hush-secret")

        _drive_settings(window, qtbot, team)
        store = window.store
        assert store is not None and store.is_server
        assert store.url.endswith(f"/{name}?sslmode=disable")
        assert remembered_url(ui_settings) == store.url  # and it reopens there next time
        assert place.isVisible()
        assert place.text() == f"Team database: {name} on 127.0.0.1"
        assert name in place.toolTip() and "hush-secret" not in place.toolTip()

        _drive_settings(window, qtbot, lambda tab: tab.local.setChecked(True))
        store = window.store
        assert store is not None and not store.is_server and store.url == local_url
        assert place.isHidden()
        assert remembered_url(ui_settings) is None
    finally:
        pg_cluster.execute("ALTER USER postgres PASSWORD NULL")


def test_ok_on_an_unreachable_team_database_keeps_the_window_and_the_dialog(
    qtbot, demo_store: Store, ui_settings: QSettings
) -> None:
    from tests.pg import free_port

    dialog = SettingsDialog(demo_store, ui_settings=ui_settings)
    qtbot.addWidget(dialog)
    fill(dialog.database, qtbot, free_port(), "plans")
    with qtbot.waitSignal(dialog.database.open_failed, timeout=30000) as answer:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert answer.args[0].startswith("Cannot reach the team database server 127.0.0.1:")
    assert dialog.opened_store is None and dialog.result() == 0
    assert dialog.database.database.text() == "plans"  # what was typed is still there
    assert remembered_url(ui_settings) is None  # nothing remembered that does not open


def test_the_password_field_says_what_happens_without_a_keyring(qtbot, ui_settings) -> None:
    keyring.set_keyring(fail.Keyring())
    tab = DatabaseSettingsTab(ui_settings)
    qtbot.addWidget(tab)
    assert "keyring" in tab.password.placeholderText()
    assert not tab.password.placeholderText().startswith("kept in the keyring")
    assert "PGPASSWORD or ~/.pgpass" in tab.password.placeholderText()


def test_an_unreachable_server_is_one_plain_sentence() -> None:
    from sprintdesk.storage.errors import ServerUnreachableError
    from sprintdesk.storage.store import open_store
    from tests.pg import free_port

    port = free_port()
    with pytest.raises(ServerUnreachableError) as info:
        open_store(f"postgresql+psycopg://postgres@127.0.0.1:{port}/plans")
    message = str(info.value)
    assert message.startswith(f"Cannot reach the team database server 127.0.0.1:{port} (")
    assert "?." not in message and ".." not in message and '"' not in message
    assert message.count(". ") == 0 and message.endswith(".")
