"""Plan -> GitHub markdown: the issue title, the issue body (global plan) and one part per team.

Qt-free and deterministic: the same plan gives the same bytes. Wording and headings come from
the plan's template (:mod:`sprintdesk.plan.templates`). GitHub refuses bodies and comments over
65,536 characters, so a part over ``limit`` is split at section or list-item boundaries into
continuation parts that say they continue (and repeat the headings they continue under).
:mod:`sprintdesk.markdown.importer` reads all of this back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sprintdesk.markdown.parts import Doc, list_item, split
from sprintdesk.markdown.vocabulary import alternation, vocabulary
from sprintdesk.plan.model import (
    OKR_EMOJI,
    STATUS_EMOJI,
    AgendaSection,
    Confidence,
    Decision,
    Goal,
    ItemKind,
    Okr,
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
from sprintdesk.plan.templates import CLASSIC, TEMPLATES, Template, get_template
from sprintdesk.plan.times import format_delta, format_duration, format_spent, whole_seconds
from sprintdesk.plan.workdays import week_count

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
    OkrStatus.UNKNOWN: "status unknown",
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
OTHER_WEEKS = "other weeks"  # the whole-sprint hero beside weekly ones
NONE_TEXT = "none"
SUMMARY_TITLE = "Meeting summary"
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


def _mentioned(person: Person, title: str) -> bool:
    """The title already names its owner's ``@login`` (written so by hand): not repeated."""
    if not person.github_login:
        return False
    login = re.escape(person.github_login)
    return re.search(rf"(?<![\w@])@{login}(?![\w-]|\.\w)", title, re.IGNORECASE) is not None


def owner_suffix(person: Person | None, title: str = "") -> str:
    if person is None or _mentioned(person, title):
        return ""
    return f" (Owner: {handle(person)})"


def bold(text: str | None) -> str:
    """A title set in bold, its own asterisks escaped so it reads back whole."""
    return inline(text).replace("\\", "\\\\").replace("*", "\\*")


def trailing_owner(person: Person | None, title: str = "") -> str:
    """``@login`` at the end of an item; people without a login get ``(Owner: Name)``; an
    owner the title already names is not written twice."""
    if person is None or _mentioned(person, title):
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
            return f"{digits.group(1)}\\{line[len(digits.group(1)) :]}"
        return "\\" + line
    return line


_NOTE_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_NOTE_LIST = re.compile(r"^(?:[-*+]|\d{1,9}[.)])(?:\s|$)")


def _free_heading(text: str, level: int, *, team: bool) -> bool:
    """A heading SprintDesk does not model ("Risks"): written as a heading, it reads back as
    the same kept section (a known one would be read as structure, so it stays escaped).
    Inside a team's part only its own parts, and body sections at the team's level, count."""
    words = vocabulary()
    norm = " ".join(text.replace("*", "").split()).casefold().rstrip(":")
    fixed = {t.word(k).casefold() for t in TEMPLATES.values() for k in _FIXED_HEADINGS}
    if not norm:
        return False
    if team:
        if words.team_section_of(norm):
            return False
        if level == 1 and (words.section_of(norm) or norm in fixed or "global" in norm):
            return False
    else:
        kind = words.retro_kind_of(norm)
        if words.section_of(norm) or (kind and kind != "action") or norm in fixed:
            return False
        if "global" in norm:
            return False
    team_word = re.match(r"^(?:" + alternation(words.team_words) + r")\s+(.*)$", norm)
    return team_word is None or team_word.group(0) in fixed


_FIXED_HEADINGS = ("teams_heading", "global_heading")


def _add_notes(
    doc: Doc, notes: Iterable[PlanNote], *, as_written: bool = False, team: bool = False
) -> None:
    """Kept notes go back one block per line. Headings we do not model and the lists under
    them are written as real markdown (nesting kept), so a kept section stays a section;
    other lines are escaped so they stay notes. ``as_written``: lists here are notes anyway
    (the top of the plan)."""
    lists = as_written
    for note in notes:
        for raw in (note.text or "").splitlines():
            line = inline(raw)
            if not line:
                continue
            heading = _NOTE_HEADING.match(line)
            if heading and _free_heading(heading.group(2), len(heading.group(1)), team=team):
                doc.add(line)
                lists = True
            elif lists and _NOTE_LIST.match(line):
                indent = len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip(" "))
                doc.add(" " * indent + line, item=True)
            else:
                doc.add(escape_note(line))


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
    first = f"{head}**{bold(outcome.title)}**{owner_suffix(outcome.owner, outcome.title)}"
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
    return list_item(number, first, subs)


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


