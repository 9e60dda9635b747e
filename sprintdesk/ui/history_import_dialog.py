"""File → Import history from GitHub…: a repository's sprint issues imported as the sprint
history, off the UI thread, with a progress bar, Cancel and the summary.

Signals: ``imported(object)`` with the :class:`ImportReport` once an import finished (the
window refreshes its History view).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.editing.jobs import BackgroundJob, start
from sprintdesk.github import client as github
from sprintdesk.github.history_import import ImportReport, import_history
from sprintdesk.storage.store import Store
from sprintdesk.system import secrets
from sprintdesk.views.wording import tr_n


class HistoryImportDialog(QDialog):
    """Repository, label and "since" in; progress, Cancel and the summary out."""

    imported = Signal(object)

    def __init__(
        self,
        store: Store,
        *,
        parent: QWidget | None = None,
        client_factory: Callable[[str], Callable[[], github.GitHubClient] | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.setObjectName("historyImportDialog")
        self.setWindowTitle(self.tr("Import history from GitHub"))
        self._task: BackgroundJob | None = None
        self._cancel_requested = False
        self.report: ImportReport | None = None
        self._client_factory = client_factory or self._stored_token_client
        with store.session() as session:
            recent = github.recent_repos(session)
            self.api_url = github.api_url_setting(session)

        self.repo = QLineEdit(recent[0] if recent else "")
        self.repo.setObjectName("historyRepo")
        self.repo.setAccessibleName(self.tr("Repository"))
        self.repo.setPlaceholderText(self.tr("owner/name"))
        self.label = QLineEdit("sprint")
        self.label.setObjectName("historyLabel")
        self.label.setAccessibleName(self.tr("Label"))
        self.since = QLineEdit()
        self.since.setObjectName("historySince")
        self.since.setAccessibleName(self.tr("Since"))
        self.since.setPlaceholderText(self.tr("YYYY-MM-DD (optional)"))
        form = QFormLayout()
        form.addRow(self.tr("&Repository:"), self.repo)
        form.addRow(self.tr("&Label:"), self.label)
        form.addRow(self.tr("&Updated since:"), self.since)

        self.progress = QProgressBar()
        self.progress.setObjectName("historyProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel()
        self.status.setObjectName("historyStatus")
        self.status.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("historySummary")
        self.summary.setWordWrap(True)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.start_button = QPushButton(self.tr("&Import"))
        self.start_button.setObjectName("historyStart")
        self.start_button.setDefault(True)
        self.buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = QPushButton(self.tr("Cancel import"))
        self.cancel_button.setObjectName("historyCancel")
        self.cancel_button.setEnabled(False)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.start_button.clicked.connect(self.start_import)
        self.cancel_button.clicked.connect(self.cancel_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    # --- the token ------------------------------------------------------------------------

    def _stored_token_client(self, api_url: str) -> Callable[[], github.GitHubClient] | None:
        try:
            token = secrets.get_stored_token(api_url)
        except secrets.KeyringUnavailableError:
            token = None
        if not token:
            self.status.setText(
                self.tr("No GitHub token for %1. Add one in Settings → GitHub.").replace(
                    "%1", secrets.host_of(api_url)
                )
            )
            return None
        with self.store.session() as session:
            settings = github.client_settings(session)
        return lambda: settings.client(token, api_url)

    # --- running --------------------------------------------------------------------------

    def is_running(self) -> bool:
        return self._task is not None

    def start_import(self) -> bool:
        """Check the form, then import off the UI thread; False when the form is not ready
        (the reason is shown, what was typed is kept)."""
        try:
            repo = github.validate_repo(self.repo.text())
        except ValueError as exc:
            self.status.setText(str(exc))
            return False
        label = self.label.text().strip()
        if not label:
            self.status.setText(self.tr("Say which label the sprint issues carry."))
            return False
        since: datetime | None = None
        if self.since.text().strip():
            try:
                since = datetime.fromisoformat(self.since.text().strip())
            except ValueError:
                self.status.setText(
                    self.tr("“%1” is not a date: write it as YYYY-MM-DD.").replace(
                        "%1", self.since.text().strip()
                    )
                )
                return False
        make = self._client_factory(self.api_url)
        if make is None:
            return False
        store = self.store
        self._cancel_requested = False

        def work(report: Callable[[int, int, str], None]) -> ImportReport:
            with make() as client:
                return import_history(
                    store,
                    client,
                    repo,
                    label=label,
                    since=since,
                    progress=report,
                    cancelled=lambda: self._cancel_requested,
                )

        self.summary.setText("")
        self.status.setText(self.tr("Reading the issues labelled “%1”…").replace("%1", label))
        self.progress.setRange(0, 0)  # busy until the listing arrives
        self._busy(True)
        self._task = BackgroundJob(work)
        self._task.signals.progress.connect(self._on_progress)
        self._task.signals.finished.connect(self._on_finished)
        self._task.signals.failed.connect(self._on_failed)
        start(self._task)
        return True

    def cancel_import(self) -> None:
        """Stop after the issue being read; what was imported is kept (a rerun continues)."""
        if self._task is not None:
            self._cancel_requested = True
            self.status.setText(self.tr("Stopping after this issue…"))

    def _busy(self, busy: bool) -> None:
        self.start_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        for field in (self.repo, self.label, self.since):
            field.setReadOnly(busy)

    def _on_progress(self, done: int, total: int, title: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        if title:
            self.status.setText(
                self.tr("Issue %1 of %2: %3")
                .replace("%1", str(done + 1))
                .replace("%2", str(total))
                .replace("%3", title)
            )

    def _on_finished(self, report: ImportReport) -> None:
        self._task = None
        self._busy(False)
        self.report = report
        with self.store.unit_of_work() as session:
            github.remember_repo(session, self.repo.text().strip())
        self.status.setText(
            self.tr("Cancelled: what was imported is kept; import again to continue.")
            if report.cancelled
            else self.tr("Done.")
        )
        self.summary.setText(self.describe(report))
        self.imported.emit(report)

    def _on_failed(self, error: Any) -> None:
        self._task = None
        self._busy(False)
        message = error.message if isinstance(error, github.PublishError) else str(error)
        self.status.setText(
            self.tr("%1 What was imported so far is kept; import again to continue.").replace(
                "%1", message
            )
        )

    def describe(self, report: ImportReport) -> str:
        lines = [
            tr_n(
                "HistoryImportDialog",
                "%n sprints imported",
                len(report.imported),
                one="%n sprint imported",
            ),
            self.tr("%n updated", "", len(report.updated)),
            self.tr("%n skipped", "", len(report.skipped)),
            self.tr("%n unchanged", "", report.unchanged),
            tr_n(
                "HistoryImportDialog",
                "%n requests to GitHub",
                report.requests,
                one="%n request to GitHub",
            ),
        ]
        text = ", ".join(lines) + "."
        for entry in report.skipped:
            text += "\n" + self.tr("Skipped #%1: %2").replace("%1", str(entry["issue"])).replace(
                "%2", str(entry["why"])
            )
        if report.comments_skipped:
            text += "\n" + tr_n(
                "HistoryImportDialog",
                "%n comments not imported (read them on GitHub):",
                len(report.comments_skipped),
                one="%n comment not imported (read it on GitHub):",
            )
        for entry in report.comments_skipped:
            text += "\n" + (
                self.tr("#%1, %2: “%3”")
                .replace("%1", str(entry["issue"]))
                .replace("%2", str(entry["why"]))
                .replace("%3", str(entry["text"]))
            )
        return text

    def reject(self) -> None:
        if self._task is not None:
            self.cancel_import()
            return  # closes once the worker has stopped
        super().reject()
