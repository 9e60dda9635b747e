"""Availability for one sprint: part-time shares, days off (ranges, half days) and the support
hero per team and week. Used in the roster window's Availability tab and, on its own, as
:class:`AvailabilityDialog` (e.g. from a team page).

Every change is written at once; bad input shows a message and keeps what was typed. On a team
database that cannot be reached, days off added or removed wait in the offline outbox and are
listed, marked as waiting, until they have landed.

Signals: ``AvailabilityEditor.changed()`` after a change was written.
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan import roster
from sprintdesk.plan.capacity import compute_capacity, fmt_days, sprint_people
from sprintdesk.plan.model import Person, Sprint, Team
from sprintdesk.plan.workdays import week_count, working_days
from sprintdesk.views.dates import pydate, qdate
from sprintdesk.views.waiting import hold_days_off, hold_days_off_removals, list_waiting_days_off

NOBODY = "—"


class AvailabilityEditor(QWidget):
    """Shares, days off and support heroes of one sprint."""

    changed = Signal()

    def __init__(self, doc: PlanDocument, sprint_id: int, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.sprint_id = sprint_id
        self.setObjectName("availabilityEditor")
        self.setAccessibleName(self.tr("Availability"))
        self._loading = False
        self.waiting_shown = False  # days off listed as waiting in the offline outbox
        doc.outboxChanged.connect(self._outbox_changed)
        self.share_spins: dict[int, QSpinBox] = {}
        self.hero_boxes: dict[tuple[int, int], QComboBox] = {}  # (team id, week 0=whole sprint)

        self.message = QLabel()
        self.message.setObjectName("availabilityMessage")
        self.message.setWordWrap(True)
        self.capacity_line = QLabel()
        self.capacity_line.setObjectName("availabilityCapacity")
        self.capacity_line.setWordWrap(True)

        # Days off: the list, then a row to add a range.
        self.off_table = QTableWidget(0, 5)
        self.off_table.setObjectName("daysOffTable")
        self.off_table.setAccessibleName(self.tr("Days off"))
        self.off_table.setHorizontalHeaderLabels(
            [
                self.tr("Person"),
                self.tr("From"),
                self.tr("To"),
                self.tr("Half days"),
                self.tr("Note"),
            ]
        )
        self.off_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.off_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.off_table.verticalHeader().hide()
        self.off_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.off_table.setMinimumHeight(130)
        self.off_person = QComboBox()
        self.off_person.setObjectName("daysOffPerson")
        self.off_person.setAccessibleName(self.tr("Who is off"))
        self.off_from = QDateEdit()
        self.off_from.setObjectName("daysOffFrom")
        self.off_from.setAccessibleName(self.tr("First day off"))
        self.off_to = QDateEdit()
        self.off_to.setObjectName("daysOffTo")
        self.off_to.setAccessibleName(self.tr("Last day off"))
        for edit in (self.off_from, self.off_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.off_from.dateChanged.connect(self._from_changed)
        self.off_half = QCheckBox(self.tr("Half days"))
        self.off_half.setObjectName("daysOffHalf")
        self.off_note = QLineEdit()
        self.off_note.setObjectName("daysOffNote")
        self.off_note.setAccessibleName(self.tr("Note"))
        self.off_note.setPlaceholderText(self.tr("Note (optional)"))
        self.off_add = QPushButton(self.tr("Add days off"))
        self.off_add.setObjectName("addDaysOff")
        self.off_add.clicked.connect(self.add_days_off)
        self.off_remove = QPushButton(self.tr("Remove selected"))
        self.off_remove.setObjectName("removeDaysOff")
        self.off_remove.clicked.connect(self.remove_selected_days_off)
        add_row = QHBoxLayout()
        for widget in (
            self.off_person,
            self.off_from,
            QLabel("→"),
            self.off_to,
            self.off_half,
            self.off_note,
            self.off_add,
        ):
            add_row.addWidget(widget)
        off_box = QGroupBox(self.tr("Days off"))
        off_layout = QVBoxLayout(off_box)
        off_layout.addWidget(self.off_table)
        off_layout.addLayout(add_row)
        remove_row = QHBoxLayout()
        remove_row.addStretch(1)
        remove_row.addWidget(self.off_remove)
        off_layout.addLayout(remove_row)

        self.share_grid = QGridLayout()
        share_box = QGroupBox(self.tr("Part-time share"))
        share_box.setLayout(self.share_grid)
        self.hero_grid = QGridLayout()
        hero_box = QGroupBox(self.tr("Support hero (zero product work that week)"))
        hero_box.setLayout(self.hero_grid)

        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addWidget(off_box)
        columns = QHBoxLayout()
        columns.addWidget(share_box, 1)
        columns.addWidget(hero_box, 2)
        inner_layout.addLayout(columns)
        inner_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.capacity_line)
        layout.addWidget(self.message)
        self.reload()

    # --- loading -----------------------------------------------------------------------

    def _sprint(self, session: Session) -> Sprint:
        sprint = session.get(Sprint, self.sprint_id)
        if sprint is None:
            raise roster.RosterError(self.tr("That sprint no longer exists."))
        return sprint

    def reload(self) -> None:
        self._loading = True
        with self.doc.read() as session:
            sprint = session.get(Sprint, self.sprint_id)
            if sprint is None:
                self.setEnabled(False)
                self.message.setText(self.tr("That sprint no longer exists."))
                self._loading = False
                return
            people = sprint_people(sprint)
            others = [p for p in roster.people(session, include_archived=False) if p not in people]
            self._fill_days_off(sprint, people + others)
            self._fill_shares(sprint, people)
            self._fill_heroes(session, sprint)
            self._update_capacity(sprint)
            if sprint.start and sprint.end:
                # No date range on the boxes: typed a part at a time, a date passes through
                # values outside the sprint (30 Nov -> 30 Dec -> 3 Dec), which a range would
                # refuse, so December could not be typed. Adding checks the dates instead.
                start, end = qdate(sprint.start), qdate(sprint.end)
                outside = not start <= self.off_from.date() <= end
                if outside or not self.off_table.rowCount():
                    self.off_from.setDate(qdate(sprint.start))
                    self.off_to.setDate(qdate(sprint.start))
        self._loading = False

    def _fill_days_off(self, sprint: Sprint, people: list[Person]) -> None:
        current = self.off_person.currentData()
        self.off_person.clear()
        for person in people:
            self.off_person.addItem(person.name, person.id)
        index = self.off_person.findData(current)
        self.off_person.setCurrentIndex(max(0, index))
        self.off_table.setRowCount(0)
        for entry in sprint.time_off:
            row = self.off_table.rowCount()
            self.off_table.insertRow(row)
            values = [
                entry.person.name,
                str(entry.start),
                str(entry.end),
                self.tr("yes") if entry.half_day else "",
                entry.note,
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, entry.id)
                self.off_table.setItem(row, column, item)
        list_waiting_days_off(self)

    def _clear_grid(self, grid: QGridLayout) -> None:
        while grid.count():
            item = grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.setParent(None)
                widget.deleteLater()

    def _fill_shares(self, sprint: Sprint, people: list[Person]) -> None:
        self._clear_grid(self.share_grid)
        self.share_spins = {}
        for row, person in enumerate(people):
            spin = QSpinBox()
            spin.setObjectName(f"share-{person.id}")
            spin.setAccessibleName(self.tr("%1's share").replace("%1", person.name))
            spin.setRange(int(roster.MIN_SHARE * 100), int(roster.MAX_SHARE * 100))
            spin.setSingleStep(10)
            spin.setSuffix(" %")
            spin.setValue(round(roster.share_of(sprint, person.id) * 100))
            spin.valueChanged.connect(lambda value, pid=person.id: self.set_share(pid, value))
            label = QLabel(person.name)
            label.setBuddy(spin)
            self.share_grid.addWidget(label, row, 0)
            self.share_grid.addWidget(spin, row, 1)
            self.share_spins[person.id] = spin
        for row in range(len(people)):
            self.share_grid.setRowStretch(row, 0)
        self.share_grid.setRowStretch(len(people), 1)

    def _fill_heroes(self, session: Session, sprint: Sprint) -> None:
        self._clear_grid(self.hero_grid)
        self.hero_boxes = {}
        weeks = week_count(sprint)
        headers = [self.tr("Team"), self.tr("Whole sprint")] + [
            self.tr("Week %1").replace("%1", str(w)) for w in range(1, weeks + 1)
        ]
        for column, text in enumerate(headers):
            label = QLabel(f"<b>{text}</b>")
            self.hero_grid.addWidget(label, 0, column)
        candidates = roster.people(session, include_archived=False)
        for row, plan in enumerate(sprint.team_plans, start=1):
            self.hero_grid.addWidget(QLabel(plan.team.name), row, 0)
            members = {p.id for p in plan.team.members}
            ordered = [p for p in candidates if p.id in members] + [
                p for p in candidates if p.id not in members
            ]
            chosen = {0: plan.support_hero_id}
            for week in range(1, weeks + 1):
                chosen[week] = roster.duty_of(sprint, plan.team_id, week)
            for week in range(0, weeks + 1):
                box = QComboBox()
                box.setObjectName(f"hero-{plan.team_id}-{week}")
                box.setAccessibleName(
                    self.tr("Support hero for %1, %2")
                    .replace("%1", plan.team.name)
                    .replace("%2", headers[week + 1])
                )
                box.addItem(NOBODY, None)
                for person in ordered:
                    box.addItem(person.name, person.id)
                if chosen[week] is not None and box.findData(chosen[week]) < 0:
                    missing = session.get(Person, chosen[week])
                    box.addItem(missing.name if missing else "?", chosen[week])
                box.setCurrentIndex(max(0, box.findData(chosen[week])))
                box.currentIndexChanged.connect(
                    lambda _i, team_id=plan.team_id, wk=week, b=box: self.set_hero(
                        team_id, wk, b.currentData()
                    )
                )
                self.hero_grid.addWidget(box, row, week + 1)
                self.hero_boxes[(plan.team_id, week)] = box
        last = len(sprint.team_plans) + 1
        if not sprint.team_plans:
            self.hero_grid.addWidget(QLabel(self.tr("This sprint has no teams.")), 1, 0, 1, 2)
        hint = QLabel(self.tr("A hero chosen for a week replaces the whole-sprint hero that week."))
        hint.setWordWrap(True)
        self.hero_grid.addWidget(hint, last + 1, 0, 1, weeks + 2)
        for row in range(last + 2):
            self.hero_grid.setRowStretch(row, 0)
        self.hero_grid.setRowStretch(last + 2, 1)

    def _update_capacity(self, sprint: Sprint) -> None:
        if not working_days(sprint.start, sprint.end):
            self.capacity_line.setText(
                self.tr("This sprint has no dates yet, so there is no capacity to work out.")
            )
            return
        parts = [
            f"{entry.name} {fmt_days(entry.capacity)}"
            for entry in compute_capacity(sprint).values()
        ]
        self.capacity_line.setText(self.tr("Product capacity: %1").replace("%1", ", ".join(parts)))

    # --- edits -------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e; font-weight: bold;" if error else "")

    def _from_changed(self, day: QDate) -> None:
        if self.off_to.date() < day:
            self.off_to.setDate(day)

    def add_days_off(self) -> bool:
        """Add the days off as entered. On a team database the save runs behind the window
        (``PlanDocument.write_later``): the button waits, the entry stays as typed until the
        save lands, and a failure says why and keeps it. False when refused at once."""
        person_id = self.off_person.currentData()
        if person_id is None:
            self._say(self.tr("Choose who is off."), error=True)
            return False
        sprint_id = self.sprint_id
        start, end = pydate(self.off_from.date()), pydate(self.off_to.date())
        half, note = self.off_half.isChecked(), self.off_note.text()
        gone = self.tr("That person was deleted elsewhere.")
        missing = self.tr("That sprint no longer exists.")

        def work(session: Session) -> str:
            sprint = session.get(Sprint, sprint_id)
            if sprint is None:
                raise roster.RosterError(missing)
            person = session.get(Person, person_id)
            if person is None:
                raise roster.RosterError(gone)
            roster.add_time_off(session, sprint, person, start, end, half_day=half, note=note)
            return person.name

        refused: list[str] = []

        def landed(name: object) -> None:
            self.off_add.setEnabled(True)
            if self.off_note.text() == note:  # typed again meanwhile: that stays
                self.off_note.clear()
                self.off_half.setChecked(False)
            self._say(self.tr("Added days off for %1.").replace("%1", str(name)))
            self.reload()
            self.changed.emit()

        def failed(message: str) -> None:
            self.off_add.setEnabled(True)
            refused.append(message)
            self._say(message, error=True)

        hold = hold_days_off(self, person_id, start, end, half=half, note=note, failed=failed)
        self.off_add.setEnabled(False)
        self._say(self.tr("Saving…"))
        self.doc.write_later(work, landed=landed, failed=failed, owner=self, hold=hold)
        return not refused

    def remove_selected_days_off(self) -> None:
        rows = {index.row() for index in self.off_table.selectedIndexes()}
        items = [self.off_table.item(row, 0) for row in rows]
        chosen = {item.data(Qt.ItemDataRole.UserRole) for item in items if item is not None}
        if not chosen:
            self._say(self.tr("Select the days off to remove first."), error=True)
            return
        sprint_id = self.sprint_id
        # Rows on the server have their id; days off waiting in the offline outbox a key.
        ids = {entry for entry in chosen if isinstance(entry, int)}
        keys = [str(entry) for entry in chosen if isinstance(entry, str)]

        def work(session: Session) -> None:
            sprint = session.get(Sprint, sprint_id)
            if sprint is None:
                return
            for entry in list(sprint.time_off):
                if entry.id in ids:
                    roster.remove_time_off(session, sprint, entry)

        def landed(_result: object) -> None:
            self.off_remove.setEnabled(True)
            self._say(self.tr("Removed %n entries.", "", len(ids)))
            self.reload()
            self.changed.emit()

        def failed(message: str) -> None:
            self.off_remove.setEnabled(True)
            self._say(message, error=True)

        hold = hold_days_off_removals(self, sorted(ids), keys)
        self.off_remove.setEnabled(False)
        self._say(self.tr("Saving…"))
        self.doc.write_later(work, landed=landed, failed=failed, owner=self, hold=hold)

    def _outbox_changed(self, count: int) -> None:
        if count == 0 and self.waiting_shown and not self.doc.offline:
            # What waited has landed: list the days off as the server has them (offline the
            # last waiting entry was only removed again: nothing can be read).
            self.waiting_shown = False
            self.reload()
            self.changed.emit()

    def set_share(self, person_id: int, percent: int) -> None:
        if self._loading:
            return
        try:
            with self.doc.write() as session:
                sprint = self._sprint(session)
                person = session.get(Person, person_id)
                if person is None:
                    return
                roster.set_share(session, sprint, person, percent / 100)
                self._update_capacity(sprint)
        except roster.RosterError as exc:
            self._say(str(exc), error=True)
            return
        self._say("")
        self.changed.emit()

    def set_hero(self, team_id: int, week: int, person_id: int | None) -> None:
        """``week`` 0 is the team's hero for the whole sprint."""
        if self._loading:
            return
        try:
            with self.doc.write() as session:
                sprint = self._sprint(session)
                person = session.get(Person, person_id) if person_id is not None else None
                if week == 0:
                    plan = next(p for p in sprint.team_plans if p.team_id == team_id)
                    plan.support_hero = person
                    session.flush()
                else:
                    team = session.get(Team, team_id)
                    assert team is not None
                    roster.set_support_duty(session, sprint, team, week, person)
                self._update_capacity(sprint)
        except roster.RosterError as exc:
            self._say(str(exc), error=True)
            return
        self._say("")
        self.changed.emit()


class AvailabilityDialog(QDialog):
    """:class:`AvailabilityEditor` in a dialog; changes are already saved when it closes."""

    def __init__(self, doc: PlanDocument, sprint_id: int, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("availabilityDialog")
        self.setAccessibleName(self.tr("Availability"))
        with doc.read() as session:
            sprint = session.get(Sprint, sprint_id)
            name = sprint.name if sprint else "?"
        self.setWindowTitle(self.tr("Availability — %1").replace("%1", name))
        self.editor = AvailabilityEditor(doc, sprint_id)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)
        self.resize(900, 640)
