"""What the roster window's People and Teams pages share: their layout (the add row, the list
beside the selected one's details, the message line) and archiving the selected one behind
the window (``PlanDocument.write_later``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sprintdesk.plan.model import Person, Team
from sprintdesk.views.widgets import show_message


def message_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setAccessibleName("Message")
    return label


def details_box(title: str, name: str, form: QFormLayout) -> QGroupBox:
    """The box that edits the selected person or team."""
    box = QGroupBox(title)
    box.setObjectName(name)
    box.setLayout(form)
    return box


def lay_out(
    page: QWidget,
    add_title: str,
    add_row: QHBoxLayout,
    chooser: QWidget,
    show_archived: QCheckBox,
    details: QGroupBox,
    message: QLabel,
) -> QSplitter:
    """A roster page's layout: the add row on top, the list (with its "show archived" box)
    beside the selected one's details, the message line below. Returns the splitter."""
    left = QVBoxLayout()
    left.addWidget(chooser, 1)
    left.addWidget(show_archived)
    left_box = QWidget()
    left_box.setLayout(left)
    split = QSplitter()
    split.addWidget(left_box)
    split.addWidget(details)
    add_box = QGroupBox(add_title)
    add_box.setLayout(add_row)
    layout = QVBoxLayout(page)
    layout.addWidget(add_box)
    layout.addWidget(split, 1)
    layout.addWidget(message)
    return split


def toggle_archived(
    page: Any, model: type[Person] | type[Team], archive: Any, archived: str, active: str
) -> None:
    """Archive the person or team selected on ``page``, or make it active again, and say so
    (``archived``/``active`` hold ``%1`` for the name). On a team database it is saved behind
    the window: the button waits until it lands, and a failure says why (press it again)."""
    if page.current_id is None:
        return
    row_id = page.current_id

    def work(session: Session) -> str | None:
        row: Any = session.get(model, row_id)  # a Person or a Team
        if row is None:
            return None
        archive(session, row, archived=row.active)
        return (archived if not row.active else active).replace("%1", row.name)

    def landed(text: object) -> None:
        page.archive_button.setEnabled(True)
        if text is None:
            return
        show_message(page.message, str(text), error=False)
        page.reload()
        page.changed.emit()

    def failed(message: str) -> None:
        page.archive_button.setEnabled(True)
        show_message(page.message, message, error=True)

    page.archive_button.setEnabled(False)
    page.doc.write_later(work, landed=landed, failed=failed, owner=page)
