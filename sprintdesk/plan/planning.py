"""Planning logic: creating sprints and teams with validation, starting the next sprint from a
finished one, carrying goals and team items over, and suggesting names and dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.plan.model import (
    Decision,
    Goal,
    GoalContributor,
    ItemKind,
    OutcomeReview,
    Person,
    Sprint,
    SprintState,
    Status,
    Team,
    TeamItem,
    TeamPlan,
)
from sprintdesk.plan.settings import forget as forget_settings
from sprintdesk.plan.templates import build_agenda, get_template
from sprintdesk.plan.workdays import next_weekday, working_days


class PlanError(ValueError):
    """Bad input for a planning operation; the message is meant for the user."""


class AmbiguousSprintError(PlanError):
    """Several sprints have the ``name`` asked for (databases from before names were unique,
    or imports): ``ids`` are theirs, for the caller to pick one by id."""

    def __init__(self, name: str, ids: list[int]) -> None:
        self.name = name
        self.ids = tuple(ids)
        listed = ", ".join(str(i) for i in ids)
        super().__init__(f"Several sprints are called {name!r} (ids {listed}); use the id.")


# --- names and dates ---------------------------------------------------------------------

_SPLIT_NAME = re.compile(
    r"^(?P<prefix>.*?)(?P<major>\d+)\.(?P<minor>\d+)(?P<rest>(?:\.\d+)*)"
    r"\s+(?P<part>\d+)/(?P<parts>\d+)(?P<suffix>.*)$"
)
_TRAILING_NUMBER = re.compile(r"^(?P<head>.*?)(?P<number>\d+)(?P<tail>\D*)$")


def suggest_next_name(name: str) -> str:
    """``4.12.0 1/2`` → ``4.12.0 2/2`` → ``4.13.0 1/2``; ``Sprint 41`` → ``Sprint 42``."""
    match = _SPLIT_NAME.match(name.strip())
    if match:
        part, parts = int(match["part"]), int(match["parts"])
        major, minor, rest = match["major"], int(match["minor"]), match["rest"]
        if part < parts:
            version = f"{major}.{minor}{rest}"
            part += 1
        else:
            zeros = re.sub(r"\d+", "0", rest)
            version = f"{major}.{minor + 1}{zeros}"
            part = 1
        return f"{match['prefix']}{version} {part}/{parts}{match['suffix']}"
    match = _TRAILING_NUMBER.match(name.strip())
    if match:
        number = match["number"]
        bumped = str(int(number) + 1).zfill(len(number))
        return f"{match['head']}{bumped}{match['tail']}"
    return f"{name.strip()} (next)"


def suggest_next_dates(
    start: date | None, end: date | None, *, today: date | None = None
) -> tuple[date, date]:
    """As many working days as the previous sprint, starting on the first weekday after it.

    Counting working days rather than calendar days keeps the end on a working day: a sprint
    from Thu 3 to Mon 14 Dec (eight working days) is followed by Tue 15 to Thu 24 Dec, not by
    Tue 15 to Sat 26 Dec.
    """
    if start is None or end is None:
        begin = next_weekday(today or date.today())
        return begin, begin + timedelta(days=11)
    count = max(1, len(working_days(start, end)))
    begin = next_weekday(end + timedelta(days=1))
    finish = begin
    for _ in range(count - 1):
        finish = next_weekday(finish + timedelta(days=1))
    return begin, finish


# --- creating things ---------------------------------------------------------------------


def validate_sprint_fields(
    name: str, start: date | None, end: date | None, *, session: Session | None = None
) -> str:
    """The cleaned name, or PlanError: empty name, end before start, or (given a session) a
    name another sprint already has — commands and publishing find sprints by name."""
    clean = " ".join(name.split())
    if not clean:
        raise PlanError("A sprint needs a name.")
    if start is not None and end is not None and end < start:
        raise PlanError(f"The sprint ends ({end}) before it starts ({start}).")
    if start is not None and end is not None and not working_days(start, end):
        raise PlanError(
            f"The sprint from {start:%a %d %b} to {end:%a %d %b} has no working day "
            "(Monday to Friday): nobody could plan any work in it."
        )
    if session is not None:
        with session.no_autoflush:
            other = session.scalar(select(Sprint.id).where(Sprint.name == clean).limit(1))
        if other is not None:
            raise PlanError(f"There is already a sprint called {clean!r} (id {other}).")
    return clean


_NUMBERED_COPY = re.compile(r"^(?P<base>.*\S) \((?P<number>\d+)\)$")


def unique_sprint_name(session: Session, name: str) -> str:
    """``name``, or ``name (2)``, ``name (3)``... the first no sprint has yet: commands and
    publishing find sprints by name, so two sprints never share one."""
    # "Sprint 4 (2)" taken gives "Sprint 4 (3)", never "Sprint 4 (2) (2)".
    numbered = _NUMBERED_COPY.match(name)
    if numbered is not None:
        name = numbered.group("base")
    with session.no_autoflush:
        taken = set(
            session.scalars(
                select(Sprint.name).where(Sprint.name.startswith(name, autoescape=True))
            )
        )
    original = numbered.group(0) if numbered is not None else name
    if original not in taken:
        return original
    number = 2
    while f"{name} ({number})" in taken:
        number += 1
    return f"{name} ({number})"


def create_sprint(
    session: Session,
    name: str,
    start: date | None = None,
    end: date | None = None,
    *,
    template: str | None = None,
    teams: list[Team] | None = None,
    previous: Sprint | None = None,
) -> Sprint:
    """A new draft sprint with a team plan per active team and the template's agenda."""
    clean = validate_sprint_fields(name, start, end, session=session)
    chosen = get_template(template)
    sprint = Sprint(name=clean, start=start, end=end, template=chosen.name, previous=previous)
    session.add(sprint)
    if teams is None:
        teams = list(
            session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.position))
        )
    sprint.team_plans = [TeamPlan(team=team, position=i) for i, team in enumerate(teams)]
    build_agenda(sprint, sprint.team_plans, chosen)
    return sprint


