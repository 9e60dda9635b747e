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
