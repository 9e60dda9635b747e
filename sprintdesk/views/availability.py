"""Availability for one sprint: part-time shares, days off (ranges, half days) and the support
hero per team and week. Used in the roster window's Availability tab and, on its own, as
:class:`AvailabilityDialog` (e.g. from a team page).

Every change is written at once; bad input shows a message and keeps what was typed. On a team
database that cannot be reached, days off added or removed wait in the offline outbox and are
listed, marked as waiting, until they have landed.

On a team database the window reads and saves behind itself (``PlanDocument.read_later`` and
``write_later``): it keeps showing what it read (or "Loading…" at first) until the answer lands.

Signals: ``AvailabilityEditor.changed()`` after a change was written; ``loaded()`` after it
shows what it read.
"""

from __future__ import annotations

from collections.abc import Callable
from weakref import WeakKeyDictionary

from PySide6.QtCore import QDate, QItemSelectionModel, Qt, QTimer, Signal
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
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan import roster
from sprintdesk.plan.capacity import fmt_days
from sprintdesk.plan.model import Person, Sprint, Team
from sprintdesk.views.availability_reads import (
    AvailabilityState,
    HeroRow,
    capacity_of,
    hero_shape,
    loaded_availability,
    read_availability,
    share_shape,
)
from sprintdesk.views.dates import pydate, qdate
from sprintdesk.views.waiting import hold_days_off, hold_days_off_removals, list_waiting_days_off

NOBODY = "—"
# A colleague's change to these tables (live updates) is read again in an open window.
FOLLOWED_TABLES = frozenset(
    {"people", "time_off", "teams", "team_members", "team_plans", "support_duties",
     "allocations", "sprints"}
)  # fmt: skip
FOLLOW_DELAY_MS = 150  # a burst of a colleague's changes is one read
# What each document's availability windows read last, by sprint: shown when a window opens
# offline on a sprint the document has not loaded.
_last_read: WeakKeyDictionary[PlanDocument, dict[int, AvailabilityState]] = WeakKeyDictionary()
HERO_TEAMS_PER_TURN = 4  # a stepwise hero grid: teams added per event-loop turn


