"""People, teams and per-sprint availability: the edits the roster window makes, validated here
so that every front end (window, team page, CLI) gives the same clear messages.

Every function raises :class:`RosterError` (a :class:`PlanError`) with a sentence meant for the
user when the input is wrong; nothing is written in that case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sprintdesk.plan.model import (
    Allocation,
    Person,
    Role,
    Sprint,
    SupportDuty,
    Team,
    TimeOff,
)
from sprintdesk.plan.planning import PlanError
from sprintdesk.plan.workdays import week_count, working_days

# GitHub logins are letters, digits and hyphens, at most 39 characters; "_" is kept for
# Enterprise Managed Users ("lena_acme"). A dot never appears in a GitHub login: imported text
# may keep an "@lena.k" mention as written, but the roster refuses it as a login.
_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,38})$")
MIN_SHARE, MAX_SHARE = 0.05, 1.0


class RosterError(PlanError):
    """Bad roster or availability input; the message says what to change."""


# --- people ------------------------------------------------------------------------------


def clean_name(name: str, what: str = "A person") -> str:
    clean = " ".join(name.split())
    if not clean:
        raise RosterError(f"{what} needs a name.")
    if len(clean) > 200:
        raise RosterError(f"That name is too long ({len(clean)} characters; at most 200).")
    return clean


def clean_login(login: str | None) -> str | None:
    """``@Login`` → ``Login``; empty → None; anything GitHub would not accept is refused."""
    if login is None:
        return None
    clean = login.strip().lstrip("@").strip()
    if not clean:
        return None
    if "." in clean:
        raise RosterError(
            f"“{clean}” is not a GitHub login: GitHub logins cannot contain a dot "
            f"(did you mean “{clean.replace('.', '-')}”?)."
        )
    if not _LOGIN.match(clean):
        raise RosterError(
            f"“{clean}” is not a GitHub login: use letters, digits and hyphens, "
            "at most 39 characters, no spaces."
        )
    return clean


def clean_role(role: str) -> str:
    try:
        return Role(role).value
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise RosterError(f"Unknown role “{role}”; choose one of: {known}.") from None


def _login_taken(session: Session, login: str, person_id: int | None) -> Person | None:
    # GitHub logins are case-insensitive: "Ana" and "ana" are the same account.
    query = select(Person).where(func.lower(Person.github_login) == login.lower())
    if person_id is not None:
        query = query.where(Person.id != person_id)
    return session.scalar(query)


def add_person(
    session: Session, name: str, login: str | None = None, role: str = Role.ENGINEER.value
) -> Person:
    clean = clean_name(name)
    clean_gh = clean_login(login)
    clean_r = clean_role(role)
    if clean_gh:
        other = _login_taken(session, clean_gh, None)
        if other is not None:
            raise RosterError(f"{other.name} already has the GitHub login “{other.github_login}”.")
    person = Person(name=clean, github_login=clean_gh, role=clean_r, active=True)
    session.add(person)
    session.flush()
    return person


def update_person(
    session: Session,
    person: Person,
    *,
    name: str | None = None,
    login: str | None = "",
    role: str | None = None,
    active: bool | None = None,
) -> Person:
    """Change what is given (``login=""`` keeps the login; ``None`` clears it)."""
    new_name = clean_name(name) if name is not None else person.name
    new_login = person.github_login if login == "" else clean_login(login)
    new_role = clean_role(role) if role is not None else person.role
    if new_login:
        other = _login_taken(session, new_login, person.id)
        if other is not None:
            raise RosterError(f"{other.name} already has the GitHub login “{other.github_login}”.")
    person.name, person.github_login, person.role = new_name, new_login, new_role
    if active is not None:
        person.active = active
    session.flush()
    return person


def archive_person(session: Session, person: Person, archived: bool = True) -> None:
    """Archived people keep their history but leave their teams' lists and pickers."""
    person.active = not archived
    session.flush()


def people(session: Session, *, include_archived: bool = True) -> list[Person]:
    query = select(Person).order_by(Person.active.desc(), func.lower(Person.name))
    if not include_archived:
        query = query.where(Person.active.is_(True))
    return list(session.scalars(query))


# --- teams -------------------------------------------------------------------------------


def _team_taken(session: Session, name: str, team_id: int | None) -> Team | None:
    query = select(Team).where(func.lower(Team.name) == name.lower())
    if team_id is not None:
        query = query.where(Team.id != team_id)
    return session.scalar(query)


def add_team(session: Session, name: str, members: list[Person] | None = None) -> Team:
    clean = clean_name(name, "A team")
    other = _team_taken(session, clean, None)
    if other is not None:
        raise RosterError(f"There is already a team called “{other.name}”.")
    position = (session.scalar(select(func.max(Team.position))) or 0) + 1
    team = Team(name=clean, position=position, members=list(members or []), active=True)
    session.add(team)
    session.flush()
    return team


def rename_team(session: Session, team: Team, name: str) -> Team:
    clean = clean_name(name, "A team")
    other = _team_taken(session, clean, team.id)
    if other is not None:
        raise RosterError(f"There is already a team called “{other.name}”.")
    team.name = clean
    session.flush()
    return team


