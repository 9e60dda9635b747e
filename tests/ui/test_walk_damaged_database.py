"""A damaged database (issue 14 walk-through, finding 19): with no backup, the message gives a
next step (where the damaged file is kept, start with an empty database, import an export);
the restore list says what each copy holds, so an empty first-start copy is not chosen by
mistake."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox, QPushButton

from sprintdesk.plan.demo import load_demo
from sprintdesk.storage.backups import daily_backup, hourly_backup
from sprintdesk.storage.store import backup_dir_for, open_store
from sprintdesk.ui.main_window import MainWindow
from sprintdesk.ui.restore_dialog import RestoreDialog
from tests.ui.window_support import open_in

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

# A SprintDesk database whose pages were overwritten: its SQLite header is still there.
DAMAGED = b"SQLite format 3\x00" + b"\x00this file was damaged" * 500


def _damage(db: Path) -> None:
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    db.write_bytes(DAMAGED)


def _window(qtbot, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    return win


def _press(text: str, told: list[str]):
    def exec_(box: QMessageBox) -> int:
        told.append(box.text() + "\n" + box.informativeText())
        next(b for b in box.findChildren(QPushButton) if b.text() == text).click()
        return 0

    return exec_


def test_no_backup_says_what_to_do_and_can_start_fresh(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "plans" / "sprintdesk.db"
    url = f"sqlite:///{db}"
    open_store(url).close()
    _damage(db)
    assert not backup_dir_for(db).exists() or not list(backup_dir_for(db).glob("*.db"))

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", _press("Quit", told))
    win = _window(qtbot, tmp_path)
    assert not open_in(win, url)
    assert db.read_bytes() == DAMAGED  # Quit changes nothing
    message = told[0]
    assert "cannot be read" in message
    assert str(backup_dir_for(db)) in message and str(db) in message  # where it is kept
    assert "start with an empty database" in message.lower() and "Import" in message

    told.clear()
    monkeypatch.setattr(QMessageBox, "exec", _press("Start with an empty database", told))
    assert open_in(win, url)
    assert win.store is not None and win.doc.sprint is None  # a fresh, empty database
    kept = list(backup_dir_for(db).glob("sprintdesk-damaged-*.db"))
    assert len(kept) == 1 and kept[0].read_bytes() == DAMAGED
    win.close()


def test_the_restore_list_says_what_each_copy_holds(qtbot, tmp_path: Path) -> None:
    db = tmp_path / "plans" / "sprintdesk.db"
    store = open_store(f"sqlite:///{db}")
    first_start = daily_backup(db)  # the day's first start: an empty database
    assert first_start is not None
    with store.unit_of_work() as session:
        load_demo(session)
    worked = hourly_backup(db, now=datetime.now() + timedelta(hours=2))
    assert worked is not None
    store.close()
    dialog = RestoreDialog(db)
    qtbot.addWidget(dialog)
    rows = {
        dialog.list.topLevelItem(i).data(0, 0x0100).path: dialog.list.topLevelItem(i).text(2)
        for i in range(dialog.list.topLevelItemCount())
    }
    assert rows[first_start] == "empty: no sprints, no people"
    assert rows[worked].startswith("4 sprints, ")
    assert "people" in rows[worked] and "newest: 4.12.0 2/2" in rows[worked]
