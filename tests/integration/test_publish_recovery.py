"""Publishing's recovery paths against the fake GitHub over real HTTP: parts the plan no longer
has, comments adopted by their marker after a lost reply, a repository full of other issues,
and the same repository name on another GitHub host."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from sprintdesk.github import client as github
from sprintdesk.github import publishing
from sprintdesk.plan.model import Goal, Sprint
from sprintdesk.storage.store import Store
from tests.conftest import FAKE_REPO as REPO
from tests.conftest import rendered_of, sprint_row
from tests.fakegithub import FakeGitHub
from tests.publish_support import COMMENTS, ISSUES, Killed, outgoing_of, record_of, writes_to


def _drop_last_team(store: Store, sprint_id: int) -> str:
    with store.unit_of_work() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        removed = sprint.team_plans[-1]
        sprint.team_plans.remove(removed)
        return f"team:{removed.team_id}"


def _published_then_part_removed_and_its_comment_deleted(
    gh_publish, fake_github: FakeGitHub, store: Store, sprint_id: int
) -> str:
    """Publish, drop the last team from the plan, and delete its comment on GitHub; the
    request counts start again from there. The removed part's key."""
    gh_publish()
    removed_key = _drop_last_team(store, sprint_id)
    comment_id = record_of(store, sprint_id, removed_key).comment_id
    with fake_github.lock:
        del fake_github.comments[comment_id]
    fake_github.reset_counts()
    return removed_key


def _rename_goal(store: Store, sprint_id: int, title: str) -> None:
    with store.unit_of_work() as session:
        goal = session.scalars(select(Goal).where(Goal.sprint_id == sprint_id)).first()
        assert goal is not None
        goal.title = title


# --- parts the plan no longer has ------------------------------------------------------------


