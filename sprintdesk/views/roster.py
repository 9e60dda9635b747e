"""The roster window: people (name, GitHub login, role, active/archived), teams and their
members, and per-sprint availability (see :mod:`sprintdesk.views.availability`).

Every change is written as soon as a field is left (no Save button). Bad input shows a message
in the window and leaves what was typed in the field. Validation lives in
:mod:`sprintdesk.plan.roster`.

Signals: ``RosterWindow.changed()`` after any change was written (pages refresh on it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.editing.document import PlanDocument, SaveError
from sprintdesk.plan import roster
from sprintdesk.plan.model import Person, Role, Sprint, Team
from sprintdesk.views.availability import AvailabilityEditor
from sprintdesk.views.waiting import hold_person, waiting_people
from sprintdesk.views.widgets import ROLE_LABELS, show_message
from sprintdesk.views.wording import tr_n

if TYPE_CHECKING:
    from sprintdesk.views.github_people import GitHubPeopleDialog


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    login: str
    role: str
    active: bool
    teams: str


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


def _message_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setAccessibleName("Message")
    return label


def _details_box(title: str, name: str, form: QFormLayout) -> QGroupBox:
    """The box that edits the selected person or team."""
    box = QGroupBox(title)
    box.setObjectName(name)
    box.setLayout(form)
    return box


def _lay_out(
    page: QWidget,
    add_title: str,
    add_row: QHBoxLayout,
    chooser: QWidget,
    show_archived: QCheckBox,
    details: QGroupBox,
    message: QLabel,
) -> QSplitter:
    """A roster page's layout: the add row on top, the list (with its "show archived" box)
    beside the selected one's details, the message line below. Returns the splitter."""
    left = QVBoxLayout()
    left.addWidget(chooser, 1)
    left.addWidget(show_archived)
    left_box = QWidget()
    left_box.setLayout(left)
    split = QSplitter()
    split.addWidget(left_box)
    split.addWidget(details)
    add_box = QGroupBox(add_title)
    add_box.setLayout(add_row)
    layout = QVBoxLayout(page)
    layout.addWidget(add_box)
    layout.addWidget(split, 1)
    layout.addWidget(message)
    return split


def toggle_archived(
    page: Any, model: type[Person] | type[Team], archive: Any, archived: str, active: str
) -> None:
    """Archive the person or team selected on ``page``, or make it active again, and say so
    (``archived``/``active`` hold ``%1`` for the name)."""
    if page.current_id is None:
        return
    with page.doc.write() as session:
        row = session.get(model, page.current_id)
        if row is None:
            return
        archive(session, row, archived=row.active)
        text = (archived if not row.active else active).replace("%1", row.name)
    show_message(page.message, text, error=False)
    page.reload()
    page.changed.emit()


