"""History page figure: with 100 sprints in the database, constructing the history view,
showing it and its first paint take ≤ 200 ms (target), measured offscreen."""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from sprintdesk.plan.model import Confidence, Goal, Person, Sprint, Status, Team
from sprintdesk.plan.planning import create_sprint, start_next_sprint
from sprintdesk.storage.store import open_store

TARGET_MS = 200.0
SPRINTS = 100
RUNS = 5


def build_sprints(session: Session, count: int = SPRINTS, *, seed: int = 6) -> list[Sprint]:
    """``count`` two-week sprints, each with 3-5 goals reviewed in the next one and a timed
    meeting, as a team would have after four years."""
    rng = random.Random(seed)
    people = [Person(name=f"Engineer {i:02}", github_login=f"eng{i:02}") for i in range(12)]
    teams = [
        Team(name=f"Team {t}", position=t, members=people[t * 4 : t * 4 + 4]) for t in range(3)
    ]
    session.add_all(teams)
    sprint = create_sprint(session, "Sprint 1", date(2022, 1, 3), date(2022, 1, 14), teams=teams)
    sprints = [sprint]
    statuses = list(Status)
    confidences = list(Confidence)
    while True:
        for i in range(rng.randint(3, 5)):
            sprint.goals.append(
                Goal(
                    title=f"Goal {i} of {sprint.name}",
                    owner=rng.choice(people),
                    position=i,
                    confidence=rng.choice(confidences).value,
                    why="why",
                    target="target",
                    carried_over=rng.random() < 0.2,
                )
            )
        for section in sprint.sections:
            section.actual_seconds = section.timebox_seconds * rng.uniform(0.6, 1.5)
        session.flush()
        if len(sprints) == count:
            break
        sprint = start_next_sprint(session, sprint)
        for outcome in sprint.outcomes:
            outcome.status = rng.choice(statuses).value
        sprints.append(sprint)
    session.flush()
    return sprints


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.views.history import HistoryView

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        try:
            with store.unit_of_work() as session:
                build_sprints(session)
            doc = PlanDocument(store)
            runs = []
            for _ in range(RUNS):
                began = time.perf_counter()
                view = HistoryView(doc)
                view.resize(1280, 900)
                view.show()
                # First paint: every chart the viewport shows has painted once.
                deadline = began + 5
                while time.perf_counter() < deadline:
                    app.processEvents()
                    shown = [c for c in view.charts.values() if not c.visibleRegion().isEmpty()]
                    if shown and all(c.paint_count for c in shown):
                        break
                runs.append((time.perf_counter() - began) * 1000)
                view.close()
                view.deleteLater()
                app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            # Switching to all 100 sprints on the open page: rebuild the data and repaint.
            view = HistoryView(doc)
            view.resize(1280, 900)
            view.show()
            app.processEvents()
            began = time.perf_counter()
            view.set_window(None)
            view.repaint()
            app.processEvents()
            all_ms = (time.perf_counter() - began) * 1000
            view.close()
            view.deleteLater()
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            first, median = runs[0], statistics.median(runs)
            print(
                f"history view, {SPRINTS} sprints: construct+show+first paint "
                f"{median:.0f} ms median of {RUNS} (first run {first:.0f} ms; "
                f"target ≤ {TARGET_MS:.0f} ms); ratio {median / TARGET_MS:.2f}× target"
            )
            print(f"switch to all {SPRINTS} sprints and repaint: {all_ms:.0f} ms")
            doc.close()
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
