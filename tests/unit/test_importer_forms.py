"""The forms real teams write, one by one (issue 13's list): teams, heroes, statuses, owners,
time off, retro parts, OKRs without a status, task lists."""

from __future__ import annotations

from datetime import date

from sprintdesk.markdown.parse import parse_plan, parse_post
from sprintdesk.plan.model import ItemKind, OkrStatus, RetroKind, Status

TODAY = date(2026, 1, 10)
SPRINT = "# Sprint 9 - Mar 2 to Mar 13, 2026\n\n"


def test_team_named_by_a_plain_first_line_in_a_comment() -> None:
    plan = parse_post("Team Platform\n\n## Retro & hang over\n\n- Ship it @ana\n", comment=True)
    (team,) = plan.teams
    assert team.name == "Platform"
    assert [(i.kind, i.title, i.owner) for i in team.items] == [
        (ItemKind.RETRO_HIGH, "Ship it", "@ana")
    ]


def test_team_named_by_a_comments_first_heading() -> None:
    plan = parse_post("Draft.\n\n### Query Engine\n\n**Support:** Ben\n", comment=True)
    assert [(t.name, t.support_hero) for t in plan.teams] == [("Query Engine", "Ben")]


def test_support_heroes_in_every_form() -> None:
    text = SPRINT + (
        "# Team A\n\n@kim support hero\n\n# Team B\n\n**Support hero:** Michael 1st week, "
        "Robbie 2nd week.\n\n# Team C\n\nSupport hero:\n- Tom\n"
    )
    a, b, c = parse_plan(text, today=TODAY).teams
    assert a.support_hero == "@kim"
    assert b.duties == [(1, "Michael"), (2, "Robbie")]
    assert c.support_hero == "Tom"


def test_statuses_owners_from_emoji_bold_words_and_sub_bullets() -> None:
    text = SPRINT + (
        "## Retro: Status of Outcomes from Previous Sprint\n\n"
        "1. ✅ **Search (Owner: @ana)** - MVP\n"
        "2. Deploy groups **In progress, lots to do**\n\n"
        "# Team Web\n\n## Retro\n\n- @bo Messaging v0\n   - 🔴 no progress\n"
        "- Fix login 🟡 @lena-k\n"
    )
    plan = parse_plan(text, today=TODAY)
    assert [(o.title, o.owner, o.status) for o in plan.outcomes] == [
        ("Search", "@ana", Status.FINISHED),
        ("Deploy groups", None, Status.IN_PROGRESS),
    ]
    assert [(i.title, i.owner, i.status) for i in plan.teams[0].items] == [
        ("Messaging v0", "@bo", Status.WONT_FINISH),
        ("Fix login", "@lena-k", Status.IN_PROGRESS),
    ]


def test_free_form_time_off_read_against_the_sprints_dates() -> None:
    text = SPRINT + (
        "# Team Web\n\n* @ana on vacation 9th to 11th\n* AFK March 12-13 @bo\n* 2 days PTO - @cy\n"
    )
    (team,) = parse_plan(text, today=TODAY).teams
    assert [(t.person, t.start, t.end) for t in team.time_off] == [
        ("@ana", date(2026, 3, 9), date(2026, 3, 11)),
        ("@bo", date(2026, 3, 12), date(2026, 3, 13)),
    ]
    assert "@cy" in team.time_off_note  # no dates: kept, not invented


def test_okrs_without_status_are_unknown() -> None:
    text = SPRINT + "# Team Web\n\n## OKRs\n\n* Messaging V1\n* 🟠 Objective 2: speed\n"
    (team,) = parse_plan(text, today=TODAY).teams
    assert [(o.title, o.status) for o in team.okrs] == [
        ("Messaging V1", OkrStatus.UNKNOWN),
        ("Objective 2: speed", OkrStatus.YELLOW),
    ]


def test_plain_line_retro_parts_and_bullets() -> None:
    text = "Positives?\n•\tSprint Planning.\n\nWhat didn’t go well :\n•\tPO sign off.\n"
    plan = parse_post(text, title="19.4 Retrospective")
    assert [(n.kind, n.text) for n in plan.retro_notes] == [
        (RetroKind.WENT_WELL, "Sprint Planning."),
        (RetroKind.TO_IMPROVE, "PO sign off."),
    ]


