"""Printing the plan (sprintdesk.ui.export_actions): the title once, and a default PDF file
name that keeps the whole sprint name (issue 14, item 24)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from sprintdesk.plan.model import Sprint
from sprintdesk.storage.store import Store
from sprintdesk.ui import export_actions


def _sprint_id(store: Store, name: str) -> int:
    with store.session() as session:
        sprint_id = session.scalar(select(Sprint.id).where(Sprint.name == name))
    assert sprint_id is not None
    return sprint_id


def test_printed_plan_shows_its_title_once(qtbot: Any, demo_store: Store) -> None:
    plan = export_actions.rendered_plan(demo_store, _sprint_id(demo_store, "4.12.0 1/2"))
    assert plan is not None
    text = export_actions.plan_document(plan).toPlainText()
    assert text.count("Sprint 4.12.0 1/2") == 1, text[:300]


def test_print_dialog_suggests_the_whole_sprint_name(
    qtbot: Any, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    class RecordingDialog(QPrintDialog):
        def exec(self) -> int:
            seen.append(self.printer().docName())
            return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(export_actions, "QPrintDialog", RecordingDialog)
    sprint_id = _sprint_id(demo_store, "4.12.0 1/2")
    assert not export_actions.print_plan(None, demo_store, sprint_id)
    (name,) = seen
    # Qt's dialog makes "<name>.pdf" from the part before the first dot: keep none, nor "/".
    assert "." not in name and "/" not in name
    assert name.startswith("Sprint-4-12-0-1-2"), name
