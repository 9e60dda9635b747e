"""Publishing against the fake GitHub over real HTTP: first publish, updates, conflicts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sprintdesk import github, publishing
from sprintdesk.model import Goal, ItemKind, Sprint, SprintState, TeamItem, TeamPlan
from sprintdesk.store import Store
from tests.conftest import FAKE_REPO as REPO
from tests.conftest import rendered_of, sprint_row


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
    assert sprint.state == SprintState.PUBLISHED.value
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
