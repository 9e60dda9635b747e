"""Windows sized to the screen they open on: a preferred size where it fits, else the screen's
available area less the window frame (the rule of the main window's first start, shared by the
tool windows, so none opens wider or taller than a 1280×720 screen)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

FRAME = 40  # title bar and borders, unknown until the window manager decorates the window
SIDES = 16  # left and right borders


def fit_to_screen(window: QWidget, width: int, height: int, *, centre: bool = True) -> None:
    """Resize ``window`` to ``width`` × ``height`` or less, so that it and its frame fit the
    available area of its screen; with ``centre``, place it in the middle of that area."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        window.resize(width, height)
        return
    area = screen.availableGeometry()
    w = max(200, min(width, area.width() - SIDES))
    h = max(150, min(height, area.height() - FRAME))
    # A layout's minimum may not shrink below the area: the window then scrolls, not spills.
    minimum = window.minimumSize()
    if minimum.width() > w or minimum.height() > h:
        window.setMinimumSize(min(minimum.width(), w), min(minimum.height(), h))
    window.resize(w, h)
    if centre:
        window.move(
            area.left() + max(0, (area.width() - w) // 2),
            area.top() + max(0, (area.height() - h - FRAME) // 2),
        )
