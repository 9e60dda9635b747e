"""Fixtures shared by the UI tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    """The window's view state in a temporary file, never the user's."""
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
