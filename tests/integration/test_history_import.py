"""``import-github``: a repository of real sprint posts (the corpus) as issues and comments on
the fake GitHub, imported as the sprint history: linked in date order, idempotent, resumable,
with the minimum number of requests."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sprintdesk.github import client as github
from sprintdesk.github.history_import import import_history
from sprintdesk.plan.model import Sprint
from sprintdesk.storage.store import Store
from tests.conftest import FAKE_REPO
from tests.fakegithub import FakeGitHub
from tests.integration.test_publish_cli import cli_env, run

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"


def post(name: str) -> str:
    return next(CORPUS.glob(f"{name}_*.md")).read_text(encoding="utf-8")


def seed(fake: FakeGitHub) -> None:
    """Three sprints filed out of order, an empty template, an unlabelled issue, a closed one."""
    fake.seed_issue(
        "Sprint 1.45.1 2/2 - Feb 20 to March 3",
        post("08"),
        created_at="2023-02-15T09:00:00Z",
        comments=(post("09"), "LGTM, thanks!"),
        state="closed",
    )
    fake.seed_issue(
        "Sprint - Nov 11 to Nov 22",
        post("16"),
        created_at="2024-11-08T09:00:00Z",
        comments=(post("17"),),
    )
    fake.seed_issue(
        "Sprint 1.44.0 1/2 - Jan 9 to Jan 20",
        post("07"),
        created_at="2023-01-05T09:00:00Z",
        state="closed",
    )
    fake.seed_issue("Sprint 1.n.0 m/2 - Jan 1 to Jan 12", "```\n# Team ___\n```\n")
    fake.seed_issue("Fix the login page", "The button is broken.", labels=("bug",))


def sprints(store: Store) -> list[Sprint]:
    with store.session() as session:
        found = list(session.scalars(select(Sprint).where(Sprint.publish_repo == FAKE_REPO)))
        for sprint in found:
            list(sprint.team_plans)
            for plan in sprint.team_plans:
                _ = plan.team.name
        return found


def test_issues_become_sprints_linked_in_date_order(store, fake_github, gh_client) -> None:
    seed(fake_github)
    report = import_history(store, gh_client, FAKE_REPO)
    assert [e["issue"] for e in report.imported] == [3, 1, 2]  # oldest first
    assert report.skipped == [{"issue": 4, "why": "only an empty template"}]
    assert report.requests == 1 + 2  # one listing; comments of the two issues that have some
    by_issue = {s.publish_issue_number: s for s in sprints(store)}
    assert set(by_issue) == {1, 2, 3}
    first, second, third = by_issue[3], by_issue[1], by_issue[2]
    assert (first.previous_id, second.previous_id, third.previous_id) == (
        None,
        first.id,
        second.id,
    )
    # Dates without a year are read against the issue's creation date.
    assert (second.start.isoformat(), second.end.isoformat()) == ("2023-02-20", "2023-03-03")
    assert (third.start.isoformat(), third.end.isoformat()) == ("2024-11-11", "2024-11-22")
    # One comment per team section; chatter in other comments is no team.
    assert [p.team.name for p in second.team_plans] == ["Product Analytics"]
    assert [p.team.name for p in third.team_plans] == ["Crabs Ducks Pigeons"]


def test_running_again_imports_only_new_and_edited_issues(store, fake_github, gh_client) -> None:
    seed(fake_github)
    first = import_history(store, gh_client, FAKE_REPO)
    again = import_history(store, gh_client, FAKE_REPO)
    assert (again.imported, again.updated, again.unchanged) == ([], [], 3)
    assert again.requests == 1  # the listing only: nothing new, nothing edited
    fake_github.edit_issue_body(1, post("08") + "\n\n## Retro: What can we do better?\n\n1. X\n")
    fake_github.seed_issue(
        "Sprint 1.46 - Mar 6 to Mar 17", post("11"), created_at="2023-03-02T09:00:00Z"
    )
    third = import_history(store, gh_client, FAKE_REPO)
    assert [e["issue"] for e in third.updated] == [1]
    assert [e["issue"] for e in third.imported] == [6]
    rows = sprints(store)
    assert sorted(s.publish_issue_number or 0 for s in rows) == [1, 2, 3, 6]  # never duplicated
    assert len(first.imported) == 3
    ordered = sorted(rows, key=lambda s: s.start or date.min)
    assert [s.previous_id for s in ordered] == [None] + [s.id for s in ordered[:-1]]


def test_an_interrupted_import_resumes(store, fake_github, gh_client) -> None:
    seed(fake_github)
    fake_github.fail("GET", rf"/repos/{FAKE_REPO}/issues/2/comments", status=502, times=5)
    with pytest.raises(github.PublishError):
        import_history(store, gh_client, FAKE_REPO)
    assert sorted(s.publish_issue_number or 0 for s in sprints(store)) == [1, 3]
    fake_github.failures.clear()
    report = import_history(store, gh_client, FAKE_REPO)
    assert [e["issue"] for e in report.imported] == [2]
    assert sorted(s.publish_issue_number or 0 for s in sprints(store)) == [1, 2, 3]


def test_listing_pages_by_hundred_and_rate_limits_are_honoured(
    store, fake_github, gh_client
) -> None:
    for n in range(150):
        fake_github.seed_issue(f"Sprint {n}", f"## Sprint priorities\n\n1. Item {n}\n")
    report = import_history(store, gh_client, FAKE_REPO)
    assert len(report.imported) == 150
    assert report.requests == 2
    fake_github.seed_issue("Sprint late", "## Sprint priorities\n\n1. Late\n")
    fake_github.fail(
        "GET", rf"/repos/{FAKE_REPO}/issues", status=403, headers={"Retry-After": "60"}
    )
    with pytest.raises(github.RateLimitedError):
        import_history(store, gh_client, FAKE_REPO)
    before = len(fake_github.requests)
    with pytest.raises(github.RateLimitedError):
        import_history(store, gh_client, FAKE_REPO)
    assert len(fake_github.requests) == before  # nothing sent while the limit lasts


def test_a_later_publish_updates_the_same_issue(store, fake_github, gh_client) -> None:
    from sprintdesk.github import publishing

    seed(fake_github)
    import_history(store, gh_client, FAKE_REPO)
    sprint = next(s for s in sprints(store) if s.publish_issue_number == 2)
    with store.session() as session:
        rendered = publishing.render_for_publish(session.get(Sprint, sprint.id))
    fake_github.reset_counts()
    target = publishing.Target(FAKE_REPO, fake_github.api_url, ("sprint",))
    publishing.publish(store, sprint.id, rendered, target, gh_client)
    assert ("POST", f"/repos/{FAKE_REPO}/issues") not in fake_github.writes
    assert len(fake_github.issues()) == 5


@pytest.mark.slow  # among the slowest of the suite: `make test-slow` runs it
def test_cli_prints_json(data_dir, fake_github) -> None:
    seed(fake_github)
    env = cli_env(fake_github)
    args = ("import-github", "--repo", FAKE_REPO, "--api-url", fake_github.api_url, "--json")
    done = run(data_dir, *args, env=env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [e["issue"] for e in result["imported"]] == [3, 1, 2]
    assert result["updated"] == []
    assert result["skipped"] == [{"issue": 4, "why": "only an empty template"}]
    assert result["requests"] == 3
    assert {e["name"] for e in result["imported"]} >= {"1.45.1 2/2"}
    # The chatter on issue 1 is not a team's plan: left out, and said so.
    lgtm = next(c for c in fake_github.comments.values() if c["body"] == "LGTM, thanks!")
    assert result["comments_skipped"] == [
        {"issue": 1, "comment": lgtm["id"], "why": "names no team", "text": "LGTM, thanks!"}
    ]
    again = run(data_dir, *args, env=env)
    assert json.loads(again.stdout)["imported"] == []


def test_cli_bad_input_gets_a_clear_message(data_dir, fake_github) -> None:
    env = cli_env(fake_github)
    done = run(data_dir, "import-github", "--repo", "nope", env=env)
    assert done.returncode == 2 and "owner/name" in done.stderr
    done = run(data_dir, "import-github", "--repo", FAKE_REPO, "--since", "last week", env=env)
    assert done.returncode == 2 and "YYYY-MM-DD" in done.stderr


def test_an_edited_issue_updates_its_sprint_in_place(data_dir, store, fake_github) -> None:
    """Re-importing an issue edited on GitHub keeps the sprint (id, meeting, local notes, links)
    and replaces its content with the issue's; ``--json`` lists it as updated."""
    from sprintdesk.plan.meeting import MeetingClock
    from tests.clocks import FakeClock

    seed(fake_github)
    env = cli_env(fake_github)
    args = ("import-github", "--repo", FAKE_REPO, "--api-url", fake_github.api_url, "--json")
    assert run(data_dir, *args, env=env).returncode == 0
    before = {s.publish_issue_number: s for s in sprints(store)}
    sprint_id, previous_id = before[1].id, before[1].previous_id
    assert previous_id == before[3].id
    clock = FakeClock()
    with store.unit_of_work() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        meeting = MeetingClock(sprint, monotonic=clock.monotonic, wall=clock.time)
        meeting.start_meeting()
        clock.advance(90)
        meeting.next()
        clock.advance(30)
        meeting.pause()
        sprint.facilitator_notes = "Ask about the hot partition."
        times = [(s.title, s.actual_seconds, s.visited) for s in sprint.sections]
        team_titles = [s.title for s in sprint.sections if s.team_plan is not None]
        state, started = sprint.state, sprint.meeting_started_at
    assert times[0][1] == 90 and team_titles == ["Team Product Analytics"]
    edited = post("08").replace(
        "1. Hot partition - pipeline actively working on this",
        "1. Hot partition - fixed on Tuesday",
    )
    fake_github.edit_issue_body(1, edited + "\n\n## Sprint priorities\n\n1. Ship the importer\n")
    done = run(data_dir, *args, env=env)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert [(e["issue"], e["sprint_id"]) for e in result["updated"]] == [(1, sprint_id)]
    assert result["imported"] == []
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        # Kept: the meeting, its section times, the facilitator's notes, the link before.
        assert (sprint.state, sprint.meeting_started_at) == (state, started)
        assert [(s.title, s.actual_seconds, s.visited) for s in sprint.sections] == times
        assert sprint.facilitator_notes == "Ask about the hot partition."
        assert sprint.previous_id == previous_id
        assert [s.team_plan.team.name for s in sprint.sections if s.team_plan] == [
            "Product Analytics"
        ]
        # Replaced: the content, from the edited issue.
        notes = " ".join(n.text for n in sprint.notes)
        assert "fixed on Tuesday" in notes and "actively working" not in notes
        assert [p.text for p in sprint.priorities] == ["Ship the importer"]
        count = session.scalar(
            select(func.count()).select_from(Sprint).where(Sprint.publish_repo == FAKE_REPO)
        )
    assert count == 3
    assert next(s for s in sprints(store) if s.publish_issue_number == 2).previous_id == sprint_id


