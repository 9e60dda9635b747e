"""Pull from GitHub: team sections edited or written on the issue come back into the plan."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sprintdesk.github import client as github
from sprintdesk.github import publishing
from sprintdesk.github.pull import apply_pull, pull_preview
from sprintdesk.plan.model import Sprint, TeamItem, TeamPlan
from tests.conftest import FAKE_REPO, sprint_row


def team_comment(fake, store, sprint_id, index=0):
    sprint = sprint_row(store, sprint_id)
    records = sorted((p for p in sprint.published_parts if p.comment_id), key=lambda p: p.position)
    record = records[index]
    return record, fake.comments[record.comment_id]


def add_line_on_github(fake, comment_id, line):
    body = fake.comments[comment_id]["body"]
    marker_at = body.index("<!-- sprintdesk:part=")
    fake.edit_comment(
        comment_id,
        body[:marker_at].rstrip("\n") + f"\n{line}\n\n" + body[marker_at:],
        login="tomasz",
    )


def test_nothing_to_pull_after_a_publish(
    gh_publish, demo_store, gh_sprint_id, gh_client, fake_github
):
    gh_publish()
    fake_github.reset_counts()
    preview = pull_preview(demo_store, gh_sprint_id, gh_client)
    assert preview.changes == [] and preview.skipped == []
    assert fake_github.writes == []


def test_pull_an_edited_team_comment(gh_publish, demo_store, gh_sprint_id, gh_client, fake_github):
    gh_publish()
    record, comment = team_comment(fake_github, demo_store, gh_sprint_id)
    add_line_on_github(fake_github, comment["id"], "- Fix the flaky deploy @jun")

    preview = pull_preview(demo_store, gh_sprint_id, gh_client)
    assert len(preview.changes) == 1
    pull = preview.changes[0]
    assert pull.source == "edited on GitHub"
    assert any("added “Fix the flaky deploy”" in change for change in pull.changes)
    assert any("Fix the flaky deploy" in line for line in preview.describe())
    # Nothing changed yet: the preview only looked.
    with demo_store.session() as session:
        assert (
            session.scalar(select(TeamItem).where(TeamItem.title == "Fix the flaky deploy")) is None
        )

    applied = apply_pull(demo_store, gh_sprint_id, preview)
    assert applied == list(pull.changes)
    with demo_store.session() as session:
        item = session.scalar(select(TeamItem).where(TeamItem.title == "Fix the flaky deploy"))
        assert item is not None and item.owner is not None and item.owner.github_login == "jun"
        assert session.get(TeamPlan, item.team_plan_id).team_id == int(record.key.split(":")[1])

    # GitHub's text is the new baseline: publishing now is an update, not a conflict.
    fake_github.reset_counts()
    gh_publish()
    assert [m for m, _ in fake_github.writes] == ["PATCH"]
    assert "Fix the flaky deploy" in fake_github.comments[comment["id"]]["body"]
    assert pull_preview(demo_store, gh_sprint_id, gh_client).changes == []


def test_publish_after_a_pull_sends_nothing_github_already_has(
    gh_publish, demo_store, gh_sprint_id, gh_client, fake_github
):
    """Issue 14 item 17: a pull whose text renders back exactly as written on GitHub leaves
    nothing to send; a later change in the plan is still sent."""
    gh_publish()
    record, comment = team_comment(fake_github, demo_store, gh_sprint_id)
    body = comment["body"]
    anchor = "### High priority\n\n"
    at = body.rindex(anchor) + len(anchor)  # the plan's list, not last sprint's retro
    # Written on GitHub in the plan's own form: the render after the pull is the same text.
    fake_github.edit_comment(
        comment["id"], body[:at] + "- Fix the flaky deploy @jun\n" + body[at:], login="tomasz"
    )
    on_github = fake_github.comments[comment["id"]]["body"]
    preview = pull_preview(demo_store, gh_sprint_id, gh_client)
    assert len(preview.changes) == 1
    apply_pull(demo_store, gh_sprint_id, preview)
    with demo_store.session() as session:
        sprint = session.get(Sprint, gh_sprint_id)
        rendered = publishing.render_for_publish(sprint)
        outgoing = publishing.outgoing_parts(rendered, sprint.uuid)
        assert next(o for o in outgoing if o.key == record.key).text == on_github
        # The publish dialog's list of what will be sent is empty too.
        target = publishing.Target(FAKE_REPO, fake_github.api_url)
        assert publishing.plan_writes(sprint, rendered, target) == []

    fake_github.reset_counts()
    result = gh_publish()
    assert fake_github.requests == []  # no PATCH of GitHub's own text, not even a read
    assert result.unchanged
    assert fake_github.comments[comment["id"]]["body"] == on_github
    assert not sprint_row(demo_store, gh_sprint_id).publish_pending

    # The record moved with the plan: taking the item out again (the plan as first published)
    # is a change to send, one PATCH, not a conflict.
    with demo_store.unit_of_work() as session:
        item = session.scalar(select(TeamItem).where(TeamItem.title == "Fix the flaky deploy"))
        session.delete(item)
    fake_github.reset_counts()
    gh_publish()
    assert fake_github.writes == [("PATCH", f"/repos/{FAKE_REPO}/issues/comments/{comment['id']}")]
    assert fake_github.comments[comment["id"]]["body"] == body


def test_pull_first_resolves_a_conflict(
    gh_publish, demo_store, gh_sprint_id, gh_client, fake_github
):
    gh_publish()
    _, comment = team_comment(fake_github, demo_store, gh_sprint_id)
    add_line_on_github(fake_github, comment["id"], "- Fix the flaky deploy @jun")
    with demo_store.unit_of_work() as session:
        plan = session.scalars(
            select(TeamPlan).where(TeamPlan.sprint_id == gh_sprint_id).order_by(TeamPlan.position)
        ).first()
        plan.other_teams_impacted = "Billing waits for the replay tool"
    with pytest.raises(github.PublishConflictError):
        gh_publish()
    apply_pull(demo_store, gh_sprint_id, pull_preview(demo_store, gh_sprint_id, gh_client))
    gh_publish()
    body = fake_github.comments[comment["id"]]["body"]
    assert "Fix the flaky deploy" in body


def test_pull_a_section_someone_wrote(gh_publish, demo_store, gh_sprint_id, gh_client, fake_github):
    gh_publish()
    number = fake_github.issues()[0]["number"]
    fake_github.add_comment(number, "Looks good to me!", login="dee-pm")
    fake_github.add_comment(
        number,
        "## Team Billing\n\n### High priority\n\n- Ship the dunning emails @lena.k\n",
        login="lena.k",
    )
    preview = pull_preview(demo_store, gh_sprint_id, gh_client)
    assert [p.team_name for p in preview.changes] == ["Billing"]
    assert preview.changes[0].source == "written by @lena.k"
    assert any("Ship the dunning emails" in c for c in preview.changes[0].changes)


def test_pull_reports_github_errors(gh_publish, demo_store, gh_sprint_id, gh_client, fake_github):
    gh_publish()
    fake_github.token = "revoked"
    with pytest.raises(github.TokenRejectedError):
        pull_preview(demo_store, gh_sprint_id, gh_client)


def test_pull_before_publish_is_refused(demo_store, gh_sprint_id, gh_client):
    with pytest.raises(github.PublishError, match="not been published"):
        pull_preview(demo_store, gh_sprint_id, gh_client)


def test_an_edited_issue_body_is_reported_not_pulled(
    gh_publish, demo_store, gh_sprint_id, gh_client, fake_github
):
    gh_publish()
    assert not pull_preview(demo_store, gh_sprint_id, gh_client).body_edited
    fake_github.edit_issue_body(1, fake_github.issues()[0]["body"] + "\n\nEdited on GitHub")
    preview = pull_preview(demo_store, gh_sprint_id, gh_client)
    assert preview.changes == [] and preview.body_edited
    assert preview.describe() == [preview.BODY_NOTE]
    assert "publish --overwrite" in preview.BODY_NOTE and "by hand" in preview.BODY_NOTE
