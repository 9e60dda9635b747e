"""Section pages on the large sprint: time to show each page kind, first visit and revisit.

The pages are shown the way the main window shows them (one ``QStackedWidget``, 1280×800,
``show_section`` then a repaint). Per page kind it prints the median of several runs of:

* first visit: a freshly built page shown and painted;
* revisit: switching back to an already built page (TEAM pages: to another team's section);
* the longest the event loop stays blocked while a page finishes building in the background
  (goal cards are built in small batches after the first screenful).

Target for a switch: ≤ 50 ms. ``python -m bench pages``; ``QT_QPA_PLATFORM`` defaults to
offscreen.
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


def main() -> int:
    from bench.bench_startup import build_database

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
