"""Asking about a same-field conflict on a team database: somebody else saved a different value
in the field this person changed; both values are shown and the person chooses."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from sprintdesk.editing.document import PlanDocument
from sprintdesk.storage.conflicts import FieldConflict


def _shown(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 300 else text[:300] + "…"


def ask_about_conflicts(parent: QWidget, doc: PlanDocument, conflicts: list[FieldConflict]) -> None:
    """One question per conflict: Keep mine / Take theirs (Escape keeps theirs, as saved)."""
    for conflict in conflicts:
        box = QMessageBox(parent)
        box.setObjectName("conflictBox")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(parent.tr("Changed by somebody else"))
        if conflict.field is None:
            box.setText(parent.tr("Somebody else deleted a row you were editing."))
            box.setInformativeText(parent.tr("Keep your row, or let it go?"))
        else:
            box.setText(
                parent.tr("Somebody else changed %1 while you did.").replace("%1", conflict.what)
            )
            box.setInformativeText(
                parent.tr("Yours: %1\nTheirs: %2")
                .replace("%1", _shown(conflict.mine))
                .replace("%2", _shown(conflict.theirs))
            )
        mine = box.addButton(parent.tr("Keep mine"), QMessageBox.ButtonRole.AcceptRole)
        theirs = box.addButton(parent.tr("Take theirs"), QMessageBox.ButtonRole.RejectRole)
        box.setEscapeButton(theirs)
        box.exec()
        doc.resolve_conflict(conflict, keep_mine=box.clickedButton() is mine)
