"""Rendering a plan as GitHub markdown: title, body, team parts, marker, summary, splitting."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.markdown.importer import apply_plan, parse_plan
from sprintdesk.markdown.render import (
    GITHUB_LIMIT,
    find_marker,
    plan_marker,
    plan_title,
    render_markdown_file,
    render_plan,
)
from sprintdesk.plan.model import (
    Goal,
    ItemKind,
    Person,
    PlanNote,
    Priority,
    Sprint,
    Status,
    TeamItem,
)
from sprintdesk.plan.planning import create_sprint
from sprintdesk.plan.roster import add_team
from sprintdesk.plan.templates import get_template
from sprintdesk.storage.store import Store
from tests.pg import db_url  # noqa: F401 - these tests run on SQLite and on PostgreSQL

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


def current(session: Session) -> Sprint:
    return session.scalars(select(Sprint).order_by(Sprint.id.desc())).first()  # type: ignore[return-value]


def test_title_format() -> None:
    sprint = Sprint(name="4.12.0 1/2", start=date(2026, 3, 3), end=date(2026, 3, 14))
    assert plan_title(sprint) == "Sprint 4.12.0 1/2 - Mar 3 to Mar 14"
    assert (
        plan_title(Sprint(name="Sprint 41", start=date(2026, 12, 28), end=date(2027, 1, 8)))
        == "Sprint 41 - Dec 28 to Jan 8"
    )
    assert plan_title(Sprint(name="week 18/19")) == "Sprint week 18/19"


def test_marker_round_trip() -> None:
    marker = plan_marker("0f3e9a4c-1111-2222-3333-444455556666")
    assert marker == "<!-- sprintdesk:plan=0f3e9a4c-1111-2222-3333-444455556666 -->"
    assert find_marker(f"text\n{marker}\n") == "0f3e9a4c-1111-2222-3333-444455556666"
    assert find_marker("no marker here") is None


def test_rendering_is_deterministic_and_ordered(demo_store: Store) -> None:
    with demo_store.session() as session:
        sprint = current(session)
        first = render_plan(sprint)
        second = render_plan(sprint)
        assert first == second
        assert first.parts[0].key == "body" and first.parts[0].title == "Issue body"
        teams = [p.title for p in first.parts[1:]]
        agenda = [s.title for s in sprint.sections if s.kind == "team"]
        assert teams == agenda
        assert [p.key for p in first.parts[1:]] == [
            f"team:{s.team_plan.team_id}" for s in sprint.sections if s.kind == "team"
        ]
        body = first.parts[0].markdown
        assert body.rstrip().endswith(plan_marker(sprint.uuid))
        assert first.title == plan_title(sprint)
        assert body.startswith(f"# {first.title}\n")


def test_people_as_login_else_name_and_private_notes_never_rendered(demo_store: Store) -> None:
    with demo_store.session() as session:
        sprint = current(session)
        nameless = Person(name="Zoë Without Login")
        session.add(nameless)
        sprint.goals[0].owner = nameless
        sprint.facilitator_notes = "SECRET facilitator remark"
        text = render_markdown_file(render_plan(sprint))
        assert "(Owner: Zoë Without Login)" in text
        assert "(Owner: @ana-souza)" in text
        assert "SECRET" not in text
        session.rollback()


def test_classic_body_follows_the_sample(store: Store) -> None:
    sample = (SAMPLES / "classic_global_plan.md").read_text(encoding="utf-8")
    with store.unit_of_work() as session:
        sprint = apply_plan(session, parse_plan(sample, today=date(2026, 1, 10)))
        body = render_plan(sprint).parts[0].markdown
    expected_lines = [
        "# Sprint 4.12.0 1/2 - Mar 3 to Mar 14",
        "## Global Sprint Planning",
        "### Retro: Status of Outcomes from Previous Sprint",
        "1. **Offline sync MVP** (Owner: @kwame-a) - ship behind a flag to two pilot customers",
        "    - 🎯 Goal: both pilots sync a full day of edits with zero conflicts reported",
        "    - Status: 🟢 Done. Pilots live since Tuesday, one conflict bug found and fixed.",
        "3. 🔁 **Alerting for the dead-letter queue** (Owner: @tomasz)",
        "    - Status: 🔴 Not met. Tomasz was support hero both weeks.",
        "### Retro: What can we do better next sprint?",
        "1. Plan zero product work for the support hero.",
        "### Sprint priorities",
        "3. Customer onboarding speed",
        "### Plan: Proposed Goals for Next Sprint",
        "Each goal should have a single owner. Owner can only be an engineer.",
        "1. **Billing page rewrite** (Owner: @lena.k) - finish the rewrite and remove the old page"
        " (@lena.k @marco 50:50)",
        "    - Why? The old page times out for our three largest customers.",
        "    - 🎯 Goal: p95 load under 1 second for every account",
        "2. 🔁 **Alerting for the dead-letter queue** (Owner: @tomasz)",
        "## Team sprint planning",
    ]
    lines = body.splitlines()
    for line in expected_lines:
        assert line in lines, line
    # The hand-written line under the team heading was kept and comes back in that section.
    team_heading = lines.index("## Team sprint planning")
    assert (
        "For your team sprint planning copy this template into a comment below for each team."
        in lines[team_heading:]
    )


def test_team_comments_style(demo_store: Store) -> None:
    with demo_store.session() as session:
        sprint = current(session)
        plan = render_plan(sprint, get_template("team-comments"))
        pipeline = next(p for p in plan.parts if p.title == "Team Pipeline").markdown
    assert pipeline.startswith("# Team Pipeline\n\n**Support hero:** @tomasz")
    assert "🟢=finished 🟡=in progress 🔴=won't finish ⚪=not started" in pipeline
    assert "<details>\n<summary>Retro</summary>\n\n## Retro - Tasks" in pipeline
    assert re.search(r"^- \[x\] 🟢 ", pipeline, re.M)
    assert re.search(r"^- \[ \] 🟡 ", pipeline, re.M)
    assert "- Time off: @priya_s " in pipeline and "(conference)" in pipeline
    assert "(week 2)" in pipeline  # weekly support duty
    assert "## OKR" in pipeline
    assert "Are any other teams impacted?" in pipeline
    assert ". prioritised" in pipeline and ". deprioritised" in pipeline


def test_meeting_summary_only_after_a_meeting(demo_store: Store) -> None:
    with demo_store.session() as session:
        sprints = list(session.scalars(select(Sprint).order_by(Sprint.id)))
        finished, draft = sprints[0], sprints[-1]
        assert "Meeting summary" not in render_plan(draft).parts[0].markdown
        body = render_plan(finished).parts[0].markdown
        assert "<details>\n<summary>Meeting summary</summary>" in body
        assert "| Section | Planned | Added | Actual | Difference |" in body
        first = finished.sections[0]
        planned = f"{first.timebox_seconds // 60}:{first.timebox_seconds % 60:02d}"
        assert f"| {first.title} | {planned} |" in body
        assert "| **Total** |" in body
        assert body.rstrip().endswith(plan_marker(finished.uuid))


def test_kept_notes_render_in_their_section(store: Store) -> None:
    with store.unit_of_work() as session:
        team = add_team(session, "Mobile")
        sprint = create_sprint(session, "N 1/2", date(2026, 3, 2), date(2026, 3, 13), teams=[team])
        sprint.priorities = [Priority(text="Stability", position=0)]
        session.flush()
        plan = sprint.team_plans[0]
        sprint.notes = [
            PlanNote(section="priorities", text="- looks like a list item", position=0),
            PlanNote(section="high", text="remember the beta", position=1, team_plan=plan),
        ]
        plan.items = [TeamItem(kind=ItemKind.HIGH.value, title="Crash rate", position=0)]
        rendered = render_plan(sprint)
        body, team_part = rendered.parts[0].markdown, rendered.parts[1].markdown
    assert "1. Stability\n\n\\- looks like a list item" in body
    assert "### High priority\n\n- Crash rate\n\nremember the beta" in team_part


def _huge_sprint(session: Session) -> Sprint:
    team = add_team(session, "Platform")
    sprint = create_sprint(session, "Huge 1/2", date(2026, 3, 2), date(2026, 3, 13), teams=[team])
    owner = Person(name="Ana Souza", github_login="ana")
    session.add(owner)
    long_why = "because " + "the customers keep asking for it and it matters " * 40
    sprint.goals = [
        Goal(
            title=f"Goal number {i}",
            owner=owner,
            why=long_why.strip(),
            target=f"target {i}",
            position=i,
        )
        for i in range(520)
    ]
    plan = sprint.team_plans[0]
    plan.items = [
        TeamItem(
            kind=ItemKind.HIGH.value, title=f"Item {i} " + "detail " * 30, position=i, owner=owner
        )
        for i in range(400)
    ]
    plan.items += [
        TeamItem(
            kind=ItemKind.RETRO_HIGH.value,
            title=f"Retro {i} " + "x " * 40,
            position=400 + i,
            status=Status.IN_PROGRESS.value,
        )
        for i in range(300)
    ]
    session.flush()
    return sprint


def test_a_one_megabyte_plan_splits_at_item_boundaries(store: Store) -> None:
    with store.unit_of_work() as session:
        sprint = _huge_sprint(session)
        rendered = render_plan(sprint)
        uuid = sprint.uuid
        team_id = sprint.team_plans[0].team_id
    total = sum(len(p.markdown) for p in rendered.parts)
    assert total > 1_000_000
    assert all(len(p.markdown) <= GITHUB_LIMIT for p in rendered.parts)
    keys = [p.key for p in rendered.parts]
    body_parts = [k for k in keys if k.startswith("body")]
    assert body_parts[:3] == ["body", "body#2", "body#3"]
    assert f"team:{team_id}#2" in keys
    count = len(body_parts)
    assert rendered.parts[0].title == f"Issue body (1/{count})"
    assert find_marker(rendered.parts[0].markdown) == uuid
    for index, part in enumerate(rendered.parts):
        continues = index + 1 < len(rendered.parts) and "#" in rendered.parts[index + 1].key
        if continues:
            assert "*(continued in the next comment)*" in part.markdown
        if "#" in part.key:
            number = int(part.key.split("#")[1])
            assert part.markdown.startswith(
                f"*(continued from the previous comment, part {number} of "
            )
    # The collapsed retro is closed at the end of a part and reopened in the next one.
    for part in rendered.parts:
        assert part.markdown.count("<details>") == part.markdown.count("</details>")
    # Every item is whole: reading it all back gives every goal and item, unchanged.
    parsed = parse_plan(render_markdown_file(rendered))
    assert len(parsed.goals) == 520
    assert all(g.why.startswith("because ") and g.why.endswith("matters") for g in parsed.goals)
    assert len(parsed.teams) == 1
    assert len(parsed.teams[0].items_of(ItemKind.HIGH)) == 400
    assert len(parsed.teams[0].items_of(ItemKind.RETRO_HIGH)) == 300


def test_small_limit_splits_and_round_trips(demo_store: Store) -> None:
    with demo_store.unit_of_work() as session:
        sprint = current(session)
        sprint.template = "team-comments"
        small = render_plan(sprint, limit=900)
        assert all(len(p.markdown) <= 900 for p in small.parts)
        assert len(small.parts) > len(render_plan(sprint).parts)
        imported = apply_plan(session, parse_plan(render_markdown_file(small)))
        assert imported.name == f"{sprint.name} (2)"  # names stay unique
        as_draft(sprint, imported.name)
        small = render_plan(sprint, limit=900)
        again = render_plan(imported, limit=900)
    strip = re.compile(r"sprintdesk:plan=[0-9a-f-]+")
    assert strip.sub("", render_markdown_file(again)) == strip.sub("", render_markdown_file(small))


def as_draft(sprint: Sprint, name: str) -> None:
    """What an import of ``sprint``'s export is: a draft named ``name`` whose meeting never
    ran (the summary of the original's meeting is not carried over)."""
    sprint.name = name
    for section in sprint.sections:
        section.actual_seconds, section.extension_seconds, section.visited = 0.0, 0, False


@pytest.mark.parametrize("template", ["classic", "team-comments"])
def test_export_import_export_is_identical_apart_from_the_marker(
    demo_store: Store, template: str
) -> None:
    strip = re.compile(r"sprintdesk:plan=[0-9a-f-]+")
    with demo_store.unit_of_work() as session:
        for sprint in list(session.scalars(select(Sprint).order_by(Sprint.id))):
            sprint.template = template
            first = render_markdown_file(render_plan(sprint))
            imported = apply_plan(session, parse_plan(first))
            assert imported.name == f"{sprint.name} (2)"
            assert not any(s.actual_seconds or s.extension_seconds for s in imported.sections)
            as_draft(sprint, imported.name)
            first = render_markdown_file(render_plan(sprint))
            second = render_markdown_file(render_plan(imported))
            assert strip.sub("", second) == strip.sub("", first)
            assert find_marker(second) == imported.uuid != sprint.uuid


def _hero_line_of(sprint: Sprint, team: str) -> str:
    part = next(p for p in render_plan(sprint).parts if p.title == f"Team {team}").markdown
    return next(line for line in part.splitlines() if line.startswith("**Support hero:**"))


def test_weekly_heroes_replace_the_whole_sprint_hero(demo_store: Store) -> None:
    from sprintdesk.markdown.importer import parse_team_section, team_changes
    from sprintdesk.plan.model import SupportDuty

    with demo_store.unit_of_work() as session:
        sprint = current(session)
        pipeline = next(p for p in sprint.team_plans if p.team.name == "Pipeline")
        assert pipeline.support_hero is not None and len(sprint.support_duties) == 2
        # Both weeks have a hero of their own: the whole-sprint hero is on duty in none.
        assert _hero_line_of(sprint, "Pipeline") == (
            "**Support hero:** @tomasz (week 1), @jun (week 2)"
        )
        # Only week 2 is taken: the whole-sprint hero keeps the other weeks.
        week_one = next(d for d in sprint.support_duties if d.week == 1)
        sprint.support_duties.remove(week_one)
        session.flush()
        line = _hero_line_of(sprint, "Pipeline")
        assert line == "**Support hero:** @tomasz (other weeks), @jun (week 2)"
        parsed = parse_team_section(f"# Team Pipeline\n\n{line}\n")
        assert (parsed.support_hero, parsed.duties) == ("@tomasz", [(2, "@jun")])
        # A sprint without dates has no known weeks: nothing is left out.
        start, end = sprint.start, sprint.end
        sprint.start = sprint.end = None
        sprint.support_duties.append(
            SupportDuty(team=pipeline.team, week=1, person=pipeline.support_hero)
        )
        session.flush()
        assert _hero_line_of(sprint, "Pipeline") == (
            "**Support hero:** @tomasz (other weeks), @tomasz (week 1), @jun (week 2)"
        )
        sprint.start, sprint.end = start, end
        session.flush()
        # Reading the rendered comment back (a pull) is no change to the hidden hero.
        text = next(p for p in render_plan(sprint).parts if p.title == "Team Pipeline").markdown
        assert team_changes(pipeline, parse_team_section(text, today=sprint.start)) == []


def test_per_team_template_renders_posthogs_team_comment_and_reads_back(store: Store) -> None:
    from sprintdesk.markdown.render import render_markdown_file
    from sprintdesk.plan.model import Okr, OkrStatus

    with store.unit_of_work() as session:
        team = add_team(session, "Surveys")
        sprint = create_sprint(
            session,
            "P 1/2",
            date(2026, 3, 2),
            date(2026, 3, 13),
            teams=[team],
            template="per-team",
        )
        session.flush()
        plan = sprint.team_plans[0]
        lena = Person(name="Lena", github_login="lena-k")
        plan.support_hero = lena
        plan.okrs = [Okr(title="Surveys in Max", status=OkrStatus.YELLOW.value, position=0)]
        plan.items = [
            TeamItem(
                kind=ItemKind.RETRO_HIGH.value,
                title="Ship AI summary",
                position=0,
                status=Status.FINISHED.value,
                owner=lena,
            ),
            TeamItem(kind=ItemKind.HIGH.value, title="Flutter release", position=1),
            TeamItem(kind=ItemKind.LOW.value, title="Docs", position=2),
        ]
        plan.other_teams_impacted = "Max AI"
        sprint.notes = [PlanNote(section="other", text="### Incident 42", position=0)]
        rendered = render_plan(sprint)
        text = render_markdown_file(rendered)
        body, team_part = rendered.parts[0].markdown, rendered.parts[1].markdown
    assert body.index("## List of incidents") < body.index("### Incident 42")
    for line in (
        "**Support hero:** @lena-k",
        "- Off during the sprint: none",
        "## Quarter goals",
        "1. Surveys in Max - 🟡 yellow",
        "## Retro",
        "- 🟢 Ship AI summary @lena-k",
        "## Plan",
        "### High priority\n\n- Flutter release",
        "### Low priority / side quests\n\n- Docs",
        "Are any other teams impacted? Max AI",
    ):
        assert line in team_part, line
    again = parse_plan(text, today=date(2026, 1, 10))
    assert again.template == "per-team"
    (parsed,) = again.teams
    assert parsed.support_hero == "@lena-k"
    assert [(o.title, o.status) for o in parsed.okrs] == [("Surveys in Max", OkrStatus.YELLOW)]
    assert [(i.kind, i.title) for i in parsed.items] == [
        (ItemKind.RETRO_HIGH, "Ship AI summary"),
        (ItemKind.HIGH, "Flutter release"),
        (ItemKind.LOW, "Docs"),
    ]
    assert parsed.impacted == "Max AI"
    assert [n.text for n in again.notes] == ["### Incident 42"]
    with store.unit_of_work() as session:
        second_sprint = apply_plan(session, again)
        second = render_markdown_file(render_plan(second_sprint))
        session.delete(second_sprint)  # the next import keeps the name
    third_plan = parse_plan(second, today=date(2026, 1, 10))
    with store.unit_of_work() as session:
        third = render_markdown_file(render_plan(apply_plan(session, third_plan)))
    strip = lambda t: re.sub(r"<!-- sprintdesk:plan=[^>]*-->", "", t)  # noqa: E731
    assert strip(third) == strip(second)


def test_a_trailing_login_is_the_owner_and_never_written_twice(store: Store) -> None:
    """Issue 14 item 8: "- Fix login @lena-k" under High priority (and a retro action) takes
    @lena-k as the owner; an owner set by hand on a title that already names them is not
    repeated ("@lena-k @lena-k"), in the export or the next sprint's hang-over."""
    text = (
        "# Sprint 3\n\n## Retro: What can we do better next sprint?\n\n"
        "1. Action: write the runbook @lena-k\n\n"
        "# Team Web\n\n### High priority\n\n- Fix the login page @lena-k\n"
    )
    parsed = parse_plan(text)
    assert [(n.text, n.owner) for n in parsed.retro_notes] == [("write the runbook", "@lena-k")]
    assert [(i.title, i.owner) for i in parsed.teams[0].items] == [
        ("Fix the login page", "@lena-k")
    ]
    with store.unit_of_work() as session:
        sprint = apply_plan(session, parsed)
        item = sprint.team_plans[0].items[0]
        item.title = "Fix the login page @lena-k"  # typed with the handle, owner set by hand
        team_part = render_plan(sprint).parts[1].markdown
    assert "- Fix the login page @lena-k\n" in team_part + "\n"
    assert "@lena-k @lena-k" not in team_part
