"""Markdown tables in a plan: goals, outcomes, priorities or a team's items in a table (columns
matched by their header's name) and the meeting summary's table of section times.
"""

from __future__ import annotations

import re

from sprintdesk.markdown.forms import _BODY, _SUMMARY_DURATION, _clean, _column
from sprintdesk.markdown.parsed import ParsedSection
from sprintdesk.markdown.reading import ReadState
from sprintdesk.plan.times import NOT_REACHED


class TableReader(ReadState):
    """The table readers, mixed into the parser (:mod:`sprintdesk.markdown.parse`)."""

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
            if name == "actual" and cell in (NOT_REACHED, "-", "–"):
                values[name] = 0  # a section the meeting never reached
            elif match and name in ("planned", "added", "actual"):
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
