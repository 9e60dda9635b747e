"""Child process for test_offline_kill: a SprintDesk document on a team database editing in a
loop, the way the window does (an undoable edit, then the autosave), printing each edit's
number and whether it was committed or journaled offline once the call has returned.

Usage: python offline_client.py DB_URL DATA_DIR edit|behind|replay
(behind: saved by the writer thread, as the autosave timer does)
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from pathlib import Path

    from PySide6.QtGui import QGuiApplication
    from sqlalchemy import select

    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.plan.model import Priority, Sprint
    from sprintdesk.storage.store import open_store

    url, data_dir, mode = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    app = QGuiApplication([])
    store = open_store(url)
    store.data_dir = data_dir
    doc = PlanDocument(store)
    sprint_id = doc.session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    sprint = doc.open_sprint(sprint_id)  # replays what a killed run left in the outbox
    if mode == "replay":
        print(f"replayed, {doc.outbox.count()} waiting", flush=True)
        doc.close()
        store.close()
        return
    number = 0
    while True:
        doc.insert_row(sprint.priorities, Priority(text=f"edit {number}"))
        doc.set_attr(sprint.goals[0], "why", f"edit {number}")
        if mode == "behind":
            # As the autosave timer does: the writer thread saves it; reported once it landed
            # (saved) or was journaled (offline).
            doc.autosave()
            while doc._behind is not None and doc._behind.busy or doc.state == "pending":
                app.processEvents()
                time.sleep(0.002)
        else:
            doc.save_now()
        print(f"{number} {'offline' if doc.offline else 'online'}", flush=True)
        number += 1
        deadline = time.monotonic() + 0.05
        while time.monotonic() < deadline:
            app.processEvents()  # the look-out for the server answers here
            time.sleep(0.005)


if __name__ == "__main__":
    main()
