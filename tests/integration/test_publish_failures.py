"""Every failure the publish issue lists, against the fake GitHub: clear errors, no duplicates."""

from __future__ import annotations

import socket
import time

import pytest

from sprintdesk.github import client as github
from sprintdesk.github import publishing
from sprintdesk.markdown.render import Part, RenderedPlan
from sprintdesk.system.secrets import DEFAULT_API_URL
from tests.conftest import FAKE_REPO as REPO
from tests.conftest import rendered_of, sprint_row
from tests.publish_support import COMMENTS, ISSUES, Killed


def assert_published_once(fake, store, sprint_id):
    """One issue, one comment per team part, each part exactly once, record complete."""
    rendered = rendered_of(store, sprint_id)
    issues = fake.issues()
    assert len(issues) == 1
    keys = [publishing.find_part_marker(c["body"]) for c in fake.comments_of(issues[0]["number"])]
    assert keys == [p.key for p in rendered.parts[1:]]
    sprint = sprint_row(store, sprint_id)
    assert not sprint.publish_pending and sprint.publish_error is None
    assert sorted(p.key for p in sprint.published_parts) == sorted(p.key for p in rendered.parts)


def posts(fake, pattern=None):
    import re

    return [
        p for m, p in fake.writes if m == "POST" and (pattern is None or re.fullmatch(pattern, p))
    ]


# --- answers that are refusals: clear message, nothing sent again, draft intact -----------


def test_401_token_rejected(gh_publish, fake_github, demo_store, gh_sprint_id):
    fake_github.token = "another-token"
    with pytest.raises(github.TokenRejectedError, match="rejected the token.*Settings"):
        gh_publish()
    assert fake_github.issues() == []
    sprint = sprint_row(demo_store, gh_sprint_id)
    assert sprint.publish_error and not sprint.publish_pending
    assert sprint.published_at is None


def test_403_without_permission(gh_publish, fake_github):
    fake_github.repo().can_write = False
    with pytest.raises(github.PermissionDeniedError, match="may not write issues in acme/plans"):
        gh_publish()
    assert len(fake_github.writes) == 1  # asked once, not retried


def test_403_rate_limit_with_retry_after(gh_publish, fake_github):
    fake_github.fail(
        "POST",
        ISSUES,
        403,
        headers={"Retry-After": "120"},
        body={
            "message": "You have exceeded a secondary rate limit. Please wait a few minutes before "
            "you try again.",
            "documentation_url": DEFAULT_API_URL,
        },
    )
    with pytest.raises(github.RateLimitedError, match="2 minutes") as caught:
        gh_publish()
    assert 100 < caught.value.wait_seconds <= 120
    assert len(fake_github.requests) == 1  # not retried, no sleeping through it
    # Don't hammer: until the time is up, nothing is sent at all.
    fake_github.reset_counts()
    with pytest.raises(github.RateLimitedError, match="try again in"):
        gh_publish()
    assert fake_github.requests == []
    github.clear_rate_limits()
    gh_publish()
    assert len(fake_github.issues()) == 1


def test_429_rate_limit_with_reset_time(gh_publish, fake_github):
    reset = int(time.time()) + 30 * 60
    fake_github.fail(
        "POST", ISSUES, 429, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
    )
    with pytest.raises(github.RateLimitedError, match="30 minutes") as caught:
        gh_publish()
    assert 25 * 60 < caught.value.wait_seconds <= 30 * 60
    assert github.rate_limit_wait(fake_github.api_url) > 25 * 60
    assert len(fake_github.requests) == 1


def test_primary_rate_limit_403_uses_reset_header(gh_publish, fake_github):
    fake_github.fail(
        "POST",
        ISSUES,
        403,
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 45)},
        body={"message": "API rate limit exceeded for user ID 1."},
    )
    with pytest.raises(github.RateLimitedError, match="seconds"):
        gh_publish()
    assert len(fake_github.requests) == 1


