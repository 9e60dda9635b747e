"""Work that waits for the main window's first paint (the rest of the window, the log file,
opening the database, building the section's page), so the window appears at once.

An object the main window owns (:class:`FirstPaint`). The paint is seen by an event filter on
one widget every first frame paints (the clock header), not by an application-wide filter.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstPaint(QObject):
    """:attr:`painted` says whether ``watched`` has been painted. Then ``first`` runs, then
    what :meth:`call` was given, each while ``alive()`` (the window is not closed)."""

    FALLBACK_MS = 2000

    def __init__(
        self,
        watched: QWidget,
        *,
        first: Callable[[], object],
        alive: Callable[[], bool],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self.painted = False
        self._watched = watched
        self._first = first
        self._alive = alive
        self._pending: list[Callable[[], object]] = []
        self._fallback: QTimer | None = None
        watched.installEventFilter(self)

    def call(self, function: Callable[[], object]) -> None:
        """Run ``function`` once the window has been painted (at once if it has), or after
        two seconds without a paint (a window started minimized or on a hidden workspace must
        still open its database)."""
        if self.painted:
            QTimer.singleShot(0, function)
            return
        self._pending.append(function)
        if self._fallback is None:
            timer = self._fallback = QTimer(self)
            timer.setSingleShot(True)
            timer.setInterval(self.FALLBACK_MS)
            timer.timeout.connect(self._run)
            timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if not self.painted and watched is self._watched and event.type() == QEvent.Type.Paint:
            self._watched.removeEventFilter(self)
            QTimer.singleShot(0, self._run)
        return False

    def _run(self) -> None:
        if self.painted:
            return
        self.painted = True
        if self._fallback is not None:
            self._fallback.stop()
        self._first()
        pending, self._pending = self._pending, []
        for function in pending:
            if self._alive():
                function()