class PeoplePage(QWidget):
    """Add a person at the top; pick one in the table to edit or archive them."""

    changed = Signal()

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.current_id: int | None = None
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
        self.details = _details_box(self.tr("Selected person"), "personDetails", form)
        self.message = _message_label("peopleMessage")
        split = _lay_out(
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
        with self.doc.read() as session:
            rows = [
                PersonRow(
                    p.id,
                    p.name,
                    p.github_login or "",
                    p.role,
                    p.active,
                    ", ".join(t.name for t in p.teams),
                )
                for p in roster.people(session, include_archived=self.show_archived.isChecked())
            ]
        keep = self.current_id
        self.model.set_rows(self._with_waiting(rows))
        row = self.model.row_of(keep) if keep is not None else None
        if row is not None:
            self.table.selectRow(row)
        else:
            self._load(None)

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        person_id = (
            self.model.data(current, Qt.ItemDataRole.UserRole) if current.isValid() else None
        )
        self._load(person_id)

    def _load(self, person_id: int | None) -> None:
        self.current_id = person_id
        row = None if person_id is None else self.model.rows[self.model.row_of(person_id) or 0]
        self.details.setEnabled(row is not None and row.id > 0)  # not a person still waiting
        self.name_edit.setText(row.name if row else "")
        self.login_edit.setText(row.login if row else "")
        index = self.role_edit.findData(row.role if row else Role.ENGINEER.value)
        self.role_edit.setCurrentIndex(max(0, index))
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
            self.current_id = new_id
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
        """List the people waiting in the offline outbox (views.waiting)."""
        self.model.set_rows(self._with_waiting([row for row in self.model.rows if row.id > 0]))

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
        """Write the selected person's fields; on bad input keep them and say why."""
        if self.current_id is None:
            return False
        try:
            with self.doc.write() as session:
                person = session.get(Person, self.current_id)
                if person is None:
                    raise roster.RosterError(self.tr("That person was deleted elsewhere."))
                before = (person.name, person.github_login, person.role)
                roster.update_person(
                    session,
                    person,
                    name=self.name_edit.text(),
                    login=self.login_edit.text() or None,
                    role=self.role_edit.currentData(),
                )
                after = (person.name, person.github_login, person.role)
        except roster.RosterError as exc:
            show_message(self.message, str(exc), error=True)
            return False
        if before != after:
            show_message(self.message, self.tr("Saved %1.").replace("%1", after[0]), error=False)
            self.reload()
            self.changed.emit()
        else:
            show_message(self.message, "", error=False)
        return True

    def toggle_archived(self) -> None:
        toggle_archived(
            self,
            Person,
            roster.archive_person,
            self.tr("%1 is archived: they keep their history but leave the pickers."),
            self.tr("%1 is active again."),
        )


class TeamsPage(QWidget):
    """Add a team at the top; pick one to rename it, tick its members, or archive it."""

    changed = Signal()

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.current_id: int | None = None
        self._member_base: list[int] = []
        self._loading = False
        self._team_held = False  # a team added offline waits in the outbox
        doc.outboxChanged.connect(self._outbox_changed)

        self.new_name = QLineEdit()
        self.new_name.setObjectName("newTeamName")
        self.new_name.setAccessibleName(self.tr("New team's name"))
        self.new_name.setPlaceholderText(self.tr("Team name"))
        self.add_button = QPushButton(self.tr("Add team"))
        self.add_button.setObjectName("addTeam")
        self.add_button.clicked.connect(self.add_team)
        self.new_name.returnPressed.connect(self.add_team)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_name, 1)
        add_row.addWidget(self.add_button)

        self.team_list = QListWidget()
        self.team_list.setObjectName("teamList")
        self.team_list.setAccessibleName(self.tr("Teams"))
        self.team_list.currentItemChanged.connect(self._on_current)
        self.show_archived = QCheckBox(self.tr("Show archived teams"))
        self.show_archived.setObjectName("showArchivedTeams")
        self.show_archived.toggled.connect(lambda _on: self.reload())

        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("teamName")
        self.name_edit.setAccessibleName(self.tr("Team name"))
        self.name_edit.editingFinished.connect(self.save_name)
        self.members = QListWidget()
        self.members.setObjectName("teamMembers")
        self.members.setAccessibleName(self.tr("Members"))
        self.members.itemChanged.connect(self._on_member_toggled)
        self.archive_button = QPushButton(self.tr("Archive team"))
        self.archive_button.setObjectName("archiveTeam")
        self.archive_button.clicked.connect(self.toggle_archived)
        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name_edit)
        form.addRow(self.tr("&Members:"), self.members)
        form.addRow("", self.archive_button)
        self.details = _details_box(self.tr("Selected team"), "teamDetails", form)
        self.message = _message_label("teamsMessage")
        _lay_out(
            self,
            self.tr("Add a team"),
            add_row,
            self.team_list,
            self.show_archived,
            self.details,
            self.message,
        )
        self.reload()

    def reload(self) -> None:
        keep = self.current_id
        self.team_list.blockSignals(True)
        self.team_list.clear()
        with self.doc.read() as session:
            for team in roster.teams(session, include_archived=self.show_archived.isChecked()):
                label = (
                    team.name if team.active else self.tr("%1 (archived)").replace("%1", team.name)
                )
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, team.id)
                self.team_list.addItem(item)
                if team.id == keep:
                    self.team_list.setCurrentItem(item)
        self.team_list.blockSignals(False)
        current = self.team_list.currentItem()
        self._load(current.data(Qt.ItemDataRole.UserRole) if current else None)

    def _on_current(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        self._load(current.data(Qt.ItemDataRole.UserRole) if current else None)

    def _load(self, team_id: int | None) -> None:
        self.current_id = team_id
        self._loading = True
        self.members.clear()
        with self.doc.read() as session:
            team = session.get(Team, team_id) if team_id is not None else None
            self.details.setEnabled(team is not None)
            self.name_edit.setText(team.name if team else "")
            self.archive_button.setText(
                self.tr("Restore team")
                if team is not None and not team.active
                else self.tr("Archive team")
            )
            if team is not None:
                member_ids = {p.id for p in team.members}
                self._member_base = sorted(member_ids)  # as read: what an offline edit changed
                for person in roster.people(session):
                    if not person.active and person.id not in member_ids:
                        continue
                    label = (
                        person.name
                        if person.active
                        else self.tr("%1 (archived)").replace("%1", person.name)
                    )
                    item = QListWidgetItem(label)
                    item.setData(Qt.ItemDataRole.UserRole, person.id)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(
                        Qt.CheckState.Checked
                        if person.id in member_ids
                        else Qt.CheckState.Unchecked
                    )
                    self.members.addItem(item)
        self._loading = False

    def add_team(self) -> bool:
        try:
            clean = roster.clean_name(self.new_name.text(), "A team")
        except roster.RosterError as exc:
            show_message(self.message, str(exc), error=True)
            return False
        # On a team database that cannot be reached the new team waits in the offline outbox
        # and is added when the server is back (or merged into one of the same name).
        if self.doc.hold_team(clean, []):
            return self._team_waiting(clean)
        try:
            with self.doc.write() as session:
                team = roster.add_team(session, clean)
                new_id, name = team.id, team.name
        except roster.RosterError as exc:
            show_message(self.message, str(exc), error=True)
            return False
        except SaveError as exc:
            if self.doc.hold_team(clean, [], exc.__cause__):
                return self._team_waiting(clean)
            show_message(self.message, str(exc), error=True)
            return False
        self.new_name.clear()
        show_message(
            self.message,
            self.tr("Added team %1: tick its members.").replace("%1", name),
            error=False,
        )
        self.current_id = new_id
        self.reload()
        self.changed.emit()
        return True

    def _outbox_changed(self, count: int) -> None:
        if count == 0 and self._team_held:
            # The team that waited has landed: list it.
            self._team_held = False
            self.reload()
            self.changed.emit()

    def _team_waiting(self, name: str) -> bool:
        self._team_held = True
        self.new_name.clear()
        text = self.tr(
            "Team %1 will be added once the team database is back; tick its members then."
        ).replace("%1", name)
        show_message(self.message, text, error=False)
        return True

    def save_name(self) -> bool:
        if self.current_id is None:
            return False
        try:
            with self.doc.write() as session:
                team = session.get(Team, self.current_id)
                if team is None:
                    raise roster.RosterError(self.tr("That team was deleted elsewhere."))
                before = team.name
                roster.rename_team(session, team, self.name_edit.text())
                after = team.name
        except roster.RosterError as exc:
            show_message(self.message, str(exc), error=True)
            return False
        if before != after:
            show_message(
                self.message,
                self.tr("Renamed %1 to %2.").replace("%1", before).replace("%2", after),
                error=False,
            )
            self.reload()
            self.changed.emit()
        return True

    def member_ids(self) -> list[int]:
        return [
            self.members.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.members.count())
            if self.members.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _on_member_toggled(self, _item: QListWidgetItem) -> None:
        if self._loading or self.current_id is None:
            return
        team_id, chosen_ids = self.current_id, self.member_ids()
        # On a team database that cannot be reached the change waits in the offline outbox
        # (with the plan's edits) and lands when the server is back.
        if self.doc.hold_members(team_id, chosen_ids, self._member_base):
            self._members_waiting(len(chosen_ids))
            return
        try:
            with self.doc.write() as session:
                team = session.get(Team, team_id)
                if team is None:
                    return
                chosen = list(session.scalars(select(Person).where(Person.id.in_(chosen_ids))))
                roster.set_members(session, team, chosen)
                text = tr_n(
                    "RosterWindow",
                    "%1 now has %n members.",
                    len(chosen),
                    one="%1 now has %n member.",
                ).replace("%1", team.name)
        except SaveError as exc:
            if self.doc.hold_members(team_id, chosen_ids, self._member_base, exc.__cause__):
                self._members_waiting(len(chosen_ids))
                return
            show_message(self.message, str(exc), error=True)
            return
        self._member_base = sorted(chosen_ids)
        show_message(self.message, text, error=False)
        self.changed.emit()

    def _members_waiting(self, count: int) -> None:
        text = tr_n(
            "RosterWindow",
            "The team will have %n members once the team database is back.",
            count,
            one="The team will have %n member once the team database is back.",
        )
        show_message(self.message, text, error=False)

    def toggle_archived(self) -> None:
        toggle_archived(
            self,
            Team,
            roster.archive_team,
            self.tr("Team %1 is archived: new sprints leave it out."),
            self.tr("Team %1 is active again."),
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
        self.reload_sprints()
        self.sprint_box.currentIndexChanged.connect(lambda _i: self._show_current())
        self._show_current()

    def reload_sprints(self) -> None:
        keep = self.sprint_box.currentData()
        self.sprint_box.blockSignals(True)
        self.sprint_box.clear()
        with self.doc.read() as session:
            sprints = list(
                session.scalars(select(Sprint).order_by(Sprint.start.desc(), Sprint.id.desc()))
            )
            for sprint in sprints:
                dates = f" ({sprint.start} → {sprint.end})" if sprint.start and sprint.end else ""
                self.sprint_box.addItem(f"{sprint.name}{dates}", sprint.id)
        index = self.sprint_box.findData(keep)
        self.sprint_box.setCurrentIndex(index if index >= 0 else 0)
        self.sprint_box.blockSignals(False)

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
        # Esc and Ctrl+W: the main window gives them to each of its tool windows.
        self.resize(900, 620)

    def _people_changed(self) -> None:
        self.teams_page.reload()
        self.availability_page._show_current()
        self.changed.emit()

    def _teams_changed(self) -> None:
        self.people_page.reload()
        self.availability_page._show_current()
        self.changed.emit()
