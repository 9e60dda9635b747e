"""Section pages on the large sprint: time to show each page kind, first visit and revisit.

The pages are shown the way the main window shows them (one ``QStackedWidget``, 1280×800,
``show_section`` then a repaint). Per page kind it prints the median of several runs of:

* first visit: a freshly built page shown and painted;
* revisit: switching back to an already built page (TEAM pages: to another team's section);
* the longest the event loop stays blocked while a page finishes building in the background
  (goal cards are built in small batches after the first screenful).

Target for a switch: ≤ 50 ms. ``python -m bench pages``; ``QT_QPA_PLATFORM`` defaults to
offscreen.

First it builds the Priorities page of a sprint with 3,000 and with 60,000 priorities (what a
5 MB plan holds) and prints the longest event-loop turn while the page builds (target:
≤ 100 ms at any size) and the ratio between the two sizes.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_MS = 50.0
REPETITIONS = 5


class _GcPauses:
    """The longest pause of CPython's cyclic garbage collector since the last reset."""

    def __init__(self) -> None:
        import gc

        self.longest = 0.0
        self._began = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.perf_counter()
        else:
            self.longest = max(self.longest, (time.perf_counter() - self._began) * 1000)


def _settle(app: Any, page: Any) -> float:
    """Let a page finish its background work; returns the longest single event-loop turn."""
    longest = 0.0
    deadline = time.perf_counter() + 30.0
    while True:
        began = time.perf_counter()
        app.processEvents()
        longest = max(longest, (time.perf_counter() - began) * 1000)
        pending = getattr(page, "pending_work", None)
        if pending is None or not pending() or time.perf_counter() > deadline:
            return longest
        time.sleep(0.001)  # let the batch timers fire


