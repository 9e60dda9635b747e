"""Markdown (ours or hand-written) -> a sprint plan.

Two steps: :func:`parse_plan` turns text into plain dataclasses (no database), and
:func:`apply_plan` creates a :class:`~sprintdesk.plan.model.Sprint` from them in a session, matching
or creating people (by ``@login`` or name) and teams (by name). :func:`parse_team_section`,
:func:`team_changes` and :func:`apply_team` bring one team's section (a GitHub comment edited by
hand) onto an existing :class:`~sprintdesk.plan.model.TeamPlan`, listing what changes first.

The parser reads line by line and never gives up: a line it does not understand is kept as a
note in the section it appeared in. Text inside code fences and HTML comments is not content.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.markdown.bulk import BulkRows
from sprintdesk.markdown.parse import parse_plan, parse_team_section
from sprintdesk.markdown.parsed import (
    MAX_ITEMS_PER_LIST,
    MAX_PLAN_BYTES,
    NoLogin,
    ParsedItem,
    ParsedPlan,
    ParsedTeam,
    PlanImportError,
    decode,
)
from sprintdesk.plan.model import (
    AgendaSection,
    Base,
    Goal,
    GoalContributor,
    ItemKind,
    Okr,
    OutcomeReview,
    Person,
    PlanNote,
    Priority,
    RetroNote,
    SectionKind,
    Sprint,
    SprintState,
    SupportDuty,
    Team,
    TeamItem,
    TeamPlan,
    TimeOff,
)
from sprintdesk.plan.planning import unique_sprint_name
from sprintdesk.plan.templates import TEMPLATES, build_agenda
from sprintdesk.plan.workdays import week_count

_Row = TypeVar("_Row")

# --- applying ----------------------------------------------------------------------------


def _refused_login(login: str) -> tuple[str, str | None] | None:
    """Why GitHub would not accept ``login`` (a reason of :class:`NoLogin` and the login
    likely meant), or None when it would ("lena.k" it would not: that mention is kept as
    written, as a person's name with no login)."""
    from sprintdesk.plan.roster import RosterError, clean_login

    try:
        if clean_login(login) is not None:
            return None
    except RosterError:
        pass
    if "." in login:
        suggestion = login.replace(".", "-")
        try:
            clean_login(suggestion)
        except RosterError:
            suggestion = ""
        return "dot", suggestion or None
    return "characters", None


class _People:
    """Finds people by ``@login`` (case-insensitive) or name, creating missing ones."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[str, Person] = {}
        self.created: list[Person] = []
        self.logins: dict[str, Person] | None = None  # read once, on first use
        self.names: dict[str, Person] | None = None
        self.no_login: list[NoLogin] = []  # mentions GitHub would refuse, in order met

    def get(self, key: str | None) -> Person | None:
        if not key:
            return None
        folded = key.casefold()
        if folded in self.cache:
            return self.cache[folded]
        if key.startswith("@"):
            login = key[1:]
            if self.logins is None:
                # One query for every login: a plan names many people, most of them known.
                self.logins = {}
                for row in self.session.scalars(
                    select(Person).where(Person.github_login.is_not(None)).order_by(Person.id)
                ):
                    self.logins.setdefault((row.github_login or "").lower(), row)
            person = self.logins.get(login.lower())
            refused = _refused_login(login) if person is None else None
            if refused is not None:
                person = self._named(key)  # "@lena.k": the mention as written, no login
                reason, suggestion = refused
                self.no_login.append(NoLogin(key, person.name, reason, suggestion))
            elif person is None:
                person = Person(name=login, github_login=login)
                self.session.add(person)
                self.created.append(person)
                self.logins[login.lower()] = person
        else:
            person = self._named(key)
        self.cache[folded] = person
        return person

    def _named(self, key: str) -> Person:
        if self.names is None:
            self.names = {}
            for row in self.session.scalars(select(Person).order_by(Person.id)):
                self.names.setdefault(row.name.lower(), row)
        person = self.names.get(key.lower())
        if person is None:
            person = Person(name=key)
            self.session.add(person)
            self.created.append(person)
            self.names[key.lower()] = person
        return person


class _Teams:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[str, Team] = {}
        # One query for every team (a plan names a few, most of them known).
        self.by_name: dict[str, Team] = {}
        for row in session.scalars(select(Team).order_by(Team.id)):
            self.by_name.setdefault(row.name.lower(), row)
        self.count = len(self.by_name)

    def get(self, name: str) -> Team:
        folded = name.casefold()
        if folded in self.cache:
            return self.cache[folded]
        team = self.by_name.get(name.lower())
        if team is None:
            team = Team(name=name, position=self.count)
            self.count += 1
            self.session.add(team)
            self.by_name[name.lower()] = team
        self.cache[folded] = team
        return team


def _agenda(sprint: Sprint, parsed: ParsedPlan, bulk: BulkRows | None = None) -> None:
    if not parsed.agenda:
        built = build_agenda(sprint, sprint.team_plans, attach=bulk is None)
        if bulk is not None:
            for section in built:
                bulk.add(section, (sprint, "sections"), sprint_id=sprint)
        return
    titles: dict[str, SectionKind] = {}
    template = TEMPLATES.get(sprint.template) or TEMPLATES["classic"]
    for spec in template.sections:
        titles.setdefault(spec.title.casefold(), spec.kind)
    plans = {f"team {p.team.name}".casefold(): p for p in sprint.team_plans}
    sections: list[AgendaSection] = []
    for position, row in enumerate(parsed.agenda):
        plan = plans.get(row.title.casefold())
        kind = (
            SectionKind.TEAM
            if plan is not None
            else titles.get(row.title.casefold(), SectionKind.OTHER)
        )
        sections.append(
            AgendaSection(
                position=position,
                kind=kind.value,
                title=row.title,
                timebox_seconds=max(0, row.planned),
                team_plan=plan,
            )
        )
    if bulk is None:
        sprint.sections = sections
    else:
        for section in sections:
            bulk.add(section, (sprint, "sections"), sprint_id=sprint)


def _put(bulk: BulkRows | None, owner: Base, name: str, obj: Base, parent: str) -> None:
    """``obj`` into ``owner``'s collection ``name``: appended (an existing sprint, through the
    unit of work) or queued for one insert per table (a new sprint; see ``bulk.py``)."""
    if bulk is None:
        getattr(owner, name).append(obj)
    else:
        bulk.add(obj, (owner, name), **{parent: owner})


def _fill_team(
    sprint: Sprint,
    plan: TeamPlan,
    parsed: ParsedTeam,
    people: _People,
    seen: set[tuple[object, ...]],
    bulk: BulkRows | None = None,
) -> None:
    plan.support_hero = people.get(parsed.support_hero)
    plan.time_off_note = parsed.time_off_note
    plan.other_teams_impacted = parsed.impacted
    weeks: set[int] = set()
    for week, who in parsed.duties:
        person = people.get(who)
        if person is None or week in weeks:
            continue
        weeks.add(week)
        duty = SupportDuty(team=plan.team, week=week, person=person)
        _put(bulk, sprint, "support_duties", duty, "sprint_id")
    for entry in parsed.time_off:
        person = people.get(entry.person)
        if person is None:
            continue
        if person not in plan.team.members:
            plan.team.members.append(person)
        key = (id(person), entry.start, entry.end, entry.half_day, entry.note)
        if key in seen:
            continue
        seen.add(key)
        off = TimeOff(
            person=person,
            start=entry.start,
            end=entry.end,
            half_day=entry.half_day,
            note=entry.note,
        )
        _put(bulk, sprint, "time_off", off, "sprint_id")
    okrs = [
        Okr(title=o.title, status=o.status.value, note=o.note, position=position)
        for position, o in enumerate(parsed.okrs)
    ]
    if bulk is not None:
        for position, parsed_item in enumerate(parsed.items):
            _put(bulk, plan, "items", _new_item(parsed_item, position, people), "team_plan_id")
        for okr in okrs:
            _put(bulk, plan, "okrs", okr, "team_plan_id")
        return
    old_items = list(plan.items) if plan.id is not None else []
    items: list[TeamItem] = []
    for position, parsed_item in enumerate(parsed.items):
        wanted = (parsed_item.kind.value, parsed_item.title)
        item = _reuse(old_items, lambda r: (r.kind, r.title), wanted)
        if item is None:
            items.append(_new_item(parsed_item, position, people))
            continue
        # Kept (with its carried-over link), its fields set from the text.
        item.position, item.owner = position, people.get(parsed_item.owner)
        item.status = parsed_item.status.value if parsed_item.status else None
        item.decision = parsed_item.decision.value if parsed_item.decision else None
        item.note, item.carried_over = parsed_item.note, parsed_item.carried_over
        items.append(item)
    plan.items = items
    plan.okrs = okrs


def _sprint_rota(
    sprint: Sprint, parsed: ParsedPlan, people: _People, bulk: BulkRows | None = None
) -> None:
    """The sprint's own support rota (no team): weekly heroes, and a hero for the whole sprint
    on every week nobody else has."""
    weeks: set[int] = set()
    for week, who in parsed.duties:
        person = people.get(who)
        if person is None or week in weeks or week < 1:
            continue
        weeks.add(week)
        duty = SupportDuty(team=None, week=week, person=person)
        _put(bulk, sprint, "support_duties", duty, "sprint_id")
    hero = people.get(parsed.support_hero)
    if hero is not None:
        for week in range(1, max(1, week_count(sprint)) + 1):
            if week not in weeks:
                duty = SupportDuty(team=None, week=week, person=hero)
                _put(bulk, sprint, "support_duties", duty, "sprint_id")


def _new_item(parsed: ParsedItem, position: int, people: _People) -> TeamItem:
    return TeamItem(
        kind=parsed.kind.value,
        position=position,
        title=parsed.title,
        owner=people.get(parsed.owner),
        status=parsed.status.value if parsed.status else None,
        decision=parsed.decision.value if parsed.decision else None,
        note=parsed.note,
        carried_over=parsed.carried_over,
    )


def require_plan(parsed: ParsedPlan, source: str | None = None) -> None:
    """Refuse text in which nothing of a sprint plan was recognised (a project's README, a
    random note), rather than creating an empty sprint named after the file; and a plan with
    a list longer than :data:`MAX_ITEMS_PER_LIST` (see :mod:`sprintdesk.markdown.parsed`)."""
    oversized = parsed.oversized_lists()
    if oversized:
        found = ", ".join(f"{count:,} {what}" for what, count in oversized)
        raise PlanImportError(
            f"{f'The plan in {source}' if source else 'The text'} has {found}; SprintDesk "
            f"imports at most {MAX_ITEMS_PER_LIST:,} entries per list. Nothing was imported: "
            "this is not a plan one meeting can go through."
        )
    if parsed.looks_like_a_plan():
        return
    where = source or "the text"
    raise PlanImportError(
        f"Found no sprint plan in {where}: no “Sprint …” title and no outcome, retro, "
        "priority, goal or team section that SprintDesk recognises. Nothing was imported."
    )


def apply_plan(
    session: Session,
    parsed: ParsedPlan,
    *,
    source: str | None = None,
    record: Mapping[str, object] | None = None,
) -> Sprint:
    """Create a draft sprint from a parsed plan (people and teams matched or created);
    ``record`` sets more of the sprint's own fields (state, publish record) in the same write.

    Raises :class:`PlanImportError` when the text held no plan at all (see
    :func:`require_plan`); ``source`` names the file in that message.
    """
    require_plan(parsed, source)
    name = _wanted_name(session, parsed, None)
    if any(row.actual > 0 or row.added > 0 for row in parsed.agenda):
        # The text reports a meeting that ran (an export of a met sprint); the imported draft
        # has had no meeting, so its agenda keeps the sections and timeboxes, not the times.
        parsed.problems.append(
            "the meeting summary was left out: this draft's meeting has not been held"
        )
    with session.no_autoflush:
        sprint = Sprint(
            name=name,
            start=parsed.start,
            end=parsed.end,
            template=parsed.template or "classic",
            state=SprintState.DRAFT.value,
        )
        for key, value in (record or {}).items():
            setattr(sprint, key, value)
        session.add(sprint)
        bulk = BulkRows()
        people = _People(session)
        _fill_content(session, sprint, parsed, people, _Teams(session), bulk)
        parsed.no_login = people.no_login
        _agenda(sprint, parsed, bulk)
    session.flush()  # the sprint, team plans, goals, outcomes, new people and teams
    bulk.insert(session)  # then the many small rows that point at them
    return sprint


def _wanted_name(session: Session, parsed: ParsedPlan, sprint: Sprint | None) -> str:
    wanted = " ".join((parsed.name or "Imported plan").split())
    if sprint is not None and sprint.name == wanted:
        return wanted
    name = unique_sprint_name(session, wanted)
    if name != wanted:
        parsed.problems.append(
            f"a sprint called “{wanted}” exists already, so this one is named “{name}”"
        )
    return name


def _reuse(old: list[_Row], key: Callable[[_Row], object], wanted: object) -> _Row | None:
    """The first of ``old`` whose key is ``wanted``, taken out of ``old``."""
    for row in old:
        if key(row) == wanted:
            old.remove(row)
            return row
    return None


def _fill_content(
    session: Session,
    sprint: Sprint,
    parsed: ParsedPlan,
    people: _People,
    teams: _Teams,
    bulk: BulkRows | None = None,
) -> None:
    """Set the sprint's content (outcomes, retro, priorities, goals, team plans, time off,
    support rota, kept notes) to ``parsed``'s. Rows already there are reused where they match
    (outcomes and goals by title, team plans by team, team items by list and title), so links
    from elsewhere (carried-over goals and items, agenda sections) survive a re-import."""
    if sprint.id is not None:
        # Rows made again from the text that a unique key ties to their owner (a week's duty,
        # a goal's contributor) go first: the unit of work inserts before it deletes.
        sprint.support_duties = []
        for goal in sprint.goals:
            goal.contributors = []
        session.flush()
    old_outcomes = list(sprint.outcomes) if sprint.id is not None else []
    outcomes: list[OutcomeReview] = []
    for i, o in enumerate(parsed.outcomes):
        row = _reuse(old_outcomes, lambda r: r.title, o.title) or OutcomeReview(title=o.title)
        row.position, row.description, row.owner = i, o.description, people.get(o.owner)
        row.target, row.status, row.note = o.target, o.status.value, o.note
        row.carry_over, row.was_carried = o.carry_over, o.was_carried
        outcomes.append(row)
    sprint.outcomes = outcomes
    if bulk is None:
        sprint.retro_notes, sprint.priorities = [], []
    for i, r in enumerate(parsed.retro_notes):
        retro = RetroNote(position=i, kind=r.kind.value, text=r.text, owner=people.get(r.owner))
        _put(bulk, sprint, "retro_notes", retro, "sprint_id")
    for i, t in enumerate(parsed.priorities):
        _put(bulk, sprint, "priorities", Priority(position=i, text=t), "sprint_id")
    old_goals = list(sprint.goals) if sprint.id is not None else []
    goals = []
    for i, g in enumerate(parsed.goals):
        contributors: list[GoalContributor] = []
        for who, share in g.contributors:
            person = people.get(who)
            if person is None or any(c.person is person for c in contributors):
                continue
            contributors.append(
                GoalContributor(person=person, share=share, position=len(contributors))
            )
        goal = _reuse(old_goals, lambda r: r.title, g.title) or Goal(title=g.title)
        goal.position, goal.description, goal.owner = i, g.description, people.get(g.owner)
        goal.why, goal.target, goal.confidence = g.why, g.target, g.confidence.value
        goal.team = teams.get(g.team) if g.team else None
        goal.carried_over = g.carried_over
        goal.contributors = contributors
        goals.append(goal)
    sprint.goals = goals
    old_plans = list(sprint.team_plans) if sprint.id is not None else []
    if bulk is None:
        sprint.time_off, sprint.support_duties = [], []
    plans: list[TeamPlan] = []
    seen: set[tuple[object, ...]] = set()
    notes: list[PlanNote] = [
        PlanNote(section=n.section, text=n.text, position=i) for i, n in enumerate(parsed.notes)
    ]
    for position, parsed_team in enumerate(parsed.teams):
        team = teams.get(parsed_team.name)
        plan = _reuse(old_plans, lambda r: r.team, team) or TeamPlan(team=team)
        plan.position = position
        plans.append(plan)
        _fill_team(sprint, plan, parsed_team, people, seen, bulk)
        for n in parsed_team.notes:
            notes.append(
                PlanNote(section=n.section, text=n.text, position=len(notes), team_plan=plan)
            )
    sprint.team_plans = plans
    _sprint_rota(sprint, parsed, people, bulk)
    if bulk is None:
        sprint.notes = notes
    else:
        for note in notes:
            bulk.add(note, (sprint, "notes"), sprint_id=sprint)
    if old_plans:
        # Team plans the text no longer has: their agenda sections go with them unless the
        # meeting spent time there (then they stay, as plain sections, with their times).
        gone = set(map(id, old_plans))
        for section in list(sprint.sections):
            if section.team_plan is not None and id(section.team_plan) in gone:
                if section.visited or section.actual_seconds > 0:
                    section.team_plan = None
                    section.kind = SectionKind.OTHER.value
                else:
                    sprint.sections.remove(section)
        session.flush()


def replace_plan(
    session: Session, sprint: Sprint, parsed: ParsedPlan, *, source: str | None = None
) -> Sprint:
    """Bring a re-read plan (an issue edited on GitHub) onto an existing sprint, in place: the
    same id, the plan's content replaced by ``parsed``'s, and everything the text does not
    carry kept: the meeting (clock, agenda and section times, facilitator notes), the state,
    the links to the previous sprint, allocations and the publish record. The agenda follows
    the text only while no meeting has run; after one, new teams get a section after the
    last team section and the times stay."""
    require_plan(parsed, source)
    with session.no_autoflush:
        sprint.name = _wanted_name(session, parsed, sprint)
        sprint.start, sprint.end = parsed.start, parsed.end
        if parsed.template:
            sprint.template = parsed.template
        met = sprint.meeting_started_at is not None or any(
            s.visited or s.actual_seconds > 0 or s.extension_seconds > 0 for s in sprint.sections
        )
        people = _People(session)
        _fill_content(session, sprint, parsed, people, _Teams(session))
        parsed.no_login = people.no_login
        if not met:
            sprint.sections = []
            session.flush()
            _agenda(sprint, parsed)
        else:
            _add_team_sections(sprint)
    session.flush()
    return sprint


def _add_team_sections(sprint: Sprint) -> None:
    """A TEAM section for each team plan that has none, after the last team section."""
    sections = list(sprint.sections)
    covered = {id(s.team_plan) for s in sections if s.team_plan is not None}
    last = max(
        (i for i, s in enumerate(sections) if s.kind == SectionKind.TEAM.value), default=None
    )
    at = len(sections) if last is None else last + 1
    template = TEMPLATES.get(sprint.template) or TEMPLATES["classic"]
    for plan in sprint.team_plans:
        if id(plan) in covered:
            continue
        sections.insert(
            at,
            AgendaSection(
                kind=SectionKind.TEAM.value,
                title=f"Team {plan.team.name}",
                timebox_seconds=template.team_timebox_minutes * 60,
                team_plan=plan,
            ),
        )
        at += 1
    for position, section in enumerate(sections):
        section.position = position
    sprint.sections = sections


def import_markdown(
    session: Session, text: str, *, today: date | None = None, default_name: str | None = None
) -> tuple[Sprint, ParsedPlan]:
    parsed = parse_plan(text, today=today, default_name=default_name)
    return apply_plan(session, parsed), parsed


# --- one team's section onto an existing plan --------------------------------------------


def _who(person: Person | None) -> str:
    if person is None:
        return "nobody"
    return f"@{person.github_login}" if person.github_login else person.name


def _same_person(person: Person | None, key: str | None) -> bool:
    if person is None or key is None:
        return person is None and key is None
    if key.startswith("@"):
        return (person.github_login or "").casefold() == key[1:].casefold()
    return person.name.casefold() == key.casefold()


_KIND_LABEL = {
    ItemKind.RETRO_HIGH.value: "Retro (high priority)",
    ItemKind.RETRO_LOW.value: "Retro (low priority)",
    ItemKind.HANGOVER.value: "Hang-over items",
    ItemKind.HIGH.value: "High priority",
    ItemKind.LOW.value: "Low priority",
}


def _match_items(
    plan: TeamPlan, parsed: ParsedTeam
) -> tuple[list[tuple[TeamItem | None, ParsedItem]], list[TeamItem]]:
    pairs: list[tuple[TeamItem | None, ParsedItem]] = []
    remaining = list(plan.items)
    for item in parsed.items:
        match = next(
            (
                old
                for old in remaining
                if old.kind == item.kind.value and old.title.casefold() == item.title.casefold()
            ),
            None,
        )
        if match is not None:
            remaining.remove(match)
        pairs.append((match, item))
    return pairs, remaining


def _duties_now(plan: TeamPlan) -> list[tuple[int, str]]:
    duties = [
        (d.week, _who(d.person).casefold())
        for d in plan.sprint.support_duties
        if d.team is plan.team or (d.team_id is not None and d.team_id == plan.team_id)
    ]
    return sorted(duties)


def _time_off_now(plan: TeamPlan) -> list[TimeOff]:
    members = plan.team.members
    return [t for t in plan.sprint.time_off if t.person in members]


def _time_off_key(who: str, start: date, end: date, half: bool, note: str) -> tuple[object, ...]:
    return (who.casefold(), start, end, bool(half), (note or "").strip())


def _hero_hidden(plan: TeamPlan, parsed: ParsedTeam) -> bool:
    """True when the text names no whole-sprint hero because weekly heroes fill every week:
    the render leaves the plan's own hero out then, so its absence is no change."""
    from sprintdesk.markdown.render import duties_cover_every_week

    return parsed.support_hero is None and duties_cover_every_week(
        plan.sprint, (week for week, _ in parsed.duties)
    )


