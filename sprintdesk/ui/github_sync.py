"""Publishing and pulling for the window's dialogs: the dialog asks, this controller does.

:class:`GitHubSync` makes the GitHub client from the stored token and runs the publish or the
pull's look at the issue off the UI thread (:class:`~sprintdesk.editing.jobs.BackgroundJob`),
reporting back with signals; the publish dialog only shows the form, the progress and the
outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, SignalInstance

from sprintdesk.editing.jobs import BackgroundJob, Report, start
from sprintdesk.github import client as github
from sprintdesk.github import publishing
from sprintdesk.storage.store import Store
from sprintdesk.system import secrets

if TYPE_CHECKING:
    from sprintdesk.github.pull import PullPreview


class GitHubSync(QObject):
    """Publishes or pulls one sprint at ``api_url``, one job at a time.

    Signals: ``progress(int, int, str)`` (part n of m, what is being sent),
    ``published(object)`` (the :class:`~sprintdesk.github.publishing.PublishResult`),
    ``previewed(object)`` (the :class:`~sprintdesk.github.pull.PullPreview`),
    ``failed(object)`` (the exception)."""

    progress = Signal(int, int, str)
    published = Signal(object)
    previewed = Signal(object)
    failed = Signal(object)

    def __init__(
        self, store: Store, sprint_id: int, api_url: str, *, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.sprint_id = sprint_id
        self.api_url = api_url
        self._job: BackgroundJob | None = None
        self._done: SignalInstance | None = None  # what the running job's result is told by

    @property
    def running(self) -> bool:
        return self._job is not None

    def client_factory(self) -> Callable[[], github.GitHubClient]:
        """A function making the client on the worker thread. Raises
        :class:`~sprintdesk.github.client.TokenMissingError` when there is no token."""
        try:
            token = secrets.get_stored_token(self.api_url)
        except secrets.KeyringUnavailableError:
            token = None
        if not token:
            raise github.TokenMissingError(
                self.tr("No GitHub token for %1. Add one in Settings → GitHub.").replace(
                    "%1", secrets.host_of(self.api_url)
                )
            )
        with self.store.session() as session:
            settings = github.client_settings(session)
        api_url = self.api_url
        return lambda: settings.client(token, api_url)

    def publish(
        self,
        rendered: publishing.RenderedLike,
        target: publishing.Target,
        *,
        overwrite: bool = False,
    ) -> None:
        """Publish ``rendered`` (exactly what the preview shows) to ``target``. Raises
        :class:`~sprintdesk.github.client.TokenMissingError` before starting without a token."""
        make = self.client_factory()
        store, sprint_id = self.store, self.sprint_id

        def work(report: Report) -> publishing.PublishResult:
            with make() as client:
                return publishing.publish(
                    store, sprint_id, rendered, target, client, overwrite=overwrite, progress=report
                )

        job = self._start(work, self.published)
        job.signals.progress.connect(self.progress)

    def pull_preview(self) -> None:
        """Read the published issue's team comments and say what pulling would change."""
        from sprintdesk.github.pull import pull_preview

        make = self.client_factory()
        store, sprint_id = self.store, self.sprint_id

        def work(_report: Report) -> PullPreview:
            with make() as client:
                return pull_preview(store, sprint_id, client)

        self._start(work, self.previewed)

    def apply_pull(self, preview: PullPreview) -> int:
        """Bring the previewed team sections into the plan; how many changes were made."""
        from sprintdesk.github.pull import apply_pull

        return len(apply_pull(self.store, self.sprint_id, preview))

    def _start(self, work: Callable[[Report], object], done: SignalInstance) -> BackgroundJob:
        job = self._job = BackgroundJob(work)
        job.signals.finished.connect(self._on_finished)
        job.signals.failed.connect(self._on_failed)
        self._done = done
        start(job)
        return job

    def _on_finished(self, result: object) -> None:
        self._job = None
        if self._done is not None:
            self._done.emit(result)

    def _on_failed(self, exc: object) -> None:
        self._job = None
        self.failed.emit(exc)
