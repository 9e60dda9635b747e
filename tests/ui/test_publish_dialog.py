"""The publish dialog with qtbot, against the fake GitHub over real HTTP."""

from __future__ import annotations

import socket

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLineEdit
from sqlalchemy import select

from sprintdesk.github import client as github
from sprintdesk.github import publishing
from sprintdesk.plan.model import Goal, Sprint, TeamPlan
from sprintdesk.plan.settings import put
from sprintdesk.system import secrets
from sprintdesk.ui.publish_dialog import PublishDialog
from sprintdesk.ui.settings_dialog import SettingsDialog
from tests.conftest import FAKE_REPO, rendered_of, sprint_row

# Offscreen Qt says this when a window is shown; it is not about SprintDesk.
pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _status(store, sprint_id: int) -> str:
    """What the main window's status bar says about publishing this sprint."""
    with store.session() as session:
        return publishing.publish_status(session.get(Sprint, sprint_id))


@pytest.fixture
def ready(demo_store, fake_github, gh_sprint_id):
    """Settings point at the fake, the token is in the (in-memory) keyring."""
    with demo_store.unit_of_work() as session:
        put(session, github.SETTING_API_URL, fake_github.api_url)
        put(session, github.SETTING_WRITE_INTERVAL, "0")
        put(session, github.SETTING_TIMEOUT, "1")
    secrets.store_token(fake_github.api_url, fake_github.token)
    yield
    secrets.clear_session_tokens()


@pytest.fixture
def dialog(qtbot, ready, demo_store, gh_sprint_id):
    dlg = PublishDialog(demo_store, gh_sprint_id)
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.repo.setCurrentText(FAKE_REPO)
    qtbot.waitUntil(lambda: FAKE_REPO in dlg.summary.text())  # after the typing pause
    yield dlg
    qtbot.waitUntil(lambda: not dlg.is_running(), timeout=10_000)


def publish_and_wait(qtbot, dlg, button=None):
    qtbot.mouseClick(button or dlg.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.is_running(), timeout=10_000)


def test_shows_exactly_what_will_be_sent(qtbot, dialog, demo_store, gh_sprint_id, fake_github):
    rendered = rendered_of(demo_store, gh_sprint_id)
    sprint = sprint_row(demo_store, gh_sprint_id)
    outgoing = publishing.outgoing_parts(rendered, sprint.uuid)
    text = dialog.preview.toPlainText()
    for part in outgoing:
        assert part.text in text
    assert f"Title: {rendered.title}" in text
    assert "Labels: sprint" in text
    assert dialog.labels.text() == "sprint"
    assert dialog.summary.text() == (
        f"A new issue in {FAKE_REPO} with {len(outgoing) - 1} comments: {len(outgoing)} requests."
    )
    # Assignees are the goal owners, used only when asked for.
    with demo_store.session() as session:
        goals = session.scalars(
            select(Goal).where(Goal.sprint_id == gh_sprint_id).order_by(Goal.position)
        ).all()
        owners = list(dict.fromkeys(g.owner.github_login for g in goals if g.owner))
    assert owners and dialog.assignees.text() == ", ".join(owners)
    assert not dialog.assignees.isEnabled()
    dialog.assign.setChecked(True)
    qtbot.waitUntil(lambda: "Assignees: " + dialog.assignees.text() in dialog.preview.toPlainText())
    assert fake_github.requests == []  # previewing sends nothing


