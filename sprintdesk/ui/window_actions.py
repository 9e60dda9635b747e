"""The main window's actions and menus: every meeting action has a key (F1 lists them), and
later features add theirs with :meth:`WindowActions.add_action`.

An object the main window owns (:class:`WindowActions`): the meeting's actions call the
:class:`~sprintdesk.ui.meeting_controls.MeetingController`, the others the window's slots
(:class:`~sprintdesk.ui.host.ActionsHost`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeAlias

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu

if TYPE_CHECKING:
    # QKeySequence is imported where keys are bound: the window's first frame binds none (its
    # Python type, with the 71 members of StandardKey, costs a few milliseconds to build).
    from PySide6.QtGui import QKeySequence

    from sprintdesk.ui.host import ActionsHost
    from sprintdesk.ui.parts import MeetingSlots

    Keys: TypeAlias = QKeySequence | QKeySequence.StandardKey | str


class StandardKey(str):
    """A platform's standard key by its name in ``QKeySequence.StandardKey``
    (``StandardKey("Undo")``), looked up when the keys are bound: the window's actions are
    built before its first paint, their keys just after."""


# Keys no field uses (no text, not a list's or a combo's): they drive the meeting from anywhere,
# even with the focus in a page's field. F1's list names them (see ShortcutsDialog).
ANYWHERE_KEYS = {
    "toggleClock": "F8",
    "nextSection": "Ctrl+PgDown",
    "previousSection": "Ctrl+PgUp",
    "presentation": "F5",
}


def distinct_keys(keys: Iterable[Keys]) -> list[QKeySequence]:
    """The sequences to bind, each once: a platform's standard key stands for all its bindings
    (Undo is Ctrl+Z and, in some themes, Alt+Backspace), and is often the same as the explicit
    one given with it (Quit is Ctrl+Q on KDE and GNOME); a key bound twice to one action is
    ambiguous to Qt, which then triggers nothing. A standard key the platform leaves unbound
    (Quit in some themes) adds nothing."""
    from PySide6.QtGui import QKeySequence

    found: list[QKeySequence] = []
    for key in keys:
        if isinstance(key, StandardKey):
            key = QKeySequence.StandardKey[key]
        if isinstance(key, QKeySequence.StandardKey):
            sequences = QKeySequence.keyBindings(key)
        else:
            sequences = [key if isinstance(key, QKeySequence) else QKeySequence(key)]
        for sequence in sequences:
            if not sequence.isEmpty() and all(sequence != seen for seen in found):
                found.append(sequence)
    return found


def make_action(
    parent: QObject,
    name: str,
    text: str,
    slot: Callable[[], object] | Callable[[bool], object],
    keys: Iterable[Keys] = (),
    *,
    tip: str = "",
    checkable: bool = False,
) -> QAction:
    """The one way SprintDesk builds an action: its object name (tests and the shortcuts list
    find it by it), its keys (:func:`distinct_keys`), its tip (also shown in the status bar)
    and its slot: ``slot(checked)`` when ``checkable``, else ``slot()``."""
    # Not QAction(text, parent): choosing among its overloads builds QIcon's Python type (and
    # its 151 theme icons), which nothing before the window's first paint needs.
    action = QAction(parent)
    action.setText(text)
    action.setObjectName(name)
    bind_keys(action, keys)
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.setCheckable(checkable)
    if checkable:
        action.toggled.connect(slot)
    else:
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[call-arg]
    return action


def bind_keys(action: QAction, keys: Iterable[Keys]) -> None:
    """Give ``action`` its key sequences (:func:`distinct_keys`), if any."""
    keys = list(keys)
    if keys:
        shortcuts = distinct_keys(keys)
        if shortcuts:
            action.setShortcuts(shortcuts)


class WindowActions(QObject):
    """Builds ``act_*`` actions (on the window itself, so keys work with the menu bar hidden)
    and, with :meth:`build_menus`, the File / Edit / Meeting / View / Help menus."""

    def __init__(
        self,
        host: ActionsHost,
        meeting: MeetingSlots,
        *,
        window: QMainWindow,
        keys_later: bool = False,
    ) -> None:
        """``keys_later``: the actions get their keys from :meth:`bind_keys` (the window calls
        it just after its first paint, which needs no key sequence)."""
        super().__init__(window)
        self.window = window
        self._unbound: list[tuple[QAction, list[Keys]]] | None = [] if keys_later else None
        self._build_actions(host, meeting)

    def bind_keys(self) -> None:
        """Bind the keys put off by ``keys_later`` (once)."""
        unbound, self._unbound = self._unbound, None
        for action, keys in unbound or ():
            bind_keys(action, keys)

    def action(
        self,
        name: str,
        text: str,
        slot: Callable[[], object] | Callable[[bool], object],
        keys: Iterable[Keys] = (),
        *,
        tip: str = "",
        checkable: bool = False,
    ) -> QAction:
        """An action (:func:`make_action`) on the window itself, so its keys still work with
        the menu bar hidden (presentation)."""
        if self._unbound is not None:
            action = make_action(self.window, name, text, slot, tip=tip, checkable=checkable)
            self._unbound.append((action, list(keys)))
        else:
            action = make_action(self.window, name, text, slot, keys, tip=tip, checkable=checkable)
        self.window.addAction(action)
        return action

    def _build_actions(self, host: ActionsHost, meeting: MeetingSlots) -> None:
        tr = self.tr
        close = self.window.close
        self.act_toggle = self.action(
            "toggleClock",
            tr("Start / pause"),
            meeting.toggle_clock,
            ["Space", "F8"],
            tip=tr("Start or pause the clock for the current section"),
        )
        self.act_previous = self.action(
            "previousSection",
            tr("Previous section"),
            meeting.previous_section,
            ["Ctrl+Left", "PgUp", "Ctrl+PgUp"],
        )
        self.act_next = self.action(
            "nextSection",
            tr("Next section"),
            meeting.next_section,
            ["Ctrl+Right", "PgDown", "Ctrl+PgDown"],
        )
        self.act_extend_1 = self.action(
            "extendOne",
            tr("+1 min"),
            lambda: meeting.extend(60),
            ["Ctrl+1", "+"],
            tip=tr("Give the current section one more minute"),
        )
        self.act_extend_5 = self.action(
            "extendFive",
            tr("+5 min"),
            lambda: meeting.extend(300),
            ["Ctrl+5"],
            tip=tr("Give the current section five more minutes"),
        )
        self.act_restart = self.action(
            "restartSection",
            tr("Restart section"),
            meeting.restart_section,
            ["Ctrl+R"],
            tip=tr("Start the current section's clock over"),
        )
        self.act_start_meeting = self.action(
            "startMeeting",
            tr("Start meeting"),
            meeting.start_meeting,
            ["Ctrl+Return"],
            tip=tr("Meeting mode: the clock starts on the first section"),
        )
        self.act_end_meeting = self.action(
            "endMeeting",
            tr("End meeting"),
            meeting.end_meeting,
            ["Ctrl+Shift+Return"],
            tip=tr("Stop the clock and mark the sprint planned"),
        )
        self.act_chime = self.action(
            "chime", tr("Chime when time is up"), meeting.set_chime, checkable=True
        )
        self.act_presentation = self.action(
            "presentation",
            tr("Presentation mode"),
            host.toggle_presentation,
            ["F5"],
            tip=tr("Full screen, large type, no editing chrome or private notes (Esc leaves)"),
        )
        self.act_leave_presentation = self.action(
            "leavePresentation",
            tr("Leave presentation mode"),
            lambda: host.set_presentation(False),
            ["Esc"],
        )
        self.act_leave_presentation.setEnabled(False)
        self.act_mini = self.action(
            "miniTimer",
            tr("Mini timer"),
            host.toggle_mini_timer,
            ["Ctrl+T"],
            tip=tr("A small always-on-top timer for when you share another window"),
        )
        self.act_move_up = self.action(
            "moveSectionUp",
            tr("Move section up"),
            lambda: host.sections.move_selected(-1),
            ["Alt+Up"],
        )
        self.act_move_down = self.action(
            "moveSectionDown",
            tr("Move section down"),
            lambda: host.sections.move_selected(+1),
            ["Alt+Down"],
        )
        self.act_edit_timebox = self.action(
            "editTimebox", tr("Edit timebox"), lambda: host.sections.edit_selected_timebox(), ["F2"]
        )
        self.act_undo = self.action("undo", tr("Undo"), host.undo, [StandardKey("Undo")])
        self.act_undo.setEnabled(False)
        self.act_redo = self.action("redo", tr("Redo"), host.redo, [StandardKey("Redo")])
        self.act_redo.setEnabled(False)
        self.act_shortcuts = self.action(
            "shortcuts", tr("Keyboard shortcuts"), host.show_shortcuts, ["F1"]
        )
        self.act_quit = self.action("quit", tr("Quit"), close, [StandardKey("Quit"), "Ctrl+Q"])
        self.clock_actions = [
            self.act_toggle, self.act_previous, self.act_next, self.act_extend_1,
            self.act_extend_5, self.act_restart,
        ]  # fmt: skip

    def build_menus(self, act_notes: QAction) -> None:
        """The menus, once the window's own toggles (``act_notes``) exist."""
        tr = self.tr
        bar = self.window.menuBar()
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
        self.menus["view"].addActions([self.act_presentation, self.act_mini, act_notes])
        self.menus["help"].addAction(self.act_shortcuts)

    def add_action(self, menu: str, action: QAction) -> QAction:
        """Put a feature's action in one of the menus (``file`` entries go above Quit); the
        window also owns it, so its key works in presentation mode."""
        target = self.menus[menu]
        if menu == "file":
            target.insertAction(self._file_tail, action)
        else:
            target.addAction(action)
        self.window.addAction(action)
        return action
