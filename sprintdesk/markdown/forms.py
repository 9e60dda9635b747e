"""The written forms the importer reads: its regular expressions (built from the vocabulary
files, :mod:`sprintdesk.markdown.vocabulary`) and the small readers of one piece of a line: a
head ("🔁 **Title** (Owner: @x) - description"), a status, a person, a weekly hero.
The line state machine is :mod:`sprintdesk.markdown.parse`; dates are read in
:mod:`sprintdesk.markdown.dates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sprintdesk.markdown.dates import _DATE, _DATE2
from sprintdesk.markdown.parts import CONTINUED
from sprintdesk.markdown.render import (
    NO_ONE,
    TEAMS_LINE,
)
from sprintdesk.markdown.vocabulary import alternation, vocabulary
from sprintdesk.plan.model import (
    OkrStatus,
    RetroKind,
    SectionKind,
    Status,
)
from sprintdesk.plan.templates import DEFAULT_WORDING, TEMPLATES

# --- vocabulary --------------------------------------------------------------------------

_EMOJI_STATUS = {
    "🟢": Status.FINISHED,
    "✅": Status.FINISHED,
    "🟡": Status.IN_PROGRESS,
    "🔴": Status.WONT_FINISH,
    "❌": Status.WONT_FINISH,
    "⚪": Status.NOT_STARTED,
    "⚪️": Status.NOT_STARTED,
    "🟠": Status.IN_PROGRESS,
}
_OKR_EMOJI = {
    "🟢": OkrStatus.GREEN,
    "✅": OkrStatus.GREEN,
    "🟡": OkrStatus.YELLOW,
    "🟠": OkrStatus.YELLOW,
    "🔴": OkrStatus.RED,
    "⚪": OkrStatus.UNKNOWN,
}
_OKR_WORDS = {
    "green": OkrStatus.GREEN,
    "yellow": OkrStatus.YELLOW,
    "red": OkrStatus.RED,
    "status unknown": OkrStatus.UNKNOWN,
    "unknown": OkrStatus.UNKNOWN,
}
_V = vocabulary()
_STATUS_WORDS: list[tuple[str, Status]] = [(w, Status(v)) for w, v in _V.status_pairs()]
_STATUS_CUES: list[tuple[re.Pattern[str], Status]] = [
    (re.compile(r"(?<!\w)" + re.escape(cue) + r"(?!\w)"), Status(v)) for cue, v in _V.cue_pairs()
]
_NONE_WORDS = {"", NO_ONE, *_V.none_words}
_SKIP_LINES = {
    TEAMS_LINE.casefold(),
    DEFAULT_WORDING["goals_intro"].casefold(),
    *(s.intro.casefold() for t in TEMPLATES.values() for s in t.sections if s.intro),
    *(t.word("goals_intro").casefold() for t in TEMPLATES.values()),
}
_TITLE = re.compile(
    r"^(?:" + alternation(_V.sprint_words) + r")(?=$|[\s:–—-])[\s:–—-]*(?P<rest>.*)$",
    re.IGNORECASE,
)
_TEAM_HEADING = re.compile(r"^(?:" + alternation(_V.team_words) + r")\s+(.+)$", re.IGNORECASE)
_OWNER = _V.label("owner")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$")
_LIST = re.compile(r"^(\s*)([-*+•]|\d{1,9}[.)])(?:\s+(.*))?$")
_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_RULE = re.compile(r"^\s{0,3}(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$")
_CONTINUATION = re.compile(
    r"^\*\(continued (?:in the next comment|from the previous comment[^)]*)\)\*$",
    re.IGNORECASE,
)
_CHECKBOX = re.compile(r"^\[([ xX])\]\s*")
_OWNER_PAREN = re.compile(r"\s*\(\s*(?:" + _OWNER + r")\s*:\s*([^()]+?)\s*\)", re.IGNORECASE)
_OWNER_WORD = re.compile(
    r"\s*[-–—,;]?\s*\b(?:" + _OWNER + r")\s*:?\s*(@[\w][\w.-]*)", re.IGNORECASE
)
_AT = r"@[\w][\w.-]*?(?:/[\w-]+)?"
# A run of handles ending the line ("item #123 @owner @helper"): the first is the owner.
_TRAILING_HANDLE = re.compile(r"\s+(" + _AT + r"(?:[\s,]+" + _AT + r")*)[.,;]?$")
_HANDLES_PAREN = re.compile(r"\s*\(\s*(" + _AT + r"(?:[\s,&]+" + _AT + r")*)\s*\)$")
_LEADING_HANDLE = re.compile(r"^(" + _AT + r")\s*[-–—:,]?\s+(?=\S)")
_STATUS_EMOJI = "🟢🟡🔴⚪✅❌🟠"
_TRAILING_STATUS = re.compile(r"\s*[-–—]?\s*\(?\s*([🟢🟡🔴⚪✅❌🟠])\ufe0f?\s*\)?$")
_CONTRIB = re.compile(r"^(.*?)\s+(\d{1,3}(?:\s*[:/]\s*\d{1,3})*)$")
MAX_LINE = 10_000  # longer lines are kept as notes without further reading
# "... (**status**: almost there)", "... @x Status: query done, funnels coming up": a status
# written as prose, after the title.
_PROSE_STATUS = re.compile(
    r"(?:\s\(\s*|\s)\**(?:" + _V.label("status") + r")\**\s*:\s*\**\s*(?P<prose>.+?)\s*$",
    re.IGNORECASE,
)
# "persons-on-events @x - **Done**: implementation ...": a bold status word after a dash.
_DASH_BOLD_STATUS = re.compile(r"\s[-–—]\s\*\*(?P<word>[^*]{1,30}?)\*\*\s*:?\s*(?P<rest>.*)$")
_BOLD_TAIL = re.compile(r"^(?P<title>[^*]*[^*\s])\s+\*\*(?P<bold>[^*]+?)\*\*[.]?$")
_BOLD_TITLE = re.compile(r"^\*\*(?P<title>(?:\\.|[^\\])+?)\*\*(?P<rest>.*)$")
_INLINE_TAG = re.compile(
    r"</?(?:b|i|em|strong|u|s|code|span|sup|sub|kbd|mark|del|ins)\b[^>]*>", re.IGNORECASE
)
_LEGEND = re.compile(r"^(?:[🟢🟡🔴⚪]\s*=\s*[^🟢🟡🔴⚪]*){3,}$")
# "Support hero: @x", "Support: Ben", "Surveys Support hero: @x" (a word or two before it).
_HERO = re.compile(
    r"^\**\s*(?:[\w&'’-]+\s+){0,2}?(?:"
    + _V.label("support_hero")
    + "|"
    + _V.label("support")
    + r")\s*(?::\s*\**|\**\s*:)\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# "@x support hero", "@x is the support hero".
_HERO_AFTER = re.compile(
    r"^(?P<who>@[\w][\w.-]*)\s+(?:is\s+)?(?:(?:the|our)\s+)?(?:"
    + _V.label("support_hero")
    + r")\b\s*[.!]?\s*$",
    re.IGNORECASE,
)
# "Michael 1st week", "@b second week", "Week 1: Raquel".
_WEEK_WORD = "|".join(alternation(words) for words in _V.week_words.values())
_WEEK_AFTER = re.compile(
    r"^(?P<who>.+?)\s*[-–:]?\s+(?P<word>" + _WEEK_WORD + r")\s+week\b.*$", re.IGNORECASE
)
_WEEK_BEFORE = re.compile(
    r"^(?:" + _V.label("week") + r")\s+(?P<week>\d{1,2})\s*[:=-]\s*(?P<who>.+)$", re.IGNORECASE
)
_TIME_OFF = re.compile(
    r"^\**\s*(?:" + _V.label("time_off") + r")(?:\s+[\w'’-]+){0,3}\s*\**\s*:\s*\**\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_OFF_WORD = re.compile(r"\b(?:" + alternation(_V.time_off_words) + r")\b", re.IGNORECASE)
_IMPACTED = re.compile(
    r"^\**\s*(?:" + _V.label("impacted") + r")\??\s*\**\s*(?P<rest>.*)$", re.IGNORECASE
)
_DEPRIORITISE = re.compile(_V.words("decisions", "deprioritise"), re.IGNORECASE)
_DECISION = re.compile(
    r"^(?P<title>.*?)[.,;:]?\s*[-–—]?\s*\b(?P<word>"
    + _V.words("decisions", "deprioritise")
    + "|"
    + _V.words("decisions", "prioritise")
    + r")\b\s*(?:\((?P<note>.*)\))?\s*[.]?$",
    re.IGNORECASE,
)
_LABEL = {
    name: re.compile(r"^(?:" + _V.label(name) + r")\s*" + tail + r"\s*(.*)$", re.IGNORECASE)
    for name, tail in (
        ("status", ":"),
        ("note", ":"),
        ("why", "[?:]"),
        ("team", ":"),
        ("owner", ":"),
    )
}
# "Date: October 12, 2015" under the title: the sprint's dates, said on a line of their own.
_DATES_LINE = re.compile(
    r"^\**(?:" + _V.label("dates") + r")\**\s*:\s*\**\s*(?P<rest>.+?)\s*\**$", re.IGNORECASE
)
_TARGET = re.compile(r"^(?:🎯\s*)?(?:" + _V.label("goal") + r")\s*:\s*(.*)$", re.IGNORECASE)
_CONFIDENCE = re.compile(r"^(?:" + _V.label("confidence") + r")\s*:\s*(\w+)\s*$", re.IGNORECASE)
_OKR = re.compile(
    r"^(?P<title>.*?)\s*[-–—:]?\s*(?P<emoji>🟢|🟡|🔴|⚪|🟠|✅)\ufe0f?\s*"
    r"(?P<word>green|yellow|red|status unknown|unknown)?\s*"
    r"(?:[-–—:]\s*(?P<note>.*?))?\s*$",
    re.IGNORECASE,
)
_OKR_WORD = re.compile(
    r"^(?P<title>.*?)\s+[-–—]\s+(?P<word>green|yellow|red|status unknown)\b\s*"
    r"(?:[-–—:]\s*(?P<note>.*?))?\s*$",
    re.IGNORECASE,
)
_WHO = r"(?P<who>@[\w][\w.-]*|[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){1,3})"
_TIME_OFF_ENTRY = re.compile(
    _WHO
    + r"\s+"
    + _DATE
    + r"(?:\s*[-–]\s*(?:"
    + _DATE2.replace("(?P<d2>", "(?P<d2x>")
    + r"|(?P<d2>\d{1,2})))?(?:\s*\((?P<extra>[^()]*)\))?"
)
_WEEK = re.compile(
    r"^(?P<who>.*?)\s*\(\s*(?:" + _V.label("week") + r")\s+(?P<week>\d{1,2})\s*\)$",
    re.IGNORECASE,
)
# "@kim (other weeks)": the whole-sprint hero, written beside weekly heroes.
_OTHER_WEEKS = re.compile(
    r"^(?P<who>.*?)\s*\(\s*(?:all\s+)?(?:other|remaining)\s+weeks?\s*\)$", re.IGNORECASE
)
_RETRO_PREFIXES = [
    (word.casefold(), RetroKind(kind))
    for kind, words in _V.retro_prefixes.items()
    for word in words
]
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
        # "@PostHog/team-ai": a GitHub team mention stands for its team's people.
        match = re.match(r"@[\w][\w.-]*(?:/[\w-]+)?", value)
        return match.group(0).rstrip(".") if match else None
    return value[:200] or None


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


def _prose_status(text: str) -> Status | None:
    """How it went, from a status written as prose: a leading status word or emoji, else the
    first cue found anywhere in it (won't finish, then in progress, then finished; see the
    vocabulary's ``status_cues``); None when it says none of these."""
    status, _ = _status_from_text(text)
    if status is not None:
        return status
    lowered = text.casefold()
    for cue, value in _STATUS_CUES:
        if cue.search(lowered):
            return value
    return None


def _leading_emoji(text: str) -> tuple[Status | None, str]:
    for emoji, value in _EMOJI_STATUS.items():
        if text.startswith(emoji):
            return value, text[len(emoji) :].lstrip("\ufe0f").strip()
    return None, text


def _column(name: str) -> str | None:
    """What a table column holds, by its header."""
    if name in ("title", "goal", "goals", "outcome", "outcomes", "item", "task", "priority"):
        return "title"
    if name in ("owner", "who", "assignee", "owners", "dri"):
        return "owner"
    if name == "status":
        return "status"
    return None


def _is_label(text: str, name: str) -> bool:
    """Whether the words before the colon are exactly one of the label's words."""
    before = _clean(text).split(":", 1)[0].strip("*_ ").casefold()
    return before in {w.casefold() for w in _V.labels.get(name, [])}


def _week_of(chunk: str) -> tuple[int | None, str]:
    """A weekly hero: "@a (week 1)", "Michael 1st week", "Week 2: Marius"."""
    for pattern in (_WEEK, _WEEK_BEFORE):
        match = pattern.match(chunk)
        if match:
            return int(match.group("week")), match.group("who")
    after = _WEEK_AFTER.match(chunk)
    if after:
        word = after.group("word").casefold()
        for number, words in _V.week_words.items():
            if word in (w.casefold() for w in words):
                return int(number), after.group("who")
    return None, chunk


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
    status: Status | None = None
    helpers: str = ""  # further handles written after the owner's, kept as written
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


def _status_said(text: str, said: re.Match[str]) -> bool:
    """Whether "status:" in a line starts its status, not a title's words ("Fix the status:
    page"): in parentheses, in bold, or after the owner's @handle or a closing bracket."""
    if said.group(0).lstrip().startswith(("(", "*")):
        return True
    before = text[: said.start()].rstrip()
    return before.endswith((")", "]")) or re.search(_AT + r"$", before) is not None


def _join_status(description: str, prose: str) -> str:
    said = f"Status: {_clean(prose)}"
    return f"{description} - {said}" if description else said


def _parse_head(text: str, *, with_contributors: bool = False, statuses: bool = True) -> _Head:
    """``🔁 **Title** (Owner: @x) - description (@a @b 50:50)`` and hand-written variants."""
    rest = text.strip()
    head = _Head(title="")
    if statuses:
        head.status, rest = _leading_emoji(rest)
    if rest.startswith("🔁"):
        head.carried = True
        rest = rest[1:].strip()
        if head.status is None and statuses:
            head.status, rest = _leading_emoji(rest)
    if head.status is None and statuses:
        trailing_status = _TRAILING_STATUS.search(rest)
        if trailing_status and trailing_status.start() > 0:
            head.status = _EMOJI_STATUS.get(trailing_status.group(1))
            rest = rest[: trailing_status.start()].rstrip()
    prose = ""
    if head.status is None and statuses:
        said = _PROSE_STATUS.search(rest)
        if said and said.start() > 0 and _status_said(rest, said):
            prose = said.group("prose")
            if said.group(0).lstrip().startswith("(") and prose.endswith(")"):
                prose = prose[:-1].rstrip()
            head.status = _prose_status(prose)
            rest = rest[: said.start()].rstrip()
        else:
            dash = _DASH_BOLD_STATUS.search(rest)
            bold_status = _status_from_text(dash.group("word"))[0] if dash else None
            if dash and bold_status is not None and dash.start() > 0:
                head.status, prose = bold_status, f"{dash.group('word')}: {dash.group('rest')}"
                rest = rest[: dash.start()].rstrip()
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
    in_parens = _HANDLES_PAREN.search(rest) if head.owner is None else None
    if in_parens and in_parens.start() > 0:
        # "Demo data live (@ana @ben)": the people in parentheses after the title, owner first.
        found = re.findall(_AT + r"(?![\w.-])", in_parens.group(1))
        head.owner, head.helpers = _person(found[0]), " ".join(found[1:])
        rest = rest[: in_parens.start()].rstrip()
    leading = _LEADING_HANDLE.match(rest) if head.owner is None else None
    if leading:
        head.owner = _person(leading.group(1))
        rest = rest[leading.end() :]
    bold = _BOLD_TITLE.match(rest)
    if bold:
        head.title = re.sub(r"\\([\\*])", r"\1", _clean(bold.group("title")))
        tail = bold.group("rest").strip()
        if tail.startswith(("(Owner", "(owner")):
            tail = _OWNER_PAREN.sub("", tail).strip()
        head.description = _clean(tail.lstrip("-–—: ").strip())
    else:
        tail = _BOLD_TAIL.match(rest)
        arrow = rest.find(" > ") if statuses else -1
        if arrow > 0 and tail is None:
            # "Web Performance - @paul ... > Released for our team": how it went, after '>'.
            head.title = _clean(rest[:arrow])
            head.description = _clean(rest[arrow + 3 :])
            head.status = _prose_status(head.description) or head.status
        elif tail:
            # "Deploy groups **In progress, still a lot to do**": the bold words say how it went.
            head.title = _clean(tail.group("title"))
            head.description = _clean(tail.group("bold"))
            if statuses:
                head.status = _status_from_text(head.description)[0] or head.status
        else:
            head.title = _clean(rest)
    for field_name in ("title", "description"):
        # "Fix login @lena.k": a handle ending the title (or its description) is the owner.
        value = getattr(head, field_name)
        trailing = _TRAILING_HANDLE.search(" " + value) if head.owner is None else None
        if trailing and (field_name == "description" or len(value) > len(trailing.group(0))):
            handles = re.findall(_AT + r"(?=[\s,;]|\.?$|\.\s)", trailing.group(1))
            head.owner = _person(handles[0])
            head.helpers = " ".join(handles[1:])
            setattr(head, field_name, (" " + value)[: trailing.start()].strip())
    head.title = head.title.strip(" -–—,;").strip() or head.title.strip()
    if prose:
        # The words stay, after the description: nothing written is dropped.
        head.description = _join_status(head.description, prose)
    if head.status is None and statuses:
        # "Fix login 🟡 @lena-k": the emoji was before the owner's handle.
        late = _TRAILING_STATUS.search(head.title)
        if late and late.start() > 0:
            head.status = _EMOJI_STATUS.get(late.group(1))
            head.title = head.title[: late.start()].rstrip()
    if head.owner is None:
        # No owner said so: the first @login in the title is (it stays in the title).
        first = re.search(r"(?<![\w@])" + _AT + r"(?=[\s,;:)&]|\.?$|\.\s)", head.title)
        if first:
            head.owner = _person(first.group(0))
    return head


# --- the parser --------------------------------------------------------------------------

_BODY = {
    SectionKind.OUTCOMES.value,
    SectionKind.RETRO.value,
    SectionKind.PRIORITIES.value,
    SectionKind.GOALS.value,
}


def _body_kind(norm: str) -> str | None:
    return _V.section_of(norm)


def _team_sub(norm: str) -> str | None:
    return _V.team_section_of(norm)