def team_changes(plan: TeamPlan, parsed: ParsedTeam) -> list[str]:
    """What applying ``parsed`` to ``plan`` would change, in words; empty when nothing."""
    changes: list[str] = []
    if _duties_now(plan) != sorted((w, p.casefold()) for w, p in parsed.duties):
        weeks = ", ".join(f"week {w}: {p}" for w, p in sorted(parsed.duties)) or "none"
        changes.append(f"Support hero by week: {weeks}")
    now = sorted(
        (
            _time_off_key(_who(t.person), t.start, t.end, t.half_day, t.note)
            for t in _time_off_now(plan)
        ),
        key=repr,
    )
    wanted = sorted(
        (_time_off_key(t.person, t.start, t.end, t.half_day, t.note) for t in parsed.time_off),
        key=repr,
    )
    if now != wanted:
        changes.append(f"Time off: {len(now)} → {len(wanted)} entries")
    if not _same_person(plan.support_hero, parsed.support_hero) and not _hero_hidden(plan, parsed):
        changes.append(
            f"Support hero: {_who(plan.support_hero)} → {parsed.support_hero or 'nobody'}"
        )
    if (plan.other_teams_impacted or "").strip() != parsed.impacted:
        changes.append(f"Other teams impacted: “{parsed.impacted or '—'}”")
    if (plan.time_off_note or "").strip() != parsed.time_off_note:
        changes.append(f"Time off note: “{parsed.time_off_note or '—'}”")
    pairs, removed = _match_items(plan, parsed)
    for old, new in pairs:
        label = _KIND_LABEL[new.kind.value]
        if old is None:
            changes.append(f"{label}: added “{new.title}”")
            continue
        if old.status != (new.status.value if new.status else None):
            changes.append(
                f"{label}: “{new.title}” status {old.status or '—'} → "
                f"{new.status.value if new.status else '—'}"
            )
        if not _same_person(old.owner, new.owner):
            changes.append(
                f"{label}: “{new.title}” owner {_who(old.owner)} → {new.owner or 'nobody'}"
            )
        if old.decision != (new.decision.value if new.decision else None):
            changes.append(
                f"{label}: “{new.title}” decision {old.decision or '—'} → "
                f"{new.decision.value if new.decision else '—'}"
            )
        if (old.note or "").strip() != new.note:
            changes.append(f"{label}: “{new.title}” note changed")
        if bool(old.carried_over) != new.carried_over:
            changes.append(
                f"{label}: “{new.title}” carried over {'on' if new.carried_over else 'off'}"
            )
    for old in removed:
        changes.append(f"{_KIND_LABEL.get(old.kind, old.kind)}: removed “{old.title}”")
    old_okrs = [(o.title, o.status, o.note or "") for o in plan.okrs]
    new_okrs = [(o.title, o.status.value, o.note) for o in parsed.okrs]
    if old_okrs != new_okrs:
        changes.append(
            f"OKRs: {len(old_okrs)} → {len(new_okrs)} "
            f"({', '.join(t for t, _, _ in new_okrs) or 'none'})"
        )
    old_notes = sorted((n.section, n.text) for n in plan.sprint.notes if n.team_plan is plan)
    if old_notes != sorted((n.section, n.text) for n in parsed.notes):
        changes.append(f"Kept notes: {len(old_notes)} → {len(parsed.notes)}")
    return changes