def _body(sprint: Sprint, template: Template, doc: Doc) -> None:
    doc.add(f"# {plan_title(sprint)}")  # not repeated in continuation parts
    other_notes = _notes_for(sprint, SectionKind.OTHER.value)
    summary_notes = _notes_for(sprint, SectionKind.SUMMARY.value)
    if template.team_style == "per-team":
        # Incidents and unscheduled action items: the first thing the meeting reads.
        doc.heading(2, template.word("global_heading"))
        _add_notes(doc, other_notes, as_written=True)
        _add_notes(doc, summary_notes)
    else:
        _add_notes(doc, other_notes, as_written=True)
        _add_notes(doc, summary_notes)
        doc.heading(2, template.word("global_heading"))
    doc.para(_sprint_rota_line(sprint, template))
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
                list_item(i, _retro_text(n.kind, n.text) + owner_suffix(n.owner, n.text), ())
                for i, n in enumerate(sprint.retro_notes, 1)
            )
        elif kind == SectionKind.PRIORITIES:
            doc.items(list_item(i, inline(p.text), ()) for i, p in enumerate(sprint.priorities, 1))
        else:
            doc.items(_goal(i, g) for i, g in enumerate(sprint.goals, 1))
        _add_notes(doc, notes)
    team_notes = _notes_for(sprint, SectionKind.TEAM.value)
    if template.spec(SectionKind.TEAM) is not None or team_notes:
        doc.heading(2, template.word("teams_heading"))
        doc.para(TEAMS_LINE)
        _add_notes(doc, team_notes)


def _sprint_rota_line(sprint: Sprint, template: Template) -> str:
    """The sprint's own support rota (heroes for every team): one name when the same person
    has every week, else each week's hero."""
    duties = sorted(
        (d for d in sprint.support_duties if d.team is None and d.team_id is None),
        key=lambda d: d.week,
    )
    if not duties:
        return ""
    people = {handle(d.person) for d in duties}
    whole = duties_cover_every_week(sprint, (d.week for d in duties)) or (
        len(duties) == 1 and duties[0].week == 1 and not week_count(sprint)
    )
    if len(people) == 1 and whole:
        heroes = handle(duties[0].person)
    else:
        heroes = ", ".join(f"{handle(d.person)} (week {d.week})" for d in duties)
    return f"**{template.word('support_hero')}:** {heroes}"


def _retro_text(kind: str, text: str) -> str:
    try:
        prefix = RETRO_PREFIX[RetroKind(kind)]
    except ValueError:
        prefix = ""
    return prefix + inline(text)


def _goal(number: int, goal: Goal) -> str:
    head = CARRIED + " " if goal.carried_over else ""
    first = f"{head}**{bold(goal.title)}**{owner_suffix(goal.owner, goal.title)}"
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
    return list_item(number, first, subs)


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
        actual = whole_seconds(section.actual_seconds or 0)
        planned_total += planned
        added_total += added
        actual_total += actual
        diff = actual - planned - added
        title = inline(section.title).replace("|", "\\|") or "-"
        # As the agenda and the summary page: 0:00 for a section skipped within a second,
        # "—" for one the meeting never reached.
        reached = bool(section.visited) or actual > 0
        rows.append(
            f"| {title} | {format_duration(planned)} | {format_duration(added)} | "
            f"{format_spent(actual, reached=reached)} | {format_delta(diff)} |"
        )
    diff_total = actual_total - planned_total - added_total
    rows.append(
        f"| **Total** | {format_duration(planned_total)} | {format_duration(added_total)} | "
        f"{format_duration(actual_total)} | {format_delta(diff_total)} |"
    )
    rows.append("\n</details>")
    return "\n".join(rows)


# --- team parts --------------------------------------------------------------------------


def _decision_text(item: TeamItem) -> str:
    text = inline(item.title) + trailing_owner(item.owner, item.title)
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
        first += trailing_owner(item.owner, item.title)
        return list_item(None, first, note_lines)
    if kind == ItemKind.HANGOVER.value:
        first = _decision_text(item)
        if item.decision and note_lines:
            first += f" ({' '.join(note_lines)})"
            note_lines = []
        return list_item(None, first, note_lines)
    carried = CARRIED + " " if item.carried_over else ""
    box = {Status.FINISHED.value: "[x] ", Status.NOT_STARTED.value: "[ ] "}.get(
        item.status or "", ""
    )
    title = f"{box}{carried}{inline(item.title)}{trailing_owner(item.owner, item.title)}"
    return list_item(None, title, note_lines)


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


def duties_cover_every_week(sprint: Sprint, weeks: Iterable[int]) -> bool:
    """True when weekly support duties for ``weeks`` leave no week of the sprint to the team
    plan's whole-sprint hero (a sprint without dates has no known weeks: False)."""
    count = week_count(sprint)
    covered = set(weeks)
    return count > 0 and all(week in covered for week in range(1, count + 1))


def _hero_line(sprint: Sprint, plan: TeamPlan, template: Template) -> str:
    # A hero chosen for a week replaces the whole-sprint hero that week (as capacity counts
    # it), so the whole-sprint hero is written only for the weeks nobody else has.
    duties = sorted(
        (
            d
            for d in sprint.support_duties
            if (d.team is not None or d.team_id is not None)
            and (d.team is plan.team or d.team_id == plan.team_id)
        ),
        key=lambda d: d.week,
    )
    heroes: list[str] = []
    if plan.support_hero is not None:
        if not duties:
            heroes.append(handle(plan.support_hero))
        elif not duties_cover_every_week(sprint, (d.week for d in duties)):
            heroes.append(f"{handle(plan.support_hero)} ({OTHER_WEEKS})")
    heroes.extend(f"{handle(duty.person)} (week {duty.week})" for duty in duties)
    return f"**{template.word('support_hero')}:** {', '.join(heroes) or NO_ONE}"


