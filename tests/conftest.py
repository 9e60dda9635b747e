"""Fixtures for the GitHub tests: a running fake GitHub server and a client pointed at it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from sprintdesk.github import client as github
from sprintdesk.github import publishing
from sprintdesk.markdown.render import RenderedPlan
from sprintdesk.plan.model import Sprint
from sprintdesk.storage.store import Store
from tests.fakegithub import FakeGitHub

FAKE_REPO = "acme/plans"


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """A fake GitHub API on 127.0.0.1 (random port) with the repository ``acme/plans``."""
    github.clear_rate_limits()
    with FakeGitHub() as fake:
        yield fake
    github.clear_rate_limits()


@pytest.fixture
def gh_sprint_id(demo_store: Store) -> int:
    """The demo's current sprint (three teams: a body and three team parts)."""
    with demo_store.session() as session:
        sprint = session.scalars(select(Sprint).order_by(Sprint.id.desc())).first()
        assert sprint is not None
        return sprint.id


@pytest.fixture
def gh_client(fake_github: FakeGitHub) -> Iterator[github.GitHubClient]:
    """A client for the fake: 1 s timeout, one quick retry for reads, no pause between writes."""
    client = github.GitHubClient(
        fake_github.token,
        fake_github.api_url,
        timeout=1,
        retries=1,
        backoff=0,
        seconds_between_writes=None,
        seconds_between_requests=None,
    )
    yield client
    client.close()


def rendered_of(store: Store, sprint_id: int) -> RenderedPlan:
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        return publishing.render_for_publish(sprint)


def sprint_row(store: Store, sprint_id: int) -> Sprint:
    """The sprint with its publish record loaded, detached from any session."""
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        list(sprint.published_parts)
        return sprint


@pytest.fixture
def gh_publish(
    demo_store: Store, gh_sprint_id: int, gh_client: github.GitHubClient, fake_github: FakeGitHub
) -> Callable[..., publishing.PublishResult]:
    """Publish the demo sprint to acme/plans on the fake (keyword arguments go to publish)."""

    def run(**kwargs: Any) -> publishing.PublishResult:
        target = publishing.Target(FAKE_REPO, fake_github.api_url, ("sprint",))
        rendered = kwargs.pop("rendered", None) or rendered_of(demo_store, gh_sprint_id)
        return publishing.publish(
            demo_store,
            gh_sprint_id,
            rendered,
            target,
            gh_client,
            **kwargs,
        )

    return run
