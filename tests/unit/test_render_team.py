"""A team's part as markdown (sprintdesk.markdown.render): the support hero and time-off lines,
retro tasks, hang-over decisions, OKRs, and the order of the team parts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.orm import Session

from sprintdesk.markdown.render import render_markdown_file, render_plan
from sprintdesk.plan.model import (
    Goal,
    GoalContributor,
    ItemKind,
    Okr,
    Person,
    PlanNote,
    Sprint,
    Team,
    TeamItem,
    TimeOff,
)
from sprintdesk.plan.planning import create_sprint
from sprintdesk.storage.store import Store

START, END = date(2026, 3, 2), date(2026, 3, 13)

Plan = tuple[Session, Sprint, Person, Person, Team]


@pytest.fixture
def plan(store: Store) -> Iterator[Plan]:
    session = store.session()
    ana = Person(name="Ana Souza", github_login="ana")
    bo = Person(name="Bo Berg")  # no GitHub login
    core = Team(name="Core", members=[ana, bo], position=0)
    session.add(core)
    session.flush()
    sprint = create_sprint(session, "7 1/2", START, END, template="team-comments")
    session.flush()
    yield session, sprint, ana, bo, core
    session.close()


def _team_part(sprint: Sprint, team: str = "Core") -> list[str]:
    part = next(p for p in render_plan(sprint).parts if p.title == f"Team {team}")
    return part.markdown.splitlines()


def _line(lines: list[str], start: str) -> str:
    return next(line for line in lines if line.startswith(start))


def test_without_a_hero_the_line_says_nobody_yet(plan: Plan) -> None:
    _session, sprint, *_ = plan
    assert _line(_team_part(sprint), "**Support hero:**") == "**Support hero:** nobody yet"


def test_a_hero_without_a_login_is_named(plan: Plan) -> None:
    session, sprint, _ana, bo, _core = plan
    sprint.team_plans[0].support_hero = bo
    session.flush()
    assert _line(_team_part(sprint), "**Support hero:**") == "**Support hero:** Bo Berg"


def test_time_off_in_date_order_with_half_days_and_notes(plan: Plan) -> None:
    session, sprint, ana, bo, _core = plan
    outsider = Person(name="Out", github_login="out")
    sprint.time_off = [
        TimeOff(person=bo, start=date(2026, 3, 9), end=date(2026, 3, 10), note="dentist"),
        TimeOff(person=ana, start=date(2026, 3, 3), end=date(2026, 3, 3), half_day=True),
        TimeOff(person=outsider, start=START, end=END),  # not in the team
        TimeOff(
            person=ana, start=date(2026, 3, 30), end=date(2026, 4, 2), half_day=True, note="trip"
        ),
    ]
    sprint.team_plans[0].time_off_note = "Public holiday on Friday"
    session.flush()
    assert _line(_team_part(sprint), "- Time off:") == (
        "- Time off: @ana Mar 3 (half day), Bo Berg Mar 9-10 (dentist), "
        "@ana Mar 30-Apr 2 (half day; trip). Public holiday on Friday"
    )


def test_time_off_note_alone_and_none_at_all(plan: Plan) -> None:
    session, sprint, *_ = plan
    assert _line(_team_part(sprint), "- Time off:") == "- Time off: none"
    sprint.team_plans[0].time_off_note = "Nobody away"
    session.flush()
    assert _line(_team_part(sprint), "- Time off:") == "- Time off: Nobody away"


def test_the_classic_template_leaves_out_an_empty_time_off_line(plan: Plan) -> None:
    session, sprint, *_ = plan
    sprint.template = "classic"
    session.flush()
    assert not any(line.startswith("- Time off:") for line in _team_part(sprint))


def test_retro_tasks_hangovers_and_okrs(plan: Plan) -> None:
    session, sprint, ana, bo, _core = plan
    team_plan = sprint.team_plans[0]
    team_plan.items = [
        TeamItem(
            kind=ItemKind.RETRO_HIGH.value,
            title="Done thing",
            owner=ana,
            status="finished",
            position=0,
        ),
        TeamItem(
            kind=ItemKind.RETRO_HIGH.value,
            title="Open thing",
            owner=bo,
            status="in_progress",
            carried_over=True,
            note="half way\nsecond line",
            position=1,
        ),
        TeamItem(
            kind=ItemKind.HANGOVER.value,
            title="Kept",
            decision="prioritise",
            note="still needed",
            position=2,
        ),
        TeamItem(
            kind=ItemKind.HANGOVER.value, title="Dropped", decision="deprioritise", position=3
        ),
        TeamItem(kind=ItemKind.HANGOVER.value, title="Undecided", note="ask Ana", position=4),
        TeamItem(
            kind=ItemKind.HIGH.value, title="Carried", carried_over=True, owner=ana, position=5
        ),
    ]
    team_plan.okrs = [
        Okr(title="Uptime", status="yellow", note="two incidents", position=0),
        Okr(title="Odd", status="green", position=1),
    ]
    session.flush()
    lines = _team_part(sprint)
    assert "- [x] 🟢 Done thing @ana" in lines
    assert "- [ ] 🟡 🔁 Open thing (Owner: Bo Berg)" in lines
    assert "    - half way" in lines and "    - second line" in lines
    assert "- Kept. prioritised (still needed)" in lines
    assert "- Dropped. deprioritised" in lines
    assert "- Undecided" in lines and "    - ask Ana" in lines
    assert "1. Uptime - 🟡 yellow - two incidents" in lines
    assert "2. Odd - 🟢 green" in lines
    assert "- 🔁 Carried @ana" in lines


def test_retro_items_in_the_classic_template_have_no_task_boxes(plan: Plan) -> None:
    session, sprint, ana, _bo, _core = plan
    sprint.template = "classic"
    sprint.team_plans[0].items = [
        TeamItem(kind=ItemKind.RETRO_LOW.value, title="Low one", owner=ana, position=0)
    ]
    session.flush()
    assert "- ⚪ Low one @ana" in _team_part(sprint)


def test_contributors_with_and_without_logins(plan: Plan) -> None:
    session, sprint, ana, bo, _core = plan
    sprint.goals = [
        Goal(
            title="Mixed",
            owner=ana,
            position=0,
            contributors=[
                GoalContributor(person=ana, share=60, position=0),
                GoalContributor(person=bo, share=40, position=1),
            ],
        )
    ]
    session.flush()
    body = render_plan(sprint).parts[0].markdown
    assert "1. **Mixed** (Owner: @ana) (@ana, Bo Berg 60:40)" in body


def test_team_parts_follow_the_agenda_and_plans_without_a_section_go_last(plan: Plan) -> None:
    session, sprint, _ana, _bo, core = plan
    web = Team(name="Web", position=1)
    ops = Team(name="Ops", position=2)
    session.add_all([web, ops])
    session.flush()
    other = create_sprint(session, "8 1/2", START, END, teams=[core, web, ops])
    session.flush()
    sections = [s for s in other.sections if s.kind == "team"]
    # Move Ops's section first, and drop Core's section from the agenda.
    sections[2].position, sections[0].position = -1, 99
    other.sections.remove(sections[0])
    session.flush()
    titles = [p.title for p in render_plan(other).parts[1:]]
    assert titles == ["Team Ops", "Team Web", "Team Core"]


def test_the_markdown_file_names_each_part_and_defuses_comment_ends(plan: Plan) -> None:
    session, sprint, _ana, _bo, core = plan
    core.name = "Core--Ops"
    session.flush()
    text = render_markdown_file(render_plan(sprint))
    assert "\n---\n\n<!-- Team Core- -Ops -->\n\n# Team Core--Ops" in text


def _full_team_plan(session: Session, sprint: Sprint, ana: Person, bo: Person) -> None:
    plan = sprint.team_plans[0]
    plan.support_hero = ana
    plan.items = [
        TeamItem(kind="retro_high", title="Retro one", status="finished", owner=bo, position=0),
        TeamItem(kind="retro_low", title="Retro two", status="wont_finish", position=1),
        TeamItem(
            kind="hangover", title="Hang", decision="prioritise", note="line a\nline b", position=2
        ),
        TeamItem(kind="high", title="High one", owner=ana, note="why", position=3),
        TeamItem(kind="low", title="Low one", position=4),
    ]
    plan.okrs = [Okr(title="Odd", status="green", position=0)]
    web = Team(name="Web")
    session.add(web)
    session.flush()
    other = create_sprint(session, "other", teams=[web])
    session.flush()
    sprint.notes = [
        PlanNote(section="team", text="team note", team_plan=plan, position=0),
        PlanNote(section="retro_high", text="retro high note", team_plan=plan, position=1),
        PlanNote(section="retro_low", text="retro low note", team_plan=plan, position=2),
        PlanNote(section="hangover", text="hangover note", team_plan=plan, position=3),
        PlanNote(section="high", text="high note", team_plan=plan, position=4),
        PlanNote(section="low", text="low note", team_plan=plan, position=5),
        PlanNote(section="team", text="body team note", position=6),
        PlanNote(
            section="high", text="another team's note", position=7, team_plan=other.team_plans[0]
        ),
    ]
    session.flush()


TEAM_COMMENTS_PART = """# Team Core

