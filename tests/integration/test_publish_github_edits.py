"""Publishing over edits made on GitHub, against the fake GitHub over real HTTP: what overwrite
reads and rewrites, which edits are a conflict, parts recorded without GitHub's text, comments
adopted by their marker after a kill, and the plan's issue closed on GitHub meanwhile."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from sprintdesk.github import client as github
from sprintdesk.github import publishing
from sprintdesk.plan.model import Goal, ItemKind, PublishedPart, Sprint, TeamItem
from sprintdesk.storage.store import Store
from tests.conftest import FAKE_REPO as REPO
from tests.conftest import rendered_of, sprint_row
from tests.fakegithub import FakeGitHub
from tests.publish_support import COMMENTS, ISSUES, Killed, outgoing_of, record_of, writes_to


def _team_keys(store: Store, sprint_id: int) -> list[str]:
    return [o.key for o in outgoing_of(store, sprint_id) if o.key.startswith("team:")]


def _add_item(store: Store, sprint_id: int, key: str, title: str) -> None:
    """A new high-priority item on the team plan whose part is ``key`` (``team:<team id>``)."""
    team_id = int(key.removeprefix("team:"))
    with store.unit_of_work() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        plan = next(p for p in sprint.team_plans if p.team_id == team_id)
        plan.items.append(TeamItem(kind=ItemKind.HIGH.value, title=title, position=99))


def _rename_goal(store: Store, sprint_id: int, title: str) -> None:
    with store.unit_of_work() as session:
        goal = session.scalars(select(Goal).where(Goal.sprint_id == sprint_id)).first()
        assert goal is not None
        goal.title = title


def _drop_team(store: Store, sprint_id: int, key: str) -> None:
    team_id = int(key.removeprefix("team:"))
    with store.unit_of_work() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        plan = next(p for p in sprint.team_plans if p.team_id == team_id)
        sprint.team_plans.remove(plan)


def _forget_githubs_text(store: Store, sprint_id: int, *keys: str) -> None:
    """As a publish record written before SprintDesk kept the hash of GitHub's text."""
    with store.unit_of_work() as session:
        for record in session.scalars(
            select(PublishedPart).where(
                PublishedPart.sprint_id == sprint_id, PublishedPart.key.in_(keys)
            )
        ):
            record.remote_hash = None


def _comment_of(fake: FakeGitHub, store: Store, sprint_id: int, key: str) -> dict[str, Any]:
    return fake.comments[record_of(store, sprint_id, key).comment_id]


# --- overwrite -------------------------------------------------------------------------------


