"""Plan -> GitHub markdown: the issue title, the issue body (global plan) and one part per team.

Qt-free and deterministic: the same plan gives the same bytes. Wording and headings come from
the plan's template (:mod:`sprintdesk.templates`). GitHub refuses bodies and comments over
65,536 characters, so a part over ``limit`` is split at section or list-item boundaries into
continuation parts that say they continue (and repeat the headings they continue under).
:mod:`sprintdesk.importer` reads all of this back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sprintdesk.model import (
    OKR_EMOJI,
    STATUS_EMOJI,
    AgendaSection,
    Confidence,
    Decision,
    ItemKind,
    OkrStatus,
    OutcomeReview,
    Person,
    PlanNote,
    RetroKind,
    SectionKind,
    Sprint,
    Status,
    TeamItem,
    TeamPlan,
)
from sprintdesk.templates import CLASSIC, TEMPLATES, Template, get_template

GITHUB_LIMIT = 65536
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Words written after a status emoji; the importer strips exactly one of these.
OUTCOME_WORDS: dict[Status, str] = {
    Status.FINISHED: "Done",
    Status.IN_PROGRESS: "In progress",
    Status.WONT_FINISH: "Not met",
    Status.NOT_STARTED: "Not started",
}
OKR_WORDS: dict[OkrStatus, str] = {
    OkrStatus.GREEN: "green",
    OkrStatus.YELLOW: "yellow",
    OkrStatus.RED: "red",
}
RETRO_PREFIX: dict[RetroKind, str] = {
    RetroKind.WENT_WELL: "Went well: ",
    RetroKind.TO_IMPROVE: "",
    RetroKind.ACTION: "Action: ",
}

CARRIED = "🔁"
TARGET = "🎯"
TEAMS_LINE = "Each team plans in its own comment below."
WAS_CARRIED_LINE = f"{CARRIED} Carried over before"
NO_ONE = "nobody yet"
NONE_TEXT = "none"
SUMMARY_TITLE = "Meeting summary"
CONTINUED = "(continued)"
CONTINUED_NEXT = "*(continued in the next comment)*"
PART_SEPARATOR = "---"

_MARKER_RE = re.compile(r"<!--\s*sprintdesk:plan=([0-9A-Za-z-]{1,64})\s*-->")
_LIST_START = re.compile(r"^(?:[-*+]|\d{1,9}[.)])(?:\s|$)")
_ESCAPE_START = re.compile(r"^(?:#|[-*+>]|`{3}|~{3}|\d{1,9}[.)])")


@dataclass(frozen=True)
class Part:
    """One GitHub text: ``key`` is "body", "team:<team id>", with "#2", "#3"... on
    continuation parts; ``title`` is a label for people ("Team Pipeline (2/3)")."""

    key: str
    title: str
    markdown: str


@dataclass(frozen=True)
class RenderedPlan:
    """The issue title and its parts: ``parts[0]`` is the issue body, then continuation parts
    of the body, then the team comments in agenda order."""

    title: str
    parts: tuple[Part, ...]

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)


# --- small formatting helpers -------------------------------------------------------------


def plan_marker(uuid: str) -> str:
    """The hidden marker that identifies a plan's issue on GitHub."""
    return f"<!-- sprintdesk:plan={uuid} -->"


def find_marker(text: str) -> str | None:
    """The plan uuid of the first marker in ``text``, or None."""
    match = _MARKER_RE.search(text)
    return match.group(1) if match else None


def meta_comment(template: str, start: date | None, end: date | None) -> str:
    """A hidden line with what the visible text cannot hold exactly (template, years)."""
    fields = [f"template={template}"]
    if start is not None:
        fields.append(f"start={start.isoformat()}")
    if end is not None:
        fields.append(f"end={end.isoformat()}")
    return f"<!-- sprintdesk:meta {' '.join(fields)} -->"


def short_date(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}"


def date_range(start: date, end: date) -> str:
    """``Mar 10``, ``Mar 10-11``, ``Mar 30-Apr 2`` (year left out, as people write it)."""
    if start == end:
        return short_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{short_date(start)}-{end.day}"
    return f"{short_date(start)}-{short_date(end)}"


def plan_title(sprint: Sprint) -> str:
    """``Sprint 4.12.0 1/2 - Mar 3 to Mar 14``."""
    name = inline(sprint.name) or "(unnamed)"
    head = name if name.lower().startswith("sprint ") else f"Sprint {name}"
    if sprint.start is not None and sprint.end is not None:
        return f"{head} - {short_date(sprint.start)} to {short_date(sprint.end)}"
    if sprint.start is not None:
        return f"{head} - from {short_date(sprint.start)}"
    return head


