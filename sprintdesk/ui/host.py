"""What the main window's parts need from the window: small typed interfaces.

The main window owns its parts: the meeting controller
(:class:`~sprintdesk.ui.meeting_controls.MeetingController`), the actions and menus
(:class:`~sprintdesk.ui.window_actions.WindowActions`), the first frame
(:class:`~sprintdesk.ui.first_frame.FirstFrame`), the sprint picker
(:class:`~sprintdesk.ui.sprints.SprintSwitcher`), the section on screen
(:class:`~sprintdesk.ui.sections.SectionNavigator`), the notes
(:class:`~sprintdesk.ui.notes_panel.FacilitatorNotes`), presentation mode
(:class:`~sprintdesk.ui.presentation.Presentation`), the view state
(:class:`~sprintdesk.ui.view_state.ViewState`) and the features' menus
(:class:`~sprintdesk.ui.features.Features`); each talks back to the window only through the
protocol here, so mypy checks both sides and no part imports the window's module.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex, SignalInstance
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import (
        QComboBox,
        QLabel,
        QPlainTextEdit,
        QSplitter,
        QStackedWidget,
        QStatusBar,
        QTableView,
        QToolBar,
        QWidget,
    )

    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.plan.meeting import MeetingClock
    from sprintdesk.plan.model import AgendaSection, Sprint
    from sprintdesk.storage.opening import Opening
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

    def after_clock_change(self) -> None: ...


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


class OpenPlan(Protocol):
    """The open plan, if any (:attr:`doc` raises without one)."""

    @property
    def doc(self) -> PlanDocument: ...

    @property
    def plan_open(self) -> bool: ...


class NotesHost(OpenPlan, Protocol):
    """What the facilitator notes edit: the open sprint's."""


class SectionsHost(OpenPlan, Protocol):
    """What the section navigator shows sections in and follows the clock with."""

    syncing: bool  # the window fills a widget: its change signal is not an edit

    @property
    def clock(self) -> MeetingClock | None: ...

    @property
    def painted(self) -> bool: ...

    @property
    def presenting(self) -> bool: ...

    @property
    def pages(self) -> QStackedWidget: ...

    @property
    def loading(self) -> QLabel: ...

    @property
    def agenda_view(self) -> QTableView: ...

    @property
    def agenda_model(self) -> AgendaModel: ...

    @property
    def notes(self) -> QPlainTextEdit: ...

    @property
    def meeting(self) -> MeetingView: ...


class SprintsHost(OpenPlan, Protocol):
    """What the sprint switcher fills and opens sprints with."""

    syncing: bool
    clock: MeetingClock | None

    @property
    def store(self) -> Store | None: ...

    @property
    def closed(self) -> bool: ...

    @property
    def sprint_picker(self) -> QComboBox: ...

    @property
    def central(self) -> QStackedWidget: ...

    @property
    def planning_area(self) -> QWidget: ...

    @property
    def pages(self) -> QStackedWidget: ...

    @property
    def agenda_view(self) -> QTableView: ...

    @property
    def agenda_model(self) -> AgendaModel: ...

    @property
    def first_frame(self) -> FirstLook: ...

    @property
    def meeting(self) -> MeetingView: ...

    @property
    def sections(self) -> SectionsView: ...

    @property
    def facilitator_notes(self) -> NotesView: ...

    @property
    def features(self) -> FeatureMenus: ...


class PresentationHost(Protocol):
    """The chrome presentation mode hides, and who follows it."""

    @property
    def toolbar(self) -> QToolBar: ...

    @property
    def side_splitter(self) -> QSplitter: ...

    @property
    def header(self) -> ClockHeader: ...

    @property
    def pages(self) -> QStackedWidget: ...

    @property
    def notes_panel(self) -> QWidget: ...

    @property
    def act_notes(self) -> QAction: ...

    @property
    def commands(self) -> PresentationActions: ...

    @property
    def sections(self) -> SectionsView: ...

    @property
    def meeting(self) -> MeetingView: ...

    @property
    def presentationChanged(self) -> SignalInstance: ...  # noqa: N802 - a Qt signal


class PresentationActions(Protocol):
    """The actions presentation mode words and enables (built by ``SessionActions``)."""

    @property
    def act_presentation(self) -> QAction: ...

    @property
    def act_leave_presentation(self) -> QAction: ...


class ViewStateHost(Protocol):
    """The window's parts whose state is kept between runs."""

    @property
    def splitter(self) -> QSplitter: ...

    @property
    def side_splitter(self) -> QSplitter: ...

    @property
    def act_notes(self) -> QAction: ...


class PlanSessionHost(Protocol):
    """What attaching a store wires the document to."""

    syncing: bool
    agenda_model: AgendaModel

    @property
    def clock(self) -> MeetingClock | None: ...

    @property
    def agenda_view(self) -> QTableView: ...

    @property
    def commands(self) -> SessionActions: ...

    @property
    def meeting(self) -> MeetingView: ...

    @property
    def sections(self) -> SectionsView: ...

    @property
    def sprints(self) -> SprintsView: ...

    @property
    def facilitator_notes(self) -> NotesView: ...

    @property
    def first_frame(self) -> FirstLook: ...

    @property
    def features(self) -> FeatureMenus: ...


class FirstLook(Protocol):
    """The first frame, as the parts that replace it see it (``FirstFrame``)."""

    @property
    def opening(self) -> Opening | None: ...

    def drop(self) -> None: ...


class FeatureMenus(Protocol):
    """What the window's parts tell the features' menus (``Features``)."""

    def on_store(self, store: Store) -> None: ...

    def update_status(self) -> None: ...


class NotesView(Protocol):
    """The facilitator notes (``FacilitatorNotes``)."""

    def load(self) -> None: ...


class SectionsView(Protocol):
    """The section on screen (``SectionNavigator``)."""

    displayed: AgendaSection | None
    displayed_ids: tuple[int, int] | None

    def show_section(self, section: AgendaSection) -> None: ...

    def select_row(self, section_id: int | None) -> None: ...

    def on_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None: ...

    def install_go_to(self, view: QTableView) -> QAction: ...

    def size_agenda_columns(self) -> None: ...

    def set_presentation(self, on: bool) -> None: ...

    def stop_work(self) -> None: ...

    def drop_pages(self) -> None: ...


class SprintsView(Protocol):
    """The sprint picker and what opening a sprint shows (``SprintSwitcher``)."""

    def refresh(self) -> None: ...

    def open_first(self) -> None: ...

    def on_sprint_opened(self, sprint_id: int) -> None: ...

    def drop_welcome(self) -> None: ...


class SessionActions(Protocol):
    """The actions attaching a store wires (built by ``WindowActions``)."""

    @property
    def act_undo(self) -> QAction: ...

    @property
    def act_redo(self) -> QAction: ...

    @property
    def act_chime(self) -> QAction: ...