def _team(sprint: Sprint, plan: TeamPlan, template: Template, doc: Doc) -> None:
    if template.team_style == "per-team":
        _team_per_team(sprint, plan, template, doc)
        return
    comments = template.team_style == "comments"
    doc.heading(1, f"Team {inline(plan.team.name)}")
    doc.para(_hero_line(sprint, plan, template))
    doc.para(_time_off_line(sprint, plan, template, always=comments))
    _add_notes(doc, _notes_for(sprint, SectionKind.TEAM.value, plan), team=True)
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
            _add_notes(doc, retro_notes[kind], team=True)
    if comments:
        doc.close_details()
    doc.heading(2, word("hangover"))
    doc.items(_team_item(i, tasks=comments) for i in plan.items_of(ItemKind.HANGOVER))
    _add_notes(doc, _notes_for(sprint, ItemKind.HANGOVER.value, plan), team=True)
    if comments or plan.okrs:
        doc.heading(2, word("okr"))
        doc.items(_okr(i, okr) for i, okr in enumerate(plan.okrs, 1))
    for kind, label in ((ItemKind.HIGH, word("high")), (ItemKind.LOW, word("low"))):
        doc.heading(3, label)
        doc.items(_team_item(i, tasks=False) for i in plan.items_of(kind))
        _add_notes(doc, _notes_for(sprint, kind.value, plan), team=True)
    impacted = inline(plan.other_teams_impacted)
    if impacted or comments:
        doc.para(f"{word('impacted')} {impacted or 'No.'}")


def _team_per_team(sprint: Sprint, plan: TeamPlan, template: Template, doc: Doc) -> None:
    """PostHog's 2025-26 team comment: hero, who is off, quarter goals, the retro of last
    sprint's tasks, then the plan (high, low priority / side quests) and other teams."""
    word = template.word
    doc.heading(1, f"Team {inline(plan.team.name)}")
    doc.para(_hero_line(sprint, plan, template))
    doc.para(_time_off_line(sprint, plan, template, always=True))
    _add_notes(doc, _notes_for(sprint, SectionKind.TEAM.value, plan), team=True)
    doc.heading(2, word("okr"))
    doc.items(_okr(i, okr) for i, okr in enumerate(plan.okrs, 1))
    doc.heading(2, word("retro"))
    for kind, label in ((ItemKind.RETRO_HIGH, word("high")), (ItemKind.RETRO_LOW, word("low"))):
        items = plan.items_of(kind)
        notes = _notes_for(sprint, kind.value, plan)
        if items or notes:
            doc.heading(3, label)
            doc.items(_team_item(i, tasks=False) for i in items)
            _add_notes(doc, notes, team=True)
    hangover = plan.items_of(ItemKind.HANGOVER)
    hangover_notes = _notes_for(sprint, ItemKind.HANGOVER.value, plan)
    if hangover or hangover_notes:
        doc.heading(2, word("hangover"))
        doc.items(_team_item(i, tasks=False) for i in hangover)
        _add_notes(doc, hangover_notes, team=True)
    doc.heading(2, word("plan"))
    for kind, label in ((ItemKind.HIGH, word("high")), (ItemKind.LOW, word("low"))):
        doc.heading(3, label)
        doc.items(_team_item(i, tasks=False) for i in plan.items_of(kind))
        _add_notes(doc, _notes_for(sprint, kind.value, plan), team=True)
    doc.para(f"{word('impacted')} {inline(plan.other_teams_impacted) or 'No.'}")


def _okr(number: int, okr: Okr) -> str:
    try:
        status = OkrStatus(okr.status)
    except ValueError:
        status = OkrStatus.UNKNOWN
    text = f"{inline(okr.title)} - {OKR_EMOJI[status]} {OKR_WORDS[status]}"
    if inline(okr.note):
        text += f" - {inline(okr.note)}"
    return list_item(number, text, ())


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
    doc = Doc()
    _body(sprint, chosen, doc)
    summary = _summary(sprint)
    if summary:
        doc.stack = []
        doc.add(summary)
    first_tail = (
        f"\n\n{meta_comment(chosen.name, sprint.start, sprint.end)}\n{plan_marker(sprint.uuid)}"
    )
    parts = _parts("body", "Issue body", split(doc.chunks, limit, "", "", first_tail))
    for plan in team_plans_in_agenda_order(sprint):
        team_doc = Doc()
        _team(sprint, plan, chosen, team_doc)
        key = f"team:{plan.team_id if plan.team_id is not None else plan.team.id}"
        parts.extend(_parts(key, f"Team {inline(plan.team.name)}", split(team_doc.chunks, limit)))
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
    "OTHER_WEEKS",
    "Part",
    "RenderedPlan",
    "duties_cover_every_week",
    "find_marker",
    "plan_marker",
    "plan_title",
    "render_markdown_file",
    "render_plan",
    "team_plans_in_agenda_order",
]
