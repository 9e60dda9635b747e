"""The agenda sidebar's item model: one row per section with its timebox, the suggestion from
history, the actual time and its state in the meeting.

Edits (timebox, drag-and-drop reordering) go through :class:`PlanDocument`, so they are undoable
and autosaved. During a meeting only the current row's time cells change on a clock tick.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QByteArray,
    QEvent,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QValidator
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QApplication,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
    QWidget,
)

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.meeting import MeetingClock, SectionState, budget_of
from sprintdesk.plan.model import AgendaSection
from sprintdesk.ui import agenda_text
from sprintdesk.ui.agenda_text import minutes_text

AnyIndex = QModelIndex | QPersistentModelIndex

SECTION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2
ROW_MIME = "application/x-sprintdesk-agenda-row"

COL_TITLE, COL_TIMEBOX, COL_SUGGESTED, COL_ACTUAL, COL_STATE = range(5)
MAX_TIMEBOX_MINUTES = 600

OVERRAN_COLOUR = QColor(agenda_text.OVERRAN_COLOUR)
DONE_COLOUR = QColor(agenda_text.DONE_COLOUR)

# Worked out once: the view asks a dozen roles of every cell it paints, on every clock tick
# for the current row, and the clock's state only for these.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_STATE_ROLES = frozenset(
    int(role)
    for role in (
        _DISPLAY,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.AccessibleTextRole,
        STATE_ROLE,
    )
)
_RIGHT_ALIGNED = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
)
_TIMEBOX_FLAGS = _ROW_FLAGS | Qt.ItemFlag.ItemIsEditable


class AgendaModel(QAbstractTableModel):
    """Rows are the open sprint's sections in agenda order."""

    def __init__(
        self,
        doc: PlanDocument,
        clock: Callable[[], MeetingClock | None],
        *,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self._clock = clock
        self._sections: list[AgendaSection] = []
        self._suggestions: dict[int, int] = {}
        self._headers = [self.tr(text) for text in agenda_text.HEADERS]
        self._state_names = {
            state: self.tr(word) for state, word in agenda_text.STATE_WORDS.items()
        }
        self._bold: QFont | None = None  # the current row's font, made once
        # The running row's state when its time cells were last repainted (refresh_section):
        # its state cell is repainted only when that changes.
        self._ticked: tuple[int, SectionState] | None = None

    # --- contents ---------------------------------------------------------------------------

    def reload(self, *, reset: bool = False) -> None:
        """Re-read the sections: ``reset`` after opening a sprint; otherwise rows that are
        only reordered or edited are refreshed in place so the view keeps its selection."""
        sprint = self._doc.sprint
        sections = list(sprint.sections) if sprint is not None else []
        if not reset and sections and len(sections) == len(self._sections):
            # Same rows (maybe reordered): refresh in place so the view keeps its selection.
            self.layoutAboutToBeChanged.emit()
            self._sections = sections
            self.layoutChanged.emit()
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(sections) - 1, self.columnCount() - 1)
            )
            return
        self.beginResetModel()
        self._sections = sections
        self._ticked = None
        self.endResetModel()

    def set_suggestions(self, suggestions: dict[int, int]) -> None:
        self._suggestions = dict(suggestions)
        if self._sections:
            self.dataChanged.emit(
                self.index(0, COL_SUGGESTED), self.index(len(self._sections) - 1, COL_SUGGESTED)
            )

    def refresh_times(self) -> None:
        """A clock tick or a clock action: the time and state cells."""
        self._ticked = None
        if self._sections:
            self.dataChanged.emit(
                self.index(0, COL_TIMEBOX), self.index(len(self._sections) - 1, COL_STATE)
            )

    def refresh_section(self, section_id: int | None) -> None:
        """The one row a running clock changes, every tick: its actual time, and its state
        only when that changed (in a meeting the running section stays "current")."""
        row = self.row_of(section_id)
        if row < 0:
            return
        clock = self._clock()
        section = self._sections[row]
        state = clock.section_state(section) if clock is not None else SectionState.UPCOMING
        ticked = (section.id, state)
        last = COL_ACTUAL if ticked == self._ticked else COL_STATE
        self._ticked = ticked
        self.dataChanged.emit(self.index(row, COL_ACTUAL), self.index(row, last))

    def section_at(self, row: int) -> AgendaSection | None:
        return self._sections[row] if 0 <= row < len(self._sections) else None

    def row_of(self, section_id: int | None) -> int:
        for row, section in enumerate(self._sections):
            if section.id == section_id:
                return row
        return -1

    # --- Qt model API -----------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._sections)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex | None = None) -> int:
        if parent is not None and parent.isValid():
            return 0
        return len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._sections):
            return None
        section = self._sections[index.row()]
        return self._value(section, index.column(), role, self._clock())

    def multiData(self, index: AnyIndex, roleDataSpan: Any) -> None:  # noqa: N802, N803 - Qt
        """Every role a cell is painted with, in one call: the view asks seven or more roles of
        each cell it paints (a running row on every tick), and one Python call per role was
        most of a tick's cost; the clock's state is worked out once for them all."""
        if not index.isValid() or not 0 <= index.row() < len(self._sections):
            for role_data in roleDataSpan:
                role_data.clearData()
            return
        section = self._sections[index.row()]
        column = index.column()
        clock = self._clock()
        state: SectionState | None = None
        for role_data in roleDataSpan:
            role = role_data.role()
            if role in _STATE_ROLES and state is None:
                state = clock.section_state(section) if clock is not None else SectionState.UPCOMING
            value = self._value(section, column, role, clock, state)
            if value is None:
                role_data.clearData()
            else:
                role_data.setData(value)

    def _value(
        self,
        section: AgendaSection,
        column: int,
        role: int,
        clock: MeetingClock | None,
        state: SectionState | None = None,
    ) -> Any:
        if role == SECTION_ID_ROLE:
            return section.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT_ALIGNED if column != COL_TITLE else None
        if role == Qt.ItemDataRole.EditRole:
            return max(1, round(section.timebox_seconds / 60)) if column == COL_TIMEBOX else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(section, column)
        if role not in _STATE_ROLES:
            return None
        if state is None:
            state = clock.section_state(section) if clock is not None else SectionState.UPCOMING
        if role == STATE_ROLE:
            return state.value
        if role == _DISPLAY:
            return self._display(section, column, state, clock)
        if role == Qt.ItemDataRole.ForegroundRole:
            if state is SectionState.OVERRAN:
                return OVERRAN_COLOUR
            if state is SectionState.DONE:
                return DONE_COLOUR
            return None
        if role == Qt.ItemDataRole.FontRole and state is SectionState.CURRENT:
            if self._bold is None:
                self._bold = QFont()
                self._bold.setBold(True)
            return self._bold
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._display(section, column, state, clock)
        return None

    def _display(
        self,
        section: AgendaSection,
        column: int,
        state: SectionState,
        clock: MeetingClock | None,
    ) -> str:
        if column == COL_TITLE:
            return section.title
        if column == COL_TIMEBOX:
            return agenda_text.timebox_text(section)
        if column == COL_SUGGESTED:
            return agenda_text.suggestion_text(self._suggestions.get(section.id))
        if column == COL_ACTUAL:
            return agenda_text.actual_text(section, state, clock)
        if column == COL_STATE:
            return self._state_names[state]
        return ""

    def _tooltip(self, section: AgendaSection, column: int) -> str | None:
        if column == COL_SUGGESTED and section.id in self._suggestions:
            return self.tr("Median actual time of this section in the last meetings")
        if column == COL_TIMEBOX:
            if section.extension_seconds:
                return self.tr("Planned {planned}, extended in the meeting to {budget}").format(
                    planned=minutes_text(section.timebox_seconds),
                    budget=minutes_text(budget_of(section)),
                )
            return self.tr("Double-click to change the timebox (minutes)")
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return _TIMEBOX_FLAGS if index.column() == COL_TIMEBOX else _ROW_FLAGS

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if index.column() != COL_TIMEBOX:
            return False
        section = self.section_at(index.row())
        try:
            minutes = int(value)
        except (TypeError, ValueError):
            return False
        if section is None or not 1 <= minutes <= MAX_TIMEBOX_MINUTES:
            return False
        self._doc.set_attr(
            section,
            "timebox_seconds",
            minutes * 60,
            self.tr("Change the timebox of “{title}”").format(title=section.title),
        )
        return True

    # --- drag and drop ----------------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [ROW_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        data = QMimeData()
        if rows:
            data.setData(ROW_MIME, QByteArray(str(rows[0]).encode()))
        return data

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if data is None or not data.hasFormat(ROW_MIME):
            return False
        try:
            source = int(bytes(data.data(ROW_MIME).data()).decode())
        except ValueError:
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._sections)
        # ``row`` is an insertion point; once the moved row is taken out, later rows shift up.
        target = row - 1 if row > source else row
        return self.move_section(source, target)

    def move_section(self, source: int, target: int) -> bool:
        """Move a section to another place in the agenda, undoably."""
        sprint = self._doc.sprint
        if sprint is None or source == target:
            return False
        if not (0 <= source < len(self._sections) and 0 <= target < len(self._sections)):
            return False
        title = self._sections[source].title
        self._doc.move_row(
            sprint.sections, source, target, self.tr("Move “{title}”").format(title=title)
        )
        return True


