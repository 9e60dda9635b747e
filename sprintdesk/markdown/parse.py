"""The markdown parser behind :mod:`sprintdesk.markdown.importer`: text in, :class:`ParsedPlan` out.

It reads line by line and never gives up: headings at any level pick the section, lists of any
kind and nesting become items, and a line it does not understand is kept as a note in the
section it appeared in. Text inside code fences and HTML comments is not content.

This module is the line state machine; the words it knows are data
(``resources/vocabulary/*.json`` via :mod:`sprintdesk.markdown.vocabulary`) and the written
forms it recognises in a piece of a line live in :mod:`sprintdesk.markdown.forms`.
"""

from __future__ import annotations

import re
from datetime import date

from sprintdesk.markdown.dates import (
    _DAY_FIRST,
    _NUMERIC_DATES,
    _OF_TITLE,
    _TITLE_DATES,
    _make_date,
    _month,
    _near,
    range_in,
    title_dates,
)
from sprintdesk.markdown.forms import (
    _AT,
    _BODY,
    _CHECKBOX,
    _CONFIDENCE,
    _CONTINUATION,
    _DECISION,
    _DEPRIORITISE,
    _FENCE,
    _HEADING,
    _HERO,
    _HERO_AFTER,
    _IMPACTED,
    _LABEL,
    _LEGEND,
    _LIST,
    _NONE_WORDS,
    _OFF_WORD,
    _OKR,
    _OKR_EMOJI,
    _OKR_WORD,
    _OKR_WORDS,
    _OTHER_WEEKS,
    _OWNER_PAREN,
    _RETRO_PREFIXES,
    _RULE,
    _SKIP_LINES,
    _STATUS_EMOJI,
    _SUMMARY_DURATION,
    _TARGET,
    _TEAM_HEADING,
    _TIME_OFF,
    _TIME_OFF_ENTRY,
    _TITLE,
    _TRAILING_HANDLE,
    _V,
    MAX_LINE,
    _body_kind,
    _clean,
    _column,
    _heading_text,
    _is_label,
    _leading_emoji,
    _parse_head,
    _person,
    _status_from_text,
    _team_sub,
    _week_of,
)
from sprintdesk.markdown.parsed import (
    ParsedGoal,
    ParsedItem,
    ParsedNote,
    ParsedOkr,
    ParsedOutcome,
    ParsedPlan,
    ParsedRetroNote,
    ParsedSection,
    ParsedTeam,
    ParsedTimeOff,
    PlanImportError,
)
from sprintdesk.markdown.render import (
    SUMMARY_TITLE,
    find_marker,
)
from sprintdesk.markdown.vocabulary import alternation
from sprintdesk.plan.model import (
    Confidence,
    Decision,
    ItemKind,
    OkrStatus,
    RetroKind,
    SectionKind,
    Status,
)
from sprintdesk.plan.templates import TEMPLATES


