"""Rendering kept notes and the per-team template's optional sections: which note headings are
written as real headings (a section SprintDesk does not model, kept as a section) and which stay
escaped notes (they would read back as structure), and the hang-over section of PostHog's team
comment."""

from __future__ import annotations

from datetime import date

import pytest

from sprintdesk.markdown import render
from sprintdesk.markdown.render import render_plan
from sprintdesk.plan.model import ItemKind, Okr, OkrStatus, PlanNote, SectionKind, Sprint, TeamItem
from sprintdesk.plan.planning import create_sprint
from sprintdesk.plan.roster import add_team
from sprintdesk.storage.store import Store

# (heading text, heading level, inside a team's part, written as a heading?)
HEADINGS = [
    # Headings SprintDesk does not model are kept as sections, in the body and in a team part.
    ("Risks", 2, False, True),
    ("Risks", 2, True, True),
    ("Risks", 1, True, True),
    ("**Risks:**", 3, False, True),
    # The body's own sections, however they are dressed, would read back as structure.
    ("Retro", 2, False, False),
    ("**Retro**", 2, False, False),
    ("Retro:", 2, False, False),
    ("Sprint goals", 2, False, False),
    ("Global notes", 2, False, False),
    ("Team sprint planning", 2, False, False),
    ("Team Web", 2, False, False),
    # A retro heading is structure, except "action items" (kept notes of actions).
    ("What went well", 2, False, False),
    ("Action items", 2, False, True),
    # Inside a team's part: the team's own sections are structure at any level ...
    ("High priority", 3, True, False),
    ("Team Web", 2, True, False),
    # ... and body sections only at the team's own level (1).
    ("Sprint goals", 1, True, False),
    ("Sprint goals", 2, True, True),
    ("Global notes", 1, True, False),
    ("Global notes", 2, True, True),
    ("Team sprint planning", 1, True, False),
    ("Team sprint planning", 2, True, True),
    ("Team sprint planning:", 2, True, True),
    ("What went well", 2, True, True),
    # Nothing left to name a section.
    ("**", 2, False, False),
    (" : ", 2, True, False),
]


@pytest.mark.parametrize(("text", "level", "team", "free"), HEADINGS)
def test_a_note_heading_is_written_as_a_heading_only_where_it_cannot_read_back_as_structure(
    text: str, level: int, team: bool, free: bool
) -> None:
    assert render._free_heading(text, level, team=team) is free


def _per_team_sprint(session, *, hangover: bool, note: bool) -> Sprint:
    team = add_team(session, "Surveys")
    sprint = create_sprint(
        session, "P 1/2", date(2026, 3, 2), date(2026, 3, 13), teams=[team], template="per-team"
    )
    session.flush()
    plan = sprint.team_plans[0]
    if hangover:
        plan.items.append(
            TeamItem(kind=ItemKind.HANGOVER.value, title="Finish the exports", position=0)
        )
    if note:
        sprint.notes.append(
            PlanNote(
                section=ItemKind.HANGOVER.value,
                team_plan=plan,
                text="Blocked on legal",
                position=0,
            )
        )
    session.flush()
    return sprint


HANGOVER_HEADING = "## Hang over items from previous sprint"


@pytest.mark.parametrize(
    ("hangover", "note"), [(True, False), (False, True), (True, True)], ids=["item", "note", "both"]
)
def test_the_per_team_comment_has_a_hang_over_section_for_its_items_or_notes(
    store: Store, hangover: bool, note: bool
) -> None:
    with store.unit_of_work() as session:
        sprint = _per_team_sprint(session, hangover=hangover, note=note)
        part = render_plan(sprint).parts[1].markdown
    lines = part.splitlines()
    start = lines.index(HANGOVER_HEADING)
    end = lines.index("## Plan")
    section = [line for line in lines[start + 1 : end] if line]
    expected = (["- Finish the exports"] if hangover else []) + (
        ["Blocked on legal"] if note else []
    )
    assert section == expected
    # Between the retro and the plan, as in PostHog's comment.
    assert lines.index("## Retro") < start < end


def test_the_per_team_comment_leaves_out_an_empty_hang_over_section(store: Store) -> None:
    with store.unit_of_work() as session:
        sprint = _per_team_sprint(session, hangover=False, note=False)
        part = render_plan(sprint).parts[1].markdown
    assert HANGOVER_HEADING not in part and "Hang over" not in part
    assert "## Plan" in part


# Each section of a per-team comment with an item and kept notes; "## Sprint goals" is a body
# section, so inside a team part (below the team's own level) it is kept as a heading.
PER_TEAM_NOTES = [
    (SectionKind.TEAM.value, "Sprint goals\n## Sprint goals\n- ours"),
    (ItemKind.RETRO_HIGH.value, "## Sprint goals\nretro note"),
    (ItemKind.RETRO_LOW.value, "low retro note"),
    (ItemKind.HANGOVER.value, "## Sprint goals\nhangover note"),
    (ItemKind.HIGH.value, "## Sprint goals\nhigh note"),
    (ItemKind.LOW.value, "low note"),
]

PER_TEAM_PART = """\
# Team Surveys

**Support hero:** nobody yet

- Off during the sprint: none

Sprint goals

## Sprint goals

- ours

## Quarter goals

1. Surveys in Max - 🟢 green

## Retro

### High priority

- ⚪ Ship AI summary

## Sprint goals

retro note

### Low priority / side quests

low retro note

## Hang over items from previous sprint

- Finish the exports

## Sprint goals

hangover note

## Plan

### High priority

- Flutter release

## Sprint goals

high note

### Low priority / side quests

- Docs

low note

Are any other teams impacted? No.
"""


def test_the_per_team_comment_keeps_each_sections_notes_under_it_at_its_levels(
    store: Store,
) -> None:
    with store.unit_of_work() as session:
        sprint = _per_team_sprint(session, hangover=True, note=False)
        plan = sprint.team_plans[0]
        plan.okrs = [Okr(title="Surveys in Max", status=OkrStatus.GREEN.value, position=0)]
        plan.items.extend(
            [
                TeamItem(kind=ItemKind.RETRO_HIGH.value, title="Ship AI summary", position=1),
                TeamItem(kind=ItemKind.HIGH.value, title="Flutter release", position=2),
                TeamItem(kind=ItemKind.LOW.value, title="Docs", position=3),
            ]
        )
        for position, (section, text) in enumerate(PER_TEAM_NOTES):
            sprint.notes.append(
                PlanNote(section=section, team_plan=plan, text=text, position=position)
            )
        session.flush()
        part = render_plan(sprint).parts[1].markdown
    assert part == PER_TEAM_PART
