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


def test_outcome_statuses_written_as_prose() -> None:
    """A status in words, after the title: in parentheses, after the owner's handle, after
    '>' or as a bold word after a dash; the cues say how it went (won't finish, then in
    progress, then finished), and the words stay in the description."""
    text = SPRINT + (
        "## Retro: Status of Outcomes from Previous Sprint\n\n"
        "1. Demo data live (@ana) (**status**: almost there, ready at the end of the week)\n"
        "1. Close out groups @ben Status: query is done, funnels coming up\n"
        "1. Happy growth team @cy > Raquel is 11/10 happy so done.\n"
        "1. Fix issue 13147 @dee > Did some cleanup, but didn't get to the ideal state.\n"
        "1. persons-on-events @eve - **Done**: implementation to resolve pending\n"
        "1. Limpiar el código @fay (**status**: casi listo)\n"
        "1. Fix the status: page @gus\n"
        "1. Write the docs (**status**: asked the writers)\n"
    )
    plan = parse_plan(text, today=TODAY)
    assert [(o.title, o.owner, o.status) for o in plan.outcomes] == [
        ("Demo data live", "@ana", Status.IN_PROGRESS),
        ("Close out groups", "@ben", Status.IN_PROGRESS),
        ("Happy growth team", "@cy", Status.FINISHED),
        ("Fix issue 13147", "@dee", Status.WONT_FINISH),
        ("persons-on-events", "@eve", Status.FINISHED),
        ("Limpiar el código", "@fay", Status.IN_PROGRESS),
        ("Fix the status: page", "@gus", Status.NOT_STARTED),  # a title's words, no status
        ("Write the docs", None, Status.NOT_STARTED),  # words that say nothing: not stated
    ]
    described = [o.description for o in plan.outcomes]
    assert described[0] == "Status: almost there, ready at the end of the week"
    assert described[1] == "Status: query is done, funnels coming up"
    assert described[4] == "Status: Done: implementation to resolve pending"
    assert described[7] == "Status: asked the writers"


def test_emoji_shortcodes_before_a_task_title_mark_it() -> None:
    """An iteration plan's legend marks tasks with shortcodes (":muscle:" a stretch goal): they
    leave the title and stay, as written, in the task's note."""
    text = (
        "## Plan items\n\n"
        "- [ ] :muscle: Identify design inconsistencies @misolori\n"
        "- [x] :runner: :hand: Accessibility pass\n"
        "- [ ] Keep :tada: in the middle\n"
    )
    plan = parse_plan(text, today=TODAY, default_team="vscode")
    (team,) = plan.teams
    assert [(i.title, i.owner, i.status, i.note) for i in team.items] == [
        ("Identify design inconsistencies", "@misolori", Status.NOT_STARTED, ":muscle:"),
        ("Accessibility pass", None, Status.FINISHED, ":runner: :hand:"),
        ("Keep :tada: in the middle", None, Status.NOT_STARTED, ""),
    ]


def test_headings_written_in_bold_and_github_tasklist_blocks() -> None:
    """ "**Previous sprint goal:**" alone on its line is the outcomes heading; a bold line
    naming no section, or naming a meeting ("**Retro 1:**"), stays a note. A ```[tasklist]
    block is GitHub's own list, read as content; any other fence is not."""
    text = (
        "**Retro 1:**\n\n"
        "**Previous sprint goal:**\n- Ship the importer\n\n"
        "**New sprint goal:**\n- Faster start-up @ana\n\n"
        "**What else can we fit in?**\n- Dark mode\n\n"
        "```[tasklist]\n### Rota\n- [ ] Alina B\n```\n"
        "```\n- [ ] Quoted template item\n```\n"
    )
    plan = parse_plan(text, today=TODAY, default_team="web")
    assert [o.title for o in plan.outcomes] == ["Ship the importer"]
    # A bold line naming no section is a note, as a plain line is: the list goes on.
    assert [(g.title, g.owner) for g in plan.goals] == [
        ("Faster start-up", "@ana"),
        ("Dark mode", None),
    ]
    notes = [n.text for n in plan.notes]
    assert "**Retro 1:**" in notes and "**What else can we fit in?**" in notes
    assert "### Rota" in notes and "- [ ] Alina B" in notes  # the rota, read from the block
    assert plan.support_hero == "Alina B"
    assert [i.title for t in plan.teams for i in t.items] == []  # the quoted one is not read


def test_a_lead_in_sentence_opens_the_section_it_names() -> None:
    """ "The main goals for this iteration are:" opens the goals for the list under it and
    stays as a note; the next heading, at any level, ends it."""
    text = (
        "### Plan\n\nThe main goals for this iteration are:\n\n"
        "- Add support for Gitlab (Adam)\n- Ship the workflow\n\n"
        "### Availability\n\n- Unrelated list\n\n"
        "We will talk about these:\n\n- Not goals\n"
    )
    plan = parse_plan(text, today=TODAY)
    assert [g.title for g in plan.goals] == ["Add support for Gitlab (Adam)", "Ship the workflow"]
    notes = [n.text for n in plan.notes]
    assert "The main goals for this iteration are:" in notes
    assert "- Unrelated list" in notes and "- Not goals" in notes


def test_a_dates_line_under_the_title_gives_the_sprint_s_dates() -> None:
    plan = parse_plan("# Sprint 37\nDate: October 12, 2015\n\n## Sprint Goals\n\n- Ship\n")
    assert (plan.name, plan.start, plan.end) == ("37", date(2015, 10, 12), None)
    assert "Date: October 12, 2015" in [n.text for n in plan.notes]
    dated = parse_plan(SPRINT + "Dates: Oct 12 to Oct 23, 2015\n", today=TODAY)
    assert (dated.start, dated.end) == (date(2026, 3, 2), date(2026, 3, 13))  # the title's
    spanish = parse_plan("# Sprint 4\n**Fechas:** del 3 al 14 de marzo de 2025\n")
    assert (spanish.start, spanish.end) == (date(2025, 3, 3), date(2025, 3, 14))


def test_a_rota_checklist_names_the_support_hero() -> None:
    """Under a "Rota" heading, a checklist of names is the order people take turns in: the
    first unticked one is on support now; the list stays, as written. A task there is a task."""
    text = (
        "### Rota\n\n- [x] Ana B\n- [ ] Ben C\n- [ ] Cy D\n"
        "- [ ] Fix the pager rotation script\n\n### Tasks\n\n- [ ] Jo E\n"
    )
    plan = parse_plan(text, today=TODAY, default_team="web")
    assert plan.support_hero == "Ben C"
    notes = [n.text for n in plan.notes]
    assert [n for n in notes if "[" in n] == ["- [x] Ana B", "- [ ] Ben C", "- [ ] Cy D"]
    assert [i.title for t in plan.teams for i in t.items] == [
        "Fix the pager rotation script",
        "Jo E",
    ]
