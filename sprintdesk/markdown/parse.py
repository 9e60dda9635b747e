"""The markdown parser behind :mod:`sprintdesk.markdown.importer`: text in, :class:`ParsedPlan` out.

It reads line by line and never gives up: headings at any level pick the section, lists of any
kind and nesting become items, and a line it does not understand is kept as a note in the
section it appeared in. Text inside code fences and HTML comments is not content.

This module is the line state machine: it follows fences, HTML blocks and headings (which
section, which team) and hands each line to a reader: the sprint-wide sections
(:mod:`~sprintdesk.markdown.read_global`), a team's section (:mod:`~sprintdesk.markdown.read_team`),
tables (:mod:`~sprintdesk.markdown.read_tables`), single list items
(:mod:`~sprintdesk.markdown.read_items`), all on the state in :mod:`~sprintdesk.markdown.reading`.
The words it knows are data (``resources/vocabulary/*.json`` via
:mod:`sprintdesk.markdown.vocabulary`), the written forms it recognises in a piece of a line live
in :mod:`sprintdesk.markdown.forms` and dates in :mod:`sprintdesk.markdown.dates`.
"""

from __future__ import annotations

import re
from datetime import date

from sprintdesk.markdown.dates import (
    _DAY_FIRST,
    _NUMERIC_DATES,
    _OF_TITLE,
    _TITLE_DATES,
    title_dates,
)
from sprintdesk.markdown.forms import (
    _AT,
    _BODY,
    _CONTINUATION,
    _FENCE,
    _HEADING,
    _LEGEND,
    _LIST,
    _RULE,
    _SKIP_LINES,
    _STATUS_EMOJI,
    _TEAM_HEADING,
    _TITLE,
    _V,
    MAX_LINE,
    _body_kind,
    _clean,
    _heading_text,
    _person,
    _team_sub,
)
from sprintdesk.markdown.parsed import (
    ParsedGoal,
    ParsedOutcome,
    ParsedPlan,
    ParsedTeam,
    PlanImportError,
)
from sprintdesk.markdown.read_global import _ROTA_ORDER, GlobalReader
from sprintdesk.markdown.read_tables import TableReader
from sprintdesk.markdown.read_team import TeamReader
from sprintdesk.markdown.render import SUMMARY_TITLE, find_marker
from sprintdesk.markdown.vocabulary import alternation
from sprintdesk.plan.model import RetroKind, SectionKind
from sprintdesk.plan.templates import TEMPLATES


