"""The publish dialog: where to publish, exactly what will be sent, progress, and the link.

Publishing and pulling run on a QThreadPool thread (:mod:`sprintdesk.editing.jobs`); the
dialog shows "part n of m" while it runs and ends with a clickable link to the issue. Errors are
shown in plain words with everything the user typed left in place. A conflict (someone edited
the issue on GitHub) names every edited part and asks: overwrite (GitHub then matches the plan for
every part, edited locally or not), or pull first, offered only when team comments were edited
(pull reads team comments; edits to the issue body can only be overwritten or copied by hand).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.github import client as github
from sprintdesk.github import publishing
from sprintdesk.plan.model import Sprint
from sprintdesk.storage.store import Store
from sprintdesk.ui.github_sync import GitHubSync
from sprintdesk.views.wording import tr_n

if TYPE_CHECKING:
    from sprintdesk.github.pull import PullPreview


def goal_owner_logins(sprint: Sprint) -> list[str]:
    """GitHub logins of the sprint's goal owners, in goal order, without repeats."""
    logins: list[str] = []
    for goal in sprint.goals:
        login = goal.owner.github_login if goal.owner else None
        if login and login not in logins:
            logins.append(login)
    return logins


def _split_list(text: str) -> tuple[str, ...]:
    items = [part.strip().lstrip("@") for part in text.replace(";", ",").split(",")]
    return tuple(dict.fromkeys(i for i in items if i))


