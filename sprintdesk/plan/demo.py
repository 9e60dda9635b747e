"""Demo data: a realistic history of sprints for trying SprintDesk and for screenshots.

Four two-week sprints of three teams and eight people: three finished (with reviewed outcomes,
meeting times and team plans) and the current one in draft, started from the last with
``planning.start_next_sprint`` so carry-over works as it would for a real team.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from sprintdesk.plan.model import (
    Allocation,
    Confidence,
    Decision,
    Goal,
    GoalContributor,
    ItemKind,
    Okr,
    OkrStatus,
    Person,
    Priority,
    RetroKind,
    RetroNote,
    Role,
    Sprint,
    SprintState,
    Status,
    SupportDuty,
    Team,
    TeamItem,
    TimeOff,
)
from sprintdesk.plan.planning import (
    create_sprint,
    decide_hangover,
    refresh_hangovers,
    set_carry_over,
    start_next_sprint,
)

PEOPLE = [
    ("Ana Souza", "ana-souza", Role.ENGINEER),
    ("Kwame Asante", "kwame-a", Role.ENGINEER),
    ("Lena Kowalski", "lena-k", Role.ENGINEER),
    ("Tomasz Nowak", "tomasz", Role.ENGINEER),
    ("Priya Sharma", "priya_s", Role.ENGINEER),
    ("Jun Watanabe", "jun", Role.ENGINEER),
    ("Marco Rossi", "marco", Role.DESIGNER),
    ("Dee Okafor", "dee-pm", Role.PRODUCT),
]

TEAMS = [
    ("Pipeline", ["Tomasz Nowak", "Priya Sharma", "Jun Watanabe"]),
    ("Billing", ["Lena Kowalski", "Marco Rossi", "Dee Okafor"]),
    ("Onboarding", ["Kwame Asante", "Ana Souza"]),
]

# (title, owner, contributors with shares, why, target, confidence, team)
GOALS = [
    [
        (
            "Offline sync MVP",
            "Kwame Asante",
            [],
            "Pilot customers lose edits on flaky networks.",
            "Both pilots sync a full day of edits with zero conflicts",
            Confidence.LIKELY,
            "Onboarding",
        ),
        (
            "Billing page rewrite",
            "Lena Kowalski",
            [("Lena Kowalski", 50), ("Marco Rossi", 50)],
            "The old page times out for our largest customers.",
            "Page loads in under 1 second for the largest account",
            Confidence.MOONSHOT,
            "Billing",
        ),
        (
            "Alerting for the dead-letter queue",
            "Tomasz Nowak",
            [],
            "We lost events twice last month without anyone noticing.",
            "On-call is paged within 5 minutes of the queue growing",
            Confidence.CERTAIN,
            "Pipeline",
        ),
    ],
    [
        (
            "Search relevance",
            "Priya Sharma",
            [],
            "Users cannot find last week's reports.",
            "Top-3 click-through above 40%",
            Confidence.MOONSHOT,
            "Pipeline",
        ),
        (
            "Onboarding checklist",
            "Kwame Asante",
            [("Kwame Asante", 70), ("Ana Souza", 30)],
            "Half of new workspaces never send a first event.",
            "60% of new workspaces complete three steps in week one",
            Confidence.LIKELY,
            "Onboarding",
        ),
        (
            "Invoice export",
            "Lena Kowalski",
            [],
            "Finance teams re-type invoices by hand.",
            "CSV and PDF export for every invoice",
            Confidence.CERTAIN,
            "Billing",
        ),
    ],
    [
        (
            "Partition the sessions table",
            "Jun Watanabe",
            [],
            "Queries on sessions slow down every week.",
            "p95 session lookup under 20 ms",
            Confidence.LIKELY,
            "Pipeline",
        ),
        (
            "Usage-based pricing preview",
            "Lena Kowalski",
            [("Lena Kowalski", 60), ("Dee Okafor", 40)],
            "Sales needs numbers before the pricing change.",
            "Every account sees its projected bill",
            Confidence.MOONSHOT,
            "Billing",
        ),
        (
            "Guided first import",
            "Ana Souza",
            [],
            "Imports are where trials stall.",
            "Median time to first import under 10 minutes",
            Confidence.CERTAIN,
            "Onboarding",
        ),
    ],
]

OUTCOME_STATUSES = [
    [Status.FINISHED, Status.IN_PROGRESS, Status.WONT_FINISH],
    [Status.NOT_STARTED, Status.FINISHED, Status.FINISHED],
    [Status.IN_PROGRESS, Status.WONT_FINISH, Status.FINISHED],
]

TEAM_ITEMS = {
    "Pipeline": (
        ["Backfill the events table", "Replay tool for the dead-letter queue"],
        ["Remove the legacy exporter"],
    ),
    "Billing": (["Tax rules for the EU", "Dunning emails"], ["Refresh the invoice template"]),
    "Onboarding": (["Sample data for new workspaces", "Welcome tour"], ["Empty-state art"]),
}

RETRO = [
    (RetroKind.WENT_WELL, "Pilots went live without a single rollback."),
    (RetroKind.TO_IMPROVE, "Plan zero product work for the support hero."),
    (RetroKind.TO_IMPROVE, "Write down the owner's availability before assigning goals."),
    (RetroKind.ACTION, "Book usability sessions in week one."),
]

PRIORITIES = [
    "Data integrity before new features",
    "Finish what we carried over twice",
    "Customer onboarding speed",
]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def load_demo(session: Session, *, today: date | None = None) -> list[Sprint]:
    """Write the demo people, teams and sprints; returns the sprints, oldest first."""
    today = today or date.today()
    people = {
        name: Person(name=name, github_login=login, role=role.value) for name, login, role in PEOPLE
    }
    session.add_all(people.values())
    teams: dict[str, Team] = {}
    for position, (team_name, members) in enumerate(TEAMS):
        team = Team(name=team_name, position=position, members=[people[m] for m in members])
        teams[team_name] = team
    session.add_all(teams.values())
    session.flush()

    current_start = _monday(today)
    first_start = current_start - timedelta(weeks=2 * len(GOALS))
    sprints: list[Sprint] = []
    sprint = create_sprint(
        session,
        "4.11.0 1/2",
        first_start,
        first_start + timedelta(days=11),
        teams=list(teams.values()),
    )
    for index, goal_rows in enumerate(GOALS):
        if index > 0:
            sprint = start_next_sprint(session, sprints[-1])
            for outcome, status in zip(sprint.outcomes, OUTCOME_STATUSES[index - 1], strict=False):
                outcome.status = status.value
                outcome.note = {
                    Status.FINISHED: "Shipped and announced.",
                    Status.IN_PROGRESS: "Most of it works; one part is left.",
                    Status.WONT_FINISH: "Owner was support hero both weeks.",
                    Status.NOT_STARTED: "Deprioritised in favour of billing.",
                }[status]
        _fill_sprint(session, sprint, goal_rows, people, teams, index)
        sprints.append(sprint)

    current = start_next_sprint(session, sprints[-1])
    for outcome, status in zip(current.outcomes, OUTCOME_STATUSES[-1], strict=False):
        outcome.status = status.value
        outcome.note = "" if status == Status.FINISHED else "Blocked on the storage upgrade."
    current.outcomes[0].carry_over = False
    set_carry_over(current, current.outcomes[0], True)
    current.retro_notes = [
        RetroNote(
            kind=k.value,
            text=t,
            position=i,
            owner=people["Dee Okafor"] if k == RetroKind.ACTION else None,
        )
        for i, (k, t) in enumerate(RETRO)
    ]
    current.priorities = [Priority(text=t, position=i) for i, t in enumerate(PRIORITIES)]
    new_goal = Goal(
        title="Self-serve plan upgrades",
        owner=people["Ana Souza"],
        position=len(current.goals),
        why="Upgrades wait for a sales call today.",
        target="Half of upgrades happen in-app",
        confidence=Confidence.LIKELY.value,
        team=teams["Billing"],
        contributors=[
            GoalContributor(person=people["Ana Souza"], share=50, position=0),
            GoalContributor(person=people["Lena Kowalski"], share=50, position=1),
        ],
    )
    current.goals.append(new_goal)
    for plan in current.team_plans:
        _review_team(plan)
        plan.support_hero = plan.team.members[0]
    current.facilitator_notes = "Ask Billing about the pricing launch date."
    _availability(current, people, teams)
    sprints.append(current)
    session.flush()
    return sprints


def _fill_sprint(
    session: Session,
    sprint: Sprint,
    goal_rows: list[tuple[Any, ...]],
    people: dict[str, Person],
    teams: dict[str, Team],
    index: int,
) -> None:
    for title, owner, contributors, why, target, confidence, team in goal_rows:
        sprint.goals.append(
            Goal(
                title=title,
                owner=people[owner],
                why=why,
                target=target,
                confidence=confidence.value,
                team=teams[team],
                position=len(sprint.goals),
                contributors=[
                    GoalContributor(person=people[p], share=s, position=i)
                    for i, (p, s) in enumerate(contributors)
                ],
            )
        )
    sprint.priorities = [
        Priority(text=t, position=i) for i, t in enumerate(PRIORITIES[: 2 + index % 2])
    ]
    sprint.retro_notes = [
        RetroNote(kind=k.value, text=t, position=i) for i, (k, t) in enumerate(RETRO[: 2 + index])
    ]
    for plan in sprint.team_plans:
        if index > 0:
            _review_team(plan)
        plan.support_hero = plan.team.members[index % len(plan.team.members)]
        high, low = TEAM_ITEMS[plan.team.name]
        members = plan.team.members
        for i, title in enumerate(high):
            plan.items.append(
                TeamItem(
                    kind=ItemKind.HIGH.value,
                    title=f"{title}" if index == 0 else f"{title} (phase {index + 1})",
                    owner=members[i % len(members)],
                    position=len(plan.items),
                )
            )
        for title in low:
            plan.items.append(
                TeamItem(
                    kind=ItemKind.LOW.value,
                    title=title,
                    owner=members[-1],
                    position=len(plan.items),
                )
            )
        plan.okrs = [
            Okr(
                title="Zero silent data loss",
                status=[OkrStatus.GREEN, OkrStatus.YELLOW, OkrStatus.RED][index % 3].value,
                note="alerting lands this sprint",
                position=0,
            ),
            Okr(
                title="Customer-facing p99 under 30 seconds",
                status=OkrStatus.GREEN.value,
                position=1,
            ),
        ]
        plan.other_teams_impacted = (
            "Billing (new invoice events)" if plan.team.name == "Pipeline" else ""
        )
    # A finished meeting: actual time per section, some over, some under.
    for i, section in enumerate(sprint.sections):
        section.actual_seconds = float(section.timebox_seconds * (0.8 + 0.15 * ((i + index) % 4)))
        section.visited = True
    sprint.state = SprintState.PLANNED.value
    if sprint.start is not None:  # the meeting was held on the sprint's first day, 10:00-11:15
        sprint.meeting_started_at = datetime.combine(sprint.start, time(10))
        sprint.meeting_ended_at = datetime.combine(sprint.start, time(11, 15))
    if index < 2 and sprint.start is not None:  # the two oldest were shared after their meeting
        sprint.published_at = datetime.combine(sprint.start, time(17))
    session.flush()


def _review_team(plan) -> None:  # type: ignore[no-untyped-def]
    statuses = [Status.FINISHED, Status.IN_PROGRESS, Status.WONT_FINISH, Status.NOT_STARTED]
    for i, item in enumerate(
        i for i in plan.items if i.kind in (ItemKind.RETRO_HIGH, ItemKind.RETRO_LOW)
    ):
        item.status = statuses[i % len(statuses)].value
    for n, hangover in enumerate(refresh_hangovers(plan)):
        decide_hangover(
            plan, hangover, Decision.PRIORITISE if n % 2 == 0 else Decision.DEPRIORITISE
        )


def _availability(sprint: Sprint, people: dict[str, Person], teams: dict[str, Team]) -> None:
    assert sprint.start is not None
    start = sprint.start
    sprint.time_off = [
        TimeOff(
            person=people["Priya Sharma"],
            start=start + timedelta(days=7),
            end=start + timedelta(days=8),
            note="conference",
        ),
        TimeOff(
            person=people["Jun Watanabe"],
            start=start + timedelta(days=11),
            end=start + timedelta(days=11),
            note="PTO",
        ),
        TimeOff(
            person=people["Lena Kowalski"],
            start=start + timedelta(days=2),
            end=start + timedelta(days=2),
            half_day=True,
            note="dentist",
        ),
    ]
    sprint.allocations = [
        Allocation(person=people["Marco Rossi"], share=0.5, note="Shared with the brand team")
    ]
    sprint.support_duties = [
        SupportDuty(team=teams["Pipeline"], week=1, person=people["Tomasz Nowak"]),
        SupportDuty(team=teams["Pipeline"], week=2, person=people["Jun Watanabe"]),
    ]