def _apply_availability(
    session: Session, plan: TeamPlan, parsed: ParsedTeam, people: _People
) -> None:
    sprint = plan.sprint
    if _duties_now(plan) != sorted((w, p.casefold()) for w, p in parsed.duties):
        for duty in [d for d in sprint.support_duties if d.team is plan.team]:
            sprint.support_duties.remove(duty)
            if duty in session:
                session.delete(duty)
        session.flush()
        weeks: set[int] = set()
        for week, who in parsed.duties:
            person = people.get(who)
            if person is not None and week not in weeks:
                weeks.add(week)
                sprint.support_duties.append(SupportDuty(team=plan.team, week=week, person=person))
    wanted = {
        _time_off_key(t.person, t.start, t.end, t.half_day, t.note): t for t in parsed.time_off
    }
    for entry in _time_off_now(plan):
        key = _time_off_key(_who(entry.person), entry.start, entry.end, entry.half_day, entry.note)
        if key in wanted:
            del wanted[key]
        else:
            sprint.time_off.remove(entry)
            if entry in session:
                session.delete(entry)
    for wish in wanted.values():
        person = people.get(wish.person)
        if person is None:
            continue
        if person not in plan.team.members:
            plan.team.members.append(person)
        sprint.time_off.append(
            TimeOff(
                person=person,
                start=wish.start,
                end=wish.end,
                half_day=wish.half_day,
                note=wish.note,
            )
        )


