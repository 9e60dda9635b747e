"""Names in and out of markdown (issue 14 walk-through, finding 20): the export's suggested
file name has one dash between words, and the import review wraps a long name and says when a
sprint name was shortened."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from sprintdesk.storage.store import Store
from sprintdesk.ui import export_actions

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.mark.parametrize(
    "title, expected",
    [
        (
            "Sprint 4.12.0 1/2 - Nov 16 to Nov 27",
            "sprint-4.12.0-1-2-nov-16-to-nov-27.md",
        ),
        ("Sprint 7 -- Mar 3 — Mar 14", "sprint-7-mar-3-mar-14.md"),
        ("///", "sprint-plan.md"),
    ],
)
def test_the_suggested_export_name_has_single_dashes(title: str, expected: str) -> None:
    name = export_actions.suggested_filename(title)
    assert name == expected
    assert "--" not in name


def test_the_print_name_has_single_dashes() -> None:
    assert export_actions.print_doc_name("Sprint 4.12.0 1/2 - Nov 16") == "Sprint-4-12-0-1-2-Nov-16"


def test_a_long_name_is_wrapped_and_its_shortening_is_said(
    qtbot: Any, store: Store, tmp_path: Path
) -> None:
    long_name = "X" * 300  # one word, as a generated name in a file can be
    plan = tmp_path / "plan.md"
    plan.write_text(f"# Sprint {long_name}\n\n## Sprint priorities\n\n1. Speed\n", encoding="utf-8")
    lines: list[list[str]] = []
    sprint_id = export_actions.import_path(None, store, plan, review=lines.append)
    assert sprint_id is not None
    (review,) = lines
    assert any("300 characters" in line and "first 200" in line for line in review)
    box = export_actions.show_import_review(None, "X" * 200, review)
    qtbot.addWidget(box)
    qtbot.waitExposed(box)
    screen = box.screen().availableGeometry()
    assert box.width() <= screen.width()
    label = next(
        w for w in box.findChildren(QLabel) if w.text().startswith("Imported ") and w.isVisible()
    )
    assert label.text().replace("\u200b", "") == f"Imported {'X' * 200}."
    assert label.wordWrap()
    assert label.sizeHint().width() <= screen.width()
    assert "300 characters" in box.informativeText()
    box.close()
