"""Child process for test_offline_kill: the roster's team page on a team database ticking one
team's members in a loop (one person each time, the way a person clicks), printing each change's
number, whether it was committed or is waiting offline, and the members it chose.

Usage: python members_client.py DB_URL DATA_DIR edit|replay
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    from pathlib import Path

    from PySide6.QtCore import Qt
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
    doc.open_sprint(sprint_id)  # replays what a killed run left in the outbox
    if mode == "replay":
        print(f"replayed, {doc.outbox.count()} waiting", flush=True)
        doc.close()
        store.close()
        return
    page = TeamsPage(doc)
    while not page.team_list.count():  # the teams are read behind the window
        app.processEvents()
        time.sleep(0.005)
    page.team_list.setCurrentRow(0)
    while not page.members.count():  # and the team's details
        app.processEvents()
        time.sleep(0.005)
    number = 0
    while True:
        item = page.members.item(number % page.members.count())
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
        chosen = ",".join(str(i) for i in sorted(page.member_ids()))
        print(f"{number} {'offline' if doc.offline else 'online'} {chosen}", flush=True)
        number += 1
        deadline = time.monotonic() + 0.05
        while time.monotonic() < deadline:
            app.processEvents()  # the look-out for the server answers here
            time.sleep(0.005)


if __name__ == "__main__":
    main()