def apply_team(session: Session, plan: TeamPlan, parsed: ParsedTeam) -> list[str]:
    """Bring ``parsed`` onto ``plan`` keeping matched items (and their links); returns the
    changes made, as :func:`team_changes` words them."""
    changes = team_changes(plan, parsed)
    if not changes:
        return changes
    with session.no_autoflush:
        people = _People(session)
        if not _hero_hidden(plan, parsed):
            plan.support_hero = people.get(parsed.support_hero)
        plan.other_teams_impacted = parsed.impacted
        plan.time_off_note = parsed.time_off_note
        _apply_availability(session, plan, parsed, people)
        pairs, removed = _match_items(plan, parsed)
        items: list[TeamItem] = []
        for position, (old, new) in enumerate(pairs):
            if old is None:
                items.append(_new_item(new, position, people))
                continue
            old.position = position
            old.status = new.status.value if new.status else None
            old.owner = people.get(new.owner)
            old.decision = new.decision.value if new.decision else None
            old.note = new.note
            old.carried_over = new.carried_over
            items.append(old)
        plan.items = items
        for old in removed:
            if old in session:
                session.delete(old)
        okrs = list(plan.okrs)
        plan.okrs = []
        for position, o in enumerate(parsed.okrs):
            reuse = next((x for x in okrs if x.title == o.title), None)
            if reuse is not None:
                okrs.remove(reuse)
                reuse.status, reuse.note, reuse.position = o.status.value, o.note, position
                plan.okrs.append(reuse)
            else:
                plan.okrs.append(
                    Okr(title=o.title, status=o.status.value, note=o.note, position=position)
                )
        sprint = plan.sprint
        for note in [n for n in sprint.notes if n.team_plan is plan]:
            sprint.notes.remove(note)
        for n in parsed.notes:
            sprint.notes.append(
                PlanNote(section=n.section, text=n.text, position=len(sprint.notes), team_plan=plan)
            )
    session.flush()
    return changes