def test_publish_off_the_ui_thread_with_progress_and_link(
    qtbot, dialog, fake_github, demo_store, gh_sprint_id
):
    fake_github.fail("POST", rf"/repos/{FAKE_REPO}/issues", mode="slow", delay=0.6, status=201)
    seen: list[str] = []
    ticks: list[int] = []
    dialog.progress_label.setText("")
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    dialog.progress_changed.connect(lambda n, m, t: seen.append(dialog.progress_label.text()))
    with qtbot.waitSignal(dialog.published, timeout=10_000) as published:
        dialog.publish_button.click()
        assert dialog.is_running() and not dialog.publish_button.isEnabled()
        # The event loop keeps running while the worker waits for GitHub.
        qtbot.waitUntil(lambda: len(ticks) >= 5 and dialog.is_running(), timeout=5_000)
    timer.stop()
    issue = fake_github.issues()[0]
    assert published.args == [issue["html_url"]]
    total = len(rendered_of(demo_store, gh_sprint_id).parts)
    assert seen[0].startswith(f"Part 1 of {total}: create the issue")
    assert seen[-1].startswith(f"Part {total} of {total}")
    assert dialog.link.isVisible()
    assert f'href="{issue["html_url"]}"' in dialog.link.text()
    assert dialog.link.openExternalLinks()
    with demo_store.session() as session:
        assert github.recent_repos(session) == [FAKE_REPO]
    assert _status(demo_store, gh_sprint_id).startswith(f"Published to {FAKE_REPO}#1")
    assert "nothing will be sent" in dialog.summary.text()


def test_recent_repositories_are_offered(qtbot, ready, demo_store, gh_sprint_id):
    with demo_store.unit_of_work() as session:
        github.remember_repo(session, "acme/old")
        github.remember_repo(session, "acme/plans")
    dlg = PublishDialog(demo_store, gh_sprint_id)
    qtbot.addWidget(dlg)
    assert [dlg.repo.itemText(i) for i in range(dlg.repo.count())] == ["acme/plans", "acme/old"]
    assert dlg.repo.currentText() == "acme/plans"


def test_conflict_then_overwrite(qtbot, dialog, fake_github, demo_store, gh_sprint_id):
    publish_and_wait(qtbot, dialog)
    comment = fake_github.comments_of(1)[0]
    fake_github.edit_comment(comment["id"], "Changed on GitHub")
    with demo_store.unit_of_work() as session:
        plan = session.scalars(
            select(TeamPlan).where(TeamPlan.sprint_id == gh_sprint_id).order_by(TeamPlan.position)
        ).first()
        plan.other_teams_impacted = "Billing"
    dialog.reload_plan()  # the plan changed since the dialog opened
    publish_and_wait(qtbot, dialog)
    assert dialog.conflict.isVisible()
    assert "edited" in dialog.conflict_text.text()
    assert fake_github.comments[comment["id"]]["body"] == "Changed on GitHub"
    publish_and_wait(qtbot, dialog, dialog.overwrite_button)
    assert not dialog.conflict.isVisible() and dialog.link.isVisible()
    assert "Changed on GitHub" not in fake_github.comments[comment["id"]]["body"]


def test_conflict_then_pull_first(qtbot, dialog, fake_github, demo_store, gh_sprint_id):
    publish_and_wait(qtbot, dialog)
    comment = fake_github.comments_of(1)[0]
    at = comment["body"].index("<!-- sprintdesk:part=")
    fake_github.edit_comment(
        comment["id"],
        comment["body"][:at] + "\n- Fix the flaky deploy @jun\n\n" + comment["body"][at:],
    )
    with demo_store.unit_of_work() as session:
        goal = session.scalars(select(Goal).where(Goal.sprint_id == gh_sprint_id)).first()
        plan = session.scalars(
            select(TeamPlan).where(TeamPlan.sprint_id == gh_sprint_id).order_by(TeamPlan.position)
        ).first()
        plan.other_teams_impacted = "Billing"
        assert goal is not None
    dialog.reload_plan()
    publish_and_wait(qtbot, dialog)
    assert dialog.conflict.isVisible()
    publish_and_wait(qtbot, dialog, dialog.pull_button)
    assert "Fix the flaky deploy" in dialog.preview.toPlainText()
    assert dialog.apply_pull_button.isVisible()
    with qtbot.waitSignal(dialog.pulled):
        dialog.apply_pull_button.click()
    assert "Fix the flaky deploy" in dialog.preview.toPlainText()  # now part of our plan
    publish_and_wait(qtbot, dialog)
    assert dialog.link.isVisible() and not dialog.conflict.isVisible()
    body = fake_github.comments[comment["id"]]["body"]
    assert "Fix the flaky deploy" in body