def find_sprint(session: Session, key: str) -> Sprint:
    """A sprint by id or exact name; PlanError when there is none or the name is ambiguous."""
    key = key.strip()
    if not key:
        raise PlanError("Name a sprint (its id or exact name).")
    if key.isdigit():
        sprint = session.get(Sprint, int(key))
        if sprint is not None:
            return sprint
    matches = list(session.scalars(select(Sprint).where(Sprint.name == key).order_by(Sprint.id)))
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise AmbiguousSprintError(key, [s.id for s in matches])
    raise PlanError(f"No sprint {key!r}. 'sprintdesk list' shows the sprints.")


# --- the next sprint ---------------------------------------------------------------------


@dataclass(frozen=True)
class NextSprintSuggestion:
    name: str
    start: date
    end: date


def suggest_next(sprint: Sprint) -> NextSprintSuggestion:
    start, end = suggest_next_dates(sprint.start, sprint.end)
    return NextSprintSuggestion(suggest_next_name(sprint.name), start, end)


def start_next_sprint(
    session: Session,
    previous: Sprint,
    *,
    name: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Sprint:
    """Start the sprint after ``previous``: its goals become outcome reviews and its teams'
    high/low items become the new team plans' retro items."""
    suggestion = suggest_next(previous)
    sprint = Sprint(
        name=validate_sprint_fields(
            name if name is not None else suggestion.name,
            start or suggestion.start,
            end or suggestion.end,
            session=session,
        ),
        start=start or suggestion.start,
        end=end or suggestion.end,
        template=previous.template,
        previous=previous,
        state=SprintState.DRAFT.value,
    )
    session.add(sprint)
    sprint.outcomes = [
        OutcomeReview(
            position=i,
            title=goal.title,
            description=goal.description,
            owner=goal.owner,
            target=goal.target,
            goal=goal,
            was_carried=goal.carried_over or goal.carried_from_id is not None,
        )
        for i, goal in enumerate(previous.goals)
    ]
    plans: list[TeamPlan] = []
    for i, old in enumerate(previous.team_plans):
        plan = TeamPlan(team=old.team, position=i)
        retro: list[TeamItem] = []
        for kind, retro_kind in (
            (ItemKind.HIGH, ItemKind.RETRO_HIGH),
            (ItemKind.LOW, ItemKind.RETRO_LOW),
        ):
            for item in old.items_of(kind):
                retro.append(
                    TeamItem(
                        kind=retro_kind.value,
                        position=len(retro),
                        title=item.title,
                        owner=item.owner,
                        status=Status.NOT_STARTED.value,
                        carried_from=item,
                        carried_over=item.carried_over,
                    )
                )
        plan.items = retro
        plan.okrs = []
        plans.append(plan)
    known = {plan.team.id for plan in plans}
    for team in session.scalars(select(Team).where(Team.active.is_(True)).order_by(Team.position)):
        if team.id not in known:
            plans.append(TeamPlan(team=team, position=len(plans)))
    sprint.team_plans = plans
    build_agenda(sprint, plans)
    # Timeboxes follow what the previous meeting planned, section by section.
    previous_boxes = {(s.kind, s.title): s.timebox_seconds for s in previous.sections}
    for section in sprint.sections:
        section.timebox_seconds = previous_boxes.get(
            (section.kind, section.title), section.timebox_seconds
        )
    return sprint


def hangover_candidates(plan: TeamPlan) -> list[TeamItem]:
    """The team's retro items that were not finished: to re-prioritise or deprioritise."""
    return [
        item
        for item in plan.items
        if item.kind in (ItemKind.RETRO_HIGH, ItemKind.RETRO_LOW) and item.status != Status.FINISHED
    ]


def refresh_hangovers(plan: TeamPlan) -> list[TeamItem]:
    """Add a hang-over item for every unfinished retro item that has none yet."""
    have = {item.carried_from_id for item in plan.items if item.kind == ItemKind.HANGOVER}
    have_objs = {id(item.carried_from) for item in plan.items if item.kind == ItemKind.HANGOVER}
    added: list[TeamItem] = []
    for retro in hangover_candidates(plan):
        if retro.id is not None and retro.id in have or id(retro) in have_objs:
            continue
        item = TeamItem(
            kind=ItemKind.HANGOVER.value,
            position=len(plan.items),
            title=retro.title,
            owner=retro.owner,
            carried_from=retro,
        )
        plan.items.append(item)
        added.append(item)
    return added


def decide_hangover(plan: TeamPlan, hangover: TeamItem, decision: Decision) -> TeamItem | None:
    """Record the decision; prioritising adds the item to high priority marked 🔁 (carried
    over, linked to where it came from), deprioritising takes that copy out again."""
    if hangover.kind != ItemKind.HANGOVER:
        raise PlanError("Only hang-over items take a prioritise/deprioritise decision.")
    hangover.decision = decision.value
    existing = next(
        (
            item
            for item in plan.items
            if item.kind == ItemKind.HIGH and item.carried_over and item.carried_from is hangover
        ),
        None,
    )
    if decision == Decision.PRIORITISE:
        if existing is not None:
            return existing
        item = TeamItem(
            kind=ItemKind.HIGH.value,
            position=len(plan.items),
            title=hangover.title,
            owner=hangover.owner,
            carried_from=hangover,
            carried_over=True,
        )
        plan.items.append(item)
        return item
    if existing is not None:
        plan.items.remove(existing)
    return None


def carried_goal(sprint: Sprint, outcome: OutcomeReview) -> Goal | None:
    """The 🔁 goal carrying ``outcome`` into ``sprint``, if there is one."""
    return next(
        (
            g
            for g in sprint.goals
            if g.carried_over
            and (
                (outcome.goal is not None and g.carried_from is outcome.goal)
                or (outcome.goal is None and g.title == outcome.title)
            )
        ),
        None,
    )


def carried_goal_edits(goal: Goal, outcome: OutcomeReview) -> list[str]:
    """What was changed on a carried goal since it was carried (the names of the fields, as
    :func:`set_carry_over` fills them), so taking it back out can say what would be lost."""
    source = outcome.goal
    carried: dict[str, object] = {
        "title": outcome.title,
        "description": outcome.description,
        "owner": outcome.owner,
        "target": outcome.target,
        "why": source.why if source is not None else "",
        "confidence": source.confidence if source is not None else "likely",
        "team": source.team if source is not None else None,
        "contributors": [(c.person, c.share) for c in source.contributors] if source else [],
    }
    now: dict[str, object] = {
        "title": goal.title,
        "description": goal.description,
        "owner": goal.owner,
        "target": goal.target,
        "why": goal.why,
        "confidence": goal.confidence,
        "team": goal.team,
        "contributors": [(c.person, c.share) for c in goal.contributors],
    }
    return [name for name, value in carried.items() if now[name] != value]


def set_carry_over(sprint: Sprint, outcome: OutcomeReview, carry: bool) -> Goal | None:
    """Carry a reviewed outcome into this sprint's goals (🔁, linked to the goal it came from),
    or take it back out."""
    outcome.carry_over = carry
    existing = carried_goal(sprint, outcome)
    if not carry:
        if existing is not None:
            sprint.goals.remove(existing)
        return None
    if existing is not None:
        return existing
    source = outcome.goal
    goal = Goal(
        position=len(sprint.goals),
        title=outcome.title,
        description=outcome.description,
        owner=outcome.owner,
        target=outcome.target,
        why=source.why if source is not None else "",
        confidence=source.confidence if source is not None else "likely",
        team=source.team if source is not None else None,
        carried_from=source,
        carried_over=True,
    )
    if source is not None:
        goal.contributors = [
            GoalContributor(person=c.person, share=c.share, position=c.position)
            for c in source.contributors
        ]
    sprint.goals.append(goal)
    return goal


def load_sprint(session: Session, sprint_id: int) -> Sprint:
    """A sprint with everything a page, a check or the renderer walks, in a few queries
    (one per relationship, not one per row).

    People and teams are few and shared by every list, so they are read once up front: the
    many-to-one links (owners, heroes, teams) then resolve from the identity map with no query.
    """
    from sqlalchemy.orm import joinedload, selectinload

    forget_settings(session)  # read again at their first use (``settings.get_once``)
    # The identity map holds objects weakly: keep these alive as long as the session.
    # Small lists ride along with their parent's query (joined: a few more rows, one query
    # fewer): on a team database across a network every statement is a round trip.
    session.info["roster"] = (
        session.scalars(select(Person)).all(),
        session.scalars(select(Team).options(joinedload(Team.members))).unique().all(),
    )
    options = [
        selectinload(Sprint.team_plans).options(
            selectinload(TeamPlan.items),
            selectinload(TeamPlan.okrs),
        ),
        joinedload(Sprint.sections),
        selectinload(Sprint.outcomes),
        selectinload(Sprint.retro_notes),
        selectinload(Sprint.priorities),
        selectinload(Sprint.goals).selectinload(Goal.contributors),
        selectinload(Sprint.notes),
        selectinload(Sprint.allocations),
        selectinload(Sprint.time_off),
        selectinload(Sprint.support_duties),
    ]
    sprint = (
        session.scalars(select(Sprint).where(Sprint.id == sprint_id).options(*options))
        .unique()
        .one_or_none()
    )
    if sprint is None:
        raise PlanError(f"No sprint with id {sprint_id}.")
    return sprint
