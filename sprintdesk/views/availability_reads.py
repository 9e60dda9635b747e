"""What the Availability window shows of one sprint, read as plain values: who may be off,
the part-time shares, the days off, the support heroes by team and week, and the product
capacity. On a team database :func:`read_availability` runs on the writer thread
(``PlanDocument.read_later``); it touches no Qt object. The shapes say when the same people,
teams and weeks came back, so the window changes its boxes in place."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from sprintdesk.plan import roster
from sprintdesk.plan.capacity import Estimates, compute_capacity, sprint_people
from sprintdesk.plan.model import Person, Sprint
from sprintdesk.plan.planning import PlanError, load_sprint
from sprintdesk.plan.workdays import week_count, working_days


@dataclass(frozen=True)
class DayOffRow:
    id: int
    person: str
    start: date
    end: date
    half_day: bool
    note: str


@dataclass(frozen=True)
class HeroRow:
    """One team's support heroes: who may be chosen (its members first) and who is, by week
    (0: the whole sprint); ``missing`` names the chosen who are no longer candidates."""

    team_id: int
    name: str
    candidates: list[tuple[int, str]]
    chosen: dict[int, int | None]
    missing: dict[int, str]


@dataclass(frozen=True)
class AvailabilityState:
    """What the Availability window shows of one sprint, as plain values (read on the writer
    thread on a team database, shown on the UI thread)."""

    name: str
    start: date | None
    end: date | None
    people: list[tuple[int, str]]  # who may be off: the sprint's people, then everyone else
    shares: list[tuple[int, str, int]]  # the sprint's people: id, name, share in percent
    days_off: list[DayOffRow]
    weeks: int
    heroes: list[HeroRow]
    capacity: list[tuple[str, float]] | None  # product days by person; None: no dates


def share_shape(state: AvailabilityState) -> tuple[int, ...]:
    """Who has a share box: the same people read again update their boxes in place."""
    return tuple(person_id for person_id, _name, _percent in state.shares)


def hero_shape(state: AvailabilityState) -> tuple[object, ...]:
    """The hero grid's boxes and their entries by id: the same read again updates in place."""
    return (
        state.weeks,
        tuple(
            (team.team_id, tuple(person_id for person_id, _name in team.candidates))
            for team in state.heroes
        ),
    )


def capacity_of(
    sprint: Sprint, estimates: Estimates | None = None
) -> list[tuple[str, float]] | None:
    """Each person's product capacity in days, or None when the sprint has no working days
    (``estimates``: None reads them from the settings; the capacity does not depend on
    them, only the load does)."""
    if not working_days(sprint.start, sprint.end):
        return None
    entries = compute_capacity(sprint, estimates=estimates).values()
    return [(entry.name, entry.capacity) for entry in entries]


def read_availability(session: Session, sprint_id: int) -> AvailabilityState | None:
    """The window's contents for ``sprint_id`` (None: the sprint is gone). Touches no Qt
    object: it runs on the writer thread on a team database."""
    try:  # the whole sprint in a few statements: each is a round trip to a team database
        sprint = load_sprint(session, sprint_id)
    except PlanError:
        return None
    candidates = roster.people(session, include_archived=False)

    def name_of(person_id: int) -> str:
        person = session.get(Person, person_id)
        return person.name if person is not None else "?"

    return availability_of(sprint, candidates, name_of)


def loaded_availability(sprint: Sprint) -> AvailabilityState:
    """The window's contents from a sprint the document has loaded, without a query (the
    team database cannot be reached): who may be off and be a hero are the sprint's people."""
    people = sprint_people(sprint)
    candidates = sorted((p for p in people if p.active), key=lambda p: p.name.lower())
    known = {p.id: p.name for p in people}
    return availability_of(
        sprint, candidates, lambda person_id: known.get(person_id, "?"), Estimates()
    )


def availability_of(
    sprint: Sprint,
    candidates: list[Person],
    name_of: Callable[[int], str],
    estimates: Estimates | None = None,
) -> AvailabilityState:
    """The window's contents for a loaded ``sprint``; ``candidates``: the active people in
    name order, ``name_of``: the name of a chosen hero who is not among them."""
    people = sprint_people(sprint)
    others = [p for p in candidates if p not in people]
    weeks = week_count(sprint)
    heroes = []
    for plan in sprint.team_plans:
        members = {p.id for p in plan.team.members}
        ordered = [p for p in candidates if p.id in members] + [
            p for p in candidates if p.id not in members
        ]
        chosen: dict[int, int | None] = {0: plan.support_hero_id}
        for week in range(1, weeks + 1):
            chosen[week] = roster.duty_of(sprint, plan.team_id, week)
        known = {p.id for p in ordered}
        missing = {
            person_id: name_of(person_id)
            for person_id in {c for c in chosen.values() if c is not None} - known
        }
        heroes.append(
            HeroRow(
                plan.team_id, plan.team.name, [(p.id, p.name) for p in ordered], chosen, missing
            )
        )
    return AvailabilityState(
        name=sprint.name,
        start=sprint.start,
        end=sprint.end,
        people=[(p.id, p.name) for p in people + others],
        shares=[(p.id, p.name, round(roster.share_of(sprint, p.id) * 100)) for p in people],
        days_off=[
            DayOffRow(e.id, e.person.name, e.start, e.end, e.half_day, e.note)
            for e in sorted(sprint.time_off, key=lambda e: (e.start, e.end, e.person.name))
        ],
        weeks=weeks,
        heroes=heroes,
        capacity=capacity_of(sprint, estimates),
    )
