"""The roster window: people (name, GitHub login, role, active/archived), teams and their
members, and per-sprint availability (see :mod:`sprintdesk.views.availability`).

Every change is written as soon as a field is left (no Save button). Bad input shows a message
in the window and leaves what was typed in the field. Validation lives in
:mod:`sprintdesk.plan.roster`. On a team database the pages read and save behind the window
(``PlanDocument.read_later``/``write_later``; the plain values read are in
:mod:`sprintdesk.views.roster_reads`). The Teams page is :mod:`sprintdesk.views.roster_teams`;
what both pages share, :mod:`sprintdesk.views.roster_parts`.

Signals: ``RosterWindow.changed()`` after any change was written (pages refresh on it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan import roster
from sprintdesk.plan.model import Person, Role, Sprint
from sprintdesk.views.availability import FOLLOW_DELAY_MS, FOLLOWED_TABLES, AvailabilityEditor
from sprintdesk.views.roster_parts import details_box, lay_out, message_label, toggle_archived
from sprintdesk.views.roster_reads import (
    PersonRow,
    read_people,
)
from sprintdesk.views.roster_teams import TeamsPage as TeamsPage  # also known from here
from sprintdesk.views.waiting import hold_person, waiting_people
from sprintdesk.views.widgets import ROLE_LABELS, show_message

if TYPE_CHECKING:
    from sprintdesk.views.github_people import GitHubPeopleDialog


_ROOT = QModelIndex()


class PeopleModel(QAbstractTableModel):
    """People as a read-only table: Name, GitHub login, Role, Teams, Status."""

    HEADERS = ("Name", "GitHub login", "Role", "Teams", "Status")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.rows: list[PersonRow] = []

    def set_rows(self, rows: list[PersonRow]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.HEADERS)
        ):
            return self.tr(self.HEADERS[section])
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.name,
                f"@{row.login}" if row.login else "",
                self.tr(ROLE_LABELS.get(Role(row.role), row.role))
                if row.role in set(Role)
                else row.role,
                row.teams,
                self.tr("Active") if row.active else self.tr("Archived"),
            )[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QPalette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        if role == Qt.ItemDataRole.FontRole and not row.active:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def row_of(self, person_id: int) -> int | None:
        return next((i for i, r in enumerate(self.rows) if r.id == person_id), None)


class PeoplePage(QWidget):
    """Add a person at the top; pick one in the table to edit or archive them."""

    changed = Signal()

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.current_id: int | None = None
        self._shown: tuple[str, str, str] = ("", "", Role.ENGINEER.value)  # as last filled
        self._reads = 0  # reads on their way
        self._first_read = True  # nothing read yet: the message line says "Loading…"
        self._filling = False  # the table is being filled from a read
        self._wanted: int | None = None  # select this person when the next read lands
        doc.outboxChanged.connect(self._outbox_changed)  # people added offline have landed

        self.new_name = QLineEdit()
        self.new_name.setObjectName("newPersonName")
        self.new_name.setAccessibleName(self.tr("New person's name"))
        self.new_name.setPlaceholderText(self.tr("Name"))
        self.new_login = QLineEdit()
        self.new_login.setObjectName("newPersonLogin")
        self.new_login.setAccessibleName(self.tr("New person's GitHub login"))
        self.new_login.setPlaceholderText(self.tr("GitHub login (optional)"))
        self.new_role = self._role_combo("newPersonRole")
        self.add_button = QPushButton(self.tr("Add person"))
        self.add_button.setObjectName("addPerson")
        self.add_button.clicked.connect(self.add_person)
        self.new_name.returnPressed.connect(self.add_person)
        self.new_login.returnPressed.connect(self.add_person)
        self.github_button = QPushButton(self.tr("Add from &GitHub…"))
        self.github_button.setObjectName("addFromGitHub")
        self.github_button.setToolTip(self.tr("Add a repository's assignable users"))
        self.github_button.clicked.connect(self.open_github_dialog)
        add_row = QHBoxLayout()
        for widget in (
            self.new_name,
            self.new_login,
            self.new_role,
            self.add_button,
            self.github_button,
        ):
            add_row.addWidget(widget)

        self.model = PeopleModel(self)
        self.table = QTableView()
        self.table.setObjectName("peopleTable")
        self.table.setAccessibleName(self.tr("People"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.show_archived = QCheckBox(self.tr("Show archived people"))
        self.show_archived.setObjectName("showArchivedPeople")
        self.show_archived.toggled.connect(lambda _on: self.reload())

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("personName")
        self.name_edit.setAccessibleName(self.tr("Name"))
        self.login_edit = QLineEdit()
        self.login_edit.setObjectName("personLogin")
        self.login_edit.setAccessibleName(self.tr("GitHub login"))
        self.role_edit = self._role_combo("personRole")
        self.teams_label = QLabel()
        self.teams_label.setObjectName("personTeams")
        self.teams_label.setWordWrap(True)
        self.archive_button = QPushButton(self.tr("Archive"))
        self.archive_button.setObjectName("archivePerson")
        self.archive_button.clicked.connect(self.toggle_archived)
        self.name_edit.editingFinished.connect(self.save_current)
        self.login_edit.editingFinished.connect(self.save_current)
        self.role_edit.activated.connect(lambda _i: self.save_current())
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("GitHub &login:"), self.login_edit)
        form.addRow(self.tr("&Role:"), self.role_edit)
        form.addRow(self.tr("Teams:"), self.teams_label)
        form.addRow("", self.archive_button)
        self.details = details_box(self.tr("Selected person"), "personDetails", form)
        self.message = message_label("peopleMessage")
        split = lay_out(
            self,
            self.tr("Add a person"),
            add_row,
            self.table,
            self.show_archived,
            self.details,
            self.message,
        )
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.reload()

    def _role_combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setAccessibleName(self.tr("Role"))
        for role, label in ROLE_LABELS.items():
            combo.addItem(self.tr(label), role.value)
        return combo

    # --- data --------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the people again (behind the window on a team database: the table keeps
        what it shows, or says "Loading…" the first time, until the answer lands)."""
        archived = self.show_archived.isChecked()
        self._reads += 1
        if self._first_read:
            show_message(self.message, self.tr("Loading…"), error=False)

        def landed(rows: object) -> None:
            self._reads -= 1
            assert isinstance(rows, list)
            if self._first_read:
                self._first_read = False
                if self.message.text() == self.tr("Loading…"):
                    show_message(self.message, "", error=False)
            self.show_rows(rows)

        def failed(message: str) -> None:
            self._reads -= 1
            show_message(self.message, message, error=True)

        self.doc.read_later(
            lambda session: read_people(session, include_archived=archived),
            landed=landed,
            failed=failed,
            owner=self,
        )

    @property
    def reading(self) -> bool:
        """A read is on its way (the table shows what it read before)."""
        return self._reads > 0

    def show_rows(self, rows: list[PersonRow]) -> None:
        """Fill the table from what was read (and the people waiting in the offline outbox);
        the selected person stays selected, and what was typed in their fields and not saved
        yet stays as typed."""
        keep = self._wanted if self._wanted is not None else self.current_id
        self._wanted = None
        self._filling = True  # the reset and the selection below are not the user's choice
        try:
            self.model.set_rows(self._with_waiting(rows))
            row = self.model.row_of(keep) if keep is not None else None
            if row is not None:
                self.table.selectRow(row)
        finally:
            self._filling = False
        self._load(keep if row is not None else None)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._filling:
            return
        person_id = (
            self.model.data(current, Qt.ItemDataRole.UserRole) if current.isValid() else None
        )
        self._load(person_id)

    def _load(self, person_id: int | None) -> None:
        refresh = person_id is not None and person_id == self.current_id
        self.current_id = person_id
        row = None if person_id is None else self.model.rows[self.model.row_of(person_id) or 0]
        self.details.setEnabled(row is not None and row.id > 0)  # not a person still waiting
        name, login = (row.name, row.login) if row else ("", "")
        role = row.role if row else Role.ENGINEER.value
        shown = self._shown
        # The same person read again (after a save landed): a field changed since it was
        # filled keeps what was typed; it is saved when it is left.
        if not refresh or self.name_edit.text() == shown[0]:
            self.name_edit.setText(name)
        if not refresh or self.login_edit.text() == shown[1]:
            self.login_edit.setText(login)
        if not refresh or self.role_edit.currentData() == shown[2]:
            self.role_edit.setCurrentIndex(max(0, self.role_edit.findData(role)))
        self._shown = (name, login, role)
        self.teams_label.setText((row.teams or self.tr("no team")) if row else "")
        self.archive_button.setText(
            self.tr("Restore") if row is not None and not row.active else self.tr("Archive")
        )

    # --- edits -------------------------------------------------------------------------

    def add_person(self) -> bool:
        """Add the person as typed. On a team database the save runs behind the window
        (``PlanDocument.write_later``): the fields stay as typed until it lands, and a failure
        says why and keeps them. False when refused at once."""
        name, login, role = self.new_name.text(), self.new_login.text(), self.new_role.currentData()

        def work(session: Session) -> tuple[int, str]:
            person = roster.add_person(session, name, login, role)
            return person.id, person.name

        refused: list[str] = []

        def landed(result: object) -> None:
            self.add_button.setEnabled(True)
            assert isinstance(result, tuple)
            new_id, added = result
            if (self.new_name.text(), self.new_login.text()) == (name, login):
                self.new_name.clear()  # typed again meanwhile: that stays
                self.new_login.clear()
            show_message(self.message, self.tr("Added %1.").replace("%1", added), error=False)
            self._wanted = new_id  # selected once the table shows them
            self.reload()
            self.new_name.setFocus()
            self.changed.emit()

        def failed(message: str) -> None:
            self.add_button.setEnabled(True)
            refused.append(message)
            show_message(self.message, message, error=True)

        hold = hold_person(self, name, login, role, failed)
        self.add_button.setEnabled(False)
        self.doc.write_later(work, landed=landed, failed=failed, owner=self, hold=hold)
        return not refused

    def _with_waiting(self, rows: list[PersonRow]) -> list[PersonRow]:
        """``rows`` and the people waiting in the offline outbox (ids below 1: not editable)."""
        waiting = waiting_people(self.doc)
        return rows + [PersonRow(-i, *person, True, "") for i, person in enumerate(waiting)]

    def list_waiting(self) -> None:
        """List the people waiting in the offline outbox (views.waiting); the selected person
        and what was typed in their fields stay."""
        self.show_rows([row for row in self.model.rows if row.id > 0])

    def _outbox_changed(self, count: int) -> None:
        if count == 0 and not self.doc.offline and any(row.id <= 0 for row in self.model.rows):
            self.reload()  # the people who waited have landed: listed as the server has them
            self.changed.emit()

    def open_github_dialog(self) -> GitHubPeopleDialog:
        """The “Add from GitHub…” dialog (modeless); the table follows what it adds."""
        from sprintdesk.views.github_people import GitHubPeopleDialog

        dialog = GitHubPeopleDialog(self.doc, parent=self)
        dialog.added.connect(self._added_from_github)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _added_from_github(self, count: int) -> None:
        self.reload()
        self.changed.emit()

    def save_current(self) -> bool:
        """Write the selected person's fields. On a team database the save runs behind the
        window (``PlanDocument.write_later``); the fields keep what was typed throughout, and
        a failure says why (leave the field again to retry). False when refused at once."""
        if self.current_id is None:
            return False
        person_id = self.current_id
        name, login = self.name_edit.text(), self.login_edit.text() or None
        role = self.role_edit.currentData()
        gone = self.tr("That person was deleted elsewhere.")

        def work(session: Session) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
            person = session.get(Person, person_id)
            if person is None:
                raise roster.RosterError(gone)
            before = (person.name, person.github_login, person.role)
            roster.update_person(session, person, name=name, login=login, role=role)
            return before, (person.name, person.github_login, person.role)

        refused: list[str] = []

        def landed(result: object) -> None:
            assert isinstance(result, tuple)
            before, after = result
            if before != after:
                show_message(
                    self.message, self.tr("Saved %1.").replace("%1", after[0]), error=False
                )
                self.reload()
                self.changed.emit()
            elif not self.reading:
                show_message(self.message, "", error=False)

        def failed(message: str) -> None:
            refused.append(message)
            show_message(self.message, message, error=True)

        self.doc.write_later(work, landed=landed, failed=failed, owner=self)
        return not refused

    def toggle_archived(self) -> None:
        toggle_archived(
            self,
            Person,
            roster.archive_person,
            self.tr("%1 is archived: they keep their history but leave the pickers."),
            self.tr("%1 is active again."),
        )


