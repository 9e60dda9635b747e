"""Child process for test_offline_kill: the roster's team page on a team database adding the
team named on each line of its input, printing "added NAME online|offline" after each; "beside"
reads "person NAME" (added in the roster's people page) or "off YYYY-MM-DD" (a day off for the
first person of the availability window, whose id it prints with "ready"), waits for each to be
saved or kept offline and prints "added LINE online|offline"; "replay" only opens the latest
sprint (which replays what a killed run left in the outbox).

Usage: python team_client.py DB_URL DATA_DIR add|beside|replay
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

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
    if mode == "beside":
        beside(app, doc, sprint_id)
        return
    page = TeamsPage(doc)
    print("ready", flush=True)
    for line in sys.stdin:
        page.new_name.setText(line.strip())
        page.add_team()
        while not page.add_button.isEnabled():  # saved behind the window: until it landed
            app.processEvents()  # (or was found offline and waits in the outbox)
            time.sleep(0.005)
        app.processEvents()
        print(f"added {line.strip()} {'offline' if doc.offline else 'online'}", flush=True)


def beside(app: Any, doc: Any, sprint_id: int) -> None:
    """People and days off added in the tool windows, each reported once saved or kept."""
    from datetime import date

    from sprintdesk.views.availability import AvailabilityEditor
    from sprintdesk.views.dates import qdate
    from sprintdesk.views.roster import PeoplePage

    people = PeoplePage(doc)
    editor = AvailabilityEditor(doc, sprint_id)
    while editor.off_person.itemData(0) is None:  # the window's people are read behind it
        app.processEvents()
        time.sleep(0.01)
    print(f"ready {editor.off_person.itemData(0)}", flush=True)
    for raw in sys.stdin:
        kind, value = raw.strip().split(" ", 1)
        if kind == "person":
            people.new_name.setText(value)
            people.add_person()
            button = people.add_button
        else:
            editor.off_person.setCurrentIndex(0)
            editor.off_from.setDate(qdate(date.fromisoformat(value)))
            editor.off_to.setDate(qdate(date.fromisoformat(value)))
            editor.add_days_off()
            button = editor.off_add
        while not button.isEnabled():  # saved behind the window, or kept in the outbox
            app.processEvents()
            time.sleep(0.01)
        print(f"added {raw.strip()} {'offline' if doc.offline else 'online'}", flush=True)


if __name__ == "__main__":
    main()
