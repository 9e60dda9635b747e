"""Presentation mode (F5): full screen in the large high-contrast theme, without the editing
chrome or the private notes; Esc (or F5 again) brings the window back as it was.

An object the main window owns (:class:`Presentation`); it reaches the window through
:class:`~sprintdesk.ui.host.PresentationHost`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject

from sprintdesk.ui.themes import theme

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from sprintdesk.ui.host import PresentationHost


class Presentation(QObject):
    """:attr:`on` says whether the window presents; :meth:`set` switches."""

    def __init__(self, host: PresentationHost, *, window: QMainWindow) -> None:
        super().__init__(window)
        self.host = host
        self.window = window
        self.on = False
        self._before: dict[str, object] = {}

    def set(self, on: bool) -> None:
        """Full screen in the large high-contrast theme, without editing chrome or notes."""
        if on == self.on:
            return
        self.on = on
        host, window = self.host, self.window
        chrome = [window.menuBar(), host.toolbar, window.statusBar(), host.side_splitter,
                  host.header.controls]  # fmt: skip
        if on:
            self._before = {"maximized": window.isMaximized(), "geometry": window.saveGeometry()}
            for widget in chrome:
                widget.hide()
            window.setStyleSheet(theme("presentation"))
            window.showFullScreen()
            self._take_keys_from_fields()
        else:
            for widget in chrome:
                widget.show()
            window.setStyleSheet(theme("base"))
            if self._before.get("maximized"):
                window.showMaximized()
            else:
                window.showNormal()
                geometry = self._before.get("geometry")
                if isinstance(geometry, QByteArray):
                    window.restoreGeometry(geometry)
        host.act_notes.setEnabled(not on)
        host.commands.act_leave_presentation.setEnabled(on)
        host.commands.act_presentation.setText(
            self.tr("Leave presentation mode") if on else self.tr("Presentation mode")
        )
        host.sections.set_presentation(on)
        host.header.restyled()
        host.presentationChanged.emit(on)
        host.meeting.tick()

    def _take_keys_from_fields(self) -> None:
        """Presenting, the meeting's keys drive the meeting whatever had the focus: a text
        field on a page (an OKR box, "Other teams impacted") would otherwise take Space or
        Ctrl+→ as typing, unseen, as a stray space in the plan. The window takes the focus
        (it uses no keys itself, so they reach the meeting's shortcuts)."""
        focus = self.window.focusWidget()
        if focus is None:
            return
        in_plan = self.host.pages.isAncestorOf(focus) or self.host.notes_panel.isAncestorOf(focus)
        if focus.isVisible() and not in_plan:
            return  # the header or the agenda: they leave the meeting keys alone
        self.window.setFocus()
