"""Settings dialog; its GitHub tab holds the API URL and the token (kept in the keyring only).

The token field is masked and never shows a stored token. "Check" asks ``GET /user`` off the UI
thread and shows the login and, for classic tokens, the scopes (with a warning when neither
``repo`` nor ``public_repo`` is there). When no keyring works the tab says so and offers to use
the token for this session only; nothing is ever written to a file.

OK with another database chosen on the Database tab opens it first (off the UI thread): the
dialog closes with :attr:`SettingsDialog.opened_store` for the window to switch to, or stays
open with the plain reason it could not be opened.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.editing.jobs import BackgroundJob, Report, start
from sprintdesk.github import client as github
from sprintdesk.plan.settings import put
from sprintdesk.storage.store import Store
from sprintdesk.system import secrets


class GitHubSettingsTab(QWidget):
    """The GitHub tab. Signals: ``token_changed()``, ``check_finished(str)`` (the status text)."""

    token_changed = Signal()
    check_finished = Signal(str)

    def __init__(
        self, store: Store, *, sprint_api_url: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self._task: BackgroundJob | None = None
        with store.session() as session:
            default_url = github.api_url_setting(session)
        # A sprint published elsewhere (``sprintdesk publish --api-url``) keeps its own API
        # URL: the token pasted here must go to that host, not to the default one.
        self.sprint_api_url = (sprint_api_url or "").strip().rstrip("/") or None
        api_url = self.sprint_api_url or default_url

        self.api_url = QLineEdit(api_url)
        self.api_url.setObjectName("githubApiUrl")
        self.api_url.setAccessibleName(self.tr("GitHub API URL"))
        self.api_url.setPlaceholderText(secrets.DEFAULT_API_URL)
        self.api_url.setToolTip(
            self.tr("https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server")
        )

        self.token = QLineEdit()
        self.token.setObjectName("githubToken")
        self.token.setAccessibleName(self.tr("GitHub token"))
        self.token.setEchoMode(QLineEdit.EchoMode.Password)

        self.save_button = QPushButton(self.tr("&Save token"))
        self.save_button.setObjectName("githubSaveToken")
        self.session_button = QPushButton(self.tr("Use for this s&ession only"))
        self.session_button.setObjectName("githubSessionToken")
        self.check_button = QPushButton(self.tr("&Check"))
        self.check_button.setObjectName("githubCheck")
        self.remove_button = QPushButton(self.tr("&Remove token"))
        self.remove_button.setObjectName("githubRemoveToken")
        for button in (
            self.save_button,
            self.session_button,
            self.check_button,
            self.remove_button,
        ):
            button.setAccessibleName(button.text().replace("&", ""))

        self.keyring_note = QLabel()
        self.keyring_note.setObjectName("githubKeyringNote")
        self.keyring_note.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("githubStatus")
        self.status.setAccessibleName(self.tr("Token status"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(self.status.textInteractionFlags())

        self.sprint_note = QLabel()
        self.sprint_note.setObjectName("githubSprintHost")
        self.sprint_note.setWordWrap(True)
        self.sprint_note.setVisible(
            self.sprint_api_url is not None and self.sprint_api_url != default_url
        )
        if self.sprint_api_url is not None:
            self.sprint_note.setText(
                self.tr(
                    "This sprint publishes to %1 (its own API URL): a token saved here is for "
                    "that host. The default API URL for new sprints stays %2."
                )
                .replace("%1", secrets.host_of(self.sprint_api_url))
                .replace("%2", default_url)
            )

        form = QFormLayout()
        form.addRow(self.tr("API &URL:"), self.api_url)
        form.addRow(self.tr("&Token:"), self.token)
        buttons = QHBoxLayout()
        for button in (
            self.save_button,
            self.session_button,
            self.check_button,
            self.remove_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sprint_note)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.keyring_note)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self.save_button.clicked.connect(self.save_token)
        self.session_button.clicked.connect(self.use_for_session)
        self.check_button.clicked.connect(self.check_token)
        self.remove_button.clicked.connect(self.remove_token)
        self.api_url.editingFinished.connect(self.refresh)
        self.refresh()

    # --- state ------------------------------------------------------------------------------

    def current_api_url(self) -> str:
        return self.api_url.text().strip().rstrip("/") or secrets.DEFAULT_API_URL

    def _stored_token(self) -> str | None:
        try:
            return secrets.get_stored_token(self.current_api_url())
        except (secrets.KeyringUnavailableError, ValueError):
            return None

    def refresh(self) -> None:
        available = secrets.keyring_available()
        self.keyring_available = available
        self.session_button.setVisible(not available)
        self.save_button.setEnabled(available)
        if available:
            self.keyring_note.setText("")
            self.keyring_note.hide()
        else:
            self.keyring_note.setText(self.tr(secrets.KEYRING_UNAVAILABLE))
            self.keyring_note.show()
        try:
            host = secrets.host_of(self.current_api_url())
        except ValueError:
            host = "?"
        stored = self._stored_token() is not None
        self.remove_button.setEnabled(stored)
        if stored:
            session_only = secrets.has_session_token(self.current_api_url())
            self.token.setPlaceholderText(
                self.tr("A token for %1 is in use for this session only.").replace("%1", host)
                if session_only
                else self.tr("A token for %1 is saved in the keyring.").replace("%1", host)
            )
        else:
            self.token.setPlaceholderText(self.tr("Paste a token (ghp_… or github_pat_…)"))

    def save_api_url(self) -> None:
        """Keep the API URL as the default for new sprints, unless it is the open sprint's
        own one shown unchanged (that sprint's host is not everyone's default)."""
        if self.sprint_api_url is not None and self.current_api_url() == self.sprint_api_url:
            return
        with self.store.unit_of_work() as session:
            put(session, github.SETTING_API_URL, self.current_api_url())

    # --- actions ----------------------------------------------------------------------------

    def save_token(self) -> bool:
        text = self.token.text().strip()
        if not text:
            self.status.setText(self.tr("Paste a token first."))
            return False
        try:
            secrets.store_token(self.current_api_url(), text)
        except secrets.KeyringUnavailableError:
            self.refresh()
            self.status.setText(self.tr(secrets.KEYRING_UNAVAILABLE))
            return False
        except ValueError as exc:
            self.status.setText(str(exc))
            return False
        self.token.clear()
        self.status.setText(self.tr("Token saved in the keyring."))
        self.refresh()
        self.token_changed.emit()
        return True

    def use_for_session(self) -> bool:
        text = self.token.text().strip()
        if not text:
            self.status.setText(self.tr("Paste a token first."))
            return False
        secrets.set_session_token(self.current_api_url(), text)
        self.token.clear()
        self.status.setText(self.tr("The token will be used until SprintDesk closes."))
        self.refresh()
        self.token_changed.emit()
        return True

    def remove_token(self) -> None:
        try:
            secrets.delete_token(self.current_api_url())
        except secrets.KeyringUnavailableError:
            self.status.setText(self.tr(secrets.KEYRING_UNAVAILABLE))
        else:
            self.status.setText(self.tr("Token removed."))
        self.token.clear()
        self.refresh()
        self.token_changed.emit()

    def check_token(self) -> None:
        token = self.token.text().strip() or self._stored_token()
        if not token:
            self.status.setText(self.tr("No token to check: paste one first."))
            return
        api_url = self.current_api_url()
        with self.store.session() as session:
            settings = github.client_settings(session)

        def work(_report: Report) -> github.TokenInfo:  # PyGithub set up off the UI thread too
            with settings.client(token, api_url) as client:
                return client.check_token()

        self.check_button.setEnabled(False)
        self.status.setText(self.tr("Checking…"))
        self._task = BackgroundJob(work)
        self._task.signals.finished.connect(self._checked)
        self._task.signals.failed.connect(self._check_failed)
        start(self._task)

    def _checked(self, info: github.TokenInfo) -> None:
        self.check_button.setEnabled(True)
        lines = [self.tr("Signed in as %1.").replace("%1", info.login)]
        if info.scopes is None:
            lines.append(self.tr("Fine-grained token: its permissions are set on GitHub."))
        else:
            scopes = ", ".join(info.scopes) or self.tr("none")
            lines.append(self.tr("Scopes: %1.").replace("%1", scopes))
        if info.warning:
            lines.append(self.tr("Warning: %1").replace("%1", info.warning))
        text = "\n".join(lines)
        self.status.setText(text)
        self.check_finished.emit(text)

    def _check_failed(self, exc: BaseException) -> None:
        self.check_button.setEnabled(True)
        message = exc.message if isinstance(exc, github.PublishError) else str(exc)
        self.status.setText(message)
        self.check_finished.emit(message)


class SettingsDialog(QDialog):
    """Application settings. Signals: those of its tabs (``github.token_changed``)."""

    def __init__(
        self,
        store: Store,
        *,
        parent: QWidget | None = None,
        tab: str = "github",
        sprint_api_url: str | None = None,
        ui_settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self.store = store
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        self.github = GitHubSettingsTab(store, sprint_api_url=sprint_api_url, parent=self)
        self.github.setObjectName("githubSettings")
        self.github.setAccessibleName(self.tr("GitHub settings"))
        self.tabs.addTab(self.github, self.tr("&GitHub"))
        from sprintdesk.ui.database_settings import DatabaseSettingsTab

        self.database = DatabaseSettingsTab(ui_settings, store=store, parent=self)
        # The database OK opened when the choice changed: the window switches to it.
        self.opened_store: Store | None = None
        self.database.opened.connect(self._database_opened)
        self.database.open_failed.connect(self._database_failed)
        self.database.setObjectName("databaseSettings")
        self.database.setAccessibleName(self.tr("Database settings"))
        self.tabs.addTab(self.database, self.tr("&Database"))
        if tab == "github":
            self.tabs.setCurrentWidget(self.github)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("settingsButtons")
        self.buttons = buttons
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(560, 320)

    def accept(self) -> None:
        try:
            github.validate_api_url(self.github.api_url.text())
        except ValueError as exc:
            self.github.status.setText(str(exc))
            return  # keep the dialog open with what the user typed
        self.github.save_api_url()
        if self.github.token.text().strip():
            saved = (
                self.github.save_token()
                if self.github.keyring_available
                else self.github.use_for_session()
            )
            if not saved:
                return  # the message is shown; keep what the user typed
        switch_to = self.database.switch_url()
        try:
            if switch_to is None:
                self.database.save()
            else:
                self.database.keep_password()
        except secrets.KeyringUnavailableError as exc:
            self.tabs.setCurrentWidget(self.database)
            self.database.status.setText(str(exc))
            return  # keep the dialog open with what the user typed
        if switch_to is None:
            super().accept()
            return
        # Another database was chosen: the window switches to it at once, so it must open.
        self.buttons.setEnabled(False)
        self.database.open_chosen(switch_to)

    def _database_opened(self, store: Store) -> None:
        self.buttons.setEnabled(True)
        self.database.save()
        self.opened_store = store
        super().accept()

    def _database_failed(self, _message: str) -> None:
        # The answer is on the Database tab; the dialog stays open with what was typed.
        self.buttons.setEnabled(True)
        self.tabs.setCurrentWidget(self.database)