**Support hero:** @ana

- Time off: none

team note

🟢=finished 🟡=in progress 🔴=won't finish ⚪=not started

<details>
<summary>Retro</summary>

## Retro - Tasks

### High priority

- [x] 🟢 Retro one (Owner: Bo Berg)

retro high note

### Low priority / side quests

- [ ] 🔴 Retro two

retro low note

</details>

## Hang over items from previous sprint

- Hang. prioritised (line a line b)

hangover note

## OKR

1. Odd - 🟢 green

### High priority

- High one @ana
    - why

high note

### Low priority / side quests

- Low one

low note

Are any other teams impacted? No.
"""


def test_a_team_part_in_the_team_comments_template_word_for_word(plan: Plan) -> None:
    session, sprint, ana, bo, _core = plan
    _full_team_plan(session, sprint, ana, bo)
    rendered = render_plan(sprint)
    assert rendered.parts[1].markdown == TEAM_COMMENTS_PART
    assert "body team note" in rendered.parts[0].markdown
    assert "another team's note" not in render_markdown_file(rendered)


def test_a_team_part_in_the_classic_template_word_for_word(plan: Plan) -> None:
    session, sprint, ana, bo, _core = plan
    _full_team_plan(session, sprint, ana, bo)
    sprint.template = "classic"
    session.flush()
    expected = (
        TEAM_COMMENTS_PART.replace("- Time off: none\n\n", "")
        .replace("🟢=finished 🟡=in progress 🔴=won't finish ⚪=not started\n\n", "")
        .replace("<details>\n<summary>Retro</summary>\n\n## Retro - Tasks", "## Retro")
        .replace("\n\n</details>", "")
        .replace("- [x] ", "- ")
        .replace("- [ ] ", "- ")
        .replace("\n\nAre any other teams impacted? No.", "")
    )
    assert render_plan(sprint).parts[1].markdown == expected
    sprint.team_plans[0].other_teams_impacted = "  Web,\nfor the API "
    session.flush()
    assert (
        render_plan(sprint)
        .parts[1]
        .markdown.endswith("low note\n\nAre any other teams impacted? Web, for the API\n")
    )


def test_the_body_word_for_word(store: Store) -> None:
    from sprintdesk.plan.model import OutcomeReview, RetroNote

    with store.unit_of_work() as session:
        ana = Person(name="Ana Souza", github_login="ana")
        core = Team(name="Core", members=[ana])
        session.add(core)
        session.flush()
        sprint = create_sprint(session, "7 1/2", START, END, teams=[])
        sprint.outcomes = [
            OutcomeReview(title="Old", owner=ana, was_carried=True, position=0, status="bogus")
        ]
        sprint.retro_notes = [
            RetroNote(kind="went_well", text="Good", position=0),
            RetroNote(kind="action", text="Do", owner=ana, position=1),
            RetroNote(kind="to_improve", text="Less", position=2),
        ]
        sprint.goals = [
            Goal(title="Bare", owner=ana, why="", target="", position=0),
            Goal(
                title="Full",
                owner=ana,
                why="because",
                target="done",
                confidence="unlikely",
                team=core,
                position=1,
            ),
        ]
        session.flush()
        body = render_plan(sprint).parts[0].markdown
    assert body.split("\n\n<!-- sprintdesk:meta")[0] == "\n".join(
        [
            "# Sprint 7 1/2 - Mar 2 to Mar 13",
            "",
            "## Global Sprint Planning",
            "",
            "### Retro: Status of Outcomes from Previous Sprint",
            "",
            "1. **Old** (Owner: @ana)",
            "    - Status: ⚪ Not started.",
            "    - 🔁 Carried over before",
            "",
            "### Retro: What can we do better next sprint?",
            "",
            "1. Went well: Good",
            "2. Action: Do (Owner: @ana)",
            "3. Less",
            "",
            "### Sprint priorities",
            "",
            "### Plan: Proposed Goals for Next Sprint",
            "",
            "Each goal should have a single owner. Owner can only be an engineer.",
            "",
            "1. **Bare** (Owner: @ana)",
            "2. **Full** (Owner: @ana)",
            "    - Why? because",
            "    - 🎯 Goal: done",
            "    - Confidence: unlikely",
            "    - Team: Core",
            "",
            "## Team sprint planning",
            "",
            "Each team plans in its own comment below.",
        ]
    )
