"""Markdown (ours or hand-written) -> a sprint plan.

Two steps: :func:`parse_plan` turns text into plain dataclasses (no database), and
:func:`apply_plan` creates a :class:`~sprintdesk.model.Sprint` from them in a session, matching
or creating people (by ``@login`` or name) and teams (by name). :func:`parse_team_section`,
:func:`team_changes` and :func:`apply_team` bring one team's section (a GitHub comment edited by
hand) onto an existing :class:`~sprintdesk.model.TeamPlan`, listing what changes first.

The parser reads line by line and never gives up: a line it does not understand is kept as a
note in the section it appeared in. Text inside code fences and HTML comments is not content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sprintdesk.model import (
    AgendaSection,
    Confidence,
    Decision,
    Goal,
    GoalContributor,
    ItemKind,
    Okr,
    OkrStatus,
    OutcomeReview,
    Person,
    PlanNote,
    Priority,
    RetroKind,
    RetroNote,
    SectionKind,
    Sprint,
    SprintState,
    Status,
    SupportDuty,
    Team,
    TeamItem,
    TeamPlan,
    TimeOff,
)
from sprintdesk.render import (
    CONTINUED,
    MONTHS,
    NO_ONE,
    SUMMARY_TITLE,
    TEAMS_LINE,
    find_marker,
)
from sprintdesk.templates import DEFAULT_WORDING, TEMPLATES, build_agenda


class PlanImportError(ValueError):
    """The text cannot be imported; the message is meant for the user."""


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


@dataclass
class ParsedOkr:
    title: str
    status: OkrStatus = OkrStatus.GREEN
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

    def owners(self) -> set[str]:
        found = {o.owner for o in self.outcomes if o.owner}
        found |= {g.owner for g in self.goals if g.owner}
        found |= {i.owner for t in self.teams for i in t.items if i.owner}
        return {f.casefold() for f in found if f}

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


def decode(data: bytes, *, source: str = "The file") -> str:
    """Bytes to text, refusing what is not a markdown file with a clear message."""
    if not data.strip():
        raise PlanImportError(f"{source} is empty: there is no plan to import.")
    if b"\x00" in data[:8192]:
        raise PlanImportError(f"{source} is a binary file, not markdown text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanImportError(
            f"{source} is not UTF-8 text (invalid byte at position {exc.start}); "
            "save it as UTF-8 markdown and try again."
        ) from None
    controls = sum(1 for ch in text[:8192] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > 8:
        raise PlanImportError(f"{source} looks like a binary file, not markdown text.")
    return text


# --- vocabulary --------------------------------------------------------------------------

_EMOJI_STATUS = {
    "🟢": Status.FINISHED,
    "✅": Status.FINISHED,
    "🟡": Status.IN_PROGRESS,
    "🔴": Status.WONT_FINISH,
    "❌": Status.WONT_FINISH,
    "⚪": Status.NOT_STARTED,
    "⚪️": Status.NOT_STARTED,
}
_OKR_EMOJI = {"🟢": OkrStatus.GREEN, "🟡": OkrStatus.YELLOW, "🔴": OkrStatus.RED}
_STATUS_WORDS: list[tuple[str, Status]] = sorted(
    [
        ("done", Status.FINISHED),
        ("finished", Status.FINISHED),
        ("shipped", Status.FINISHED),
        ("complete", Status.FINISHED),
        ("completed", Status.FINISHED),
        ("in progress", Status.IN_PROGRESS),
        ("ongoing", Status.IN_PROGRESS),
        ("not met", Status.WONT_FINISH),
        ("won't finish", Status.WONT_FINISH),
        ("wont finish", Status.WONT_FINISH),
        ("won’t finish", Status.WONT_FINISH),
        ("missed", Status.WONT_FINISH),
        ("dropped", Status.WONT_FINISH),
        ("not started", Status.NOT_STARTED),
    ],
    key=lambda pair: -len(pair[0]),
)
_NONE_WORDS = {"", "-", "—", "–", "___", "none", "nobody", NO_ONE, "tbd", "n/a", "no", "no."}
_SKIP_LINES = {
    TEAMS_LINE.casefold(),
    DEFAULT_WORDING["goals_intro"].casefold(),
    *(s.intro.casefold() for t in TEMPLATES.values() for s in t.sections if s.intro),
    *(t.word("goals_intro").casefold() for t in TEMPLATES.values()),
}
_MONTH = r"(?P<{0}>(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))(?i:[a-z]*)\.?"
_DATE = _MONTH.format("m1") + r"\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y1>\d{4}))?"
_DATE2 = _MONTH.format("m2") + r"\s+(?P<d2>\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(?P<y2>\d{4}))?"
_TITLE_DATES = re.compile(
    r"^(?P<name>.*?)\s*(?:[-–—:,(]\s*)?(?:from\s+)?" + _DATE
    + r"(?:\s*(?:to|until|till|-|–|—)\s*" + _DATE2 + r")?\s*\)?\s*$",
    re.IGNORECASE,
)
_TITLE = re.compile(r"^sprint(?:\s+planning)?(?=$|[\s:–—-])[\s:–—-]*(?P<rest>.*)$", re.IGNORECASE)
_HEADING = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_LIST = re.compile(r"^(\s*)([-*+]|\d{1,9}[.)])(?:\s+(.*))?$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_CONTINUATION = re.compile(
    r"^\*\(continued (?:in the next comment|from the previous comment[^)]*)\)\*$",
    re.IGNORECASE,
)
_CHECKBOX = re.compile(r"^\[([ xX])\]\s*")
_OWNER_PAREN = re.compile(r"\s*\(\s*owner\s*:\s*([^()]+?)\s*\)", re.IGNORECASE)
_OWNER_WORD = re.compile(r"\s*[-–—,;]?\s*\bowner\s*:?\s*(@[\w][\w.-]*)", re.IGNORECASE)
_TRAILING_HANDLE = re.compile(r"\s+(@[\w][\w.-]*?)[.,;]?$")
_CONTRIB = re.compile(r"^(.*?)\s+(\d{1,3}(?:\s*[:/]\s*\d{1,3})*)$")
MAX_LINE = 10_000  # longer lines are kept as notes without further reading
_BOLD_TITLE = re.compile(r"^\*\*(?P<title>.+?)\*\*(?P<rest>.*)$")
_INLINE_TAG = re.compile(
    r"</?(?:b|i|em|strong|u|s|code|span|sup|sub|kbd|mark|del|ins)\b[^>]*>", re.IGNORECASE
)
_LEGEND = re.compile(r"^(?:[🟢🟡🔴⚪]\s*=\s*[^🟢🟡🔴⚪]*){3,}$")
_HERO = re.compile(
    r"^\**\s*support[ -]hero(?:es)?\s*(?::\s*\**|\**\s*:)\s*(?P<rest>.*)$", re.IGNORECASE
)
_TIME_OFF = re.compile(r"^\**\s*time[ -]off\s*\**\s*:\s*\**\s*(?P<rest>.*)$", re.IGNORECASE)
_IMPACTED = re.compile(r"^\**\s*are any other teams impacted\??\s*\**\s*(?P<rest>.*)$", re.I)
_DECISION = re.compile(
    r"^(?P<title>.*?)[.,;:]?\s*[-–—]?\s*\b(?P<word>de-?prioriti[sz]ed|prioriti[sz]ed)\b"
    r"\s*(?:\((?P<note>.*)\))?\s*[.]?$",
    re.IGNORECASE,
)
_OKR = re.compile(
    r"^(?P<title>.*?)\s*[-–—:]?\s*(?P<emoji>🟢|🟡|🔴)\s*(?P<word>green|yellow|red)?\s*"
    r"(?:[-–—:]\s*(?P<note>.*?))?\s*$",
    re.IGNORECASE,
)
_OKR_WORD = re.compile(
    r"^(?P<title>.*?)\s+[-–—]\s+(?P<word>green|yellow|red)\b\s*(?:[-–—:]\s*(?P<note>.*?))?\s*$",
    re.IGNORECASE,
)
_WHO = r"(?P<who>@[\w][\w.-]*|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){1,3})"
_TIME_OFF_ENTRY = re.compile(
    _WHO + r"\s+" + _DATE + r"(?:\s*[-–]\s*(?:" + _DATE2.replace("(?P<d2>", "(?P<d2x>")
    + r"|(?P<d2>\d{1,2})))?(?:\s*\((?P<extra>[^()]*)\))?"
)
_WEEK = re.compile(r"^(?P<who>.*?)\s*\(\s*week\s+(?P<week>\d{1,2})\s*\)$", re.IGNORECASE)
_SUMMARY_DURATION = re.compile(r"^([+-]?)(\d{1,6}):(\d{2})$")
_HANDLE = re.compile(r"^@[\w][\w.-]*$")


def _clean(text: str) -> str:
    return " ".join(_INLINE_TAG.sub("", text).split())


def _heading_text(raw: str) -> str:
    text = _clean(raw).strip()
    if text.casefold().endswith(CONTINUED):
        text = text[: -len(CONTINUED)].strip()
    text = text.strip("*_ ").rstrip(":").strip()
    return text


def _person(text: str | None) -> str | None:
    if text is None:
        return None
    value = _clean(text).strip(" *_,.;")
    if value.casefold() in _NONE_WORDS:
        return None
    if value.startswith("@"):
        match = re.match(r"@[\w][\w.-]*", value)
        return match.group(0).rstrip(".") if match else None
    return value[:200] or None


def _month(name: str) -> int:
    return MONTHS.index(name[:3].title()) + 1


def _make_date(month: int, day: int, year: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _near(month: int, day: int, base: date) -> date | None:
    """The date with that month and day nearest to ``base`` (year left out by the writer)."""
    options = [_make_date(month, day, base.year + d) for d in (-1, 0, 1)]
    valid = [o for o in options if o is not None]
    if not valid:
        return None
    return min(valid, key=lambda o: abs((o - base).days))


def _status_from_text(text: str) -> tuple[Status | None, str]:
    """A leading status emoji or word; returns the status and the rest (one word stripped)."""
    rest = text.strip()
    status: Status | None = None
    for emoji, value in _EMOJI_STATUS.items():
        if rest.startswith(emoji):
            status = value
            rest = rest[len(emoji) :].lstrip("\ufe0f").strip()
            break
    lowered = rest.casefold()
    for word, value in _STATUS_WORDS:
        if lowered.startswith(word) and (
            len(lowered) == len(word) or not lowered[len(word)].isalnum()
        ):
            if status is None:
                status = value
            rest = rest[len(word) :].lstrip(" .,:;!—–-").strip()
            break
    return status, rest


def _split_people(text: str) -> list[str]:
    tokens = text.split()
    if tokens and all(t.startswith("@") for t in tokens):
        return [t.rstrip(",") for t in tokens]
    return [p.strip() for p in re.split(r"\s*(?:,|\band\b|&)\s*", text) if p.strip()]


@dataclass
class _Head:
    title: str
    owner: str | None = None
    description: str = ""
    carried: bool = False
    contributors: list[tuple[str, int]] = field(default_factory=list)


def _contributors(rest: str) -> tuple[list[tuple[str, int]], str]:
    """A trailing ``(@a @b 50:50)``: the people and shares, and the text before it."""
    if not rest.endswith(")"):
        return [], rest
    opening = rest.rfind("(")
    if opening < 0:
        return [], rest
    match = _CONTRIB.match(rest[opening + 1 : -1].strip())
    if not match or "owner" in match.group(1).casefold():
        return [], rest
    people = _split_people(match.group(1))
    shares = [int(s) for s in re.split(r"\s*[:/]\s*", match.group(2))]
    if not people or len(people) != len(shares):
        return [], rest
    if len(shares) < 2 and not all(p.startswith("@") for p in people):
        return [], rest
    return list(zip(people, shares, strict=True)), rest[:opening].rstrip()


def _parse_head(text: str, *, with_contributors: bool = False) -> _Head:
    """``🔁 **Title** (Owner: @x) - description (@a @b 50:50)`` and hand-written variants."""
    rest = text.strip()
    head = _Head(title="")
    if rest.startswith("🔁"):
        head.carried = True
        rest = rest[1:].strip()
    if with_contributors:
        head.contributors, rest = _contributors(rest)
    match = _OWNER_PAREN.search(rest)
    if match:
        head.owner = _person(match.group(1))
        rest = (rest[: match.start()] + rest[match.end() :]).strip()
    else:
        word = _OWNER_WORD.search(rest)
        if word:
            head.owner = _person(word.group(1))
            rest = (rest[: word.start()] + rest[word.end() :]).strip()
    bold = _BOLD_TITLE.match(rest)
    if bold:
        head.title = _clean(bold.group("title"))
        tail = bold.group("rest").strip()
        if tail.startswith(("(Owner", "(owner")):
            tail = _OWNER_PAREN.sub("", tail).strip()
        head.description = _clean(tail.lstrip("-–—: ").strip())
    else:
        head.title = _clean(rest)
    if head.owner is None and not head.description:
        trailing = _TRAILING_HANDLE.search(" " + head.title)
        if trailing and len(head.title) > len(trailing.group(0)):
            head.owner = trailing.group(1)
            head.title = (" " + head.title)[: trailing.start()].strip()
    head.title = head.title.strip(" -–—,;").strip() or head.title.strip()
    return head


# --- the parser --------------------------------------------------------------------------

_BODY = {
    SectionKind.OUTCOMES.value,
    SectionKind.RETRO.value,
    SectionKind.PRIORITIES.value,
    SectionKind.GOALS.value,
}


def _body_kind(norm: str) -> str | None:
    if "outcome" in norm or ("status" in norm and "retro" in norm):
        return SectionKind.OUTCOMES.value
    if "better" in norm or "improve" in norm or norm.startswith("retro"):
        return SectionKind.RETRO.value
    if "priorit" in norm and "high" not in norm and "low" not in norm:
        return SectionKind.PRIORITIES.value
    if "goal" in norm:
        return SectionKind.GOALS.value
    return None


def _team_sub(norm: str) -> str | None:
    if "hang over" in norm or "hangover" in norm or "hang-over" in norm or "carried over" in norm:
        return "hangover"
    if norm.startswith("retro") or norm == "retrospective":
        return "retro"
    if norm in ("okr", "okrs") or norm.startswith("okr"):
        return "okr"
    if "high priority" in norm or norm == "high":
        return "high"
    if "low priority" in norm or "side quest" in norm or norm == "low":
        return "low"
    if norm.startswith("time off"):
        return "time_off"
    if norm.startswith("support hero"):
        return "hero"
    if "impacted" in norm or "other teams" in norm:
        return "impacted"
    return None


class _Parser:
    def __init__(self, today: date) -> None:
        self.plan = ParsedPlan()
        self.today = today
        self.section = SectionKind.OTHER.value
        self.team: ParsedTeam | None = None
        self.team_level = 0
        self.sub: str | None = None
        self.retro_level: int | None = None
        self.details: list[str] = []  # "retro", "summary" or "other" per open <details>
        self.summary_columns: list[str] = []
        self.item: object | None = None
        self.item_indent = 0
        self.seen_content = False
        self.title_done = False
        self.meta = ParsedPlan()

    # notes ----------------------------------------------------------------------------

    def note(self, text: str) -> None:
        line = text.strip()
        if not line:
            return
        if line.startswith("\\") and len(line) > 1:
            line = line[1:]
        line = re.sub(r"^(\d{1,9})\\([.)])", r"\1\2", line)
        if self.team is not None:
            self.team.notes.append(ParsedNote(self._team_note_section(), line))
        else:
            self.plan.notes.append(ParsedNote(self.section, line))

    def _team_note_section(self) -> str:
        return {
            "retro_high": ItemKind.RETRO_HIGH.value,
            "retro": ItemKind.RETRO_HIGH.value,
            "retro_low": ItemKind.RETRO_LOW.value,
            "hangover": ItemKind.HANGOVER.value,
            "high": ItemKind.HIGH.value,
            "low": ItemKind.LOW.value,
        }.get(self.sub or "", SectionKind.TEAM.value)

    # lines ----------------------------------------------------------------------------

    def feed(self, lines: list[str]) -> None:
        fence: str | None = None
        for raw in lines:
            fence_match = _FENCE.match(raw)
            if fence is not None:
                if fence_match and fence_match.group(1)[0] == fence[0] and len(
                    fence_match.group(1)
                ) >= len(fence) and not raw.strip()[len(fence_match.group(1)) :].strip():
                    fence = None
                continue
            if fence_match:
                fence = fence_match.group(1)
                continue
            self.line(raw.rstrip())

    def line(self, raw: str) -> None:
        stripped = raw.strip()
        if not stripped or _CONTINUATION.match(stripped) or _RULE.match(raw):
            return
        if len(stripped) > MAX_LINE:
            self.seen_content = True
            self.note(stripped)
            return
        if self._html(stripped):
            return
        heading = _HEADING.match(raw)
        if heading:
            self.heading(len(heading.group(1)), heading.group(2) or "")
            return
        if not self.title_done and not self.seen_content and self.team is None:
            self.title_done = True
            if self._title(stripped):
                return
        self.seen_content = True
        if self.details and self.details[-1] == "summary":
            self._summary_row(stripped)
            return
        if stripped.casefold() in _SKIP_LINES or _LEGEND.match(stripped):
            if _LEGEND.match(stripped) and self.team is not None:
                self.team.comment_style = True
            return
        if self.team is not None and self._team_line(stripped):
            return
        listed = _LIST.match(raw)
        if listed:
            indent = len(listed.group(1).expandtabs(4))
            content = (listed.group(3) or "").strip()
            if not content:
                return
            if self.item is not None and indent >= self.item_indent + 2:
                self.sub_item(content)
            else:
                self.item_indent = indent
                self.top_item(content, raw)
            return
        if self.item is not None and raw[:1] in (" ", "\t") and self.sub_item(stripped):
            return
        self.note(stripped)

    def _html(self, line: str) -> bool:
        lowered = line.casefold()
        if lowered.startswith("<details"):
            summary = re.search(r"<summary>(.*?)</summary>", line, re.IGNORECASE | re.DOTALL)
            self.details.append("other")
            if summary:
                self._summary_tag(summary.group(1))
            return True
        if lowered.startswith("<summary>") and self.details:
            summary = re.search(r"<summary>(.*?)(?:</summary>|$)", line, re.IGNORECASE)
            self._summary_tag(summary.group(1) if summary else "")
            return True
        if lowered.startswith("</details>"):
            if self.details:
                kind = self.details.pop()
                if kind == "retro" and self.team is not None:
                    self.sub = None
                    self.retro_level = None
                    self.item = None
            return True
        return False

    def _summary_tag(self, text: str) -> None:
        norm = _heading_text(text).casefold()
        if norm == SUMMARY_TITLE.casefold():
            self.details[-1] = "summary"
            self.summary_columns = []
        elif norm.startswith("retro") and self.team is not None:
            self.details[-1] = "retro"
            self.team.comment_style = True
            self.sub = "retro"
            self.retro_level = 0
            self.item = None
        elif text.strip():
            self.note(f"<summary>{text.strip()}</summary>")

    def _title(self, line: str) -> bool:
        text = _clean(line.lstrip("#").strip()).strip("*_ ")
        match = _TITLE.match(text)
        if not match:
            return False
        rest = match.group("rest").strip()
        dates = _TITLE_DATES.match(rest)
        name = rest
        if dates and (dates.group("name") or "").strip() and dates.group("d1"):
            name = dates.group("name").strip(" -–—:,(")
            base = self.today
            year = int(dates.group("y1")) if dates.group("y1") else None
            start = (
                _make_date(_month(dates.group("m1")), int(dates.group("d1")), year)
                if year
                else _near(_month(dates.group("m1")), int(dates.group("d1")), base)
            )
            end = None
            if dates.group("d2") and start is not None:
                year2 = int(dates.group("y2")) if dates.group("y2") else None
                month2 = _month(dates.group("m2"))
                end = _make_date(month2, int(dates.group("d2")), year2 or start.year)
                if end is not None and end < start and year2 is None:
                    end = _make_date(month2, int(dates.group("d2")), start.year + 1)
            self.plan.start, self.plan.end = start, end
        if self.meta.start is not None:
            self.plan.start, self.plan.end = self.meta.start, self.meta.end
        self.plan.name = name.strip()
        return True

    # headings -------------------------------------------------------------------------

    def heading(self, level: int, raw: str) -> None:
        text = _heading_text(raw)
        norm = text.casefold()
        self.item = None
        if not self.title_done and not self.seen_content and self.team is None:
            self.title_done = True
            if self._title(text):
                return
        self.seen_content = True
        team_match = re.match(r"^team\s+(.+)$", text, re.IGNORECASE)
        teams_heading = norm in {t.word("teams_heading").casefold() for t in TEMPLATES.values()}
        if team_match and not teams_heading and team_match.group(1).strip("_ ").strip():
            self._enter_team(team_match.group(1).strip(), level)
            return
        if self.team is not None:
            if self.retro_level is not None and level <= self.retro_level and (
                not self.details or self.details[-1] != "retro"
            ):
                self.retro_level = None
            sub = _team_sub(norm)
            if sub is None and level <= self.team_level and (
                _body_kind(norm) or teams_heading or "global" in norm
            ):
                self.team = None
                self.sub = None
                self.retro_level = None
            elif sub is not None:
                self._team_heading(sub, level)
                return
            else:
                self.note(f"{'#' * level} {raw.strip()}")
                return
        kind = _body_kind(norm)
        if kind is not None:
            self.section = kind
        elif teams_heading:
            self.section = SectionKind.TEAM.value
        elif norm in {t.word("global_heading").casefold() for t in TEMPLATES.values()}:
            self.section = SectionKind.OTHER.value
        else:
            self.note(f"{'#' * level} {raw.strip()}")

    def _enter_team(self, name: str, level: int) -> None:
        name = _clean(name)[:200]
        existing = next((t for t in self.plan.teams if t.name.casefold() == name.casefold()), None)
        if existing is None:
            existing = ParsedTeam(name=name)
            self.plan.teams.append(existing)
        self.team = existing
        self.team_level = level
        self.sub = None
        self.retro_level = None

    def _team_heading(self, sub: str, level: int) -> None:
        retro_open = self.retro_level is not None or (
            bool(self.details) and self.details[-1] == "retro"
        )
        if sub == "retro":
            self.sub = "retro"
            if self.retro_level is None or self.retro_level > level:
                self.retro_level = level if not self.details or self.details[-1] != "retro" else 0
            return
        if sub in ("high", "low"):
            self.sub = f"retro_{sub}" if retro_open else sub
            return
        self.retro_level = None if not (self.details and self.details[-1] == "retro") else 0
        self.sub = sub

    # items ----------------------------------------------------------------------------

    def top_item(self, content: str, raw: str) -> None:
        if self.team is not None:
            self._team_item(content, raw)
            return
        section = self.section
        if section == SectionKind.OUTCOMES.value:
            head = _parse_head(content)
            outcome = ParsedOutcome(
                title=head.title,
                owner=head.owner,
                description=head.description,
                carry_over=head.carried,
            )
            self.plan.outcomes.append(outcome)
            self.item = outcome
        elif section == SectionKind.RETRO.value:
            kind = RetroKind.TO_IMPROVE
            text = content
            lowered = text.casefold()
            for prefix, value in (
                ("went well:", RetroKind.WENT_WELL),
                ("👍", RetroKind.WENT_WELL),
                ("action:", RetroKind.ACTION),
            ):
                if lowered.startswith(prefix):
                    kind = value
                    text = text[len(prefix) :].strip()
                    break
            owner = None
            match = _OWNER_PAREN.search(text)
            if match and match.end() == len(text):
                owner = _person(match.group(1))
                text = text[: match.start()].strip()
            note = ParsedRetroNote(text=_clean(text), kind=kind, owner=owner)
            self.plan.retro_notes.append(note)
            self.item = note
        elif section == SectionKind.PRIORITIES.value:
            self.plan.priorities.append(_clean(content))
            self.item = self.plan.priorities
        elif section == SectionKind.GOALS.value:
            head = _parse_head(content, with_contributors=True)
            goal = ParsedGoal(
                title=head.title,
                owner=head.owner,
                description=head.description,
                contributors=head.contributors,
                carried_over=head.carried,
            )
            self.plan.goals.append(goal)
            self.item = goal
        else:
            self.item = None
            self.note(raw.strip())

    def sub_item(self, content: str) -> bool:
        item = self.item
        text = _clean(content)
        lowered = text.casefold()
        if isinstance(item, ParsedOutcome | ParsedGoal):
            target = re.match(r"^(?:🎯\s*)?(?:goal|target)\s*:\s*(.*)$", text, re.IGNORECASE)
            if text.startswith("🎯") or target:
                item.target = target.group(1).strip() if target else text.lstrip("🎯 ").strip()
                return True
        if isinstance(item, ParsedOutcome):
            status = re.match(r"^status\s*:\s*(.*)$", text, re.IGNORECASE)
            if status or (text[:1] in "🟢🟡🔴⚪✅❌" and text[:1]):
                value, rest = _status_from_text(status.group(1) if status else text)
                if value is not None:
                    item.status = value
                    item.note = rest
                    return True
            if lowered.startswith("🔁") and "carried over" in lowered:
                item.was_carried = True
                return True
            note = re.match(r"^note\s*:\s*(.*)$", text, re.IGNORECASE)
            if note and not item.note:
                item.note = note.group(1).strip()
                return True
        if isinstance(item, ParsedGoal):
            why = re.match(r"^why\s*[?:]\s*(.*)$", text, re.IGNORECASE)
            if why:
                item.why = why.group(1).strip()
                return True
            confidence = re.match(r"^confidence\s*:\s*(\w+)\s*$", text, re.IGNORECASE)
            if confidence and confidence.group(1).lower() in {c.value for c in Confidence}:
                item.confidence = Confidence(confidence.group(1).lower())
                return True
            team = re.match(r"^team\s*:\s*(.+)$", text, re.IGNORECASE)
            if team:
                item.team = team.group(1).strip()[:200]
                return True
            owner = re.match(r"^owner\s*:\s*(.+)$", text, re.IGNORECASE)
            if owner and item.owner is None:
                item.owner = _person(owner.group(1))
                return True
        if isinstance(item, ParsedItem):
            item.note = f"{item.note}\n{text}" if item.note else text
            return True
        if isinstance(item, ParsedOkr):
            item.note = _join_text(item.note, text)
            return True
        self.note(content)
        return True

    def _team_item(self, content: str, raw: str) -> None:
        team = self.team
        assert team is not None
        sub = self.sub
        if sub in ("retro", "retro_high", "retro_low", "high", "low", "hangover"):
            kind = {
                "retro": ItemKind.RETRO_HIGH,
                "retro_high": ItemKind.RETRO_HIGH,
                "retro_low": ItemKind.RETRO_LOW,
                "high": ItemKind.HIGH,
                "low": ItemKind.LOW,
                "hangover": ItemKind.HANGOVER,
            }[sub]
            item = _parse_team_item(content, kind)
            if item is None:
                self.item = None
                self.note(raw.strip())
                return
            team.items.append(item)
            self.item = item
        elif sub == "okr":
            okr = _parse_okr(content)
            team.okrs.append(okr)
            self.item = okr
        elif sub == "time_off":
            self._time_off(content)
        elif sub == "hero":
            self._hero(content)
        elif sub == "impacted":
            team.impacted = _join_text(team.impacted, _clean(content))
        else:
            self.item = None
            self.note(raw.strip())

    def _team_line(self, line: str) -> bool:
        """Team-level lines: support hero, time off, other teams impacted."""
        team = self.team
        assert team is not None
        text = line
        listed = _LIST.match(line)
        if listed and self.sub not in (None, "hero", "time_off", "impacted"):
            return False
        if listed and listed.group(3):
            text = listed.group(3)
        hero = _HERO.match(text)
        if hero:
            self._hero(hero.group("rest"))
            self.item = None
            return True
        time_off = _TIME_OFF.match(text)
        if time_off:
            self._time_off(time_off.group("rest"))
            self.item = None
            return True
        impacted = _IMPACTED.match(text)
        if impacted:
            rest = _clean(impacted.group("rest"))
            team.impacted = "" if rest.casefold() in _NONE_WORDS else rest
            self.item = None
            if not rest:
                self.sub = "impacted"
            return True
        if self.sub in ("hero", "impacted", "time_off") and not listed:
            if self.sub == "hero":
                self._hero(text)
            elif self.sub == "impacted":
                team.impacted = _join_text(team.impacted, _clean(text))
            else:
                self._time_off(text)
            return True
        return False

    def _hero(self, text: str) -> None:
        team = self.team
        assert team is not None
        for chunk in re.split(r"\s*,\s*", _clean(text)):
            week = _WEEK.match(chunk)
            if week:
                person = _person(week.group("who"))
                if person:
                    team.duties.append((int(week.group("week")), person))
                continue
            person = _person(chunk)
            if person and team.support_hero is None:
                team.support_hero = person
            elif person:
                team.notes.append(ParsedNote(SectionKind.TEAM.value, f"Support hero: {chunk}"))

    def _time_off(self, text: str) -> None:
        team = self.team
        assert team is not None
        text = _clean(text)
        if text.casefold() in _NONE_WORDS:
            return
        base = self.plan.start or self.today
        leftover: list[str] = []
        position = 0
        for match in _TIME_OFF_ENTRY.finditer(text):
            start = _near(_month(match.group("m1")), int(match.group("d1")), base)
            if start is None:
                continue
            end = start
            if match.group("d2x"):
                end = _near(_month(match.group("m2")), int(match.group("d2x")), start) or start
            elif match.group("d2"):
                end = _make_date(start.month, int(match.group("d2")), start.year) or start
            if end < start:
                end = start
            extra = (match.group("extra") or "").strip()
            half = False
            if extra.casefold().startswith("half day"):
                half = True
                extra = extra[len("half day") :].lstrip(" ;,:").strip()
            leftover.append(text[position : match.start()])
            position = match.end()
            team.time_off.append(
                ParsedTimeOff(_person(match.group("who")) or "", start, end, half, extra)
            )
        leftover.append(text[position:])
        rest = " ".join(" ".join(leftover).split()).strip(" ,;.")
        if rest and rest.casefold() not in _NONE_WORDS:
            team.time_off_note = _join_text(team.time_off_note, rest)

    def _summary_row(self, line: str) -> None:
        if not line.startswith("|"):
            self.note(line)
            return
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip("|"))]
        lowered = [c.casefold().strip("* ") for c in cells]
        if lowered and lowered[0] == "section":
            self.summary_columns = lowered
            return
        if all(set(c) <= set("-: ") for c in cells) or lowered[0] == "total":
            return
        columns = self.summary_columns or ["section", "planned", "added", "actual", "difference"]
        values: dict[str, int] = {}
        for name, cell in zip(columns, cells, strict=False):
            match = _SUMMARY_DURATION.match(cell)
            if match and name in ("planned", "added", "actual"):
                seconds = int(match.group(2)) * 60 + int(match.group(3))
                values[name] = -seconds if match.group(1) == "-" else seconds
        if "planned" not in values or "actual" not in values:
            self.note(line)
            return
        self.plan.agenda.append(
            ParsedSection(cells[0][:200], values["planned"], values.get("added", 0),
                          values["actual"])
        )


def _join_text(first: str, second: str) -> str:
    return f"{first} {second}".strip() if first else second


def _parse_team_item(content: str, kind: ItemKind) -> ParsedItem | None:
    text = _clean(content)
    checked: bool | None = None
    box = _CHECKBOX.match(text)
    if box:
        checked = box.group(1) in "xX"
        text = text[box.end() :]
    status: Status | None = None
    if kind in (ItemKind.RETRO_HIGH, ItemKind.RETRO_LOW):
        for emoji, value in _EMOJI_STATUS.items():
            if text.startswith(emoji):
                status = value
                text = text[len(emoji) :].lstrip("\ufe0f").strip()
                break
        if status is None:
            status = Status.FINISHED if checked else Status.NOT_STARTED
    item = ParsedItem(kind=kind, title="", status=status)
    if kind == ItemKind.HANGOVER:
        decision = _DECISION.match(text)
        if decision and decision.group("title").strip():
            word = decision.group("word").casefold().replace("-", "")
            item.decision = (
                Decision.DEPRIORITISE if word.startswith("depriorit") else Decision.PRIORITISE
            )
            item.note = (decision.group("note") or "").strip()
            text = decision.group("title")
    head = _parse_head(text)
    item.title = head.title if not head.description else f"{head.title} - {head.description}"
    item.owner = head.owner
    item.carried_over = head.carried
    if not item.title:
        return None
    return item


def _parse_okr(content: str) -> ParsedOkr:
    text = _clean(content)
    match = _OKR.match(text)
    if match and match.group("title").strip():
        return ParsedOkr(
            title=match.group("title").strip(" -–—:"),
            status=_OKR_EMOJI[match.group("emoji")],
            note=(match.group("note") or "").strip(),
        )
    word = _OKR_WORD.match(text)
    if word and word.group("title").strip():
        return ParsedOkr(
            title=word.group("title").strip(),
            status=OkrStatus(word.group("word").lower()),
            note=(word.group("note") or "").strip(),
        )
    return ParsedOkr(title=text)


# --- text preparation --------------------------------------------------------------------


def _strip_comments(text: str) -> str:
    out: list[str] = []
    position = 0
    while True:
        start = text.find("<!--", position)
        if start < 0:
            break
        end = text.find("-->", start + 4)
        if end < 0:
            break
        out.append(text[position:start])
        position = end + 3
    out.append(text[position:])
    return "".join(out)


_META = re.compile(r"<!--\s*sprintdesk:meta\s+(.*?)-->", re.DOTALL)


def _read_meta(text: str, plan: ParsedPlan) -> None:
    match = _META.search(text)
    if not match:
        return
    for pair in match.group(1).split():
        key, _, value = pair.partition("=")
        if key == "template" and value in TEMPLATES:
            plan.template = value
        elif key in ("start", "end"):
            try:
                setattr(plan, key, date.fromisoformat(value))
            except ValueError:
                continue


def parse_plan(
    text: str, *, today: date | None = None, default_name: str | None = None
) -> ParsedPlan:
    """Parse a whole plan, a global plan alone or a single team's section. Never raises for
    odd content; only for text with nothing in it."""
    if not text.strip():
        raise PlanImportError("The text is empty: there is no plan to import.")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    parser = _Parser(today or date.today())
    meta = ParsedPlan()
    _read_meta(text, meta)
    parser.meta = meta
    parser.feed(_strip_comments(text).split("\n"))
    plan = parser.plan
    if meta.start is not None:
        plan.start = meta.start
    if meta.end is not None:
        plan.end = meta.end
    plan.template = meta.template
    plan.uuid = find_marker(text)
    if plan.template is None:
        plan.template = (
            "team-comments" if any(t.comment_style for t in plan.teams) else "classic"
        )
    if not plan.name:
        plan.name = (default_name or "Imported plan").strip() or "Imported plan"
    plan.name = plan.name[:200]
    if plan.start and plan.end and plan.end < plan.start:
        plan.end = None
    return plan


def parse_team_section(text: str, *, today: date | None = None) -> ParsedTeam:
    """The first team in ``text`` (a team comment); text with no ``Team <name>`` heading is
    read as the content of an unnamed team."""
    plan = parse_plan(text, today=today)
    if plan.teams:
        return plan.teams[0]
    wrapped = parse_plan("# Team (unnamed)\n\n" + text, today=today)
    return wrapped.teams[0]


# --- applying ----------------------------------------------------------------------------


class _People:
    """Finds people by ``@login`` (case-insensitive) or name, creating missing ones."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[str, Person] = {}
        self.created: list[Person] = []

    def get(self, key: str | None) -> Person | None:
        if not key:
            return None
        folded = key.casefold()
        if folded in self.cache:
            return self.cache[folded]
        if key.startswith("@"):
            login = key[1:]
            person = self.session.scalar(
                select(Person).where(func.lower(Person.github_login) == login.lower()).limit(1)
            )
            if person is None:
                person = Person(name=login, github_login=login)
                self.session.add(person)
                self.created.append(person)
        else:
            person = self.session.scalar(
                select(Person)
                .where(func.lower(Person.name) == key.lower())
                .order_by(Person.id)
                .limit(1)
            )
            if person is None:
                person = Person(name=key)
                self.session.add(person)
                self.created.append(person)
        self.cache[folded] = person
        return person