class AvailabilityPage(QWidget):
    """Pick a sprint, then edit its availability with :class:`AvailabilityEditor`."""

    changed = Signal()

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.sprint_box = QComboBox()
        self.sprint_box.setObjectName("availabilitySprint")
        self.sprint_box.setAccessibleName(self.tr("Sprint"))
        self.editor: AvailabilityEditor | None = None
        self.holder = QVBoxLayout()
        top = QHBoxLayout()
        label = QLabel(self.tr("&Sprint:"))
        label.setBuddy(self.sprint_box)
        top.addWidget(label)
        top.addWidget(self.sprint_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(self.holder, 1)
        self.sprint_box.currentIndexChanged.connect(lambda _i: self._show_current())
        self.reload_sprints()

    def reload_sprints(self) -> None:
        """Read the sprints for the chooser (behind the window on a team database); the
        chosen one's editor opens, or stays, when they land."""

        def work(session: Session) -> list[tuple[int, str]]:
            rows = session.execute(
                select(Sprint.id, Sprint.name, Sprint.start, Sprint.end).order_by(
                    Sprint.start.desc(), Sprint.id.desc()
                )
            )
            return [
                (
                    row.id,
                    f"{row.name} ({row.start} → {row.end})" if row.start and row.end else row.name,
                )
                for row in rows
            ]

        def failed(message: str) -> None:
            if self.editor is not None:
                self.editor._say(message, error=True)

        self.doc.read_later(work, landed=self._fill_sprints, failed=failed, owner=self)

    def _fill_sprints(self, sprints: object) -> None:
        assert isinstance(sprints, list)
        keep = self.sprint_box.currentData()
        self.sprint_box.blockSignals(True)
        self.sprint_box.clear()
        for sprint_id, label in sprints:
            self.sprint_box.addItem(label, sprint_id)
        index = self.sprint_box.findData(keep)
        self.sprint_box.setCurrentIndex(index if index >= 0 else 0)
        self.sprint_box.blockSignals(False)
        shown = self.editor.sprint_id if self.editor is not None else None
        if self.sprint_box.currentData() != shown:
            self._show_current()

    def refresh(self) -> None:
        """Read the chosen sprint's availability again (the people or teams changed); the
        editor shows what it showed until then."""
        if self.editor is not None:
            self.editor.reload()

    def _show_current(self) -> None:
        if self.editor is not None:
            self.editor.setParent(None)
            self.editor.deleteLater()
            self.editor = None
        sprint_id = self.sprint_box.currentData()
        if sprint_id is None:
            return
        self.editor = AvailabilityEditor(self.doc, sprint_id)
        self.editor.changed.connect(self.changed)
        self.holder.addWidget(self.editor)


class RosterWindow(QWidget):
    """People, teams and availability in one window (tabs).

    Signals: ``changed()`` after any edit was written.
    """

    changed = Signal()

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.doc = doc
        self.setObjectName("rosterWindow")
        self.setAccessibleName(self.tr("Roster"))
        self.setWindowTitle(self.tr("Roster — SprintDesk"))
        self.tabs = QTabWidget()
        self.tabs.setObjectName("rosterTabs")
        self.people_page = PeoplePage(doc)
        self.teams_page = TeamsPage(doc)
        self.availability_page = AvailabilityPage(doc)
        self.tabs.addTab(self.people_page, self.tr("&People"))
        self.tabs.addTab(self.teams_page, self.tr("&Teams"))
        self.tabs.addTab(self.availability_page, self.tr("&Availability"))
        self.people_page.changed.connect(self._people_changed)
        self.teams_page.changed.connect(self._teams_changed)
        self.availability_page.changed.connect(self.changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        # A colleague's changes (live updates on a team database): the people and teams are
        # read again, once for a burst, keeping what is typed and selected (the Availability
        # tab's editor follows on its own).
        self._follow = QTimer(self)
        self._follow.setSingleShot(True)
        self._follow.setInterval(FOLLOW_DELAY_MS)
        self._follow.timeout.connect(self._follow_colleagues)
        doc.remoteApplied.connect(self._remote_applied)
        # Esc and Ctrl+W: the main window gives them to each of its tool windows.
        self.resize(900, 620)

    def _remote_applied(self, changes: list[object]) -> None:
        if any(getattr(change, "what", None) in FOLLOWED_TABLES for change in changes):
            self._follow.start()

    def _follow_colleagues(self) -> None:
        self.people_page.reload()
        self.teams_page.reload()
        self.availability_page.reload_sprints()

    def _people_changed(self) -> None:
        self.teams_page.reload()
        self.availability_page.refresh()
        self.changed.emit()

    def _teams_changed(self) -> None:
        self.people_page.reload()
        self.availability_page.refresh()
        self.changed.emit()
