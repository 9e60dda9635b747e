"""History import from the fake GitHub: 200 issues with 5 comments each (a corpus post as the
body, team posts as comments). Requests counted (must equal the minimum: 1 listing per 100
issues + 1 comments request per issue with comments) and parse + apply time per issue (target
≤ 20 ms)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sprintdesk.github.client import GitHubClient
from sprintdesk.github.history_import import (
    PER_PAGE,
    _apply,
    _Reader,
    fetch_comments,
    import_history,
    list_issues,
    parse_issue,
)
from sprintdesk.storage.store import open_store
from tests.fakegithub import FakeGitHub

ISSUES = 200
COMMENTS = 5
TARGET_MS = 20.0
CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "corpus"


def main() -> int:
    body = next(CORPUS.glob("08_*.md")).read_text(encoding="utf-8")
    teams = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("1[2-9]_*.md"))]
    with FakeGitHub() as fake, tempfile.TemporaryDirectory() as folder:
        for n in range(ISSUES):
            day = 1 + n % 28
            fake.seed_issue(
                f"Sprint {n} - Feb {day} to Mar {day}",
                body,
                created_at=f"{2000 + n // 12}-{1 + n % 12:02d}-01T09:00:00Z",
                comments=tuple(teams[(n + k) % len(teams)] for k in range(COMMENTS)),
            )
        store = open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        client = GitHubClient(
            fake.token, fake.api_url, seconds_between_requests=None, seconds_between_writes=None
        )
        fake.reset_counts()
        began = time.perf_counter()
        report = import_history(store, client, "acme/plans")
        total_ms = (time.perf_counter() - began) * 1000
        minimum = -(-ISSUES // PER_PAGE) + ISSUES * -(-COMMENTS // PER_PAGE)
        sent = len(fake.requests)
        print(
            f"import {ISSUES} issues × {COMMENTS} comments: {len(report.imported)} imported, "
            f"{report.requests} requests counted, {sent} received by the fake "
            f"(minimum {minimum}{'' if sent == minimum else ' — OVER'}); whole import "
            f"{total_ms / ISSUES:.1f} ms per issue with the local fake's answers"
        )
        # Parse + apply alone, on issues already fetched, into a fresh database.
        reader = _Reader(client, "acme/plans")
        posts = list_issues(reader, label="sprint")
        for post in posts:
            fetch_comments(reader, post)
        fresh = open_store(f"sqlite:///{Path(folder) / 'fresh.db'}")
        # Wall time and this process's CPU time, parse and apply apart: the machine is shared,
        # and CPU time is what other people's work disturbs least.
        wall0, cpu0 = time.perf_counter(), time.process_time()
        plans = []
        for post in posts:
            plan, _ = parse_issue(post)
            assert plan is not None
            plans.append(plan)
        wall1, cpu1 = time.perf_counter(), time.process_time()
        for post, plan in zip(posts, plans, strict=True):
            _apply(fresh, post, plan, "acme/plans", client.api_url)
        wall2, cpu2 = time.perf_counter(), time.process_time()
        fresh.close()
        n = len(posts)
        parse_ms, apply_ms = (wall1 - wall0) * 1000 / n, (wall2 - wall1) * 1000 / n
        parse_cpu, apply_cpu = (cpu1 - cpu0) * 1000 / n, (cpu2 - cpu1) * 1000 / n
        print(
            f"parse + apply per issue (body + {COMMENTS} team comments): "
            f"{parse_ms + apply_ms:.1f} ms wall, {parse_cpu + apply_cpu:.1f} ms CPU "
            f"(target ≤ {TARGET_MS:.0f} ms); parse {parse_ms:.1f} ms wall / {parse_cpu:.1f} CPU, "
            f"apply {apply_ms:.1f} ms wall / {apply_cpu:.1f} CPU; apply/parse "
            f"{apply_cpu / max(parse_cpu, 1e-9):.1f}× (CPU)"
        )
        again = import_history(store, client, "acme/plans")
        print(f"second run: {again.requests} request(s), {again.unchanged} unchanged")
        # Every issue edited on GitHub: each sprint is updated in place (same id, its meeting
        # and local data kept), through the unit of work rather than the bulk insert.
        edited = body.replace("Hot partition", "Hot partition (fixed)")
        for number in range(1, ISSUES + 1):
            fake.edit_issue_body(number, edited)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        third = import_history(store, client, "acme/plans")
        wall1, cpu1 = time.perf_counter(), time.process_time()
        updated = max(1, len(third.updated))
        print(
            f"every issue edited: {len(third.updated)} updated in place, {third.requests} "
            f"requests; {(wall1 - wall0) * 1000 / updated:.1f} ms wall, "
            f"{(cpu1 - cpu0) * 1000 / updated:.1f} ms CPU per issue (fetch + parse + update; "
            "the fake answers in this process, so CPU includes it)"
        )
        client.close()
        store.close()
        return 0 if sent == minimum else 1


if __name__ == "__main__":
    main()
