"""Plan checks: what is wrong or risky in a sprint plan, each finding naming the goal or person.

Errors make a plan unfit to publish as is; warnings are worth a look in the meeting. Checks read
the sprint as loaded (relationships are walked, nothing is queried one row at a time) so that
running all of them on a large sprint stays within a few milliseconds.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from sprintdesk.plan.capacity import Estimates, compute_capacity, duty_label, fmt_days
from sprintdesk.plan.model import Goal, ItemKind, Person, Sprint, TeamPlan
from sprintdesk.plan.workdays import days_off_in_sprint, working_days

DEFAULT_MAX_GOALS_PER_OWNER = 2


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str
    message: str
    goal_id: int | None = None
    person_id: int | None = None
    team_plan_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def _goal_label(goal: Goal) -> str:
    return f"Goal “{goal.title}”"


def support_heroes(sprint: Sprint) -> dict[int, list[str]]:
    """person id -> the teams (and weeks) they are support hero for in this sprint."""
    heroes: dict[int, list[str]] = {}
    for plan in sprint.team_plans:
        if plan.support_hero_id is not None:
            heroes.setdefault(plan.support_hero_id, []).append(plan.team.name)
    for duty in sprint.support_duties:
        heroes.setdefault(duty.person_id, []).append(f"{duty_label(duty)}, week {duty.week}")
    return heroes


def check_sprint(
    sprint: Sprint,
    *,
    max_goals_per_owner: int = DEFAULT_MAX_GOALS_PER_OWNER,
    estimates: Estimates | None = None,
) -> list[Finding]:
    """Every finding for the sprint. Capacity checks use ``estimates`` (by default the ones in
    the sprint's database settings, see :mod:`sprintdesk.plan.capacity`)."""
    findings: list[Finding] = []
    sprint_days = len(working_days(sprint.start, sprint.end))
    heroes = support_heroes(sprint)
    owner_counts = Counter(goal.owner_id for goal in sprint.goals if goal.owner_id is not None)
    away_cache: dict[int, bool] = {}

    def away_whole_sprint(person: Person) -> bool:
        if person.id not in away_cache:
            away_cache[person.id] = sprint_days > 0 and (
                days_off_in_sprint(sprint, person.id) >= sprint_days
            )
        return away_cache[person.id]

    for goal in sprint.goals:
        label = _goal_label(goal)
        owner = goal.owner
        if owner is None:
            findings.append(
                Finding(Severity.ERROR, "no-owner", f"{label} has no owner.", goal_id=goal.id)
            )
        else:
            if not owner.is_engineer:
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "owner-not-engineer",
                        f"{label}: owner {owner.name} is {owner.role}, not an engineer.",
                        goal_id=goal.id,
                        person_id=owner.id,
                    )
                )
            if away_whole_sprint(owner):
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "owner-away",
                        f"{label}: owner {owner.name} is off for the whole sprint.",
                        goal_id=goal.id,
                        person_id=owner.id,
                    )
                )
            if owner.id in heroes:
                teams = "; ".join(heroes[owner.id])  # an entry may be "Pipeline, week 2"
                findings.append(
                    Finding(
                        Severity.WARNING,
                        "owner-support-hero",
                        f"{label}: owner {owner.name} is support hero this sprint ({teams}).",
                        goal_id=goal.id,
                        person_id=owner.id,
                    )
                )
        if goal.contributors:
            total = sum(c.share for c in goal.contributors)
            if total != 100:
                findings.append(
                    Finding(
                        Severity.WARNING,
                        "shares",
                        f"{label}: contributor shares add up to {total}, not 100.",
                        goal_id=goal.id,
                    )
                )
        if not goal.why.strip():
            findings.append(
                Finding(Severity.WARNING, "no-why", f"{label} has no why.", goal_id=goal.id)
            )
        if not goal.target.strip():
            findings.append(
                Finding(
                    Severity.WARNING,
                    "no-target",
                    f"{label} has no measurable target.",
                    goal_id=goal.id,
                )
            )

    owners = {goal.owner_id: goal.owner for goal in sprint.goals if goal.owner is not None}
    for owner_id, count in owner_counts.items():
        if count > max_goals_per_owner:
            person = owners[owner_id]
            assert person is not None
            findings.append(
                Finding(
                    Severity.WARNING,
                    "too-many-goals",
                    f"{person.name} owns {count} goals (more than {max_goals_per_owner}).",
                    person_id=owner_id,
                )
            )

    away = {person_id for person_id, is_away in away_cache.items() if is_away}
    findings.extend(_capacity_findings(sprint, estimates, skip=away))

    teams_with_duty = {duty.team_id for duty in sprint.support_duties}
    for plan in sprint.team_plans:
        if plan.support_hero_id is None and plan.team_id not in teams_with_duty:
            findings.append(
                Finding(
                    Severity.WARNING,
                    "no-support-hero",
                    f"Team {plan.team.name} has no support hero.",
                    team_plan_id=plan.id,
                )
            )
    return findings


def _capacity_findings(
    sprint: Sprint, estimates: Estimates | None, *, skip: set[int]
) -> list[Finding]:
    """One warning per person whose planned load is more than their capacity (except the
    people in ``skip``, already reported as away for the whole sprint)."""
    if sprint.start is None or sprint.end is None:
        return []  # without dates there is no capacity to compare with
    findings = []
    for entry in compute_capacity(sprint, estimates=estimates).values():
        if entry.over_by <= 1e-9 or entry.load <= 0 or entry.person_id in skip:
            continue
        findings.append(
            Finding(
                Severity.WARNING,
                "over-allocated",
                f"{entry.name} is over-allocated: {fmt_days(entry.load)} of planned work for "
                f"{fmt_days(entry.capacity)} of capacity ({entry.capacity_why()}).",
                person_id=entry.person_id,
            )
        )
    return findings


def findings_for_team_plan(findings: list[Finding], plan: TeamPlan) -> list[Finding]:
    """What to show inline on a team page: the plan's findings, and person findings about its
    members, support hero or owners of its high-priority items."""
    people = {p.id for p in plan.team.members} | {plan.support_hero_id}
    people |= {i.owner_id for i in plan.items if i.kind == ItemKind.HIGH}
    people.discard(None)  # a finding about nobody in particular is not the team's
    return [
        f
        for f in findings
        if f.team_plan_id == plan.id
        or (f.goal_id is None and f.team_plan_id is None and f.person_id in people)
    ]


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == Severity.ERROR for f in findings)
