"""The private notes' files on this computer: one folder per team database (never named after the
password), one file per sprint, each save all or nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sprintdesk.storage.private_notes import PrivateNotes

URL = "postgresql+psycopg://ann:s3cret@db.example.com:5433/sprints"


def test_one_folder_per_database_whatever_the_password(tmp_path: Path) -> None:
    notes = PrivateNotes(URL, tmp_path)
    assert notes.folder == PrivateNotes(URL.replace("s3cret", "other"), tmp_path).folder
    assert notes.folder != PrivateNotes(URL.replace("/sprints", "/other"), tmp_path).folder
    assert notes.folder != PrivateNotes(URL.replace(":5433", ":5432"), tmp_path).folder
    notes.write(7, "Ask Dana")
    assert not any("s3cret" in str(path) for path in tmp_path.rglob("*"))
    assert notes.read(7) == "Ask Dana" and notes.read(8) == ""


def test_a_save_that_fails_keeps_the_notes_before_it(tmp_path: Path, monkeypatch) -> None:
    notes = PrivateNotes(URL, tmp_path)
    notes.write(7, "first\nline two")
    assert notes.read(7) == "first\nline two"

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        notes.write(7, "second")
    assert notes.read(7) == "first\nline two"
    assert [path.name for path in notes.folder.iterdir()] == ["7.txt"]  # no half-written file
