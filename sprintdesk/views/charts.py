"""Bar charts painted with QPainter (QtCharts is not shipped): vertical or horizontal, stacked
or grouped, large type for screen sharing, tooltips per category and PNG export.

Signals: none. A chart shows whatever :meth:`BarChart.set_data` last gave it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QImageWriter,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

TITLE_PX = 20
LABEL_PX = 15
SMALL_PX = 13
PAD = 14

# Colours readable on light and dark backgrounds, distinct for colour-blind viewers
# (green/amber/red differ in lightness too; grey is neutral).
GREEN = QColor("#2e7d32")
AMBER = QColor("#f0a30a")
RED = QColor("#c62828")
GREY = QColor("#9e9e9e")
BLUE = QColor("#1e63b5")
LIGHT_BLUE = QColor("#8fb8e8")
PURPLE = QColor("#6a3d9a")


def font_px(px: int, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(px)
    font.setBold(bold)
    return font


def nice_ticks(maximum: float, *, count: int = 5, integer: bool = False) -> list[float]:
    """0 and round steps up to at least ``maximum`` (1, 2, 2.5 or 5 times a power of ten;
    whole numbers only when ``integer``, for counts)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if integer:
        step = max(1.0, float(math.ceil(step)))
    ticks = [0.0]
    while ticks[-1] < maximum - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def write_png(image: QImage, path: str | Path) -> bool:
    """Save as PNG whatever the file name's suffix."""
    writer = QImageWriter(str(path))
    writer.setFormat(QByteArray(b"png"))
    return writer.write(image)


@dataclass
class Series:
    name: str
    color: QColor
    values: list[float]


