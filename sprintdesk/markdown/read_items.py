"""One list item of a team's section read on its own: a task (its checkbox, status emoji,
owner, helpers, carried-over mark, a hang-over's decision) and an OKR (its status as an emoji or
a word, "unknown" when it has none). No state: :mod:`sprintdesk.markdown.read_team` calls these.
"""

from __future__ import annotations

import re

from sprintdesk.markdown.forms import (
    _CHECKBOX,
    _DECISION,
    _DEPRIORITISE,
    _OKR,
    _OKR_EMOJI,
    _OKR_WORD,
    _OKR_WORDS,
    _clean,
    _parse_head,
)
from sprintdesk.markdown.parsed import ParsedItem, ParsedOkr
from sprintdesk.markdown.reading import _join_lines
from sprintdesk.plan.model import Decision, ItemKind, OkrStatus, Status

_SHORTCODES = re.compile(r"^(?::[a-z0-9_+-]{1,40}:\s*)+(?=\S)")


def _parse_team_item(content: str, kind: ItemKind) -> ParsedItem | None:
    text = _clean(content)
    checked: bool | None = None
    box = _CHECKBOX.match(text)
    if box:
        checked = box.group(1) in "xX"
        text = text[box.end() :]
    # "- [ ] :muscle: Identify ...": emoji shortcodes before the title mark the task (a team's
    # own legend says what they mean); they leave the title and stay, as written, in its note.
    marks = _SHORTCODES.match(text)
    if marks:
        text = text[marks.end() :]
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
    if marks:
        item.note = _join_lines(item.note, marks.group(0).strip())
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
