"""What a publish would send, without a network (sprintdesk.github.publishing): the parts with
their markers, the write plan against the publish record, and the status line."""

from __future__ import annotations

from datetime import datetime

import pytest

from sprintdesk.github import publishing
from sprintdesk.github.publishing import (
    Outgoing,
    Target,
    Write,
    find_part_marker,
    outgoing_parts,
    part_marker,
    plan_writes,
    publish_status,
    text_hash,
)
from sprintdesk.markdown.render import Part, RenderedPlan, plan_marker
from sprintdesk.plan.model import PublishedPart, Sprint

API = "https://github.example.com/api/v3"
UUID = "0f3e9a4c-1111-2222-3333-444455556666"


def _rendered(*parts: tuple[str, str], title: str = "Sprint 7") -> RenderedPlan:
    return RenderedPlan(title, tuple(Part(key, key, text) for key, text in parts))


PLAN = _rendered(
    ("body", "# Sprint 7\n"),
    ("team:1", "# Team Core\n"),
    ("body#2", "*(continued)*\n"),
    ("team:2", "# Team Web\n"),
)


def test_outgoing_parts_put_the_body_and_its_continuations_first_with_markers() -> None:
    out = outgoing_parts(PLAN, UUID)
    assert [(o.key, o.position) for o in out] == [
        ("body", 0),
        ("body#2", 1),
        ("team:1", 2),
        ("team:2", 3),
    ]
    assert out[0].text == f"# Sprint 7\n\n{plan_marker(UUID)}\n"
    assert out[2].text == f"# Team Core\n\n{part_marker('team:1')}\n"
    assert out[1].text.endswith(part_marker("body#2") + "\n")
    assert out[0].is_body and not out[1].is_body


def test_a_marker_already_there_is_not_added_again() -> None:
    marked = _rendered(
        ("body", f"# S\n\n{plan_marker(UUID)}\n"),
        ("team:1", f"# Team\n{part_marker('team:1')}\n"),
    )
    out = outgoing_parts(marked, UUID)
    assert out[0].text.count("sprintdesk:plan=") == 1
    assert out[1].text.count("sprintdesk:part=") == 1


@pytest.mark.parametrize(
    "parts", [(), (("team:1", "x"),)], ids=["nothing", "a-comment-without-body"]
)
def test_a_plan_must_start_with_its_body(parts: tuple[tuple[str, str], ...]) -> None:
    with pytest.raises(ValueError, match="body"):
        outgoing_parts(_rendered(*parts), UUID)


def test_the_body_hash_covers_the_title_and_a_comment_hash_only_its_text() -> None:
    body = Outgoing("body", "Issue body", "text", 0)
    comment = Outgoing("team:1", "Team", "text", 1)
    assert body.content_hash("A") != body.content_hash("B")
    assert comment.content_hash("A") == comment.content_hash("B") == text_hash("text")
    assert body.content_hash("A") != text_hash("text")


def test_part_markers_and_hashes() -> None:
    assert part_marker("team:3#2") == "<!-- sprintdesk:part=team:3#2 -->"
    assert find_part_marker("x <!--sprintdesk:part=team:3#2--> y") == "team:3#2"
    assert find_part_marker("no marker") is None
    assert find_part_marker(None) is None
    assert text_hash(None) == text_hash("")
    assert len(text_hash("x")) == 64


def _published(**values: object) -> Sprint:
    sprint = Sprint(
        name="S",
        uuid=UUID,
        publish_issue_number=7,
        publish_repo="acme/plans",
        publish_api_url=API,
    )
    for name, value in values.items():
        setattr(sprint, name, value)
    out = outgoing_parts(PLAN, UUID)
    sprint.published_parts = [
        PublishedPart(
            key=o.key,
            position=o.position,
            comment_id=None if o.is_body else 100 + o.position,
            content_hash=o.content_hash(PLAN.title),
        )
        for o in out
    ]
    return sprint


def test_a_first_publish_creates_the_issue_then_a_comment_per_part() -> None:
    sprint = Sprint(name="S", uuid=UUID)
    writes = plan_writes(sprint, PLAN, Target("acme/plans", API))
    assert [(w.action, w.key) for w in writes] == [
        ("create_issue", "body"),
        ("create_comment", "body#2"),
        ("create_comment", "team:1"),
        ("create_comment", "team:2"),
    ]
    assert writes[0].text.endswith(plan_marker(UUID) + "\n")


def test_an_unchanged_plan_plans_no_write_whatever_the_repo_spelling() -> None:
    sprint = _published()
    assert plan_writes(sprint, PLAN, Target("ACME/Plans", API)) == []
    assert plan_writes(sprint, PLAN, Target("acme/plans", API.replace("github", "GITHUB"))) == []


