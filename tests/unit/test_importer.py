"""Importing markdown: the sample plans, hand-written variants, bad input, applying to the
database, and one team's section onto an existing team plan."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sprintdesk.markdown.importer import (
    PlanImportError,
    apply_plan,
    apply_team,
    decode,
    import_summary,
    parse_plan,
    parse_team_section,
    require_plan,
    team_changes,
)
from sprintdesk.markdown.render import render_plan
from sprintdesk.plan.model import (
    Decision,
    ItemKind,
    OkrStatus,
    Person,
    RetroKind,
    SectionKind,
    Sprint,
    Status,
    Team,
)
from sprintdesk.storage.store import Store
from tests.pg import db_url  # noqa: F401 - these tests run on SQLite and on PostgreSQL

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
TODAY = date(2026, 1, 10)


def sample(name: str) -> str:
    return decode((SAMPLES / name).read_bytes())


# --- the samples, with what their README lists -----------------------------------------


def test_classic_global_plan_sample() -> None:
    plan = parse_plan(sample("classic_global_plan.md"), today=TODAY)
    assert plan.name == "4.12.0 1/2"
    assert (plan.start, plan.end) == (date(2026, 3, 3), date(2026, 3, 14))
    assert [(o.title, o.owner, o.status) for o in plan.outcomes] == [
        ("Offline sync MVP", "@kwame-a", Status.FINISHED),
        ("Billing page rewrite", "@lena.k", Status.IN_PROGRESS),
        ("Alerting for the dead-letter queue", "@tomasz", Status.WONT_FINISH),
        ("Search relevance", "@priya_s", Status.NOT_STARTED),
    ]
    assert [o.target for o in plan.outcomes] == [
        "both pilots sync a full day of edits with zero conflicts reported",
        "page loads in under 1 second for the largest account",
        "on-call is paged within 5 minutes of the queue growing",
        "",
    ]
    assert [o.carry_over for o in plan.outcomes] == [False, False, True, False]
    assert plan.outcomes[1].note == "Loads in 1.8 s; the invoice query still needs an index."
    assert [n.text for n in plan.retro_notes] == [
        "Plan zero product work for the support hero.",
        "Write down the owner's availability before assigning goals.",
        "Book usability sessions in week one, not at the end.",
    ]
    assert all(n.kind == RetroKind.TO_IMPROVE for n in plan.retro_notes)
    assert plan.priorities == [
        "Data integrity before new features",
        "Finish what we carried over twice",
        "Customer onboarding speed",
    ]
    assert len(plan.goals) == 3
    assert [g.owner for g in plan.goals] == ["@lena.k", "@tomasz", "@kwame-a"]
    assert all(g.why and g.target for g in plan.goals)
    assert plan.goals[0].contributors == [("@lena.k", 50), ("@marco", 50)]
    assert plan.goals[2].contributors == [("@kwame-a", 70), ("@jun", 30)]
    assert plan.goals[1].contributors == []
    assert [g.carried_over for g in plan.goals] == [False, True, False]
    assert plan.goals[0].description == "finish the rewrite and remove the old page"
    # The fenced team template is not content: no team, no "Item 1", no "___".
    assert plan.teams == []
    text = repr(plan)
    assert "Item 1" not in text and "___" not in text
    assert [(n.section, n.text) for n in plan.notes] == [
        (
            "team",
            "For your team sprint planning copy this template into a comment below for each team.",
        ),
    ]
    assert plan.template == "classic"


def test_team_comment_modern_sample() -> None:
    plan = parse_plan(sample("team_comment_modern.md"), today=date(2026, 3, 1))
    assert [t.name for t in plan.teams] == ["Pipeline"]
    team = plan.teams[0]
    assert team.support_hero == "@tomasz"
    assert [(t.person, t.start, t.end, t.note) for t in team.time_off] == [
        ("@priya_s", date(2026, 3, 10), date(2026, 3, 11), "conference"),
        ("@jun", date(2026, 3, 14), date(2026, 3, 14), "PTO"),
    ]
    retro = team.items_of(ItemKind.RETRO_HIGH) + team.items_of(ItemKind.RETRO_LOW)
    assert [(i.title, i.status, i.owner) for i in retro] == [
        ("Backfill the events table for the March schema", Status.FINISHED, "@tomasz"),
        ("Replay tool for the dead-letter queue", Status.IN_PROGRESS, "@priya_s"),
        ("Partition the sessions table", Status.WONT_FINISH, "@jun"),
        ("Remove the legacy exporter", Status.NOT_STARTED, "@tomasz"),
    ]
    assert retro[0].note == "done, 2.1 billion rows, no data loss"
    assert len(team.items_of(ItemKind.RETRO_LOW)) == 1
    hangovers = team.items_of(ItemKind.HANGOVER)
    assert [(h.title, h.decision, h.note) for h in hangovers] == [
        ("Replay tool for the dead-letter queue", Decision.PRIORITISE, ""),
        ("Partition the sessions table", Decision.DEPRIORITISE, "waits for the storage upgrade"),
    ]
    assert [(o.title, o.status, o.note) for o in team.okrs] == [
        ("Zero silent data loss", OkrStatus.YELLOW, "alerting lands this sprint"),
        ("Ingestion p99 under 30 seconds", OkrStatus.GREEN, ""),
    ]
    high, low = team.items_of(ItemKind.HIGH), team.items_of(ItemKind.LOW)
    assert [(i.title, i.owner) for i in high] == [
        ("Replay tool UI for the dead-letter queue", "@priya_s"),
        ("Dead-letter alerting with an on-call drill", "@tomasz"),
    ]
    assert [(i.title, i.owner) for i in low] == [("Remove the legacy exporter", "@jun")]
    assert team.impacted == "Billing (new invoice events)."
    assert team.notes == [] and plan.notes == []
    assert plan.template == "team-comments"


def test_tricky_handwritten_sample() -> None:
    raw = (SAMPLES / "tricky_handwritten.md").read_bytes()
    assert b"\r\n" in raw
    plan = parse_plan(decode(raw), today=TODAY)
    assert plan.name == "week 18/19" and plan.start is None
    assert [(o.title, o.owner, o.status, o.carry_over) for o in plan.outcomes] == [
        ("Make exports resumable", "@ana", Status.IN_PROGRESS, True),
        ("Dark mode for the dashboard", "@bo", Status.FINISHED, False),
    ]
    assert plan.outcomes[0].target == "a 2 GB export survives a restart"
    assert plan.outcomes[0].note == "halfway, resume works for CSV only"
    assert [(g.title, g.owner) for g in plan.goals] == [
        ("Resumable exports, all formats", "@ana"),
        ("Status page for incidents", "@dee"),  # inline HTML stripped
    ]
    assert plan.goals[0].contributors == [("@ana", 60), ("@chen", 40)]
    assert plan.goals[0].target and plan.goals[1].why
    assert plan.goals[1].target == ""  # which the plan check flags
    assert [t.name for t in plan.teams] == ["Mobile"]
    team = plan.teams[0]
    assert team.support_hero == "@chen"
    assert [(i.title, i.owner) for i in team.items_of(ItemKind.HIGH)] == [
        ("Crash-free rate back above 99.5%", "@bo"),
        ("Offline queue for events", "@chen"),
    ]
    assert [i.title for i in team.items_of(ItemKind.LOW)] == ["Try the new build cache"]
    assert "copy me" not in repr(plan)  # the fenced template
    assert "pre-meeting" not in repr(plan)  # the HTML comment


def test_no_target_goal_from_the_tricky_sample_is_flagged(store: Store) -> None:
    from sprintdesk.plan.rules import check_sprint

    with store.unit_of_work() as session:
        sprint = apply_plan(session, parse_plan(sample("tricky_handwritten.md"), today=TODAY))
        codes = {(f.code, f.message) for f in check_sprint(sprint)}
    assert ("no-target", "Goal “Status page for incidents” has no measurable target.") in codes


# --- hand-written variants ---------------------------------------------------------------


def test_bullets_numbers_nesting_owners_and_status_words() -> None:
    text = (
        "\ufeff## Sprint Apollo - Dec 29 to Jan 9\r\n"
        "#### outcomes\r\n"
        "+ **Ship A** owner: @amy\r\n"
        "   + Status: finished\r\n"
        "2) Ship B @bob\r\n"
        "    - status: 🔴 dropped, no time\r\n"
        "- Ship C (Owner: Carla Diaz)\r\n"
        "  - ✅ done early\r\n"
        "# Goals\r\n"
        "* 🔁 Goal one (Owner: @amy) (Amy Lee, @bob 50:50)\r\n"
        "  * Why: customers\r\n"
        "  * Target: all of them\r\n"
        "  * Confidence: moonshot\r\n"
        "  * something nobody parses\r\n"
    )
    plan = parse_plan(text, today=date(2026, 12, 1))
    assert plan.name == "Apollo"
    assert (plan.start, plan.end) == (date(2026, 12, 29), date(2027, 1, 9))
    assert [(o.title, o.owner, o.status) for o in plan.outcomes] == [
        ("Ship A", "@amy", Status.FINISHED),
        ("Ship B", "@bob", Status.WONT_FINISH),
        ("Ship C", "Carla Diaz", Status.FINISHED),
    ]
    assert plan.outcomes[1].note == "no time"
    goal = plan.goals[0]
    assert goal.carried_over and goal.owner == "@amy"
    assert goal.contributors == [("Amy Lee", 50), ("@bob", 50)]
    assert (goal.why, goal.target, goal.confidence.value) == (
        "customers",
        "all of them",
        "moonshot",
    )
    assert [(n.section, n.text) for n in plan.notes] == [("goals", "something nobody parses")]


def test_unknown_lines_are_kept_in_their_section() -> None:
    text = (
        "# Sprint X\n\nA remark before anything.\n\n"
        "### Sprint priorities\n\n1. Speed\n\nWe argued about this one.\n\n"
        "# Team Core\n\n**Support hero:** @a\n\nTeam-level chatter\n\n"
        "## Hang over items from previous sprint\n\n- Old thing. prioritised\n\nhmm\n\n"
        "## Mystery heading\n\n"
    )
    plan = parse_plan(text)
    assert [(n.section, n.text) for n in plan.notes] == [
        ("other", "A remark before anything."),
        ("priorities", "We argued about this one."),
    ]
    assert [(n.section, n.text) for n in plan.teams[0].notes] == [
        ("team", "Team-level chatter"),
        ("hangover", "hmm"),
        ("hangover", "## Mystery heading"),
    ]


def test_task_lists_details_and_html_comments() -> None:
    text = (
        "# Team Web\n\n<!-- a\nmulti-line comment -->\n"
        "<details><summary>Retro</summary>\n\n"
        "- [x] Landing page @kim\n- [ ] Search box\n\n</details>\n\n"
        "### High priority\n- [ ] Checkout @kim\n"
    )
    team = parse_plan(text).teams[0]
    retro = team.items_of(ItemKind.RETRO_HIGH)
    assert [(i.title, i.status, i.owner) for i in retro] == [
        ("Landing page", Status.FINISHED, "@kim"),
        ("Search box", Status.NOT_STARTED, None),
    ]
    assert [(i.title, i.owner) for i in team.items_of(ItemKind.HIGH)] == [("Checkout", "@kim")]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"  \n\r\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        (b"# Sprint \xff\xfe broken", "not UTF-8"),
    ],
)
def test_bad_input_gets_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(PlanImportError, match=message):
        decode(data, source="plan.md")


def test_blank_text_is_refused() -> None:
    with pytest.raises(PlanImportError):
        parse_plan("\n \n")


# --- applying ----------------------------------------------------------------------------


def test_apply_matches_people_and_teams_and_creates_the_missing(demo_store: Store) -> None:
    text = sample("team_comment_modern.md")
    with demo_store.unit_of_work() as session:
        people_before = session.scalar(select(func.count(Person.id)))
        teams_before = session.scalar(select(func.count(Team.id)))
        sprint = apply_plan(session, parse_plan(text, today=date(2026, 3, 1)))
        plan = sprint.team_plans[0]
        assert plan.team.name == "Pipeline"
        assert plan.support_hero is not None and plan.support_hero.name == "Tomasz Nowak"
        assert session.scalar(select(func.count(Team.id))) == teams_before
        assert session.scalar(select(func.count(Person.id))) == people_before
        assert [(t.person.github_login, t.note) for t in sprint.time_off] == [
            ("priya_s", "conference"),
            ("jun", "PTO"),
        ]
        assert sprint.state == "draft" and sprint.template == "team-comments"
        assert [s.kind for s in sprint.sections].count(SectionKind.TEAM.value) == 1
        # Importing again reuses everything.
        apply_plan(session, parse_plan(sample("tricky_handwritten.md"), today=TODAY))
        new_people = set(session.scalars(select(Person.github_login))) - {None}
        assert {"ana", "bo", "chen", "dee"} <= new_people
        assert session.scalar(select(Team).where(Team.name == "Mobile")) is not None
        count = session.scalar(select(func.count(Person.id)))
        apply_plan(session, parse_plan(sample("tricky_handwritten.md"), today=TODAY))
        assert session.scalar(select(func.count(Person.id))) == count
        assert session.scalar(select(func.count(Sprint.id))) == 7


def test_counts_report_what_was_recognised() -> None:
    counts = parse_plan(sample("classic_global_plan.md"), today=TODAY).counts()
    assert counts == {
        "outcomes": 4,
        "notes": 3,
        "priorities": 3,
        "goals": 3,
        "owners": 4,
        "teams": 0,
        "items": 0,
        "okrs": 0,
        "time_off": 0,
        "unrecognised": 1,
    }


# --- one team's section onto an existing plan ---------------------------------------------


def test_team_section_changes_then_apply(demo_store: Store) -> None:
    with demo_store.unit_of_work() as session:
        sprint = session.scalars(select(Sprint).order_by(Sprint.id.desc())).first()
        assert sprint is not None
        plan = next(p for p in sprint.team_plans if p.team.name == "Pipeline")
        part = next(p for p in render_plan(sprint).parts if p.title == "Team Pipeline")
        parsed = parse_team_section(part.markdown, today=sprint.start)
        assert team_changes(plan, parsed) == []
        kept_ids = {i.id for i in plan.items}

        assert part.markdown.endswith("### Low priority / side quests\n")
        # The weekly heroes give way to one hero for the whole sprint.
        hero_line = "**Support hero:** @tomasz (week 1), @jun (week 2)\n"
        assert hero_line in part.markdown
        edited = (
            part.markdown.replace(hero_line, "**Support hero:** @jun\n").replace(
                "- 🟡 🔁 Remove the legacy exporter", "- 🟢 🔁 Remove the legacy exporter"
            )
            + "\n- Write the runbook @priya_s\n"
        )
        parsed = parse_team_section(edited, today=sprint.start)
        changes = team_changes(plan, parsed)
        assert "Support hero by week: none" in changes
        assert "Support hero: @tomasz → @jun" in changes
        assert (
            "Retro (high priority): “Remove the legacy exporter” status in_progress → finished"
            in changes
        )
        assert "Low priority: added “Write the runbook”" in changes
        assert len(changes) == 4
        assert apply_team(session, plan, parsed) == changes
        assert plan.support_hero is not None and plan.support_hero.github_login == "jun"
        assert not [d for d in sprint.support_duties if d.team is plan.team]
        assert team_changes(plan, parse_team_section(edited, today=sprint.start)) == []
        assert kept_ids <= {i.id for i in plan.items}  # matched items keep their identity
        assert any(i.title == "Write the runbook" for i in plan.items_of(ItemKind.LOW))

        removed = edited.replace("- Write the runbook @priya_s\n", "")
        changes = apply_team(session, plan, parse_team_section(removed, today=sprint.start))
        assert changes == ["Low priority: removed “Write the runbook”"]


def test_team_section_without_heading_reads_as_content() -> None:
    team = parse_team_section("### High priority\n- Do it @me\n")
    assert [(i.title, i.owner) for i in team.items] == [("Do it", "@me")]


def test_team_section_brings_time_off_and_weekly_heroes(demo_store: Store) -> None:
    import re

    with demo_store.unit_of_work() as session:
        sprint = session.scalars(select(Sprint).order_by(Sprint.id.desc())).first()
        assert sprint is not None
        plan = next(p for p in sprint.team_plans if p.team.name == "Pipeline")
        part = next(p for p in render_plan(sprint).parts if p.title == "Team Pipeline").markdown
        edited = re.sub(r", @jun [A-Z][a-z]{2} \d+ \(PTO\)", "", part)
        edited = edited.replace("@jun (week 2)", "@priya_s (week 2)")
        assert edited != part
        parsed = parse_team_section(edited, today=sprint.start)
        changes = team_changes(plan, parsed)
        assert changes == [
            "Support hero by week: week 1: @tomasz, week 2: @priya_s",
            "Time off: 2 → 1 entries",
        ]
        apply_team(session, plan, parsed)
        assert [(d.week, d.person.github_login) for d in sprint.support_duties] == [
            (1, "tomasz"),
            (2, "priya_s"),
        ]
        assert sorted((t.person.github_login for t in sprint.time_off), key=str) == [
            "lena-k",
            "priya_s",
        ]
        assert team_changes(plan, parse_team_section(edited, today=sprint.start)) == []


# --- encodings and text that is not a plan -------------------------------------------------

PLAN_TEXT = "# Sprint Zoë 7 - Mar 3 to Mar 14\n\n## Sprint priorities\n\n1. Ünïcode 🎯 first\n"


@pytest.mark.parametrize(
    "bom, codec",
    [
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xef\xbb\xbf", "utf-8"),
    ],
)
def test_text_with_a_byte_order_mark_is_decoded(bom: bytes, codec: str) -> None:
    data = bom + PLAN_TEXT.replace("\n", "\r\n").encode(codec)
    text = decode(data, source="plan.md")
    assert text == PLAN_TEXT.replace("\n", "\r\n")
    plan = parse_plan(text, today=TODAY)
    assert plan.name == "Zoë 7" and plan.priorities == ["Ünïcode 🎯 first"]


@pytest.mark.parametrize(
    "data, message",
    [
        (b"\xff\xfe#\x00 \x00S", "not valid UTF-16"),  # an odd number of bytes
        (b"\xff\xfe\x00\xd8#\x00", "not valid UTF-16"),  # a lone surrogate
        (b"\xff\xfe \x00\n\x00", "empty"),
        (b"\xff\xfe" + bytes(range(1, 20)).decode().encode("utf-16-le"), "binary"),
        ("# Sprint 1\n".encode("utf-16-le"), "binary"),  # UTF-16 without its mark
    ],
)
def test_bad_unicode_text_gets_a_clear_message(data: bytes, message: str) -> None:
    with pytest.raises(PlanImportError, match=message):
        decode(data, source="plan.md")


README_TEXT = """# acme-widgets