def set_members(session: Session, team: Team, members: list[Person]) -> None:
    team.members = sorted(set(members), key=lambda p: p.name.lower())
    session.flush()


def archive_team(session: Session, team: Team, archived: bool = True) -> None:
    team.active = not archived
    session.flush()


def teams(session: Session, *, include_archived: bool = True) -> list[Team]:
    query = select(Team).order_by(Team.active.desc(), Team.position, Team.name)
    if not include_archived:
        query = query.where(Team.active.is_(True))
    return list(session.scalars(query))


# --- availability ------------------------------------------------------------------------


def set_share(
    session: Session, sprint: Sprint, person: Person, share: float, note: str | None = None
) -> None:
    """A part-time share for the sprint (0.05 to 1.0); 1.0 with no note removes the entry."""
    if not MIN_SHARE <= share <= MAX_SHARE:
        raise RosterError(
            f"A share is between {MIN_SHARE:.0%} and {MAX_SHARE:.0%} (got {share:.0%})."
        )
    entry = next((a for a in sprint.allocations if a.person_id == person.id), None)
    if entry is None:
        if share == 1.0 and not note:
            return
        entry = Allocation(person=person, share=share, note=note or "")
        sprint.allocations.append(entry)
    else:
        entry.share = share
        if note is not None:
            entry.note = note
        if share == 1.0 and not entry.note:
            sprint.allocations.remove(entry)
    session.flush()


def share_of(sprint: Sprint, person_id: int) -> float:
    entry = next((a for a in sprint.allocations if a.person_id == person_id), None)
    return entry.share if entry is not None else 1.0


def add_time_off(
    session: Session,
    sprint: Sprint,
    person: Person,
    start: date,
    end: date | None = None,
    *,
    half_day: bool = False,
    note: str = "",
) -> TimeOff:
    """Days off from ``start`` to ``end`` (inclusive); ``half_day`` makes each day count 0.5.
    The same days off already stored for that person (same first and last day, half days or
    not) are refused: two windows adding the same entry store it once."""
    end = end or start
    check_time_off(start, end, sprint.start, sprint.end)
    for stored in sprint.time_off:
        same_person = stored.person is person or (
            person.id is not None and stored.person_id == person.id
        )
        if same_person and (stored.start, stored.end, stored.half_day) == (start, end, half_day):
            raise RosterError(
                f"{person.name} already has these days off ({start} to {end}); "
                "they are stored once."
            )
    entry = TimeOff(person=person, start=start, end=end, half_day=half_day, note=note.strip())
    sprint.time_off.append(entry)
    session.flush()
    return entry


def check_time_off(start: date, end: date, first: date | None, last: date | None) -> None:
    """Refuse days off that end before they start or have no working day in the sprint
    (``first`` to ``last``; not checked for a sprint without dates)."""
    if end < start:
        raise RosterError(f"The days off end ({end}) before they start ({start}).")
    if first is not None and last is not None:
        if end < first or start > last:
            raise RosterError(f"{start} to {end} is outside the sprint ({first} to {last}).")
        if not working_days(max(start, first), min(end, last)):
            raise RosterError(f"{start} to {end} has no working day in the sprint.")


def remove_time_off(session: Session, sprint: Sprint, entry: TimeOff) -> None:
    sprint.time_off.remove(entry)
    session.flush()


def set_support_duty(
    session: Session, sprint: Sprint, team: Team, week: int, person: Person | None
) -> None:
    """Who is support hero for ``team`` in ``week`` (1-based); None clears the week."""
    weeks = week_count(sprint)
    if weeks and not 1 <= week <= weeks:
        raise RosterError(f"The sprint has {weeks} weeks; there is no week {week}.")
    entry = next(
        (d for d in sprint.support_duties if d.team_id == team.id and d.week == week), None
    )
    if person is None:
        if entry is not None:
            sprint.support_duties.remove(entry)
    elif entry is None:
        sprint.support_duties.append(SupportDuty(team=team, week=week, person=person))
    else:
        entry.person = person
    session.flush()


def duty_of(sprint: Sprint, team_id: int, week: int) -> int | None:
    entry = next(
        (d for d in sprint.support_duties if d.team_id == team_id and d.week == week), None
    )
    return entry.person_id if entry is not None else None


# --- people from GitHub ------------------------------------------------------------------


@dataclass(frozen=True)
class GitHubCandidate:
    """A repository's assignable user, and who has that login in the roster already."""

    login: str
    known_as: str | None = None


def github_candidates(session: Session, logins: list[str]) -> list[GitHubCandidate]:
    known = {
        (p.github_login or "").lower(): p.name
        for p in session.scalars(select(Person).where(Person.github_login.is_not(None)))
    }
    return [GitHubCandidate(login, known.get(login.lower())) for login in logins]


def add_github_people(
    session: Session, logins: list[str], role: str = Role.ENGINEER.value
) -> list[Person]:
    """Add a person per login not in the roster yet (named after the login: rename them in the
    roster); logins already there are skipped."""
    added = []
    for candidate in github_candidates(session, logins):
        if candidate.known_as is None:
            added.append(add_person(session, candidate.login, candidate.login, role))
    return added