class _Parser(GlobalReader, TeamReader, TableReader):
    """The line state machine: each line to the reader of the section it is in."""

    def feed(self, lines: list[str]) -> None:
        fence: str | None = None
        tasklist: str | None = None  # inside GitHub's ```[tasklist] block: its lines count
        for raw in lines:
            fence_match = _FENCE.match(raw)
            if fence is None and fence_match:
                info = raw.strip()[len(fence_match.group(1)) :].strip()
                if info.casefold() == "[tasklist]":
                    tasklist = fence_match.group(1)
                    continue
                if tasklist is not None and not info and fence_match.group(1)[0] == tasklist[0]:
                    tasklist = None
                    continue
            if fence is not None:
                if (
                    fence_match
                    and fence_match.group(1)[0] == fence[0]
                    and len(fence_match.group(1)) >= len(fence)
                    and not raw.strip()[len(fence_match.group(1)) :].strip()
                ):
                    fence = None
                continue
            if fence_match:
                fence = fence_match.group(1)
                continue
            self.line(raw.rstrip())

    def line(self, raw: str) -> None:
        stripped = raw.strip()
        if not stripped:
            self.table_columns = None  # a table ends at a blank line
            return
        if _CONTINUATION.match(stripped) or _RULE.match(raw):
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
                self.plan.title_found = True
                return
        self.seen_content = True
        if self.details and self.details[-1] == "summary":
            self._summary_row(stripped)
            return
        if stripped.startswith("|") and self._table_row(stripped, raw):
            return
        self.table_columns = None
        if stripped.casefold() in _SKIP_LINES or _LEGEND.match(stripped):
            if _LEGEND.match(stripped) and self.team is not None:
                self.team.comment_style = True
            return
        if self.team is not None and self._team_line(stripped):
            return
        if (
            self.team is not None
            and self.sub in ("retro", "retro_high", "retro_low", "high", "low", "hangover")
            and not self.kept
            and not _LIST.match(raw)
            and stripped[:1] in _STATUS_EMOJI
        ):
            # "✅ iOS session recording" written as a line, not a bullet: still an item.
            self.item_indent = 0
            self.top_item(stripped, raw)
            return
        if self.team is None and self._rota_line(stripped):
            return
        if self.team is None and self.rota_order and self._rota_turn(raw):
            return
        if self.team is None and self._body_time_off(raw, stripped):
            return
        if self.team is None and not _LIST.match(raw) and self._plain_retro_heading(stripped):
            return
        if self.team is None and self._bold_heading(stripped):
            return
        if self.team is None and self.plan.start is None and self._dates_line(stripped):
            return
        if self.team is None and not _LIST.match(raw) and self._lead_in(stripped):
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

    def _title(self, line: str, *, sprint_word: bool = True, level: int = 1) -> bool:
        """A "Sprint ..." title line: the name and dates. Without ``sprint_word`` (an issue's
        title given as the default name) only trailing dates are read and the name is kept."""
        text = _clean(line.lstrip("#").strip()).strip("*_ ")
        match = _TITLE.match(text)
        if not match and sprint_word:
            return False
        rest = match.group("rest").strip() if match else text
        if match and level > 1 and _body_kind(_heading_text(rest).casefold()):
            return False  # "Sprint Goals" is a section, not the sprint's name
        name = rest
        found = self._dates(rest)
        if found is not None:
            name, self.plan.start, self.plan.end = found
        if self.meta.start is not None:
            self.plan.start, self.plan.end = self.meta.start, self.meta.end
        if match is None:
            name = text
        self.plan.name = name.strip() or rest
        self.plan.sprint_title = match is not None and bool(self.plan.name)
        return True

    def _dates(self, rest: str) -> tuple[str, date | None, date | None] | None:
        return title_dates(rest, self.today, self.plan.problems)

    def heading(self, level: int, raw: str) -> None:
        self.table_columns = None
        text = _heading_text(raw)
        norm = text.casefold()
        self.item = None
        if not self.title_done and not self.seen_content and self.team is None:
            self.title_done = True
            if self._title(text, level=level):
                self.plan.title_found = True
                return
        self.seen_content = True
        team_match = _TEAM_HEADING.match(text)
        teams_heading = norm in {t.word("teams_heading").casefold() for t in TEMPLATES.values()}
        if team_match and not teams_heading and team_match.group(1).strip("_ ").strip():
            self._enter_team(team_match.group(1).strip(), level)
            return
        if self.team is not None:
            if (
                self.retro_level is not None
                and level <= self.retro_level
                and (not self.details or self.details[-1] != "retro")
            ):
                self.retro_level = None
            sub = _team_sub(norm)
            if (
                sub is None
                and level <= self.team_level
                and (_body_kind(norm) or teams_heading or "global" in norm)
            ):
                self.team = None
                self.sub = None
                self.retro_level = None
            elif sub is not None:
                self._team_heading(sub, level)
                return
            elif teams_heading and level > self.team_level:
                # "### Team sprint planning" inside a team's own comment: its lists are the
                # team's plan for this sprint, high priority unless a heading says otherwise.
                self._team_heading("high", level)
                return
            else:
                self.note(f"{'#' * level} {raw.strip()}")
                if self.sub is not None and level <= self.sub_level:
                    self.kept = True  # its lists are kept as written, where they are
                return
        kind = _body_kind(norm)
        retro_kind = _V.retro_kind_of(norm)
        # "Action items" alone is too common a heading to mean a retro; inside one it is.
        if (
            kind is None
            and retro_kind is not None
            and (retro_kind != RetroKind.ACTION.value or self.section == SectionKind.RETRO.value)
        ):
            kind = SectionKind.RETRO.value
        known = True
        self.global_list = False
        self.rota = kind == "support"
        self.rota_order = bool(_ROTA_ORDER.fullmatch(norm))
        owner_heading = re.fullmatch(_AT, text.strip())
        self.heading_owner = (
            _person(text.strip())
            if owner_heading
            else (self.heading_owner if level > self.owner_level else None)
        )
        if owner_heading:
            self.owner_level = level
        if kind == "support":
            kind = SectionKind.OTHER.value  # the sprint's own rota: read line by line
        if kind is not None:
            if kind == SectionKind.RETRO.value:
                self.retro_kind = RetroKind(retro_kind or RetroKind.TO_IMPROVE.value)
            self.section = kind
            self.plan.sections_found += 1
        elif teams_heading:
            self.section = SectionKind.TEAM.value
            self.plan.sections_found += 1
        elif norm in {t.word("global_heading").casefold() for t in TEMPLATES.values()}:
            self.section = SectionKind.OTHER.value
            self.plan.sections_found += 1
            for template in TEMPLATES.values():
                if template.team_style == "per-team" and norm == template.word(
                    "global_heading"
                ).casefold().rstrip(":"):
                    self.template_hint = template.name  # incidents first: the per-team plan
            self.global_list = self.template_hint is None
        else:
            known = False
            if self.section in _BODY and level <= self.section_level:
                self.kept = True
            self.note(f"{'#' * level} {raw.strip()}")
        if known:
            self.section_level = level
            self.kept = False

    def top_item(self, content: str, raw: str) -> None:
        if self.team is not None:
            self._team_item(content, raw)
        else:
            self._body_item(content, raw)

    def sub_item(self, content: str) -> bool:
        item = self.item
        text = _clean(content)
        if isinstance(item, ParsedOutcome | ParsedGoal):
            if self._body_sub_item(item, text):
                return True
        elif self._team_sub_item(item, text):
            return True
        self.note(content)
        return True


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
    text: str,
    *,
    today: date | None = None,
    default_name: str | None = None,
    default_team: str | None = None,
) -> ParsedPlan:
    """Parse a whole plan, a global plan alone or a single team's section. Never raises for
    odd content; only for text with nothing in it."""
    if not text.strip():
        raise PlanImportError("The text is empty: there is no plan to import.")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    parser = _Parser(today or date.today())
    if default_team and default_team.strip():
        parser.default_team = default_team.strip()[:200]
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
        plan.template = parser.template_hint or (
            "team-comments" if any(t.comment_style for t in plan.teams) else "classic"
        )
    if (not plan.title_found or not plan.name) and default_name and default_name.strip():
        # An issue's title names the plan; its dates are the sprint's when the text has none.
        titled = _Parser(parser.today)
        titled.meta = meta
        titled._title(default_name, sprint_word=False)
        plan.name = titled.plan.name
        plan.sprint_title = titled.plan.sprint_title
        if plan.start is None:
            plan.start, plan.end = titled.plan.start, titled.plan.end
            plan.problems.extend(titled.plan.problems)
    if not plan.name:
        plan.name = (default_name or "Imported plan").strip() or "Imported plan"
    if len(plan.name) > 200:  # the longest name a sprint takes: say so, do not cut silently
        plan.problems.append(
            f"the sprint name had {len(plan.name)} characters; only the first 200 are kept"
        )
        plan.name = plan.name[:200]
    if plan.start and plan.end and plan.end < plan.start:
        plan.problems.append(
            f"the end date {plan.end:%b %d, %Y} is before the start {plan.start:%b %d, %Y}, so "
            "the sprint has only its start date"
        )
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