A small library of widgets.

## Installation

    pip install acme-widgets

## Usage

- Import the module
- Call `widget()`

Released under the MIT licence. Thanks @octocat!
"""


def test_text_without_a_plan_is_refused(store: Store) -> None:
    parsed = parse_plan(README_TEXT, today=TODAY, default_name="README")
    assert parsed.name == "README"  # parsing never refuses odd text ...
    assert not parsed.looks_like_a_plan()
    # ... creating a sprint from it does.
    with (
        pytest.raises(PlanImportError, match="Found no sprint plan in README.md"),
        store.unit_of_work() as session,
    ):
        apply_plan(session, parsed, source="README.md")
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Sprint)) == 0


@pytest.mark.parametrize(
    "text",
    [
        "# Sprint 12\n\nNothing planned yet.\n",  # a title alone
        "## Sprint priorities\n\n(to do)\n",  # a known section, empty
        "# Notes\n\n- Ship it (Owner: @kim)\n\n# Team Core\n\n- Fix login\n",  # a team
    ],
)
def test_a_little_plan_is_still_a_plan(text: str) -> None:
    assert parse_plan(text, today=TODAY).looks_like_a_plan()


def test_every_sample_and_every_export_is_a_plan(demo_store: Store) -> None:
    from sprintdesk.markdown.render import render_markdown_file
    from sprintdesk.plan.templates import TEMPLATES

    for path in sorted(SAMPLES.glob("*.md")):
        if path.name != "README.md":
            assert parse_plan(sample(path.name), today=TODAY).looks_like_a_plan(), path.name
    with demo_store.unit_of_work() as session:
        sprints = list(session.scalars(select(Sprint)))
        sprints.append(Sprint(name="Empty"))  # a brand-new sprint with nothing in it yet
        for sprint in sprints:
            for template in TEMPLATES.values():
                text = render_markdown_file(render_plan(sprint, template))
                assert parse_plan(text, today=TODAY).looks_like_a_plan(), (sprint.name, template)


@pytest.mark.parametrize("word", ["none", "NONE", "n/a", "TBD", "-"])
def test_a_field_saying_none_means_nothing(word: str) -> None:
    text = (
        "# Team Core\n\n"
        f"**Support hero:** {word}\n\n"
        f"- Time off: {word}\n\n"
        "### High priority\n\n- Ship it @ana\n\n"
        f"Are any other teams impacted? {word}\n"
    )
    team = parse_team_section(text)
    assert team.support_hero is None
    assert team.time_off_note == "" and team.time_off == []
    assert team.impacted == ""


def test_dates_that_do_not_exist_are_said_not_dropped_silently() -> None:
    plan = parse_plan("# Sprint 4.12.0 1/2 - Feb 30 to Mar 13\n\n## Sprint priorities\n\n1. Ship\n")
    assert plan.name == "4.12.0 1/2"
    assert plan.start is None and plan.end is None
    assert len(plan.problems) == 1 and "“Feb 30 to Mar 13”" in plan.problems[0]
    summary = import_summary(plan.counts(), plan.problems)
    assert summary.endswith("; " + plan.problems[0])
    good = parse_plan(
        "# Sprint 4.12.0 1/2 - Mar 2 to Mar 13, 2026\n\n## Sprint priorities\n\n1. a\n"
    )
    assert good.problems == []
    assert (good.start, good.end) == (date(2026, 3, 2), date(2026, 3, 13))  # the year at the end
    new_year = parse_plan("# Sprint 9 - Dec 28 to Jan 8, 2027\n")
    assert (new_year.start, new_year.end) == (date(2026, 12, 28), date(2027, 1, 8))
    backwards = parse_plan("# Sprint 9 - Mar 20, 2026 to Mar 2, 2026\n")
    assert backwards.start == date(2026, 3, 20) and backwards.end is None
    assert "before the start" in backwards.problems[0]
    bad_end = parse_plan("# Sprint 7 - Apr 6 to Apr 31\n\n## Sprint priorities\n\n1. a\n")
    assert bad_end.start is None and bad_end.end is None and len(bad_end.problems) == 1


def test_importing_an_export_of_the_same_database_keeps_names_unique(demo_store: Store) -> None:
    from sprintdesk.markdown.render import render_markdown_file, render_plan
    from sprintdesk.plan.planning import find_sprint

    with demo_store.unit_of_work() as session:
        original = find_sprint(session, "4.12.0 1/2")
        text = render_markdown_file(render_plan(original))
        first, second = parse_plan(text), parse_plan(text)
        one = apply_plan(session, first)
        two = apply_plan(session, second)
        assert (one.name, two.name) == ("4.12.0 1/2 (2)", "4.12.0 1/2 (3)")
        # Said in the summary, and every name still finds exactly one sprint.
        assert any("“4.12.0 1/2 (2)”" in p for p in first.problems)
        assert "4.12.0 1/2 (3)" in import_summary(second.counts(), second.problems)
        for name in ("4.12.0 1/2", "4.12.0 1/2 (2)", "4.12.0 1/2 (3)"):
            assert find_sprint(session, name).name == name


def test_an_imported_draft_carries_no_meeting_it_never_had(demo_store: Store) -> None:
    from sprintdesk.markdown.render import SUMMARY_TITLE, render_markdown_file, render_plan
    from sprintdesk.plan.model import SprintState
    from sprintdesk.plan.planning import find_sprint

    with demo_store.unit_of_work() as session:
        met = find_sprint(session, "4.12.0 1/2")
        assert any(s.actual_seconds for s in met.sections)
        text = render_markdown_file(render_plan(met))
        assert SUMMARY_TITLE in text
        parsed = parse_plan(text)
        draft = apply_plan(session, parsed)
        assert draft.state == SprintState.DRAFT.value
        # The agenda keeps its sections and timeboxes, not the times of the other meeting.
        assert [s.title for s in draft.sections] == [s.title for s in met.sections]
        assert [s.timebox_seconds for s in draft.sections] == [
            s.timebox_seconds for s in met.sections
        ]
        assert not any(s.actual_seconds or s.extension_seconds or s.visited for s in draft.sections)
        assert SUMMARY_TITLE not in render_markdown_file(render_plan(draft))
        assert any("meeting summary was left out" in p for p in parsed.problems)


def test_a_plan_beyond_the_list_limit_is_refused_naming_limit_and_count(store: Store) -> None:
    from sprintdesk.markdown.importer import MAX_ITEMS_PER_LIST
    from sprintdesk.plan.model import Sprint

    count = 60 * MAX_ITEMS_PER_LIST
    text = "# Sprint Huge\n\n## Sprint priorities\n\n" + "".join(
        f"{i}. Priority {i}\n" for i in range(1, count + 1)
    )
    parsed = parse_plan(text)
    assert len(parsed.priorities) == count
    with pytest.raises(PlanImportError) as caught:
        require_plan(parsed, "huge.md")
    message = str(caught.value)
    assert "60,000 priorities" in message and "1,000" in message and "huge.md" in message
    with store.unit_of_work() as session, pytest.raises(PlanImportError):
        apply_plan(session, parsed, source="huge.md")
    with store.session() as session:
        assert session.scalar(select(func.count(Sprint.id))) == 0
    # At the limit it is still a plan.
    parsed.priorities = parsed.priorities[:MAX_ITEMS_PER_LIST]
    require_plan(parsed, "huge.md")


def test_a_plan_file_beyond_the_size_limit_is_refused_naming_limit_and_size() -> None:
    from sprintdesk.markdown.importer import MAX_PLAN_BYTES

    data = b"# Sprint Huge\n\n" + b"x" * MAX_PLAN_BYTES
    with pytest.raises(PlanImportError) as caught:
        decode(data, source="huge.md")
    message = str(caught.value)
    assert "huge.md is 2.0 MB" in message and f"{len(data):,} bytes" in message
    assert "up to 2 MB" in message
    assert decode(data[:MAX_PLAN_BYTES]).startswith("# Sprint Huge")


def test_import_review_lists_each_section_and_the_kept_notes() -> None:
    from sprintdesk.markdown.importer import import_review

    text = (
        "# Sprint 3\n\n## Sprint priorities\n\n1. Speed\n\nWe argued.\n\n"
        "# Team Web\n\n**Support hero:** @ana\n\n### High priority\n\n- Ship it @bo\n\n"
        "## Risks\n\n- the database\n"
    )
    review = import_review(parse_plan(text, today=TODAY))
    assert review[0] == "Plan: 0 outcomes, 0 retro notes, 1 priority, 0 goals."
    assert review[1].startswith("Team Web: support hero @ana, 0 weekly heroes,")
    assert "1 high-priority item" in review[1]
    assert review[2] == "3 lines kept as notes:"
    assert review[3:] == [
        "  Priorities: “We argued.”",
        "  Team Web, high priority: “## Risks”",
        "  Team Web, high priority: “- the database”",
    ]