def test_task_lists_of_an_iteration_plan_and_owner_headings() -> None:
    text = "### Workbench\n\n- [x] Polish settings @sandy081\n\n### @RichardLitt\n\n- [ ] Docs\n"
    plan = parse_post(text, title="January Iteration Plan", default_team="vscode")
    (team,) = plan.teams
    assert team.name == "vscode"
    assert [(i.title, i.owner, i.status) for i in team.items] == [
        ("Polish settings", "@sandy081", Status.FINISHED),
        ("Docs", "@RichardLitt", Status.NOT_STARTED),
    ]
    assert [n.text for n in plan.notes] == ["### Workbench", "### @RichardLitt"]


def test_tables_matched_by_header_name() -> None:
    text = SPRINT + (
        "## Plan: Proposed Goals for Next Sprint\n\n"
        "| Goal | Owner | Why |\n|---|---|---|\n| Faster search | @ana | users wait |\n\n"
        "## Sprint priorities\n\n| Priority |\n| --- |\n| Stability |\n"
    )
    plan = parse_plan(text, today=TODAY)
    assert [(g.title, g.owner, g.description) for g in plan.goals] == [
        ("Faster search", "@ana", "why: users wait")
    ]
    assert plan.priorities == ["Stability"]


def test_low_prio_line_under_a_retro() -> None:
    text = SPRINT + "# Team Web\n\n## Retro\n\n- ✅ Ship it\n\nLow prio:\n- ⚪ Docs\n"
    (team,) = parse_plan(text, today=TODAY).teams
    assert [(i.kind, i.title) for i in team.items] == [
        (ItemKind.RETRO_HIGH, "Ship it"),
        (ItemKind.RETRO_LOW, "Docs"),
    ]


def test_team_sprint_planning_inside_a_team_comment_holds_its_high_priorities() -> None:
    """A team comment with "### Team sprint planning" over its list (PostHog, 2023): the list
    is the team's high priority, owners and the "Why?" lines kept with the items."""
    text = (
        "Team product analytics priorities for this sprint.\n\n@ana support hero\n\n"
        "### Team sprint planning\n\nPriorities for @ana and @ben\n\n"
        "- Performance - persons on events v2 @ana\nWhy? Needed for big clients.\n\n"
        "- HogQL - keep wrapping it up @ben @ana\n"
    )
    plan = parse_post(text, comment=True, today=date(2023, 3, 20))
    (team,) = plan.teams
    assert [(i.kind.value, i.title, i.owner) for i in team.items] == [
        ("high", "Performance - persons on events v2", "@ana"),
        ("high", "HogQL - keep wrapping it up", "@ben"),
    ]
    kept = " ".join([n.text for n in team.notes] + [i.note for i in team.items])
    assert "Needed for big clients" in kept and "Priorities for @ana and @ben" in kept


def test_a_task_lists_sub_tasks_are_tasks_of_their_own() -> None:
    """An iteration plan's "- [ ] task" with "  - [ ] sub-task" under it (IPFS, 2015): each
    sub-task is a task, after its parent, with the parent's owner unless it names its own;
    other sub-bullets stay the parent's note."""
    text = (
        "# Sprint 37 - Oct 12\n\n### @dig\n\n"
        "- [ ] Packaging setup\n"
        "  - [ ] Fix the infinite restarts\n"
        "  - [x] Automated release @ana\n"
        "  - remember the signing key\n"
        "- [x] Documentation\n"
    )
    plan = parse_post(text, today=date(2015, 10, 1))
    items = [(i.title, i.owner, i.status) for t in plan.teams for i in t.items]
    assert items == [
        ("Packaging setup", "@dig", Status.NOT_STARTED),
        ("Fix the infinite restarts", "@dig", Status.NOT_STARTED),
        ("Automated release", "@ana", Status.FINISHED),
        ("Documentation", "@dig", Status.FINISHED),
    ]
    packaging = plan.teams[0].items[0]
    assert packaging.note == "remember the signing key"
