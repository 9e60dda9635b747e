"""Reading the sprint-wide parts of a plan (no team): the outcomes, retro, priorities and
goals lists and their sub-bullets, an iteration plan's task list, the sprint's own support rota
(and a "Rota" checklist of names taking turns), time off written in the plan itself, a "Date:"
line, and sections opened without a ``#`` heading: retro parts named by a plain line
("Positives?"), headings in bold ("**Previous sprint goal:**") and lead-in sentences ("The main
goals for this iteration are:").
"""

from __future__ import annotations

import re

from sprintdesk.markdown.dates import title_dates
from sprintdesk.markdown.forms import (
    _BODY,
    _CHECKBOX,
    _CONFIDENCE,
    _DATES_LINE,
    _HERO,
    _LABEL,
    _LIST,
    _OFF_WORD,
    _OWNER_PAREN,
    _RETRO_PREFIXES,
    _TARGET,
    _TRAILING_HANDLE,
    _V,
    _body_kind,
    _clean,
    _heading_text,
    _parse_head,
    _person,
    _status_from_text,
    _week_of,
)
from sprintdesk.markdown.parsed import ParsedGoal, ParsedOutcome, ParsedRetroNote
from sprintdesk.markdown.read_items import _parse_team_item
from sprintdesk.markdown.reading import ReadState, _join_text
from sprintdesk.plan.model import Confidence, ItemKind, RetroKind, SectionKind, Status

# A heading over a checklist of names taking turns ("### Rota": the first unticked is on now).
_ROTA_ORDER = re.compile(r"(?:" + _V.label("rota_order") + r")", re.IGNORECASE)
_BOLD_LINE = re.compile(r"^\*\*(?P<text>[^*]{1,80}?)\*\*\s*(?P<mark>[:?])?$")


class GlobalReader(ReadState):
    """The sprint-wide readers, mixed into the parser (:mod:`sprintdesk.markdown.parse`)."""

    def _body_item(self, content: str, raw: str) -> None:
        """A list item outside any team: a task of an iteration plan's task list, or an entry
        of the outcomes, retro, priorities or goals; anything else is kept as a note."""
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

    def _body_sub_item(self, item: ParsedOutcome | ParsedGoal, text: str) -> bool:
        """A sub-bullet of an outcome or a goal: its target, status, note, why, confidence,
        team or owner. False when it is none of these (the caller keeps it as a note)."""
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
        return False

    def _lead_in(self, line: str) -> bool:
        """ "The main goals for this iteration are:": outside any section, a sentence ending in
        a colon that names the goals, outcomes or priorities opens that section for the list
        under it; the sentence stays, as a note, where it was."""
        text = _clean(line).strip("*_ ")
        if self.section != SectionKind.OTHER.value or self.kept or not text.endswith(":"):
            return False
        kind = _body_kind(_heading_text(text.rstrip(": ")).casefold())
        if len(text.split()) > 10 or kind not in _BODY or kind == SectionKind.RETRO.value:
            return False
        self.note(line)
        self.section = kind
        self.section_level = 6  # the next heading, at any level, ends it
        self.global_list = False
        self.item = None
        self.plan.sections_found += 1
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

    def _rota_turn(self, raw: str) -> bool:
        """ "- [ ] Alina B" under a "Rota" heading: people in the order they take turns; the
        first unticked is the sprint's support hero. The list stays, as written, where it was."""
        listed = _LIST.match(raw)
        box = _CHECKBOX.match(_clean(listed.group(3) or "")) if listed else None
        if box is None:
            return False
        name = _clean(listed.group(3) or "")[box.end() :].strip() if listed else ""
        if not re.fullmatch(r"[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){0,2}", name):
            return False
        if box.group(1) == " " and self.plan.support_hero is None:
            self.plan.support_hero = name
        self.item = None
        self.note(raw.rstrip())
        return True

    def _dates_line(self, line: str) -> bool:
        """ "Date: October 12, 2015" (a plan whose title has no dates): the sprint's dates. The
        line stays, as a note, where it was."""
        match = _DATES_LINE.match(line)
        if match is None:
            return False
        found = title_dates(match.group("rest"), self.today, [])
        if found is None or found[1] is None or self.meta.start is not None:
            return False
        _, start, end = found
        self.plan.start, self.plan.end = start, end
        self.note(line)
        return True

    def _bold_heading(self, line: str) -> bool:
        """ "**Previous sprint goal:**" alone on its line, naming a section of the plan: a
        heading written in bold, read as one (its words become the section's, as a heading's
        do)."""
        match = _BOLD_LINE.match(line)
        if not match or not (match.group("mark") or match.group("text").endswith((":", "?"))):
            return False
        text = match.group("text").rstrip(":? ").strip()
        if len(text.split()) > 8 or any(c.isdigit() for c in text):
            return False  # "**Retro 1:**" names a meeting, not a section
        if _body_kind(_heading_text(text).casefold()) in (None, "support"):
            return False
        self.heading(6, text)
        return True