def test_errors_are_plain_and_the_draft_stays(qtbot, dialog, fake_github):
    dialog.repo.setCurrentText("acme/missing")
    dialog.labels.setText("sprint, planning")
    dialog.milestone.setText("")
    publish_and_wait(qtbot, dialog)
    assert dialog.error.isVisible()
    assert "acme/missing was not found" in dialog.error.text()
    assert not dialog.settings_button.isVisible()
    assert dialog.repo.currentText() == "acme/missing"
    assert dialog.labels.text() == "sprint, planning"
    assert dialog.publish_button.isEnabled()


def test_bad_repository_is_refused_without_network(qtbot, dialog, fake_github):
    dialog.repo.setCurrentText("just-a-name")
    qtbot.waitUntil(lambda: dialog.summary.text() == "Write the repository as owner/name.")
    assert not dialog.start_publish()
    assert "owner/name" in dialog.error.text()
    assert fake_github.requests == []


def test_401_offers_to_open_the_settings(qtbot, dialog, fake_github):
    fake_github.token = "rotated"
    publish_and_wait(qtbot, dialog)
    assert "rejected the token" in dialog.error.text()
    assert dialog.settings_button.isVisible()
    with qtbot.waitSignal(dialog.settings_requested):
        dialog.settings_button.click()
    settings = dialog.settings_dialog
    assert isinstance(settings, SettingsDialog) and settings.isVisible()
    assert settings.findChild(QLineEdit, "githubToken") is not None
    settings.reject()


def test_no_token_says_so(qtbot, dialog, fake_github):
    secrets.delete_token(fake_github.api_url)
    assert not dialog.start_publish()
    assert "No GitHub token" in dialog.error.text() and dialog.settings_button.isVisible()
    assert fake_github.requests == []


def test_network_down_marks_pending(qtbot, ready, demo_store, gh_sprint_id):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/api/v3"
    with demo_store.unit_of_work() as session:
        put(session, github.SETTING_API_URL, dead)
    secrets.store_token(dead, "tok")
    dlg = PublishDialog(demo_store, gh_sprint_id)
    qtbot.addWidget(dlg)
    dlg.repo.setCurrentText(FAKE_REPO)
    publish_and_wait(qtbot, dlg)
    assert "publish pending" in dlg.error.text()
    assert _status(demo_store, gh_sprint_id).startswith("Publish pending")


def test_deleted_issue_offers_a_new_one(qtbot, dialog, fake_github, demo_store, gh_sprint_id):
    publish_and_wait(qtbot, dialog)
    fake_github.issues()[0]["_deleted"] = True
    with demo_store.unit_of_work() as session:
        goal = session.scalars(select(Goal).where(Goal.sprint_id == gh_sprint_id)).first()
        goal.title = "A goal worth an update"
    dialog.reload_plan()
    publish_and_wait(qtbot, dialog)
    assert "deleted" in dialog.error.text()
    assert dialog.new_issue_button.isVisible()
    publish_and_wait(qtbot, dialog, dialog.new_issue_button)
    assert dialog.link.isVisible()
    assert len(fake_github.issues()) == 2
    assert '/issues/2"' in dialog.link.text()
    assert "A goal worth an update" in fake_github.issues()[1]["body"]


def _change_a_goal(store, sprint_id, title):
    with store.unit_of_work() as session:
        goal = session.scalars(select(Goal).where(Goal.sprint_id == sprint_id)).first()
        assert goal is not None
        goal.title = title


