"""Capacity and load per person in a sprint, with the reasons spelled out.

Capacity is product work a person can do in the sprint, in person-days::

    capacity = (working days - support-hero days) x share - days off (on non-hero days)

* working days are Monday to Friday between the sprint's start and end;
* ``share`` is the person's part-time share for the sprint (:class:`Allocation`, 1.0 if none);
* days off come from :class:`TimeOff` (overlapping ranges count once, half days 0.5); they are
  days the person would have worked, so they come off in full;
* support-hero days count as zero product capacity: a :class:`SupportDuty` makes a person hero
  for the working days of that week; :attr:`TeamPlan.support_hero` is hero for the whole
  sprint, except the weeks that team has a weekly duty for. A day off on a hero day is counted
  once (the day was already zero).

Load is the work the plan gives the person, also in person-days (see :class:`Estimates`):

* a goal is ``goal_days`` of work. With contributors, each contributor carries the goal times
  their share (50 of a 50:50 split = half the goal); an owner who is not among the contributors
  carries what the shares leave (100 - sum of shares, never below zero). Without contributors
  the owner carries the whole goal;
* each high-priority team item a person owns is ``item_days`` of work.

Both estimates are settings (``capacity_goal_days``, ``capacity_item_days``) so a team can tune
them; the defaults suit two-week sprints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy.orm import Session, object_session

from sprintdesk.plan.model import ItemKind, Person, Sprint, SupportDuty
from sprintdesk.plan.workdays import sprint_week, working_days

DEFAULT_GOAL_DAYS = 5.0
DEFAULT_ITEM_DAYS = 2.0
GOAL_DAYS_KEY = "capacity_goal_days"
ITEM_DAYS_KEY = "capacity_item_days"
# Load above this share of capacity is "tight" (amber): little room for surprises.
TIGHT_RATIO = 0.8


@dataclass(frozen=True)
class Estimates:
    """How much work a goal and a high-priority team item stand for, in person-days."""

    goal_days: float = DEFAULT_GOAL_DAYS
    item_days: float = DEFAULT_ITEM_DAYS


def load_estimates(session: Session | None) -> Estimates:
    """The estimates from the settings table (defaults for missing or bad values), as read
    with the sprint (``settings.get_once``): a page refreshes this on every change, and on a
    team database each read would be a round trip on the UI thread."""
    if session is None:
        return Estimates()
    from sprintdesk.plan.settings import get_once

    def number(key: str, default: float) -> float:
        try:
            value = float(get_once(session, key, str(default)))
        except ValueError:
            return default
        return value if value >= 0 else default

    return Estimates(
        number(GOAL_DAYS_KEY, DEFAULT_GOAL_DAYS), number(ITEM_DAYS_KEY, DEFAULT_ITEM_DAYS)
    )


class LoadLevel(StrEnum):
    """How full a person is: the bar's colour in the capacity view."""

    IDLE = "idle"  # nothing planned
    OK = "ok"  # load at most 80% of capacity
    TIGHT = "tight"  # 80-100%
    OVER = "over"  # more load than capacity


@dataclass(frozen=True)
class LoadItem:
    """One piece of planned work on a person, with the days it stands for and why."""

    kind: str  # "goal" or "item"
    title: str
    days: float
    why: str


