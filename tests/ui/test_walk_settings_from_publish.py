"""Settings opened from the publish dialog (issue 14 walk-through, findings 1 and 11): what is
saved there is used by that same publish dialog, only one Settings window opens, and a sprint
without its own API URL is never said to have one."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from sprintdesk.github import client as github
from sprintdesk.plan.model import Sprint
from sprintdesk.plan.settings import put
from sprintdesk.system import secrets
from sprintdesk.ui.main_window import MainWindow
from sprintdesk.ui.publish_dialog import PublishDialog
from sprintdesk.ui.settings_dialog import SettingsDialog
from tests.conftest import FAKE_REPO

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

DEFAULT = "https://api.github.com"


@pytest.fixture(autouse=True)
def _forget_session_tokens():
    yield
    secrets.clear_session_tokens()


def test_the_publish_dialog_uses_what_settings_just_saved(
    qtbot, demo_store, fake_github, gh_sprint_id, memory_keyring
):
    with demo_store.unit_of_work() as session:
        put(session, github.SETTING_API_URL, DEFAULT)
        put(session, github.SETTING_WRITE_INTERVAL, "0")
        put(session, github.SETTING_TIMEOUT, "1")
        sprint = session.get(Sprint, gh_sprint_id)
        assert sprint is not None and sprint.publish_api_url is None
    dialog = PublishDialog(demo_store, gh_sprint_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.repo.setCurrentText(FAKE_REPO)
    assert not dialog.start_publish()
    assert "No GitHub token for api.github.com" in dialog.error.text()

    qtbot.mouseClick(dialog.settings_button, Qt.MouseButton.LeftButton)
    settings = dialog.settings_dialog
    assert isinstance(settings, SettingsDialog)
    assert not settings.github.sprint_note.isVisibleTo(settings)
    settings.github.api_url.setText(fake_github.api_url)
    qtbot.keyClicks(settings.github.token, fake_github.token)
    settings.accept()
    # The message about the old host is gone and the publish goes to the host just saved.
    assert not dialog.error.isVisible()
    assert dialog.start_publish()
    qtbot.waitUntil(lambda: not dialog.is_running(), timeout=10_000)
    assert dialog.issue_url is not None and fake_github.writes

    # A second Settings does not claim the sprint has its own API URL: it has none.
    dialog.open_settings()
    again = dialog.settings_dialog
    assert isinstance(again, SettingsDialog) and again is not settings
    assert again.github.api_url.text() == fake_github.api_url
    assert not again.github.sprint_note.isVisibleTo(again)
    assert "its own API URL" not in again.github.sprint_note.text()
    again.reject()


def test_open_settings_from_publish_opens_one_settings_window(
    qtbot, demo_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    window = MainWindow(
        demo_store, settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    modal: list[SettingsDialog] = []

    def settings_exec(dialog: SettingsDialog) -> int:
        modal.append(dialog)
        return 0

    monkeypatch.setattr(SettingsDialog, "exec", settings_exec)
    seen: list[SettingsDialog] = []

    def publish_exec(dialog: PublishDialog) -> int:
        dialog.open_settings()
        seen.extend(w for w in dialog.findChildren(SettingsDialog) if w.isVisible())
        for w in seen:
            w.reject()
        return 0

    monkeypatch.setattr(PublishDialog, "exec", publish_exec)
    window.features.publish()
    assert modal == []  # the window did not open a Settings of its own
    assert len(seen) == 1
    window.close()