class TimeboxEditor(QSpinBox):
    """Minutes: a minus sign stays on screen (a plain spin box drops it, so "-3" became 3),
    and so does a number over the maximum (a plain one keeps its first digits: "9999" became
    99); both mark the text unfinished, which the delegate refuses with its reason."""

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        bare = text.removesuffix(self.suffix()).strip()
        if bare == "-" or (bare.startswith("-") and bare[1:].isdigit()):
            return QValidator.State.Intermediate, text, pos
        # Too many minutes stay on screen as typed ("9999" used to become 99 without a word):
        # the delegate refuses them with the range.
        if bare.isdigit() and int(bare) > self.maximum():
            return QValidator.State.Intermediate, text, pos
        return super().validate(text, pos)


class TimeboxDelegate(QStyledItemDelegate):
    """The timebox editor: whole minutes from 1 to MAX_TIMEBOX_MINUTES, so a value the model
    would refuse cannot be typed (it used to be dropped without a word).

    What it refuses it says why: "0" or a minus sign (which a spin box would drop, turning -3
    into 3) keep the editor open with a message. Signals: ``refused(str)``, that message;
    ``settled()``, an editor opened or a timebox was accepted (a refusal shown is stale)."""

    refused = Signal(str)
    settled = Signal()

    def refusal(self) -> str:
        return self.tr("A timebox is at least 1 minute (at most {most} minutes).").format(
            most=MAX_TIMEBOX_MINUTES
        )

    def _refuse(self, editor: QWidget) -> None:
        message = self.refusal()
        QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), message, editor)
        self.refused.emit(message)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if isinstance(watched, QSpinBox) and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            commit = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            if event.key() in commit and not watched.hasAcceptableInput():
                self._refuse(watched)  # "0": the editor stays open with what was typed
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                # Saved and closed at once. Qt does it from the event loop, and a key pressed
                # meanwhile (Ctrl+→ to the next section) closed the editor first; Qt then
                # warned "commitData called with an editor that does not belong to this view".
                self.commitData.emit(watched)
                self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.SubmitModelCache)
                return True
            if event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                # Saved, closed, and on as Tab from the agenda goes (into the page). Qt's own
                # Tab opened the same cell's editor again (no other cell of a row is editable).
                self.commitData.emit(watched)
                self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.NoHint)
                view = self.parent()
                if isinstance(view, QWidget):
                    QApplication.postEvent(
                        view, QKeyEvent(QEvent.Type.KeyPress, event.key(), event.modifiers())
                    )
                return True
        return super().eventFilter(watched, event)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:  # noqa: N802 - Qt override
        if isinstance(editor, QSpinBox) and not editor.hasAcceptableInput():
            self._refuse(editor)  # focus went elsewhere with "0" typed: the timebox is kept
            return
        super().setModelData(editor, model, index)
        self.settled.emit()

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        self.settled.emit()
        editor = TimeboxEditor(parent)
        editor.setObjectName("timeboxEditor")
        editor.setAccessibleName(self.tr("Timebox in minutes"))
        editor.setRange(1, MAX_TIMEBOX_MINUTES)
        editor.setSuffix(self.tr(" min"))
        editor.setFrame(False)
        return editor
