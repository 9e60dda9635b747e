"""The window's first frame: the agenda and the opening section's first items as
:func:`sprintdesk.opening.read_opening` read them from the file, shown while the store opens.

Read-only, and built from plain widgets and a plain item model without the ``Qt`` namespace
(see :mod:`~sprintdesk.ui.enum_props`): this runs before the window's first paint. The agenda
texts come from :mod:`~sprintdesk.ui.agenda_text`, as in the editable agenda that replaces it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from sprintdesk.meeting import MeetingClock, SectionState
from sprintdesk.opening import Opening
from sprintdesk.ui import agenda_text
from sprintdesk.ui.enum_props import set_enums

# Qt::ForegroundRole, Qt::TextAlignmentRole and Qt::AlignRight | Qt::AlignVCenter, by value
# (a QBrush, too, would build the ``Qt`` namespace): the time columns are right-aligned and the
# states coloured as in the editable agenda's model.
_FOREGROUND_ROLE = 9
_ALIGNMENT_ROLE = 7
_RIGHT_VCENTER = 0x0002 | 0x0080


def agenda_model_for(
    opening: Opening, clock: MeetingClock, *, parent: QObject | None = None
) -> QStandardItemModel:
    """The agenda's rows with the texts and colours of the editable agenda (read-only)."""
    sprint = opening.sprint
    sections = sprint.sections if sprint is not None else []
    model = QStandardItemModel(len(sections), len(agenda_text.HEADERS), parent)
    model.setHorizontalHeaderLabels(list(agenda_text.HEADERS))
    bold = QFont()
    bold.setBold(True)
    for row, section in enumerate(sections):
        state = clock.section_state(section)  # type: ignore[arg-type]
        texts = (
            section.title,
            agenda_text.timebox_text(section),
            "",  # the history's suggestions come with the store
            agenda_text.actual_text(section, state, clock),
            agenda_text.STATE_WORDS[state],
        )
        colour = agenda_text.state_colour(state)
        for column, text in enumerate(texts):
            item = QStandardItem(text)
            item.setEditable(False)
            item.setDragEnabled(False)
            item.setDropEnabled(False)
            if colour is not None:
                item.setData(QColor(colour), _FOREGROUND_ROLE)
            if state is SectionState.CURRENT:
                item.setFont(bold)
            if column:
                item.setData(_RIGHT_VCENTER, _ALIGNMENT_ROLE)
            model.setItem(row, column, item)
    return model


class OpeningPage(QScrollArea):
    """The opening section's title and first items, each in a framed label (its title on the
    first line): a fraction of the cost of its page's cards, for the half second it shows."""

    def __init__(self, opening: Opening, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openingPage")
        self.setWidgetResizable(True)
        set_enums(self, frameShape="NoFrame")
        body = QWidget(self)
        body.setObjectName("openingPageBody")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(12, 8, 20, 8)
        layout.setSpacing(8)
        section = opening.section
        title = QLabel(section.title if section is not None else "", body)
        title.setObjectName("pageTitle")
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        layout.addWidget(title)
        self.cards: list[QLabel] = []
        for item in opening.items:
            card = QLabel(f"{item.title}\n{item.detail}" if item.detail else item.title, body)
            card.setObjectName("card")
            set_enums(card, frameShape="StyledPanel")
            card.setMargin(8)
            card.setWordWrap(True)
            layout.addWidget(card)
            self.cards.append(card)
        more = opening.total - len(opening.items)
        if more > 0:
            layout.addWidget(QLabel(self.tr("… and {n} more").format(n=more), body))
        layout.addStretch(1)
        self.setWidget(body)
