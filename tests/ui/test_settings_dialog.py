"""Settings → GitHub with qtbot: masked token, keyring, Check against the fake GitHub, and no
token in any file the app wrote."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from sprintdesk.github import client as github
from sprintdesk.plan.settings import get, put
from sprintdesk.system import secrets
from sprintdesk.ui.publish_dialog import PublishDialog
from sprintdesk.ui.settings_dialog import SettingsDialog
from tests.conftest import FAKE_REPO

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def settings(qtbot, store, fake_github):
    with store.unit_of_work() as session:
        put(session, github.SETTING_API_URL, fake_github.api_url)
        put(session, github.SETTING_TIMEOUT, "1")
    dlg = SettingsDialog(store)
    qtbot.addWidget(dlg)
    dlg.show()
    yield dlg
    secrets.clear_session_tokens()


def wait_check(qtbot, tab):
    with qtbot.waitSignal(tab.check_finished, timeout=10_000) as blocker:
        qtbot.mouseClick(tab.check_button, Qt.MouseButton.LeftButton)
    return blocker.args[0]


def test_token_is_masked_and_saved_in_the_keyring(qtbot, settings, fake_github, memory_keyring):
    tab = settings.github
    field = settings.findChild(QLineEdit, "githubToken")
    assert field is tab.token
    assert field.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(field, fake_github.token)
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    host = secrets.host_of(fake_github.api_url)
    assert memory_keyring.passwords == {("sprintdesk", host): fake_github.token}
    assert field.text() == ""  # the stored token is never shown again
    assert "saved in the keyring" in field.placeholderText()
    assert tab.remove_button.isEnabled()


def test_check_shows_login_and_scopes(qtbot, settings, fake_github):
    tab = settings.github
    qtbot.keyClicks(tab.token, fake_github.token)
    text = wait_check(qtbot, tab)
    assert "Signed in as octo-lead." in text
    assert "Scopes: repo, read:org." in text
    assert "Warning" not in text
    assert tab.check_button.isEnabled()


def test_check_warns_without_repo_scope(qtbot, settings, fake_github):
    fake_github.scopes = "gist, read:user"
    secrets.store_token(fake_github.api_url, fake_github.token)
    text = wait_check(qtbot, settings.github)  # checks the stored token
    assert "Scopes: gist, read:user." in text
    assert "neither the repo nor the public_repo" in text


def test_check_fine_grained_token(qtbot, settings, fake_github):
    fake_github.scopes = None
    qtbot.keyClicks(settings.github.token, fake_github.token)
    assert "Fine-grained token" in wait_check(qtbot, settings.github)


def test_check_rejected_token(qtbot, settings, fake_github):
    qtbot.keyClicks(settings.github.token, "ghp_wrong")
    assert "rejected the token" in wait_check(qtbot, settings.github)
    assert settings.github.token.text() == "ghp_wrong"  # what the user typed stays


def test_remove_token(qtbot, settings, fake_github, memory_keyring):
    secrets.store_token(fake_github.api_url, "old")
    settings.github.refresh()
    qtbot.mouseClick(settings.github.remove_button, Qt.MouseButton.LeftButton)
    assert memory_keyring.passwords == {}
    assert settings.github.status.text() == "Token removed."
    assert not settings.github.remove_button.isEnabled()


def test_api_url_setting_and_ok_saves(qtbot, settings, store, memory_keyring):
    tab = settings.github
    tab.api_url.setText("https://ghe.example.com/api/v3/")
    qtbot.keyClicks(tab.token, "ghp_enterprise")
    settings.accept()
    with store.session() as session:
        assert get(session, github.SETTING_API_URL) == "https://ghe.example.com/api/v3"
    assert memory_keyring.passwords == {("sprintdesk", "ghe.example.com"): "ghp_enterprise"}


def test_bad_api_url_is_refused(qtbot, settings, store):
    settings.github.api_url.setText("api.github.com")
    settings.accept()
    assert "is not an API URL" in settings.github.status.text()
    assert settings.isVisible()
    with store.session() as session:
        assert get(session, github.SETTING_API_URL) != "api.github.com"


def test_no_keyring_offers_a_session_token(qtbot, store, fake_github, tmp_path):
    keyring.set_keyring(fail.Keyring())
    with store.unit_of_work() as session:
        put(session, github.SETTING_API_URL, fake_github.api_url)
    dlg = SettingsDialog(store)
    qtbot.addWidget(dlg)
    dlg.show()
    tab = dlg.github
    assert tab.keyring_note.isVisible()
    assert "No keyring is available" in tab.keyring_note.text()
    assert not tab.save_button.isEnabled() and tab.session_button.isVisible()
    qtbot.keyClicks(tab.token, fake_github.token)
    qtbot.mouseClick(tab.session_button, Qt.MouseButton.LeftButton)
    assert secrets.get_stored_token(fake_github.api_url) == fake_github.token
    assert "this session only" in tab.token.placeholderText()
    assert "Signed in as octo-lead." in wait_check(qtbot, tab)
    secrets.clear_session_tokens()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert fake_github.token.encode() not in path.read_bytes(), path


def test_token_is_in_no_file_the_app_wrote(
    qtbot, settings, store, fake_github, tmp_path, gh_sprint_id
):
    """Save the token, check it, publish, fail once: then search every file under the test's
    folders (data dir, backups, logs, XDG config/data/state/cache) for it."""
    from PySide6.QtCore import QSettings

    QSettings("SprintDesk", "SprintDesk").setValue("probe", "written")  # the config dir exists
    tab = settings.github
    qtbot.keyClicks(tab.token, fake_github.token)
    settings.accept()
    wait_check(qtbot, tab)
    with store.unit_of_work() as session:
        put(session, github.SETTING_WRITE_INTERVAL, "0")
    dlg = PublishDialog(store, gh_sprint_id)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.repo.setCurrentText(FAKE_REPO)
    with qtbot.waitSignal(dlg.published, timeout=10_000):
        dlg.publish_button.click()
    dlg.repo.setCurrentText("acme/missing")
    dlg.publish_button.click()
    qtbot.waitUntil(lambda: not dlg.is_running(), timeout=10_000)
    assert dlg.error.isVisible()
    QSettings("SprintDesk", "SprintDesk").sync()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".db" for p in files)
    assert any(p.suffix == ".conf" for p in files)  # QSettings' file
    for path in files:
        assert fake_github.token.encode() not in path.read_bytes(), path
