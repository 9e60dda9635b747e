"""Tool windows' changes kept while the team database cannot be reached: the ``hold`` that
:meth:`~sprintdesk.editing.document.PlanDocument.write_later` calls offline (instead of refusing)
for days off added or removed in the availability window and for a person added in the roster,
and the rows that list them, marked as waiting, until they land. The outbox itself is
:mod:`sprintdesk.editing.offline` (``doc.beside``); the windows pass these in a few lines.

A ``hold`` may be called after its window closed (the save found the server gone on its way):
it keeps the change all the same and leaves the closed window alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)
from shiboken6 import isValid

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan import roster
from sprintdesk.views.widgets import show_message
from sprintdesk.views.wording import tr_n

Hold = Callable[[], bool]


class DaysOffWindow(Protocol):
    """What is used of the availability window (views.availability.AvailabilityEditor)."""

    doc: PlanDocument
    sprint_id: int
    off_person: QComboBox
    off_add: QPushButton
    off_remove: QPushButton
    off_note: QLineEdit
    off_half: QCheckBox
    off_table: QTableWidget
    message: QLabel
    waiting_shown: bool


class PeopleWindow(Protocol):
    """What is used of the roster's people page (views.roster.PeoplePage)."""

    doc: PlanDocument
    model: Any  # its rows: ``id`` (below 1 while waiting) and ``login``
    add_button: QPushButton
    new_name: QLineEdit
    new_login: QLineEdit
    message: QLabel

    def list_waiting(self) -> None: ...


def _tr(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


# --- days off (views.availability) -----------------------------------------------------------


def hold_days_off(
    editor: DaysOffWindow,
    person_id: int,
    start: date,
    end: date,
    *,
    half: bool,
    note: str,
    failed: Callable[[str], None],
) -> Hold:
    """The days off as entered, kept in the outbox: the entry fields are cleared (unless
    typed again meanwhile), the window says when they will be saved and lists them."""
    beside, sprint_id = editor.doc.beside, editor.sprint_id
    who = editor.off_person.currentText()

    def hold() -> bool:
        try:
            if not beside.hold_time_off(sprint_id, person_id, start, end, half_day=half, note=note):
                return False
        except roster.RosterError as exc:  # dates that could never be saved: said at once
            if isValid(editor):
                failed(str(exc))
            return True
        if not isValid(editor):
            return True
        editor.off_add.setEnabled(True)
        if editor.off_note.text() == note:
            editor.off_note.clear()
            editor.off_half.setChecked(False)
        text = _tr(
            "AvailabilityEditor",
            "The days off for %1 will be saved once the team database is back.",
        )
        show_message(editor.message, text.replace("%1", who), error=False)
        list_waiting_days_off(editor)
        editor.off_person.setFocus()  # back in the form, for the next entry
        return True

    return hold


def hold_days_off_removals(editor: DaysOffWindow, ids: list[int], keys: list[str]) -> Hold:
    """Days off removed: the rows ``ids`` (on the server) are removed when it is back, the
    waiting ones ``keys`` are dropped at once; both leave the list."""
    beside = editor.doc.beside
    count = len(ids) + len(keys)

    def hold() -> bool:
        if not beside.hold_removals(ids, keys):
            return False
        if not isValid(editor):
            return True
        editor.off_remove.setEnabled(True)
        text = tr_n(
            "AvailabilityEditor",
            "%n entries will be removed once the team database is back.",
            count,
            one="%n entry will be removed once the team database is back.",
        )
        show_message(editor.message, text, error=False)
        list_waiting_days_off(editor)
        return True

    return hold


def list_waiting_days_off(editor: DaysOffWindow) -> None:
    """The days off table as it will be: days off waiting to be added are listed, marked as
    waiting (their key, a string, as the row's data), days off waiting to be removed are taken
    off. ``editor.waiting_shown``: anything waits for this sprint (listed again once landed)."""
    table, beside = editor.off_table, editor.doc.beside
    removed = {key for key, _values in beside.waiting_beside("delete", "time_off")}
    for row in reversed(range(table.rowCount())):
        item = table.item(row, 0)
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if isinstance(key, str) or key in removed:  # listed as waiting before: again below
            table.removeRow(row)
    added = [
        (key, values)
        for key, values in beside.waiting_beside("timeoff", "time_off")
        if values.get("sprint_id") == editor.sprint_id
    ]
    for key, values in added:
        index = editor.off_person.findData(values["person_id"])
        name = editor.off_person.itemText(index) if index >= 0 else "?"
        cells = [
            _tr("AvailabilityEditor", "%1 (waiting)").replace("%1", name),
            str(values["start"]),
            str(values["end"]),
            _tr("AvailabilityEditor", "yes") if values.get("half_day") else "",
            str(values.get("note") or ""),
        ]
        row = table.rowCount()
        table.insertRow(row)
        for column, value in enumerate(cells):
            item = QTableWidgetItem(value)
            item.setData(Qt.ItemDataRole.UserRole, str(key))
            item.setToolTip(_tr("AvailabilityEditor", "Saved once the team database is back."))
            table.setItem(row, column, item)
    if added:
        table.sortItems(1)  # in date order (a stable sort: the same day keeps its order)
    editor.waiting_shown = bool(added or removed)


# --- people (views.roster) -------------------------------------------------------------------


def hold_person(
    page: PeopleWindow, name: str, login: str, role: str, failed: Callable[[str], None]
) -> Hold:
    """The person as typed, kept in the outbox: the same checks as adding (a login a listed
    person has is refused at once), the fields cleared (unless typed again meanwhile), the
    window says when they will be added and lists them."""
    beside = page.doc.beside

    def hold() -> bool:
        shown = isValid(page)
        try:
            clean = roster.clean_name(name)
            clean_login = roster.clean_login(login)
            for row in page.model.rows if shown else ():
                if row.id > 0 and clean_login and row.login.lower() == clean_login.lower():
                    raise roster.RosterError(
                        f"{row.name} already has the GitHub login “{row.login}”."
                    )
            before = len(beside.waiting_beside("person", "people"))
            if not beside.hold_person(clean, clean_login, roster.clean_role(role)):
                return False
            twin = len(beside.waiting_beside("person", "people")) == before
        except roster.RosterError as exc:
            if shown:
                failed(str(exc))
            return True
        if not shown:
            return True
        page.add_button.setEnabled(True)
        if (page.new_name.text(), page.new_login.text()) == (name, login):
            page.new_name.clear()
            page.new_login.clear()
        text = (
            _tr("PeoplePage", "%1 is already waiting to be added (the same login or name).")
            if twin
            else _tr("PeoplePage", "%1 will be added once the team database is back.")
        )
        show_message(page.message, text.replace("%1", clean), error=False)
        page.list_waiting()
        page.new_name.setFocus()  # back in the form, for the next person
        return True

    return hold


def waiting_people(doc: PlanDocument) -> list[tuple[str, str, str]]:
    """People waiting in the offline outbox: the name marked as waiting, login and role."""
    return [
        (
            _tr("PeoplePage", "%1 (waiting)").replace("%1", str(values["name"])),
            str(values.get("github_login") or ""),
            str(values["role"]),
        )
        for _key, values in doc.beside.waiting_beside("person", "people")
    ]
