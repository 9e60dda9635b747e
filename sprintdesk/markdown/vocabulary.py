"""The importer's vocabulary: heading synonyms per section, status words, labels, time-off and
none words, read once from ``resources/vocabulary/*.json`` (one file per language).

Every language file is read and merged, so a plan may mix languages; English comes first and
decides the order in which sections are tried. The parser (:mod:`sprintdesk.markdown.parse`)
holds the line state machine and asks this module what a heading or a word means.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from sprintdesk.system.paths import resource


@dataclass(frozen=True)
class _Rule:
    """One section's synonyms, in the file's small pattern language (see en.json's _about)."""

    contains: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()
    equals: tuple[str, ...] = ()
    all_of: tuple[tuple[str, ...], ...] = ()
    excludes: tuple[str, ...] = ()

    def matches(self, norm: str) -> bool:
        if any(word in norm for word in self.excludes):
            return False
        return (
            norm in self.equals
            or any(norm.startswith(word) for word in self.starts)
            or any(word in norm for word in self.contains)
            or any(all(word in norm for word in group) for group in self.all_of)
        )


def _rule(patterns: list[str]) -> _Rule:
    contains: list[str] = []
    starts: list[str] = []
    equals: list[str] = []
    all_of: list[tuple[str, ...]] = []
    excludes: list[str] = []
    for raw in patterns:
        pattern = raw.casefold()
        if pattern.startswith("!"):
            excludes.append(pattern[1:])
        elif pattern.startswith("^"):
            starts.append(pattern[1:])
        elif pattern.startswith("="):
            equals.append(pattern[1:])
        elif "+" in pattern.strip("+"):
            all_of.append(tuple(p for p in pattern.split("+") if p))
        else:
            contains.append(pattern)
    return _Rule(tuple(contains), tuple(starts), tuple(equals), tuple(all_of), tuple(excludes))


def alternation(words: list[str]) -> str:
    """A regex alternation of words, longest first so "support heroes" beats "support hero"."""
    ordered = sorted({w.casefold() for w in words}, key=lambda w: (-len(w), w))
    return "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in ordered)


@dataclass
class Vocabulary:
    """All languages' words merged; build with :func:`vocabulary`."""

    languages: list[str] = field(default_factory=list)
    sprint_words: list[str] = field(default_factory=list)
    team_words: list[str] = field(default_factory=list)
    sections: dict[str, list[str]] = field(default_factory=dict)
    team_sections: dict[str, list[str]] = field(default_factory=dict)
    status_words: dict[str, list[str]] = field(default_factory=dict)
    # Words anywhere in a status written as prose that tell how it went (see status_cues()).
    status_cues: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)
    retro_prefixes: dict[str, list[str]] = field(default_factory=dict)
    retro_kinds: dict[str, list[str]] = field(default_factory=dict)
    none_words: set[str] = field(default_factory=set)
    decisions: dict[str, list[str]] = field(default_factory=dict)
    time_off_words: list[str] = field(default_factory=list)
    week_words: dict[str, list[str]] = field(default_factory=dict)
    months: list[list[str]] = field(default_factory=lambda: [[] for _ in range(12)])
    # The small words of a date written day first ("del 3 al 14 de marzo"): from, to, of.
    date_words: dict[str, list[str]] = field(default_factory=dict)

    def merge(self, data: dict[str, Any]) -> None:
        self.languages.append(str(data.get("language", "?")))
        self.sprint_words += data.get("sprint_words", [])
        self.team_words += data.get("team_words", [])
        self.time_off_words += data.get("time_off_words", [])
        self.none_words |= {w.casefold() for w in data.get("none_words", [])}
        for name in (
            "sections",
            "team_sections",
            "status_words",
            "status_cues",
            "labels",
            "retro_prefixes",
            "retro_kinds",
            "week_words",
            "date_words",
        ):
            mine: dict[str, list[str]] = getattr(self, name)
            for key, words in data.get(name, {}).items():
                mine.setdefault(key, []).extend(words)
        for key, words in data.get("decisions", {}).items():
            self.decisions.setdefault(key, []).extend(words)
        for index, names in enumerate(data.get("months", [])[:12]):
            self.months[index].extend(n.casefold() for n in names)

    # compiled views -----------------------------------------------------------------------

    def month_names(self) -> list[str]:
        """Every month name and abbreviation, in every language."""
        return [name for names in self.months for name in names]

    def month_number(self, name: str) -> int | None:
        """1-12 for a month's name or abbreviation in any language ("marzo", "Mar.", "sept")."""
        table: dict[str, int] | None = self.__dict__.get("_month_numbers")
        if table is None:
            table = {}
            for index, names in enumerate(self.months):
                for month in names:
                    table.setdefault(month, index + 1)
            self.__dict__["_month_numbers"] = table
        return table.get(name.strip().rstrip(".").casefold())

    def _rules(self, name: str) -> list[tuple[str, _Rule]]:
        cached: dict[str, list[tuple[str, _Rule]]] = self.__dict__.setdefault("_rule_cache", {})
        if name not in cached:
            table: dict[str, list[str]] = getattr(self, name)
            cached[name] = [(key, _rule(words)) for key, words in table.items()]
        return cached[name]

    def _first(self, table: str, norm: str) -> str | None:
        memo: dict[tuple[str, str], str | None] = self.__dict__.setdefault("_memo", {})
        found = memo.get((table, norm), "")
        if found == "":
            found = next((key for key, rule in self._rules(table) if rule.matches(norm)), None)
            if len(memo) < 50_000:  # headings repeat; arbitrary text must not grow it forever
                memo[(table, norm)] = found
        return found

    def section_of(self, norm: str) -> str | None:
        """The body section (a SectionKind value) a lower-case heading names, if any."""
        return self._first("sections", norm)

    def team_section_of(self, norm: str) -> str | None:
        """The part of a team's section ("hangover", "retro", "high", ...) a heading names."""
        return self._first("team_sections", norm)

    def retro_kind_of(self, norm: str) -> str | None:
        """The part of a retro (a RetroKind value) a lower-case heading names, if any."""
        return self._first("retro_kinds", norm)

    def label(self, name: str) -> str:
        """A regex alternation matching the label's words in any language."""
        return alternation(self.labels.get(name, [name]))

    def words(self, table: str, key: str) -> str:
        """A regex alternation of one entry of a word table (``decisions``, ...)."""
        entries: dict[str, list[str]] = getattr(self, table)
        return alternation(entries.get(key, []))

    def status_pairs(self) -> list[tuple[str, str]]:
        """(word, status value) pairs, longest word first."""
        pairs = [
            (word.casefold(), status)
            for status, words in self.status_words.items()
            for word in words
        ]
        return sorted(pairs, key=lambda pair: -len(pair[0]))

    def cue_pairs(self) -> list[tuple[str, str]]:
        """(cue, status value) pairs in the order they are tried: won't finish ("didn't get
        there"), then in progress ("almost"), then finished ("done")."""
        order = ("wont_finish", "in_progress", "finished", "not_started")
        return [
            (cue.casefold(), status)
            for status in sorted(
                self.status_cues,
                key=lambda s: (s not in order, order.index(s) if s in order else 0),
            )
            for cue in self.status_cues[status]
        ]


def vocabulary_dir() -> Path:
    return resource("vocabulary")


@cache
def vocabulary() -> Vocabulary:
    """Every language file in ``resources/vocabulary``, English first; read once."""
    files = sorted(vocabulary_dir().glob("*.json"), key=lambda p: (p.stem != "en", p.stem))
    merged = Vocabulary()
    for path in files:
        merged.merge(json.loads(path.read_text(encoding="utf-8")))
    return merged
