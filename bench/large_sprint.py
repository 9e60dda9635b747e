"""A large, realistic sprint for benchmarks: 50 people, 20 teams of 50 items, 200 goals.

``build_large_sprint(session)`` writes it into any session (people, teams, the sprint with
outcomes, retro notes, priorities, goals with contributors, team plans with every list, OKRs,
time off, support duties and a finished meeting) and returns the flushed sprint. Sizes are
parameters so other benchmarks can scale it.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from sprintdesk.plan.model import (
    Confidence,
    Decision,
    Goal,
    GoalContributor,
    ItemKind,
    Okr,
    OkrStatus,
    OutcomeReview,
    Person,
    PlanNote,
    Priority,
    RetroKind,
    RetroNote,
    Role,
    Sprint,
    Status,
    SupportDuty,
    Team,
    TeamItem,
    TimeOff,
)
from sprintdesk.plan.planning import create_sprint

WORDS = (
    "billing",
    "export",
    "pipeline",
    "search",
    "sync",
    "alerting",
    "onboarding",
    "invoice",
    "dashboard",
    "queue",
    "schema",
    "partition",
    "replay",
    "tour",
    "sample",
    "cache",
    "build",
    "mobile",
    "crash",
    "offline",
    "tax",
    "dunning",
    "pricing",
    "import",
)
STATUSES = list(Status)
ITEM_KINDS = [
    ItemKind.RETRO_HIGH,
    ItemKind.RETRO_LOW,
    ItemKind.HANGOVER,
    ItemKind.HIGH,
    ItemKind.LOW,
]


def _phrase(n: int, length: int = 6) -> str:
    words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(length)]
    return " ".join(words).capitalize() + f" {n}"


def build_large_sprint(
    session: Session,
    *,
    people: int = 50,
    teams: int = 20,
    items_per_team: int = 50,
    goals: int = 200,
    start: date = date(2026, 3, 2),
    name: str = "Large 1/2",
) -> Sprint:
    """Write a large sprint (and its people and teams) into ``session``; returns it flushed."""
    persons = [
        Person(
            name=f"Person {i:02d} Example",
            github_login=f"person-{i:02d}" if i % 5 else None,
            role=(Role.ENGINEER if i % 7 else Role.DESIGNER).value,
        )
        for i in range(people)
    ]
    session.add_all(persons)
    team_rows = [
        Team(
            name=f"Team{t:02d} {WORDS[t % len(WORDS)].title()}",
            position=t,
            members=[persons[(t * 3 + k) % people] for k in range(5)],
        )
        for t in range(teams)
    ]
    session.add_all(team_rows)
    session.flush()
    sprint = create_sprint(session, name, start, start + timedelta(days=11), teams=team_rows)
    sprint.outcomes = [
        OutcomeReview(
            position=i,
            title=_phrase(i, 4),
            description=_phrase(i + 1, 8),
            owner=persons[i % people],
            target=_phrase(i + 2, 9),
            status=STATUSES[i % 4].value,
            note=_phrase(i + 3, 7),
            carry_over=i % 9 == 0,
        )
        for i in range(goals // 2)
    ]
    sprint.retro_notes = [
        RetroNote(
            position=i,
            kind=list(RetroKind)[i % 3].value,
            text=_phrase(i, 10),
            owner=persons[i % people] if i % 3 == 2 else None,
        )
        for i in range(30)
    ]
    sprint.priorities = [Priority(position=i, text=_phrase(i, 5)) for i in range(10)]
    sprint.goals = [
        Goal(
            position=i,
            title=_phrase(i, 5),
            description=_phrase(i + 5, 8),
            owner=persons[i % people],
            why=_phrase(i + 7, 12),
            target=_phrase(i + 9, 10),
            confidence=list(Confidence)[i % 3].value,
            team=team_rows[i % teams],
            carried_over=i % 11 == 0,
            contributors=[
                GoalContributor(person=persons[i % people], share=60, position=0),
                GoalContributor(person=persons[(i + 1) % people], share=40, position=1),
            ],
        )
        for i in range(goals)
    ]
    for t, plan in enumerate(sprint.team_plans):
        members = plan.team.members
        plan.support_hero = members[0]
        plan.other_teams_impacted = f"{team_rows[(t + 1) % teams].name} (shared schema)"
        plan.items = [
            TeamItem(
                kind=ITEM_KINDS[k % 5].value,
                position=k,
                title=_phrase(t * 100 + k, 7),
                owner=members[k % len(members)],
                status=STATUSES[k % 4].value
                if ITEM_KINDS[k % 5].value.startswith("retro")
                else None,
                decision=(Decision.PRIORITISE if k % 2 else Decision.DEPRIORITISE).value
                if ITEM_KINDS[k % 5] == ItemKind.HANGOVER
                else None,
                note=_phrase(k, 6) if k % 4 == 0 else "",
                carried_over=k % 13 == 0,
            )
            for k in range(items_per_team)
        ]
        plan.okrs = [
            Okr(
                position=k,
                title=_phrase(t + k, 5),
                status=list(OkrStatus)[k % 3].value,
                note=_phrase(k, 4),
            )
            for k in range(3)
        ]
        sprint.support_duties.append(SupportDuty(team=plan.team, week=2, person=members[1]))
    sprint.time_off = [
        TimeOff(
            person=persons[i],
            start=start + timedelta(days=i % 10),
            end=start + timedelta(days=i % 10 + 1),
            half_day=i % 4 == 0,
            note="conference",
        )
        for i in range(0, people, 3)
    ]
    sprint.notes = [PlanNote(section="goals", text="Kept from a hand-written plan", position=0)]
    for i, section in enumerate(sprint.sections):
        section.actual_seconds = float(section.timebox_seconds + (i % 5 - 2) * 30)
        section.visited = True
    session.flush()
    return sprint
