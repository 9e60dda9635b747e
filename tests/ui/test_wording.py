"""Counted words and names people know (issue 14, item 28): "1 person", not "1 people"; a
team's comment named after the team, not "team:2"; the pull dialog titled for pulling."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from sprintdesk.storage.store import Store
from sprintdesk.ui.publish_dialog import PublishDialog
from sprintdesk.views.welcome import WelcomePage
from sprintdesk.views.wording import tr_n
from tests.conftest import FAKE_REPO

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize(("n", "expected"), [(0, "0 people"), (1, "1 person"), (2, "2 people")])
def test_counted_phrases_use_the_singular_for_one(qtbot: Any, n: int, expected: str) -> None:
    assert tr_n("Test", "%n people", n, one="%n person") == expected


def test_welcome_page_counts_one_person_and_one_team(doc_for, qtbot: Any, store: Store) -> None:
    page = WelcomePage(doc_for(store))
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClicks(page.person_name, "Ana Souza")
    qtbot.mouseClick(page.add_person_button, Qt.MouseButton.LeftButton)
    assert page.people_summary.text().startswith("1 person.")
    qtbot.keyClicks(page.team_name, "Billing")
    page.members.item(0).setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(page.add_team_button, Qt.MouseButton.LeftButton)
    assert page.teams_hint.text() == "The sprint gets a team plan for your team."
    assert "1 teams" not in page.teams_hint.text()


def test_publish_preview_names_teams_not_internal_keys(
    qtbot: Any, store: Store, gh_sprint_id: int
) -> None:
    dialog = PublishDialog(store, gh_sprint_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.repo.setCurrentText(FAKE_REPO)
    dialog.refresh_preview()
    text = dialog.preview.toPlainText()
    heads = [line for line in text.splitlines() if line.startswith("━━")]
    assert any("add the comment “Team " in head for head in heads), heads
    assert not any("team:" in head for head in heads), heads
    summary = dialog.summary.text()
    assert "(s)" not in summary and "comments" in summary and "requests" in summary


def test_pull_dialog_is_titled_for_pulling(qtbot: Any, store: Store, gh_sprint_id: int) -> None:
    dialog = PublishDialog(store, gh_sprint_id)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Publish to GitHub"
    dialog.start_pull()  # no token yet: it asks for one, titled for what it is doing
    assert dialog.windowTitle() == "Pull from GitHub"
