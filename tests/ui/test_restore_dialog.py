"""File → Restore from backup: the list, the confirmation, and the swap itself."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from sprintdesk.plan.model import Person
from sprintdesk.storage import backups
from sprintdesk.storage.store import Store, backup_dir_for
from sprintdesk.ui.restore_dialog import RestoreDialog, human_size, perform_restore
from tests.ui.accessibility import describe, unnamed_interactive_widgets

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _add(store: Store, name: str) -> None:
    with store.unit_of_work() as session:
        session.add(Person(name=name))


@pytest.fixture
def db_with_backups(store: Store) -> tuple[Store, Path, Path]:
    assert store.path is not None
    _add(store, "Ana")
    older = backups.daily_backup(store.path, today=date(2026, 1, 5))
    assert older is not None
    os.utime(older, (1_767_600_000, 1_767_600_000))  # 2026-01-05
    _add(store, "Ben")
    newer = backups.daily_backup(store.path, today=date(2026, 1, 6))
    assert newer is not None
    _add(store, "Cleo")
    return store, older, newer


def _answer(monkeypatch: pytest.MonkeyPatch, button: QMessageBox.StandardButton) -> list[str]:
    asked: list[str] = []

    def question(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def test_lists_backups_newest_first(
    qtbot: QtBot, db_with_backups: tuple[Store, Path, Path]
) -> None:
    store, older, newer = db_with_backups
    assert store.path is not None
    dialog = RestoreDialog(store.path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.topLevelItemCount() == 2
    first = dialog.list.topLevelItem(0)
    assert first.data(0, Qt.ItemDataRole.UserRole).path == newer
    assert first.text(1) == "Daily"
    assert dialog.list.topLevelItem(1).text(0).startswith("2026-01-05")
    assert first.text(3).endswith("KB")
    assert dialog.restore_button.isEnabled()
    assert not dialog.empty_label.isVisible()
    assert str(backup_dir_for(store.path)) in dialog.folder_label.text()
    missing = unnamed_interactive_widgets(dialog, strict=True)
    assert not missing, describe(missing)


def test_confirm_then_restore(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, db_with_backups: tuple[Store, Path, Path]
) -> None:
    store, older, _newer = db_with_backups
    assert store.path is not None
    dialog = RestoreDialog(store.path)
    qtbot.addWidget(dialog)
    dialog.show()
    item = dialog.list.topLevelItem(1)
    assert item is not None
    dialog.list.setCurrentItem(item)
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert "2026-01-05" in asked[0] and "backed up first" in asked[0]
    assert dialog.chosen is not None and dialog.chosen.path == older

    restored, safety = perform_restore(store, dialog.chosen.path)
    try:
        with restored.session() as session:
            assert session.scalars(select(Person.name)).all() == ["Ana"]
    finally:
        restored.close()
    assert safety is not None and safety.exists()
    # The safety copy now shows up in the list, so the restore can be undone.
    again = RestoreDialog(store.path)
    qtbot.addWidget(again)
    kinds = [again.list.topLevelItem(i).text(1) for i in range(again.list.topLevelItemCount())]
    assert "Before a restore" in kinds


def test_cancel_changes_nothing(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, db_with_backups: tuple[Store, Path, Path]
) -> None:
    store, _older, _newer = db_with_backups
    assert store.path is not None
    dialog = RestoreDialog(store.path)
    qtbot.addWidget(dialog)
    dialog.show()
    _answer(monkeypatch, QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.chosen is None
    with store.session() as session:
        assert len(session.scalars(select(Person)).all()) == 3


def test_a_damaged_backup_is_explained(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, store: Store
) -> None:
    assert store.path is not None
    bad = backup_dir_for(store.path) / "sprintdesk-manual-20260101-120000.db"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"not a database at all")
    dialog = RestoreDialog(store.path)
    qtbot.addWidget(dialog)
    dialog.show()
    asked = _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert asked == []  # never asked to confirm a file that cannot be restored
    assert dialog.error_label.isVisible()
    assert "not a SQLite database" in dialog.error_label.text()
    assert dialog.chosen is None


def test_no_backups_yet(qtbot: QtBot, store: Store) -> None:
    assert store.path is not None
    dialog = RestoreDialog(store.path)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.empty_label.isVisible()
    assert not dialog.restore_button.isEnabled()


def test_human_size() -> None:
    assert human_size(512) == "512 bytes"
    assert human_size(2048) == "2.0 KB"
    assert human_size(5 * 1024 * 1024) == "5.0 MB"