@dataclass
class PersonCapacity:
    """Capacity against load for one person in one sprint."""

    person_id: int
    name: str
    role: str
    working_days: int
    share: float
    days_off: float
    hero_days: float
    hero_for: list[str] = field(default_factory=list)
    items: list[LoadItem] = field(default_factory=list)

    @property
    def capacity(self) -> float:
        # days_off here only holds days off on non-hero days (see compute_capacity).
        return max(0.0, (self.working_days - self.hero_days) * self.share - self.days_off)

    @property
    def load(self) -> float:
        return sum(item.days for item in self.items)

    @property
    def level(self) -> LoadLevel:
        load, capacity = self.load, self.capacity
        if load <= 0:
            return LoadLevel.IDLE
        if load > capacity + 1e-9:
            return LoadLevel.OVER
        if load > TIGHT_RATIO * capacity:
            return LoadLevel.TIGHT
        return LoadLevel.OK

    @property
    def over_by(self) -> float:
        return max(0.0, self.load - self.capacity)

    def capacity_why(self) -> str:
        """The capacity sum in words, e.g. ``10 working days × 50% − 1 day off = 4 days``."""
        parts = [f"{self.working_days} working days"]
        if self.hero_days:
            parts.append(f"− {fmt_days(self.hero_days)} support hero ({', '.join(self.hero_for)})")
        text = " ".join(parts)
        if self.share != 1.0:
            text = (
                f"({text}) × {self.share:.0%}" if self.hero_days else f"{text} × {self.share:.0%}"
            )
        if self.days_off:
            text += f" − {fmt_days(self.days_off)} off"
        return f"{text} = {fmt_days(self.capacity)} of product capacity"

    def load_why(self) -> list[str]:
        return [f"{item.why}: {fmt_days(item.days)}" for item in self.items]

    def explain(self) -> str:
        """A few lines for a tooltip: capacity, each piece of load, the verdict."""
        lines = [f"{self.name}: {self.capacity_why()}."]
        if self.items:
            lines.append(f"Load {fmt_days(self.load)}:")
            lines.extend(f"  • {line}" for line in self.load_why())
        else:
            lines.append("Nothing planned for them yet.")
        lines.append(self.verdict())
        return "\n".join(lines)

    def verdict(self) -> str:
        level = self.level
        if level == LoadLevel.OVER:
            return f"Over-allocated by {fmt_days(self.over_by)}."
        if level == LoadLevel.TIGHT:
            return "Nearly full: little room for surprises."
        if level == LoadLevel.OK:
            return f"{fmt_days(self.capacity - self.load)} to spare."
        return "Free for other work."


def fmt_days(days: float) -> str:
    """``1 day``, ``2.5 days``, ``0 days``."""
    text = f"{days:.1f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    return f"{text} day" if text == "1" else f"{text} days"


def _share_of(sprint: Sprint) -> dict[int, float]:
    return {a.person_id: max(0.0, a.share) for a in sprint.allocations}


def hero_days_by_person(sprint: Sprint) -> dict[int, tuple[set[date], list[str]]]:
    """person id -> (the working days they are support hero, labels of the duties)."""
    days = working_days(sprint.start, sprint.end)
    result: dict[int, tuple[set[date], list[str]]] = {}

    def add(person_id: int, hero_days: list[date], label: str) -> None:
        entry = result.setdefault(person_id, (set(), []))
        entry[0].update(hero_days)
        entry[1].append(label)

    # Weekly duties win over the team plan's hero for their week: "week 1: X, week 2: Y".
    duty_weeks: dict[int | None, set[int]] = {}
    for duty in sprint.support_duties:
        duty_weeks.setdefault(duty.team_id, set()).add(duty.week)
    for plan in sprint.team_plans:
        if plan.support_hero_id is not None:
            covered = duty_weeks.get(plan.team_id, set())
            plan_days = [d for d in days if sprint_week(sprint, d) not in covered]
            if plan_days:
                label = "whole sprint" if not covered else "other weeks"
                add(plan.support_hero_id, plan_days, f"{plan.team.name}, {label}")
    for duty in sprint.support_duties:
        week_days = [d for d in days if sprint_week(sprint, d) == duty.week]
        add(duty.person_id, week_days, f"{duty_label(duty)}, week {duty.week}")
    return result


def duty_label(duty: SupportDuty) -> str:
    """The team a support duty is for, or "everyone" for the sprint's own rota."""
    return duty.team.name if duty.team is not None else "everyone"


