"""The main window's place and shape between runs: its geometry (one per screen), the dock and
toolbar state, the splitters and whether the notes show. ``QSettings`` holds only these.

An object the main window owns (:class:`ViewState`); it reaches the window through
:class:`~sprintdesk.ui.host.ViewStateHost`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMainWindow

    from sprintdesk.ui.host import ViewStateHost


class ViewState(QObject):
    """Restores (:meth:`restore`, :meth:`restore_docks`) and saves (:meth:`save`) the window's
    view state in ``settings``."""

    def __init__(self, host: ViewStateHost, settings: QSettings, *, window: QMainWindow) -> None:
        super().__init__(window)
        self.host = host
        self.settings = settings
        self.window = window

    def restore(self) -> None:
        window = self.window
        geometry = self.settings.value(self.geometry_key())
        if not isinstance(geometry, QByteArray) or not window.restoreGeometry(geometry):
            self._fit_first_window()
        for key, splitter in (
            ("splitter", self.host.splitter),
            ("side_splitter", self.host.side_splitter),
        ):
            saved = self.settings.value(f"main_window/{key}")
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)
        self.host.act_notes.setChecked(
            self.settings.value("main_window/notes", True) not in (False, "false")
        )

    def restore_docks(self) -> None:
        """The docks the features add exist now: their places come back with the window's
        state."""
        state = self.settings.value("main_window/state")
        if isinstance(state, QByteArray):
            self.window.restoreState(state)

    def geometry_key(self) -> str:
        """Where the window's geometry is kept: one per screen (name and size), so a size
        chosen on a large monitor is not forced onto a laptop's 1280×720 screen."""
        screen = self.window.screen()
        if screen is None:
            return "main_window/geometry"
        size = screen.size()
        name = "".join(c if c.isalnum() else "_" for c in screen.name()) or "screen"
        return f"main_window/geometry_{name}_{size.width()}x{size.height()}"

    def _fit_first_window(self) -> None:
        """The first start on a screen: 1280×800 where it fits, else the screen's available
        area less the window frame (on a 1280×720 screen the status bar stayed off screen)."""
        from sprintdesk.ui.screen_fit import fit_to_screen

        fit_to_screen(self.window, 1280, 800)

    def save(self) -> None:
        settings, host = self.settings, self.host
        settings.setValue(self.geometry_key(), self.window.saveGeometry())
        settings.setValue("main_window/state", self.window.saveState())
        settings.setValue("main_window/splitter", host.splitter.saveState())
        settings.setValue("main_window/side_splitter", host.side_splitter.saveState())
        settings.setValue("main_window/notes", host.act_notes.isChecked())
        settings.sync()
