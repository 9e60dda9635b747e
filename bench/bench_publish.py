"""Publish figures against the fake GitHub (real HTTP on 127.0.0.1): write requests for a first
publish of the large sprint (target: 1 issue + one comment per other part), for an unchanged
re-publish (target: 0) and for a one-team change (target: 1); and how long the UI thread
freezes while the publish dialog publishes (target: no gap over 100 ms between 10 ms timer
ticks), compared with the same timer on an idle event loop."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["NO_PROXY"] = "127.0.0.1,localhost"

FREEZE_TARGET_MS = 100.0
LATENCY = 0.02  # seconds per answer, like a nearby GitHub


def _max_gap(app, seconds: float | None = None, until=None) -> float:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QElapsedTimer, QTimer

    ticks: list[int] = []
    clock = QElapsedTimer()
    clock.start()
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(clock.elapsed()))
    timer.start()
    deadline = time.monotonic() + (seconds or 120)
    while time.monotonic() < deadline and (until is None or not until()):
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    ticks.insert(0, 0)
    return float(max((b - a for a, b in zip(ticks, ticks[1:], strict=False)), default=0))


def main() -> int:
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from bench.large_sprint import build_large_sprint
    from sprintdesk.github import client as github
    from sprintdesk.github import publishing
    from sprintdesk.plan.model import Sprint, TeamItem, TeamPlan
    from sprintdesk.plan.settings import put
    from sprintdesk.storage.store import open_store
    from sprintdesk.system import secrets
    from sprintdesk.ui.publish_dialog import PublishDialog
    from tests.fakegithub import FakeGitHub

    app = QApplication.instance() or QApplication([])
    status = 0
    with tempfile.TemporaryDirectory() as folder, FakeGitHub() as fake:
        fake.latency = LATENCY
        store = open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        with store.unit_of_work() as session:
            sprint_id = build_large_sprint(session).id
            put(session, github.SETTING_API_URL, fake.api_url)
            put(session, github.SETTING_WRITE_INTERVAL, "0")
        secrets.set_session_token(fake.api_url, fake.token)  # never the user's keyring
        with store.session() as session:
            sprint = session.get(Sprint, sprint_id)
            assert sprint is not None
            rendered = publishing.render_for_publish(sprint)
        parts = len(rendered.parts)
        comments = parts - 1

        began = time.perf_counter()
        dialog = PublishDialog(store, sprint_id)
        open_ms = (time.perf_counter() - began) * 1000
        dialog.repo.setCurrentText("acme/plans")
        dialog.show()
        idle_gap = _max_gap(app, seconds=1.0)
        from PySide6.QtCore import QTimer

        began = time.perf_counter()
        # The click is part of it: start_publish re-renders the plan on the UI thread.
        QTimer.singleShot(50, dialog.start_publish)
        busy_gap = _max_gap(
            app, until=lambda: time.perf_counter() - began > 0.2 and not dialog.is_running()
        )
        publish_s = time.perf_counter() - began
        if dialog.issue_url is None:
            print(f"publish failed: {dialog.error.text()}")
            return 1
        first = len(fake.writes)
        print(
            f"first publish of the large sprint: {parts} parts (1 issue + {comments} comments)"
            f" → {first} write requests (target {1 + comments}) in {publish_s:.1f} s "
            f"at {LATENCY * 1000:.0f} ms per answer"
        )

        fake.reset_counts()
        client = github.GitHubClient(
            fake.token, fake.api_url, seconds_between_writes=None, seconds_between_requests=None
        )
        target = publishing.Target("acme/plans", fake.api_url)
        with store.session() as session:
            sprint = session.get(Sprint, sprint_id)
            assert sprint is not None
            rendered = publishing.render_for_publish(sprint)
        publishing.publish(store, sprint_id, rendered, target, client)
        unchanged = len(fake.requests)
        print(f"unchanged re-publish: {unchanged} requests of any kind (target 0)")

        with store.unit_of_work() as session:
            plan = session.scalars(
                select(TeamPlan).where(TeamPlan.sprint_id == sprint_id).order_by(TeamPlan.position)
            ).first()
            assert plan is not None
            plan.items.append(TeamItem(kind="high", title="One more thing", position=999))
        with store.session() as session:
            sprint = session.get(Sprint, sprint_id)
            assert sprint is not None
            rendered = publishing.render_for_publish(sprint)
        fake.reset_counts()
        publishing.publish(store, sprint_id, rendered, target, client)
        print(
            f"one team changed: {len(fake.writes)} write request(s) (target 1), "
            f"{len(fake.requests) - len(fake.writes)} read(s) to check for edits on GitHub"
        )

        print(f"opening the publish dialog (render + preview of {parts} parts): {open_ms:.0f} ms")
        print(
            f"UI thread during publish: longest gap between 10 ms ticks {busy_gap:.0f} ms "
            f"(target ≤ {FREEZE_TARGET_MS:.0f} ms); idle event loop {idle_gap:.0f} ms; "
            f"ratio busy/idle {busy_gap / max(idle_gap, 1):.2f}×, "
            f"{busy_gap / FREEZE_TARGET_MS:.2f}× target"
        )
        client.close()
        dialog.close()
        store.close()
        secrets.clear_session_tokens()
        if first != 1 + comments or unchanged != 0 or busy_gap > FREEZE_TARGET_MS:
            status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
