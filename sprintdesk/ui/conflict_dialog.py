"""Asking about a same-field conflict on a team database: somebody else saved a different value
in the field this person changed; both values are shown and the person chooses.

The field is named as the person knows it ("the note of the outcome “Ship the importer”"), never
as the code does: :func:`field_words` is the one place mapping each editable field to plain,
translated words (the pages' own labels), and :func:`row_words` names the row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from sprintdesk.editing.document import PlanDocument
from sprintdesk.storage.conflicts import FieldConflict

LABEL_CHARS = 60  # a row's title longer than this is shortened in the question


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConflictNames", text)


def _kinds() -> dict[str, str]:
    """What each kind of row is called on the pages."""
    return {
        "Person": _tr("person"),
        "Team": _tr("team"),
        "Sprint": _tr("sprint"),
        "AgendaSection": _tr("agenda section"),
        "OutcomeReview": _tr("outcome"),
        "RetroNote": _tr("retro note"),
        "Priority": _tr("priority"),
        "Goal": _tr("goal"),
        "GoalContributor": _tr("goal contributor"),
        "TeamPlan": _tr("team plan"),
        "TeamItem": _tr("item"),
        "Okr": _tr("OKR"),
        "PlanNote": _tr("note"),
        "Allocation": _tr("allocation"),
        "TimeOff": _tr("day off"),
        "SupportDuty": _tr("support duty"),
    }


def _fields() -> dict[str, str]:
    """What each editable field is called on the pages: ``Class.field`` or ``field`` for any
    row."""
    return {
        "name": _tr("name"),
        "title": _tr("title"),
        "text": _tr("text"),
        "note": _tr("note"),
        "description": _tr("description"),
        "target": _tr("target"),
        "status": _tr("status"),
        "position": _tr("place in the list"),
        "owner_id": _tr("owner"),
        "team_id": _tr("team"),
        "person_id": _tr("person"),
        "active": _tr("archived or active state"),
        "start": _tr("start date"),
        "end": _tr("end date"),
        "share": _tr("share"),
        "Person.github_login": _tr("GitHub login"),
        "Person.role": _tr("role"),
        "Sprint.state": _tr("state"),
        "Sprint.template": _tr("template"),
        "Sprint.facilitator_notes": _tr("facilitator notes"),
        "Sprint.meeting_section_id": _tr("meeting clock"),
        "Sprint.meeting_running_since": _tr("meeting clock"),
        "Sprint.meeting_started_at": _tr("meeting clock"),
        "Sprint.meeting_ended_at": _tr("meeting clock"),
        "AgendaSection.timebox_seconds": _tr("timebox"),
        "AgendaSection.extension_seconds": _tr("extra time"),
        "AgendaSection.actual_seconds": _tr("time spent"),
        "AgendaSection.visited": _tr("visited mark"),
        "OutcomeReview.carry_over": _tr("carry over choice"),
        "OutcomeReview.goal_id": _tr("goal"),
        "RetroNote.kind": _tr("list"),
        "Goal.why": _tr("why"),
        "Goal.confidence": _tr("confidence"),
        "Goal.carried_over": _tr("carried over mark"),
        "TeamPlan.support_hero_id": _tr("support hero"),
        "TeamPlan.time_off_note": _tr("time off note"),
        "TeamPlan.other_teams_impacted": _tr("other teams impacted"),
        "TeamItem.decision": _tr("decision"),
        "TeamItem.carried_over": _tr("carried over mark"),
        "TimeOff.half_day": _tr("half day mark"),
        "SupportDuty.week": _tr("week"),
    }


def row_words(obj: Any, values: dict[str, Any] | None = None) -> str:
    """The row as the person knows it: "the outcome “Ship the importer”" (its title, name or
    text as loaded, or in ``values``; "this outcome" when it has none)."""
    kind = _kinds().get(type(obj).__name__, _tr("row"))
    loaded = values if values is not None else getattr(obj, "__dict__", {})
    label = next(
        (str(loaded[key]) for key in ("title", "name", "text") if loaded.get(key)), ""
    ).strip()
    label = " ".join(label.split())
    if not label:
        return _tr("this %1").replace("%1", kind)
    if len(label) > LABEL_CHARS:
        label = label[: LABEL_CHARS - 1] + "…"
    return _tr("the %1 “%2”").replace("%1", kind).replace("%2", label)


def field_words(obj: Any, field: str) -> str:
    """The field as the person knows it: "the note of the outcome “Ship the importer”"."""
    names = _fields()
    name = names.get(f"{type(obj).__name__}.{field}") or names.get(field)
    row = row_words(obj)
    if name is None:
        return _tr("a field of %1").replace("%1", row)
    return _tr("the %1 of %2").replace("%1", name).replace("%2", row)


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
            box.setText(
                parent.tr("Somebody else deleted %1 while you were editing it.").replace(
                    "%1", row_words(conflict.obj, conflict.mine)
                )
            )
            box.setInformativeText(parent.tr("Keep yours, or let it go?"))
        else:
            box.setText(
                parent.tr("Somebody else changed %1 while you did.").replace(
                    "%1", field_words(conflict.obj, conflict.field)
                )
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
