"""What the roster window shows, read as plain values: the people table's rows, the teams list
and the selected team's details. On a team database these run on the writer thread
(``PlanDocument.read_later``) and only their results cross to the UI thread, never the
session's objects; they touch no Qt object."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.plan import roster
from sprintdesk.plan.model import Team, team_members


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
    # Everyone's teams in two more statements (each is a round trip to a team database),
    # in the order ``Person.teams`` has them.
    teams = session.scalars(select(Team).order_by(Team.position)).all()
    rank = {team.id: index for index, team in enumerate(teams)}
    names = {team.id: team.name for team in teams}
    member_of: dict[int, list[int]] = {}
    links = session.execute(select(team_members.c.person_id, team_members.c.team_id))
    for person_id, team_id in links:
        member_of.setdefault(person_id, []).append(team_id)
    for team_ids in member_of.values():
        team_ids.sort(key=rank.__getitem__)
    return [
        PersonRow(
            p.id,
            p.name,
            p.github_login or "",
            p.role,
            p.active,
            ", ".join(names[team_id] for team_id in member_of.get(p.id, [])),
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