class BarChart(QWidget):
    """A titled bar chart. ``horizontal`` puts categories on rows (long labels), ``stacked``
    sums the series in one bar, ``percent`` fixes the value axis at 0-100%."""

    def __init__(
        self,
        title: str,
        *,
        stacked: bool = False,
        horizontal: bool = False,
        percent: bool = False,
        integer: bool = False,
        unit: str = "",
        empty_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.stacked = stacked
        self.horizontal = horizontal
        self.percent = percent
        self.integer = integer
        self.unit = unit
        self.empty_text = empty_text or self.tr("Nothing to show yet.")
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.tooltips: list[str] = []
        self.annotations: list[str] = []
        self._hit: list[QRectF] = []
        self.paint_count = 0  # benchmarks wait for the first paint
        self.setMouseTracking(True)
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(420, 300)

    # --- data --------------------------------------------------------------------------

    def set_data(
        self,
        categories: list[str],
        series: list[Series],
        *,
        tooltips: list[str] | None = None,
        annotations: list[str] | None = None,
    ) -> None:
        """Show new data. ``annotations`` replace the value text next to each category's bar
        (e.g. ``2/3``); ``tooltips`` are shown when hovering a category."""
        self.categories = list(categories)
        self.series = list(series)
        self.tooltips = list(tooltips or [])
        self.annotations = list(annotations or [])
        self.setAccessibleDescription(self.summary())
        if self.horizontal:
            self.setMinimumHeight(int(120 + 40 * max(3, len(categories))))
        self.update()

    def summary(self) -> str:
        """The chart as one line of text per category (screen readers, tests)."""
        if not self.has_data():
            return self.empty_text
        lines = []
        for i, category in enumerate(self.categories):
            parts = [f"{s.name} {self._fmt(s.values[i])}" for s in self.series]
            lines.append(f"{category}: " + ", ".join(parts))
        return "\n".join(lines)

    def has_data(self) -> bool:
        return bool(self.categories) and any(v for s in self.series for v in s.values)

    def _fmt(self, value: float) -> str:
        if self.percent:
            return f"{value:.0%}"
        text = f"{value:.1f}".rstrip("0").rstrip(".")
        return f"{text}{self.unit}"

    def _max_value(self) -> float:
        if self.percent:
            return 1.0
        if not self.series or not self.categories:
            return 1.0
        if self.stacked:
            return max(sum(s.values[i] for s in self.series) for i in range(len(self.categories)))
        return max(max(s.values) for s in self.series)

    # --- export ------------------------------------------------------------------------

    def render_image(self, *, scale: float = 2.0, size: QSize | None = None) -> QImage:
        """The chart as an image, ``scale`` times the widget's size (crisp when enlarged)."""
        size = size or (self.size() if self.isVisible() else QSize(900, 500))
        image = QImage(
            int(size.width() * scale), int(size.height() * scale), QImage.Format.Format_ARGB32
        )
        image.setDevicePixelRatio(1.0)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.scale(scale, scale)
        self.paint(painter, QRectF(0, 0, size.width(), size.height()))
        painter.end()
        return image

    def export_png(self, path: str | Path, *, scale: float = 2.0) -> bool:
        return write_png(self.render_image(scale=scale), path)

    # --- hover -------------------------------------------------------------------------

    def category_at(self, pos: QPointF) -> int | None:
        for index, rect in enumerate(self._hit):
            if rect.contains(pos):
                return index
        return None

    def tooltip_for(self, index: int) -> str:
        if index < len(self.tooltips) and self.tooltips[index]:
            return self.tooltips[index]
        return self.summary().splitlines()[index] if self.has_data() else ""

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            index = self.category_at(QPointF(event.pos()))  # type: ignore[attr-defined]
            if index is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_for(index), self)  # type: ignore[attr-defined]
            return True
        return super().event(event)

    # --- painting ----------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        self.paint_count += 1
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRectF(self.rect()))
        painter.end()

    def paint(self, p: QPainter, area: QRectF) -> None:
        pal = self.palette()
        fg = pal.color(QPalette.ColorRole.WindowText)
        bg = pal.color(QPalette.ColorRole.Base)
        grid = QColor(fg)
        grid.setAlpha(45)
        p.fillRect(area, bg)
        p.setPen(fg)
        p.setFont(font_px(TITLE_PX, bold=True))
        title_h = QFontMetricsF(p.font()).height()
        p.drawText(
            QRectF(area.left() + PAD, area.top() + PAD, area.width() - 2 * PAD, title_h),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.title,
        )
        top = area.top() + PAD + title_h + 6
        top = self._paint_legend(p, area, top, fg)
        body = QRectF(area.left() + PAD, top, area.width() - 2 * PAD, area.bottom() - PAD - top)
        self._hit = []
        if not self.has_data():
            p.setFont(font_px(LABEL_PX))
            muted = QColor(fg)
            muted.setAlpha(160)
            p.setPen(muted)
            p.drawText(
                body, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.empty_text
            )
            return
        if self.horizontal:
            self._paint_horizontal(p, body, fg, grid)
        else:
            self._paint_vertical(p, body, fg, grid)

    def _paint_legend(self, p: QPainter, area: QRectF, top: float, fg: QColor) -> float:
        if len(self.series) < 2:
            return top + 4
        p.setFont(font_px(LABEL_PX))
        fm = QFontMetricsF(p.font())
        x = area.left() + PAD
        h = fm.height()
        for s in self.series:
            width = 16 + 6 + fm.horizontalAdvance(s.name) + 18
            if x + width > area.right() - PAD and x > area.left() + PAD:
                x = area.left() + PAD
                top += h + 4
            p.fillRect(QRectF(x, top + (h - 14) / 2, 14, 14), s.color)
            p.setPen(fg)
            p.drawText(QPointF(x + 20, top + fm.ascent()), s.name)
            x += width
        return top + h + 10

    def _bar_rects(
        self, index: int, slot: QRectF, along: float, scale: float
    ) -> list[tuple[Series, QRectF, float]]:
        """Rectangles of one category's bars inside its slot; ``along`` is the bar thickness."""
        rects = []
        if self.stacked:
            offset = 0.0
            for s in self.series:
                value = s.values[index]
                rects.append(
                    (s, self._bar(slot, offset * scale, value * scale, along, 0, 1), value)
                )
                offset += value
        else:
            m = len(self.series)
            for j, s in enumerate(self.series):
                value = s.values[index]
                rects.append((s, self._bar(slot, 0, value * scale, along, j, m), value))
        return rects

    def _bar(
        self, slot: QRectF, start: float, length: float, along: float, j: int, m: int
    ) -> QRectF:
        thickness = along / m
        if self.horizontal:
            y = slot.center().y() - along / 2 + j * thickness
            return QRectF(slot.left() + start, y, length, thickness)
        x = slot.center().x() - along / 2 + j * thickness
        return QRectF(x, slot.bottom() - start - length, thickness, length)

    def _paint_vertical(self, p: QPainter, body: QRectF, fg: QColor, grid: QColor) -> None:
        p.setFont(font_px(SMALL_PX))
        small = QFontMetricsF(p.font())
        ticks = nice_ticks(self._max_value(), integer=self.integer)
        axis_w = max(small.horizontalAdvance(self._fmt(t)) for t in ticks) + 10
        p.setFont(font_px(LABEL_PX))
        fm = QFontMetricsF(p.font())
        label_h = fm.height() + 8
        value_h = small.height() + 2
        plot = QRectF(
            body.left() + axis_w,
            body.top() + value_h,
            body.width() - axis_w,
            body.height() - label_h - value_h,
        )
        scale = plot.height() / ticks[-1]
        p.setFont(font_px(SMALL_PX))
        for t in ticks:
            y = plot.bottom() - t * scale
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(fg)
            p.drawText(
                QRectF(body.left(), y - small.height() / 2, axis_w - 8, small.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                self._fmt(t),
            )
        n = len(self.categories)
        slot_w = plot.width() / n
        along = min(slot_w * 0.72, 90.0)
        slots = []
        for i in range(n):
            slot = QRectF(plot.left() + i * slot_w, plot.top(), slot_w, plot.height())
            slots.append(slot)
            self._hit.append(QRectF(slot.left(), body.top(), slot_w, body.height()))
            rects = self._bar_rects(i, slot, along, scale)
            for s, rect, value in rects:
                if value > 0:
                    p.fillRect(rect, s.color)
            self._paint_value_text(p, i, rects, small, slot_w, fg)
        # Labels from the newest (right) backwards, skipping any that would touch the last one
        # drawn: the newest sprint is always named.
        p.setFont(font_px(LABEL_PX))
        p.setPen(fg)
        limit = body.right()
        for i in reversed(range(n)):
            text = fm.elidedText(
                self.categories[i], Qt.TextElideMode.ElideRight, max(slot_w, body.width() / 4)
            )
            width = fm.horizontalAdvance(text) + 6
            x = min(max(slots[i].center().x() - width / 2, plot.left()), body.right() - width)
            if x + width > limit:
                continue
            p.drawText(
                QRectF(x, plot.bottom() + 4, width, label_h),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                text,
            )
            limit = x - 10
        p.setPen(QPen(fg, 1.5))
        p.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))

    def _paint_value_text(
        self,
        p: QPainter,
        i: int,
        rects: list[tuple[Series, QRectF, float]],
        small: QFontMetricsF,
        room: float,
        fg: QColor,
    ) -> None:
        p.setFont(font_px(SMALL_PX, bold=True))
        p.setPen(fg)
        if self.annotations and i < len(self.annotations):
            texts = [(self.annotations[i], self._outer(rects))]
        elif self.stacked:
            total = sum(v for _s, _r, v in rects)
            texts = [(self._fmt(total), self._outer(rects))] if total else []
        else:
            texts = [(self._fmt(v), r) for _s, r, v in rects]
        for text, rect in texts:
            width = small.horizontalAdvance(text) + 4
            if self.horizontal:
                p.drawText(
                    QRectF(rect.right() + 6, rect.top(), width + 10, rect.height()),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    text,
                )
            elif width <= room:
                p.drawText(
                    QRectF(
                        rect.center().x() - width / 2,
                        rect.top() - small.height() - 2,
                        width,
                        small.height(),
                    ),
                    Qt.AlignmentFlag.AlignCenter,
                    text,
                )

    def _outer(self, rects: list[tuple[Series, QRectF, float]]) -> QRectF:
        united = QRectF(rects[0][1])
        for _s, rect, _v in rects[1:]:
            united = united.united(rect)
        return united

    def _paint_horizontal(self, p: QPainter, body: QRectF, fg: QColor, grid: QColor) -> None:
        p.setFont(font_px(LABEL_PX))
        fm = QFontMetricsF(p.font())
        p.setFont(font_px(SMALL_PX))
        small = QFontMetricsF(p.font())
        label_w = min(
            max(fm.horizontalAdvance(c) for c in self.categories) + 14, body.width() * 0.38
        )
        value_w = max(small.horizontalAdvance(a) for a in [*self.annotations, "100%", "0000"])
        ticks = nice_ticks(self._max_value(), integer=self.integer)
        plot = QRectF(
            body.left() + label_w,
            body.top(),
            body.width() - label_w - value_w - 14,
            body.height() - small.height() - 8,
        )
        scale = plot.width() / ticks[-1]
        for t in ticks:
            x = plot.left() + t * scale
            p.setPen(QPen(grid, 1))
            p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            p.setPen(fg)
            p.setFont(font_px(SMALL_PX))
            text = self._fmt(t)
            w = small.horizontalAdvance(text) + 4
            p.drawText(
                QRectF(x - w / 2, plot.bottom() + 4, w, small.height()),
                Qt.AlignmentFlag.AlignCenter,
                text,
            )
        n = len(self.categories)
        row_h = plot.height() / n
        along = min(row_h * 0.7, 34.0 * (1 if self.stacked else len(self.series)))
        for i, category in enumerate(self.categories):
            slot = QRectF(plot.left(), plot.top() + i * row_h, plot.width(), row_h)
            self._hit.append(QRectF(body.left(), slot.top(), body.width(), row_h))
            p.setFont(font_px(LABEL_PX))
            p.setPen(fg)
            p.drawText(
                QRectF(body.left(), slot.top(), label_w - 12, row_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                fm.elidedText(category, Qt.TextElideMode.ElideRight, label_w - 12),
            )
            rects = self._bar_rects(i, slot, along, scale)
            for s, rect, value in rects:
                if value > 0:
                    p.fillRect(rect, s.color)
            self._paint_value_text(p, i, rects, small, value_w, fg)
        p.setPen(QPen(fg, 1.5))
        p.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))
