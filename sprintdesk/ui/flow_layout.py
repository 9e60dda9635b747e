"""A layout that sets its widgets in a row and wraps them onto more rows when the row is too
narrow (Qt's "Flow Layout" example): the header's clock buttons keep their full labels at any
width instead of being elided, and the header grows a row instead of overlapping the clock.
One item may be set apart at the right end of the last row (the header's Start/End meeting).

Built before the window's first paint: no ``Qt`` namespace here (see
:mod:`~sprintdesk.ui.enum_props`)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    """Items left to right at their size hints, wrapping onto the next row as needed; the
    item added with :meth:`add_trailing` sits at the right end of the last row."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self._trailing: QWidget | None = None

    def add_trailing(self, widget: QWidget) -> None:
        """Add ``widget`` as the last item, set at the right end of the row it ends up on (a
        row of its own when it does not fit beside the others)."""
        self.addWidget(widget)
        self._trailing = widget

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - a Qt override
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - a Qt override
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - a Qt override
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - a Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - a Qt override
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - a Qt override
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - a Qt override
        """All in one row."""
        shown = self._shown()
        margins = self.contentsMargins()
        width = sum(item.sizeHint().width() for item in shown) + self._gap * max(0, len(shown) - 1)
        height = max((item.sizeHint().height() for item in shown), default=0)
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:  # noqa: N802 - a Qt override
        """One item a row at the most: as wide as the widest item's full size (never elided)."""
        shown = self._shown()
        margins = self.contentsMargins()
        width = max((item.sizeHint().width() for item in shown), default=0)
        height = max((item.sizeHint().height() for item in shown), default=0)
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Place (or only measure) the items in ``rect``; the height they take."""
        margins = self.contentsMargins()
        left, top = rect.x() + margins.left(), rect.y() + margins.top()
        right = rect.x() + rect.width() - margins.right()
        x, y, row_height = left, top, 0
        for item in self._shown():
            hint = item.sizeHint()
            if x > left and x + hint.width() > right:
                x, y, row_height = left, y + row_height + self._gap, 0
            if item.widget() is not None and item.widget() is self._trailing:
                x = max(x, right - hint.width())
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._gap
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y() + margins.bottom()