def inline(text: str | None) -> str:
    """One line of text: runs of whitespace (newlines too) become one space."""
    return " ".join((text or "").split())


def lines_of(text: str | None) -> list[str]:
    return [inline(line) for line in (text or "").splitlines() if line.strip()]


def handle(person: Person | None) -> str:
    if person is None:
        return ""
    return f"@{person.github_login}" if person.github_login else inline(person.name)


def owner_suffix(person: Person | None) -> str:
    return f" (Owner: {handle(person)})" if person is not None else ""


def trailing_owner(person: Person | None) -> str:
    """``@login`` at the end of an item; people without a login get ``(Owner: Name)``."""
    if person is None:
        return ""
    if person.github_login:
        return f" @{person.github_login}"
    return owner_suffix(person)


def escape_note(text: str) -> str:
    """A kept note, written so that it reads back as a note and not as structure."""
    line = text.strip()
    if _ESCAPE_START.match(line):
        digits = re.match(r"^(\d{1,9})([.)])", line)
        if digits:
            return f"{digits.group(1)}\\{line[len(digits.group(1)):]}"
        return "\\" + line
    return line


def format_duration(seconds: float) -> str:
    total = int(round(seconds))
    sign = "-" if total < 0 else ""
    total = abs(total)
    return f"{sign}{total // 60}:{total % 60:02d}"


# --- the document builder -----------------------------------------------------------------


@dataclass
class _Chunk:
    text: str
    sep: str  # what goes before it when it follows another chunk
    reopen: tuple[str, ...]  # headings/blocks to repeat when a continuation starts here
    close: str  # what to close when a part ends just before this chunk
    keep: bool = False  # a heading or opening: never end a part right after it


