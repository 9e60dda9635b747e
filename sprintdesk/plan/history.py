"""How past sprints went, as plain data for charts, and suggested timeboxes for the agenda.

Everything is read with a handful of column queries (no object graph), so a history of a
hundred sprints loads in milliseconds. Outcomes are counted for the sprint whose goals they
were: the reviews written in sprint N are about sprint N-1's goals.

The agenda uses :func:`suggested_timeboxes`: for each section, the median time it really took
over the last five meetings that had it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from statistics import median

from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.plan.model import (
    AgendaSection,
    Confidence,
    Goal,
    OutcomeReview,
    Person,
    SectionKind,
    Sprint,
    Status,
    TeamPlan,
)

STATUS_ORDER = (Status.FINISHED, Status.IN_PROGRESS, Status.WONT_FINISH, Status.NOT_STARTED)
CONFIDENCE_ORDER = (Confidence.CERTAIN, Confidence.LIKELY, Confidence.MOONSHOT)
DEFAULT_LAST_MEETINGS = 5


@dataclass
class SprintRow:
    """One sprint on the history charts' time axis."""

    sprint_id: int
    name: str
    start: date | None
    statuses: dict[Status, int] = field(default_factory=lambda: dict.fromkeys(STATUS_ORDER, 0))
    carried_over: int = 0
    goals: int = 0

    @property
    def reviewed(self) -> int:
        return sum(self.statuses.values())


@dataclass(frozen=True)
class Rate:
    """A hit rate: finished out of reviewed."""

    label: str
    finished: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.finished / self.total if self.total else None

    def describe(self) -> str:
        if not self.total:
            return f"{self.label}: no reviewed goals"
        return f"{self.label}: {self.finished} of {self.total} finished ({self.rate:.0%})"


@dataclass(frozen=True)
class SectionTime:
    """Average planned and actual minutes of one agenda section over the meetings held."""

    kind: str
    title: str
    planned_seconds: float
    actual_seconds: float
    meetings: int


@dataclass
class History:
    """All chart data for a run of sprints (oldest first)."""

    sprints: list[SprintRow]
    hit_by_confidence: list[Rate]
    hit_by_owner: list[Rate]
    section_times: list[SectionTime]


@dataclass(frozen=True)
class _Outcome:
    reviewed_sprint: int  # the sprint whose goal it was
    status: Status
    owner: str | None
    confidence: Confidence | None


def _outcomes(session: Session) -> list[_Outcome]:
    rows = session.execute(
        select(
            OutcomeReview.sprint_id,
            Sprint.previous_id,
            Goal.sprint_id,
            OutcomeReview.status,
            Person.name,
            Goal.confidence,
        )
        .join(Sprint, Sprint.id == OutcomeReview.sprint_id)
        .outerjoin(Goal, Goal.id == OutcomeReview.goal_id)
        .outerjoin(Person, Person.id == OutcomeReview.owner_id)
    )
    result = []
    for review_sprint, previous_id, goal_sprint, status, owner, confidence in rows:
        # Prefer the goal's own sprint; else the previous sprint; an imported plan with
        # neither counts its reviews on itself.
        reviewed = goal_sprint or previous_id or review_sprint
        try:
            parsed_status = Status(status)
        except ValueError:
            continue
        parsed_conf = Confidence(confidence) if confidence in set(Confidence) else None
        result.append(_Outcome(reviewed, parsed_status, owner, parsed_conf))
    return result


@dataclass
class HistorySource:
    """The raw rows behind the charts, read once; :meth:`history` builds chart data for any
    window of sprints without going back to the database."""

    rows: list[tuple[int, str, date | None]]
    outcomes: list[_Outcome]
    goals: list[tuple[int, bool, int | None]]
    sections: list[tuple[int, str, str, int, float, int]]

    @classmethod
    def load(cls, session: Session) -> HistorySource:
        rows = [
            (sprint_id, name, start)
            for sprint_id, name, start in session.execute(
                select(Sprint.id, Sprint.name, Sprint.start).order_by(
                    Sprint.start.is_(None), Sprint.start, Sprint.id
                )
            )
        ]
        goals = [
            (sprint_id, bool(carried), carried_from)
            for sprint_id, carried, carried_from in session.execute(
                select(Goal.sprint_id, Goal.carried_over, Goal.carried_from_id)
            )
        ]
        sections = [
            (sprint_id, kind, title, box, actual, position)
            for sprint_id, kind, title, box, actual, position in session.execute(
                select(
                    AgendaSection.sprint_id,
                    AgendaSection.kind,
                    AgendaSection.title,
                    AgendaSection.timebox_seconds,
                    AgendaSection.actual_seconds,
                    AgendaSection.position,
                )
            )
        ]
        return cls(rows, _outcomes(session), goals, sections)

    @property
    def sprint_count(self) -> int:
        return len(self.rows)

    def history(self, *, last: int | None = None) -> History:
        """Chart data for the last ``last`` sprints (all when None), oldest first.

        A sprint without reviewed outcomes (usually the current one) still appears with its
        carried-over goals; rates only count outcomes of the sprints shown.
        """
        chosen = self.rows if last is None else self.rows[-last:] if last > 0 else []
        sprints = [SprintRow(sprint_id, name, start) for sprint_id, name, start in chosen]
        by_id = {row.sprint_id: row for row in sprints}
        confidence: dict[Confidence, list[int]] = {c: [0, 0] for c in CONFIDENCE_ORDER}
        owners: dict[str, list[int]] = {}
        for outcome in self.outcomes:
            row = by_id.get(outcome.reviewed_sprint)
            if row is None:
                continue
            row.statuses[outcome.status] += 1
            hit = 1 if outcome.status == Status.FINISHED else 0
            if outcome.confidence is not None:
                confidence[outcome.confidence][0] += hit
                confidence[outcome.confidence][1] += 1
            if outcome.owner:
                counts = owners.setdefault(outcome.owner, [0, 0])
                counts[0] += hit
                counts[1] += 1
        for sprint_id, carried_over, carried_from in self.goals:
            row = by_id.get(sprint_id)
            if row is not None:
                row.goals += 1
                if carried_over or carried_from is not None:
                    row.carried_over += 1
        return History(
            sprints=sprints,
            hit_by_confidence=[
                Rate(c.value, confidence[c][0], confidence[c][1]) for c in CONFIDENCE_ORDER
            ],
            hit_by_owner=sorted(
                (Rate(name, hit, total) for name, (hit, total) in owners.items()),
                key=lambda r: (-(r.rate or 0.0), -r.total, r.label),
            ),
            section_times=_section_times(self.sections, set(by_id)),
        )


