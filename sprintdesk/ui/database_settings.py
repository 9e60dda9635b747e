"""Settings → Database: this computer's own database, or a team database on a PostgreSQL server.

The chosen address is remembered without its password (``QSettings`` key ``database/url``) and
the window reopens on it; a password typed here goes to the keyring (one entry per server and
user). Test connection opens the database off the UI thread and shows the plain answer for each
failure (unreachable, wrong password, no such database, no permission, a newer schema).

Signals:
    test_finished(str): the answer of Test connection.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.editing.jobs import BackgroundJob, start
from sprintdesk.system import secrets

URL_KEY = "database/url"
TLS_MODES = ("prefer", "require", "verify-ca", "verify-full", "disable")


def remembered_url(settings: QSettings) -> str | None:
    """The team database the window should reopen on, or None for this computer's."""
    value = settings.value(URL_KEY, "")
    return str(value) if value else None


class DatabaseSettingsTab(QWidget):
    test_finished = Signal(str)

    def __init__(self, settings: QSettings | None = None, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # The application's QSettings is made only when the tab is first shown: Qt fixes the
        # settings folder at the first QSettings of the process.
        self._settings = settings
        self._loaded = False
        self._task: BackgroundJob | None = None
        tr = self.tr
        self.local = QRadioButton(tr("&This computer"))
        self.local.setObjectName("databaseLocal")
        self.team = QRadioButton(tr("T&eam database (PostgreSQL)"))
        self.team.setObjectName("databaseTeam")
        group = QButtonGroup(self)
        group.addButton(self.local)
        group.addButton(self.team)
        self.host = QLineEdit()
        self.host.setObjectName("databaseHost")
        self.port = QSpinBox()
        self.port.setObjectName("databasePort")
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("sprintdesk")
        self.database.setObjectName("databaseName")
        self.user = QLineEdit()
        self.user.setObjectName("databaseUser")
        self.password = QLineEdit()
        self.password.setObjectName("databasePassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("kept in the keyring; empty: PGPASSWORD or ~/.pgpass"))
        self.tls = QComboBox()
        self.tls.setObjectName("databaseTls")
        self.tls.addItems(TLS_MODES)
        self.test_button = QPushButton(tr("Test &connection"))
        self.test_button.setObjectName("databaseTest")
        self.test_button.clicked.connect(self.test_connection)
        self.status = QLabel()
        self.status.setObjectName("databaseStatus")
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Host:"), self.host)
        form.addRow(tr("Port:"), self.port)
        form.addRow(tr("Database:"), self.database)
        form.addRow(tr("User:"), self.user)
        form.addRow(tr("Password:"), self.password)
        form.addRow(tr("TLS:"), self.tls)
        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(self.team)
        layout.addLayout(form)
        layout.addWidget(self.test_button)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.team.toggled.connect(self._enable)
        self._enable(False)
        self.local.setChecked(True)
        if settings is not None:
            self._load()

    @property
    def settings(self) -> QSettings:
        if self._settings is None:
            self._settings = QSettings()
        return self._settings

    def showEvent(self, event: QShowEvent) -> None:
        if not self._loaded:
            self._load()
        super().showEvent(event)

    def _load(self) -> None:
        from sqlalchemy.engine import make_url

        self._loaded = True
        url = remembered_url(self.settings)
        if not url:
            self.local.setChecked(True)
            self._enable(False)
            return
        parsed = make_url(url)
        self.team.setChecked(True)
        self.host.setText(parsed.host or "")
        self.port.setValue(parsed.port or 5432)
        self.database.setText(parsed.database or "")
        self.user.setText(parsed.username or "")
        mode = str(parsed.query.get("sslmode", "prefer"))
        self.tls.setCurrentText(mode if mode in TLS_MODES else "prefer")
        self._enable(True)

    def _enable(self, on: bool) -> None:
        for widget in (self.host, self.port, self.database, self.user, self.password, self.tls):
            widget.setEnabled(on)
        self.test_button.setEnabled(on)

    def chosen_url(self) -> str | None:
        """The team database's URL (never with the password), or None for this computer."""
        if not self.team.isChecked():
            return None
        from sqlalchemy.engine import URL

        query = {} if self.tls.currentText() == "prefer" else {"sslmode": self.tls.currentText()}
        url = URL.create(
            "postgresql+psycopg",
            username=self.user.text().strip() or None,
            host=self.host.text().strip() or "localhost",
            port=self.port.value(),
            database=self.database.text().strip() or None,
            query=query,
        )
        return url.render_as_string(hide_password=False)

    def _keep_password(self) -> None:
        password = self.password.text()
        if password and self.team.isChecked():
            secrets.store_db_password(
                self.host.text().strip() or "localhost",
                self.port.value(),
                self.user.text().strip(),
                password,
            )

    def test_connection(self) -> None:
        url = self.chosen_url()
        if url is None:
            return
        try:
            self._keep_password()
        except secrets.KeyringUnavailableError as exc:
            self.status.setText(str(exc))
            return

        def work(_report: object) -> str:  # the server may be far away or gone: off the UI thread
            from sprintdesk.storage.store import open_store

            open_store(url).close()
            return url

        self.test_button.setEnabled(False)
        self.status.setText(self.tr("Connecting…"))
        self._task = BackgroundJob(work)
        self._task.signals.finished.connect(self._tested)
        self._task.signals.failed.connect(self._test_failed)
        start(self._task)

    def _tested(self, _url: str) -> None:
        self.test_button.setEnabled(True)
        text = self.tr("Connected: the team database is ready.")
        self.status.setText(text)
        self.test_finished.emit(text)

    def _test_failed(self, exc: BaseException) -> None:
        self.test_button.setEnabled(True)
        self.status.setText(str(exc))
        self.test_finished.emit(str(exc))

    def save(self) -> None:
        """Remember the choice (the window opens on it next time)."""
        if not self._loaded:
            return  # never shown: nothing was chosen here
        self._keep_password()
        url = self.chosen_url()
        if url is None:
            if self.settings.contains(URL_KEY):
                self.settings.remove(URL_KEY)
        else:
            self.settings.setValue(URL_KEY, url)