class _Parser:
    def __init__(self, today: date) -> None:
        self.plan = ParsedPlan()
        self.today = today
        # How many sub-tasks each task-list item has given out as tasks of their own (by id).
        self.subtasks: dict[int, int] = {}
        self.section = SectionKind.OTHER.value
        self.team: ParsedTeam | None = None
        self.team_level = 0
        self.sub: str | None = None
        self.retro_level: int | None = None
        self.retro_kind = RetroKind.TO_IMPROVE  # the part of the body's retro being read
        # A heading we do not model ("Risks") ends the section above it at its level: what
        # follows is kept as written, in place, until a known heading.
        self.section_level = 0
        self.kept = False
        self.sub_level = 0
        self.rota = False  # under the sprint's own support-hero heading
        self.template_hint: str | None = None
        self.heading_owner: str | None = None  # "### @login" over that person's tasks
        self.owner_level = 0
        self.body_off = False  # under a "PTO:" label in the plan itself
        self.global_list = False  # right under "Global Sprint Planning": its priorities
        self.table_columns: list[str] | None = None  # a markdown table's header, lower case
        self.default_team = "Tasks"
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
        listed = _LIST.match(text.rstrip())
        if listed and listed.group(1):
            # A nested list item kept as written keeps its nesting.
            line = " " * len(listed.group(1).expandtabs(4)) + line
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
        if self.team is None and self._body_time_off(raw, stripped):
            return
        if self.team is None and not _LIST.match(raw) and self._plain_retro_heading(stripped):
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

    # headings -------------------------------------------------------------------------

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

    def _enter_team(self, name: str, level: int) -> None:
        # "Team Surveys - Secretly Unraveling ...": the name is before the spaced dash.
        name = re.split(r"\s+[-–—:]\s+", _clean(name), maxsplit=1)[0][:200]
        existing = next((t for t in self.plan.teams if t.name.casefold() == name.casefold()), None)
        if existing is None:
            existing = ParsedTeam(name=name)
            self.plan.teams.append(existing)
        self.team = existing
        self.team_level = level
        self.kept = False
        self.sub = None
        self.retro_level = None

    def _team_heading(self, sub: str, level: int) -> None:
        self.sub_level = level
        self.kept = False
        retro_open = self.retro_level is not None or (
            bool(self.details) and self.details[-1] == "retro"
        )
        if sub == "plan":
            self.sub = None  # "## Plan": high and low priority follow
            self.retro_level = None
            return
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
        if (self.section == SectionKind.OTHER.value or self.kept) and _CHECKBOX.match(
            _clean(content)
        ):
            # An iteration plan's task list ("- [x] item #123 @owner" under area headings):
            # the work of the sprint, kept as the plan's own team's high priority.
            item = _parse_team_item(content, ItemKind.HIGH)
            if item is not None:
                if item.owner is None and self.heading_owner:
                    item.owner = self.heading_owner
                self._plan_team().items.append(item)
                self.item = item
                return
        if self.kept:
            self.item = None
            self.note(raw.rstrip())
            return
        section = self.section
        if section == SectionKind.OTHER.value and self.global_list:
            section = SectionKind.PRIORITIES.value  # the plan's headline, before any section
        if section == SectionKind.OUTCOMES.value:
            head = _parse_head(content)
            outcome = ParsedOutcome(
                title=head.title,
                owner=head.owner,
                description=_join_text(head.description, f"with {head.helpers}")
                if head.helpers
                else head.description,
                carry_over=head.carried,
                status=head.status or Status.NOT_STARTED,
            )
            self.plan.outcomes.append(outcome)
            self.item = outcome
        elif section == SectionKind.RETRO.value:
            kind = self.retro_kind
            text = content
            lowered = text.casefold()
            for prefix, value in _RETRO_PREFIXES:
                if lowered.startswith(prefix):
                    kind = value
                    text = text[len(prefix) :].strip()
                    break
            owner = None
            match = _OWNER_PAREN.search(text)
            if match and match.end() == len(text):
                owner = _person(match.group(1))
                text = text[: match.start()].strip()
            else:
                # "Action: write the runbook @lena-k": a trailing handle is the owner.
                trailing = _TRAILING_HANDLE.search(" " + text)
                if trailing and len(text) > len(trailing.group(0)) and " " not in trailing.group(1):
                    owner = _person(trailing.group(1))
                    text = (" " + text)[: trailing.start()].strip()
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
            self.note(raw.rstrip())

    def sub_item(self, content: str) -> bool:
        item = self.item
        text = _clean(content)
        if isinstance(item, ParsedOutcome | ParsedGoal):
            # "**Status:** ...", "**🎯Goal**: _..._": bold labels read as plain ones.
            text = re.sub(r"^\*\*([^*]{1,40}?)(:?)\*\*\s*(:?)", r"\1\2\3", text).strip()
        lowered = text.casefold()
        if isinstance(item, ParsedOutcome | ParsedGoal):
            target = _TARGET.match(text)
            if text.startswith("🎯") or target:
                item.target = target.group(1).strip() if target else text.lstrip("🎯 ").strip()
                return True
        if isinstance(item, ParsedOutcome):
            status = _LABEL["status"].match(text)
            if status or (text[:1] in "🟢🟡🔴⚪✅❌" and text[:1]):
                value, rest = _status_from_text(status.group(1) if status else text)
                if value is not None:
                    item.status = value
                    item.note = rest
                    return True
                if status and not item.note:
                    item.note = rest
                    return True
            if lowered.startswith("🔁") and "carried over" in lowered:
                item.was_carried = True
                return True
            note = _LABEL["note"].match(text)
            if note and not item.note:
                item.note = note.group(1).strip()
                return True
        if isinstance(item, ParsedGoal):
            why = _LABEL["why"].match(text)
            if why:
                item.why = why.group(1).strip()
                return True
            confidence = _CONFIDENCE.match(text)
            if confidence and confidence.group(1).lower() in {c.value for c in Confidence}:
                item.confidence = Confidence(confidence.group(1).lower())
                return True
            team = _LABEL["team"].match(text)
            if team and team.group(1).strip():
                item.team = team.group(1).strip()[:200]
                return True
            owner = _LABEL["owner"].match(text)
            if owner and owner.group(1).strip() and item.owner is None:
                item.owner = _person(owner.group(1))
                return True
        if (
            isinstance(item, ParsedItem)
            and item.kind in (ItemKind.HIGH, ItemKind.LOW)
            and item.status_given
            and _CHECKBOX.match(text)
        ):
            # "- [ ] Packaging setup" then "  - [ ] Automated release process": a task list's
            # sub-tasks are tasks of their own, the parent's owner unless they name one.
            task = _parse_team_item(text, item.kind)
            owners = self.team.items if self.team is not None else self._plan_team().items
            if task is not None and item in owners:
                task.owner = task.owner or item.owner
                after = self.subtasks.get(id(item), 0)
                owners.insert(owners.index(item) + 1 + after, task)
                self.subtasks[id(item)] = after + 1
                return True
        if isinstance(item, ParsedItem):
            if (
                item.kind in (ItemKind.RETRO_HIGH, ItemKind.RETRO_LOW)
                and not item.status_given
                and not item.note
            ):
                # "- @x Title" then "   - 🟢 merged": the first sub-bullet gives the status.
                first_status, _ = _leading_emoji(text)
                if first_status is not None:
                    item.status, item.status_given = first_status, True
            item.note = f"{item.note}\n{text}" if item.note else text
            return True
        if isinstance(item, ParsedOkr):
            if text[:1] in _OKR_EMOJI and self.team is not None:
                # Key results with their own status under an objective: OKRs of their own.
                self.team.okrs.append(_parse_okr(text))
                return True
            item.note = _join_text(item.note, text)
            return True
        self.note(content)
        return True

    def _team_item(self, content: str, raw: str) -> None:
        team = self.team
        assert team is not None
        sub = self.sub
        if self.kept:
            self.item = None
            self.note(raw.rstrip())
            return
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
                self.note(raw.rstrip())
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
            self.note(raw.rstrip())

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
            if not hero.group("rest").strip(" *_"):
                self.sub = "hero"  # the heroes follow, one a line
            self.item = None
            return True
        hero_after = _HERO_AFTER.match(text)
        if hero_after:
            self._hero(hero_after.group("who"))
            self.item = None
            return True
        if not listed and self._plain_heading(text):
            return True
        time_off = _TIME_OFF.match(text)
        if time_off and not _is_label(text, "time_off") and self._free_time_off(text):
            self.item = None  # "Away for conference: @x Sep 1": the words stay as its note
            return True
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
        if self.sub in (None, "time_off") and self._free_time_off(text):
            self.item = None
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
        for chunk in re.split(r"\s*(?:,|;|\s/\s|\band\b)\s*", _clean(text).rstrip(". ")):
            week_number, who = _week_of(chunk)
            if week_number is not None:
                person = _person(who)
                if person:
                    team.duties.append((week_number, person))
                continue
            other = _OTHER_WEEKS.match(chunk)
            if other:
                chunk = other.group("who")
            person = _person(chunk)
            if person and team.support_hero is None:
                team.support_hero = person
            elif person:
                team.notes.append(ParsedNote(SectionKind.TEAM.value, f"Support hero: {chunk}"))

    def _table_row(self, line: str, raw: str) -> bool:
        """A markdown table of outcomes, goals, priorities or items: columns matched by their
        header's name (title/goal/item, owner/who, status); other columns are kept in the
        description. A table whose header names no title column is kept as notes."""
        listish = self.team is not None and self.sub not in (None, "hero", "time_off")
        if not (listish or self.section in _BODY) or self.kept:
            return False
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
        if self.table_columns is None:
            names = [_clean(c).strip("*_ ").casefold() for c in cells]
            if not any(_column(n) == "title" for n in names):
                return False
            self.table_columns = names
            return True
        if all(set(c) <= set("-: ") for c in cells):
            return True
        values: dict[str, str] = {}
        extra: list[str] = []
        for name, cell in zip(self.table_columns, cells, strict=False):
            role = _column(name)
            if role and role not in values and cell:
                values[role] = cell
            elif cell:
                extra.append(f"{name}: {cell}")
        if not values.get("title"):
            return False
        text = values["title"]
        if values.get("owner"):
            text += f" (Owner: {values['owner']})"
        status = values.get("status", "")
        if extra or status:
            text = f"**{text.split(' (Owner:')[0]}**" + text[len(text.split(" (Owner:")[0]) :]
            text += " - " + "; ".join(([status] if status else []) + extra)
        self.item_indent = 0
        self.top_item(text, raw)
        return True

    def _plain_retro_heading(self, line: str) -> bool:
        """ "Positives?", "What didn't go well :", "Que hemos hecho bien?": a short line ending
        in a question mark or colon that names a part of a retro works as its heading."""
        text = re.sub(r"\s*\([^()]*\)\s*$", "", _clean(line).strip("*_ ")).strip()
        if not text.endswith((":", "?")) or len(text.split()) > 8:
            return False
        norm = _heading_text(text.rstrip(":? ")).casefold().lstrip("¿¡")
        kind = _V.retro_kind_of(norm)
        if kind is None or (kind == RetroKind.ACTION.value and self.section != "retro"):
            return False
        self.section = SectionKind.RETRO.value
        self.retro_kind = RetroKind(kind)
        self.kept = False
        self.item = None
        self.plan.sections_found += 1
        return True

    def _body_time_off(self, raw: str, line: str) -> bool:
        """Absences written in the plan itself (no team): "**PTO:**" then "- Rocio (1/18 -
        1/19)", or "- @x: 17d (Not working 6-8th July)"; kept with the plan's own team."""
        listed = _LIST.match(raw)
        text = (listed.group(3) or "") if listed else line
        label = re.match(r"^\**\s*([^:*]{1,40}?)\s*\**\s*:\s*\**\s*$", text)
        if label and not listed:
            words = label.group(1).casefold()
            self.body_off = bool(_OFF_WORD.search(words)) or words in _V.time_off_words
            return self.body_off
        if not listed:
            self.body_off = False
            return False
        if self.section != SectionKind.OTHER.value and not self.kept:
            return False
        if not (_OFF_WORD.search(text) or self.body_off):
            return False
        if self._range_in(_clean(text)) is None:
            return False
        return self._free_time_off(text, self._plan_team(), listed_names=self.body_off)

    def _plan_team(self) -> ParsedTeam:
        """The team a team-less plan's tasks belong to (named by the caller: the repository)."""
        name = self.default_team
        found = next((t for t in self.plan.teams if t.name.casefold() == name.casefold()), None)
        if found is None:
            found = ParsedTeam(name=name)
            self.plan.teams.append(found)
        return found

    def _rota_line(self, line: str) -> bool:
        """The sprint's own support rota, for every team: "**Support hero:** @x", or under a
        "Support hero this sprint" heading lines like "Week 1: Raquel"."""
        listed = _LIST.match(line)
        text = listed.group(3) or "" if listed else line
        hero = _HERO.match(text)
        if hero:
            self._plan_hero(hero.group("rest"))
            self.rota = self.rota or not hero.group("rest").strip(" *_")
            return True
        if self.rota and text.strip():
            if self.kept:
                return False
            before = (len(self.plan.duties), self.plan.support_hero)
            self._plan_hero(text)
            return (len(self.plan.duties), self.plan.support_hero) != before
        return False

    def _plan_hero(self, text: str) -> None:
        for chunk in re.split(r"\s*(?:,|;|\s/\s)\s*", _clean(text).rstrip(". ")):
            week_number, who = _week_of(chunk)
            person = _person(who)
            if week_number is not None and person:
                self.plan.duties.append((week_number, person))
            elif person and self.plan.support_hero is None and len(person.split()) <= 3:
                self.plan.support_hero = person

    def _plain_heading(self, text: str) -> bool:
        """ "Captain Toads next 2 weeks:", "Low prio:": a short line ending in a colon (or a
        question mark) that names a part of the team's section works as its heading."""
        stripped = _clean(text).strip("*_ ")
        if not stripped.endswith((":", "?")) or len(stripped.split()) > 8:
            return False
        sub = _team_sub(_heading_text(stripped.rstrip(":? ")).casefold())
        if sub is None:
            return False
        self._team_heading(sub, 6)
        self.item = None
        return True

    def _free_time_off(
        self, text: str, team: ParsedTeam | None = None, *, listed_names: bool = False
    ) -> bool:
        """ "@x on vacation 21st to 25th", "2 days PTO - @x", "AFK April 3-4 @x": a line with
        a time-off word and a person; dates (if any) read against the sprint's own. With
        ``listed_names`` (under a "PTO:" label) "Rocio (1/18 - 1/19)" needs no such word."""
        team = team or self.team
        assert team is not None
        line = _clean(text)
        if not listed_names and not _OFF_WORD.search(line):
            return False
        handle = re.search(_AT + r"(?=[\s,;:)]|\.?$|\.\s)", line)
        name = re.match(r"^(?P<who>[A-Z][\w'’]+)\s*(?:[-–—:(]|\bis\b|\bon\b|\bout\b)", line)
        who = handle.group(0) if handle else name.group("who") if name else None
        if who is None:
            return False
        found = self._range_in(line)
        if found is None and listed_names:
            return False
        if found is None:
            team.time_off_note = _join_text(team.time_off_note, line.rstrip(". ") + ".")
            return True
        start, end, span = found
        rest = (line[: span[0]] + line[span[1] :]).replace(who, "")
        rest = " ".join(rest.replace("(", " ").replace(")", " ").split()).strip(" -–—,;:.")
        team.time_off.append(ParsedTimeOff(_person(who) or who, start, end, False, rest))
        return True

    def _range_in(self, text: str) -> tuple[date, date, tuple[int, int]] | None:
        return range_in(text, self.plan.start or self.today, dated=self.plan.start is not None)

    def _time_off(self, text: str) -> None:
        team = self.team
        assert team is not None
        text = _clean(text)
        if text.casefold() in _NONE_WORDS:
            return
        if _TIME_OFF_ENTRY.search(text) is None and self._free_time_off(text, listed_names=True):
            return  # "Rocio (1/18 - 1/19)", "@x: 17d (Not working 6-8th July)"
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
            ParsedSection(
                cells[0][:200], values["planned"], values.get("added", 0), values["actual"]
            )
        )