__all__ = [
    "MAX_ITEMS_PER_LIST",
    "MAX_PLAN_BYTES",
    "NoLogin",
    "ParsedPlan",
    "ParsedTeam",
    "PlanImportError",
    "apply_plan",
    "apply_team",
    "decode",
    "import_markdown",
    "parse_plan",
    "replace_plan",
    "require_plan",
    "parse_team_section",
    "team_changes",
]


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def no_login_text(entry: NoLogin) -> str:
    """Why a mention got no GitHub login, in words: "@not.a.login got no GitHub login (…)"."""
    if entry.reason == "dot":
        why = "GitHub logins cannot contain a dot"
        if entry.suggestion:
            why += f"; did you mean @{entry.suggestion}?"
    else:
        why = "GitHub logins are letters, digits and hyphens, at most 39 characters"
    return f"{entry.mention} got no GitHub login ({why}): kept as the name “{entry.person}”"


def import_summary(
    counts: dict[str, int], problems: Sequence[str] = (), no_login: Sequence[NoLogin] = ()
) -> str:
    """What an import recognised, in words: every kind of content, then the leftover notes, then
    what could not be used (``ParsedPlan.problems``) and the mentions that got no GitHub login
    (``ParsedPlan.no_login``)."""
    found = ", ".join(
        [
            _plural(counts["outcomes"], "outcome"),
            _plural(counts["notes"], "retro note"),
            _plural(counts["priorities"], "priority", "priorities"),
            _plural(counts["goals"], "goal"),
            _plural(counts["teams"], "team"),
            _plural(counts["items"], "team item"),
            _plural(counts["okrs"], "OKR"),
            _plural(counts["time_off"], "time-off entry", "time-off entries"),
            _plural(counts["unrecognised"], "line") + " kept as notes",
        ]
    )
    told = [*problems, *(no_login_text(entry) for entry in no_login)]
    return found + "".join(f"; {problem}" for problem in told)


