"""“Add from GitHub…”: a repository's assignable users, over real HTTP to the fake GitHub
(tests/fakegithub.py, extended here with ``GET /repos/{owner}/{repo}/assignees``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from sprintdesk.github import client as github
from sprintdesk.github.client import GitHubClient, RepoNotFoundError, TokenRejectedError
from sprintdesk.plan import roster, settings
from sprintdesk.plan.model import Person
from sprintdesk.storage.store import Store
from sprintdesk.system import secrets
from sprintdesk.views.roster import RosterWindow
from tests.fakegithub import FakeGitHub, _Handler

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


class _AssigneesHandler(_Handler):
    def _route(
        self, method: str, path: str, query: dict[str, str], data: dict[str, Any]
    ) -> tuple[int, Any, dict[str, str]]:
        match = re.fullmatch(r"/repos/([^/]+)/([^/]+)/assignees", path)
        fake = self.fake
        if match and method == "GET" and isinstance(fake, FakeWithAssignees):
            full_name = f"{match.group(1)}/{match.group(2)}".lower()
            if full_name in fake.repos:
                logins = fake.assignees.get(full_name, [])
                return self._page([fake.user_payload(login) for login in logins], query)
        return super()._route(method, path, query, data)


class FakeWithAssignees(FakeGitHub):
    """The fake GitHub plus the assignees list endpoint (paged like GitHub's)."""

    handler_class = _AssigneesHandler

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.assignees: dict[str, list[str]] = {}


@pytest.fixture
def fake() -> Iterator[FakeWithAssignees]:
    server = FakeWithAssignees()
    server.assignees["acme/plans"] = [f"dev{i:02}" for i in range(34)] + ["Ana-Souza"]
    with server:
        yield server


def _client(fake: FakeGitHub, token: str | None = None) -> GitHubClient:
    return GitHubClient(
        token or fake.token,
        fake.api_url,
        seconds_between_writes=None,
        seconds_between_requests=None,
        retries=0,
    )


def test_assignable_logins_follow_pages(fake: FakeWithAssignees) -> None:
    with _client(fake) as client:
        logins = github.assignable_logins(client, "https://github.com/acme/plans")
    assert len(logins) == 35 and logins[0] == "Ana-Souza" and logins[-1] == "dev33"
    pages = [p for m, p in fake.requests if p == "/repos/acme/plans/assignees"]
    assert len(pages) == 2  # 30 per page, then the Link rel="next"


def test_assignable_logins_errors_are_plain(fake: FakeWithAssignees) -> None:
    with _client(fake) as client, pytest.raises(RepoNotFoundError):
        github.assignable_logins(client, "acme/nothing")
    with _client(fake, "wrong") as client, pytest.raises(TokenRejectedError):
        github.assignable_logins(client, "acme/plans")
    with _client(fake) as client, pytest.raises(ValueError, match="owner/name"):
        github.assignable_logins(client, "not a repo")


def test_add_github_people_skips_known_logins(store: Store) -> None:
    with store.unit_of_work() as session:
        roster.add_person(session, "Ana Souza", "ana-souza")
        added = roster.add_github_people(session, ["ANA-SOUZA", "kwame"], "designer")
        assert [(p.name, p.github_login, p.role) for p in added] == [("kwame", "kwame", "designer")]
        candidates = roster.github_candidates(session, ["Ana-Souza", "new"])
        assert candidates == [
            roster.GitHubCandidate("Ana-Souza", "Ana Souza"),
            roster.GitHubCandidate("new", None),
        ]


def test_dialog_fetches_and_adds(doc_for, qtbot, store: Store, fake: FakeWithAssignees) -> None:
    fake.assignees["acme/plans"] = ["ana-souza", "kwame-a", "lena-k"]
    secrets.store_token(fake.api_url, fake.token)
    with store.unit_of_work() as session:
        settings.put(session, github.SETTING_API_URL, fake.api_url)
        settings.put(session, github.SETTING_WRITE_INTERVAL, "0")
        roster.add_person(session, "Ana Souza", "Ana-Souza")
    window = RosterWindow(doc_for(store))
    qtbot.addWidget(window)
    dialog = window.people_page.open_github_dialog()
    qtbot.addWidget(dialog)
    dialog.repo.setCurrentText("acme/plans")
    qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.people.count() == 3, timeout=5000)
    texts = [dialog.people.item(i).text() for i in range(3)]
    assert texts == ["@ana-souza — already in the roster as Ana Souza", "@kwame-a", "@lena-k"]
    assert dialog.checked_logins() == ["kwame-a", "lena-k"]
    assert dialog.message.text() == "3 people can be assigned; 2 are not in the roster yet."
    dialog.people.item(2).setCheckState(Qt.CheckState.Unchecked)
    with qtbot.waitSignal(dialog.added) as blocker:
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [1]
    with store.session() as session:
        logins = sorted(p.github_login or "" for p in session.scalars(select(Person)))
    assert logins == ["Ana-Souza", "kwame-a"]
    assert "Added 1 person;" in dialog.message.text()
    assert [r.login for r in window.people_page.model.rows] == ["Ana-Souza", "kwame-a"]


def test_dialog_without_token_or_with_a_bad_repo(
    doc_for, qtbot, store: Store, fake: FakeWithAssignees
) -> None:
    with store.unit_of_work() as session:
        settings.put(session, github.SETTING_API_URL, fake.api_url)
    window = RosterWindow(doc_for(store))
    qtbot.addWidget(window)
    dialog = window.people_page.open_github_dialog()
    qtbot.addWidget(dialog)
    dialog.repo.setCurrentText("acme plans")
    assert not dialog.fetch()
    assert "is not a repository" in dialog.message.text()
    assert dialog.repo.currentText() == "acme plans"  # kept to fix
    dialog.repo.setCurrentText("acme/plans")
    assert not dialog.fetch()
    assert dialog.message.text() == (
        f"No GitHub token for 127.0.0.1:{fake.port}. Add one in Settings → GitHub."
    )
    # A token for a repository that is not there: the worker's error is shown plainly.
    secrets.store_token(fake.api_url, fake.token)
    dialog.repo.setCurrentText("acme/missing")
    assert dialog.fetch()
    qtbot.waitUntil(lambda: dialog.task is None, timeout=5000)
    assert "acme/missing" in dialog.message.text()
    assert dialog.people.count() == 0 and not dialog.add_button.isEnabled()