def test_404_repository_not_found(demo_store, gh_sprint_id, gh_client, fake_github):
    target = publishing.Target("acme/missing", fake_github.api_url)
    with pytest.raises(github.RepoNotFoundError, match="acme/missing was not found.*no access"):
        publishing.publish(
            demo_store, gh_sprint_id, rendered_of(demo_store, gh_sprint_id), target, gh_client
        )


def test_410_issues_disabled(gh_publish, fake_github):
    fake_github.repo().issues_enabled = False
    with pytest.raises(github.IssuesDisabledError, match="Issues are disabled on acme/plans"):
        gh_publish()


def test_422_shows_githubs_message(gh_publish, fake_github, demo_store, gh_sprint_id):
    plan = rendered_of(demo_store, gh_sprint_id)
    too_long = RenderedPlan(plan.title, (Part("body", "Issue body", "x" * 70_000), *plan.parts[1:]))
    with pytest.raises(
        github.ValidationFailedError, match="body is too long \\(maximum is 65536 characters\\)"
    ) as caught:
        gh_publish(rendered=too_long)
    assert "Validation Failed" in caught.value.github_message
    assert fake_github.issues() == []
    assert not sprint_row(demo_store, gh_sprint_id).publish_pending


def test_deleted_issue_is_reported(gh_publish, fake_github, demo_store, gh_sprint_id):
    gh_publish()
    fake_github.issues()[0]["_deleted"] = True
    from sqlalchemy import select

    from sprintdesk.plan.model import Goal

    with demo_store.unit_of_work() as session:
        goal = session.scalars(select(Goal).where(Goal.sprint_id == gh_sprint_id)).first()
        goal.title = "Changed"
    with pytest.raises(github.IssueGoneError, match="deleted"):
        gh_publish()


# --- unclear failures: the write may have happened; never a duplicate ----------------------


