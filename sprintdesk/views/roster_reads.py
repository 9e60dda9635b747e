"""What the roster window shows, read as plain values: the people table's rows, the teams list
and the selected team's details. On a team database these run on the writer thread
(``PlanDocument.read_later``) and only their results cross to the UI thread, never the
session's objects; they touch no Qt object."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from sprintdesk.plan import roster
from sprintdesk.plan.model import Team


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    login: str
    role: str
    active: bool
    teams: str


@dataclass(frozen=True)
class TeamRow:
    id: int
    name: str
    active: bool


@dataclass(frozen=True)
class TeamDetails:
    """The selected team: its name, whether it is active, its members' ids and who may be
    ticked (everyone active, and archived people still in the team): id, name, active."""

    id: int
    name: str
    active: bool
    member_ids: frozenset[int]
    people: list[tuple[int, str, bool]]


def read_people(session: Session, *, include_archived: bool) -> list[PersonRow]:
    """The people table's rows."""
    return [
        PersonRow(
            p.id,
            p.name,
            p.github_login or "",
            p.role,
            p.active,
            ", ".join(t.name for t in p.teams),
        )
        for p in roster.people(session, include_archived=include_archived)
    ]


def read_teams(session: Session, *, include_archived: bool) -> list[TeamRow]:
    """The teams list."""
    return [
        TeamRow(t.id, t.name, t.active)
        for t in roster.teams(session, include_archived=include_archived)
    ]


def read_team(session: Session, team_id: int) -> TeamDetails | None:
    """One team's details (None: it was deleted elsewhere)."""
    team = session.get(Team, team_id)
    if team is None:
        return None
    member_ids = frozenset(p.id for p in team.members)
    people = [
        (p.id, p.name, p.active) for p in roster.people(session) if p.active or p.id in member_ids
    ]
    return TeamDetails(team.id, team.name, team.active, member_ids, people)