def _section_times(
    sections: Iterable[tuple[int, str, str, int, float, int]], sprint_ids: set[int]
) -> list[SectionTime]:
    """Average planned vs actual per section (kind + title), over sprints whose meeting ran."""
    held = {
        sprint_id
        for sprint_id, _k, _t, _box, actual, _p in sections
        if sprint_id in sprint_ids and actual > 0
    }
    sums: dict[tuple[str, str], list[float]] = {}
    order: dict[tuple[str, str], tuple[int, int]] = {}
    for sprint_id, kind, title, box, actual, position in sections:
        if sprint_id not in held:
            continue
        key = (kind, title)
        entry = sums.setdefault(key, [0.0, 0.0, 0])
        entry[0] += box
        entry[1] += actual
        entry[2] += 1
        # Agenda order of the most recent meeting that had the section.
        order[key] = max(order.get(key, (0, 0)), (sprint_id, -position))
    keys = sorted(sums, key=lambda k: -order[k][1])
    return [
        SectionTime(k[0], k[1], sums[k][0] / sums[k][2], sums[k][1] / sums[k][2], int(sums[k][2]))
        for k in keys
    ]


# --- suggested timeboxes -----------------------------------------------------------------


def _section_key(kind: str, title: str, team_id: int | None) -> tuple[str, str | int]:
    """Team sections match by team (its title may change with the team's name)."""
    if kind == SectionKind.TEAM and team_id is not None:
        return (kind, team_id)
    return (kind, title)


def _past_actuals(
    session: Session, sprint: Sprint, last: int
) -> dict[tuple[str, str | int], list[float]]:
    """Section key -> actual seconds in earlier meetings, newest first (at most ``last``)."""
    query = (
        select(
            AgendaSection.sprint_id,
            AgendaSection.kind,
            AgendaSection.title,
            TeamPlan.team_id,
            AgendaSection.actual_seconds,
        )
        .join(Sprint, Sprint.id == AgendaSection.sprint_id)
        .outerjoin(TeamPlan, TeamPlan.id == AgendaSection.team_plan_id)
        .where(AgendaSection.sprint_id != sprint.id, AgendaSection.actual_seconds > 0)
    )
    if sprint.start is not None:
        query = query.where((Sprint.start < sprint.start) | Sprint.start.is_(None))
    elif sprint.id is not None:
        query = query.where(Sprint.id < sprint.id)
    query = query.order_by(Sprint.start.is_(None), Sprint.start.desc(), Sprint.id.desc())
    found: dict[tuple[str, str | int], list[float]] = {}
    for _sprint_id, kind, title, team_id, actual in session.execute(query):
        values = found.setdefault(_section_key(kind, title, team_id), [])
        if len(values) < last:
            values.append(actual)
    return found


def suggested_timeboxes(
    session: Session, sprint: Sprint, *, last: int = DEFAULT_LAST_MEETINGS
) -> dict[int, int]:
    """Section id -> the median actual time, in whole seconds, of that section over the last
    ``last`` earlier meetings that had it (same kind and title; team sections: same team),
    for every section of ``sprint`` in one query. Sections with no history are left out.

    Meetings are earlier by sprint start date (by id for sprints without dates); the sprint's
    own meeting never counts.
    """
    past = _past_actuals(session, sprint, last)
    result: dict[int, int] = {}
    for section in sprint.sections:
        team_id = section.team_plan.team_id if section.team_plan is not None else None
        values = past.get(_section_key(section.kind, section.title, team_id))
        if values:
            result[section.id] = round(median(values))
    return result
