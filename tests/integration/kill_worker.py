"""Child process for test_kill: commits small edits in a loop, the way the UI's autosave does
(one unit of work per edit), and prints each edit's number once its commit has returned.

Usage: python kill_worker.py DB_URL FIRST_NUMBER
"""

from __future__ import annotations

import sys

from sprintdesk.plan.model import Person, Setting
from sprintdesk.storage.store import open_store


def main() -> None:
    url, first = sys.argv[1], int(sys.argv[2])
    store = open_store(url)
    number = first
    while True:
        with store.unit_of_work() as session:
            session.add(Person(name=f"edit {number}", github_login=f"edit-{number}"))
            setting = session.get(Setting, "last_edit")
            if setting is None:
                session.add(Setting(key="last_edit", value=str(number)))
            else:
                setting.value = str(number)
        sys.stdout.write(f"{number}\n")
        sys.stdout.flush()
        number += 1


if __name__ == "__main__":
    main()
