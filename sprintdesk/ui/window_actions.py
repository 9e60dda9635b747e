"""The main window's actions and menus: every meeting action has a key (F1 lists them), and
later features add theirs with :meth:`WindowActions.add_action`.

A mixin of :class:`~sprintdesk.ui.main_window.MainWindow`: the actions call its slots.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow as _Base
else:
    _Base = object


class WindowActions(_Base):
    """Builds ``act_*`` actions (on the window itself, so keys work with the menu bar hidden)
    and the File / Edit / Meeting / View / Help menus."""

    if TYPE_CHECKING:
        # The main window's other attributes (widgets, slots) are used here.
        def __getattr__(self, name: str) -> Any: ...

    def _action(
        self,
        name: str,
        text: str,
        slot: Callable[..., object],
        keys: list[QKeySequence | QKeySequence.StandardKey | str] | None = None,
        *,
        tip: str = "",
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if keys:
            sequences = [k if isinstance(k, QKeySequence) else QKeySequence(k) for k in keys]
            # A standard key the platform leaves unbound (Quit on Linux) is an empty sequence.
            action.setShortcuts([k for k in sequences if not k.isEmpty()])
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.setCheckable(checkable)
        if checkable:
            action.toggled.connect(slot)
        else:
            action.triggered.connect(slot)
        # On the window itself, so the keys still work with the menu bar hidden (presentation).
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        tr = self.tr
        self.act_toggle = self._action(
            "toggleClock",
            tr("Start / pause"),
            self.toggle_clock,
            ["Space"],
            tip=tr("Start or pause the clock for the current section"),
        )
        self.act_previous = self._action(
            "previousSection",
            tr("Previous section"),
            self.previous_section,
            ["Ctrl+Left", "PgUp"],
        )
        self.act_next = self._action(
            "nextSection", tr("Next section"), self.next_section, ["Ctrl+Right", "PgDown"]
        )
        self.act_extend_1 = self._action(
            "extendOne",
            tr("+1 min"),
            lambda: self.extend(60),
            ["Ctrl+1", "+"],
            tip=tr("Give the current section one more minute"),
        )
        self.act_extend_5 = self._action(
            "extendFive",
            tr("+5 min"),
            lambda: self.extend(300),
            ["Ctrl+5"],
            tip=tr("Give the current section five more minutes"),
        )
        self.act_restart = self._action(
            "restartSection",
            tr("Restart section"),
            self.restart_section,
            ["Ctrl+R"],
            tip=tr("Start the current section's clock over"),
        )
        self.act_start_meeting = self._action(
            "startMeeting",
            tr("Start meeting"),
            self.start_meeting,
            ["Ctrl+Return"],
            tip=tr("Meeting mode: the clock starts on the first section"),
        )
        self.act_end_meeting = self._action(
            "endMeeting",
            tr("End meeting"),
            self.end_meeting,
            ["Ctrl+Shift+Return"],
            tip=tr("Stop the clock and mark the sprint planned"),
        )
        self.act_chime = self._action(
            "chime", tr("Chime when time is up"), self._set_chime, checkable=True
        )
        self.act_presentation = self._action(
            "presentation",
            tr("Presentation mode"),
            self.toggle_presentation,
            ["F5"],
            tip=tr("Full screen, large type, no editing chrome or private notes (Esc leaves)"),
        )
        self.act_leave_presentation = self._action(
            "leavePresentation",
            tr("Leave presentation mode"),
            lambda: self.set_presentation(False),
            ["Esc"],
        )
        self.act_leave_presentation.setEnabled(False)
        self.act_mini = self._action(
            "miniTimer",
            tr("Mini timer"),
            self.toggle_mini_timer,
            ["Ctrl+T"],
            tip=tr("A small always-on-top timer for when you share another window"),
        )
        self.act_move_up = self._action(
            "moveSectionUp", tr("Move section up"), lambda: self.move_selected(-1), ["Alt+Up"]
        )
        self.act_move_down = self._action(
            "moveSectionDown",
            tr("Move section down"),
            lambda: self.move_selected(+1),
            ["Alt+Down"],
        )
        self.act_edit_timebox = self._action(
            "editTimebox", tr("Edit timebox"), self.edit_selected_timebox, ["F2"]
        )
        self.act_undo = self._action("undo", tr("Undo"), self.undo)
        self.act_undo.setShortcuts(QKeySequence.StandardKey.Undo)
        self.act_undo.setEnabled(False)
        self.act_redo = self._action("redo", tr("Redo"), self.redo)
        self.act_redo.setShortcuts(QKeySequence.StandardKey.Redo)
        self.act_redo.setEnabled(False)
        self.act_shortcuts = self._action(
            "shortcuts", tr("Keyboard shortcuts"), self.show_shortcuts, ["F1"]
        )
        self.act_quit = self._action(
            "quit", tr("Quit"), self.close, [QKeySequence(QKeySequence.StandardKey.Quit), "Ctrl+Q"]
        )
        self.clock_actions = [
            self.act_toggle, self.act_previous, self.act_next, self.act_extend_1,
            self.act_extend_5, self.act_restart,
        ]  # fmt: skip

    def _build_menus(self) -> None:
        tr = self.tr
        bar = self.menuBar()
        self.menus: dict[str, QMenu] = {
            "file": bar.addMenu(tr("&File")),
            "edit": bar.addMenu(tr("&Edit")),
            "meeting": bar.addMenu(tr("&Meeting")),
            "view": bar.addMenu(tr("&View")),
            "help": bar.addMenu(tr("&Help")),
        }
        for key, menu in self.menus.items():
            menu.setObjectName(f"{key}Menu")
        self._file_tail = self.menus["file"].addSeparator()
        self.menus["file"].addAction(self.act_quit)
        edit = self.menus["edit"]
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addActions([self.act_move_up, self.act_move_down, self.act_edit_timebox])
        meeting = self.menus["meeting"]
        meeting.addActions([self.act_start_meeting, self.act_end_meeting])
        meeting.addSeparator()
        meeting.addActions(self.clock_actions)
        meeting.addSeparator()
        meeting.addAction(self.act_chime)
        self.menus["view"].addActions([self.act_presentation, self.act_mini, self.act_notes])
        self.menus["help"].addAction(self.act_shortcuts)

    def add_action(self, menu: str, action: QAction) -> QAction:
        """Put a feature's action in one of the menus (``file`` entries go above Quit); the
        window also owns it, so its key works in presentation mode."""
        target = self.menus[menu]
        if menu == "file":
            target.insertAction(self._file_tail, action)
        else:
            target.addAction(action)
        self.addAction(action)
        return action
