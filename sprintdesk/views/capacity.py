"""The capacity page: one bar per person, planned load against product capacity, coloured by
how full they are; hovering a row explains both numbers (data from :mod:`sprintdesk.plan.capacity`).
On a team database the numbers are worked out behind the window (``PlanDocument.read_later``).

Signals: none.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QImage, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolTip,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.capacity import LoadLevel, PersonCapacity, compute_capacity, fmt_days
from sprintdesk.plan.planning import PlanError, load_sprint
from sprintdesk.plan.workdays import working_days
from sprintdesk.views.charts import AMBER, GREEN, GREY, LABEL_PX, RED, font_px, write_png

LEVEL_COLORS = {
    LoadLevel.IDLE: GREY,
    LoadLevel.OK: GREEN,
    LoadLevel.TIGHT: AMBER,
    LoadLevel.OVER: RED,
}
ROW_H = 46
PAD = 14


class CapacityChart(QWidget):
    """The painted bars; one row per :class:`PersonCapacity`."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[PersonCapacity] = []
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def set_rows(self, rows: list[PersonCapacity]) -> None:
        self.rows = rows
        self.setMinimumHeight(self._height())
        self.updateGeometry()
        self.update()

    def _height(self) -> int:
        return int(PAD * 2 + 34 + ROW_H * max(2, len(self.rows)))

    def sizeHint(self) -> QSize:
        return QSize(900, self._height())

    def row_at(self, pos: QPointF) -> int | None:
        index = int((pos.y() - PAD - 34) // ROW_H)
        return index if 0 <= index < len(self.rows) and pos.y() >= PAD + 34 else None

    def tooltip_at(self, pos: QPointF) -> str:
        index = self.row_at(pos)
        return self.rows[index].explain() if index is not None else ""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(QPointF(event.pos()))  # type: ignore[attr-defined]
            if text:
                QToolTip.showText(event.globalPos(), text, self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRectF(self.rect()))
        painter.end()

    def paint(self, p: QPainter, area: QRectF) -> None:
        pal = self.palette()
        fg = pal.color(QPalette.ColorRole.WindowText)
        p.fillRect(area, pal.color(QPalette.ColorRole.Base))
        muted = QColor(fg)
        muted.setAlpha(150)
        track = QColor(fg)
        track.setAlpha(28)
        name_font, small_font = font_px(LABEL_PX + 1, bold=True), font_px(LABEL_PX - 1)
        value_font = font_px(LABEL_PX, bold=True)
        fm, small, vm = (
            QFontMetricsF(name_font),
            QFontMetricsF(small_font),
            QFontMetricsF(value_font),
        )
        name_w = self.label_width(area.width())
        value_w = vm.horizontalAdvance("00.5 / 00.5 days") + 16
        left = area.left() + PAD + name_w
        right = area.right() - PAD - value_w
        scale_max = max([max(r.capacity, r.load) for r in self.rows] + [1.0])
        per_day = (right - left) / scale_max
        # Legend: what the outline and the fill mean, and the colours.
        y = area.top() + PAD
        p.setFont(small_font)
        x = left
        p.setPen(QPen(fg, 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(x, y + 4, 26, 14))
        p.drawText(QPointF(x + 32, y + 4 + small.ascent()), self.tr("capacity"))
        x += 32 + small.horizontalAdvance(self.tr("capacity")) + 22
        for level, label in (
            (LoadLevel.OK, self.tr("load: room to spare")),
            (LoadLevel.TIGHT, self.tr("nearly full")),
            (LoadLevel.OVER, self.tr("over-allocated")),
        ):
            p.fillRect(QRectF(x, y + 4, 26, 14), LEVEL_COLORS[level])
            p.setPen(fg)
            p.drawText(QPointF(x + 32, y + 4 + small.ascent()), label)
            x += 32 + small.horizontalAdvance(label) + 22
        top = area.top() + PAD + 34
        if not self.rows:
            p.setFont(font_px(LABEL_PX))
            p.setPen(muted)
            p.drawText(
                QRectF(area.left(), top, area.width(), ROW_H * 2),
                Qt.AlignmentFlag.AlignCenter,
                self.tr("No one is in this sprint's teams."),
            )
            return
        for i, row in enumerate(self.rows):
            y = top + i * ROW_H
            p.setPen(fg)
            p.setFont(name_font)
            p.drawText(
                QRectF(area.left() + PAD, y, name_w - 12, ROW_H * 0.62),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                fm.elidedText(row.name, Qt.TextElideMode.ElideRight, name_w - 12),
            )
            p.setFont(small_font)
            p.setPen(muted)
            p.drawText(
                QRectF(area.left() + PAD, y + ROW_H * 0.62, name_w - 12, ROW_H * 0.38),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                small.elidedText(self._subtitle(row), Qt.TextElideMode.ElideLeft, name_w - 12),
            )
            bar_y, bar_h = y + 8, ROW_H - 16
            p.fillRect(QRectF(left, bar_y, right - left, bar_h), track)
            color = LEVEL_COLORS[row.level]
            load_w = row.load * per_day
            if load_w > 0:
                p.fillRect(QRectF(left, bar_y + 5, load_w, bar_h - 10), color)
            cap_w = row.capacity * per_day
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setPen(QPen(fg, 2.5))
            if cap_w > 0:
                p.drawRect(QRectF(left, bar_y, cap_w, bar_h))
            else:
                p.drawLine(QPointF(left, bar_y - 2), QPointF(left, bar_y + bar_h + 2))
            p.setFont(value_font)
            p.setPen(RED if row.level == LoadLevel.OVER else fg)
            text = f"{self._num(row.load)} / {fmt_days(row.capacity)}"
            p.drawText(
                QRectF(right + 12, y, value_w, ROW_H),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                text,
            )

    def label_width(self, width: float) -> float:
        """The names' column: as wide as the widest name or its line under it ("hero 5 days ·
        3 days off"), at most 40% of ``width`` (beyond that the line is elided, not cut)."""
        fm = QFontMetricsF(font_px(LABEL_PX + 1, bold=True))
        small = QFontMetricsF(font_px(LABEL_PX - 1))
        widest = max(
            [fm.horizontalAdvance(r.name) for r in self.rows]
            + [small.horizontalAdvance(self._subtitle(r)) for r in self.rows]
            + [120.0]
        )
        return min(widest + 16, width * 0.4)

    @staticmethod
    def _num(days: float) -> str:
        return f"{days:.1f}".rstrip("0").rstrip(".")

    def _subtitle(self, row: PersonCapacity) -> str:
        bits = []
        if row.share != 1.0:
            bits.append(f"{row.share:.0%}")
        if row.hero_days:
            bits.append(self.tr("hero %1").replace("%1", fmt_days(row.hero_days)))
        if row.days_off:
            bits.append(self.tr("%1 off").replace("%1", fmt_days(row.days_off)))
        return " · ".join(bits) or row.role


def read_capacity(session: Session, sprint_id: int) -> tuple[str, int, list[PersonCapacity]] | None:
    """The sprint's name, working days and everyone's capacity against load, as plain values
    (read on the writer thread on a team database); None: the sprint is gone."""
    try:  # the whole sprint in a few statements: each is a round trip to a team database
        sprint = load_sprint(session, sprint_id)
    except PlanError:
        return None
    days = len(working_days(sprint.start, sprint.end))
    return sprint.name, days, list(compute_capacity(sprint).values()) if days else []


class CapacityView(QWidget):
    """Capacity against load for everyone in a sprint; call :meth:`show_sprint`."""

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.sprint_id: int | None = None
        self._reads = 0  # reads on their way
        self.setObjectName("capacityView")
        self.setAccessibleName(self.tr("Capacity"))
        self.heading = QLabel(self.tr("Capacity"))
        self.heading.setObjectName("capacityHeading")
        self.heading.setFont(font_px(24, bold=True))
        self.summary = QLabel()
        self.summary.setObjectName("capacitySummary")
        self.summary.setFont(font_px(LABEL_PX))
        self.summary.setWordWrap(True)
        self.chart = CapacityChart()
        self.chart.setObjectName("capacityChart")
        self.chart.setAccessibleName(self.tr("Capacity and load per person"))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.chart)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)

    @property
    def rows(self) -> list[PersonCapacity]:
        return self.chart.rows

    def show_sprint(self, sprint_id: int) -> None:
        """Show (or refresh) the capacity of the given sprint. On a team database it is read
        behind the window (``PlanDocument.read_later``): the chart keeps what it shows (or
        says "Loading…" for another sprint) until the answer lands."""
        if sprint_id != self.sprint_id:
            self.summary.setText(self.tr("Loading…"))
        self.sprint_id = sprint_id
        self._reads += 1

        def landed(read: object) -> None:
            self._reads -= 1
            if self.sprint_id == sprint_id:  # not another sprint asked for meanwhile
                assert read is None or isinstance(read, tuple)
                self._show(read)

        def failed(message: str) -> None:
            self._reads -= 1
            self.summary.setText(message)

        self.doc.read_later(
            lambda session: read_capacity(session, sprint_id),
            landed=landed,
            failed=failed,
            owner=self,
        )

    @property
    def reading(self) -> bool:
        """A read is on its way (the chart shows what it read before)."""
        return self._reads > 0

    def _show(self, read: tuple[str, int, list[PersonCapacity]] | None) -> None:
        if read is None:
            self.heading.setText(self.tr("Capacity"))
            self.summary.setText(self.tr("That sprint no longer exists."))
            self.chart.set_rows([])
            return
        name, days, rows = read
        self.heading.setText(
            self.tr("Capacity — %1 (%2 working days)").replace("%1", name).replace("%2", str(days))
        )
        self.chart.set_rows(rows)
        self.summary.setText(self._summary(rows, days))
        self.chart.setAccessibleDescription(
            "\n".join(
                f"{r.name}: {fmt_days(r.load)} planned, {fmt_days(r.capacity)} capacity"
                for r in rows
            )
        )

    def refresh(self) -> None:
        if self.sprint_id is not None:
            self.show_sprint(self.sprint_id)

    def _summary(self, rows: list[PersonCapacity], days: int) -> str:
        if not days:
            return self.tr("This sprint has no dates yet: set its start and end to see capacity.")
        over = [r for r in rows if r.level == LoadLevel.OVER]
        if not over:
            return self.tr("Nobody is over-allocated. Hover a bar to see how it is worked out.")
        names = ", ".join(f"{r.name} (+{fmt_days(r.over_by)})" for r in over)
        return self.tr("Over-allocated: %1. Hover a bar to see why.").replace("%1", names)

    def render_image(self, *, scale: float = 1.0) -> QImage:
        """The whole page as an image (screenshots)."""
        pixmap = self.grab()
        image = pixmap.toImage()
        if scale != 1.0:
            image = image.scaled(
                int(image.width() * scale),
                int(image.height() * scale),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        return image

    def export_png(self, path: str | Path) -> bool:
        return write_png(self.render_image(), path)
