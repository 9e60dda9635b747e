"""The facilitator's private notes on a team database: kept on this computer, never on the server.

On this computer's SQLite database the notes stay in the sprint's row (exports and backups keep
them). On a team database everybody reads the same rows, so each person's notes for a sprint are
a small text file in the data folder instead: ``private-notes/<database>/<sprint id>.txt``, where
``<database>`` is a digest of the server's host, port and database name (never the password).
Each save replaces the file atomically (written beside it, flushed to disk, then renamed), so a
crash leaves either the notes before or after the save, never half of them. Qt-free.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sprintdesk.storage.server import parse

NOTES_DIRNAME = "private-notes"


def notes_folder(url: str, data_dir: Path) -> Path:
    """The folder of private notes for the team database at ``url`` (one per server and
    database; the password and the user are not part of the name)."""
    parsed = parse(url)
    ident = "|".join(str(part or "") for part in (parsed.host, parsed.port, parsed.database))
    digest = hashlib.sha256(ident.encode()).hexdigest()[:24]
    return data_dir / NOTES_DIRNAME / digest


class PrivateNotes:
    """This person's notes for the sprints of one team database, one file per sprint."""

    def __init__(self, url: str, data_dir: Path) -> None:
        self.folder = notes_folder(url, data_dir)

    def path(self, sprint_id: int) -> Path:
        return self.folder / f"{int(sprint_id)}.txt"

    def read(self, sprint_id: int) -> str:
        """The notes for ``sprint_id`` ("" when there are none yet)."""
        try:
            return self.path(sprint_id).read_text(encoding="utf-8")
        except FileNotFoundError:
            return ""

    def write(self, sprint_id: int, text: str) -> None:
        """Save the notes for ``sprint_id`` atomically (OSError when the disk refuses)."""
        target = self.path(sprint_id)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".notes-", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
                stream.write(text)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
