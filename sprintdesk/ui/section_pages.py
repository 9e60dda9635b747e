"""Where the window gets a page for each agenda section: ``sprintdesk.views.pages``, and a
simple placeholder that names the section for a kind no page knows (a newer file's)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from sprintdesk.ui.clock_header import named

if TYPE_CHECKING:
    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.plan.model import AgendaSection, SectionKind


class PlaceholderPage(QWidget):
    """Shown for a section kind that has no page of its own."""

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        del doc
        self.setObjectName("placeholderPage")
        self.label = named(QLabel(), "placeholderText")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        QVBoxLayout(self).addWidget(self.label)

    def show_section(self, section: AgendaSection) -> None:
        self.label.setText(
            self.tr("{title}\n\nTalk it through; the clock above keeps the time.").format(
                title=section.title
            )
        )

    def set_presentation(self, on: bool) -> None:
        del on


def page_classes() -> dict[SectionKind, type[QWidget]]:
    """The section pages from ``sprintdesk.views.pages``, imported when the first page is
    needed (not on the start-up path)."""
    from sprintdesk.views.pages import PAGE_CLASSES

    return dict(PAGE_CLASSES)
