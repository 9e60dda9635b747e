"""File → Import history from GitHub…: the dialog against the fake GitHub (real HTTP, a real
SQLite file): progress, summary, cancel, bad input kept as typed."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from sprintdesk.github import client as github
from sprintdesk.plan.model import Sprint
from sprintdesk.storage.store import Store
from sprintdesk.ui.history_import_dialog import HistoryImportDialog
from tests.conftest import FAKE_REPO
from tests.fakegithub import FakeGitHub


def dialog_for(qtbot: Any, store: Store, fake: FakeGitHub) -> HistoryImportDialog:
    def factory(api_url: str) -> Any:
        del api_url
        return lambda: github.GitHubClient(
            fake.token,
            fake.api_url,
            timeout=2,
            retries=0,
            seconds_between_requests=None,
            seconds_between_writes=None,
        )

    dialog = HistoryImportDialog(store, client_factory=factory)
    qtbot.addWidget(dialog)
    dialog.repo.setText(FAKE_REPO)
    return dialog


def seed(fake: FakeGitHub, count: int) -> None:
    for n in range(count):
        fake.seed_issue(
            f"Sprint {n} - Mar 2 to Mar 13",
            f"## Sprint priorities\n\n1. Item {n}\n",
            created_at=f"2024-0{1 + n}-01T09:00:00Z",
            comments=(f"# Team Web\n\n### High priority\n\n- Task {n} @ana\n",),
        )
    fake.seed_issue("Sprint empty", "```\n# Team ___\n```\n")


def test_import_shows_progress_and_the_summary(qtbot, store, fake_github) -> None:
    seed(fake_github, 2)
    dialog = dialog_for(qtbot, store, fake_github)
    steps: list[tuple[int, int]] = []
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as done:
        assert dialog.start_import()
        dialog._task.signals.progress.connect(lambda n, m, _t: steps.append((n, m)))
    report = done.args[0]
    assert [e["issue"] for e in report.imported] == [1, 2]
    assert steps[-1] == (3, 3) and dialog.progress.value() == 3
    summary = dialog.summary.text()
    assert "2 sprints imported" in summary and "1 skipped" in summary
    assert "Skipped #3: only an empty template" in summary
    assert "3 requests to GitHub" in summary
    assert dialog.start_button.isEnabled() and not dialog.cancel_button.isEnabled()
    with store.session() as session:
        assert session.scalar(select(func.count(Sprint.id))) == 2


def test_cancel_stops_after_the_current_issue_and_keeps_what_was_imported(
    qtbot, store, fake_github
) -> None:
    seed(fake_github, 5)
    fake_github.latency = 0.3
    dialog = dialog_for(qtbot, store, fake_github)
    with qtbot.waitSignal(dialog.imported, timeout=30_000) as done:
        assert dialog.start_import()
        dialog._task.signals.progress.connect(lambda *_: dialog.cancel_import())
    report = done.args[0]
    assert report.cancelled
    assert 1 <= len(report.imported) < 5
    assert "Cancelled" in dialog.status.text()
    fake_github.latency = 0
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as again:
        assert dialog.start_import()
    assert len(report.imported) + len(again.args[0].imported) == 5


def test_bad_input_is_explained_and_kept(qtbot, store, fake_github) -> None:
    dialog = dialog_for(qtbot, store, fake_github)
    dialog.repo.setText("not a repo")
    assert not dialog.start_import()
    assert "owner/name" in dialog.status.text()
    assert dialog.repo.text() == "not a repo"
    dialog.repo.setText(FAKE_REPO)
    dialog.since.setText("last week")
    assert not dialog.start_import()
    assert "YYYY-MM-DD" in dialog.status.text() and dialog.since.text() == "last week"
    assert not fake_github.requests


def test_the_summary_lists_comments_that_were_not_imported(qtbot, store, fake_github) -> None:
    fake_github.seed_issue(
        "Sprint 1 - Mar 2 to Mar 13",
        "## Sprint priorities\n\n1. Ship it\n",
        comments=("# Team Web\n\n### High priority\n\n- Task @ana\n", "LGTM  +1"),
    )
    dialog = dialog_for(qtbot, store, fake_github)
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as done:
        assert dialog.start_import()
    assert [e["why"] for e in done.args[0].comments_skipped] == ["names no team"]
    summary = dialog.summary.text()
    assert "1 comment not imported (read it on GitHub):" in summary
    assert "#1, names no team: “LGTM +1”" in summary