def test_overwrite_puts_back_an_issue_title_changed_on_github(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    rendered = rendered_of(demo_store, gh_sprint_id)
    body = fake_github.issues()[0]["body"]
    with fake_github.lock:
        fake_github.repo().issues[1]["title"] = "Renamed on GitHub"
    fake_github.reset_counts()
    result = gh_publish(overwrite=True)
    assert fake_github.writes == [("PATCH", f"/repos/{REPO}/issues/1")]
    assert result.writes_sent == 1
    issue = fake_github.issues()[0]
    assert issue["title"] == rendered.title and issue["body"] == body


def test_overwrite_sends_nothing_when_github_already_shows_the_changed_plan(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    first = _team_keys(demo_store, gh_sprint_id)[0]
    _rename_goal(demo_store, gh_sprint_id, "A goal renamed in both places")
    _add_item(demo_store, gh_sprint_id, first, "Written in both places")
    outgoing = {o.key: o for o in outgoing_of(demo_store, gh_sprint_id)}
    # Somebody made the very same edits on GitHub.
    fake_github.edit_issue_body(1, outgoing["body"].text)
    comment = _comment_of(fake_github, demo_store, gh_sprint_id, first)
    fake_github.edit_comment(comment["id"], outgoing[first].text)
    fake_github.reset_counts()
    result = gh_publish(overwrite=True)
    assert result.checked_remote and result.unchanged and fake_github.writes == []
    # The record now says GitHub has the plan as it is: the next publish has nothing to do.
    for key in ("body", first):
        record = record_of(demo_store, gh_sprint_id, key)
        assert record.remote_hash == publishing.text_hash(outgoing[key].text)
    assert record_of(demo_store, gh_sprint_id, first).comment_id == comment["id"]
    fake_github.reset_counts()
    assert gh_publish().unchanged and fake_github.requests == []


def test_overwrite_adopts_a_comment_created_before_a_kill_instead_of_writing_it_twice(
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
    fake_github.reset_counts()
    result = gh_publish(overwrite=True)
    assert result.adopted == [first_team.key]
    assert len(writes_to(fake_github, "POST", COMMENTS)) == len(outgoing) - 2
    keys = [publishing.find_part_marker(c["body"]) for c in fake_github.comments_of(1)]
    assert keys == [o.key for o in outgoing[1:]]  # each part once, in agenda order
    adopted = record_of(demo_store, gh_sprint_id, first_team.key)
    assert adopted.comment_id == fake_github.comments_of(1)[0]["id"]


@pytest.mark.parametrize("overwrite", [False, True], ids=["resumed", "overwrite"])
def test_a_later_copy_of_our_comment_is_not_adopted_in_place_of_ours(
    gh_publish, fake_github, demo_store, gh_sprint_id, overwrite
):
    outgoing = outgoing_of(demo_store, gh_sprint_id)
    first_team = outgoing[1]

    def ours_then_a_teammates_copy_then_kill(done: int, total: int, text: str) -> None:
        if done == 2:
            with fake_github.lock:
                repo = fake_github.repo()
                fake_github._create_comment(repo, repo.issues[1], first_team.text, "octo-lead")
            # A teammate pastes our comment, hidden marker and all, with a remark.
            fake_github.add_comment(1, first_team.text + "\nI'd move this.", login="teammate")
            raise Killed

    with pytest.raises(Killed):
        gh_publish(progress=ours_then_a_teammates_copy_then_kill)
    ours, copy = fake_github.comments_of(1)
    result = gh_publish(overwrite=overwrite)
    assert result.adopted == [first_team.key]
    assert record_of(demo_store, gh_sprint_id, first_team.key).comment_id == ours["id"]
    assert fake_github.comments[copy["id"]]["body"].endswith("I'd move this.")


# --- edits on GitHub that are (or are not) a conflict ------------------------------------------


def test_removing_a_part_whose_comment_was_edited_on_github_is_a_conflict(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    last = _team_keys(demo_store, gh_sprint_id)[-1]
    comment = _comment_of(fake_github, demo_store, gh_sprint_id, last)
    fake_github.edit_comment(comment["id"], comment["body"] + "\n- a note from GitHub\n")
    _drop_team(demo_store, gh_sprint_id, last)
    fake_github.reset_counts()
    with pytest.raises(github.PublishConflictError) as caught:
        gh_publish()
    assert caught.value.keys == [last]
    assert fake_github.writes == []
    assert comment["id"] in fake_github.comments  # the teammate's note is still there
    gh_publish(overwrite=True)
    assert comment["id"] not in fake_github.comments
    assert record_of(demo_store, gh_sprint_id, last) is None


def test_parts_recorded_without_githubs_text_are_updated_without_a_conflict(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    first = _team_keys(demo_store, gh_sprint_id)[0]
    _forget_githubs_text(demo_store, gh_sprint_id, "body", first)
    _rename_goal(demo_store, gh_sprint_id, "A sharper goal")
    _add_item(demo_store, gh_sprint_id, first, "New since the last publish")
    fake_github.reset_counts()
    result = gh_publish()
    assert result.writes_sent == 2
    assert "A sharper goal" in fake_github.issues()[0]["body"]
    comment = _comment_of(fake_github, demo_store, gh_sprint_id, first)
    assert "New since the last publish" in comment["body"]
    # The publish recorded GitHub's text this time.
    assert record_of(demo_store, gh_sprint_id, first).remote_hash == publishing.text_hash(
        comment["body"]
    )


def test_a_part_recorded_without_githubs_text_does_not_hide_an_edit_of_a_later_part(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    first, *_, last = _team_keys(demo_store, gh_sprint_id)
    _forget_githubs_text(demo_store, gh_sprint_id, first)
    _add_item(demo_store, gh_sprint_id, first, "Changed here")
    _add_item(demo_store, gh_sprint_id, last, "Changed here too")
    comment = _comment_of(fake_github, demo_store, gh_sprint_id, last)
    fake_github.edit_comment(comment["id"], comment["body"] + "\n- edited on GitHub\n")
    fake_github.reset_counts()
    with pytest.raises(github.PublishConflictError) as caught:
        gh_publish()
    assert caught.value.keys == [last]
    assert fake_github.writes == []


def test_a_comment_deleted_on_github_does_not_hide_an_edit_of_a_later_part(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    first, *_, last = _team_keys(demo_store, gh_sprint_id)
    _add_item(demo_store, gh_sprint_id, first, "Changed here")
    _add_item(demo_store, gh_sprint_id, last, "Changed here too")
    gone = record_of(demo_store, gh_sprint_id, first).comment_id
    with fake_github.lock:
        del fake_github.comments[gone]
    comment = _comment_of(fake_github, demo_store, gh_sprint_id, last)
    fake_github.edit_comment(comment["id"], comment["body"] + "\n- edited on GitHub\n")
    fake_github.reset_counts()
    with pytest.raises(github.PublishConflictError) as caught:
        gh_publish()
    assert caught.value.keys == [last]
    assert fake_github.writes == []
    # The deleted comment is forgotten: the overwrite writes it anew.
    assert record_of(demo_store, gh_sprint_id, first) is None
    gh_publish(overwrite=True)
    keys = [publishing.find_part_marker(c["body"]) for c in fake_github.comments_of(1)]
    assert sorted(keys, key=str) == sorted(_team_keys(demo_store, gh_sprint_id))


def test_a_comment_deleted_on_github_is_added_again_when_its_part_changes(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    first = _team_keys(demo_store, gh_sprint_id)[0]
    _add_item(demo_store, gh_sprint_id, first, "Changed here")
    gone = record_of(demo_store, gh_sprint_id, first).comment_id
    with fake_github.lock:
        del fake_github.comments[gone]
    fake_github.reset_counts()
    steps: list[tuple[int, int, str]] = []
    result = gh_publish(progress=lambda done, total, text: steps.append((done, total, text)))
    # Not an edit of the deleted comment: a new comment, reported as one.
    assert writes_to(fake_github, "PATCH", rf"{ISSUES}/comments/\d+") == []
    assert len(writes_to(fake_github, "POST", COMMENTS)) == 1 and result.writes_sent == 1
    assert steps == [(1, 1, publishing.Write("create_comment", first).describe())]
    again = record_of(demo_store, gh_sprint_id, first).comment_id
    assert again != gone and "Changed here" in fake_github.comments[again]["body"]


# --- the plan's issue after a kill ---------------------------------------------------------------


def test_the_plans_issue_closed_on_github_after_a_kill_is_adopted_not_created_again(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    rendered = rendered_of(demo_store, gh_sprint_id)
    body = outgoing_of(demo_store, gh_sprint_id)[0].text

    def create_then_die(done: int, total: int, text: str) -> None:
        with fake_github.lock:
            fake_github._create_issue(fake_github.repo(), {"title": rendered.title, "body": body})
        raise Killed

    with pytest.raises(Killed):
        gh_publish(progress=create_then_die)
    with fake_github.lock:
        fake_github.repo().issues[1]["state"] = "closed"  # closed by hand meanwhile
    fake_github.reset_counts()
    result = gh_publish()
    assert result.adopted[0] == "body" and not result.created
    assert writes_to(fake_github, "POST", ISSUES) == []
    assert len(fake_github.issues()) == 1
    assert sprint_row(demo_store, gh_sprint_id).publish_issue_number == 1


# --- what a failed publish leaves behind ---------------------------------------------------------


def test_a_resumed_publish_refused_before_any_write_stays_pending(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    def die_after_the_body(done: int, total: int, text: str) -> None:
        if done == 2:  # the issue exists and is recorded; the first comment is next
            raise Killed

    with pytest.raises(Killed):
        gh_publish(progress=die_after_the_body)
    fake_github.fail("POST", COMMENTS, 422)  # refused: not a failure that retrying mends
    fake_github.reset_counts()
    with pytest.raises(github.ValidationFailedError) as caught:
        gh_publish()
    assert fake_github.comments_of(1) == []
    sprint = sprint_row(demo_store, gh_sprint_id)
    # Still unfinished: the plan's comments are not on GitHub yet.
    assert sprint.publish_pending and sprint.publish_error == caught.value.message


def test_an_update_refused_before_any_write_is_not_left_pending(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    _rename_goal(demo_store, gh_sprint_id, "A sharper goal")
    fake_github.fail("PATCH", rf"{ISSUES}/\d+", 422)
    with pytest.raises(github.ValidationFailedError) as caught:
        gh_publish()
    sprint = sprint_row(demo_store, gh_sprint_id)
    # GitHub still has the last publish complete: a failure to tell, nothing to finish.
    assert not sprint.publish_pending and sprint.publish_error == caught.value.message


def test_an_update_that_fails_after_its_first_write_is_left_pending(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    _rename_goal(demo_store, gh_sprint_id, "A sharper goal")  # the issue body changes
    first = _team_keys(demo_store, gh_sprint_id)[0]
    _add_item(demo_store, gh_sprint_id, first, "Changed here")  # and one comment
    fake_github.reset_counts()
    fake_github.fail("PATCH", rf"{ISSUES}/comments/\d+", 422)
    with pytest.raises(github.ValidationFailedError) as caught:
        gh_publish()
    # The body went out (exactly one write), the comment was refused: GitHub shows half of
    # the new plan, so the publish is unfinished.
    assert writes_to(fake_github, "PATCH", rf"{ISSUES}/\d+") == [f"/repos/{REPO}/issues/1"]
    sprint = sprint_row(demo_store, gh_sprint_id)
    assert sprint.publish_pending and sprint.publish_error == caught.value.message


def test_an_issue_deleted_on_github_before_a_resumed_publish_is_reported_as_gone(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    def die_after_the_body(done: int, total: int, text: str) -> None:
        if done == 2:
            raise Killed

    with pytest.raises(Killed):
        gh_publish(progress=die_after_the_body)
    fake_github.issues()[0]["_deleted"] = True
    fake_github.reset_counts()
    # Looking for the comments an earlier attempt wrote finds the issue gone: the person is
    # offered a new issue, not told the repository is missing.
    with pytest.raises(github.IssueGoneError) as caught:
        gh_publish()
    assert REPO in caught.value.message  # which issue: #1 of acme/plans
    assert fake_github.writes == []


def test_a_repository_gone_during_the_marker_search_is_named(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    fake_github.fail("POST", ISSUES, 502)  # unclear: did GitHub create it? look first
    with pytest.raises(github.ServerError):
        gh_publish()
    fake_github.fail("GET", ISSUES, 404, times=2)  # and its retry
    with pytest.raises(github.RepoNotFoundError) as caught:
        gh_publish()
    assert REPO in caught.value.message


def test_an_unchanged_plan_still_names_its_issue(gh_publish, fake_github):
    first = gh_publish()
    fake_github.reset_counts()
    again = gh_publish()
    assert again.unchanged and fake_github.requests == []
    assert (again.issue_number, again.issue_url) == (first.issue_number, first.issue_url)
    assert again.issue_url == fake_github.issues()[0]["html_url"]


# --- a conflict names every part edited on GitHub -------------------------------------------------


def _edit_on_github(fake: FakeGitHub, store: Store, sprint_id: int, key: str) -> None:
    comment = _comment_of(fake, store, sprint_id, key)
    fake.edit_comment(comment["id"], comment["body"] + "\n- edited on GitHub\n")


def test_a_conflict_also_names_the_body_and_comments_edited_on_github_but_not_in_the_plan(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    first, second, third = _team_keys(demo_store, gh_sprint_id)
    fake_github.edit_issue_body(1, fake_github.issues()[0]["body"] + "\n\nEdited on GitHub")
    with fake_github.lock:  # deleted there: written again, nobody's edit is lost
        del fake_github.comments[record_of(demo_store, gh_sprint_id, first).comment_id]
    _edit_on_github(fake_github, demo_store, gh_sprint_id, second)
    _edit_on_github(fake_github, demo_store, gh_sprint_id, third)
    _add_item(demo_store, gh_sprint_id, third, "Changed here")  # the only change in the plan
    with pytest.raises(github.PublishConflictError) as caught:
        gh_publish()
    assert caught.value.keys == ["body", second, third]


def test_a_part_recorded_without_githubs_text_does_not_hide_later_edits_from_the_conflict(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    _, second, third = _team_keys(demo_store, gh_sprint_id)
    _forget_githubs_text(demo_store, gh_sprint_id, "body")
    _edit_on_github(fake_github, demo_store, gh_sprint_id, second)
    _edit_on_github(fake_github, demo_store, gh_sprint_id, third)
    _add_item(demo_store, gh_sprint_id, third, "Changed here")
    with pytest.raises(github.PublishConflictError) as caught:
        gh_publish()
    assert caught.value.keys == [second, third]


# --- overwrite: progress, records, errors -------------------------------------------------------


def test_overwrite_reports_progress_over_the_writes_it_found(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    _, second, third = _team_keys(demo_store, gh_sprint_id)
    _edit_on_github(fake_github, demo_store, gh_sprint_id, second)
    _edit_on_github(fake_github, demo_store, gh_sprint_id, third)
    seen: list[tuple[int, int]] = []
    gh_publish(overwrite=True, progress=lambda done, total, text: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]


def test_an_overwrite_that_finds_github_matching_leaves_the_record_alone(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    before = {p.key: p.published_at for p in sprint_row(demo_store, gh_sprint_id).published_parts}
    fake_github.reset_counts()
    result = gh_publish(overwrite=True)
    assert result.unchanged and fake_github.writes == []
    after = {p.key: p.published_at for p in sprint_row(demo_store, gh_sprint_id).published_parts}
    assert after == before


def test_an_overwrite_that_finds_the_issue_gone_while_reading_it_says_so(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    fake_github.fail("GET", COMMENTS, 404, times=2)  # and its retry
    with pytest.raises(github.IssueGoneError) as caught:
        gh_publish(overwrite=True)
    assert REPO in caught.value.message


def test_overwrite_records_githubs_text_of_parts_recorded_without_it(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    first = _team_keys(demo_store, gh_sprint_id)[0]
    _forget_githubs_text(demo_store, gh_sprint_id, "body", first)
    with demo_store.unit_of_work() as session:  # as if killed before the body was recorded
        sprint = session.get(Sprint, gh_sprint_id)
        assert sprint is not None
        body = next(p for p in sprint.published_parts if p.key == "body")
        sprint.published_parts.remove(body)
    fake_github.reset_counts()
    result = gh_publish(overwrite=True)
    assert result.unchanged and fake_github.writes == []
    assert record_of(demo_store, gh_sprint_id, "body").remote_hash == publishing.text_hash(
        fake_github.issues()[0]["body"]
    )
    comment = _comment_of(fake_github, demo_store, gh_sprint_id, first)
    assert record_of(demo_store, gh_sprint_id, first).remote_hash == publishing.text_hash(
        comment["body"]
    )
