"""Settings → Database: this computer's own database, or a team database on a PostgreSQL server.

The chosen address is remembered without its password (``QSettings`` key ``database/url``) and
the window reopens on it; a password typed here goes to the keyring (one entry per server and
user). Test connection opens the database off the UI thread and shows the plain answer for each
failure (unreachable, wrong password, no such database, no permission, a newer schema).

OK switches the window at once: :meth:`DatabaseSettingsTab.open_chosen` opens the chosen database
off the UI thread (the settings dialog stays open with a plain answer when it cannot), and the
window swaps to it (:meth:`~sprintdesk.ui.main_window.MainWindow.replace_store`, the old
database's edits saved first). Without a keyring the password field says it is not kept.

Moving in: "Move my local sprints to the team database…" copies the database the window has
open (this computer's, never another file) into the chosen (empty) team database off the UI
thread, as ``sprintdesk db copy --to`` does, with a
progress dialog that can cancel until the copy commits (then nothing was copied). A team
database that already holds a plan is refused with the command line's message.

Signals:
    test_finished(str): the answer of Test connection.
    move_finished(str): what moving in did (copied, refused, cancelled or failed), in words.
    opened(object): the chosen database, open (a ``Store``), after :meth:`open_chosen`.
    open_failed(str): why the chosen database could not be opened, in words.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.editing.jobs import BackgroundJob, start
from sprintdesk.system import secrets

if TYPE_CHECKING:
    from sprintdesk.storage.store import Store

URL_KEY = "database/url"
TLS_MODES = ("prefer", "require", "verify-ca", "verify-full", "disable")


def remembered_url(settings: QSettings) -> str | None:
    """The team database the window should reopen on, or None for this computer's."""
    value = settings.value(URL_KEY, "")
    return str(value) if value else None


class MoveCancelledError(Exception):
    """The person cancelled moving in before the copy committed."""


