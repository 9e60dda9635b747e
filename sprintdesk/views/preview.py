"""The preview page: each part of the plan (issue body, team comments) as GitHub will show it.

Markdown is rendered with ``markdown`` and sanitised with ``nh3``
(:mod:`sprintdesk.markdown.html`), off
the UI thread, at most 300 ms after the last edit. The browser loads no remote or local
resources and opens only http(s) links, in the system browser.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThreadPool, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QCloseEvent, QDesktopServices, QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.editing.jobs import BackgroundJob, Report
from sprintdesk.markdown.html import github_html
from sprintdesk.markdown.render import GITHUB_LIMIT, RenderedPlan, render_plan
from sprintdesk.plan.planning import PlanError, load_sprint

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from sprintdesk.editing.document import PlanDocument

REFRESH_DELAY_MS = 250
PART_SELECTOR_CHARACTERS = 10
SAFE_SCHEMES = ("http", "https")

PREVIEW_CSS = """
body { font-family: 'DejaVu Sans', sans-serif; }
h1 { font-size: xx-large; margin-top: 12px; margin-bottom: 8px; }
h2 { font-size: x-large; margin-top: 16px; margin-bottom: 6px; }
h3 { font-size: large; margin-top: 14px; margin-bottom: 4px; }
h4, h5, h6 { font-size: medium; margin-top: 12px; margin-bottom: 4px; }
p { margin-top: 6px; margin-bottom: 6px; }
li p { margin-top: 0px; margin-bottom: 0px; }
table { border-collapse: collapse; margin-top: 6px; margin-bottom: 6px; }
th, td { border: 1px solid #8c959f; padding: 4px 8px; }
th { font-weight: bold; }
pre, code { font-family: 'DejaVu Sans Mono', monospace; }
pre { padding: 8px; border: 1px solid #8c959f; }
a { text-decoration: underline; }
li { margin-top: 2px; margin-bottom: 2px; }
ul, ol { margin-top: 0px; margin-bottom: 0px; }
"""


class SafeTextBrowser(QTextBrowser):
    """A QTextBrowser that fetches nothing and opens only http(s) links, externally.

    Signals: ``linkRefused(QUrl)`` when a link with another scheme is clicked.
    """

    linkRefused = Signal(QUrl)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setSearchPaths([])
        self.document().setDefaultStyleSheet(PREVIEW_CSS)
        self.resource_requests: list[QUrl] = []
        self.anchorClicked.connect(self.open_link)

    def loadResource(self, kind: int, url: QUrl | str) -> object:  # noqa: N802 - Qt override
        # Images, style sheets, anything: never loaded, remote or local. Logged for tests.
        self.resource_requests.append(QUrl(url))
        return None

    @Slot(QUrl)
    def open_link(self, url: QUrl) -> bool:
        if url.scheme().lower() in SAFE_SCHEMES and url.host():
            return bool(QDesktopServices.openUrl(url))
        self.linkRefused.emit(url)
        return False

    def setSource(self, name: QUrl | str, type: object = None) -> None:  # noqa: A002, N802
        # Navigation inside the widget would load a file or URL: never.
        return None


def render_part(
    read: Callable[[], AbstractContextManager[Session]] | None,
    sprint_id: int | None,
    key: str,
    plan: RenderedPlan | None,
) -> tuple[RenderedPlan | None, tuple[str, str, str] | None]:
    """The plan (loaded in a session of its own from ``read``, :meth:`PlanDocument.read`, and
    rendered, unless given) and the HTML of its part ``key`` (or of the first part): runs on a
    worker thread."""
    if plan is None and read is not None and sprint_id is not None:
        with read() as session:
            try:
                sprint = load_sprint(session, sprint_id)
            except PlanError:
                sprint = None
            plan = render_plan(sprint) if sprint is not None else None
    html = None
    if plan is not None:
        part = plan.part(key) or plan.parts[0]
        html = (part.key, part.markdown, github_html(part.markdown))
    return plan, html


class PreviewPage(QWidget):
    """Shows a sprint's parts as GitHub will render them.

    Signals: ``rendered()`` after the shown HTML was updated (tests and the main window wait
    on it).
    """

    rendered = Signal()
    page_name = "preview"

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.sprint_id: int | None = None
        self.plan: RenderedPlan | None = None
        self._html_cache: dict[str, tuple[str, str]] = {}
        self._generation = itertools.count(1)
        self._current = 0
        # Its own pool of one thread: renders run in the order they were asked for.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._jobs: dict[QObject, tuple[int, BackgroundJob]] = {}  # by their signals
        self.setObjectName("previewPage")
        self.setAccessibleName(self.tr("Preview"))

        self.title_label = QLabel(self)
        self.title_label.setObjectName("previewTitle")
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)

        self.part_selector = QComboBox(self)
        self.part_selector.setObjectName("previewPartSelector")
        self.part_selector.setAccessibleName(self.tr("Part of the plan"))
        # Sized by a few characters, not by its longest part title: the preview docks beside
        # the page, and its minimum width is taken from the page (issue 14).
        self.part_selector.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.part_selector.setMinimumContentsLength(PART_SELECTOR_CHARACTERS)
        self.part_selector.currentIndexChanged.connect(self._on_part_changed)
        part_label = QLabel(self.tr("&Part:"), self)
        part_label.setBuddy(self.part_selector)

        self.copy_button = QPushButton(self.tr("&Copy for GitHub"), self)
        self.copy_button.setObjectName("copyForGitHub")
        self.copy_button.setAccessibleName(self.tr("Copy the selected part for GitHub"))
        self.copy_button.setToolTip(
            self.tr("Copy the selected part's markdown, ready to paste into GitHub")
        )
        self.copy_button.clicked.connect(self.copy_selected)

        self.size_label = QLabel(self)
        self.size_label.setObjectName("previewSize")
        self.size_label.setWordWrap(True)

        self.browser = SafeTextBrowser(self)
        self.browser.setObjectName("previewBrowser")
        self.browser.setAccessibleName(self.tr("Preview as GitHub shows it"))

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REFRESH_DELAY_MS)
        self.timer.timeout.connect(self.refresh_now)

        # Two short rows rather than one long one: the dock stays narrow enough for the page
        # beside it at 1280 wide (the size label got its text only after the first render, and
        # one row of all four then wanted ~510 px).
        part_row = QHBoxLayout()
        part_row.addWidget(part_label)
        part_row.addWidget(self.part_selector, 1)
        size_row = QHBoxLayout()
        size_row.addWidget(self.size_label, 1)
        size_row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.title_label)
        layout.addLayout(part_row)
        layout.addLayout(size_row)
        layout.addWidget(self.browser, 1)
        self._set_empty()

    # --- the contract the main window uses -------------------------------------------

    def show_sprint(self, sprint_id: int | None) -> None:
        """Show another sprint (or none); renders at once, off the UI thread."""
        if sprint_id != self.sprint_id:
            self._html_cache.clear()
            self.plan = None
        self.sprint_id = sprint_id
        self.refresh_now()

    def schedule_refresh(self) -> None:
        """Call after an edit: the preview follows within 300 ms, edits in a row coalesce."""
        self.timer.start()

    def refresh_now(self) -> None:
        self.timer.stop()
        if self.sprint_id is None:
            self._set_empty()
            return
        self._start(plan=None)

    def selected_key(self) -> str:
        return str(self.part_selector.currentData() or "body")

    def selected_markdown(self) -> str:
        if self.plan is None:
            return ""
        part = self.plan.part(self.selected_key())
        return part.markdown if part is not None else ""

    def copy_selected(self) -> bool:
        text = self.selected_markdown()
        if not text:
            return False
        QGuiApplication.clipboard().setText(text)
        return True

    # --- internals ----------------------------------------------------------------------

    def _start(self, plan: RenderedPlan | None) -> None:
        generation = self._current = next(self._generation)
        read, sprint_id, key = self.doc.read, self.sprint_id, self.selected_key()

        def work(_report: Report) -> tuple[RenderedPlan | None, tuple[str, str, str] | None]:
            return render_part(read, sprint_id, key, plan)

        job = BackgroundJob(work)
        self._jobs[job.signals] = (generation, job)  # kept until it reports
        job.signals.finished.connect(self._on_job_finished)
        job.signals.failed.connect(self._on_job_failed)
        self._pool.start(job)

    def _job_generation(self) -> int:
        """The generation of the job whose signal is being delivered (0: unknown)."""
        generation, _job = self._jobs.pop(self.sender(), (0, None))
        return generation

    @Slot(object)
    def _on_job_finished(self, result: object) -> None:
        generation = self._job_generation()
        plan, html = result if isinstance(result, tuple) else (None, None)
        self._on_finished(generation, plan, html)

    @Slot(object)
    def _on_job_failed(self, exc: object) -> None:
        generation = self._job_generation()
        self._on_failed(generation, str(exc) or type(exc).__name__)

    def _set_empty(self) -> None:
        self.plan = None
        self.title_label.setText(self.tr("No sprint open"))
        self.part_selector.blockSignals(True)
        self.part_selector.clear()
        self.part_selector.blockSignals(False)
        self.copy_button.setEnabled(False)
        self.size_label.clear()
        self.browser.setHtml("")

    def _on_finished(self, generation: int, plan: object, html: object) -> None:
        if isinstance(html, tuple):
            key, markdown_text, body = html
            self._html_cache[key] = (markdown_text, body)
        if generation != self._current:
            return
        if not isinstance(plan, RenderedPlan):
            self._set_empty()
            self.rendered.emit()
            return
        self.plan = plan
        self.title_label.setText(plan.title)
        keys = [(p.title, p.key) for p in plan.parts]
        current = self.selected_key()
        if [
            (self.part_selector.itemText(i), self.part_selector.itemData(i))
            for i in range(self.part_selector.count())
        ] != keys:
            self.part_selector.blockSignals(True)
            self.part_selector.clear()
            for title, key in keys:
                self.part_selector.addItem(title, key)
            index = self.part_selector.findData(current)
            self.part_selector.setCurrentIndex(max(index, 0))
            self.part_selector.blockSignals(False)
        self.copy_button.setEnabled(True)
        self._show_selected()

    def _on_failed(self, generation: int, message: str) -> None:
        if generation != self._current:
            return
        self.browser.setPlainText(
            self.tr("The preview could not be rendered: %1").replace("%1", message)
        )
        self.rendered.emit()

    def _show_selected(self) -> None:
        if self.plan is None:
            return
        key = self.selected_key()
        part = self.plan.part(key)
        if part is None:
            return
        self.size_label.setText(
            self.tr("%1 / %2 characters")
            .replace("%1", f"{len(part.markdown):,}")
            .replace("%2", f"{GITHUB_LIMIT:,}")
        )
        cached = self._html_cache.get(key)
        if cached is not None and cached[0] == part.markdown:
            bar = self.browser.verticalScrollBar()
            position = bar.value()
            self.browser.document().setDefaultStyleSheet(PREVIEW_CSS)
            self.browser.setHtml(cached[1])
            bar.setValue(position)
            self.rendered.emit()
        else:
            self._start(plan=self.plan)

    @Slot(int)
    def _on_part_changed(self, _index: int) -> None:
        self._show_selected()

    def document(self) -> QTextDocument:
        return self.browser.document()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.timer.stop()
        self._pool.waitForDone(5000)
        super().closeEvent(event)