def test_502_on_create_then_retry_makes_one_issue(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    fake_github.fail("POST", ISSUES, 502)
    with pytest.raises(github.ServerError, match="502"):
        gh_publish()
    assert len(posts(fake_github, ISSUES)) == 1  # a POST is never resent by the client
    sprint = sprint_row(demo_store, gh_sprint_id)
    assert sprint.publish_pending
    assert publishing.publish_status(sprint).startswith("Publish pending")
    gh_publish()
    assert_published_once(fake_github, demo_store, gh_sprint_id)


def test_502_after_github_created_the_issue_adopts_it(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    fake_github.fail("POST", ISSUES, 502, perform=True)
    result = gh_publish()
    assert result.adopted[0] == "body"
    assert len(posts(fake_github, ISSUES)) == 1
    # The marker was looked up with the list endpoint, never search.
    assert ("GET", f"/repos/{REPO}/issues") in fake_github.requests
    assert not any(p.startswith("/search") for _, p in fake_github.requests)
    assert_published_once(fake_github, demo_store, gh_sprint_id)


def test_timeout_on_create_adopts_the_issue(gh_publish, fake_github, demo_store, gh_sprint_id):
    fake_github.fail("POST", ISSUES, mode="slow", delay=1.6)  # the client waits 1 s
    gh_publish()
    assert len(posts(fake_github, ISSUES)) == 1
    assert_published_once(fake_github, demo_store, gh_sprint_id)


def test_connection_dropped_after_create(gh_publish, fake_github, demo_store, gh_sprint_id):
    fake_github.fail("POST", ISSUES, mode="drop")
    result = gh_publish()
    assert "body" in result.adopted
    assert len(posts(fake_github, ISSUES)) == 1
    assert_published_once(fake_github, demo_store, gh_sprint_id)


def test_connection_dropped_after_a_comment(gh_publish, fake_github, demo_store, gh_sprint_id):
    fake_github.fail("POST", COMMENTS, mode="drop")
    rendered = rendered_of(demo_store, gh_sprint_id)
    gh_publish()
    assert len(fake_github.writes) == len(rendered.parts)
    assert_published_once(fake_github, demo_store, gh_sprint_id)


def test_502_on_a_comment_then_retry(gh_publish, fake_github, demo_store, gh_sprint_id):
    failure = fake_github.fail("POST", COMMENTS, 502)
    with pytest.raises(github.ServerError):
        gh_publish()
    assert failure.times == 0
    assert sprint_row(demo_store, gh_sprint_id).publish_pending
    gh_publish()
    assert_published_once(fake_github, demo_store, gh_sprint_id)


def test_reads_are_retried_but_posts_never(gh_publish, fake_github, demo_store, gh_sprint_id):
    gh_publish()
    number = fake_github.issues()[0]["number"]
    fake_github.edit_issue_body(number, fake_github.issues()[0]["body"])  # same text
    from sqlalchemy import select

    from sprintdesk.plan.model import Goal

    with demo_store.unit_of_work() as session:
        session.scalars(select(Goal).where(Goal.sprint_id == gh_sprint_id)).first().title = "G"
    fake_github.fail("GET", rf"{ISSUES}/\d+", 502)
    fake_github.reset_counts()
    gh_publish()  # the conflict check's GET failed once and was retried
    gets = [p for m, p in fake_github.requests if m == "GET"]
    assert gets == [f"{ISSUES}/{number}"] * 2


def test_network_down_marks_publish_pending(demo_store, gh_sprint_id, fake_github):
    with socket.socket() as sock:  # a port with nobody listening
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/api/v3"
    client = github.GitHubClient(
        "token",
        dead,
        timeout=1,
        retries=0,
        seconds_between_writes=None,
        seconds_between_requests=None,
    )
    target = publishing.Target(REPO, dead)
    with pytest.raises(github.NetworkError, match="publish pending"):
        publishing.publish(
            demo_store, gh_sprint_id, rendered_of(demo_store, gh_sprint_id), target, client
        )
    sprint = sprint_row(demo_store, gh_sprint_id)
    assert sprint.publish_pending
    assert publishing.publish_status(sprint).startswith("Publish pending: Cannot reach GitHub")


def test_killed_after_the_body_next_publish_finishes(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    def die_after_body(done: int, total: int, text: str) -> None:
        if done == 2:  # the issue exists and is recorded; the first comment is next
            raise Killed

    rendered = rendered_of(demo_store, gh_sprint_id)
    with pytest.raises(Killed):
        gh_publish(progress=die_after_body)
    sprint = sprint_row(demo_store, gh_sprint_id)
    assert sprint.publish_issue_number == 1 and sprint.publish_pending
    assert [p.key for p in sprint.published_parts] == ["body"]
    fake_github.reset_counts()
    gh_publish()
    assert posts(fake_github, ISSUES) == []
    assert len(posts(fake_github, COMMENTS)) == len(rendered.parts) - 1
    assert_published_once(fake_github, demo_store, gh_sprint_id)


def test_killed_before_the_issue_was_recorded(gh_publish, fake_github, demo_store, gh_sprint_id):
    """The POST reached GitHub, but the app died before it could record the issue."""

    rendered = rendered_of(demo_store, gh_sprint_id)
    body = publishing.outgoing_parts(rendered, sprint_row(demo_store, gh_sprint_id).uuid)[0].text

    def create_then_die(done: int, total: int, text: str) -> None:
        # GitHub carries out the create; this process never sees the answer.
        with fake_github.lock:
            fake_github._create_issue(fake_github.repo(), {"title": rendered.title, "body": body})
        raise Killed

    with pytest.raises(Killed):
        gh_publish(progress=create_then_die)
    assert sprint_row(demo_store, gh_sprint_id).publish_issue_number is None
    assert sprint_row(demo_store, gh_sprint_id).publish_pending
    fake_github.reset_counts()
    gh_publish()
    assert posts(fake_github, ISSUES) == []
    assert_published_once(fake_github, demo_store, gh_sprint_id)
