"""The common frame of every section page: a title, a scrolling body, refresh on edits and a
presentation switch that hides the editing chrome."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from sprintdesk.model import AgendaSection, Sprint
from sprintdesk.rules import Finding, check_sprint
from sprintdesk.ui.document import PlanDocument


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
        self.body = QWidget()
        self.body.setObjectName(f"{self.page_name}Body")
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.body_layout.setSpacing(8)
        self.scroll_area.setWidget(self.body)
        outer.addWidget(self.scroll_area, 1)

        self.refresh_after_save = False
        doc.changed.connect(self._on_changed)
        doc.saved.connect(self._on_saved)
        doc.sprintOpened.connect(self._on_sprint_opened)

    # --- the contract the main window uses -------------------------------------------------

    @property
    def sprint(self) -> Sprint | None:
        return self.doc.sprint

    def show_section(self, section: AgendaSection) -> None:
        self.section = section
        self.title_label.setText(section.title)
        self.section_changed()
        self.refresh_now()

    def set_presentation(self, on: bool) -> None:
        self.presentation = on
        self.setProperty("presentation", on)
        self.apply_presentation()

    # --- for subclasses -------------------------------------------------------------------

    def section_changed(self) -> None:
        """The page now shows another section (TEAM pages switch team)."""

    def refresh(self) -> None:
        """Show the current data."""

    def apply_presentation(self) -> None:
        # The window's header shows the section title in large type while presenting.
        self.title_label.setVisible(not self.presentation)
        for widget in self.chrome:
            widget.setVisible(not self.presentation)

    def findings(self) -> list[Finding]:
        sprint = self.sprint
        if sprint is None:
            return []
        # Rows added since the last autosave have no id yet, so no finding can point at them;
        # pages refresh once more after the save (no flush here: a failed flush would drop the
        # user's pending edits, which the document's own commit knows how to keep).
        with self.doc.session.no_autoflush:
            return check_sprint(sprint)

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
        # The old sprint's section must not be shown against the new sprint.
        self.section = None
        self.section_changed()
        self._stale = True
        if self.isVisible():
            self.refresh_now()

    def showEvent(self, event: Any) -> None:
        if self._stale:
            self.refresh_now()
        super().showEvent(event)