class _Teams:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[str, Team] = {}
        self.count = len(session.scalars(select(Team.id)).all())

    def get(self, name: str) -> Team:
        folded = name.casefold()
        if folded in self.cache:
            return self.cache[folded]
        team = self.session.scalar(
            select(Team).where(func.lower(Team.name) == name.lower()).limit(1)
        )
        if team is None:
            team = Team(name=name, position=self.count)
            self.count += 1
            self.session.add(team)
        self.cache[folded] = team
        return team


def _agenda(sprint: Sprint, parsed: ParsedPlan) -> None:
    if not parsed.agenda:
        build_agenda(sprint, sprint.team_plans)
        return
    titles: dict[str, SectionKind] = {}
    template = TEMPLATES.get(sprint.template) or TEMPLATES["classic"]
    for spec in template.sections:
        titles.setdefault(spec.title.casefold(), spec.kind)
    plans = {f"team {p.team.name}".casefold(): p for p in sprint.team_plans}
    sections: list[AgendaSection] = []
    for position, row in enumerate(parsed.agenda):
        plan = plans.get(row.title.casefold())
        kind = SectionKind.TEAM if plan is not None else titles.get(
            row.title.casefold(), SectionKind.OTHER
        )
        sections.append(
            AgendaSection(
                position=position,
                kind=kind.value,
                title=row.title,
                timebox_seconds=max(0, row.planned),
                extension_seconds=max(0, row.added),
                actual_seconds=float(max(0, row.actual)),
                visited=row.actual > 0,
                team_plan=plan,
            )
        )
    sprint.sections = sections


