"""Settings for a sprint published to its own host (issue 14, item 12): a sprint published
from the command line with ``--api-url`` asks for a token for that host, so Settings opened
from its publish dialog shows that API URL and the token pasted there goes to that host. A
Check that cannot reach the host says the token was not checked, not "publish pending"."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt

from sprintdesk.github import client as github
from sprintdesk.plan.model import Sprint
from sprintdesk.plan.settings import get, put
from sprintdesk.system import secrets
from sprintdesk.ui.publish_dialog import PublishDialog
from sprintdesk.ui.settings_dialog import SettingsDialog

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

DEFAULT = "https://api.github.com"


@pytest.fixture(autouse=True)
def _forget_session_tokens():
    yield
    secrets.clear_session_tokens()


def test_settings_from_publish_use_the_sprint_api_url(
    qtbot, store, fake_github, gh_sprint_id, memory_keyring
):
    with store.unit_of_work() as session:
        put(session, github.SETTING_API_URL, DEFAULT)
        sprint = session.get(Sprint, gh_sprint_id)
        assert sprint is not None
        sprint.publish_api_url = fake_github.api_url  # published with --api-url
    publish = PublishDialog(store, gh_sprint_id)
    qtbot.addWidget(publish)
    publish.show()
    publish.open_settings()
    settings = publish.settings_dialog
    assert isinstance(settings, SettingsDialog)
    tab = settings.github
    assert tab.api_url.text() == fake_github.api_url
    assert tab.sprint_note.isVisibleTo(settings)
    assert secrets.host_of(fake_github.api_url) in tab.sprint_note.text()
    qtbot.keyClicks(tab.token, fake_github.token)
    settings.accept()
    host = secrets.host_of(fake_github.api_url)
    assert memory_keyring.passwords == {("sprintdesk", host): fake_github.token}
    with store.session() as session:  # the default for other sprints is unchanged
        assert get(session, github.SETTING_API_URL) == DEFAULT


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once closed


def test_check_against_an_unreachable_host_says_what_happened(qtbot, store):
    url = f"http://127.0.0.1:{_closed_port()}/api/v3"
    with store.unit_of_work() as session:
        put(session, github.SETTING_API_URL, url)
        put(session, github.SETTING_TIMEOUT, "1")
    dialog = SettingsDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    tab = dialog.github
    qtbot.keyClicks(tab.token, "ghp_anything")
    with qtbot.waitSignal(tab.check_finished, timeout=15_000) as blocker:
        qtbot.mouseClick(tab.check_button, Qt.MouseButton.LeftButton)
    text = blocker.args[0]
    assert "Cannot reach GitHub (127.0.0.1" in text
    assert "token was not checked" in text
    assert "publish pending" not in text