@pytest.mark.parametrize(
    "target",
    [
        Target("acme/other", API),
        Target("acme/plans", "https://other.example.com/api/v3"),
        Target("acme/plans", "https://github.example.com:8443/api/v3"),
    ],
    ids=["another-repository", "another-host", "another-port"],
)
def test_another_target_starts_over(target: Target) -> None:
    writes = plan_writes(_published(), PLAN, target)
    assert [w.action for w in writes] == ["create_issue"] + ["create_comment"] * 3


def test_a_record_without_an_issue_number_starts_over() -> None:
    sprint = _published(publish_issue_number=None)
    assert plan_writes(sprint, PLAN, Target("acme/plans", API))[0].action == "create_issue"


def test_a_record_without_an_api_url_means_github_com() -> None:
    sprint = _published(publish_api_url=None)
    assert plan_writes(sprint, PLAN, Target("acme/plans")) == []
    assert plan_writes(sprint, PLAN, Target("acme/plans", API))[0].action == "create_issue"


def test_changed_parts_are_edited_and_a_new_title_edits_the_body() -> None:
    sprint = _published()
    changed = _rendered(
        ("body", "# Sprint 7\n"),
        ("team:1", "# Team Core, changed\n"),
        ("body#2", "*(continued)*\n"),
        ("team:2", "# Team Web\n"),
        title="Sprint 7 renamed",
    )
    writes = plan_writes(sprint, changed, Target("acme/plans", API))
    assert [(w.action, w.key, w.comment_id) for w in writes] == [
        ("edit_issue", "body", None),
        ("edit_comment", "team:1", 102),
    ]
    assert writes[1].text.startswith("# Team Core, changed")


def test_parts_without_a_record_or_a_comment_id_are_created() -> None:
    sprint = _published()
    sprint.published_parts[2].comment_id = None  # team:1: its comment was never recorded
    del sprint.published_parts[3]  # team:2: no record at all
    sprint.published_parts[0].content_hash = "old"  # the body changed
    writes = plan_writes(sprint, PLAN, Target("acme/plans", API))
    assert [(w.action, w.key) for w in writes] == [
        ("edit_issue", "body"),
        ("create_comment", "team:1"),
        ("create_comment", "team:2"),
    ]


def test_parts_the_plan_no_longer_has_are_deleted_after_the_rest() -> None:
    sprint = _published()
    sprint.published_parts.append(
        PublishedPart(key="team:9", position=9, comment_id=909, content_hash="x")
    )
    sprint.published_parts.append(
        PublishedPart(key="team:8", position=8, comment_id=None, content_hash="x")
    )
    sprint.published_parts[0].content_hash = "old"
    writes = plan_writes(sprint, PLAN, Target("acme/plans", API))
    assert [(w.action, w.key, w.comment_id, w.text) for w in writes] == [
        ("edit_issue", "body", None, outgoing_parts(PLAN, UUID)[0].text),
        ("delete_comment", "team:9", 909, ""),
    ]


def test_each_write_describes_itself() -> None:
    assert [
        Write(action, "team:1").describe()
        for action in (
            "create_issue",
            "edit_issue",
            "create_comment",
            "edit_comment",
            "delete_comment",
        )
    ] == [
        "create the issue",
        "update the issue",
        "add the comment team:1",
        "update the comment team:1",
        "delete the comment team:1",
    ]


def test_the_publish_status_line() -> None:
    assert publish_status(Sprint(name="S")) == ""
    assert publish_status(Sprint(name="S", publish_pending=True)) == "Publish pending"
    assert (
        publish_status(Sprint(name="S", publish_pending=True, publish_error="offline"))
        == "Publish pending: offline"
    )
    assert (
        publish_status(Sprint(name="S", publish_error="refused")) == "Last publish failed: refused"
    )
    done = Sprint(
        name="S",
        publish_issue_url="https://x/acme/plans/issues/7",
        publish_repo="acme/plans",
        publish_issue_number=7,
        published_at=datetime(2026, 3, 2, 9, 5),
    )
    assert publish_status(done) == "Published to acme/plans#7 2026-03-02 09:05"
    done.published_at = None
    assert publish_status(done) == "Published to acme/plans#7"


def test_the_plan_is_rendered_with_room_for_the_markers(store) -> None:
    from sprintdesk.plan.planning import create_sprint

    with store.unit_of_work() as session:
        sprint = create_sprint(session, "S")
        session.flush()
        rendered = publishing.render_for_publish(sprint)
        assert rendered.parts[0].key == "body"