def test_overwrite_deletes_the_comment_of_a_part_the_plan_no_longer_has(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    removed_key = _drop_last_team(demo_store, gh_sprint_id)
    comment_id = record_of(demo_store, gh_sprint_id, removed_key).comment_id
    fake_github.reset_counts()
    result = gh_publish(overwrite=True)
    assert fake_github.writes == [("DELETE", f"/repos/{REPO}/issues/comments/{comment_id}")]
    assert result.writes_sent == 1
    assert comment_id not in fake_github.comments
    assert record_of(demo_store, gh_sprint_id, removed_key) is None
    fake_github.reset_counts()
    assert gh_publish().unchanged and fake_github.requests == []


def test_a_removed_part_whose_comment_was_deleted_on_github_is_just_forgotten(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    removed_key = _published_then_part_removed_and_its_comment_deleted(
        gh_publish, fake_github, demo_store, gh_sprint_id
    )
    result = gh_publish()
    assert fake_github.writes == []  # nothing to delete any more
    assert result.writes_sent == 0
    assert record_of(demo_store, gh_sprint_id, removed_key) is None
    sprint = sprint_row(demo_store, gh_sprint_id)
    assert not sprint.publish_pending and sprint.publish_error is None
    fake_github.reset_counts()
    assert gh_publish().unchanged and fake_github.requests == []


def test_overwrite_forgets_a_removed_part_whose_comment_is_gone(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    removed_key = _published_then_part_removed_and_its_comment_deleted(
        gh_publish, fake_github, demo_store, gh_sprint_id
    )
    result = gh_publish(overwrite=True)
    assert fake_github.writes == []
    assert result.checked_remote and result.unchanged
    assert record_of(demo_store, gh_sprint_id, removed_key) is None
    assert sorted(p.key for p in sprint_row(demo_store, gh_sprint_id).published_parts) == sorted(
        p.key for p in rendered_of(demo_store, gh_sprint_id).parts
    )


def test_a_delete_that_failed_is_sent_again_by_the_next_publish(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    removed_key = _drop_last_team(demo_store, gh_sprint_id)
    _rename_goal(demo_store, gh_sprint_id, "A sharper goal")
    comment_id = record_of(demo_store, gh_sprint_id, removed_key).comment_id
    fake_github.fail("DELETE", r"/repos/.*/issues/comments/\d+", 502, times=2)  # and its retry
    with pytest.raises(github.ServerError):
        gh_publish()
    # The issue edit went through and is recorded; the part to delete is still on record.
    assert "A sharper goal" in fake_github.issues()[0]["body"]
    assert record_of(demo_store, gh_sprint_id, removed_key) is not None
    assert sprint_row(demo_store, gh_sprint_id).publish_pending
    fake_github.reset_counts()
    gh_publish()
    assert fake_github.writes == [("DELETE", f"/repos/{REPO}/issues/comments/{comment_id}")]
    assert record_of(demo_store, gh_sprint_id, removed_key) is None
    assert not sprint_row(demo_store, gh_sprint_id).publish_pending


# --- a lost reply: find by marker, never create twice ------------------------------------------


def test_comments_created_before_a_kill_are_adopted_by_their_marker(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    outgoing = outgoing_of(demo_store, gh_sprint_id)
    first_team = outgoing[1]

    def die_after_the_first_comment_reached_github(done: int, total: int, text: str) -> None:
        if done == 2:  # the issue is recorded; the first comment's POST is under way
            with fake_github.lock:
                repo = fake_github.repo()
                fake_github._create_comment(repo, repo.issues[1], first_team.text, "octo-lead")
            raise Killed

    with pytest.raises(Killed):
        gh_publish(progress=die_after_the_first_comment_reached_github)
    assert [p.key for p in sprint_row(demo_store, gh_sprint_id).published_parts] == ["body"]
    fake_github.reset_counts()
    result = gh_publish()
    assert result.adopted == [first_team.key]
    assert len(writes_to(fake_github, "POST", COMMENTS)) == len(outgoing) - 2
    keys = [publishing.find_part_marker(c["body"]) for c in fake_github.comments_of(1)]
    assert keys == [o.key for o in outgoing[1:]]  # each part once, in agenda order
    adopted = record_of(demo_store, gh_sprint_id, first_team.key)
    assert adopted.comment_id == fake_github.comments_of(1)[0]["id"]


def test_an_adopted_comment_of_an_older_draft_is_brought_up_to_date(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    outgoing = outgoing_of(demo_store, gh_sprint_id)
    first_team = outgoing[1]
    stale = first_team.text.replace("# Team", "# Old draft of Team", 1)

    def die_after_a_stale_comment(done: int, total: int, text: str) -> None:
        if done == 2:
            with fake_github.lock:
                repo = fake_github.repo()
                fake_github._create_comment(repo, repo.issues[1], stale, "octo-lead")
            raise Killed

    with pytest.raises(Killed):
        gh_publish(progress=die_after_a_stale_comment)
    fake_github.reset_counts()
    result = gh_publish()
    assert first_team.key in result.adopted
    comment = fake_github.comments_of(1)[0]
    assert comment["body"] == first_team.text
    assert writes_to(fake_github, "PATCH", rf"/repos/{REPO}/issues/comments/{comment['id']}")
    assert len(fake_github.comments_of(1)) == len(outgoing) - 1


def test_an_issue_and_a_comment_created_before_a_kill_are_both_adopted(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    rendered = rendered_of(demo_store, gh_sprint_id)
    outgoing = outgoing_of(demo_store, gh_sprint_id)

    def create_both_then_die(done: int, total: int, text: str) -> None:
        with fake_github.lock:
            repo = fake_github.repo()
            issue = fake_github._create_issue(
                repo, {"title": rendered.title, "body": outgoing[0].text}
            )
            fake_github._create_comment(repo, issue, outgoing[1].text, "octo-lead")
        raise Killed

    with pytest.raises(Killed):
        gh_publish(progress=create_both_then_die)
    fake_github.reset_counts()
    result = gh_publish()
    assert result.adopted == ["body", outgoing[1].key]
    assert not result.created
    assert writes_to(fake_github, "POST", ISSUES) == []
    assert writes_to(fake_github, "PATCH", r".*") == []  # both were already up to date
    assert len(writes_to(fake_github, "POST", COMMENTS)) == len(outgoing) - 2
    assert result.writes_sent == len(outgoing) - 2


def test_an_adopted_issue_of_an_older_draft_gets_the_current_title_and_body(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    rendered = rendered_of(demo_store, gh_sprint_id)
    body = outgoing_of(demo_store, gh_sprint_id)[0].text

    def create_old_then_die(done: int, total: int, text: str) -> None:
        with fake_github.lock:
            fake_github._create_issue(fake_github.repo(), {"title": "Old title", "body": body})
        raise Killed

    with pytest.raises(Killed):
        gh_publish(progress=create_old_then_die)
    fake_github.reset_counts()
    result = gh_publish()
    assert result.adopted[0] == "body" and not result.created
    issue = fake_github.issues()[0]
    assert issue["title"] == rendered.title and issue["body"] == body
    assert writes_to(fake_github, "PATCH", rf"{ISSUES}/1") == [f"/repos/{REPO}/issues/1"]
    assert len(fake_github.issues()) == 1


def test_a_first_publish_that_was_never_interrupted_does_not_search(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    result = gh_publish()
    assert result.created and result.adopted == []
    reads = [p for m, p in fake_github.requests if m == "GET"]
    assert f"/repos/{REPO}/issues" not in reads  # no marker search without a reason
    assert not any(p.endswith("/comments") for p in reads)


# --- a repository holding other issues ------------------------------------------------------


def _other_issue(fake: FakeGitHub, title: str, body: str | None, **extra: Any) -> dict[str, Any]:
    with fake.lock:
        issue = fake._create_issue(fake.repo(), {"title": title, "body": body})
        issue.update(extra)
        return issue


def _fail_create_after_it_happened(fake: FakeGitHub) -> None:
    fake.fail("POST", ISSUES, 502, perform=True)


def test_an_unrelated_issue_is_never_adopted(gh_publish, fake_github, demo_store, gh_sprint_id):
    from sprintdesk.markdown.render import plan_marker

    uuid = sprint_row(demo_store, gh_sprint_id).uuid
    outgoing = outgoing_of(demo_store, gh_sprint_id)
    _other_issue(fake_github, "Bug report", "Nothing to do with planning")
    _other_issue(fake_github, "Another plan", f"text\n\n{plan_marker('0000-other-plan')}\n")
    _other_issue(fake_github, "Empty", None)
    # A pull request quoting our marker is no issue of ours.
    _other_issue(
        fake_github,
        "PR",
        outgoing[0].text,
        pull_request={"url": f"{fake_github.api_url}/repos/{REPO}/pulls/4"},
    )
    fake_github.fail("POST", ISSUES, 502)  # unclear: did GitHub create it? look first
    with pytest.raises(github.ServerError):
        gh_publish()
    fake_github.reset_counts()
    result = gh_publish()
    assert result.created and result.adopted == []
    assert len(writes_to(fake_github, "POST", ISSUES)) == 1
    ours = fake_github.issues()[-1]
    assert ours["number"] == 5 == sprint_row(demo_store, gh_sprint_id).publish_issue_number
    assert publishing.find_part_marker(ours["body"]) is None
    assert f"sprintdesk:plan={uuid}" in ours["body"]
    assert fake_github.issues()[1]["body"].endswith("-->\n")  # the other plan is untouched
    assert all(fake_github.comments_of(n) == [] for n in (1, 2, 3, 4))


def test_after_a_lost_reply_the_plans_own_issue_is_found_among_others(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    _other_issue(fake_github, "Bug report", "Nothing to do with planning")
    _fail_create_after_it_happened(fake_github)
    result = gh_publish()
    assert result.adopted[0] == "body"
    _other_issue(fake_github, "Later bug", "More")
    assert sprint_row(demo_store, gh_sprint_id).publish_issue_number == 2
    assert len(fake_github.comments_of(2)) == len(rendered_of(demo_store, gh_sprint_id).parts) - 1
    assert fake_github.comments_of(1) == []


def test_only_the_most_recent_issues_are_searched_for_the_marker(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    body = outgoing_of(demo_store, gh_sprint_id)[0].text
    rendered = rendered_of(demo_store, gh_sprint_id)
    fake_github.fail("POST", ISSUES, 502)
    with pytest.raises(github.ServerError):
        gh_publish()
    # Our issue exists after all, but a hundred newer ones came after it.
    _other_issue(fake_github, rendered.title, body)
    for i in range(publishing.MARKER_SEARCH_LIMIT):
        _other_issue(fake_github, f"Issue {i}", "busy repository")
    fake_github.reset_counts()
    result = gh_publish()
    assert result.created and result.adopted == []
    assert sprint_row(demo_store, gh_sprint_id).publish_issue_number == 102
    pages = [p for m, p in fake_github.requests if m == "GET" and p == f"/repos/{REPO}/issues"]
    assert 1 <= len(pages) <= 4  # the list was read page by page, up to the limit


def test_one_more_recent_issue_than_the_limit_still_finds_ours(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    body = outgoing_of(demo_store, gh_sprint_id)[0].text
    rendered = rendered_of(demo_store, gh_sprint_id)
    fake_github.fail("POST", ISSUES, 502)
    with pytest.raises(github.ServerError):
        gh_publish()
    _other_issue(fake_github, rendered.title, body)
    for i in range(publishing.MARKER_SEARCH_LIMIT - 1):
        _other_issue(fake_github, f"Issue {i}", "busy repository")
    result = gh_publish()
    assert result.adopted[0] == "body" and not result.created
    assert sprint_row(demo_store, gh_sprint_id).publish_issue_number == 1


def test_a_teammates_comment_on_the_issue_is_never_taken_for_a_part(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    outgoing = outgoing_of(demo_store, gh_sprint_id)

    def teammate_comments_then_kill(done: int, total: int, text: str) -> None:
        if done == 2:
            fake_github.add_comment(1, "Looks good! (no marker here)", login="teammate")
            fake_github.add_comment(
                1, f"quoting: {publishing.part_marker('team:999')}", login="teammate"
            )
            raise Killed

    with pytest.raises(Killed):
        gh_publish(progress=teammate_comments_then_kill)
    result = gh_publish()
    assert result.adopted == []
    bodies = [c["body"] for c in fake_github.comments_of(1)]
    assert bodies[:2] == [
        "Looks good! (no marker here)",
        f"quoting: {publishing.part_marker('team:999')}",
    ]
    assert bodies[2:] == [o.text for o in outgoing[1:]]


# --- the same repository name on another host ----------------------------------------------


@pytest.fixture
def other_host():
    with FakeGitHub() as fake:
        yield fake


def _client(fake: FakeGitHub) -> github.GitHubClient:
    return github.GitHubClient(
        fake.token,
        fake.api_url,
        timeout=1,
        retries=1,
        backoff=0,
        seconds_between_writes=None,
        seconds_between_requests=None,
    )


def test_the_same_repository_on_another_host_gets_its_own_issue(
    gh_publish, fake_github, other_host, demo_store, gh_sprint_id
):
    gh_publish()
    first = sprint_row(demo_store, gh_sprint_id)
    assert first.publish_api_url == fake_github.api_url
    client = _client(other_host)
    try:
        target = publishing.Target(REPO, other_host.api_url)
        rendered = rendered_of(demo_store, gh_sprint_id)
        sprint = sprint_row(demo_store, gh_sprint_id)
        planned = publishing.plan_writes(sprint, rendered, target)
        assert [w.action for w in planned] == ["create_issue"] + ["create_comment"] * (
            len(rendered.parts) - 1
        )
        result = publishing.publish(demo_store, gh_sprint_id, rendered, target, client)
    finally:
        client.close()
    assert result.created
    assert len(other_host.issues()) == 1
    assert len(other_host.comments_of(1)) == len(rendered.parts) - 1
    sprint = sprint_row(demo_store, gh_sprint_id)
    assert sprint.publish_api_url == other_host.api_url
    assert sprint.publish_issue_url == other_host.issues()[0]["html_url"]
    ids = {p.comment_id for p in sprint.published_parts if p.comment_id is not None}
    assert ids == {c["id"] for c in other_host.comments_of(1)}
    # The first host's issue was left alone.
    assert len(fake_github.issues()) == 1
    assert len(fake_github.comments_of(1)) == len(rendered.parts) - 1


def test_the_same_repository_on_the_same_host_is_recognised_whatever_the_spelling(
    gh_publish, fake_github, demo_store, gh_sprint_id, gh_client
):
    gh_publish()
    fake_github.reset_counts()
    target = publishing.Target("ACME/Plans", fake_github.api_url + "/")
    rendered = rendered_of(demo_store, gh_sprint_id)
    assert publishing.plan_writes(sprint_row(demo_store, gh_sprint_id), rendered, target) == []
    result = publishing.publish(demo_store, gh_sprint_id, rendered, target, gh_client)
    assert result.unchanged and fake_github.requests == []


def test_another_repository_on_the_same_host_gets_its_own_issue(
    gh_publish, fake_github, demo_store, gh_sprint_id, gh_client
):
    gh_publish()
    fake_github.add_repo("acme", "other")
    target = publishing.Target("acme/other", fake_github.api_url)
    rendered = rendered_of(demo_store, gh_sprint_id)
    result = publishing.publish(demo_store, gh_sprint_id, rendered, target, gh_client)
    assert result.created
    assert len(fake_github.issues("acme/other")) == 1
    sprint = sprint_row(demo_store, gh_sprint_id)
    assert sprint.publish_repo == "acme/other"
    assert len(sprint.published_parts) == len(rendered.parts)


# --- what a publish reports and records ----------------------------------------------------


def test_progress_counts_every_write_in_order(gh_publish, demo_store, gh_sprint_id):
    outgoing = outgoing_of(demo_store, gh_sprint_id)
    seen: list[tuple[int, int, str]] = []
    result = gh_publish(progress=lambda done, total, text: seen.append((done, total, text)))
    count = len(outgoing)
    assert seen == [(1, count, "create the issue")] + [
        (i, count, f"add the comment {o.key}") for i, o in enumerate(outgoing[1:], 2)
    ]
    assert result.writes_sent == count and result.created and not result.unchanged
    assert result.issue_number == 1 and result.issue_url.endswith(f"/{REPO}/issues/1")


def test_a_conflict_leaves_the_publish_pending_with_its_reason(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    fake_github.edit_issue_body(1, "Edited on GitHub")
    _rename_goal(demo_store, gh_sprint_id, "A sharper goal")
    with pytest.raises(github.PublishConflictError) as caught:
        gh_publish()
    sprint = sprint_row(demo_store, gh_sprint_id)
    assert sprint.publish_pending and sprint.publish_error == caught.value.message


def test_a_refusal_after_some_writes_leaves_the_publish_pending(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    fake_github.fail("POST", COMMENTS, 422, after=1)  # the second comment is refused
    with pytest.raises(github.ValidationFailedError):
        gh_publish()
    sprint = sprint_row(demo_store, gh_sprint_id)
    assert sprint.publish_pending and sprint.publish_error
    assert sprint.published_at is None


def test_an_unchanged_plan_after_a_failed_attempt_clears_the_failure(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    with demo_store.unit_of_work() as session:
        sprint = session.get(Sprint, gh_sprint_id)
        assert sprint is not None
        sprint.publish_pending, sprint.publish_error, sprint.state = True, "offline", "planned"
    fake_github.reset_counts()
    result = gh_publish()
    assert result.unchanged and fake_github.requests == []
    sprint = sprint_row(demo_store, gh_sprint_id)
    # The failure is cleared; the meeting's state is publishing's to leave alone.
    assert (sprint.publish_pending, sprint.publish_error, sprint.state) == (
        False,
        None,
        "planned",
    )


def test_a_published_plan_is_marked_published_with_its_time(gh_publish, demo_store, gh_sprint_id):
    gh_publish()
    sprint = sprint_row(demo_store, gh_sprint_id)
    # Published is its own fact: the draft stays a draft until its meeting runs.
    assert sprint.state == "draft" and sprint.published_at is not None
    assert sprint.publish_repo == REPO
    assert all(p.remote_hash for p in sprint.published_parts)
    body = next(p for p in sprint.published_parts if p.key == "body")
    assert (body.position, body.comment_id) == (0, None)
    positions = sorted(p.position for p in sprint.published_parts)
    assert positions == list(range(len(positions)))


def test_no_labels_and_a_milestone_by_number(demo_store, gh_sprint_id, gh_client, fake_github):
    fake_github.repo().milestones.append(
        {
            "url": f"{fake_github.api_url}/repos/{REPO}/milestones/4",
            "html_url": "",
            "id": 4,
            "number": 4,
            "title": "Sprint 4",
            "state": "open",
            "description": "",
        }
    )
    target = publishing.Target(REPO, fake_github.api_url, (), (), " 4 ")
    publishing.publish(
        demo_store, gh_sprint_id, rendered_of(demo_store, gh_sprint_id), target, gh_client
    )
    issue = fake_github.issues()[0]
    assert issue["labels"] == [] and issue["assignees"] == []
    assert issue["milestone"]["number"] == 4


def test_a_sprint_that_no_longer_exists_is_refused(demo_store, gh_client, fake_github):
    from sprintdesk.markdown.render import RenderedPlan

    rendered = RenderedPlan("Sprint", ())  # never read: the sprint is looked up first
    with pytest.raises(github.PublishError, match="no longer exists"):
        publishing.publish(
            demo_store, 9999, rendered, publishing.Target(REPO, fake_github.api_url), gh_client
        )
    assert fake_github.requests == []


def test_an_api_url_with_a_trailing_slash_is_the_same_host(
    gh_publish, fake_github, demo_store, gh_sprint_id, gh_client
):
    target = publishing.Target(f" {REPO} ", fake_github.api_url + "/")
    rendered = rendered_of(demo_store, gh_sprint_id)
    publishing.publish(demo_store, gh_sprint_id, rendered, target, gh_client)
    sprint = sprint_row(demo_store, gh_sprint_id)
    assert sprint.publish_api_url == fake_github.api_url and sprint.publish_repo == REPO


def test_forgetting_a_deleted_issue_publishes_a_new_one(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    fake_github.issues()[0]["_deleted"] = True
    with demo_store.unit_of_work() as session:
        sprint = session.get(Sprint, gh_sprint_id)
        assert sprint is not None
        sprint.publish_pending, sprint.publish_error = True, "deleted"
    publishing.forget_published_issue(demo_store, gh_sprint_id)
    sprint = sprint_row(demo_store, gh_sprint_id)
    assert (sprint.publish_issue_number, sprint.publish_issue_url) == (None, None)
    assert sprint.published_parts == []
    assert (sprint.publish_pending, sprint.publish_error) == (False, None)
    result = gh_publish()
    assert result.created and result.issue_number == 2
