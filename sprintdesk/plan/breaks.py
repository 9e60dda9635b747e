"""Where a long unbroken word may wrap on screen: a team or sprint name of 200 characters
without a space (imported from markdown) would otherwise set the minimum width of every label
showing it, widen its page and squeeze the agenda beside it.

Qt-free and cheap to import: the clock header's title uses it before the first paint.
"""

from __future__ import annotations

import re

BREAK = "\u200b"  # zero-width space: a place a word may wrap
_LONG_WORD = re.compile(r"\S{25,}")
_BREAK_AFTER = re.compile(r"([_/.:\\-])")


def breakable(text: str) -> str:
    """``text`` as displayed: a run of 25+ characters without a space (``Team_Platform_…``)
    may wrap after punctuation or every 20 characters. Short words are untouched."""

    def split(match: re.Match[str]) -> str:
        word = _BREAK_AFTER.sub(rf"\1{BREAK}", match.group(0))
        parts = word.split(BREAK)
        return BREAK.join(
            BREAK.join(part[i : i + 20] for i in range(0, len(part), 20)) for part in parts
        )

    return _LONG_WORD.sub(split, text)
