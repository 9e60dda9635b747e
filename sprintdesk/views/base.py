"""The common frame of every section page: a title, a scrolling body, refresh on edits and a
presentation switch that hides the editing chrome.

The plan checks run once per change of the document, whatever the number of pages showing
their findings (:class:`FindingsCache`), and the findings' colours come from one style sheet on
the page body (a style sheet per label is very slow in Qt).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.breaks import breakable
from sprintdesk.plan.model import AgendaSection, Sprint
from sprintdesk.plan.rules import Finding, check_sprint
from sprintdesk.views.models import (
    ERROR_BACKGROUND,
    ERROR_COLOR,
    WARNING_BACKGROUND,
    WARNING_COLOR,
)

# Findings say their severity in words and in colour; goal messages are errors the user made.
BODY_QSS = f"""
QLabel#finding {{ border-radius: 3px; padding: 3px 8px; font-weight: bold; }}
QLabel#finding[severity="error"] {{
    color: {ERROR_COLOR}; background: {ERROR_BACKGROUND}; border-left: 6px solid {ERROR_COLOR};
}}
QLabel#finding[severity="warning"] {{
    color: {WARNING_COLOR}; background: {WARNING_BACKGROUND};
    border-left: 6px solid {WARNING_COLOR};
}}
QLabel#goalMessage {{
    color: {ERROR_COLOR}; background: {ERROR_BACKGROUND}; font-weight: bold; padding: 3px 8px;
}}
"""


class FindingsCache(QObject):
    """The plan checks' findings for a document, computed at most once per change.

    Cleared on every edit, undo, redo, save (new rows get their ids) and sprint switch; it is
    connected before any page, so pages refreshing on the same signals see fresh findings.
    """

    _caches: weakref.WeakKeyDictionary[PlanDocument, FindingsCache] = weakref.WeakKeyDictionary()

    def __init__(self, doc: PlanDocument) -> None:
        super().__init__(doc)
        self.doc = doc
        self._findings: list[Finding] | None = None
        doc.changed.connect(self.clear)
        doc.saved.connect(self.clear)
        doc.sprintOpened.connect(self.clear)

    @classmethod
    def of(cls, doc: PlanDocument) -> FindingsCache:
        cache = cls._caches.get(doc)
        if cache is None:
            cache = cls._caches[doc] = cls(doc)
        return cache

    def clear(self, *_args: Any) -> None:
        self._findings = None

    def ready(self) -> bool:
        return self._findings is not None or self.doc.sprint is None

    def findings(self) -> list[Finding]:
        sprint = self.doc.sprint
        if sprint is None:
            return []
        if self._findings is None:
            # Rows added since the last autosave have no id yet, so no finding can point at
            # them; pages refresh once more after the save (no flush here: a failed flush would
            # drop the user's pending edits, which the document's own commit knows how to keep).
            with self.doc.session.no_autoflush:
                self._findings = check_sprint(sprint)
        return list(self._findings)


class Batcher(QObject):
    """Runs queued steps a few at a time from the event loop, so that building hundreds of
    widgets never blocks the UI for long (each turn runs one step, then more until
    ``budget_ms``; with 0, one step a turn: for steps whose cost comes after them, in the
    layout and paint they cause)."""

    def __init__(self, *, budget_ms: float = 12.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.budget_ms = budget_ms
        self._steps: list[Callable[[], None]] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run)

    def pending(self) -> bool:
        return bool(self._steps)

    def schedule(self, steps: list[Callable[[], None]]) -> None:
        self._steps = list(steps)
        if self._steps:
            self._timer.start()
        else:
            self._timer.stop()

    def cancel(self) -> None:
        self.schedule([])

    def finish(self) -> None:
        """Run everything still queued now (tests, screenshots, a jump to the end)."""
        while self._steps:
            self._steps.pop(0)()
        self._timer.stop()

    def _run(self) -> None:
        import time

        began = time.perf_counter()
        ran = False
        while self._steps and (not ran or (time.perf_counter() - began) * 1000 < self.budget_ms):
            self._steps.pop(0)()
            ran = True
        if self._steps:
            self._timer.start()


class PageLayout(QVBoxLayout):
    """The layout of a page's scrolling body: its minimum height is the height its wrapped
    text needs at the body's width (used with the ``SetMinimumSize`` constraint).

    Qt lays the body out again at once when a card is shown, built or expanded, or findings
    are added, but its scroll area gives the body the taller height that needs only a turn
    or more of the event loop later. With the default constraint (no minimum for a child
    widget, and a minimum that ignores height-for-width anyway) the layout meanwhile squeezed
    every wrapped label into stripes of overlapping lines, for as long as cards were being
    built in batches. With this minimum the body grows first and nothing is squeezed.
    """

    def minimumSize(self) -> QSize:
        size = super().minimumSize()
        body = self.parentWidget()
        # The body's width, not the layout's geometry: that is set only after this is asked.
        width = body.contentsRect().width() if body is not None else 0
        if width <= 0 or not self.hasHeightForWidth():
            return size
        return QSize(size.width(), max(size.height(), self.heightForWidth(width)))


class PageBody(QWidget):
    """The scrolling body of a page; see :class:`PageLayout`."""

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        layout = self.layout()
        if layout is not None and event.oldSize().width() != event.size().width():
            # The minimum height was for the old width: work it out again.
            layout.invalidate()


class SectionPage(QWidget):
    """Base class of the pages the main window shows for an agenda section.

    Subclasses fill ``self.body`` and implement :meth:`refresh`. Pages refresh on the document's
    ``changed`` signal while visible, and when they are shown again after being hidden.
    Widgets listed in ``self.chrome`` (add buttons, placeholders, private notes) are hidden in
    presentation mode.
    """

    page_name = "page"

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.section: AgendaSection | None = None
        self.presentation = False
        self.chrome: list[QWidget] = []
        self._stale = True
        self.setObjectName(self.page_name)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        outer.setSpacing(6)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("pageTitle")
        self.title_label.setProperty("role", "title")
        self.title_label.setWordWrap(True)
        font = self.title_label.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title_label.setFont(font)
        outer.addWidget(self.title_label)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setObjectName(f"{self.page_name}Scroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.body = PageBody()
        self.body.setObjectName(f"{self.page_name}Body")
        self.body.setStyleSheet(BODY_QSS)
        self.body_layout = PageLayout(self.body)
        self.body_layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.body_layout.setSpacing(8)
        self.scroll_area.setWidget(self.body)
        outer.addWidget(self.scroll_area, 1)
        # The width the page has to show its body in (narrow beside the GitHub preview): pages
        # whose rows sit side by side stack them instead of scrolling sideways (fit_width).
        self.scroll_area.viewport().installEventFilter(self)

        self.refresh_after_save = False
        self.findings_cache = FindingsCache.of(doc)  # connected before the page's own slots
        # Switching to a page paints it first and adds the plan checks' findings right after
        # (the checks take tens of milliseconds on a large sprint); edits show them at once.
        self._switching = False
        self._late = QTimer(self)
        self._late.setSingleShot(True)
        self._late.setInterval(0)
        self._late.timeout.connect(self._late_refresh)
        doc.changed.connect(self._on_changed)
        doc.saved.connect(self._on_saved)
        doc.sprintOpened.connect(self._on_sprint_opened)

    # --- the contract the main window uses -------------------------------------------------

    @property
    def sprint(self) -> Sprint | None:
        return self.doc.sprint

    def show_section(self, section: AgendaSection) -> None:
        another = self.section is None or self.section.id != section.id
        self.section = section
        # A long unbroken name wraps instead of widening the page (and squeezing the agenda).
        shown = breakable(section.title)
        self.title_label.setText(shown)
        self.title_label.setToolTip(section.title if shown != section.title else "")
        self.title_label.setAccessibleName(section.title)
        self.section_changed()
        self._refresh_switching()
        if another:  # each section starts at its top (a team page is reused for every team)
            self.scroll_area.verticalScrollBar().setValue(0)
            self.scroll_area.horizontalScrollBar().setValue(0)

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        self.setProperty("presentation", on)
        self.apply_presentation()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and watched is self.scroll_area.viewport():
            self.fit_width(self.scroll_area.viewport().width())
        return super().eventFilter(watched, event)

    # --- for subclasses -------------------------------------------------------------------

    def fit_width(self, width: int) -> None:
        """The body is shown ``width`` pixels wide: a page with side-by-side parts stacks
        them when they would not fit (and a horizontal scroll bar would appear)."""

    def viewport_width(self) -> int:
        return self.scroll_area.viewport().width()

    def section_changed(self) -> None:
        """The page now shows another section (TEAM pages switch team)."""

    def refresh(self) -> None:
        """Show the current data."""

    def apply_presentation(self) -> None:
        # The window's header shows the section title in large type while presenting.
        self.title_label.setVisible(not self.presentation)
        for widget in self.chrome:
            widget.setVisible(not self.presentation)
        if self.column is not None:
            for card in self.column.cards:
                card.set_presentation(self.presentation)

    def findings(self) -> list[Finding]:
        if self._switching and not self.findings_cache.ready():
            self._late.start()
            return []
        self._late.stop()
        return self.findings_cache.findings()

    def findings_pending(self) -> bool:
        """True while the findings are still to be added after a switch."""
        return self._late.isActive()

    # Card pages (goals, outcomes) set this to their CardColumn, built in batches.
    column: Any = None

    def pending_work(self) -> bool:
        """True while the page is still building part of itself in the background."""
        return self.findings_pending() or (self.column is not None and self.column.pending())

    def stop_background(self) -> None:
        """The plan is closing: the refresh after a switch, still to come, must not run on
        it (it would start building cards again)."""
        self._late.stop()

    def finish_pending(self) -> None:
        """Build now whatever the page is still building in the background."""
        if self._late.isActive():
            self._late.stop()
            self.findings_cache.findings()
            self._late_refresh()
        if self.column is not None:
            self.column.finish()

    # --- refreshing -----------------------------------------------------------------------

    def refresh_now(self) -> None:
        self._stale = False
        if self.sprint is not None:
            self.refresh()

    def _on_changed(self) -> None:
        if self.isVisible():
            self.refresh_now()
        else:
            self._stale = True

    def _on_saved(self) -> None:
        if self.refresh_after_save:
            self.refresh_after_save = False
            self._on_changed()

    def _on_sprint_opened(self, _sprint_id: int) -> None:
        sprint = self.sprint
        if (
            self.section is not None
            and sprint is not None
            and any(s is self.section for s in sprint.sections)
        ):
            # The same sprint opened again (after a dialog wrote to the database), or the
            # window, told first, has already shown this page a section of the new sprint:
            # keep it and show what is in the database now. Dropping it left the page bound
            # to nothing, its fields empty though their text was saved.
            self._stale = True
            if self.isVisible():
                self.refresh_now()
            return
        # The old sprint's section must not be shown against the new sprint.
        self.section = None
        self.section_changed()
        self._stale = True
        if self.isVisible():
            self.refresh_now()

    def _refresh_switching(self) -> None:
        self._switching = True
        try:
            self.refresh_now()
        finally:
            self._switching = False

    def _late_refresh(self) -> None:
        if self.sprint is None:
            return
        if not self.findings_cache.ready():
            # The plan checks in one turn, the page's refresh with their findings in the next:
            # on a large sprint the two together held the event loop well over 100 ms.
            self.findings_cache.findings()
            self._late.start()
            return
        self.refresh()

    def showEvent(self, event: Any) -> None:
        if self._stale:
            self._refresh_switching()
        super().showEvent(event)
