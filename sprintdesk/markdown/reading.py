"""The state the markdown parser keeps while it reads a plan line by line (which section, which
team, which item is open), and what every reader shares: keeping a line as a note, the plan's own
team, time off written in free form.

The line state machine is :mod:`sprintdesk.markdown.parse`; it reads the sprint-wide sections
with :mod:`~sprintdesk.markdown.read_global`, a team's with :mod:`~sprintdesk.markdown.read_team`,
markdown tables with :mod:`~sprintdesk.markdown.read_tables`, and a single list item (a team's
task, an OKR) with :mod:`~sprintdesk.markdown.read_items`.
"""

from __future__ import annotations

import re
from datetime import date

from sprintdesk.markdown.dates import range_in
from sprintdesk.markdown.forms import _AT, _LIST, _OFF_WORD, _clean, _person
from sprintdesk.markdown.parsed import ParsedNote, ParsedPlan, ParsedTeam, ParsedTimeOff
from sprintdesk.plan.model import ItemKind, RetroKind, SectionKind


def _join_text(first: str, second: str) -> str:
    return f"{first} {second}".strip() if first else second


def _join_lines(first: str, second: str) -> str:
    return f"{first}\n{second}" if first and second else first or second


class ReadState:
    """The parser's state, and the readers' shared steps."""

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
        self.rota_order = False  # under a "Rota" heading: a checklist of names taking turns
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

    def _plan_team(self) -> ParsedTeam:
        """The team a team-less plan's tasks belong to (named by the caller: the repository)."""
        name = self.default_team
        found = next((t for t in self.plan.teams if t.name.casefold() == name.casefold()), None)
        if found is None:
            found = ParsedTeam(name=name)
            self.plan.teams.append(found)
        return found

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

    def heading(self, level: int, raw: str) -> None:
        """A heading (the machine follows it; see parse.py)."""
        raise NotImplementedError

    def top_item(self, content: str, raw: str) -> None:
        """A list item at the top of its list (the machine sends it to the right reader)."""
        raise NotImplementedError
