"""Alt+letter keys in every dialog and tool window (issue 14 walk-through, finding 11): each
key belongs to one control, so it presses its button instead of only moving the focus (or, in a
text field, typing the letter)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from sprintdesk.github import client as github
from sprintdesk.plan.settings import put
from sprintdesk.storage.store import Store, sqlite_path
from sprintdesk.system import secrets
from sprintdesk.ui.history_import_dialog import HistoryImportDialog
from sprintdesk.ui.publish_dialog import PublishDialog
from sprintdesk.ui.restore_dialog import RestoreDialog
from sprintdesk.ui.settings_dialog import SettingsDialog
from sprintdesk.ui.sprint_dialog import SprintDialog
from sprintdesk.views.availability import AvailabilityDialog
from sprintdesk.views.capacity import CapacityView
from sprintdesk.views.github_people import GitHubPeopleDialog
from sprintdesk.views.history import HistoryView
from sprintdesk.views.roster import RosterWindow
from sprintdesk.views.welcome import WelcomePage
from tests.conftest import FAKE_REPO
from tests.ui.accessibility import mnemonic, mnemonic_clashes

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


BUILDERS: dict[str, Callable[..., QWidget]] = {
    "publish": lambda store, sprint_id, doc: PublishDialog(store, sprint_id),
    "settings": lambda store, sprint_id, doc: SettingsDialog(
        store, ui_settings=_ui_settings(store)
    ),
    "restore": lambda store, sprint_id, doc: RestoreDialog(_db_path(store)),
    "history import": lambda store, sprint_id, doc: HistoryImportDialog(store),
    "new sprint": lambda store, sprint_id, doc: SprintDialog(store),
    "next sprint": lambda store, sprint_id, doc: SprintDialog(store, previous_id=sprint_id),
    "availability": lambda store, sprint_id, doc: AvailabilityDialog(doc, sprint_id),
    "github people": lambda store, sprint_id, doc: GitHubPeopleDialog(doc),
    "roster": lambda store, sprint_id, doc: RosterWindow(doc),
    "capacity": lambda store, sprint_id, doc: CapacityView(doc),
    "history": lambda store, sprint_id, doc: HistoryView(doc),
    "welcome": lambda store, sprint_id, doc: WelcomePage(doc),
}


def _ui_settings(store: Store) -> QSettings:
    """View state next to the test's database, never the user's (nor the default path)."""
    return QSettings(str(_db_path(store).with_suffix(".ini")), QSettings.Format.IniFormat)


def _db_path(store: Store) -> Path:
    path = sqlite_path(store.url)
    assert path is not None
    return path


def _every_page(widget: QWidget) -> list[str]:
    """Clashes on each page of each tab widget (the other tabs' pages are not on screen)."""
    found: list[str] = []
    tab_widgets = widget.findChildren(QTabWidget)
    if not tab_widgets:
        return [f"{k}: {v}" for k, v in mnemonic_clashes(widget).items()]
    for tabs in tab_widgets:
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            found += [
                f"{tabs.tabText(index)} {k}: {v}" for k, v in mnemonic_clashes(widget).items()
            ]
    return found


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_no_alt_key_is_claimed_twice(qtbot, demo_store, gh_sprint_id, doc_for, name):
    widget = BUILDERS[name](demo_store, gh_sprint_id, doc_for(demo_store))
    qtbot.addWidget(widget)
    widget.show()
    assert _every_page(widget) == []


def test_alt_s_in_the_publish_dialog_opens_settings(qtbot, demo_store, gh_sprint_id):
    with demo_store.unit_of_work() as session:
        put(session, github.SETTING_API_URL, "https://api.github.com")
    dialog = PublishDialog(demo_store, gh_sprint_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.repo.setCurrentText(FAKE_REPO)
    assert not dialog.start_publish()  # no token: the error offers Settings
    assert dialog.settings_button.isVisible()
    letter = mnemonic(dialog.settings_button.text())
    assert letter
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.repo.setFocus()
    typed = dialog.repo.currentText()
    key = getattr(Qt.Key, f"Key_{letter.upper()}")
    qtbot.keyClick(dialog.repo, key, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "settings_dialog", None), SettingsDialog))
    assert dialog.repo.currentText() == typed  # nothing typed into the repository field
    dialog.settings_dialog.reject()
    secrets.clear_session_tokens()
