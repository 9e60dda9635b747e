"""A column of cards, one per object of a list (goals, outcomes), that stays fast with hundreds.

* Cards are kept across refreshes (matched by object identity) and only moved when the order
  changes; cards of objects that went away are deleted.
* When many cards are missing, the first few are built at once and the rest in small batches
  from the event loop (:class:`~sprintdesk.views.base.Batcher`).
* Tab walks the cards in the order they are shown (:meth:`CardColumn.tab_target`); Qt's own
  focus chain follows the order widgets were made in, which batches, undo and moves upset.
* With many cards, those far from the visible part of the page are *collapsed*: their content
  is hidden and the card keeps its height, so Qt neither shows, polishes, lays out nor paints
  thousands of widgets nobody sees. Scrolling expands the cards coming into view.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.views.base import Batcher

QWIDGETSIZE_MAX = (1 << 24) - 1

# Cards built at once when a page opens (more than a 1280×800 screen shows of outcome cards)
# and when a refresh needs only a few new ones (an added goal, an undone removal); a column of
# taller cards builds fewer (``at_once``, goals). The rest come after the first paint.
INITIAL_CARDS = 6
# From this many cards on, the ones far from the viewport are collapsed.
COLLAPSE_FROM = 16


class Card(QWidget):
    """A card: ``self.frame`` (the card's only child) holds everything it shows."""

    frame: QWidget
    column_key = 0  # id() of the card's object, set by the column

    def framed_grid(self) -> QGridLayout:
        """Make ``self.frame``, the styled panel filling the card, and return the grid laid
        out inside it."""
        frame = self.frame = QFrame(self)
        frame.setObjectName("card")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        return QGridLayout(frame)

    def collapsed(self) -> bool:
        return self.frame.isHidden()

    def collapse(self) -> None:
        if self.frame.isHidden():
            return
        height = self.height() if self.frame.isVisible() else self.sizeHint().height()
        self.setFixedHeight(max(height, 1))
        self.frame.hide()

    def expand(self) -> None:
        if not self.frame.isHidden():
            return
        self.setMinimumHeight(0)
        self.setMaximumHeight(QWIDGETSIZE_MAX)
        self.frame.show()

    def tab_stops(self) -> list[QWidget]:
        """The card's controls in the order Tab visits them (those shown now)."""
        return [w for w in self.frame.findChildren(QWidget) if _takes_tab(w, self.frame)]


def _takes_tab(widget: QWidget, within: QWidget) -> bool:
    tab = widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
    return bool(tab) and widget.isVisibleTo(within) and widget.isEnabled()


C = TypeVar("C", bound=Card)


class CardColumn(QObject, Generic[C]):
    """The cards of ``objects`` in ``layout`` (inside ``scroll_area``).

    ``make(obj)`` builds a card, ``update(card)`` shows the object's current data in it.
    """

    def __init__(
        self,
        scroll_area: QScrollArea,
        layout: QVBoxLayout,
        *,
        make: Callable[[Any], C],
        update: Callable[[C], None],
        at_once: int = INITIAL_CARDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.at_once = at_once
        self.scroll_area = scroll_area
        self.layout = layout
        self._make = make
        self._update = update
        self._cards: dict[int, C] = {}  # id(obj) -> its card
        self._shown: list[C] = []  # the cards in the layout, in order
        self._objects: list[Any] = []
        self._estimate = 0  # the height of a collapsed card never shown yet
        # Collapsed cards a refresh left as they were: brought up to date as they expand (a
        # switch back to a page of 200 goals updated every card, most of them out of sight).
        self._stale: set[int] = set()
        self.batcher = Batcher(parent=self)
        self._window_timer = QTimer(self)
        self._window_timer.setSingleShot(True)
        self._window_timer.setInterval(0)
        self._window_timer.timeout.connect(self.update_window)
        self._updating = False
        # On scroll at once (before the scrolled view is painted, so no blank card shows);
        # after layout changes from the event loop.
        scroll_area.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        scroll_area.verticalScrollBar().rangeChanged.connect(self._window_timer.start)

    # --- what the page uses ---------------------------------------------------------------

    @property
    def cards(self) -> list[C]:
        return list(self._shown)

    def pending(self) -> bool:
        return self.batcher.pending() or self._window_timer.isActive()

    def finish(self) -> None:
        self.batcher.finish()
        self.update_window()

    def virtual(self) -> bool:
        return len(self._objects) >= COLLAPSE_FROM

    def set_objects(self, objects: Sequence[Any]) -> None:
        """Show these objects' cards in this order, building the missing ones."""
        objects = list(objects)
        self._objects = objects
        self.batcher.cancel()
        alive = {id(obj) for obj in objects}
        for key in [k for k in self._cards if k not in alive]:
            card = self._cards.pop(key)
            self.layout.removeWidget(card)
            card.deleteLater()
        shown = [self._cards[id(obj)] for obj in objects if id(obj) in self._cards]
        if shown != self._shown:
            for card in self._shown:
                self.layout.removeWidget(card)
            for card in shown:
                self.layout.addWidget(card)
            self._shown = shown
        for card in shown:
            if card.collapsed():
                self._stale.add(card.column_key)
            else:
                self._stale.discard(card.column_key)
                self._update(card)
        missing = [obj for obj in objects if id(obj) not in self._cards]
        if len(missing) <= self.at_once:
            now = missing
        else:
            # Only the cards at the top of the column, which the first paint shows: a refresh
            # while the batches are still building (the findings added after a switch) would
            # otherwise build another six cards in its one turn.
            top = {id(obj) for obj in objects[: self.at_once]}
            now = [obj for obj in missing if id(obj) in top]
        for obj in now:
            self._build(obj)
        built_now = {id(obj) for obj in now}
        self.batcher.schedule(
            [partial(self._build_step, obj) for obj in missing if id(obj) not in built_now]
        )
        if not self.virtual():
            for card in self._shown:
                self._expand(card)
        else:
            self._window_timer.start()

    # --- keyboard -----------------------------------------------------------------------------

    def tab_target(
        self, focus: QWidget | None, forward: bool, *, after: QWidget | None = None
    ) -> QWidget | None:
        """Where (Shift+)Tab from ``focus`` goes: from the page's scroll area the first card,
        then the next control of the card, the first of the next card shown, ``after`` the last
        card, and before the first card the scroll area again. None: Qt's own focus chain is
        right.

        Cards are made after their page (in batches, on an added goal, after an undo), and a
        widget made later joins Qt's focus chain at the window's end, after the notes: so the
        way into, through and out of the cards never follows the chain, only the cards on
        screen (linking every card into the chain costs a walk of the whole chain per control,
        minutes for a long plan)."""
        body = self.scroll_area.widget()
        if focus is None or body is None:
            return None
        cards = self._shown
        if focus is self.scroll_area:
            if forward and cards:
                return self._edge_stop(cards[0], first=True)
            return None
        if not body.isAncestorOf(focus):
            return None
        if focus is after:
            if forward:
                return self._beyond(forward=True)
            return self._edge_stop(cards[-1], first=False) if cards else None
        card = next((c for c in cards if c.isAncestorOf(focus)), None)
        if card is None:
            return None
        stops = card.tab_stops()
        if focus not in stops:
            return None
        i = stops.index(focus) + (1 if forward else -1)
        if 0 <= i < len(stops):
            return stops[i]
        row = cards.index(card) + (1 if forward else -1)
        if 0 <= row < len(cards):
            return self._edge_stop(cards[row], first=forward)
        if forward and after is not None and after.isVisible():
            return after
        return self._beyond(forward=forward)

    def _edge_stop(self, card: C, *, first: bool) -> QWidget | None:
        self._expand(card)  # a collapsed card is shown before it takes the focus
        stops = card.tab_stops()
        if not stops:
            return None
        return stops[0] if first else stops[-1]

    def _beyond(self, *, forward: bool) -> QWidget | None:
        """Where Tab leaves the cards: back to the scroll area, or on to the first control
        after the scroll area and all it holds in the focus chain (the scroll area keeps the
        place the window gave it among the agenda, the page and the notes)."""
        area = self.scroll_area
        body = area.widget()
        if not forward and _takes_tab(area, area.window()):
            return area
        step = QWidget.nextInFocusChain if forward else QWidget.previousInFocusChain
        widget = step(area)
        for _ in range(100_000):  # the chain is a ring: never loop for ever
            if widget is None or widget is area:  # round the whole ring: the area itself
                return area if _takes_tab(area, area.window()) else None
            inside = body is not None and body.isAncestorOf(widget)
            if not inside and _takes_tab(widget, widget.window()):
                return widget
            widget = step(widget)
        return None

    # --- building and collapsing ----------------------------------------------------------

    def _build_step(self, obj: Any) -> None:
        self._build(obj)

    def _build(self, obj: Any) -> C | None:
        if id(obj) in self._cards:
            return self._cards[id(obj)]
        try:
            index = next(i for i, o in enumerate(self._objects) if o is obj)
        except StopIteration:
            return None
        card = self._make(obj)
        before = {id(o) for o in self._objects[:index]}
        row = sum(1 for c in self._shown if c.column_key in before)
        card.column_key = id(obj)
        if self.virtual() and row >= self.at_once and self._estimate:
            # Built out of sight: it stays collapsed (never polished or laid out) until the
            # user scrolls near it.
            card.frame.hide()
            card.setFixedHeight(self._estimate)
        self._update(card)
        self.layout.insertWidget(row, card)
        self._shown.insert(row, card)
        self._cards[id(obj)] = card
        if not self._estimate and row == 0:
            self._estimate = card.sizeHint().height()
        if self.virtual():
            self._window_timer.start()
        return card

    def _expand(self, card: C) -> None:
        if card.column_key in self._stale:
            self._stale.discard(card.column_key)
            self._update(card)
        card.expand()

    def _on_scrolled(self, _value: int) -> None:
        if not self._updating:
            self.update_window()

    def update_window(self) -> None:
        """Expand the cards near the visible part of the page, collapse those far from it.

        The card at the top of the view stays where it is, however the heights of the cards
        above it change (a collapsed card's height is only an estimate until it is shown)."""
        self._window_timer.stop()
        if not self.virtual():
            return
        bar = self.scroll_area.verticalScrollBar()
        viewport = self.scroll_area.viewport().height()
        top = bar.value()
        near = (top - viewport, top + 2 * viewport)
        far = (top - 3 * viewport, top + 4 * viewport)
        focus = QApplication.focusWidget()
        anchor = next((c for c in self._shown if c.geometry().bottom() >= top), None)
        offset = anchor.y() - top if anchor is not None else 0
        changed = False
        for card in self._shown:
            geometry = card.geometry()
            if geometry.bottom() >= near[0] and geometry.top() <= near[1]:
                changed |= card.collapsed()
                self._expand(card)
            elif (geometry.bottom() < far[0] or geometry.top() > far[1]) and not (
                focus is not None and card.isAncestorOf(focus)
            ):
                changed |= not card.collapsed()
                card.collapse()
        if not changed:
            return
        # Lay the cards out now (not at the next turn of the event loop), so that nothing is
        # ever painted squeezed or shifted.
        self._updating = True
        try:
            QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
            heights = [c.height() for c in self._shown if not c.collapsed()]
            if heights:
                self._estimate = sum(heights) // len(heights)
            if anchor is not None and anchor.y() - bar.value() != offset:
                bar.setValue(anchor.y() - offset)
        finally:
            self._updating = False
        # Cards that came into view by the correction are expanded on the next turn.
        self._window_timer.start()