def test_body_conflict_offers_no_pull(qtbot, dialog, fake_github, demo_store, gh_sprint_id):
    publish_and_wait(qtbot, dialog)
    original = fake_github.issues()[0]["body"]
    fake_github.edit_issue_body(1, original + "\n\nEdited on GitHub")
    _change_a_goal(demo_store, gh_sprint_id, "A sharper goal")
    dialog.reload_plan()
    publish_and_wait(qtbot, dialog)
    assert dialog.conflict.isVisible() and dialog.overwrite_button.isVisible()
    assert not dialog.pull_button.isVisible()  # pull reads team comments only
    text = dialog.conflict_text.text()
    assert "the issue body" in text and "cannot be pulled" in text and "by hand" in text
    publish_and_wait(qtbot, dialog, dialog.overwrite_button)
    body = fake_github.issues()[0]["body"]
    assert "A sharper goal" in body and "Edited on GitHub" not in body


def test_overwrite_also_replaces_edits_of_unchanged_team_comments(
    qtbot, dialog, fake_github, demo_store, gh_sprint_id
):
    publish_and_wait(qtbot, dialog)
    comment = fake_github.comments_of(1)[0]  # Team Pipeline: not changed in the plan
    fake_github.edit_issue_body(1, fake_github.issues()[0]["body"] + "\n\nEdited on GitHub")
    fake_github.edit_comment(comment["id"], comment["body"] + "\n- extra on GitHub\n")
    _change_a_goal(demo_store, gh_sprint_id, "A sharper goal")
    dialog.reload_plan()
    publish_and_wait(qtbot, dialog)
    assert dialog.conflict.isVisible() and dialog.pull_button.isVisible()
    assert "the issue body and the Team Pipeline comment" in dialog.conflict_text.text()
    publish_and_wait(qtbot, dialog, dialog.overwrite_button)
    assert dialog.link.isVisible() and not dialog.conflict.isVisible()
    assert fake_github.comments[comment["id"]]["body"] == comment["body"]
    assert "Edited on GitHub" not in fake_github.issues()[0]["body"]
    assert "2 requests sent" in dialog.progress_label.text()


def test_assign_the_goal_owners_is_kept_for_the_next_publish(
    qtbot, dialog, fake_github, demo_store, db_url, gh_sprint_id, tmp_path, monkeypatch
):
    # The confirming walk-through: ticked for one publish, unticked when the dialog came back.
    from PySide6.QtCore import QSettings

    from sprintdesk.storage.store import open_store
    from sprintdesk.ui.main_window import MainWindow

    assert not dialog.assign.isChecked()  # nobody is assigned until asked
    dialog.assign.setChecked(True)
    publish_and_wait(qtbot, dialog)
    assert dialog.issue_url is not None
    assert fake_github.issues()[0]["assignees"]
    dialog.close()

    def reopened(store) -> PublishDialog:
        again = PublishDialog(store, gh_sprint_id)
        qtbot.addWidget(again)
        return again

    again = reopened(demo_store)
    assert again.assign.isChecked() and again.assignees.isEnabled()
    again.close()

    # A restart: the window on the database opened afresh.
    store = open_store(db_url)
    try:
        window = MainWindow(
            store, settings=QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
        )
        qtbot.addWidget(window)
        window.show()
        shown: list[tuple[bool, bool]] = []

        def publish_exec(opened: PublishDialog) -> int:
            shown.append((opened.assign.isChecked(), opened.assignees.isEnabled()))
            return 0

        monkeypatch.setattr(PublishDialog, "exec", publish_exec)
        window.features.publish()
        assert shown == [(True, True)]
        window.close()
    finally:
        store.close()

    # Unticked for a publish, it comes back unticked.
    again = reopened(demo_store)
    again.repo.setCurrentText(FAKE_REPO)
    again.assign.setChecked(False)
    publish_and_wait(qtbot, again)
    again.close()
    assert not reopened(demo_store).assign.isChecked()
