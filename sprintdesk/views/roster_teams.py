"""The roster window's Teams page: add a team, pick one to rename it, tick its members, or
archive it. On a team database it reads and saves behind the window (``PlanDocument.
read_later``/``write_later``); a change that finds the team database away waits in the offline
outbox.

Signals: ``TeamsPage.changed()`` after a change was written.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan import roster
from sprintdesk.plan.model import Person, Team
from sprintdesk.views.roster_parts import details_box, lay_out, message_label, toggle_archived
from sprintdesk.views.roster_reads import TeamDetails, TeamRow, read_team, read_teams
from sprintdesk.views.widgets import show_message
from sprintdesk.views.wording import tr_n


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
        self._wanted: int | None = None  # select this team when the next read lands
        self._shown_name = ""  # the name as last filled in (a changed field is the user's)
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
        self.details = details_box(self.tr("Selected team"), "teamDetails", form)
        self.message = message_label("teamsMessage")
        lay_out(
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
        """Read the teams again (behind the window on a team database: the list keeps what
        it shows until the answer lands)."""
        archived = self.show_archived.isChecked()

        def failed(message: str) -> None:
            show_message(self.message, message, error=True)

        self.doc.read_later(
            lambda session: read_teams(session, include_archived=archived),
            landed=self._fill_teams,
            failed=failed,
            owner=self,
        )

    def _fill_teams(self, teams: object) -> None:
        assert isinstance(teams, list)
        keep = self._wanted if self._wanted is not None else self.current_id
        self._wanted = None
        self.team_list.blockSignals(True)
        self.team_list.clear()
        for team in teams:
            assert isinstance(team, TeamRow)
            label = team.name if team.active else self.tr("%1 (archived)").replace("%1", team.name)
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
        """Show a team's details: read behind the window on a team database. Another team
        chosen: its details wait, empty, until they land; the same team read again keeps
        what it shows (and a name typed and not saved yet) meanwhile."""
        switched = team_id != self.current_id
        self.current_id = team_id
        if team_id is None or switched:
            self._show_team(None)
        if team_id is None:
            return

        def landed(details: object) -> None:
            if self.current_id == team_id:  # not another team chosen meanwhile
                assert details is None or isinstance(details, TeamDetails)
                self._show_team(details, refresh=not switched)

        def failed(message: str) -> None:
            show_message(self.message, message, error=True)

        self.doc.read_later(
            lambda session: read_team(session, team_id), landed=landed, failed=failed, owner=self
        )

    def _show_team(self, team: TeamDetails | None, *, refresh: bool = False) -> None:
        self._loading = True
        try:
            self.details.setEnabled(team is not None)
            name = team.name if team else ""
            if not refresh or self.name_edit.text() == self._shown_name:
                self.name_edit.setText(name)
            self._shown_name = name
            self.archive_button.setText(
                self.tr("Restore team")
                if team is not None and not team.active
                else self.tr("Archive team")
            )
            self.members.clear()
            if team is None:
                return
            self._member_base = sorted(team.member_ids)  # as read: what an offline edit changed
            for person_id, person_name, active in team.people:
                label = (
                    person_name if active else self.tr("%1 (archived)").replace("%1", person_name)
                )
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, person_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(
                    Qt.CheckState.Checked
                    if person_id in team.member_ids
                    else Qt.CheckState.Unchecked
                )
                self.members.addItem(item)
        finally:
            self._loading = False

    def add_team(self) -> bool:
        """Add the team as typed. On a team database the save runs behind the window: the name
        stays until it lands; a server found gone on the way puts the team in the offline
        outbox, any other failure is said and the name kept. False when refused at once."""
        typed = self.new_name.text()
        try:
            clean = roster.clean_name(typed, "A team")
        except roster.RosterError as exc:
            show_message(self.message, str(exc), error=True)
            return False
        # On a team database that cannot be reached the new team waits in the offline outbox
        # and is added when the server is back (or merged into one of the same name).
        if self.doc.hold_team(clean, []):
            return self._team_waiting(clean)

        def work(session: Session) -> tuple[int, str]:
            team = roster.add_team(session, clean)
            return team.id, team.name

        refused: list[str] = []
        held: list[bool] = []

        def landed(result: object) -> None:
            self.add_button.setEnabled(True)
            assert isinstance(result, tuple)
            new_id, name = result
            if self.new_name.text() == typed:  # typed again meanwhile: that stays
                self.new_name.clear()
            show_message(
                self.message,
                self.tr("Added team %1: tick its members.").replace("%1", name),
                error=False,
            )
            self._wanted = new_id  # selected once the list shows it
            self.reload()
            self.changed.emit()

        def failed(message: str) -> None:
            self.add_button.setEnabled(True)
            refused.append(message)
            if self.doc.hold_team(clean, []):  # the server was found gone: it waits
                held.append(self._team_waiting(clean))
                return
            show_message(self.message, message, error=True)

        self.add_button.setEnabled(False)
        self.doc.write_later(work, landed=landed, failed=failed, owner=self)
        return not refused or bool(held)

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
        """Rename the selected team. On a team database the save runs behind the window; the
        field keeps what was typed, and a failure says why (leave the field again to retry).
        False when refused at once."""
        if self.current_id is None:
            return False
        team_id, typed = self.current_id, self.name_edit.text()
        gone = self.tr("That team was deleted elsewhere.")

        def work(session: Session) -> tuple[str, str]:
            team = session.get(Team, team_id)
            if team is None:
                raise roster.RosterError(gone)
            before = team.name
            roster.rename_team(session, team, typed)
            return before, team.name

        refused: list[str] = []

        def landed(result: object) -> None:
            assert isinstance(result, tuple)
            before, after = result
            if before != after:
                show_message(
                    self.message,
                    self.tr("Renamed %1 to %2.").replace("%1", before).replace("%2", after),
                    error=False,
                )
                self.reload()
                self.changed.emit()

        def failed(message: str) -> None:
            refused.append(message)
            show_message(self.message, message, error=True)

        self.doc.write_later(work, landed=landed, failed=failed, owner=self)
        return not refused

    def member_ids(self) -> list[int]:
        return [
            self.members.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.members.count())
            if self.members.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _on_member_toggled(self, _item: QListWidgetItem) -> None:
        if self._loading or self.current_id is None:
            return
        team_id, chosen_ids, base = self.current_id, self.member_ids(), self._member_base
        # On a team database that cannot be reached the change waits in the offline outbox
        # (with the plan's edits) and lands when the server is back.
        if self.doc.hold_members(team_id, chosen_ids, base):
            self._members_waiting(len(chosen_ids))
            return
        members_text = tr_n(
            "RosterWindow", "%1 now has %n members.", len(chosen_ids), one="%1 now has %n member."
        )

        def work(session: Session) -> str | None:
            team = session.get(Team, team_id)
            if team is None:
                return None
            chosen = list(session.scalars(select(Person).where(Person.id.in_(chosen_ids))))
            roster.set_members(session, team, chosen)
            return team.name

        def landed(name: object) -> None:
            if name is None:
                return
            if self.current_id == team_id:
                self._member_base = sorted(chosen_ids)
            show_message(self.message, members_text.replace("%1", str(name)), error=False)
            self.changed.emit()

        def failed(message: str) -> None:
            # The server found gone on the way: the change waits in the outbox. Otherwise
            # the ticks stay as the user left them; ticking again tries again.
            if self.doc.hold_members(team_id, chosen_ids, base):
                self._members_waiting(len(chosen_ids))
                return
            show_message(self.message, message, error=True)

        self.doc.write_later(work, landed=landed, failed=failed, owner=self)

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
