"""Markdown figures: rendering the large sprint (target ≤ 30 ms) and importing a 1 MB plan
(target ≤ 1 s), plus converting one part to preview HTML."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.large_sprint import build_large_sprint
from sprintdesk.markdown.importer import parse_plan
from sprintdesk.markdown.render import render_markdown_file, render_plan
from sprintdesk.plan.planning import load_sprint
from sprintdesk.storage.store import open_store

RENDER_TARGET_MS = 30.0
IMPORT_TARGET_MS = 1000.0


def _time(function: Callable[[], object], repeat: int) -> float:
    """Median wall time in milliseconds."""
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        function()
        runs.append((time.perf_counter() - began) * 1000)
    return statistics.median(runs)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        try:
            with store.unit_of_work() as session:
                sprint = build_large_sprint(session)
                render_plan(sprint)  # load every relationship once, as the open app has
                render_ms = _time(lambda: render_plan(sprint), 15)
                sprint_id = sprint.id
            with store.session() as session:
                began = time.perf_counter()
                render_plan(load_sprint(session, sprint_id))
                cold_ms = (time.perf_counter() - began) * 1000
                print(f"load (load_sprint) + render, cold session: {cold_ms:.1f} ms")
                sprint = load_sprint(session, sprint_id)
                rendered = render_plan(sprint)
                size = sum(len(p.markdown) for p in rendered.parts)
                print(
                    f"render large sprint: {render_ms:.1f} ms (target ≤ {RENDER_TARGET_MS:.0f}"
                    f" ms), {len(rendered.parts)} parts, {size / 1024:.0f} KiB"
                )
                text = render_markdown_file(rendered)
                while len(text.encode()) < 1_000_000:
                    text += "\n" + render_markdown_file(rendered)
                megabyte = text.encode()[:1_000_000].decode("utf-8", "ignore")
                import_ms = _time(lambda: parse_plan(megabyte), 3)
                parsed = parse_plan(megabyte)
                counts = parsed.counts()
                print(
                    f"import 1 MB plan: {import_ms:.0f} ms (target ≤ {IMPORT_TARGET_MS:.0f} ms),"
                    f" {counts['goals']} goals, {counts['items']} items"
                )
                odd_line = "(((( **x** @@ 🟢🟡🔴 - [ ] ~~~ <details> | 1:00 | Mar 3-Apr 40 (Owner:"
                odd = "\n".join(
                    f"{'  ' * (i % 5)}{'-' if i % 3 else '#'} {odd_line} {i}" for i in range(14_000)
                )[:1_000_000]
                odd_ms = _time(lambda: parse_plan(odd), 3)
                print(
                    f"import 1 MB of odd text: {odd_ms:.0f} ms (target ≤ {IMPORT_TARGET_MS:.0f} ms)"
                )
                try:
                    from sprintdesk.markdown.html import github_html

                    body = rendered.parts[0].markdown
                    html_ms = _time(lambda: github_html(body), 5)
                    print(
                        f"preview HTML of the body ({len(body) / 1024:.0f} KiB): {html_ms:.1f} ms"
                    )
                except ImportError:
                    pass
                print(
                    f"ratios: render {render_ms / RENDER_TARGET_MS:.2f}× target, "
                    f"import {import_ms / IMPORT_TARGET_MS:.2f}× target"
                )
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
