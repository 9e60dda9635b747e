"""The plan's words, defined once: sprint states, section kinds, statuses, retro and team-item
kinds, and the order the pages show their lists in.

Imported by the model (:mod:`sprintdesk.plan.model`), the meeting clock and the start-up reader
(:mod:`sprintdesk.storage.opening`), which paints the plan before SQLAlchemy loads: so nothing
here imports SQLAlchemy or Qt, and the two paths cannot drift apart.
"""

from __future__ import annotations

from enum import StrEnum


class SprintState(StrEnum):
    DRAFT = "draft"
    IN_MEETING = "in_meeting"
    PLANNED = "planned"
    PUBLISHED = "published"


class Status(StrEnum):
    """Status of a previous goal or team item: 🟢 🟡 🔴 ⚪."""

    FINISHED = "finished"
    IN_PROGRESS = "in_progress"
    WONT_FINISH = "wont_finish"
    NOT_STARTED = "not_started"


STATUS_EMOJI: dict[Status, str] = {
    Status.FINISHED: "🟢",
    Status.IN_PROGRESS: "🟡",
    Status.WONT_FINISH: "🔴",
    Status.NOT_STARTED: "⚪",
}
# How the status pickers (and the first frame's cards) word a status, after its emoji.
STATUS_WORDS: dict[Status, str] = {
    Status.FINISHED: "finished",
    Status.IN_PROGRESS: "in progress",
    Status.WONT_FINISH: "won't finish",
    Status.NOT_STARTED: "not started",
}


class RetroKind(StrEnum):
    """The retro's lists, in the order the retro page shows them."""

    WENT_WELL = "went_well"
    TO_IMPROVE = "to_improve"
    ACTION = "action"


class SectionKind(StrEnum):
    """What an agenda section is about; each kind has its own page in the UI."""

    OUTCOMES = "outcomes"
    RETRO = "retro"
    PRIORITIES = "priorities"
    GOALS = "goals"
    TEAM = "team"
    SUMMARY = "summary"
    OTHER = "other"


class ItemKind(StrEnum):
    """The lists a team plan holds, in the order the team page shows them: last sprint's
    priorities, the hang-overs, then this sprint's high and low priorities."""

    RETRO_HIGH = "retro_high"
    RETRO_LOW = "retro_low"
    HANGOVER = "hangover"
    HIGH = "high"
    LOW = "low"


# The lists' order as plain strings (what the start-up reader sorts its SQL by).
RETRO_ORDER: tuple[str, ...] = tuple(kind.value for kind in RetroKind)
TEAM_ITEM_ORDER: tuple[str, ...] = tuple(kind.value for kind in ItemKind)