def _join_text(first: str, second: str) -> str:
    return f"{first} {second}".strip() if first else second


def _join_lines(first: str, second: str) -> str:
    return f"{first}\n{second}" if first and second else first or second


def _parse_team_item(content: str, kind: ItemKind) -> ParsedItem | None:
    text = _clean(content)
    checked: bool | None = None
    box = _CHECKBOX.match(text)
    if box:
        checked = box.group(1) in "xX"
        text = text[box.end() :]
    status: Status | None = None
    retro = kind in (ItemKind.RETRO_HIGH, ItemKind.RETRO_LOW)
    item = ParsedItem(kind=kind, title="", status=status)
    if kind == ItemKind.HANGOVER:
        decision = _DECISION.match(text)
        if decision and decision.group("title").strip():
            item.decision = (
                Decision.DEPRIORITISE
                if _DEPRIORITISE.fullmatch(decision.group("word"))
                else Decision.PRIORITISE
            )
            item.note = (decision.group("note") or "").strip()
            text = decision.group("title")
    head = _parse_head(text, statuses=retro)
    item.title = head.title if not head.description else f"{head.title} - {head.description}"
    item.owner = head.owner
    item.carried_over = head.carried
    if head.helpers:
        item.note = _join_lines(f"with {head.helpers}", item.note)
    if retro:
        # A status emoji beats the task box; without either the first sub-bullet may say it.
        item.status_given = head.status is not None or checked is not None
        item.status = head.status or (Status.FINISHED if checked else Status.NOT_STARTED)
    elif checked is not None and kind in (ItemKind.HIGH, ItemKind.LOW):
        # A task list's box: done or not (written back as the same box).
        item.status = Status.FINISHED if checked else Status.NOT_STARTED
        item.status_given = True
    if not item.title:
        return None
    return item


def _parse_okr(content: str) -> ParsedOkr:
    """``Title - 🟡 yellow - note``, ``🟠 Title``; an OKR written without a status is
    "unknown", never a made-up green."""
    text = _clean(content)
    for emoji, value in _OKR_EMOJI.items():
        if text.startswith(emoji) and text[len(emoji) :].strip("\ufe0f "):
            return ParsedOkr(title=text[len(emoji) :].strip("\ufe0f "), status=value)
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
            status=_OKR_WORDS[word.group("word").lower()],
            note=(word.group("note") or "").strip(),
        )
    return ParsedOkr(title=text, status=OkrStatus.UNKNOWN)


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
