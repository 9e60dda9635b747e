"""What the main window's parts offer each other: small typed interfaces.

The window's parts (see :mod:`~sprintdesk.ui.host`) reach one another through the window; what
each needs of another is written here (the actions a part enables, the section navigator's
methods the sprint switcher calls...), so that no part imports another's module and mypy checks
that each part offers what is asked of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from PySide6.QtCore import QModelIndex
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QAbstractItemView

    from sprintdesk.plan.meeting import MeetingClock
    from sprintdesk.plan.model import AgendaSection, Sprint
    from sprintdesk.storage.opening import Opening
    from sprintdesk.storage.store import Store


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


class PresentationActions(Protocol):
    """The actions presentation mode words and enables (built by ``SessionActions``)."""

    @property
    def act_presentation(self) -> QAction: ...

    @property
    def act_leave_presentation(self) -> QAction: ...


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

    def show(self, text: str) -> None: ...


class SectionsView(Protocol):
    """The section on screen (``SectionNavigator``)."""

    displayed: AgendaSection | None
    displayed_ids: tuple[int, int] | None

    def show_section(self, section: AgendaSection) -> None: ...

    def select_row(self, section_id: int | None) -> None: ...

    def on_row_changed(self, current: QModelIndex, previous: QModelIndex) -> None: ...

    def install_go_to(self, view: QAbstractItemView) -> QAction: ...

    def size_agenda_columns(self) -> None: ...

    def set_presentation(self, on: bool) -> None: ...

    def stop_work(self) -> None: ...

    def drop_pages(self) -> None: ...

    def move_selected(self, delta: int) -> None: ...

    def edit_selected_timebox(self) -> None: ...


class SprintsView(Protocol):
    """The sprint picker and what opening a sprint shows (``SprintSwitcher``)."""

    def refresh(self) -> None: ...

    def open_first(self) -> None: ...

    def on_sprint_opened(self, sprint_id: int) -> None: ...

    def drop_welcome(self) -> None: ...

    def fill_picker(self, sprints: list[tuple[int, str, str]], current: int | None) -> None: ...


class SessionActions(Protocol):
    """The actions attaching a store wires (built by ``WindowActions``)."""

    @property
    def act_undo(self) -> QAction: ...

    @property
    def act_redo(self) -> QAction: ...

    @property
    def act_chime(self) -> QAction: ...
