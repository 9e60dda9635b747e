"""A parsed plan as a flat list of facts, and how many of a hand-written key it recognises.

The corpus of real sprint posts (``tests/fixtures/corpus``) writes down, for each post, the facts
a reader sees in it: the sprint's name and dates, teams, support heroes, time off, outcomes,
goals, team items, OKRs, retro notes, priorities, sections kept as such, and mentions. This
module maps a :class:`ParsedPlan` to that vocabulary and compares the two, so the bench can
report the importer's score per kind of fact. No database, no Qt.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sprintdesk.markdown.parse import without_dates
from sprintdesk.markdown.parsed import ParsedPlan, ParsedTeam
from sprintdesk.plan.model import ItemKind, Status
from sprintdesk.plan.templates import TEMPLATES

Fact = dict[str, Any]

FACT_KINDS = (
    "name",
    "dates",
    "team",
    "support",
    "time_off",
    "outcome",
    "goal",
    "item",
    "okr",
    "retro_note",
    "priority",
    "section",
    "mention",
)

_LIST_OF_KIND = {
    ItemKind.RETRO_HIGH: "retro",
    ItemKind.RETRO_LOW: "retro",
    ItemKind.HIGH: "high",
    ItemKind.LOW: "low",
    ItemKind.HANGOVER: "hangover",
}
_MENTION = re.compile(r"(?<![\w/`])@([A-Za-z0-9][\w-]*(?:/[\w-]+)?)")
_HEADING_NOTE = re.compile(r"^#{1,6}\s+(.*)$")


def _login(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip().lstrip("@").strip()
    return text.casefold() or None


def norm_text(value: str | None) -> str:
    """Titles compared as a reader would: case, emphasis, spacing and end punctuation aside."""
    if value is None:
        return ""
    text = value.replace("**", "").replace("__", "")
    text = re.sub(r"(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)", "", text)
    text = text.replace("\\", "")
    return " ".join(text.split()).strip(" .:;,-–—").casefold()


def _norm_name(value: str) -> str:
    return " ".join(re.sub(r"[-–—:]+", " ", norm_text(value)).split())


def _team_name(team: ParsedTeam | None) -> str | None:
    return team.name if team is not None else None


def plan_facts(plan: ParsedPlan) -> list[Fact]:
    """Every fact the parsed plan holds, in the corpus key's vocabulary."""
    name = plan.name
    if plan.sprint_title and not name.casefold().startswith("sprint "):
        name = f"Sprint {name}"
    facts: list[Fact] = [{"fact": "name", "value": name}]
    if plan.start is not None:
        facts.append(
            {
                "fact": "dates",
                "start": plan.start.isoformat(),
                "end": plan.end.isoformat() if plan.end else None,
            }
        )
    for week, person in plan.duties:
        facts.append({"fact": "support", "team": None, "person": _login(person), "week": week})
    if plan.support_hero:
        facts.append(
            {"fact": "support", "team": None, "person": _login(plan.support_hero), "week": None}
        )
    for outcome in plan.outcomes:
        facts.append(
            {
                "fact": "outcome",
                "title": outcome.title,
                "owner": _login(outcome.owner),
                "status": outcome.status.value,
            }
        )
    for goal in plan.goals:
        facts.append(
            {"fact": "goal", "title": goal.title, "owner": _login(goal.owner), "team": goal.team}
        )
    for note in plan.retro_notes:
        facts.append(
            {
                "fact": "retro_note",
                "text": note.text,
                "kind": note.kind.value,
                "owner": _login(note.owner),
            }
        )
    for text in plan.priorities:
        facts.append({"fact": "priority", "text": text})
    for team in plan.teams:
        facts.extend(_team_facts(team))
    for kept in [*plan.notes, *(n for t in plan.teams for n in t.notes)]:
        heading = _HEADING_NOTE.match(kept.text)
        if heading:
            facts.append({"fact": "section", "heading": heading.group(1).strip()})
    if plan.template and plan.template in TEMPLATES:
        template = TEMPLATES[plan.template]
        if template.team_style == "per-team":  # its incidents heading is the plan's own
            facts.append({"fact": "section", "heading": template.word("global_heading")})
    for login in sorted(mentions(plan_text(plan))):
        facts.append({"fact": "mention", "login": login})
    return facts


def _team_facts(team: ParsedTeam) -> list[Fact]:
    name = _team_name(team)
    facts: list[Fact] = [{"fact": "team", "name": name}]
    if team.support_hero:
        facts.append(
            {"fact": "support", "team": name, "person": _login(team.support_hero), "week": None}
        )
    for week, person in team.duties:
        facts.append({"fact": "support", "team": name, "person": _login(person), "week": week})
    for off in team.time_off:
        facts.append(
            {
                "fact": "time_off",
                "team": name,
                "person": _login(off.person),
                "start": off.start.isoformat(),
                "end": off.end.isoformat(),
            }
        )
    for item in team.items:
        facts.append(
            {
                "fact": "item",
                "team": name,
                "list": _LIST_OF_KIND[item.kind],
                "title": item.title,
                "owner": _login(item.owner),
                "status": item.status.value if item.status else None,
            }
        )
    # Absences written without dates ("@x on vacation") are kept in the team's time-off note.
    for login in sorted(mentions(team.time_off_note)):
        facts.append(
            {"fact": "time_off", "team": name, "person": login, "start": None, "end": None}
        )
    for okr in team.okrs:
        facts.append({"fact": "okr", "team": name, "title": okr.title, "status": okr.status.value})
    return facts