class PublishDialog(QDialog):
    """Publish one sprint. Signals: ``published(str)`` (the issue URL), ``pulled(int)``
    (team sections pulled into the plan), ``settings_requested()``, ``progress_changed(int,
    int, str)`` (part n of m, what is being sent)."""

    published = Signal(str)
    progress_changed = Signal(int, int, str)
    pulled = Signal(int)
    settings_requested = Signal()

    def __init__(self, store: Store, sprint_id: int, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("publishDialog")
        self.setWindowTitle(self.tr("Publish to GitHub"))
        self.store = store
        self.sprint_id = sprint_id
        self._preview: PullPreview | None = None
        self._target: publishing.Target | None = None
        self.rendered: publishing.RenderedLike | None = None
        self.issue_url: str | None = None
        self._preview_shown = ""
        self.writes: list[publishing.Write] = []

        with store.session() as session:
            sprint = session.get(Sprint, sprint_id)
            if sprint is None:
                raise ValueError(f"No sprint {sprint_id}")
            recent = github.recent_repos(session)
            # The sprint's own API URL (``publish --api-url``), if it has one; else the default.
            self.sprint_api_url = sprint.publish_api_url or None
            self.api_url = self.sprint_api_url or github.api_url_setting(session)
            current_repo = sprint.publish_repo or (recent[0] if recent else "")
            owners = goal_owner_logins(sprint)
            labels = github.get_labels_setting(session)
            assign_owners = github.get_assign_owners_setting(session)
            self.sprint_name = sprint.name
        self.sync = GitHubSync(store, sprint_id, self.api_url, parent=self)
        self.sync.progress.connect(self._on_progress)
        self.sync.published.connect(self._on_published)
        self.sync.previewed.connect(self._on_pull_preview)
        self.sync.failed.connect(self._on_failed)

        self.repo = QComboBox()
        self.repo.setObjectName("publishRepo")
        self.repo.setAccessibleName(self.tr("Repository"))
        self.repo.setEditable(True)
        self.repo.addItems(recent)
        self.repo.setCurrentText(current_repo)
        line = self.repo.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("owner/name"))

        self.labels = QLineEdit(", ".join(labels))
        self.labels.setObjectName("publishLabels")
        self.labels.setAccessibleName(self.tr("Labels"))
        self.assign = QCheckBox(self.tr("Assign the goal owners"))
        self.assign.setObjectName("publishAssign")
        self.assign.setAccessibleName(self.assign.text())
        self.assignees = QLineEdit(", ".join(owners))
        self.assignees.setObjectName("publishAssignees")
        self.assignees.setAccessibleName(self.tr("Assignees"))
        # As the last publish had it (a database setting, like the labels and repositories).
        self.assign.setChecked(assign_owners)
        self.assignees.setEnabled(assign_owners)
        self.milestone = QLineEdit()
        self.milestone.setObjectName("publishMilestone")
        self.milestone.setAccessibleName(self.tr("Milestone"))
        self.milestone.setPlaceholderText(self.tr("optional: title of an open milestone"))

        self.summary = QLabel()
        self.summary.setObjectName("publishSummary")
        self.summary.setWordWrap(True)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("publishPreview")
        self.preview.setAccessibleName(self.tr("What will be sent"))
        self.preview.setReadOnly(True)
        self.preview.setFont(QFont("DejaVu Sans Mono"))
        self.preview.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)

        self.progress = QProgressBar()
        self.progress.setObjectName("publishProgress")
        self.progress.setAccessibleName(self.tr("Publish progress"))
        self.progress.hide()
        self.progress_label = QLabel()
        self.progress_label.setObjectName("publishProgressLabel")
        self.error = QLabel()
        self.error.setObjectName("publishError")
        self.error.setAccessibleName(self.tr("Publish error"))
        self.error.setWordWrap(True)
        self.error.setStyleSheet(
            "color: palette(highlighted-text); background: #b3261e;"
            " padding: 6px; border-radius: 4px;"
        )
        self.error.hide()
        self.settings_button = QPushButton(self.tr("Open &settings…"))
        self.settings_button.setObjectName("publishOpenSettings")
        self.settings_button.setAccessibleName(self.tr("Open settings"))
        self.settings_button.hide()
        self.new_issue_button = QPushButton(self.tr("Publish as a &new issue"))
        self.new_issue_button.setObjectName("publishAsNewIssue")
        self.new_issue_button.setAccessibleName(self.tr("Publish as a new issue"))
        self.new_issue_button.hide()
        self.link = QLabel()
        self.link.setObjectName("publishLink")
        self.link.setAccessibleName(self.tr("Link to the issue"))
        self.link.setTextFormat(Qt.TextFormat.RichText)
        self.link.setOpenExternalLinks(True)
        self.link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.link.hide()

        self.conflict = QWidget()
        self.conflict.setObjectName("publishConflict")
        self.conflict_text = QLabel()
        self.conflict_text.setObjectName("publishConflictText")
        self.conflict_text.setAccessibleName(self.tr("Edited on GitHub"))
        self.conflict_text.setWordWrap(True)
        self.overwrite_button = QPushButton(self.tr("&Overwrite their edits"))
        self.overwrite_button.setObjectName("conflictOverwrite")
        self.overwrite_button.setAccessibleName(self.tr("Overwrite their edits"))
        self.pull_button = QPushButton(self.tr("P&ull their edits first"))
        self.pull_button.setObjectName("conflictPull")
        self.pull_button.setAccessibleName(self.tr("Pull their edits first"))
        conflict_layout = QVBoxLayout(self.conflict)
        conflict_layout.setContentsMargins(0, 0, 0, 0)
        conflict_layout.addWidget(self.conflict_text)
        row = QHBoxLayout()
        row.addWidget(self.overwrite_button)
        row.addWidget(self.pull_button)
        row.addStretch(1)
        conflict_layout.addLayout(row)
        self.conflict.hide()
        self.apply_pull_button = QPushButton(self.tr("&Apply the pulled changes"))
        self.apply_pull_button.setObjectName("pullApply")
        self.apply_pull_button.setAccessibleName(self.tr("Apply the pulled changes"))
        self.apply_pull_button.hide()

        self.buttons = QDialogButtonBox()
        self.publish_button = self.buttons.addButton(
            self.tr("&Publish"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.publish_button.setObjectName("publishButton")
        self.publish_button.setAccessibleName(self.tr("Publish"))
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setObjectName("publishClose")

        form = QFormLayout()
        form.addRow(self.tr("&Repository:"), self.repo)
        form.addRow(self.tr("&Labels:"), self.labels)
        form.addRow(self.assign, self.assignees)
        form.addRow(self.tr("&Milestone:"), self.milestone)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.error)
        layout.addWidget(self.settings_button)
        layout.addWidget(self.new_issue_button)
        layout.addWidget(self.conflict)
        layout.addWidget(self.apply_pull_button)
        layout.addWidget(self.link)
        layout.addWidget(self.buttons)
        self.resize(760, 640)

        self.publish_button.clicked.connect(lambda: self.start_publish())
        self.close_button.clicked.connect(self.reject)
        self.assign.toggled.connect(self.assignees.setEnabled)
        # Typing waits for a pause before the preview is rebuilt: a large plan is long text.
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(150)
        self._refresh_timer.timeout.connect(self.refresh_preview)
        self.repo.currentTextChanged.connect(lambda _text: self._refresh_timer.start())
        for field in (self.labels, self.assignees, self.milestone):
            field.textChanged.connect(lambda _text: self._refresh_timer.start())
        self.assign.toggled.connect(lambda _on: self._refresh_timer.start())
        self.overwrite_button.clicked.connect(lambda: self.start_publish(overwrite=True))
        self.pull_button.clicked.connect(self.start_pull)
        self.apply_pull_button.clicked.connect(self.apply_pulled)
        self.settings_button.clicked.connect(self.open_settings)
        self.new_issue_button.clicked.connect(self.publish_as_new_issue)
        self.reload_plan()

    # --- what will be sent ------------------------------------------------------------------

    def target(self) -> publishing.Target:
        """The target from the form; raises ValueError with a message for a bad repository."""
        repo = github.validate_repo(self.repo.currentText())
        assignees = _split_list(self.assignees.text()) if self.assign.isChecked() else ()
        return publishing.Target(
            repo,
            self.api_url,
            _split_list(self.labels.text()),
            assignees,
            self.milestone.text().strip() or None,
        )

    def reload_plan(self) -> None:
        with self.store.session() as session:
            sprint = session.get(Sprint, self.sprint_id)
            assert sprint is not None
            self.rendered = publishing.render_for_publish(sprint)
        self.refresh_preview()

    def refresh_preview(self) -> None:
        self._refresh_timer.stop()
        if self.rendered is None:
            return
        try:
            target = self.target()
        except ValueError:
            target = None
        with self.store.session() as session:
            sprint = session.get(Sprint, self.sprint_id)
            assert sprint is not None
            probe = target or publishing.Target("owner/name", self.api_url)
            writes = publishing.plan_writes(sprint, self.rendered, probe)
        self.writes = writes
        if target is None:
            self.summary.setText(self.tr("Write the repository as owner/name."))
        elif not writes:
            self.summary.setText(
                self.tr("Nothing changed since the last publish: nothing will be sent.")
            )
        elif writes[0].action == "create_issue":
            comments = tr_n("PublishDialog", "%n comments", len(writes) - 1, one="%n comment")
            requests = tr_n("PublishDialog", "%n requests", len(writes), one="%n request")
            self.summary.setText(
                self.tr("A new issue in %1 with %2: %3.")
                .replace("%1", target.repo)
                .replace("%2", comments)
                .replace("%3", requests)
            )
        else:
            self.summary.setText(
                tr_n(
                    "PublishDialog",
                    "%n changes to the published issue.",
                    len(writes),
                    one="%n change to the published issue.",
                )
            )
        text = self._preview_text(writes, target)
        if text != self._preview_shown:
            self._preview_shown = text
            self.preview.setPlainText(text)

    def describe_write(self, write: publishing.Write) -> str:
        """What a request does, naming the part as people know it ("Team Pipeline"), never
        by its internal key ("team:2")."""
        parts = self.rendered.parts if self.rendered is not None else ()
        part = next((p for p in parts if write.key and p.key == write.key), None)
        if write.action == "create_issue":
            return self.tr("create the issue")
        if write.action == "edit_issue":
            return self.tr("update the issue")
        if part is None:
            if write.action == "delete_comment":
                return self.tr("delete a comment that is no longer in the plan")
            return self.tr("update a comment")
        text = {
            "create_comment": self.tr("add the comment “%1”"),
            "edit_comment": self.tr("update the comment “%1”"),
            "delete_comment": self.tr("delete the comment “%1”"),
        }.get(write.action, self.tr("update the comment “%1”"))
        return text.replace("%1", part.title)

    def _preview_text(
        self, writes: list[publishing.Write], target: publishing.Target | None
    ) -> str:
        assert self.rendered is not None
        blocks: list[str] = []
        for index, write in enumerate(writes, 1):
            head = f"━━ {index}/{len(writes)} · {self.describe_write(write)} ━━"
            lines = [head]
            if write.action in ("create_issue", "edit_issue"):
                lines.append(f"Title: {self.rendered.title}")
            if write.action == "create_issue" and target is not None:
                lines.append(f"Labels: {', '.join(target.labels) or '—'}")
                lines.append(f"Assignees: {', '.join(target.assignees) or '—'}")
                lines.append(f"Milestone: {target.milestone or '—'}")
            if write.text:
                lines.append("")
                lines.append(write.text)
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    # --- running ------------------------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        for widget in (
            self.repo,
            self.labels,
            self.assign,
            self.assignees,
            self.milestone,
            self.publish_button,
            self.overwrite_button,
            self.pull_button,
            self.apply_pull_button,
        ):
            widget.setEnabled(not busy)
        if not busy:
            self.assignees.setEnabled(self.assign.isChecked())
        self.progress.setVisible(busy)

    def _clear_messages(self) -> None:
        self.error.hide()
        self.settings_button.hide()
        self.new_issue_button.hide()
        self.conflict.hide()
        self.link.hide()

    def show_error(self, message: str, *, offer_settings: bool = False) -> None:
        self.error.setText(message)
        self.error.show()
        self.settings_button.setVisible(offer_settings)
        self.progress_label.setText("")

    def start_publish(self, *, overwrite: bool = False) -> bool:
        """Start publishing off the UI thread; False when the form or token is not ready."""
        self._clear_messages()
        try:
            target = self.target()
        except ValueError as exc:
            self.show_error(str(exc))
            return False
        if self._refresh_timer.isActive():
            self.refresh_preview()  # the form changed within the typing pause
        rendered = self.rendered  # exactly what the preview shows
        if rendered is None:
            self.show_error(self.tr("Nothing to publish: the plan could not be rendered."))
            return False
        try:
            self.sync.publish(rendered, target, overwrite=overwrite)
        except github.TokenMissingError as exc:
            self.show_error(exc.message, offer_settings=True)
            return False
        self._target = target
        self.progress.setRange(0, max(1, len(self.writes)))
        self.progress.setValue(0)
        self.progress_label.setText(self.tr("Publishing…"))
        self._busy(True)
        return True

    def is_running(self) -> bool:
        return self.sync.running

    def _on_progress(self, done: int, total: int, text: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done - 1)
        if 0 < done <= len(self.writes) and self.writes[done - 1].describe() == text:
            text = self.describe_write(self.writes[done - 1])  # a team's name, not "team:2"
        self.progress_label.setText(
            self.tr("Part %1 of %2: %3")
            .replace("%1", str(done))
            .replace("%2", str(total))
            .replace("%3", text)
        )
        self.progress_changed.emit(done, total, text)

    def _on_published(self, result: publishing.PublishResult) -> None:
        target = self._target
        assert target is not None
        self._busy(False)
        with self.store.unit_of_work() as session:
            github.remember_repo(session, target.repo)
            github.put_labels_setting(session, target.labels)
            github.put_assign_owners_setting(session, self.assign.isChecked())
        self.issue_url = result.issue_url
        if result.unchanged and result.checked_remote:
            self.progress_label.setText(
                self.tr("GitHub already matches the plan: nothing was sent.")
            )
        elif result.unchanged:
            self.progress_label.setText(self.tr("Nothing changed: nothing was sent."))
        else:
            self.progress_label.setText(
                tr_n(
                    "PublishDialog",
                    "Published: %n requests sent.",
                    result.writes_sent,
                    one="Published: %n request sent.",
                )
            )
        url = result.issue_url.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        self.link.setText(f'<a href="{url}">{url}</a>')
        self.link.show()
        self.refresh_preview()
        self.published.emit(result.issue_url)

    def _on_failed(self, exc: BaseException) -> None:
        self._busy(False)
        if isinstance(exc, github.PublishConflictError):
            self.conflict_text.setText(exc.message)
            self.pull_button.setVisible(bool(exc.pullable))
            self.conflict.show()
            self.progress_label.setText("")
            return
        if isinstance(exc, github.PublishError):
            offer = isinstance(exc, (github.TokenRejectedError, github.TokenMissingError))
            self.show_error(exc.message, offer_settings=offer)
            self.new_issue_button.setVisible(isinstance(exc, github.IssueGoneError))
        else:
            self.show_error(self.tr("Publishing failed unexpectedly: %1").replace("%1", str(exc)))

    def publish_as_new_issue(self) -> bool:
        """The published issue is gone from GitHub: forget it and publish a new one."""
        publishing.forget_published_issue(self.store, self.sprint_id)
        self.refresh_preview()
        return self.start_publish()

    # --- pull first ----------------------------------------------------------------------------

    def start_pull(self) -> bool:
        self._clear_messages()
        # Opened to pull (File → Pull from GitHub), not to publish: say so in the title.
        self.setWindowTitle(self.tr("Pull from GitHub"))
        try:
            self.sync.pull_preview()
        except github.TokenMissingError as exc:
            self.show_error(exc.message, offer_settings=True)
            return False
        self.progress.setRange(0, 0)
        self.progress_label.setText(self.tr("Reading the issue on GitHub…"))
        self._busy(True)
        return True

    def _on_pull_preview(self, preview: PullPreview) -> None:
        self._busy(False)
        self._preview = preview
        if not preview.changes:
            text = self.tr(
                "Nothing to pull: no team section edited on GitHub can be brought into the plan."
            )
            if preview.body_edited:
                text += " " + preview.BODY_NOTE
            self.progress_label.setText(text)
            self.progress_label.setWordWrap(True)
            self.conflict.show()
            return
        self.summary.setText(self.tr("Pulling would change the plan like this:"))
        self.preview.setPlainText("\n".join(preview.describe()))
        self.progress_label.setText("")
        self.apply_pull_button.show()

    def apply_pulled(self) -> None:
        if self._preview is None:
            return
        changes = self.sync.apply_pull(self._preview)
        self._preview = None
        self.apply_pull_button.hide()
        self.reload_plan()
        self.progress_label.setText(
            tr_n(
                "PublishDialog",
                "Pulled %n changes into the plan. Review what will be sent, then publish.",
                changes,
                one="Pulled %n change into the plan. Review what will be sent, then publish.",
            )
        )
        self.pulled.emit(changes)

    # --- settings ------------------------------------------------------------------------------

    def open_settings(self) -> None:
        """Open Settings over this dialog (the only one opened: the window does not open its
        own); what is saved there is used by this dialog as soon as Settings closes."""
        from sprintdesk.ui.settings_dialog import SettingsDialog

        self.settings_requested.emit()
        # Only a sprint that really has its own API URL is shown as having one.
        dialog = SettingsDialog(self.store, parent=self, sprint_api_url=self.sprint_api_url)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(self._settings_closed)
        dialog.open()
        self.settings_dialog = dialog

    def _settings_closed(self, _result: int) -> None:
        """Take the API URL and token Settings may just have saved: the next publish or pull
        goes there, and a message about the old host or a missing token goes away."""
        with self.store.session() as session:
            sprint = session.get(Sprint, self.sprint_id)
            own = sprint.publish_api_url if sprint is not None else None
            self.sprint_api_url = own or None
            self.api_url = self.sprint_api_url or github.api_url_setting(session)
        self.sync.api_url = self.api_url
        if self.settings_button.isVisible():
            try:
                self.sync.client_factory()
            except github.TokenMissingError as exc:
                self.show_error(exc.message, offer_settings=True)  # says the host now in use
            else:
                self._clear_messages()
        self.refresh_preview()

    def reject(self) -> None:
        if self.sync.running:
            return  # a publish is running: closing now would hide its outcome
        super().reject()