def measure(url: str, repetitions: int = REPETITIONS) -> dict[str, dict[str, float]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QStackedWidget

    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.plan.model import SectionKind, Sprint
    from sprintdesk.storage.store import open_store
    from sprintdesk.views.pages import PAGE_CLASSES

    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = open_store(url)
    doc = PlanDocument(store)
    with store.session() as session:
        from sqlalchemy import select

        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    sprint = doc.open_sprint(sprint_id)
    if os.environ.get("SPRINTDESK_BENCH_GC_FREEZE"):
        # What the app could do after opening a sprint: the loaded plan is long-lived, so the
        # cyclic garbage collector need not walk it again on every full collection.
        import gc

        gc.collect()
        gc.freeze()
    stack = QStackedWidget()
    stack.resize(1280, 800)
    blank = QStackedWidget()
    stack.addWidget(blank)
    stack.show()
    app.processEvents()

    def show(page: Any, section: Any) -> float:
        # Until the page is laid out and painted (showing a widget activates its layouts);
        # what the page leaves for the event loop is timed by _settle.
        began = time.perf_counter()
        page.show_section(section)
        stack.setCurrentWidget(page)
        stack.repaint()
        return (time.perf_counter() - began) * 1000

    pauses = _GcPauses()
    by_kind: dict[str, list[Any]] = {}
    for section in sprint.sections:
        by_kind.setdefault(section.kind, []).append(section)
    results: dict[str, dict[str, float]] = {}
    for kind, sections in by_kind.items():
        first: list[float] = []
        again: list[float] = []
        blocked: list[float] = []
        complete: list[float] = []
        pauses.longest = 0.0
        for rep in range(repetitions):
            stack.setCurrentWidget(blank)
            app.processEvents()
            page = PAGE_CLASSES[SectionKind(kind)](doc, parent=stack)
            stack.addWidget(page)
            first.append(show(page, sections[0]))
            began = time.perf_counter()
            blocked.append(_settle(app, page))
            complete.append((time.perf_counter() - began) * 1000 + first[-1])
            for turn in range(3):
                stack.setCurrentWidget(blank)
                app.processEvents()
                section = sections[(rep + turn + 1) % len(sections)]
                again.append(show(page, section))
                blocked.append(_settle(app, page))
            stack.removeWidget(page)
            page.deleteLater()
            app.processEvents()
        results[kind] = {
            "first_ms": statistics.median(first),
            "revisit_ms": statistics.median(again),
            "blocked_ms": max(blocked),
            "complete_ms": statistics.median(complete),
            "gc_ms": pauses.longest,
        }
    stack.close()
    doc.close()
    store.close()
    return results


# --- a plan far beyond the usual size: the Priorities page must not freeze the window -----

PRIORITY_COUNTS = (3_000, 60_000)
LONGEST_TURN_TARGET_MS = 100.0


def build_priorities_database(folder: Path, count: int) -> str:
    """A database holding one sprint with ``count`` priorities (as a 5 MB imported plan has)."""
    from datetime import date

    from sprintdesk.plan.model import Priority
    from sprintdesk.plan.planning import create_sprint
    from sprintdesk.storage.store import open_store

    url = f"sqlite:///{folder / f'priorities-{count}.db'}"
    store = open_store(url)
    try:
        with store.unit_of_work() as session:
            sprint = create_sprint(session, "Huge plan", date(2026, 12, 7), date(2026, 12, 18))
            sprint.priorities = [
                Priority(position=i, text=f"Priority {i + 1}: make the {i % 97}th thing faster")
                for i in range(count)
            ]
    finally:
        store.close()
    return url


def measure_priorities(url: str) -> dict[str, float]:
    """Open the sprint, then build and show the Priorities page as the window does; returns
    the longest event-loop turn (the build itself is one turn) and the time until the page is
    complete, in milliseconds."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QStackedWidget
    from sqlalchemy import select

    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.plan.model import SectionKind, Sprint
    from sprintdesk.storage.store import open_store
    from sprintdesk.views.pages import PAGE_CLASSES

    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = open_store(url)
    doc = PlanDocument(store)
    with store.session() as session:
        sprint_id = session.scalars(select(Sprint.id)).first()
    assert sprint_id is not None
    began = time.perf_counter()
    sprint = doc.open_sprint(sprint_id)
    open_ms = (time.perf_counter() - began) * 1000
    section = next(s for s in sprint.sections if s.kind == SectionKind.PRIORITIES.value)
    stack = QStackedWidget()
    stack.resize(1280, 800)
    stack.show()
    app.processEvents()
    began = time.perf_counter()
    page = PAGE_CLASSES[SectionKind.PRIORITIES](doc, parent=stack)
    stack.addWidget(page)
    page.show_section(section)
    stack.setCurrentWidget(page)
    stack.repaint()
    build_ms = (time.perf_counter() - began) * 1000
    longest = max(build_ms, _settle(app, page))
    complete_ms = (time.perf_counter() - began) * 1000
    # Scroll to the very end and back: the rows must be there, and cheap to reach.
    began = time.perf_counter()
    view = page.table.view
    view.scrollToBottom()
    stack.repaint()
    scroll_ms = (time.perf_counter() - began) * 1000
    rows = page.table.model.rowCount()
    stack.close()
    page.deleteLater()
    app.processEvents()
    doc.close()
    store.close()
    return {
        "rows": float(rows),
        "open_ms": open_ms,
        "build_ms": build_ms,
        "longest_ms": longest,
        "complete_ms": complete_ms,
        "scroll_ms": scroll_ms,
    }


def main_priorities() -> None:
    with tempfile.TemporaryDirectory(prefix="sprintdesk-bench-priorities-") as tmp:
        figures = {}
        for count in PRIORITY_COUNTS:
            url = build_priorities_database(Path(tmp), count)
            figures[count] = measure_priorities(url)
    for count, f in figures.items():
        print(
            f"priorities {count:>6}: longest event-loop turn {f['longest_ms']:7.1f} ms "
            f"(target <= {LONGEST_TURN_TARGET_MS:.0f} ms; page build {f['build_ms']:7.1f} ms, "
            f"complete {f['complete_ms']:7.1f} ms, scroll to the end {f['scroll_ms']:6.1f} ms; "
            f"opening the sprint {f['open_ms']:7.1f} ms; {int(f['rows'])} rows)"
        )
    small, large = (figures[c] for c in PRIORITY_COUNTS)
    print(
        f"priorities: {PRIORITY_COUNTS[1] // PRIORITY_COUNTS[0]}x the rows cost "
        f"{large['longest_ms'] / max(small['longest_ms'], 0.001):.1f}x the longest turn"
    )


def main() -> int:
    from bench.bench_startup import build_database

    main_priorities()
    with tempfile.TemporaryDirectory(prefix="sprintdesk-bench-pages-") as tmp:
        url = build_database(Path(tmp))
        results = measure(url)
    worst = 0.0
    for kind, figures in results.items():
        worst = max(worst, figures["first_ms"], figures["revisit_ms"])
        print(
            f"{kind:10s} first visit {figures['first_ms']:6.1f} ms  revisit "
            f"{figures['revisit_ms']:5.1f} ms  | first visit complete "
            f"{figures['complete_ms']:6.1f} ms, longest event-loop block after the paint "
            f"{figures['blocked_ms']:5.1f} ms (longest GC pause {figures['gc_ms']:5.1f} ms)"
        )
    print(
        f"slowest page switch: {worst:.1f} ms (target <= {TARGET_MS:.0f} ms; medians of "
        f"{REPETITIONS}, switch = show_section + laid out + painted)"
    )
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        app.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