def _fill_team(
    sprint: Sprint, plan: TeamPlan, parsed: ParsedTeam, people: _People, seen: set[tuple]
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
        sprint.support_duties.append(SupportDuty(team=plan.team, week=week, person=person))
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
        sprint.time_off.append(
            TimeOff(person=person, start=entry.start, end=entry.end, half_day=entry.half_day,
                    note=entry.note)
        )
    plan.items = [_new_item(i, position, people) for position, i in enumerate(parsed.items)]
    plan.okrs = [
        Okr(title=o.title, status=o.status.value, note=o.note, position=position)
        for position, o in enumerate(parsed.okrs)
    ]


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


def apply_plan(session: Session, parsed: ParsedPlan) -> Sprint:
    """Create a draft sprint from a parsed plan (people and teams matched or created)."""
    with session.no_autoflush:
        people = _People(session)
        teams = _Teams(session)
        sprint = Sprint(
            name=parsed.name or "Imported plan",
            start=parsed.start,
            end=parsed.end,
            template=parsed.template or "classic",
            state=SprintState.DRAFT.value,
        )
        session.add(sprint)
        sprint.outcomes = [
            OutcomeReview(
                position=i, title=o.title, description=o.description, owner=people.get(o.owner),
                target=o.target, status=o.status.value, note=o.note, carry_over=o.carry_over,
                was_carried=o.was_carried,
            )
            for i, o in enumerate(parsed.outcomes)
        ]
        sprint.retro_notes = [
            RetroNote(position=i, kind=n.kind.value, text=n.text, owner=people.get(n.owner))
            for i, n in enumerate(parsed.retro_notes)
        ]
        sprint.priorities = [Priority(position=i, text=t) for i, t in enumerate(parsed.priorities)]
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
            goals.append(
                Goal(
                    position=i, title=g.title, description=g.description,
                    owner=people.get(g.owner), why=g.why, target=g.target,
                    confidence=g.confidence.value, team=teams.get(g.team) if g.team else None,
                    carried_over=g.carried_over, contributors=contributors,
                )
            )
        sprint.goals = goals
        plans: list[TeamPlan] = []
        seen: set[tuple] = set()
        notes: list[PlanNote] = [
            PlanNote(section=n.section, text=n.text, position=i)
            for i, n in enumerate(parsed.notes)
        ]
        for position, parsed_team in enumerate(parsed.teams):
            plan = TeamPlan(team=teams.get(parsed_team.name), position=position)
            plans.append(plan)
            _fill_team(sprint, plan, parsed_team, people, seen)
            for n in parsed_team.notes:
                notes.append(
                    PlanNote(section=n.section, text=n.text, position=len(notes), team_plan=plan)
                )
        sprint.team_plans = plans
        sprint.notes = notes
        _agenda(sprint, parsed)
    session.flush()
    return sprint


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


def _match_items(plan: TeamPlan, parsed: ParsedTeam) -> tuple[
    list[tuple[TeamItem | None, ParsedItem]], list[TeamItem]
]:
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


def team_changes(plan: TeamPlan, parsed: ParsedTeam) -> list[str]:
    """What applying ``parsed`` to ``plan`` would change, in words; empty when nothing."""
    changes: list[str] = []
    if not _same_person(plan.support_hero, parsed.support_hero):
        changes.append(f"Support hero: {_who(plan.support_hero)} → {parsed.support_hero or 'nobody'}")
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
            changes.append(f"{label}: “{new.title}” owner {_who(old.owner)} → {new.owner or 'nobody'}")
        if old.decision != (new.decision.value if new.decision else None):
            changes.append(
                f"{label}: “{new.title}” decision {old.decision or '—'} → "
                f"{new.decision.value if new.decision else '—'}"
            )
        if (old.note or "").strip() != new.note:
            changes.append(f"{label}: “{new.title}” note changed")
        if bool(old.carried_over) != new.carried_over:
            changes.append(f"{label}: “{new.title}” carried over {'on' if new.carried_over else 'off'}")
    for old in removed:
        changes.append(f"{_KIND_LABEL.get(old.kind, old.kind)}: removed “{old.title}”")
    old_okrs = [(o.title, o.status, o.note or "") for o in plan.okrs]
    new_okrs = [(o.title, o.status.value, o.note) for o in parsed.okrs]
    if old_okrs != new_okrs:
        changes.append(f"OKRs: {len(old_okrs)} → {len(new_okrs)} ({', '.join(t for t, _, _ in new_okrs) or 'none'})")
    old_notes = [(n.section, n.text) for n in plan.sprint.notes if n.team_plan is plan]
    if old_notes != [(n.section, n.text) for n in parsed.notes]:
        changes.append(f"Kept notes: {len(old_notes)} → {len(parsed.notes)}")
    return changes


def apply_team(session: Session, plan: TeamPlan, parsed: ParsedTeam) -> list[str]:
    """Bring ``parsed`` onto ``plan`` keeping matched items (and their links); returns the
    changes made, as :func:`team_changes` words them."""
    changes = team_changes(plan, parsed)
    if not changes:
        return changes
    with session.no_autoflush:
        people = _People(session)
        plan.support_hero = people.get(parsed.support_hero)
        plan.other_teams_impacted = parsed.impacted
        plan.time_off_note = parsed.time_off_note
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
                plan.okrs.append(Okr(title=o.title, status=o.status.value, note=o.note,
                                     position=position))
        sprint = plan.sprint
        for note in [n for n in sprint.notes if n.team_plan is plan]:
            sprint.notes.remove(note)
        for n in parsed.notes:
            sprint.notes.append(
                PlanNote(section=n.section, text=n.text, position=len(sprint.notes),
                         team_plan=plan)
            )
    session.flush()
    return changes


__all__ = [
    "ParsedPlan",
    "ParsedTeam",
    "PlanImportError",
    "apply_plan",
    "apply_team",
    "decode",
    "import_markdown",
    "parse_plan",
    "parse_team_section",
    "team_changes",
]
