"""Backups during a day's work (issue 14, item 22): before the first save after an hour the
database is copied as it was, so a restore after a corruption does not go back to the empty
copy made at the day's first start; the restore list says how old each copy is."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import Sprint
from sprintdesk.storage import backups
from sprintdesk.storage.store import Store, backup_dir_for
from sprintdesk.ui.restore_dialog import RestoreDialog


def _age(path: Path, hours: float) -> None:
    moment = (datetime.now() - timedelta(hours=hours)).timestamp()
    os.utime(path, (moment, moment))


def _goal_why(db: Path, goal_id: int) -> str:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("SELECT why FROM goals WHERE id = ?", (goal_id,)).fetchone()[0])
    finally:
        conn.close()


def test_first_save_after_an_hour_backs_up_the_work_before_it(qtbot, demo_store: Store) -> None:
    db = demo_store.path
    assert db is not None
    morning = backups.daily_backup(db)  # the day's first start
    assert morning is not None
    _age(morning, 3)  # three hours of work since
    doc = PlanDocument(demo_store)
    with demo_store.session() as session:
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    sprint = doc.open_sprint(sprint_id)
    goal = sprint.goals[0]
    doc.set_attr(goal, "why", "Written during the afternoon")
    assert doc.save_now()
    doc.set_attr(goal, "why", "Written a little later")
    assert doc.save_now()
    made = [b for b in backups.list_backups(db) if b.kind == "hourly"]
    assert len(made) == 1  # one per hour, not one per save
    # The copy holds the plan as it was before the edit that triggered it.
    before = _goal_why(made[0].path, goal.id)
    assert before not in ("Written during the afternoon", "Written a little later")
    assert _goal_why(db, goal.id) == "Written a little later"
    doc.close()


def test_no_hourly_backup_within_the_hour(store: Store) -> None:
    db = store.path
    assert db is not None
    daily = backups.daily_backup(db)
    assert daily is not None
    now = datetime.now()
    assert backups.hourly_backup(db, now=now + timedelta(minutes=30)) is None
    made = backups.hourly_backup(db, now=now + timedelta(minutes=61))
    assert made is not None and made.name.startswith(backups.HOURLY_PREFIX)
    # Hourly copies are kept two days; the daily ones keep their own 14-day rule.
    later = backups.hourly_backup(db, now=now + timedelta(days=3))
    assert later is not None and not made.exists() and daily.exists()


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        (0.001, "just now"),
        (1 / 60 * 1.5, "1 minute ago"),
        (0.5, "30 minutes ago"),
        (1.2, "1 hour ago"),
        (2.5, "2 hours ago"),
        (49, "2 days ago"),
    ],
)
def test_restore_list_says_how_old_each_copy_is(
    qtbot, store: Store, hours: float, expected: str
) -> None:
    db = store.path
    assert db is not None
    copy = backups.daily_backup(db)
    assert copy is not None
    _age(copy, hours)
    dialog = RestoreDialog(db)
    qtbot.addWidget(dialog)
    item = dialog.list.topLevelItem(0)
    assert item is not None
    assert item.text(0).endswith(" · " + expected), item.text(0)
    assert backup_dir_for(db) == copy.parent