def _days_off_map(sprint: Sprint) -> dict[int, dict[date, float]]:
    sprint_days = set(working_days(sprint.start, sprint.end))
    result: dict[int, dict[date, float]] = {}
    for entry in sprint.time_off:
        off = result.setdefault(entry.person_id, {})
        for day in working_days(entry.start, entry.end):
            if day in sprint_days:
                off[day] = max(off.get(day, 0.0), 0.5 if entry.half_day else 1.0)
    return result


def sprint_people(sprint: Sprint) -> list[Person]:
    """Everyone the sprint concerns: active members of its teams (in team order), then anyone
    else who owns or contributes to something or has availability entered."""
    seen: dict[int, Person] = {}
    for plan in sprint.team_plans:
        for person in plan.team.members:
            if person.active:
                seen.setdefault(person.id, person)
    extra: list[Person] = []

    def add(person: Person | None) -> None:
        if person is not None and person.id not in seen:
            seen[person.id] = person
            extra.append(person)

    for goal in sprint.goals:
        add(goal.owner)
        for contributor in goal.contributors:
            add(contributor.person)
    for plan in sprint.team_plans:
        add(plan.support_hero)
        for item in plan.items:
            if item.kind == ItemKind.HIGH:
                add(item.owner)
    for duty in sprint.support_duties:
        add(duty.person)
    for entry in sprint.time_off:
        add(entry.person)
    for allocation in sprint.allocations:
        add(allocation.person)
    return list(seen.values())


def compute_capacity(
    sprint: Sprint, *, estimates: Estimates | None = None
) -> dict[int, PersonCapacity]:
    """Capacity and load for everyone in :func:`sprint_people`, keyed by person id (in order).

    ``estimates`` defaults to the settings of the sprint's session.
    """
    if estimates is None:
        estimates = load_estimates(object_session(sprint))
    days = working_days(sprint.start, sprint.end)
    shares = _share_of(sprint)
    heroes = hero_days_by_person(sprint)
    off = _days_off_map(sprint)
    result: dict[int, PersonCapacity] = {}
    for person in sprint_people(sprint):
        hero_days, hero_for = heroes.get(person.id, (set(), []))
        person_off = off.get(person.id, {})
        result[person.id] = PersonCapacity(
            person_id=person.id,
            name=person.name,
            role=person.role,
            working_days=len(days),
            share=shares.get(person.id, 1.0),
            days_off=sum(v for d, v in person_off.items() if d not in hero_days),
            hero_days=float(len(hero_days)),
            hero_for=list(hero_for),
        )
    for goal in sprint.goals:
        shares_total = sum(max(0, c.share) for c in goal.contributors)
        owner_listed = False
        for contributor in goal.contributors:
            entry = result.get(contributor.person_id)
            if entry is None:
                continue
            is_owner = contributor.person_id == goal.owner_id
            owner_listed = owner_listed or is_owner
            role = "owns and works on" if is_owner else "contributes to"
            entry.items.append(
                LoadItem(
                    "goal",
                    goal.title,
                    estimates.goal_days * max(0, contributor.share) / 100,
                    f"{role} goal “{goal.title}” ({contributor.share}% of "
                    f"{fmt_days(estimates.goal_days)})",
                )
            )
        if goal.owner_id is not None and not owner_listed and goal.owner_id in result:
            if goal.contributors:
                rest = max(0, 100 - shares_total)
                why = (
                    f"owns goal “{goal.title}” (the {rest}% the contributors leave, of "
                    f"{fmt_days(estimates.goal_days)})"
                )
            else:
                rest = 100
                why = f"owns goal “{goal.title}” (all of {fmt_days(estimates.goal_days)})"
            result[goal.owner_id].items.append(
                LoadItem("goal", goal.title, estimates.goal_days * rest / 100, why)
            )
    for plan in sprint.team_plans:
        for item in plan.items:
            if item.kind != ItemKind.HIGH or item.owner_id not in result:
                continue
            assert item.owner_id is not None
            result[item.owner_id].items.append(
                LoadItem(
                    "item",
                    item.title,
                    estimates.item_days,
                    f"owns {plan.team.name} high-priority item “{item.title}”",
                )
            )
    return result
