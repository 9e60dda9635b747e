"""“Add from GitHub…”: pick people among a repository's assignable users and add them to the
roster. The request runs on a worker thread (:mod:`sprintdesk.editing.jobs`); the token
comes from the keyring as for publishing.

Signals: ``GitHubPeopleDialog.added(int)`` with the number of people added.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sprintdesk.editing import jobs
from sprintdesk.editing.document import PlanDocument
from sprintdesk.github import client as github
from sprintdesk.plan import roster
from sprintdesk.system import secrets
from sprintdesk.views.widgets import ROLE_LABELS, show_message
from sprintdesk.views.wording import tr_n


class GitHubPeopleDialog(QDialog):
    """Fetch ``owner/name``'s assignable users, tick some, add them as people."""

    added = Signal(int)

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.task: jobs.BackgroundJob | None = None
        self.setObjectName("githubPeopleDialog")
        self.setAccessibleName(self.tr("Add people from GitHub"))
        self.setWindowTitle(self.tr("Add people from GitHub"))
        self.api_url = secrets.DEFAULT_API_URL
        self.client_settings: github.ClientSettings | None = None  # None: not read yet
        self.repo = QComboBox()
        self.repo.setEditable(True)
        self.repo.setObjectName("githubPeopleRepo")
        self.repo.setAccessibleName(self.tr("Repository"))
        line = self.repo.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("owner/name"))
            line.returnPressed.connect(self.fetch)
        self.fetch_button = QPushButton(self.tr("&Fetch people"))
        self.fetch_button.setObjectName("githubPeopleFetch")
        self.fetch_button.clicked.connect(self.fetch)
        self.role = QComboBox()
        self.role.setObjectName("githubPeopleRole")
        self.role.setAccessibleName(self.tr("Role of the people added"))
        for role, label in ROLE_LABELS.items():
            self.role.addItem(self.tr(label), role.value)
        self.people = QListWidget()
        self.people.setObjectName("githubPeopleList")
        self.people.setAccessibleName(self.tr("Assignable users"))
        self.message = QLabel()
        self.message.setObjectName("githubPeopleMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.add_button = self.buttons.addButton(
            self.tr("&Add selected"), QDialogButtonBox.ButtonRole.ApplyRole
        )
        self.add_button.setObjectName("githubPeopleAdd")
        self.add_button.setEnabled(False)
        self.add_button.clicked.connect(self.add_selected)
        self.buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(self.repo, 1)
        row.addWidget(self.fetch_button)
        form = QFormLayout()
        form.addRow(self.tr("&Repository:"), row)
        form.addRow(self.tr("R&ole:"), self.role)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.people, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(520, 520)
        # The GitHub settings and recent repositories, read behind the window on a team
        # database: fetching waits for them.
        self.fetch_button.setEnabled(False)
        self.doc.read_later(
            _read_github_settings,
            landed=self._settings_read,
            failed=lambda message: show_message(self.message, message, error=True),
            owner=self,
        )

    def _settings_read(self, read: object) -> None:
        assert isinstance(read, tuple)
        self.api_url, recent, self.client_settings = read
        typed = self.repo.currentText()
        self.repo.addItems(recent)
        self.repo.setCurrentText(typed or (recent[0] if recent else ""))  # typed: that stays
        self.fetch_button.setEnabled(self.task is None)

    # --- fetching ------------------------------------------------------------------------

    def fetch(self) -> bool:
        """Start fetching the repository's assignable users; False if it cannot start."""
        if self.task is not None or self.client_settings is None:
            return False  # fetching, or the settings not read yet (the button waits)
        try:
            repo = github.validate_repo(self.repo.currentText())
        except ValueError as exc:
            show_message(self.message, str(exc), error=True)
            return False
        try:
            token = secrets.get_stored_token(self.api_url)
        except secrets.KeyringUnavailableError:
            token = None
        if not token:
            show_message(
                self.message,
                self.tr("No GitHub token for %1. Add one in Settings → GitHub.").replace(
                    "%1", secrets.host_of(self.api_url)
                ),
                error=True,
            )
            return False
        settings, api_url = self.client_settings, self.api_url
        assert settings is not None

        def work(_report: jobs.Report) -> list[str]:
            with settings.client(token, api_url) as client:
                return github.assignable_logins(client, repo)

        show_message(
            self.message,
            self.tr("Asking GitHub who can be assigned in %1…").replace("%1", repo),
            error=False,
        )
        self.fetch_button.setEnabled(False)
        self.task = jobs.BackgroundJob(work)
        self.task.signals.finished.connect(self._fetched)
        self.task.signals.failed.connect(self._failed)
        jobs.start(self.task)
        return True

    def _done(self) -> None:
        self.task = None
        self.fetch_button.setEnabled(True)

    def _fetched(self, logins: list[str], said: str = "") -> None:
        """Show who can be assigned, each marked when already in the roster (read beside the
        plan: behind the window on a team database); ``said``: the message to show then."""
        self._done()

        def landed(found: object) -> None:
            self._show_candidates(found)
            if said:
                show_message(self.message, said, error=False)

        def failed(message: str) -> None:
            show_message(self.message, message, error=True)

        self.doc.read_later(
            lambda session: roster.github_candidates(session, logins),
            landed=landed,
            failed=failed,
            owner=self,
        )

    def _show_candidates(self, found: object) -> None:
        assert isinstance(found, list)
        candidates: list[roster.GitHubCandidate] = found
        self.people.clear()
        for candidate in candidates:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, candidate.login)
            if candidate.known_as is None:
                item.setText(f"@{candidate.login}")
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
            else:
                item.setText(
                    self.tr("@%1 — already in the roster as %2")
                    .replace("%1", candidate.login)
                    .replace("%2", candidate.known_as)
                )
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.people.addItem(item)
        new = sum(1 for c in candidates if c.known_as is None)
        self.add_button.setEnabled(new > 0)
        if not candidates:
            text = self.tr("Nobody can be assigned issues in that repository.")
        else:
            can = tr_n(
                "GitHubPeopleDialog",
                "%n people can be assigned",
                len(candidates),
                one="%n person can be assigned",
            )
            missing = tr_n(
                "GitHubPeopleDialog",
                "%n are not in the roster yet.",
                new,
                one="%n is not in the roster yet.",
            )
            text = f"{can}; {missing}"
        show_message(self.message, text, error=False)

    def _failed(self, exc: BaseException) -> None:
        self._done()
        show_message(self.message, str(exc) or type(exc).__name__, error=True)

    # --- adding --------------------------------------------------------------------------

    def checked_logins(self) -> list[str]:
        logins = []
        for i in range(self.people.count()):
            item = self.people.item(i)
            if (
                item is not None
                and item.flags() & Qt.ItemFlag.ItemIsUserCheckable
                and item.checkState() == Qt.CheckState.Checked
            ):
                logins.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return logins

    def add_selected(self) -> bool:
        """Add the ticked people (behind the window on a team database: the button waits
        until it lands; a failure says why and keeps the ticks). False when refused at once."""
        logins = self.checked_logins()
        if not logins:
            show_message(self.message, self.tr("Tick the people to add first."), error=True)
            return False
        role = self.role.currentData()
        refused: list[str] = []

        def landed(count: object) -> None:
            assert isinstance(count, int)
            self.add_button.setEnabled(True)
            said = tr_n(
                "GitHubPeopleDialog",
                "Added %n people; give them their real names in the roster.",
                count,
                one="Added %n person; give them their real name in the roster.",
            )
            # The list read again: the people just added are now "already in the roster".
            shown = [self.people.item(i) for i in range(self.people.count())]
            self._fetched(
                [str(item.data(Qt.ItemDataRole.UserRole)) for item in shown if item], said
            )
            self.added.emit(count)

        def failed(message: str) -> None:
            self.add_button.setEnabled(True)
            refused.append(message)
            show_message(self.message, message, error=True)

        self.add_button.setEnabled(False)
        self.doc.write_later(
            lambda session: len(roster.add_github_people(session, logins, role)),
            landed=landed,
            failed=failed,
            owner=self,
        )
        return not refused


def _read_github_settings(session: Session) -> tuple[str, list[str], github.ClientSettings]:
    """The GitHub address, the recent repositories and the client's settings (plain values,
    read on the writer thread on a team database)."""
    return (
        github.api_url_setting(session),
        github.recent_repos(session),
        github.client_settings(session),
    )
