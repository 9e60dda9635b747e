"""Asking about a same-field conflict on a team database: somebody else saved a different value
in the field this person changed; both values are shown and the person chooses."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QMessageBox, QWidget

from sprintdesk.editing.document import PlanDocument
from sprintdesk.storage.conflicts import FieldConflict


def _shown(value: object) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 300 else text[:300] + "…"


def changed_line(parent: QWidget, conflict: FieldConflict) -> str:
    """ "ana changed this at 14:05" (this computer's time) from the row's stamp (schema 0005);
    empty when the row does not say."""
    if not conflict.by:
        return ""
    if conflict.at is None:
        return parent.tr("%1 changed this.").replace("%1", conflict.by)
    at = conflict.at if conflict.at.tzinfo else conflict.at.replace(tzinfo=UTC)
    local = at.astimezone()
    shown = f"{local:%H:%M}"
    if local.date() != datetime.now().astimezone().date():
        shown = f"{local:%Y-%m-%d %H:%M}"
    return parent.tr("%1 changed this at %2.").replace("%1", conflict.by).replace("%2", shown)


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
            who = changed_line(parent, conflict)
            box.setInformativeText(
                (who + "\n" if who else "")
                + parent.tr("Yours: %1\nTheirs: %2")
                .replace("%1", _shown(conflict.mine))
                .replace("%2", _shown(conflict.theirs))
            )
        mine = box.addButton(parent.tr("Keep mine"), QMessageBox.ButtonRole.AcceptRole)
        theirs = box.addButton(parent.tr("Take theirs"), QMessageBox.ButtonRole.RejectRole)
        box.setEscapeButton(theirs)
        box.exec()
        doc.resolve_conflict(conflict, keep_mine=box.clickedButton() is mine)