class DatabaseSettingsTab(QWidget):
    test_finished = Signal(str)
    move_finished = Signal(str)
    opened = Signal(object)
    open_failed = Signal(str)

    def __init__(
        self,
        settings: QSettings | None = None,
        *,
        local_url: str | None = None,
        store: Store | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # The database the window has open: moving in copies from it when it is this
        # computer's, and OK switches only when the choice differs from it.
        self.store = store
        if local_url is None and store is not None and not store.is_server:
            local_url = store.url
        # This computer's database, the one moving in copies from.
        self._local_url = local_url
        self._open_job: BackgroundJob | None = None
        self.move_job: BackgroundJob | None = None
        self.progress: QProgressDialog | None = None
        # The application's QSettings is made only when the tab is first shown: Qt fixes the
        # settings folder at the first QSettings of the process.
        self._settings = settings
        self._loaded = False
        self._loaded_choice: str | None = None  # the remembered choice, as first shown
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
        if secrets.keyring_available():
            self.password.setPlaceholderText(
                tr("kept in the keyring; empty: PGPASSWORD or ~/.pgpass")
            )
        else:
            self.password.setPlaceholderText(
                tr("no keyring on this computer: use PGPASSWORD or ~/.pgpass")
            )
        self.tls = QComboBox()
        self.tls.setObjectName("databaseTls")
        self.tls.addItems(TLS_MODES)
        self.test_button = QPushButton(tr("Test &connection"))
        self.test_button.setObjectName("databaseTest")
        self.test_button.clicked.connect(self.test_connection)
        self.move_button = QPushButton(tr("&Move my local sprints to the team database…"))
        self.move_button.setObjectName("databaseMoveIn")
        self.move_button.clicked.connect(self.move_in)
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
        layout.addWidget(self.move_button)
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
        self._loaded_choice = url
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
        self._loaded_choice = self.chosen_url()  # as the fields render it

    def _enable(self, on: bool) -> None:
        for widget in (self.host, self.port, self.database, self.user, self.password, self.tls):
            widget.setEnabled(on)
        self.test_button.setEnabled(on)
        self.move_button.setEnabled(on and self.move_job is None)

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

    def keep_password(self) -> None:
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
            self.keep_password()
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

    @property
    def local_url(self) -> str:
        """This computer's database: the one the window has open, else the data folder's."""
        if self._local_url is None:
            from sprintdesk.system.paths import default_url, resolve_data_dir

            data_dir = self.store.data_dir if self.store is not None else None
            self._local_url = default_url(data_dir or resolve_data_dir())
        return self._local_url

    def switch_url(self) -> str | None:
        """The database OK should switch the window to, or None when the choice was left as
        it was (or the tab was never shown) or is the one the window has open."""
        if not self._loaded or self.store is None:
            return None
        from sqlalchemy.engine import make_url

        choice = self.chosen_url()
        if choice == self._loaded_choice:
            return None  # a window started with --db stays there until the choice changes
        chosen = choice or self.local_url

        def plain(url: str) -> str:
            return make_url(url).set(password=None).render_as_string(hide_password=False)

        return None if plain(chosen) == plain(self.store.url) else chosen

    def open_chosen(self, url: str) -> None:
        """Open ``url`` off the UI thread (a server may be far away or gone); ``opened`` or
        ``open_failed`` tells how it went (a second OK while one is opening waits for it)."""
        if self._open_job is not None:
            return
        from sprintdesk.storage.server import is_server_url
        from sprintdesk.storage.store import sqlite_path

        if not is_server_url(url):
            path = sqlite_path(url)
            if path is not None and not path.exists():
                # Never a stray empty file: this computer's database is made where it starts.
                self.status.setText(
                    self.tr("This computer has no database at %1 yet.").replace("%1", str(path))
                )
                self.open_failed.emit(self.status.text())
                return

        def work(_report: object) -> object:
            from sprintdesk.storage.store import open_store

            return open_store(url)

        self.status.setText(self.tr("Opening the database…"))
        job = self._open_job = BackgroundJob(work)
        job.signals.finished.connect(self._opened)
        job.signals.failed.connect(self._open_failed)
        start(job)

    def _opened(self, store: object) -> None:
        self._open_job = None
        self.status.setText("")
        self.opened.emit(store)

    def _open_failed(self, exc: BaseException) -> None:
        self._open_job = None
        self.status.setText(str(exc))
        self.open_failed.emit(str(exc))

    def move_in(self) -> None:
        """Copy this computer's sprints, people, teams and settings into the chosen team
        database (which must hold no plan), off the UI thread, with a cancellable progress."""
        url = self.chosen_url()
        if url is None or self.move_job is not None:
            return
        try:
            self.keep_password()
        except secrets.KeyringUnavailableError as exc:
            self.status.setText(str(exc))
            return
        local_store = self.store if self.store is not None and not self.store.is_server else None
        source_url = self.local_url
        if local_store is None:
            from sprintdesk.storage.store import sqlite_path

            path = sqlite_path(source_url)
            if path is not None and not path.exists():  # nothing to move; never a stray file
                self.status.setText(
                    self.tr("This computer has no database at %1: nothing to move.").replace(
                        "%1", str(path)
                    )
                )
                self.move_finished.emit(self.status.text())
                return
        cancel = threading.Event()

        def work(report: object) -> tuple[int, int, int, str]:
            from sprintdesk.storage.copying import copy_database
            from sprintdesk.storage.server import display_url
            from sprintdesk.storage.store import open_store

            assert callable(report)
            if cancel.is_set():
                raise MoveCancelledError
            # The window's own open database when it is this computer's (its engine is safe
            # to read from this thread); else this computer's file, which exists.
            source = local_store or open_store(source_url)
            try:
                target = open_store(url)
                try:

                    def progress(done: int, total: int, table: str) -> None:
                        # Raised inside the copy's transaction: it rolls back, nothing lands.
                        if cancel.is_set():
                            raise MoveCancelledError
                        report(done, total, table)

                    result = copy_database(source, target, progress)
                finally:
                    target.close()
            finally:
                if source is not local_store:
                    source.close()
            people, teams = result.rows.get("people", 0), result.rows.get("teams", 0)
            return result.sprints, people, teams, display_url(url)

        dialog = self.progress = QProgressDialog(
            self.tr("Copying this computer's plan to the team database…"),
            self.tr("Cancel"),
            0,
            0,
            self,
        )
        dialog.setObjectName("moveInProgress")
        dialog.setWindowTitle(self.tr("Move to the team database"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(cancel.set)
        self.move_button.setEnabled(False)
        self.status.setText(self.tr("Copying…"))
        job = self.move_job = BackgroundJob(work)
        job.signals.progress.connect(self._moved_some)
        job.signals.finished.connect(self._moved)
        job.signals.failed.connect(self._move_failed)
        start(job)

    def _moved_some(self, done: int, total: int, table: str) -> None:
        if self.progress is not None and total:
            self.progress.setMaximum(total)
            self.progress.setValue(done)
            if table:
                self.progress.setLabelText(self.tr("Copying %1…").replace("%1", table))

    def _move_done(self, text: str) -> None:
        self.move_job = None
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.move_button.setEnabled(self.team.isChecked())
        self.status.setText(text)
        self.move_finished.emit(text)

    def _moved(self, copied: tuple[int, int, int, str]) -> None:
        from sprintdesk.views.wording import tr_n

        sprints, people, teams, where = copied
        context = "DatabaseSettingsTab"
        self._move_done(
            self.tr("Copied %1, %2 and %3 to %4.")
            .replace("%1", tr_n(context, "%n sprints", sprints, one="%n sprint"))
            .replace("%2", tr_n(context, "%n people", people, one="%n person"))
            .replace("%3", tr_n(context, "%n teams", teams, one="%n team"))
            .replace("%4", where)
        )

    def _move_failed(self, exc: BaseException) -> None:
        if isinstance(exc, MoveCancelledError):
            self._move_done(self.tr("Cancelled: nothing was copied."))
        else:
            self._move_done(str(exc))

    def save(self) -> None:
        """Remember the choice (the window opens on it next time)."""
        if not self._loaded:
            return  # never shown: nothing was chosen here
        self.keep_password()
        url = self.chosen_url()
        if url is None:
            if self.settings.contains(URL_KEY):
                self.settings.remove(URL_KEY)
        else:
            self.settings.setValue(URL_KEY, url)
