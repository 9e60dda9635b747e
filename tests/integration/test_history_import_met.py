"""Re-importing an issue edited on GitHub for a sprint whose meeting has run, with everything
that a unique key ties to its owner at once: a team's weekly heroes (sprint, team, week), the
sprint-wide rota, goals with contributors (goal, person). Both engines: the combination once
failed on a unique key, and PostgreSQL checks keys row by row where SQLite's order differs."""

from __future__ import annotations

from sqlalchemy import select

from sprintdesk.github import client as github
from sprintdesk.github.history_import import import_history
from sprintdesk.plan.meeting import MeetingClock
from sprintdesk.plan.model import Sprint, SprintState
from sprintdesk.storage.store import Store
from tests.clocks import FakeClock
from tests.conftest import FAKE_REPO
from tests.fakegithub import FakeGitHub
from tests.pg import db_url  # noqa: F401 - these tests run on SQLite and on PostgreSQL

BODY = """# Sprint 12 - Mar 2 to Mar 13

## Plan: Proposed Goals for Next Sprint

1. Ship the importer (Owner: @ana) (@ana @ben 50:50)
2. Faster start-up (Owner: @ben) (@ben @cy 70:30)
3. Retire the old exporter (Owner: @dee) (@dee @ana 50:50)

## Support hero

Week 1: @ana
Week 2: @ben
"""

WEB = """# Team Web

Support hero: @cy 1st week, @dee 2nd week

@cy on vacation Mar 4 to Mar 5

### High priority

- Task one @ana
- Task two @ben
"""

DATA = """# Team Data

Support: Week 1: @eve / Week 2: @fay

### High priority

- Load the warehouse @eve
"""

OPS = """# Team Ops

Support: Week 1: @gus / Week 2: @eve

### High priority

- Rotate the keys @gus
"""


def _duties(sprint: Sprint) -> list[tuple[str, int, str]]:
    return sorted(
        (d.team.name if d.team else "", d.week, d.person.github_login or "")
        for d in sprint.support_duties
    )


def _contributors(sprint: Sprint) -> list[tuple[str, list[tuple[str, int]]]]:
    return [
        (g.title, [(c.person.github_login or "", c.share) for c in g.contributors])
        for g in sprint.goals
    ]


def test_an_edited_issue_of_a_met_sprint_with_heroes_and_contributors(
    store: Store, fake_github: FakeGitHub, gh_client: github.GitHubClient
) -> None:
    issue = fake_github.seed_issue(
        "Sprint 12 - Mar 2 to Mar 13",
        BODY,
        created_at="2026-02-27T09:00:00Z",
        comments=(WEB, DATA),
    )
    web_comment, data_comment = sorted(fake_github.comments)[-2:]
    first = import_history(store, gh_client, FAKE_REPO)
    ((sprint_id,),) = [[e["sprint_id"]] for e in first.imported]
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        assert _duties(sprint) == [
            ("", 1, "ana"),
            ("", 2, "ben"),
            ("Data", 1, "eve"),
            ("Data", 2, "fay"),
            ("Web", 1, "cy"),
            ("Web", 2, "dee"),
        ]
        goal_ids = {g.title: g.id for g in sprint.goals}
    # The meeting runs: every section visited, the Data team's section overruns and is extended.
    clock = FakeClock()
    with store.unit_of_work() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        meeting = MeetingClock(sprint, monotonic=clock.monotonic, wall=clock.time)
        meeting.start_meeting()
        while True:
            clock.advance(60)
            if meeting.current is not None and meeting.current.title == "Team Data":
                meeting.extend(120)
            if not meeting.next():
                break
        meeting.end_meeting()
        times = [
            (s.title, s.actual_seconds, s.extension_seconds, s.visited) for s in sprint.sections
        ]
        started, ended = sprint.meeting_started_at, sprint.meeting_ended_at
    assert ("Team Data", 60.0, 120, True) in times and ("Team Web", 60.0, 0, True) in times

    # On GitHub: heroes swapped, contributors and shares changed, a goal gone, one new, the
    # sprint rota handed to someone else, the Data team's comment now names team Ops instead.
    edited_body = (
        BODY.replace("(@ana @ben 50:50)", "(@ben @ana 30:70)")
        .replace("(@ben @cy 70:30)", "(@cy @ben @dee 40:40:20)")
        .replace(
            "3. Retire the old exporter (Owner: @dee) (@dee @ana 50:50)",
            "3. Dark mode (Owner: @ana)",
        )
        .replace("Week 1: @ana\nWeek 2: @ben", "Week 1: @ben\nWeek 2: @ana")
    )
    fake_github.edit_issue_body(issue["number"], edited_body)
    fake_github.edit_comment(
        web_comment, WEB.replace("@cy 1st week, @dee 2nd week", "@dee 1st week, @cy 2nd week")
    )
    fake_github.edit_comment(data_comment, OPS)
    again = import_history(store, gh_client, FAKE_REPO)
    assert [(e["issue"], e["sprint_id"]) for e in again.updated] == [(issue["number"], sprint_id)]
    assert again.imported == [] and again.skipped == []

    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        # Kept: the meeting and its times; the Data section stays (time was spent there) as a
        # plain section; the new team gets a section after the last team section.
        assert sprint.state == SprintState.PLANNED.value
        assert (sprint.meeting_started_at, sprint.meeting_ended_at) == (started, ended)
        kept = [
            (s.title, s.actual_seconds, s.extension_seconds, s.visited) for s in sprint.sections
        ]
        assert [row for row in kept if row[0] != "Team Ops"] == times
        assert ("Team Ops", 0.0, 0, False) in kept
        by_title = {s.title: s for s in sprint.sections}
        assert by_title["Team Data"].team_plan is None
        assert by_title["Team Ops"].team_plan is not None
        assert by_title["Team Ops"].team_plan.team.name == "Ops"
        # Replaced: heroes, rota and contributors, from the edited text.
        assert _duties(sprint) == [
            ("", 1, "ben"),
            ("", 2, "ana"),
            ("Ops", 1, "gus"),
            ("Ops", 2, "eve"),
            ("Web", 1, "dee"),
            ("Web", 2, "cy"),
        ]
        assert _contributors(sprint) == [
            ("Ship the importer", [("ben", 30), ("ana", 70)]),
            ("Faster start-up", [("cy", 40), ("ben", 40), ("dee", 20)]),
            ("Dark mode", []),
        ]
        # The goals that stayed are the same rows (links to them survive).
        assert {g.title: g.id for g in sprint.goals if g.title in goal_ids} == {
            t: i for t, i in goal_ids.items() if t != "Retire the old exporter"
        }
        assert [p.team.name for p in sprint.team_plans] == ["Web", "Ops"]
        count = session.scalar(select(Sprint.id).where(Sprint.publish_repo == FAKE_REPO))
    assert count == sprint_id  # one sprint, never duplicated