class AvailabilityEditor(QWidget):
    """Shares, days off and support heroes of one sprint."""

    changed = Signal()
    loaded = Signal()

    def __init__(self, doc: PlanDocument, sprint_id: int, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.sprint_id = sprint_id
        self.setObjectName("availabilityEditor")
        self.setAccessibleName(self.tr("Availability"))
        self._loading = False
        self._reads = 0  # reads on their way
        self._builds = 0  # hero grids begun
        self._hero_build = 0  # the hero grid being built a few teams a turn (0: none)
        self.state: AvailabilityState | None = None  # what the window shows (None: not read)
        self.waiting_shown = False  # days off listed as waiting in the offline outbox
        doc.outboxChanged.connect(self._outbox_changed)
        doc.remoteApplied.connect(self._remote_applied)
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(FOLLOW_DELAY_MS)
        self._follow.timeout.connect(self.reload)
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
        header = self.off_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # "Name (waiting)" on one line: the name column as wide as its names, never wrapped.
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.off_table.setWordWrap(False)
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
        self._dates_typed = False  # the user chose the dates to add (kept when read again)
        self.off_to.dateChanged.connect(self._dates_changed)
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

        # Each grid sits on a panel of its own, built off screen and swapped in whole: added
        # one by one to a window on screen, each box would be shown and laid out on its own.
        share_box = QGroupBox(self.tr("Part-time share"))
        self.share_holder = QVBoxLayout(share_box)
        self.share_panel, self.share_grid = QWidget(), QGridLayout()
        self.share_panel.setLayout(self.share_grid)
        self.share_holder.addWidget(self.share_panel)
        hero_box = QGroupBox(self.tr("Support hero (zero product work that week)"))
        self.hero_holder = QVBoxLayout(hero_box)
        self.hero_panel, self.hero_grid = QWidget(), QGridLayout()
        self.hero_panel.setLayout(self.hero_grid)
        self.hero_holder.addWidget(self.hero_panel)
        self.share_labels: dict[int, QLabel] = {}
        self.team_labels: dict[int, QLabel] = {}

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

    def reload(self) -> None:
        """Read the sprint's availability (behind the window on a team database: the window
        keeps what it shows, or says "Loading…" the first time, until the answer lands)."""
        sprint_id = self.sprint_id
        self._reads += 1
        if self.state is None:
            self._say(self.tr("Loading…"))

        asking = [True]  # an answer while asking: this computer's database, read at once

        def landed(state: object) -> None:
            self._reads -= 1
            assert state is None or isinstance(state, AvailabilityState)
            if self.state is None and self.message.text() == self.tr("Loading…"):
                self._say("")
            self.show_state(state, stepwise=not asking[0])

        def failed(message: str) -> None:
            self._reads -= 1
            if self.doc.offline and self.state is None:
                # Offline before anything was read: what the document has loaded of the
                # sprint, or what this window read of it before.
                state = self._offline_state()
                if state is not None:
                    self.show_state(state)
            self._say(message, error=self.state is None)

        self.doc.read_later(
            lambda session: read_availability(session, sprint_id),
            landed=landed,
            failed=failed,
            owner=self,
        )
        asking[0] = False

    def _offline_state(self) -> AvailabilityState | None:
        """The sprint as the document has it loaded (the open sprint), else as last read in
        this session's windows; None when neither is there."""
        sprint = self.doc.sprint
        if sprint is not None and sprint.id == self.sprint_id:
            try:
                return loaded_availability(sprint)
            except SQLAlchemyError:  # something not loaded: it would need the server
                pass
        return _last_read.get(self.doc, {}).get(self.sprint_id)

    @property
    def reading(self) -> bool:
        """A read is on its way, or the hero grid is still being built from one (the window
        shows what it read before)."""
        return self._reads > 0 or self._hero_build != 0

    def show_state(self, state: AvailabilityState | None, *, stepwise: bool = False) -> None:
        """Fill the window from what was read (None: the sprint is gone); ``stepwise``: the
        hero grid, when built anew, is built over a few event-loop turns."""
        if state is None:
            self.setEnabled(False)
            self._say(self.tr("That sprint no longer exists."), error=True)
            return
        _last_read.setdefault(self.doc, {})[self.sprint_id] = state
        self._loading = True
        try:
            before, self.state = self.state, state
            self._fill_days_off(state)
            if before is None or share_shape(before) != share_shape(state):
                self._fill_shares(state)
            else:
                self._update_shares(state)
            building = self._hero_build != 0  # the grid shows no state yet: build it anew
            if before is None or building or hero_shape(before) != hero_shape(state):
                self._fill_heroes(state, stepwise=stepwise)
            else:
                self._update_heroes(before, state)
            self._show_capacity(state.capacity)
            if state.start and state.end:
                # No date range on the boxes: typed a part at a time, a date passes through
                # values outside the sprint (30 Nov -> 30 Dec -> 3 Dec), which a range would
                # refuse, so December could not be typed. Adding checks the dates instead.
                # The sprint's first day until the user types dates; what is typed stays
                # when the window reads again (a colleague's change, the server back).
                start, end = qdate(state.start), qdate(state.end)
                outside = not start <= self.off_from.date() <= end
                if not self._dates_typed and (outside or not self.off_table.rowCount()):
                    self.off_from.setDate(start)
                    self.off_to.setDate(start)
        finally:
            self._loading = False
        if self._hero_build == 0:
            self.loaded.emit()  # else once the hero grid is complete

    def _fill_days_off(self, state: AvailabilityState) -> None:
        current = self.off_person.currentData()
        self.off_person.clear()
        for person_id, name in state.people:
            self.off_person.addItem(name, person_id)
        index = self.off_person.findData(current)
        self.off_person.setCurrentIndex(max(0, index))
        table = self.off_table
        picked = {
            item.data(Qt.ItemDataRole.UserRole)
            for index in table.selectedIndexes()
            if (item := table.item(index.row(), 0)) is not None
        }
        scrolled = table.verticalScrollBar().value()
        table.setRowCount(0)
        for entry in state.days_off:
            row = self.off_table.rowCount()
            self.off_table.insertRow(row)
            values = [
                entry.person,
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
        rows = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in range(table.rowCount()):  # what was selected stays selected
            item = table.item(row, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) in picked:
                table.selectionModel().select(table.model().index(row, 0), rows)
        table.verticalScrollBar().setValue(scrolled)

    def _swap(self, holder: QVBoxLayout, old: QWidget) -> tuple[QWidget, QGridLayout]:
        """A new, empty panel for ``holder``; ``old`` goes once the new one is filled."""
        panel, grid = QWidget(), QGridLayout()
        panel.setLayout(grid)
        old.hide()
        holder.removeWidget(old)
        old.deleteLater()
        return panel, grid

    def _fill_shares(self, state: AvailabilityState) -> None:
        self.share_panel, self.share_grid = self._swap(self.share_holder, self.share_panel)
        self.share_spins = {}
        self.share_labels = {}
        for row, (person_id, name, percent) in enumerate(state.shares):
            spin = QSpinBox()
            spin.setObjectName(f"share-{person_id}")
            spin.setAccessibleName(self.tr("%1's share").replace("%1", name))
            spin.setRange(int(roster.MIN_SHARE * 100), int(roster.MAX_SHARE * 100))
            spin.setSingleStep(10)
            spin.setSuffix(" %")
            spin.setValue(percent)
            spin.valueChanged.connect(lambda value, pid=person_id: self.set_share(pid, value))
            label = QLabel(name)
            label.setBuddy(spin)
            self.share_grid.addWidget(label, row, 0)
            self.share_grid.addWidget(spin, row, 1)
            self.share_spins[person_id] = spin
            self.share_labels[person_id] = label
        for row in range(len(state.shares)):
            self.share_grid.setRowStretch(row, 0)
        self.share_grid.setRowStretch(len(state.shares), 1)
        self.share_holder.addWidget(self.share_panel)

    def _update_shares(self, state: AvailabilityState) -> None:
        """The same people read again: names and shares change in place."""
        for person_id, name, percent in state.shares:
            label, spin = self.share_labels[person_id], self.share_spins[person_id]
            if label.text() != name:
                label.setText(name)
                spin.setAccessibleName(self.tr("%1's share").replace("%1", name))
            if spin.value() != percent:
                spin.setValue(percent)

    def _fill_heroes(self, state: AvailabilityState, *, stepwise: bool = False) -> None:
        """Build the hero grid on a new panel and swap it in once complete. ``stepwise`` (an
        answer that came from the writer thread): a few teams an event-loop turn, so a large
        sprint's hundreds of boxes never hold the UI up in one turn."""
        self._builds += 1
        build = self._builds
        panel, grid = QWidget(), QGridLayout()
        panel.setLayout(grid)
        boxes: dict[tuple[int, int], QComboBox] = {}
        labels: dict[int, QLabel] = {}
        weeks = state.weeks
        headers = [self.tr("Team"), self.tr("Whole sprint")] + [
            self.tr("Week %1").replace("%1", str(w)) for w in range(1, weeks + 1)
        ]
        for column, text in enumerate(headers):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, column)
        rows = list(enumerate(state.heroes, start=1))

        def add(chunk: list[tuple[int, HeroRow]]) -> None:
            for row, team in chunk:
                labels[team.team_id] = QLabel(team.name)
                grid.addWidget(labels[team.team_id], row, 0)
                for week in range(0, weeks + 1):
                    box = QComboBox()
                    box.setObjectName(f"hero-{team.team_id}-{week}")
                    box.setAccessibleName(
                        self.tr("Support hero for %1, %2")
                        .replace("%1", team.name)
                        .replace("%2", headers[week + 1])
                    )
                    box.addItem(NOBODY, None)
                    for person_id, name in team.candidates:
                        box.addItem(name, person_id)
                    chosen = team.chosen[week]
                    if chosen is not None and box.findData(chosen) < 0:
                        box.addItem(team.missing.get(chosen, "?"), chosen)
                    box.setCurrentIndex(max(0, box.findData(chosen)))
                    box.currentIndexChanged.connect(
                        lambda _i, team_id=team.team_id, wk=week, b=box: self.set_hero(
                            team_id, wk, b.currentData()
                        )
                    )
                    grid.addWidget(box, row, week + 1)
                    boxes[(team.team_id, week)] = box

        def finish() -> None:
            self._hero_build = 0
            last = len(rows) + 1
            if not rows:
                grid.addWidget(QLabel(self.tr("This sprint has no teams.")), 1, 0, 1, 2)
            hint = QLabel(
                self.tr("A hero chosen for a week replaces the whole-sprint hero that week.")
            )
            hint.setWordWrap(True)
            grid.addWidget(hint, last + 1, 0, 1, weeks + 2)
            for row in range(last + 2):
                grid.setRowStretch(row, 0)
            grid.setRowStretch(last + 2, 1)
            old = self.hero_panel
            old.hide()
            self.hero_holder.removeWidget(old)
            old.deleteLater()
            self.hero_panel, self.hero_grid = panel, grid
            self.hero_boxes, self.team_labels = boxes, labels
            self.hero_holder.addWidget(panel)

        if not stepwise:
            add(rows)
            finish()
            return
        self._hero_build = build

        def step(start: int) -> None:
            if self._hero_build != build:
                panel.deleteLater()  # read again meanwhile: a newer grid is on its way
                return
            add(rows[start : start + HERO_TEAMS_PER_TURN])
            if start + HERO_TEAMS_PER_TURN < len(rows):
                QTimer.singleShot(0, self, lambda: step(start + HERO_TEAMS_PER_TURN))
                return
            finish()
            self.loaded.emit()

        step(0)

    def _update_heroes(self, before: AvailabilityState, state: AvailabilityState) -> None:
        """The same teams, candidates and weeks read again: names and choices change in
        place (a box's entries are: nobody, the candidates, then the chosen not among them)."""
        headers = [self.tr("Whole sprint")] + [
            self.tr("Week %1").replace("%1", str(w)) for w in range(1, state.weeks + 1)
        ]
        for old, team in zip(before.heroes, state.heroes, strict=True):
            if old.name != team.name:
                self.team_labels[team.team_id].setText(team.name)
            renamed = [
                (index, name)
                for index, ((_, was), (_, name)) in enumerate(
                    zip(old.candidates, team.candidates, strict=True), start=1
                )
                if was != name
            ]
            known = {person_id for person_id, _name in team.candidates}
            for week in range(0, state.weeks + 1):
                box = self.hero_boxes[(team.team_id, week)]
                if old.name != team.name:
                    box.setAccessibleName(
                        self.tr("Support hero for %1, %2")
                        .replace("%1", team.name)
                        .replace("%2", headers[week])
                    )
                for index, name in renamed:
                    box.setItemText(index, name)
                chosen = team.chosen[week]
                # After nobody and the candidates: the chosen one when not among them.
                first = len(team.candidates) + 1
                wanted = [] if chosen is None or chosen in known else [chosen]
                extras = [box.itemData(index) for index in range(first, box.count())]
                if extras != wanted:
                    while box.count() > first:
                        box.removeItem(first)
                    for person_id in wanted:
                        box.addItem(team.missing.get(person_id, "?"), person_id)
                elif wanted and box.itemText(first) != team.missing.get(wanted[0], "?"):
                    box.setItemText(first, team.missing.get(wanted[0], "?"))
                box.setCurrentIndex(max(0, box.findData(chosen)))

    def _show_capacity(self, capacity: list[tuple[str, float]] | None) -> None:
        if capacity is None:
            self.capacity_line.setText(
                self.tr("This sprint has no dates yet, so there is no capacity to work out.")
            )
            return
        parts = [f"{name} {fmt_days(days)}" for name, days in capacity]
        self.capacity_line.setText(self.tr("Product capacity: %1").replace("%1", ", ".join(parts)))

    # --- edits -------------------------------------------------------------------------

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e; font-weight: bold;" if error else "")

    def _from_changed(self, day: QDate) -> None:
        self._dates_changed()
        if self.off_to.date() < day:
            self.off_to.setDate(day)

    def _dates_changed(self) -> None:
        if not self._loading:
            self._dates_typed = True

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
            self.off_person.setFocus()  # back in the form, for the next entry
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

    def _remote_applied(self, changes: list[object]) -> None:
        """A colleague's committed changes (live updates): read again when they touch what
        this window shows, once for a burst (what is typed and selected stays)."""
        if any(getattr(change, "what", None) in FOLLOWED_TABLES for change in changes):
            self._follow.start()

    def _outbox_changed(self, count: int) -> None:
        if count == 0 and self.waiting_shown and not self.doc.offline:
            # What waited has landed: list the days off as the server has them (offline the
            # last waiting entry was only removed again: nothing can be read).
            self.waiting_shown = False
            self.reload()
            self.changed.emit()

    def _save_later(self, work: Callable[[Sprint, Session], None]) -> None:
        """Save a share or a hero behind the window on a team database: the capacity line
        follows when it lands; a failure says why, and the box keeps what was chosen (choose
        again to retry)."""
        sprint_id = self.sprint_id
        missing = self.tr("That sprint no longer exists.")

        def run(session: Session) -> list[tuple[str, float]] | None:
            sprint = session.get(Sprint, sprint_id)
            if sprint is None:
                raise roster.RosterError(missing)
            work(sprint, session)
            return capacity_of(sprint)

        def landed(capacity: object) -> None:
            self._show_capacity(capacity)  # type: ignore[arg-type]
            self._say("")
            self.changed.emit()

        def failed(message: str) -> None:
            self._say(message, error=True)

        self.doc.write_later(run, landed=landed, failed=failed, owner=self)

    def set_share(self, person_id: int, percent: int) -> None:
        if self._loading:
            return

        def work(sprint: Sprint, session: Session) -> None:
            person = session.get(Person, person_id)
            if person is not None:
                roster.set_share(session, sprint, person, percent / 100)

        self._save_later(work)

    def set_hero(self, team_id: int, week: int, person_id: int | None) -> None:
        """``week`` 0 is the team's hero for the whole sprint."""
        if self._loading:
            return

        def work(sprint: Sprint, session: Session) -> None:
            person = session.get(Person, person_id) if person_id is not None else None
            if week == 0:
                plan = next(p for p in sprint.team_plans if p.team_id == team_id)
                plan.support_hero = person
                session.flush()
            else:
                team = session.get(Team, team_id)
                assert team is not None
                roster.set_support_duty(session, sprint, team, week, person)

        self._save_later(work)


class AvailabilityDialog(QDialog):
    """:class:`AvailabilityEditor` in a dialog; changes are already saved when it closes."""

    def __init__(self, doc: PlanDocument, sprint_id: int, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("availabilityDialog")
        self.setAccessibleName(self.tr("Availability"))
        self.setWindowTitle(self.tr("Availability"))
        self.editor = AvailabilityEditor(doc, sprint_id)
        self.editor.loaded.connect(self._name_sprint)
        self._name_sprint()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)
        self.resize(900, 640)

    def _name_sprint(self) -> None:
        state = self.editor.state
        if state is not None:
            self.setWindowTitle(self.tr("Availability — %1").replace("%1", state.name))