def plan_text(plan: ParsedPlan) -> str:
    """All the text the parsed plan keeps, for looking up what was written (mentions, links)."""
    parts: list[str] = [plan.name]
    for outcome in plan.outcomes:
        parts += [outcome.title, outcome.owner or "", outcome.description, outcome.target]
        parts.append(outcome.note)
    for note in plan.retro_notes:
        parts += [note.text, note.owner or ""]
    parts += plan.priorities
    for goal in plan.goals:
        parts += [goal.title, goal.owner or "", goal.description, goal.why, goal.target]
        parts += [who for who, _ in goal.contributors]
    parts += [n.text for n in plan.notes]
    parts += [plan.support_hero or ""]
    parts += [who for _, who in plan.duties]
    for team in plan.teams:
        parts += [team.name, team.support_hero or "", team.time_off_note, team.impacted]
        parts += [who for _, who in team.duties]
        parts += [f"{off.person} {off.note}" for off in team.time_off]
        for item in team.items:
            parts += [item.title, item.owner or "", item.note]
        for okr in team.okrs:
            parts += [okr.title, okr.note]
        parts += [n.text for n in team.notes]
    return "\n".join(p for p in parts if p)


def mentions(text: str) -> set[str]:
    """The ``@logins`` in a text, lower case, without the ``@``."""
    return {m.group(1).casefold() for m in _MENTION.finditer(text)}


# --- scoring -----------------------------------------------------------------------------


def _same_title(expected: str | None, got: str | None) -> bool:
    """Equal, or the key wrote the title's first words only ("Olly 80% on error tracking."
    for a line that goes on): the recognised title starts with the expected one."""
    want, have = norm_text(expected), norm_text(got)
    if not want:
        return not have
    return have == want or (have.startswith(want) and not have[len(want)].isalnum())


def _same_status(expected: str | None, got: str | None) -> bool:
    # A key's null status means "not stated": an item without status, or not started.
    if expected is None:
        return got in (None, Status.NOT_STARTED.value)
    return expected == got


def _same_person(expected: str | None, got: str | None) -> bool:
    return _login(expected) == _login(got)


def _same_team(expected: str | None, got: str | None) -> bool:
    # A key's null team on an item means "the plan's own list", wherever the importer put it.
    return expected is None or norm_text(expected) == norm_text(got)


def matches(expected: Fact, got: Fact) -> bool:
    """Whether a recognised fact is the expected one, every field of it."""
    kind = expected["fact"]
    if got["fact"] != kind:
        return False
    if kind == "name":
        # The sprint keeps its name; the dates written after it are its dates.
        return _norm_name(expected["value"]) in (
            _norm_name(got["value"]),
            _norm_name(without_dates(got["value"])),
        ) or _norm_name(without_dates(expected["value"])) == _norm_name(got["value"])
    if kind == "dates":
        return bool(expected["start"] == got["start"] and expected["end"] == got["end"])
    if kind == "team":
        return norm_text(expected["name"]) == norm_text(got["name"])
    if kind == "support":
        return (
            _same_person(expected["person"], got["person"])
            and expected["week"] == got["week"]
            and (
                norm_text(expected["team"]) == norm_text(got["team"])
                if expected["team"] is not None
                else got["team"] is None
            )
        )
    if kind == "time_off":
        return bool(
            _same_person(expected["person"], got["person"])
            and expected["start"] == got["start"]
            and expected["end"] == got["end"]
            and _same_team(expected["team"], got["team"])
        )
    if kind == "outcome":
        return (
            _same_title(expected["title"], got["title"])
            and _same_person(expected["owner"], got["owner"])
            and _same_status(expected["status"], got["status"])
        )
    if kind == "goal":
        return (
            _same_title(expected["title"], got["title"])
            and _same_person(expected["owner"], got["owner"])
            and _same_team(expected["team"], got["team"])
        )
    if kind == "item":
        return (
            _same_title(expected["title"], got["title"])
            and expected["list"] == got["list"]
            and _same_person(expected["owner"], got["owner"])
            and _same_status(expected["status"], got["status"])
            and _same_team(expected["team"], got["team"])
        )
    if kind == "okr":
        return (
            _same_title(expected["title"], got["title"])
            and expected["status"] == got["status"]
            and _same_team(expected["team"], got["team"])
        )
    if kind == "retro_note":
        return (
            _same_title(expected["text"], got["text"])
            and expected["kind"] == got["kind"]
            and _same_person(expected["owner"], got["owner"])
        )
    if kind == "priority":
        return _same_title(expected["text"], got["text"])
    if kind == "section":
        return norm_text(expected["heading"]) == norm_text(got["heading"])
    if kind == "mention":
        return _login(expected["login"]) == _login(got["login"])
    return False


@dataclass
class Score:
    """Recognised / expected facts, per kind."""

    found: Counter[str] = field(default_factory=Counter)
    expected: Counter[str] = field(default_factory=Counter)
    missed: list[Fact] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.found.update(other.found)
        self.expected.update(other.expected)
        self.missed.extend(other.missed)

    @property
    def total_found(self) -> int:
        return sum(self.found.values())

    @property
    def total_expected(self) -> int:
        return sum(self.expected.values())

    def ratio(self) -> float:
        return self.total_found / self.total_expected if self.total_expected else 1.0


def score(expected: Iterable[Mapping[str, Any]], got: list[Fact]) -> Score:
    """Each expected fact recognised at most once, by the first unused fact that matches."""
    result = Score()
    used = [False] * len(got)
    for fact in expected:
        kind = str(fact["fact"])
        result.expected[kind] += 1
        for index, candidate in enumerate(got):
            if not used[index] and matches(dict(fact), candidate):
                used[index] = True
                result.found[kind] += 1
                break
        else:
            result.missed.append(dict(fact))
    return result


def year_date(year: int) -> date:
    """The middle of a year: the reference for dates written without one."""
    return date(year, 7, 1)
