"""Fixtures shared by the UI tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.storage.store import Store


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    """The window's view state in a temporary file, never the user's."""
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def doc_for(qtbot: Any) -> Iterator[Callable[[Store], PlanDocument]]:
    """``doc_for(store)``: the document the window would hand its views (the welcome page,
    the preview, the tool windows), closed after the test."""
    from sprintdesk.editing.document import PlanDocument

    docs: list[PlanDocument] = []

    def make(store: Store) -> PlanDocument:
        doc = PlanDocument(store)
        docs.append(doc)
        return doc

    yield make
    for doc in docs:
        doc.close()
