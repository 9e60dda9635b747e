"""Publishing against the fake GitHub over real HTTP: first publish, updates, conflicts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sprintdesk.github import client as github
from sprintdesk.github import publishing
from sprintdesk.plan.model import Goal, ItemKind, Sprint, TeamItem, TeamPlan
from sprintdesk.storage.store import Store
from tests.conftest import FAKE_REPO as REPO
from tests.conftest import rendered_of, sprint_row
from tests.pg import db_url  # noqa: F401 - these tests run on SQLite and on PostgreSQL


def rename_first_item(store: Store, gh_sprint_id: int, title: str) -> int:
    with store.unit_of_work() as session:
        plan = session.scalars(
            select(TeamPlan).where(TeamPlan.sprint_id == gh_sprint_id).order_by(TeamPlan.position)
        ).first()
        assert plan is not None
        plan.items.append(TeamItem(kind=ItemKind.HIGH.value, title=title, position=99))
        return plan.team_id


def test_first_publish_sends_one_write_per_part(gh_publish, fake_github, demo_store, gh_sprint_id):
    rendered = rendered_of(demo_store, gh_sprint_id)
    state_before = sprint_row(demo_store, gh_sprint_id).state
    result = gh_publish()

    assert len(fake_github.writes) == len(rendered.parts)
    assert fake_github.writes[0] == ("POST", f"/repos/{REPO}/issues")
    issues = fake_github.issues()
    assert len(issues) == 1
    issue = issues[0]
    assert issue["title"] == rendered.title
    assert [label["name"] for label in issue["labels"]] == ["sprint"]
    comments = fake_github.comments_of(issue["number"])
    assert [publishing.find_part_marker(c["body"]) for c in comments] == [
        p.key for p in rendered.parts[1:]
    ]
    assert result.issue_url == issue["html_url"] and result.created
    sprint = sprint_row(demo_store, gh_sprint_id)
    assert sprint.state == state_before  # publishing is not a meeting state
    assert sprint.published_at is not None
    assert not sprint.publish_pending and sprint.publish_error is None
    assert sprint.publish_issue_number == issue["number"]
    assert sprint.publish_repo == REPO
    records = {p.key: p for p in sprint.published_parts}
    assert records["body"].comment_id is None
    assert [records[c_key].comment_id for c_key in (p.key for p in rendered.parts[1:])] == [
        c["id"] for c in comments
    ]
    assert all(len(r.content_hash) == 64 and r.remote_hash for r in records.values())


def test_unchanged_republish_sends_nothing(gh_publish, fake_github):
    gh_publish()
    fake_github.reset_counts()
    result = gh_publish()
    assert fake_github.requests == []
    assert result.unchanged


def test_changed_team_patches_only_its_comment(gh_publish, fake_github, demo_store, gh_sprint_id):
    gh_publish()
    team_id = rename_first_item(demo_store, gh_sprint_id, "Brand-new item")
    fake_github.reset_counts()
    result = gh_publish()
    assert result.writes_sent == 1
    assert len(fake_github.writes) == 1
    method, path = fake_github.writes[0]
    assert method == "PATCH" and path.startswith(f"/repos/{REPO}/issues/comments/")
    sprint = sprint_row(demo_store, gh_sprint_id)
    record = next(p for p in sprint.published_parts if p.key == f"team:{team_id}")
    assert "Brand-new item" in fake_github.comments[record.comment_id]["body"]
    assert len(fake_github.issues()) == 1


def test_new_and_removed_parts(gh_publish, fake_github, demo_store, gh_sprint_id):
    gh_publish()
    with demo_store.unit_of_work() as session:
        sprint = session.get(Sprint, gh_sprint_id)
        assert sprint is not None
        removed = sprint.team_plans[-1]
        removed_key = f"team:{removed.team_id}"
        sprint.team_plans.remove(removed)
    fake_github.reset_counts()
    gh_publish()
    assert [m for m, _ in fake_github.writes] == ["DELETE"]
    number = fake_github.issues()[0]["number"]
    keys = [publishing.find_part_marker(c["body"]) for c in fake_github.comments_of(number)]
    assert removed_key not in keys
    assert removed_key not in {p.key for p in sprint_row(demo_store, gh_sprint_id).published_parts}


def test_title_change_updates_the_issue(gh_publish, fake_github, demo_store, gh_sprint_id):
    gh_publish()
    with demo_store.unit_of_work() as session:
        sprint = session.get(Sprint, gh_sprint_id)
        assert sprint is not None
        sprint.name = "Renamed sprint"
    fake_github.reset_counts()
    gh_publish()
    assert [m for m, _ in fake_github.writes] == ["PATCH"]
    assert "Renamed sprint" in fake_github.issues()[0]["title"]


def test_comment_edited_on_github_is_a_conflict(gh_publish, fake_github, demo_store, gh_sprint_id):
    gh_publish()
    team_id = rename_first_item(demo_store, gh_sprint_id, "Our change")
    sprint = sprint_row(demo_store, gh_sprint_id)
    record = next(p for p in sprint.published_parts if p.key == f"team:{team_id}")
    fake_github.edit_comment(record.comment_id, "Their change", login="teammate")
    fake_github.reset_counts()

    with pytest.raises(github.PublishConflictError) as caught:
        gh_publish()
    assert caught.value.keys == [f"team:{team_id}"]
    assert fake_github.writes == []
    assert fake_github.comments[record.comment_id]["body"] == "Their change"

    gh_publish(overwrite=True)
    assert "Our change" in fake_github.comments[record.comment_id]["body"]
    assert [m for m, _ in fake_github.writes] == ["PATCH"]


def test_body_edited_on_github_is_a_conflict(gh_publish, fake_github, demo_store, gh_sprint_id):
    gh_publish()
    with demo_store.unit_of_work() as session:
        goal = session.scalars(select(Goal).where(Goal.sprint_id == gh_sprint_id)).first()
        assert goal is not None
        goal.title = "A sharper goal"
    number = fake_github.issues()[0]["number"]
    fake_github.edit_issue_body(number, "Edited by hand on GitHub")
    with pytest.raises(github.PublishConflictError) as caught:
        gh_publish()
    assert caught.value.keys == ["body"]
    assert fake_github.issues()[0]["body"] == "Edited by hand on GitHub"
    assert sprint_row(demo_store, gh_sprint_id).publish_error


def test_remote_edit_of_an_unchanged_part_is_left_alone(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    number = fake_github.issues()[0]["number"]
    first, second = fake_github.comments_of(number)[:2]
    fake_github.edit_comment(second["id"], "Edited on GitHub")
    # Change the first team only: the second's remote edit is not ours to touch.
    sprint = sprint_row(demo_store, gh_sprint_id)
    first_key = next(p.key for p in sprint.published_parts if p.comment_id == first["id"])
    team_id = rename_first_item(demo_store, gh_sprint_id, "Another item")
    assert first_key == f"team:{team_id}"
    gh_publish()
    assert "Another item" in fake_github.comments[first["id"]]["body"]
    assert fake_github.comments[second["id"]]["body"] == "Edited on GitHub"


def test_labels_assignees_and_milestone(demo_store, gh_sprint_id, gh_client, fake_github):
    fake_github.repo().milestones.append(
        {
            "url": f"{fake_github.api_url}/repos/{REPO}/milestones/3",
            "html_url": "",
            "id": 3,
            "number": 3,
            "title": "Q3",
            "state": "open",
            "description": "",
        }
    )
    target = publishing.Target(
        REPO, fake_github.api_url, ("sprint", "planning"), ("ana-souza", "kwame-a"), "Q3"
    )
    rendered = rendered_of(demo_store, gh_sprint_id)
    publishing.publish(demo_store, gh_sprint_id, rendered, target, gh_client)
    issue = fake_github.issues()[0]
    assert [label["name"] for label in issue["labels"]] == ["sprint", "planning"]
    assert [a["login"] for a in issue["assignees"]] == ["ana-souza", "kwame-a"]
    assert issue["milestone"]["number"] == 3


def test_unknown_milestone_is_refused_before_any_write(
    demo_store, gh_sprint_id, gh_client, fake_github
):
    target = publishing.Target(REPO, fake_github.api_url, milestone="Nope")
    with pytest.raises(github.ValidationFailedError, match="no open milestone"):
        publishing.publish(
            demo_store, gh_sprint_id, rendered_of(demo_store, gh_sprint_id), target, gh_client
        )
    assert fake_github.writes == []


def test_publish_status_line(gh_publish, demo_store, gh_sprint_id):
    assert publishing.publish_status(sprint_row(demo_store, gh_sprint_id)) == ""
    gh_publish()
    assert publishing.publish_status(sprint_row(demo_store, gh_sprint_id)).startswith(
        f"Published to {REPO}#1"
    )


def test_validate_repo():
    assert github.validate_repo(" acme/plans ") == "acme/plans"
    assert github.validate_repo("https://github.com/acme/plans.git") == "acme/plans"
    for bad in ("acme", "acme/", "/plans", "a b/c", "acme/plans/extra"):
        with pytest.raises(ValueError, match="owner/name"):
            github.validate_repo(bad)


def test_check_token_reports_login_and_scopes(gh_client, fake_github):
    info = gh_client.check_token()
    assert info.login == fake_github.login
    assert info.scopes == ("repo", "read:org") and info.warning is None
    fake_github.scopes = "read:org, gist"
    assert "neither the repo nor the public_repo" in (gh_client.check_token().warning or "")
    fake_github.scopes = None  # fine-grained tokens send no X-OAuth-Scopes
    info = gh_client.check_token()
    assert info.scopes is None and info.warning is None


def test_comment_deleted_on_github_is_written_again(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    team_id = rename_first_item(demo_store, gh_sprint_id, "After the deletion")
    record = next(
        p
        for p in sprint_row(demo_store, gh_sprint_id).published_parts
        if p.key == f"team:{team_id}"
    )
    with fake_github.lock:
        del fake_github.comments[record.comment_id]
    fake_github.reset_counts()
    gh_publish()
    assert [m for m, _ in fake_github.writes] == ["POST"]
    bodies = [c["body"] for c in fake_github.comments_of(1)]
    assert sum("After the deletion" in b for b in bodies) == 1
    new_record = next(
        p
        for p in sprint_row(demo_store, gh_sprint_id).published_parts
        if p.key == f"team:{team_id}"
    )
    assert new_record.comment_id != record.comment_id


def _team_key(store: Store, sprint_id: int, comment_id: int) -> str:
    return next(
        p.key for p in sprint_row(store, sprint_id).published_parts if p.comment_id == comment_id
    )


def test_overwrite_replaces_github_edits_of_parts_unchanged_in_the_plan(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    number = fake_github.issues()[0]["number"]
    body = fake_github.issues()[0]["body"]
    comment = fake_github.comments_of(number)[1]
    fake_github.edit_issue_body(number, body + "\n\nEdited on GitHub")
    fake_github.edit_comment(comment["id"], "Rewritten on GitHub", login="teammate")
    fake_github.reset_counts()

    plain = gh_publish()  # the plan did not change: GitHub is not even asked
    assert plain.unchanged and not plain.checked_remote and fake_github.requests == []

    result = gh_publish(overwrite=True)
    assert fake_github.issues()[0]["body"] == body
    assert fake_github.comments[comment["id"]]["body"] == comment["body"]
    assert result.checked_remote and result.writes_sent == 2
    assert sorted(fake_github.writes) == [
        ("PATCH", f"/repos/{REPO}/issues/{number}"),
        ("PATCH", f"/repos/{REPO}/issues/comments/{comment['id']}"),
    ]
    # What overwrite reads: the issue and its comment list, nothing per comment.
    reads = [path for method, path in fake_github.requests if method == "GET"]
    assert reads == [f"/repos/{REPO}/issues/{number}", f"/repos/{REPO}/issues/{number}/comments"]

    fake_github.reset_counts()
    again = gh_publish(overwrite=True)  # GitHub matches the plan now: reads, no writes
    assert again.unchanged and again.checked_remote and fake_github.writes == []
    fake_github.reset_counts()
    assert gh_publish().unchanged and fake_github.requests == []


def test_overwrite_writes_again_a_comment_deleted_on_github(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    number = fake_github.issues()[0]["number"]
    gone = fake_github.comments_of(number)[0]
    key = _team_key(demo_store, gh_sprint_id, gone["id"])
    with fake_github.lock:
        del fake_github.comments[gone["id"]]
    fake_github.reset_counts()
    gh_publish(overwrite=True)
    assert [m for m, _ in fake_github.writes] == ["POST"]
    keys = [publishing.find_part_marker(c["body"]) for c in fake_github.comments_of(number)]
    assert sorted(keys, key=str) == sorted(
        p.key for p in rendered_of(demo_store, gh_sprint_id).parts[1:]
    )
    record = next(p for p in sprint_row(demo_store, gh_sprint_id).published_parts if p.key == key)
    assert record.comment_id != gone["id"]
    fake_github.reset_counts()
    assert gh_publish().unchanged and fake_github.requests == []


def test_conflict_names_every_part_edited_on_github(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    gh_publish()
    number = fake_github.issues()[0]["number"]
    original = fake_github.issues()[0]["body"]
    pipeline = next(
        c for c in fake_github.comments_of(number) if c["body"].startswith("# Team Pipeline")
    )
    key = _team_key(demo_store, gh_sprint_id, pipeline["id"])
    fake_github.edit_issue_body(number, original + "\n\nEdited on GitHub")
    fake_github.edit_comment(pipeline["id"], pipeline["body"] + "\n- extra on GitHub\n")
    with demo_store.unit_of_work() as session:  # a change to the body only
        goal = session.scalars(select(Goal).where(Goal.sprint_id == gh_sprint_id)).first()
        assert goal is not None
        goal.title = "A sharper goal"
    fake_github.reset_counts()

    with pytest.raises(github.PublishConflictError) as caught:
        gh_publish()
    error = caught.value
    assert error.keys == ["body", key] and error.pullable == [key]
    assert "the issue body and the Team Pipeline comment" in error.message
    assert "Pull can bring the Team Pipeline comment into the plan first" in error.message
    assert "edits to the issue body cannot be pulled" in error.message
    assert fake_github.writes == []

    gh_publish(overwrite=True)
    body = fake_github.issues()[0]["body"]
    assert "A sharper goal" in body and "Edited on GitHub" not in body
    assert "extra on GitHub" not in fake_github.comments[pipeline["id"]]["body"]


def test_body_only_conflict_does_not_offer_pull(gh_publish, fake_github, demo_store, gh_sprint_id):
    gh_publish()
    number = fake_github.issues()[0]["number"]
    fake_github.edit_issue_body(number, "Edited by hand on GitHub")
    with demo_store.unit_of_work() as session:
        goal = session.scalars(select(Goal).where(Goal.sprint_id == gh_sprint_id)).first()
        assert goal is not None
        goal.title = "A sharper goal"
    with pytest.raises(github.PublishConflictError) as caught:
        gh_publish()
    assert caught.value.keys == ["body"] and caught.value.pullable == []
    assert "cannot be pulled" in caught.value.message and "by hand" in caught.value.message
    assert "pull them into the plan" not in caught.value.message


def test_a_published_draft_can_still_be_met_and_published_again(
    gh_publish, fake_github, demo_store, gh_sprint_id
):
    from sprintdesk.plan.meeting import DRAFT, PLANNED, MeetingClock

    assert sprint_row(demo_store, gh_sprint_id).state == DRAFT
    gh_publish()  # shared ahead of the meeting
    assert sprint_row(demo_store, gh_sprint_id).state == DRAFT
    with demo_store.unit_of_work() as session:
        sprint = session.get(Sprint, gh_sprint_id)
        assert sprint is not None
        clock = MeetingClock(sprint)
        clock.start_meeting()
        assert clock.in_meeting
        clock.end_meeting()
    assert sprint_row(demo_store, gh_sprint_id).state == PLANNED
    rename_first_item(demo_store, gh_sprint_id, "Decided in the meeting")
    fake_github.reset_counts()
    gh_publish()  # the meeting's outcome, to the same issue
    assert [m for m, _ in fake_github.writes] and len(fake_github.issues()) == 1
    assert sprint_row(demo_store, gh_sprint_id).state == PLANNED
