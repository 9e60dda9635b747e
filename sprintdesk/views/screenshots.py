"""Screenshots of the capacity and history pages with the demo data, for the README.

``python -m sprintdesk.views.screenshots [out_dir]`` (``make screenshots`` calls
:func:`render_capacity_and_history_screenshots`) writes ``capacity.png`` and ``history.png``,
offscreen, in a throwaway database.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

DEFAULT_OUT = Path("docs/screenshots")
# A fixed day so the pictures do not change from one run to the next.
DEMO_TODAY = date(2026, 11, 23)


def render_capacity_and_history_screenshots(
    out_dir: Path = DEFAULT_OUT, *, size: tuple[int, int] = (1280, 1330)
) -> list[Path]:
    """Render both pages with the demo data into ``out_dir``; returns the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.plan.demo import load_demo
    from sprintdesk.storage.store import open_store
    from sprintdesk.views.capacity import CapacityView
    from sprintdesk.views.history import HistoryView

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'demo.db'}")
        try:
            with store.unit_of_work() as session:
                sprints = load_demo(session, today=DEMO_TODAY)
                current_id = sprints[-1].id
            doc = PlanDocument(store)
            capacity = CapacityView(doc)
            capacity.show_sprint(current_id)
            parts = (capacity.heading, capacity.summary, capacity.chart)
            capacity.resize(size[0], sum(w.sizeHint().height() for w in parts) + 50)
            capacity.show()
            app.processEvents()
            path = out_dir / "capacity.png"
            capacity.grab().save(str(path), "PNG")
            written.append(path)
            capacity.close()
            capacity.deleteLater()

            history = HistoryView(doc)
            history.resize(*size)
            history.show()
            app.processEvents()
            path = out_dir / "history.png"
            history.grab().save(str(path), "PNG")
            written.append(path)
            history.close()
            history.deleteLater()
            # Delete the pages now, not at interpreter exit after the application.
            app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            doc.close()
            doc.deleteLater()
        finally:
            store.close()
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else DEFAULT_OUT
    for path in render_capacity_and_history_screenshots(out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