_NOTE_PLACES = {
    "other": "the top of the plan",
    "outcomes": "Outcomes",
    "retro": "Retro",
    "priorities": "Priorities",
    "goals": "Goals",
    "team": "the team",
    "summary": "the summary",
    "retro_high": "retro, high priority",
    "retro_low": "retro, low priority",
    "hangover": "hang over",
    "high": "high priority",
    "low": "low priority",
}


def import_review(parsed: ParsedPlan) -> list[str]:
    """What an import recognised, section by section, and the lines kept as notes (quoted),
    so the user can fix the rest by hand."""
    lines: list[str] = []
    body = [
        _plural(len(parsed.outcomes), "outcome"),
        _plural(len(parsed.retro_notes), "retro note"),
        _plural(len(parsed.priorities), "priority", "priorities"),
        _plural(len(parsed.goals), "goal"),
    ]
    if parsed.duties or parsed.support_hero:
        body.append(
            _plural(
                len(parsed.duties) + bool(parsed.support_hero), "support hero", "support heroes"
            )
        )
    lines.append("Plan: " + ", ".join(body) + ".")
    for team in parsed.teams:
        parts = [
            "support hero " + team.support_hero if team.support_hero else "no support hero",
            _plural(len(team.duties), "weekly hero", "weekly heroes"),
            _plural(len(team.time_off), "time-off entry", "time-off entries"),
        ]
        for kind, one, many in (
            ("retro_high", "retro item", None),
            ("hangover", "hang-over item", None),
            ("high", "high-priority item", None),
            ("low", "low-priority item", None),
        ):
            count = sum(
                1
                for i in team.items
                if i.kind.value == kind or (kind == "retro_high" and i.kind.value == "retro_low")
            )
            parts.append(_plural(count, one, many))
        parts.append(_plural(len(team.okrs), "OKR"))
        lines.append(f"Team {team.name}: " + ", ".join(parts) + ".")
    kept = [(n.section, None, n.text) for n in parsed.notes] + [
        (n.section, t.name, n.text) for t in parsed.teams for n in t.notes
    ]
    if kept:
        lines.append(_plural(len(kept), "line") + " kept as notes:")
        for section, team_name, text in kept:
            where = _NOTE_PLACES.get(section, section)
            if team_name is not None:
                where = f"Team {team_name}, {where}"
            lines.append(f"  {where}: “{' '.join(text.split())[:120]}”")
    lines.extend(f"Not used: {problem}" for problem in parsed.problems)
    lines.extend(no_login_text(entry) + "." for entry in parsed.no_login)
    return lines
