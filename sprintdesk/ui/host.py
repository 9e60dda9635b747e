"""What the main window's parts need from the window: small typed interfaces.

The main window owns its parts: the open database
(:class:`~sprintdesk.ui.plan_session.PlanSession`), the meeting controller
(:class:`~sprintdesk.ui.meeting_controls.MeetingController`), the actions and menus
(:class:`~sprintdesk.ui.window_actions.WindowActions`), the first frame
(:class:`~sprintdesk.ui.first_frame.FirstFrame`), the sprint picker
(:class:`~sprintdesk.ui.sprints.SprintSwitcher`), the section on screen
(:class:`~sprintdesk.ui.sections.SectionNavigator`), the notes
(:class:`~sprintdesk.ui.notes_panel.FacilitatorNotes`), presentation mode
(:class:`~sprintdesk.ui.presentation.Presentation`), the view state
(:class:`~sprintdesk.ui.view_state.ViewState`) and the features' menus
(:class:`~sprintdesk.ui.features.Features`); each talks back to the window only through the
protocol here, so mypy checks both sides and no part imports the window's module. What the
parts offer one another (through the window) is in :mod:`~sprintdesk.ui.parts`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
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
    from sprintdesk.storage.store import Store
    from sprintdesk.ui.agenda_model import AgendaModel
    from sprintdesk.ui.clock_header import ClockHeader, StartBanner
    from sprintdesk.ui.mini_timer import MiniTimer
    from sprintdesk.ui.parts import (
        FeatureMenus,
        FirstLook,
        MeetingActions,
        MeetingView,
        NotesView,
        PresentationActions,
        SectionsView,
        SessionActions,
        SprintsView,
    )


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

    @property
    def sections(self) -> SectionsView: ...

    @property
    def pages(self) -> QStackedWidget: ...

    def refresh_sprints(self) -> None: ...

    def show_section(self, section: AgendaSection) -> None: ...

    def statusBar(self) -> QStatusBar: ...  # noqa: N802 - the window's Qt method


class ActionsHost(Protocol):
    """The window's slots its actions call (the meeting's go to the meeting controller)."""

    def toggle_presentation(self) -> None: ...

    def set_presentation(self, on: bool) -> None: ...

    def toggle_mini_timer(self) -> None: ...

    @property
    def sections(self) -> SectionsView: ...

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

    @property
    def sprints(self) -> SprintsView: ...

    @property
    def facilitator_notes(self) -> NotesView: ...

    @property
    def sections(self) -> SectionsView: ...


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
