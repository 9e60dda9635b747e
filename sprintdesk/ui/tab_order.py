"""Tab goes agenda → page → notes, rows added later included.

Qt's focus chain follows the order widgets were made in, and a widget made after its page (a
goal card added, cards built in batches, a card built again after an undo) joins the chain at
the window's end, after the notes: Tab could not reach it until the page was built again. The
page's controls are put in the chain in the order of its layouts (the order they are read in)
when the page is made, and again whenever a widget is added to or removed from its body.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QLayout, QScrollArea, QWidget

_TAB_FOCUS = 0x1  # Qt::TabFocus, by value (the window's modules avoid the Qt namespace)


def takes_tab(widget: QWidget) -> bool:
    return bool(int(widget.focusPolicy().value) & _TAB_FOCUS) and widget.isEnabled()


def _in_layout_order(widget: QWidget) -> list[QWidget]:
    """``widget``'s child widgets: those in its layouts in layout order, then the others."""
    ordered: list[QWidget] = []
    seen: set[int] = set()

    def walk(layout: QLayout) -> None:
        for i in range(layout.count()):
            item = layout.itemAt(i)
            if item is None:
                continue
            child = item.widget()
            if child is not None:
                if id(child) not in seen:
                    seen.add(id(child))
                    ordered.append(child)
            elif (inner := item.layout()) is not None:
                walk(inner)

    if (layout := widget.layout()) is not None:
        walk(layout)
    for child in widget.children():
        if isinstance(child, QWidget) and id(child) not in seen and not child.isWindow():
            ordered.append(child)
    return ordered


def tab_stops(root: QWidget) -> list[QWidget]:
    """The controls under ``root`` that Tab can reach, in reading (layout) order."""
    found: list[QWidget] = []
    pending = list(reversed(_in_layout_order(root)))
    while pending:
        widget = pending.pop()
        if takes_tab(widget):
            found.append(widget)
            if not isinstance(widget, QScrollArea):
                # A control is a stop with its parts (a combo box's line edit, a table's
                # editor): Qt keeps their own order, linking them one by one would break it.
                continue
            inner = widget.widget()
            if inner is not None:
                pending.append(inner)
            continue
        pending.extend(reversed(_in_layout_order(widget)))
    return found


class PageTabOrder(QObject):
    """Keeps each page's controls between ``before`` and ``after`` in the focus chain."""

    def __init__(self, before: QWidget, after: QWidget, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.before = before
        self.after = after
        self._bodies: dict[int, QWidget] = {}  # watched body -> its page
        self._pending: set[QWidget] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._relink_pending)

    def add_page(self, page: QWidget) -> None:
        """Link ``page`` in now, and again each time its body gains or loses a widget."""
        body = getattr(page, "body", None)
        if isinstance(body, QWidget) and id(body) not in self._bodies:
            self._bodies[id(body)] = page
            body.installEventFilter(self)
        self.relink(page)

    def relink(self, page: QWidget) -> None:
        stops = tab_stops(page)
        if not stops:
            return
        QWidget.setTabOrder(self.before, stops[0])
        for first, second in zip(stops, stops[1:], strict=False):
            QWidget.setTabOrder(first, second)
        QWidget.setTabOrder(stops[-1], self.after)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        kind = event.type()
        if kind in (QEvent.Type.ChildAdded, QEvent.Type.ChildRemoved):
            page = self._bodies.get(id(watched))
            if page is not None:
                # Once per event-loop turn: a batch of cards is linked in together.
                self._pending.add(page)
                self._timer.start()
        return False

    def _relink_pending(self) -> None:
        pages, self._pending = self._pending, set()
        for page in pages:
            self.relink(page)
