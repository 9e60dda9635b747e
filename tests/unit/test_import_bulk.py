"""Applying a plan writes its many small rows (team items, notes, agenda, rota, time off) with
one statement per table, and what was written reads back in the same session as the ORM would
have written it: versions, defaults, links to people, teams and team plans."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

from sqlalchemy import event, select

from sprintdesk.markdown.importer import apply_plan, parse_plan
from sprintdesk.plan.model import PlanNote, Sprint, SupportDuty, TeamItem
from sprintdesk.storage.store import Store
from tests.pg import db_url  # noqa: F401 - these tests run on SQLite and on PostgreSQL

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
PLAN = """# Sprint 12 - Mar 2 to Mar 13

## Retro: what went well

- The release

## Sprint priorities

1. Ship the importer
2. Fix the clock

## Support hero

Week 1: @ana
Week 2: @ben

# Team Web

Support hero: @ana

@cy on vacation Mar 4 to Mar 5

### High priority

- Task one @ana
- Task two @ben
- Task three

### Low priority

- Side quest

A line nobody models.

# Team Infra

### High priority

- Keep the lights on @cy
"""


def _inserts(store: Store) -> tuple[Counter[str], Callable[..., None]]:
    counts: Counter[str] = Counter()

    def count(_conn, _cursor, statement, _params, _context, executemany) -> None:  # noqa: ANN001
        found = re.match(r'\s*INSERT INTO "?(\w+)', statement)
        if found:
            counts[found.group(1)] += 1

    event.listen(store.engine, "before_cursor_execute", count)
    return counts, count


def test_small_rows_go_in_one_statement_per_table(store: Store) -> None:
    parsed = parse_plan(PLAN, today=date(2026, 3, 1))
    counts, listener = _inserts(store)
    try:
        with store.unit_of_work() as session:
            apply_plan(session, parsed)
    finally:
        event.remove(store.engine, "before_cursor_execute", listener)
    for table in ("team_items", "plan_notes", "agenda_sections", "support_duties", "priorities"):
        assert counts[table] == 1, (table, counts)
    assert counts["time_off"] == 1 and counts["retro_notes"] == 1


def test_what_was_written_reads_back_in_the_same_session(store: Store) -> None:
    parsed = parse_plan(PLAN, today=date(2026, 3, 1))
    with store.unit_of_work() as session:
        sprint = apply_plan(session, parsed)
        web, infra = sprint.team_plans
        assert [(i.title, i.kind, i.owner and i.owner.github_login) for i in web.items] == [
            ("Task one", "high", "ana"),
            ("Task two", "high", "ben"),
            ("Task three", "high", None),
            ("Side quest", "low", None),
        ]
        assert [i.title for i in infra.items] == ["Keep the lights on"]
        assert [s.title for s in sprint.sections if s.team_plan is web] == ["Team Web"]
        assert [(d.week, d.person.github_login, d.team) for d in sprint.support_duties] == [
            (1, "ana", None),
            (2, "ben", None),
        ]
        assert [(t.person.github_login, t.start, t.end) for t in sprint.time_off] == [
            ("cy", date(2026, 3, 4), date(2026, 3, 5))
        ]
        assert [p.text for p in sprint.priorities] == ["Ship the importer", "Fix the clock"]
        assert any(n.team_plan is web and "nobody models" in n.text for n in sprint.notes)
        sprint_id = sprint.id
    with store.session() as session:
        rows = list(session.scalars(select(TeamItem))) + list(session.scalars(select(PlanNote)))
        assert rows and all(r.version == 1 for r in rows)
        item = session.scalars(select(TeamItem).where(TeamItem.title == "Task three")).one()
        assert (item.note, item.carried_over, item.status) == ("", False, None)
        assert session.scalars(select(SupportDuty)).first() is not None
        assert session.get(Sprint, sprint_id) is not None


def test_a_corpus_post_reads_back_as_parsed(store: Store) -> None:
    text = next(CORPUS.glob("08_*.md")).read_text(encoding="utf-8")
    parsed = parse_plan(text, today=date(2023, 2, 15))
    with store.unit_of_work() as session:
        sprint = apply_plan(session, parsed)
        assert len(sprint.notes) == len(parsed.notes) + sum(len(t.notes) for t in parsed.teams)
        assert len(sprint.support_duties) >= len(parsed.duties)
        assert sprint.sections and all(s.sprint is sprint for s in sprint.sections)
