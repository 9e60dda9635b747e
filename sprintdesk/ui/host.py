"""What the main window's parts need from the window: small typed interfaces.

The main window owns its controllers (:class:`~sprintdesk.ui.meeting_controls.MeetingController`,
:class:`~sprintdesk.ui.window_actions.WindowActions`,
:class:`~sprintdesk.ui.first_frame.FirstFrame`) and the features' menus
(:class:`~sprintdesk.ui.features.Features`); each talks back to the window only through the
protocol here, so mypy checks both sides and no part imports the window's module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import (
        QComboBox,
        QPlainTextEdit,
        QStackedWidget,
        QStatusBar,
        QTableView,
        QWidget,
    )

    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.plan.meeting import MeetingClock
    from sprintdesk.plan.model import AgendaSection, Sprint
    from sprintdesk.storage.store import Store
    from sprintdesk.ui.agenda_model import AgendaModel
    from sprintdesk.ui.clock_header import ClockHeader, StartBanner
    from sprintdesk.ui.mini_timer import MiniTimer


class MeetingActions(Protocol):
    """The actions the meeting controller enables and words (built by ``WindowActions``)."""

    @property
    def act_toggle(self) -> QAction: ...

    @property
    def act_start_meeting(self) -> QAction: ...

    @property
    def act_end_meeting(self) -> QAction: ...

    @property
    def act_chime(self) -> QAction: ...

    @property
    def clock_actions(self) -> list[QAction]: ...


class MeetingSlots(Protocol):
    """The meeting controller's slots the actions call (``MeetingController``)."""

    def toggle_clock(self) -> None: ...

    def previous_section(self) -> None: ...

    def next_section(self) -> None: ...

    def extend(self, seconds: int) -> None: ...

    def restart_section(self) -> None: ...

    def start_meeting(self) -> None: ...

    def end_meeting(self) -> None: ...

    def set_chime(self, on: bool) -> None: ...


class MeetingView(Protocol):
    """What the first frame asks of the meeting controller: a clock, and the header's state."""

    def clock_for(self, sprint: Sprint) -> MeetingClock: ...

    def update_actions(self) -> None: ...

    def update_banner(self) -> None: ...

    def tick(self) -> None: ...


class ShownPlan(Protocol):
    """The sprint on screen: the open plan's, or the first frame's before a store."""

    def shown_clock(self) -> MeetingClock | None: ...

    def shown_sprint(self) -> Sprint | None: ...

    def shown_section(self) -> AgendaSection | None: ...

    def state_name(self, state: str) -> str: ...


class MeetingHost(ShownPlan, Protocol):
    """What the meeting controller reads and drives in the window."""

    @property
    def clock(self) -> MeetingClock | None: ...

    @property
    def displayed(self) -> AgendaSection | None: ...

    @property
    def doc(self) -> PlanDocument: ...

    @property
    def plan_open(self) -> bool: ...

    @property
    def syncing(self) -> bool: ...

    @property
    def header(self) -> ClockHeader: ...

    @property
    def banner(self) -> StartBanner: ...

    @property
    def agenda_model(self) -> AgendaModel: ...

    @property
    def commands(self) -> MeetingActions: ...

    @property
    def mini_timer(self) -> MiniTimer | None: ...

    def refresh_sprints(self) -> None: ...

    def show_section(self, section: AgendaSection) -> None: ...

    def size_agenda_columns(self) -> None: ...

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - the window's Qt method


class ActionsHost(Protocol):
    """The window's slots its actions call (the meeting's go to the meeting controller)."""

    def toggle_presentation(self) -> None: ...

    def set_presentation(self, on: bool) -> None: ...

    def toggle_mini_timer(self) -> None: ...

    def move_selected(self, delta: int) -> None: ...

    def edit_selected_timebox(self) -> None: ...

    def undo(self) -> None: ...

    def redo(self) -> None: ...

    def show_shortcuts(self) -> None: ...


class FeaturesHost(Protocol):
    """What the feature actions (menus, tool windows, publishing) use of the window."""

    @property
    def store(self) -> Store | None: ...

    @property
    def doc(self) -> PlanDocument: ...

    @property
    def pages(self) -> QStackedWidget: ...

    @property
    def notes_panel(self) -> QWidget: ...

    @property
    def presentationChanged(self) -> SignalInstance: ...  # noqa: N802 - a Qt signal

    def refresh_sprints(self) -> None: ...

    def open_sprint(self, sprint_id: int) -> None: ...

    def replace_store(self, store: Store) -> None: ...

    def add_action(self, menu: str, action: QAction) -> QAction: ...


class FirstFrameHost(Protocol):
    """The window's widgets the first frame fills, and how it fills them."""

    @property
    def sprint_picker(self) -> QComboBox: ...

    @property
    def notes(self) -> QPlainTextEdit: ...

    @property
    def agenda_view(self) -> QTableView: ...

    @property
    def pages(self) -> QStackedWidget: ...

    @property
    def meeting(self) -> MeetingView: ...

    def fill_picker(self, sprints: list[tuple[int, str, str]], current: int | None) -> None: ...

    def show_notes(self, text: str) -> None: ...

    def size_agenda_columns(self) -> None: ...
