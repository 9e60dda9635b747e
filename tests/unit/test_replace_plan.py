"""Re-reading a plan onto its sprint in place (an issue edited on GitHub): the same sprint and
the rows that match kept, the content replaced, rows tied by a unique key (a team's weekly
hero, a goal's contributor) written again without a clash, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sprintdesk.markdown.importer import apply_plan, parse_plan, replace_plan
from sprintdesk.plan.model import Sprint
from sprintdesk.storage.store import Store
from tests.pg import db_url  # noqa: F401 - these tests run on SQLite and on PostgreSQL

PLAN = """# Sprint 12 - Mar 2 to Mar 13

## Plan: Proposed Goals for Next Sprint

1. Ship the importer (Owner: @ana) (@ana @ben 50:50)

## Support hero

Week 1: @ana
Week 2: @ben

# Team Web

Support hero: @cy 1st week, @dee 2nd week

@cy on vacation Mar 4 to Mar 5

### High priority

- Task one @ana
- Task two @ben
"""


def test_replacing_keeps_the_sprint_and_its_matching_rows(store: Store) -> None:
    with store.unit_of_work() as session:
        first = apply_plan(session, parse_plan(PLAN, today=date(2026, 3, 1)))
        sprint_id = first.id
        goal_id = first.goals[0].id
        item_ids = [i.id for i in first.team_plans[0].items]
        plan_id = first.team_plans[0].id
        first.facilitator_notes = "Mine"
    edited = PLAN.replace("@dee 2nd week", "@cy 2nd week").replace("- Task two @ben", "- Task 3")
    with store.unit_of_work() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        replace_plan(session, sprint, parse_plan(edited, today=date(2026, 3, 1)))
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        assert sprint.facilitator_notes == "Mine"
        (goal,) = sprint.goals
        assert goal.id == goal_id
        assert [(c.person.github_login, c.share) for c in goal.contributors] == [
            ("ana", 50),
            ("ben", 50),
        ]
        (team,) = sprint.team_plans
        assert team.id == plan_id
        assert [i.title for i in team.items] == ["Task one", "Task 3"]
        assert team.items[0].id == item_ids[0] and team.items[1].id not in item_ids
        duties = sorted(
            (d.team.name if d.team else "", d.week, d.person.github_login)
            for d in sprint.support_duties
        )
        assert duties == [("", 1, "ana"), ("", 2, "ben"), ("Web", 1, "cy"), ("Web", 2, "cy")]
        assert [(t.person.github_login, t.start) for t in sprint.time_off] == [
            ("cy", date(2026, 3, 4))
        ]
