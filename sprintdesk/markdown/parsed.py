"""The importer's parsed plan: plain dataclasses with no database, the error it raises, and
decoding bytes into text with clear messages for binary, non-UTF-8 or empty input.

The size limits of an import live here: a plan file of at most :data:`MAX_PLAN_BYTES` (2 MB),
and at most :data:`MAX_ITEMS_PER_LIST` (1,000) entries in any one list (outcomes, retro notes,
priorities, goals, teams, one team's items, OKRs or days off, notes kept as text). The
largest real plans are a few dozen kilobytes, and the stress sprint of the benchmarks (20
teams of 50 items, 200 goals) is 220 KB; a plan beyond the limits is refused with a message
naming the limit and the count, rather than filling a meeting nobody could hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sprintdesk.plan.model import (
    Confidence,
    Decision,
    ItemKind,
    OkrStatus,
    RetroKind,
    Status,
)


class PlanImportError(ValueError):
    """The text cannot be imported; the message is meant for the user."""


MAX_PLAN_BYTES = 2 * 1024 * 1024
MAX_ITEMS_PER_LIST = 1_000


# --- the parsed plan ---------------------------------------------------------------------


@dataclass
class ParsedOutcome:
    title: str
    owner: str | None = None
    description: str = ""
    target: str = ""
    status: Status = Status.NOT_STARTED
    note: str = ""
    carry_over: bool = False
    was_carried: bool = False


@dataclass
class ParsedRetroNote:
    text: str
    kind: RetroKind = RetroKind.TO_IMPROVE
    owner: str | None = None


@dataclass
class ParsedGoal:
    title: str
    owner: str | None = None
    description: str = ""
    why: str = ""
    target: str = ""
    confidence: Confidence = Confidence.LIKELY
    team: str | None = None
    contributors: list[tuple[str, int]] = field(default_factory=list)
    carried_over: bool = False


@dataclass
class ParsedItem:
    kind: ItemKind
    title: str
    owner: str | None = None
    status: Status | None = None
    decision: Decision | None = None
    note: str = ""
    carried_over: bool = False
    # The status was written (emoji or task box), not assumed.
    status_given: bool = field(default=False, compare=False)


@dataclass
class ParsedOkr:
    title: str
    status: OkrStatus = OkrStatus.UNKNOWN
    note: str = ""


@dataclass
class ParsedTimeOff:
    person: str
    start: date
    end: date
    half_day: bool = False
    note: str = ""


@dataclass
class ParsedNote:
    section: str  # a SectionKind or ItemKind value
    text: str


@dataclass
class ParsedTeam:
    name: str
    support_hero: str | None = None
    duties: list[tuple[int, str]] = field(default_factory=list)  # (week, person)
    time_off: list[ParsedTimeOff] = field(default_factory=list)
    time_off_note: str = ""
    items: list[ParsedItem] = field(default_factory=list)
    okrs: list[ParsedOkr] = field(default_factory=list)
    impacted: str = ""
    notes: list[ParsedNote] = field(default_factory=list)
    comment_style: bool = False  # the legend or a collapsed retro was seen

    def items_of(self, kind: ItemKind) -> list[ParsedItem]:
        return [i for i in self.items if i.kind == kind]


@dataclass
class ParsedSection:
    """A row of the meeting summary: planned, added and actual time in seconds."""

    title: str
    planned: int
    added: int
    actual: int


@dataclass(frozen=True)
class NoLogin:
    """An ``@mention`` GitHub would refuse as a login ("@not.a.login"): the import kept it as
    the name of a person with no GitHub login. ``reason`` is ``"dot"`` (a login has no dots;
    ``suggestion`` is the login meant, most likely) or ``"characters"`` (only letters, digits
    and hyphens, at most 39)."""

    mention: str  # as written, with its "@"
    person: str  # the name of the person it was matched to or created as
    reason: str
    suggestion: str | None = None


@dataclass
class ParsedPlan:
    name: str = ""
    start: date | None = None
    end: date | None = None
    template: str | None = None
    uuid: str | None = None
    outcomes: list[ParsedOutcome] = field(default_factory=list)
    retro_notes: list[ParsedRetroNote] = field(default_factory=list)
    priorities: list[str] = field(default_factory=list)
    goals: list[ParsedGoal] = field(default_factory=list)
    teams: list[ParsedTeam] = field(default_factory=list)
    notes: list[ParsedNote] = field(default_factory=list)  # body notes
    agenda: list[ParsedSection] = field(default_factory=list)
    # The sprint's own support rota, for every team: a hero, or (week, person) pairs.
    support_hero: str | None = None
    duties: list[tuple[int, str]] = field(default_factory=list)
    # Set by the parser: a "Sprint ..." title, and how many known section headings it met.
    title_found: bool = False
    sprint_title: bool = False  # the name came after the word "Sprint" (shown "Sprint <name>")
    sections_found: int = 0
    # What the parser read but could not use, in words for the user (e.g. "Feb 30").
    problems: list[str] = field(default_factory=list)
    # Set by applying the plan: the mentions that became people without a GitHub login.
    no_login: list[NoLogin] = field(default_factory=list)

    def owners(self) -> set[str]:
        found = {o.owner for o in self.outcomes if o.owner}
        found |= {g.owner for g in self.goals if g.owner}
        found |= {i.owner for t in self.teams for i in t.items if i.owner}
        return {f.casefold() for f in found if f}

    def looks_like_a_plan(self) -> bool:
        """False when nothing of a sprint plan was recognised (a README, a random note): no
        sprint title, no known section, no outcomes, notes, priorities, goals or teams."""
        return bool(
            self.title_found
            or self.sections_found
            or self.uuid
            or self.outcomes
            or self.retro_notes
            or self.priorities
            or self.goals
            or self.teams
            or self.agenda
            or self.duties
            or self.support_hero
        )

    def oversized_lists(self) -> list[tuple[str, int]]:
        """The lists longer than :data:`MAX_ITEMS_PER_LIST`: (what, how many), in words."""
        lists: list[tuple[str, int]] = [
            ("outcomes", len(self.outcomes)),
            ("retro notes", len(self.retro_notes)),
            ("priorities", len(self.priorities)),
            ("goals", len(self.goals)),
            ("teams", len(self.teams)),
            ("lines kept as notes", len(self.notes)),
        ]
        for team in self.teams:
            lists += [
                (f"items in team {team.name}", len(team.items)),
                (f"OKRs in team {team.name}", len(team.okrs)),
                (f"days-off entries in team {team.name}", len(team.time_off)),
                (f"lines kept as notes in team {team.name}", len(team.notes)),
            ]
        return [(what, count) for what, count in lists if count > MAX_ITEMS_PER_LIST]

    def counts(self) -> dict[str, int]:
        """What was recognised, and how many lines were kept as unrecognised notes."""
        return {
            "outcomes": len(self.outcomes),
            "notes": len(self.retro_notes),
            "priorities": len(self.priorities),
            "goals": len(self.goals),
            "owners": len(self.owners()),
            "teams": len(self.teams),
            "items": sum(len(t.items) for t in self.teams),
            "okrs": sum(len(t.okrs) for t in self.teams),
            "time_off": sum(len(t.time_off) for t in self.teams),
            "unrecognised": len(self.notes) + sum(len(t.notes) for t in self.teams),
        }


# --- decoding ----------------------------------------------------------------------------


# Byte order marks, longest first: UTF-32's little-endian mark starts with UTF-16's.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
)


def decode(data: bytes, *, source: str = "The file") -> str:
    """Bytes to text, refusing what is not a markdown file with a clear message.

    UTF-8 is the default; a byte order mark selects UTF-8, UTF-16 or UTF-32 (as Windows editors
    save "Unicode" text). Without a mark, NUL bytes mean a binary file.
    """
    if len(data) > MAX_PLAN_BYTES:
        raise PlanImportError(
            f"{source} is {len(data) / (1024 * 1024):.1f} MB ({len(data):,} bytes); SprintDesk "
            f"imports plans of up to {MAX_PLAN_BYTES // (1024 * 1024)} MB. Nothing was "
            "imported: split the file, or remove what is not this sprint's plan."
        )
    bom = next((entry for entry in _BOMS if data.startswith(entry[0])), None)
    if bom is not None:
        mark, codec, label = bom
        try:
            text = data[len(mark) :].decode(codec)
        except UnicodeDecodeError as exc:
            raise PlanImportError(
                f"{source} starts with a {label} byte order mark but is not valid {label} text "
                f"(bad bytes at position {exc.start + len(mark)}); save it as UTF-8 markdown "
                "and try again."
            ) from None
        if not text.strip():
            raise PlanImportError(f"{source} is empty: there is no plan to import.")
    else:
        if not data.strip():
            raise PlanImportError(f"{source} is empty: there is no plan to import.")
        if b"\x00" in data[:8192]:
            raise PlanImportError(f"{source} is a binary file, not markdown text.")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PlanImportError(
                f"{source} is not UTF-8 text (invalid byte at position {exc.start}); "
                "save it as UTF-8 markdown and try again."
            ) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 8 or "\x00" in text[:8192]:
        raise PlanImportError(f"{source} looks like a binary file, not markdown text.")
    return text
