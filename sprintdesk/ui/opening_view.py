"""The window's first frame: the agenda and the opening section's first items as
:func:`sprintdesk.storage.opening.read_opening` read them from the file, shown while the store
opens.

Read-only, and built from plain widgets and a plain item model without the ``Qt`` namespace
(see :mod:`~sprintdesk.ui.enum_props`): this runs before the window's first paint. The agenda
texts come from :mod:`~sprintdesk.ui.agenda_text`, as in the editable agenda that replaces it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from sprintdesk.plan.meeting import MeetingClock, SectionState
from sprintdesk.plan.vocabulary import (
    STATUS_EMOJI,
    STATUS_WORDS,
    ItemKind,
    RetroKind,
    SectionKind,
    Status,
)
from sprintdesk.storage.opening import HERO, Opening, PreviewItem
from sprintdesk.ui import agenda_text

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


class ItemWords(QObject):
    """How the pages word an item's details, for the first frame's cards (``tr``). The status
    words are the status pickers' (:data:`~sprintdesk.plan.vocabulary.STATUS_WORDS`)."""

    SEPARATOR = "   ·   "

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        tr = self.tr
        self.status = {
            status.value: f"{STATUS_EMOJI[status]} {tr(STATUS_WORDS[status])}" for status in Status
        }
        self.lists = {
            RetroKind.WENT_WELL.value: tr("👍 Went well"),
            RetroKind.TO_IMPROVE.value: tr("🛠 To improve"),
            RetroKind.ACTION.value: tr("🎯 Action"),
            ItemKind.RETRO_HIGH.value: tr("Last sprint, high priority"),
            ItemKind.RETRO_LOW.value: tr("Last sprint, low priority"),
            ItemKind.HANGOVER.value: tr("Hang-over"),
            ItemKind.HIGH.value: tr("🔥 High priority"),
            ItemKind.LOW.value: tr("🧊 Low priority"),
        }

    def lines(self, kind: str, number: int, item: PreviewItem) -> tuple[str, str]:
        """The card's title line and detail line for the ``number``-th item of a section of
        ``kind``."""
        tr = self.tr
        title = ("🔁 " if item.carried else "") + item.title
        owner = tr("Owner: {0}").format(item.owner or tr("no owner"))
        details: list[str] = []
        if kind == SectionKind.OUTCOMES:
            details = [self.status.get(item.status or "", ""), owner]
        elif kind == SectionKind.GOALS:
            details = [owner, tr("Why: {0}").format(item.why) if item.why else ""]
        elif kind == SectionKind.PRIORITIES:
            title = f"{number}. {title}"
        elif item.kind == HERO:
            title = tr("🦸 Support hero: {0}").format(item.title)
        else:  # retro notes and team items
            details = [self.lists.get(item.kind, item.kind), owner if item.owner else ""]
        if item.target:
            details.append(tr("Target: {0}").format(item.target))
        return title, self.SEPARATOR.join(part for part in details if part)


def elided(text: str, width: int, advance: Callable[[str], int]) -> str:
    """``text`` cut to ``width`` (by the font's ``advance``) with an ellipsis, as Qt's own
    eliding does (which takes a ``Qt`` enum). Measuring a long line is its costly part: the cut
    is guessed from the line's width, then shortened until it fits (a step or two)."""
    full = advance(text)
    if full <= width:
        return text
    cut = min(len(text) - 1, max(0, len(text) * width // max(1, full)))
    while cut > 0 and advance(text[:cut].rstrip() + "…") > width:
        cut -= 1
    return text[:cut].rstrip() + "…"


class _Items(QWidget):
    """The items as framed two-line cards, each line cut to the width: a few QPainter calls
    instead of a wrapping label per line, for the half second they show.

    This widget draws the frames in its foreground role (``Mid``, the muted tone of a panel's
    edge) and a child draws the text over them in the text colour: setting a painter's pen or
    its opacity instead would cost more than the rest of the page (a pen by colour builds the
    ``Qt`` namespace; drawing with opacity takes the raster engine's slow path)."""

    PADDING = 8
    SPACING = 8

    def __init__(self, opening: Opening, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openingItems")
        self.setForegroundRole(QPalette.ColorRole.Mid)
        words = ItemWords(self)
        kind = opening.section.kind if opening.section is not None else ""
        # Each card's title line and detail line ("" for none).
        self.lines = [words.lines(kind, n, item) for n, item in enumerate(opening.items, 1)]
        self.more = opening.total - len(opening.items)
        self.text = _ItemText(self)

    def cards(self) -> tuple[list[tuple[int, int]], int]:
        """The cards that fit, as (top, height), and the top of the line below them."""
        line = self.fontMetrics().lineSpacing()
        placed: list[tuple[int, int]] = []
        y = 0
        for _title, detail in self.lines:
            height = 2 * self.PADDING + line * (2 if detail else 1)
            if y + height > self.height():
                break
            placed.append((y, height))
            y += height + self.SPACING
        return placed, y

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - a Qt override
        self.text.setGeometry(0, 0, self.width(), self.height())
        super().resizeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - a Qt override
        del event
        painter = QPainter(self)
        for top, height in self.cards()[0]:
            painter.drawRect(0, top, self.width() - 1, height - 1)
        painter.end()


class _ItemText(QWidget):
    """The text of the cards (see :class:`_Items`)."""

    def __init__(self, items: _Items) -> None:
        super().__init__(items)
        self.owner = items
        self.drawn: list[str] = []  # the lines the last paint showed

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - a Qt override
        del event
        owner = self.owner
        painter = QPainter(self)
        metrics = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        bold_metrics = QFontMetrics(bold)
        line = metrics.lineSpacing()
        width = self.width() - 2 * owner.PADDING
        placed, below = owner.cards()
        drawn: list[str] = []
        for (title, detail), (top, _height) in zip(owner.lines, placed, strict=False):
            lines = [(title, bold, bold_metrics)]
            if detail:
                lines.append((detail, self.font(), metrics))
            for row, (text, font, font_metrics) in enumerate(lines):
                shown = elided(text, width, font_metrics.horizontalAdvance)
                painter.setFont(font)
                baseline = top + owner.PADDING + row * line + font_metrics.ascent()
                painter.drawText(owner.PADDING, baseline, shown)
                drawn.append(shown)
        if owner.more > 0 and below + line <= self.height():
            painter.setFont(self.font())
            note = self.tr("… and {n} more").format(n=owner.more)
            painter.drawText(0, below + metrics.ascent(), note)
            drawn.append(note)
        painter.end()
        self.drawn = drawn


class OpeningPage(QWidget):
    """The opening section's title and its first items."""

    def __init__(self, opening: Opening, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("openingPage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 20, 8)
        layout.setSpacing(8)
        section = opening.section
        title = QLabel(section.title if section is not None else "", self)
        title.setObjectName("pageTitle")
        title.setWordWrap(True)
        font = title.font()
        font.setBold(True)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        layout.addWidget(title)
        self.items = _Items(opening, parent=self)
        self.items.setAccessibleName(
            self.tr("The first items of {0}").format(section.title if section else "")
        )
        layout.addWidget(self.items, 1)

    @property
    def drawn(self) -> list[str]:
        """The lines of the items the last paint showed (cut to the width)."""
        return self.items.text.drawn
