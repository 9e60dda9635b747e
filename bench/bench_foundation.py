"""The foundation's figures on the large sprint (20 teams × 50 items, 200 goals, 50 people):
loading it, one edit + commit, and running every plan check.

Targets on a 2-core machine: load ≤ 100 ms, edit + commit ≤ 5 ms (median), checks ≤ 20 ms.
Each figure is the median of several runs, printed beside its target; the same run also times a
plain ``sqlite3`` read of the same rows, so the ORM's cost shows as a ratio that machine noise
does not change much.
"""

from __future__ import annotations

import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bench.large_sprint import build_large_sprint
from sprintdesk.plan.planning import load_sprint
from sprintdesk.plan.rules import check_sprint
from sprintdesk.storage.store import open_store

TABLES = (
    "sprints",
    "agenda_sections",
    "outcome_reviews",
    "retro_notes",
    "priorities",
    "goals",
    "goal_contributors",
    "team_plans",
    "team_items",
    "okrs",
    "people",
    "teams",
)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _touch(sprint) -> int:  # type: ignore[no-untyped-def]
    """Walk what a page or the renderer reads, so lazy loads would show up in the figure."""
    count = 0
    for goal in sprint.goals:
        count += len(goal.contributors) + (goal.owner is not None)
    for plan in sprint.team_plans:
        count += len(plan.items) + len(plan.okrs) + len(plan.team.members)
        count += sum(item.owner is not None for item in plan.items)
    return count + len(sprint.sections) + len(sprint.outcomes)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'large.db'}"
        store = open_store(url)
        with store.unit_of_work() as session:
            sprint_id = build_large_sprint(session).id
        store.close()

        loads, raw, edits, checks = [], [], [], []
        for _ in range(7):
            store = open_store(url)
            started = time.perf_counter()
            with store.session() as session:
                sprint = load_sprint(session, sprint_id)
                rows = _touch(sprint)
            loads.append(time.perf_counter() - started)
            store.close()

            conn = sqlite3.connect(Path(tmp) / "large.db")
            started = time.perf_counter()
            for table in TABLES:
                conn.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608
            raw.append(time.perf_counter() - started)
            conn.close()

        store = open_store(url)
        session = store.session()
        sprint = load_sprint(session, sprint_id)
        for i in range(50):
            started = time.perf_counter()
            sprint.goals[i].title = f"Edited goal {i}"
            session.commit()
            edits.append(time.perf_counter() - started)
        for _ in range(20):
            started = time.perf_counter()
            findings = check_sprint(sprint)
            checks.append(time.perf_counter() - started)
        session.close()
        store.close()

    load, base = statistics.median(loads), statistics.median(raw)
    edit, check = statistics.median(edits), statistics.median(checks)
    print(f"large sprint: {rows} objects walked, {len(findings)} findings")
    print(
        f"load sprint        {_ms(load):>11}  (target ≤ 100 ms)  "
        f"{load / base:.1f}× a raw sqlite3 read of every table ({_ms(base)})"
    )
    print(f"edit + commit      {_ms(edit):>11}  (target ≤ 5 ms, median of 50)")
    print(f"all plan checks    {_ms(check):>11}  (target ≤ 20 ms, median of 20)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