@dataclass
class _Doc:
    chunks: list[_Chunk] = field(default_factory=list)
    stack: list[tuple[int, str]] = field(default_factory=list)
    details: str | None = None
    in_list: bool = False

    def _context(self) -> tuple[tuple[str, ...], str]:
        reopen: list[str] = []
        if self.details is not None:
            reopen.append(f"<details>\n<summary>{self.details} {CONTINUED}</summary>")
        reopen.extend(f"{'#' * level} {text} {CONTINUED}" for level, text in self.stack)
        return tuple(reopen), ("</details>" if self.details is not None else "")

    def add(self, text: str, *, item: bool = False, keep: bool = False) -> None:
        reopen, close = self._context()
        sep = "\n" if item and self.in_list else "\n\n"
        self.chunks.append(_Chunk(text, sep, reopen, close, keep))
        self.in_list = item

    def heading(self, level: int, text: str) -> None:
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.add(f"{'#' * level} {text}", keep=True)
        self.stack.append((level, text))

    def para(self, text: str) -> None:
        if text:
            self.add(text)

    def items(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.add(text, item=True)
        self.in_list = False

    def notes(self, notes: Iterable[PlanNote]) -> None:
        for note in notes:
            for line in lines_of(note.text):
                self.add(escape_note(line))

    def open_details(self, summary: str) -> None:
        self.add(f"<details>\n<summary>{summary}</summary>", keep=True)
        self.details = summary
        self.stack = []

    def close_details(self) -> None:
        self.details = None
        self.stack = []
        self.add("</details>")


def _item(number: int | None, first: str, subs: Iterable[str]) -> str:
    """A list item with 4-space nested sub-items (GitHub and the preview nest them alike)."""
    marker = f"{number}." if number is not None else "-"
    out = [f"{marker} {first}"]
    out.extend(f"    - {sub}" for sub in subs if sub)
    return "\n".join(out)


# --- the body ----------------------------------------------------------------------------

BODY_KINDS = (SectionKind.OUTCOMES, SectionKind.RETRO, SectionKind.PRIORITIES, SectionKind.GOALS)


def _notes_for(sprint: Sprint, section: str, team_plan: TeamPlan | None = None) -> list[PlanNote]:
    """The kept notes of one section: of the body (``team_plan`` None) or of a team's part."""
    found = []
    for note in sprint.notes:
        if note.section != section:
            continue
        if team_plan is None:
            if note.team_plan is None and note.team_plan_id is None:
                found.append(note)
        elif note.team_plan is team_plan or (
            team_plan.id is not None and note.team_plan_id == team_plan.id
        ):
            found.append(note)
    return found


def _outcome(number: int, outcome: OutcomeReview) -> str:
    head = CARRIED + " " if outcome.carry_over else ""
    first = f"{head}**{inline(outcome.title)}**{owner_suffix(outcome.owner)}"
    if inline(outcome.description):
        first += f" - {inline(outcome.description)}"
    status = _status(outcome.status)
    status_line = f"Status: {STATUS_EMOJI[status]} {OUTCOME_WORDS[status]}."
    if inline(outcome.note):
        status_line += f" {inline(outcome.note)}"
    subs = [
        f"{TARGET} Goal: {inline(outcome.target)}" if inline(outcome.target) else "",
        status_line,
        WAS_CARRIED_LINE if outcome.was_carried else "",
    ]
    return _item(number, first, subs)


def _status(value: str | None) -> Status:
    try:
        return Status(value or Status.NOT_STARTED.value)
    except ValueError:
        return Status.NOT_STARTED


def _contributors(goal_contributors: list[tuple[Person, int]]) -> str:
    if not goal_contributors:
        return ""
    names = [handle(p) for p, _ in goal_contributors]
    joiner = " " if all(n.startswith("@") for n in names) else ", "
    shares = ":".join(str(int(s)) for _, s in goal_contributors)
    return f" ({joiner.join(names)} {shares})"


def _body(sprint: Sprint, template: Template, doc: _Doc) -> None:
    doc.add(f"# {plan_title(sprint)}")  # not repeated in continuation parts
    doc.notes(_notes_for(sprint, SectionKind.OTHER.value))
    doc.notes(_notes_for(sprint, SectionKind.SUMMARY.value))
    doc.heading(2, template.word("global_heading"))
    for kind in BODY_KINDS:
        spec = template.spec(kind)
        notes = _notes_for(sprint, kind.value)
        has_content = bool(notes) or bool(
            {
                SectionKind.OUTCOMES: sprint.outcomes,
                SectionKind.RETRO: sprint.retro_notes,
                SectionKind.PRIORITIES: sprint.priorities,
                SectionKind.GOALS: sprint.goals,
            }[kind]
        )
        if spec is None:
            if not has_content:
                continue
            spec = CLASSIC.spec(kind)
            assert spec is not None
        doc.heading(3, spec.markdown_heading)
        intro = spec.intro or (template.word("goals_intro") if kind == SectionKind.GOALS else "")
        if intro:
            doc.add(intro, keep=True)
        if kind == SectionKind.OUTCOMES:
            doc.items(_outcome(i, o) for i, o in enumerate(sprint.outcomes, 1))
        elif kind == SectionKind.RETRO:
            doc.items(
                _item(i, _retro_text(n.kind, n.text) + owner_suffix(n.owner), ())
                for i, n in enumerate(sprint.retro_notes, 1)
            )
        elif kind == SectionKind.PRIORITIES:
            doc.items(_item(i, inline(p.text), ()) for i, p in enumerate(sprint.priorities, 1))
        else:
            doc.items(_goal(i, g) for i, g in enumerate(sprint.goals, 1))
        doc.notes(notes)
    team_notes = _notes_for(sprint, SectionKind.TEAM.value)
    if template.spec(SectionKind.TEAM) is not None or team_notes:
        doc.heading(2, template.word("teams_heading"))
        doc.para(TEAMS_LINE)
        doc.notes(team_notes)


def _retro_text(kind: str, text: str) -> str:
    try:
        prefix = RETRO_PREFIX[RetroKind(kind)]
    except ValueError:
        prefix = ""
    return prefix + inline(text)


def _goal(number: int, goal: object) -> str:
    from sprintdesk.model import Goal

    assert isinstance(goal, Goal)
    head = CARRIED + " " if goal.carried_over else ""
    first = f"{head}**{inline(goal.title)}**{owner_suffix(goal.owner)}"
    if inline(goal.description):
        first += f" - {inline(goal.description)}"
    first += _contributors([(c.person, c.share) for c in goal.contributors])
    subs = [
        f"Why? {inline(goal.why)}" if inline(goal.why) else "",
        f"{TARGET} Goal: {inline(goal.target)}" if inline(goal.target) else "",
        f"Confidence: {goal.confidence}"
        if goal.confidence and goal.confidence != Confidence.LIKELY.value
        else "",
        f"Team: {inline(goal.team.name)}" if goal.team is not None else "",
    ]
    return _item(number, first, subs)


def _summary(sprint: Sprint) -> str | None:
    sections: list[AgendaSection] = list(sprint.sections)
    if not any((s.actual_seconds or 0) > 0 for s in sections):
        return None
    rows = [
        f"<details>\n<summary>{SUMMARY_TITLE}</summary>\n",
        "| Section | Planned | Added | Actual | Difference |",
        "|---|---:|---:|---:|---:|",
    ]
    planned_total = added_total = actual_total = 0
    for section in sections:
        planned = int(section.timebox_seconds or 0)
        added = int(section.extension_seconds or 0)
        actual = int(round(section.actual_seconds or 0))
        planned_total += planned
        added_total += added
        actual_total += actual
        diff = actual - planned - added
        title = inline(section.title).replace("|", "\\|") or "-"
        rows.append(
            f"| {title} | {format_duration(planned)} | {format_duration(added)} | "
            f"{format_duration(actual)} | {'+' if diff > 0 else ''}{format_duration(diff)} |"
        )
    diff_total = actual_total - planned_total - added_total
    rows.append(
        f"| **Total** | {format_duration(planned_total)} | {format_duration(added_total)} | "
        f"{format_duration(actual_total)} | "
        f"{'+' if diff_total > 0 else ''}{format_duration(diff_total)} |"
    )
    rows.append("\n</details>")
    return "\n".join(rows)


# --- team parts --------------------------------------------------------------------------


def _decision_text(item: TeamItem) -> str:
    text = inline(item.title) + trailing_owner(item.owner)
    if item.decision in (Decision.PRIORITISE.value, Decision.DEPRIORITISE.value):
        word = "prioritised" if item.decision == Decision.PRIORITISE.value else "deprioritised"
        text = f"{text}. {word}"
    return text


def _team_item(item: TeamItem, *, tasks: bool) -> str:
    kind = item.kind
    note_lines = lines_of(item.note)
    if kind in (ItemKind.RETRO_HIGH.value, ItemKind.RETRO_LOW.value):
        status = _status(item.status)
        box = ("[x] " if status == Status.FINISHED else "[ ] ") if tasks else ""
        carried = CARRIED + " " if item.carried_over else ""
        first = f"{box}{STATUS_EMOJI[status]} {carried}{inline(item.title)}"
        first += trailing_owner(item.owner)
        return _item(None, first, note_lines)
    if kind == ItemKind.HANGOVER.value:
        first = _decision_text(item)
        if item.decision and note_lines:
            first += f" ({' '.join(note_lines)})"
            note_lines = []
        return _item(None, first, note_lines)
    carried = CARRIED + " " if item.carried_over else ""
    return _item(None, f"{carried}{inline(item.title)}{trailing_owner(item.owner)}", note_lines)


def _time_off_line(sprint: Sprint, plan: TeamPlan, template: Template, *, always: bool) -> str:
    member_ids = {m.id for m in plan.team.members}
    entries = []
    ordered = sorted(
        sprint.time_off,
        key=lambda e: (e.start, e.end, handle(e.person), bool(e.half_day), inline(e.note)),
    )
    for entry in ordered:
        if entry.person_id not in member_ids and entry.person not in plan.team.members:
            continue
        text = f"{handle(entry.person)} {date_range(entry.start, entry.end)}"
        extra = [x for x in ("half day" if entry.half_day else "", inline(entry.note)) if x]
        if extra:
            text += f" ({'; '.join(extra)})"
        entries.append(text)
    note = inline(plan.time_off_note)
    if not entries and not note:
        return f"- {template.word('time_off')}: {NONE_TEXT}" if always else ""
    body = ", ".join(entries)
    if note:
        body = f"{body}. {note}" if body else note
    return f"- {template.word('time_off')}: {body}"


def _hero_line(sprint: Sprint, plan: TeamPlan, template: Template) -> str:
    heroes = [handle(plan.support_hero)] if plan.support_hero is not None else []
    for duty in sorted(
        (d for d in sprint.support_duties if d.team is plan.team or d.team_id == plan.team_id),
        key=lambda d: d.week,
    ):
        heroes.append(f"{handle(duty.person)} (week {duty.week})")
    return f"**{template.word('support_hero')}:** {', '.join(heroes) or NO_ONE}"


def _team(sprint: Sprint, plan: TeamPlan, template: Template, doc: _Doc) -> None:
    comments = template.team_style == "comments"
    doc.heading(1, f"Team {inline(plan.team.name)}")
    doc.para(_hero_line(sprint, plan, template))
    doc.para(_time_off_line(sprint, plan, template, always=comments))
    doc.notes(_notes_for(sprint, SectionKind.TEAM.value, plan))
    retro_high = plan.items_of(ItemKind.RETRO_HIGH)
    retro_low = plan.items_of(ItemKind.RETRO_LOW)
    retro_notes = {
        k: _notes_for(sprint, k.value, plan) for k in (ItemKind.RETRO_HIGH, ItemKind.RETRO_LOW)
    }
    word = template.word
    if comments:
        doc.para(word("legend"))
        doc.open_details(word("retro"))
        doc.heading(2, f"{word('retro')} - Tasks")
        level = 3
    else:
        doc.heading(2, word("retro"))
        level = 3
    for kind, items, label in (
        (ItemKind.RETRO_HIGH, retro_high, word("high")),
        (ItemKind.RETRO_LOW, retro_low, word("low")),
    ):
        if items or retro_notes[kind]:
            doc.heading(level, label)
            doc.items(_team_item(i, tasks=comments) for i in items)
            doc.notes(retro_notes[kind])
    if comments:
        doc.close_details()
    doc.heading(2, word("hangover"))
    doc.items(_team_item(i, tasks=comments) for i in plan.items_of(ItemKind.HANGOVER))
    doc.notes(_notes_for(sprint, ItemKind.HANGOVER.value, plan))
    if comments or plan.okrs:
        doc.heading(2, word("okr"))
        doc.items(_okr(i, okr) for i, okr in enumerate(plan.okrs, 1))
    for kind, label in ((ItemKind.HIGH, word("high")), (ItemKind.LOW, word("low"))):
        doc.heading(3, label)
        doc.items(_team_item(i, tasks=False) for i in plan.items_of(kind))
        doc.notes(_notes_for(sprint, kind.value, plan))
    impacted = inline(plan.other_teams_impacted)
    if impacted or comments:
        doc.para(f"{word('impacted')} {impacted or 'No.'}")


def _okr(number: int, okr: object) -> str:
    from sprintdesk.model import Okr

    assert isinstance(okr, Okr)
    try:
        status = OkrStatus(okr.status)
    except ValueError:
        status = OkrStatus.GREEN
    text = f"{inline(okr.title)} - {OKR_EMOJI[status]} {OKR_WORDS[status]}"
    if inline(okr.note):
        text += f" - {inline(okr.note)}"
    return _item(number, text, ())


# --- splitting ---------------------------------------------------------------------------


def _continued_from(index: int, count: int) -> str:
    return f"*(continued from the previous comment, part {index} of {count})*"


def _join(chunks: list[_Chunk]) -> str:
    out: list[str] = []
    for i, chunk in enumerate(chunks):
        if i:
            out.append(chunk.sep)
        out.append(chunk.text)
    return "".join(out)


def _hard_split(text: str, budget: int) -> list[str]:
    """Last resort for a single item longer than a whole part: split at lines, then chars."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > budget:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:budget])
            line = line[budget:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > budget:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current:
        pieces.append(current)
    return pieces


def _split(
    chunks: list[_Chunk], limit: int, head: str = "", tail: str = "", first_tail: str = ""
) -> list[str]:
    """Pack chunks into texts of at most ``limit`` characters.

    ``head`` opens the first text, ``tail`` ends the last one, ``first_tail`` (the marker) is
    kept in the first text whatever happens.
    """
    whole = _join(chunks)
    single = head + whole + tail + first_tail
    if len(single) + 1 <= limit:
        return [single + "\n"]
    worst_intro = len(_continued_from(99999, 99999)) + 2
    worst_outro = len(CONTINUED_NEXT) + 2
    groups: list[tuple[int, int]] = []  # [start, end) chunk indexes per part
    start = 0
    size = len(head)
    pending: list[_Chunk] = []
    expanded: list[_Chunk] = []
    for chunk in chunks:
        budget = limit - worst_intro - worst_outro - len(tail) - len(first_tail) - 64
        budget -= sum(len(r) + 2 for r in chunk.reopen) + len(chunk.close) + 2
        if len(chunk.text) > max(budget, 256):
            for piece in _hard_split(chunk.text, max(budget, 256)):
                expanded.append(_Chunk(piece, chunk.sep, chunk.reopen, chunk.close))
        else:
            expanded.append(chunk)
    del pending
    def opened(index: int) -> int:
        return worst_intro + sum(len(r) + 2 for r in expanded[index].reopen)

    for index, chunk in enumerate(expanded):
        reserve = worst_outro + len(chunk.close) + 2 + len(tail) + 1
        if not groups:
            reserve += len(first_tail)
        add = len(chunk.sep) + len(chunk.text) if index > start else len(chunk.text)
        if index > start and size + add + reserve > limit:
            cut = index
            while cut - 1 > start and expanded[cut - 1].keep:
                cut -= 1
            if cut - 1 == start and expanded[start].keep:
                cut = index
            groups.append((start, cut))
            start = cut
            size = opened(cut) + len(expanded[cut].text)
            size += sum(len(c.sep) + len(c.text) for c in expanded[cut + 1 : index + 1])
        else:
            size += add
    groups.append((start, len(expanded)))
    count = len(groups)
    texts: list[str] = []
    for number, (begin, end) in enumerate(groups, 1):
        part = expanded[begin:end]
        pieces: list[str] = []
        if number == 1:
            pieces.append(head)
        else:
            intro = [_continued_from(number, count), *part[0].reopen]
            pieces.append("\n\n".join(intro) + "\n\n")
        pieces.append(_join(part))
        if number < count:
            closing = expanded[end].close
            pieces.append(("\n\n" + closing if closing else "") + "\n\n" + CONTINUED_NEXT)
        else:
            pieces.append(tail)
        if number == 1:
            pieces.append(first_tail)
        texts.append("".join(pieces) + "\n")
    return texts


def _part_title(base: str, index: int, count: int) -> str:
    return base if count == 1 else f"{base} ({index}/{count})"


def _parts(key: str, base: str, texts: list[str]) -> list[Part]:
    count = len(texts)
    return [
        Part(
            key=key if i == 1 else f"{key}#{i}",
            title=_part_title(base, i, count),
            markdown=text,
        )
        for i, text in enumerate(texts, 1)
    ]


def team_plans_in_agenda_order(sprint: Sprint) -> list[TeamPlan]:
    """Team plans ordered as their TEAM sections in the agenda; any without one go last."""
    order: dict[int, int] = {}
    for section in sprint.sections:
        plan = section.team_plan
        if section.kind == SectionKind.TEAM.value and plan is not None and id(plan) not in order:
            order[id(plan)] = section.position
    plans = list(sprint.team_plans)
    return sorted(
        plans,
        key=lambda p: (0, order[id(p)], p.position) if id(p) in order else (1, 0, p.position),
    )


def resolve_template(sprint: Sprint, template: Template | None = None) -> Template:
    if template is not None:
        return template
    return TEMPLATES.get(sprint.template or "", get_template(None))


def render_plan(
    sprint: Sprint, template: Template | None = None, *, limit: int = GITHUB_LIMIT
) -> RenderedPlan:
    """The issue title, body and team parts of ``sprint``, each part at most ``limit`` long."""
    chosen = resolve_template(sprint, template)
    doc = _Doc()
    _body(sprint, chosen, doc)
    summary = _summary(sprint)
    if summary:
        doc.stack = []
        doc.add(summary)
    first_tail = (
        f"\n\n{meta_comment(chosen.name, sprint.start, sprint.end)}\n{plan_marker(sprint.uuid)}"
    )
    parts = _parts("body", "Issue body", _split(doc.chunks, limit, "", "", first_tail))
    for plan in team_plans_in_agenda_order(sprint):
        team_doc = _Doc()
        _team(sprint, plan, chosen, team_doc)
        key = f"team:{plan.team_id if plan.team_id is not None else plan.team.id}"
        parts.extend(
            _parts(key, f"Team {inline(plan.team.name)}", _split(team_doc.chunks, limit))
        )
    return RenderedPlan(title=plan_title(sprint), parts=tuple(parts))


def render_markdown_file(plan: RenderedPlan) -> str:
    """Every part in one markdown file, separated by a rule and a comment naming the part."""
    pieces = []
    for index, part in enumerate(plan.parts):
        if index:
            label = part.title.replace("--", "- -")
            pieces.append(f"\n{PART_SEPARATOR}\n\n<!-- {label} -->\n\n")
        pieces.append(part.markdown)
    return "".join(pieces)


__all__ = [
    "GITHUB_LIMIT",
    "Part",
    "RenderedPlan",
    "find_marker",
    "plan_marker",
    "plan_title",
    "render_markdown_file",
    "render_plan",
    "team_plans_in_agenda_order",
]
