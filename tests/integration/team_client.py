"""Child process for test_offline_kill: the roster's team page on a team database adding the
team named on each line of its input, printing "added NAME online|offline" after each; "replay"
only opens the latest sprint (which replays what a killed run left in the outbox).

Usage: python team_client.py DB_URL DATA_DIR add|replay
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from pathlib import Path

    from PySide6.QtWidgets import QApplication
    from sqlalchemy import select

    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.plan.model import Sprint
    from sprintdesk.storage.store import open_store
    from sprintdesk.views.roster import TeamsPage

    url, data_dir, mode = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    app = QApplication([])
    store = open_store(url)
    store.data_dir = data_dir
    doc = PlanDocument(store)
    sprint_id = doc.session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    doc.open_sprint(sprint_id)
    if mode == "replay":
        print(f"replayed, {doc.outbox.count()} waiting", flush=True)
        doc.close()
        store.close()
        return
    page = TeamsPage(doc)
    print("ready", flush=True)
    for line in sys.stdin:
        page.new_name.setText(line.strip())
        page.add_team()
        app.processEvents()
        print(f"added {line.strip()} {'offline' if doc.offline else 'online'}", flush=True)


if __name__ == "__main__":
    main()