def test_comments_left_out_are_reported_with_why(store, fake_github, gh_client) -> None:
    """A comment naming no team, one repeating a team the issue has, one holding only a code
    block: none is imported, each is reported; a team comment is imported."""
    fake_github.seed_issue(
        "Sprint 7 - Mar 4 to Mar 15",
        "## Sprint priorities\n\n1. Ship it\n\n# Team Web\n\n### High priority\n\n- A\n",
        created_at="2024-03-01T09:00:00Z",
        comments=(
            "+1",
            "# Team Web\n\n### High priority\n\n- B @ana\n",
            "```\nlog output\n```",
            "# Team Infra\n\n### High priority\n\n- C\n",
            "   ",
        ),
    )
    report = import_history(store, gh_client, FAKE_REPO)
    assert [e["issue"] for e in report.imported] == [1]
    ids = [c["id"] for c in fake_github.comments.values()]
    assert [(c["comment"], c["why"]) for c in report.comments_skipped] == [
        (ids[0], "names no team"),
        (ids[1], "Team Web is in the issue already"),
        (ids[2], "holds only a code block or HTML comments"),
    ]
    assert report.comments_skipped[1]["text"].startswith("# Team Web ### High priority - B")
    (sprint,) = sprints(store)
    assert [p.team.name for p in sprint.team_plans] == ["Web", "Infra"]