_TEAM_PROSE = re.compile(
    r"^(?:hi\s+)?(?:"
    + alternation(_V.team_words)
    + r")\s+(?P<name>[\w&'’ -]{1,60}?)\s*(?:[,:.!-]|$|\s(?:priorities|plan|planning|sprint|for|is|"
    r"will|update|here)\b)",
    re.IGNORECASE,
)


def _comment_team(lines: list[str]) -> tuple[int, str] | None:
    """Where a team comment names its team: the first heading among its first lines that is
    not a known section, or a first line starting "Team X". Returns (line index, name)."""
    seen = 0
    for index, raw in enumerate(lines):
        stripped = raw.strip()
        if not stripped or stripped.startswith("<!--"):
            continue
        seen += 1
        heading = _HEADING.match(raw)
        text = _heading_text(heading.group(2) or "") if heading else _heading_text(stripped)
        norm = text.casefold()
        known = _body_kind(norm) or _team_sub(norm) or _TITLE.match(text)
        if heading and not known and text:
            team = _TEAM_HEADING.match(text)
            return index, (team.group(1) if team else text)
        if seen == 1 and not heading:
            prose = _TEAM_PROSE.match(text)
            if prose and prose.group("name").strip():
                return index, prose.group("name").strip()
        if seen >= 3 or (heading and known):
            return None
    return None


def parse_post(
    text: str,
    *,
    title: str | None = None,
    comment: bool = False,
    today: date | None = None,
    default_team: str | None = None,
) -> ParsedPlan:
    """One post as found on GitHub: an issue body (the plan) or, with ``comment``, a comment
    holding one team's section, named by its first heading or a first line "Team X";
    ``title`` is the issue's title, which names the plan."""
    if comment:
        lines = text.replace("\r\n", "\n").split("\n")
        found = _comment_team(lines)
        if found is not None:
            index, name = found
            heading = f"# Team {name.strip()}"
            if _HEADING.match(lines[index]):
                lines[index] = heading
            else:
                lines.insert(index, heading)  # the sentence stays, as the team's note
            text = "\n".join(lines)
    plan = parse_plan(text, today=today, default_name=title, default_team=default_team)
    if comment and not plan.teams:
        plan.teams.append(parse_team_section(text, today=today))
    if title and title.strip():
        plan.title_found = True  # a post filed as a sprint is one, named by its title
    return plan


def without_dates(title: str) -> str:
    """A title with the dates at its end left out ("Sprint 4 - Oct 18 to Oct 29" -> "Sprint 4")."""
    patterns = (_OF_TITLE, _TITLE_DATES, _DAY_FIRST, _NUMERIC_DATES)
    for pattern in (p for p in patterns if p is not None):
        match = pattern.match(title.strip())
        if match and (match.group("name") or "").strip():
            return str(match.group("name")).strip(" -–—:,(")
    return title.strip()
