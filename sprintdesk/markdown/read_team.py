"""Reading one team's section: its name, its sub-headings (retro, hang-over, high and low
priority, OKRs, time off, support hero, other teams impacted, plain "Low prio:" lines), its items
and their sub-bullets, support heroes per week and time off in the team's words.
"""

from __future__ import annotations

import re

from sprintdesk.markdown.dates import _make_date, _month, _near
from sprintdesk.markdown.forms import (
    _CHECKBOX,
    _HERO,
    _HERO_AFTER,
    _IMPACTED,
    _LIST,
    _NONE_WORDS,
    _OKR_EMOJI,
    _OTHER_WEEKS,
    _TIME_OFF,
    _TIME_OFF_ENTRY,
    _clean,
    _heading_text,
    _is_label,
    _leading_emoji,
    _person,
    _team_sub,
    _week_of,
)
from sprintdesk.markdown.parsed import ParsedItem, ParsedNote, ParsedOkr, ParsedTeam, ParsedTimeOff
from sprintdesk.markdown.read_items import _parse_okr, _parse_team_item
from sprintdesk.markdown.reading import ReadState, _join_text
from sprintdesk.plan.model import ItemKind, SectionKind


class TeamReader(ReadState):
    """The team readers, mixed into the parser (:mod:`sprintdesk.markdown.parse`)."""

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

    def _team_sub_item(self, item: object, text: str) -> bool:
        """A sub-bullet of a team's item (a sub-task, the status, a note) or of an OKR (a key
        result). False when ``item`` is neither (the caller keeps it as a note)."""
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
        return False

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
