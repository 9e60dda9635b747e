"""Qt item models for the section pages.

:class:`ObjectTableModel` shows a list of mapped objects (retro notes, priorities, team items,
OKRs) as rows with one :class:`Column` per attribute; editing a cell calls the column's
``commit`` function, which goes through the :class:`~sprintdesk.editing.document.PlanDocument` so
every edit is undoable. :class:`SectionTimesModel` is a read-only view of the agenda's planned and
actual times.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from sprintdesk.plan.model import AgendaSection
from sprintdesk.plan.rules import Severity
from sprintdesk.plan.times import NOT_REACHED, ON_TIME, format_duration, format_spent, whole_seconds

ObjectRole = Qt.ItemDataRole.UserRole + 1
SeverityRole = Qt.ItemDataRole.UserRole + 2

# Findings and overruns are drawn as chips with their own background, so they stay readable on
# the light system theme and on a dark presentation theme alike.
ERROR_COLOR = "#8b0000"
ERROR_BACKGROUND = "#fde7e9"
WARNING_COLOR = "#6b4700"
WARNING_BACKGROUND = "#fff3cd"

AnyIndex = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("SprintDesk", text)


@dataclass
class Choice:
    """One entry of a choice editor: the stored value, its label, and why it is disabled."""

    value: Any
    label: str
    disabled_reason: str = ""

    @property
    def enabled(self) -> bool:
        return not self.disabled_reason


@dataclass
class Column:
    """How one attribute of a row object is shown and edited.

    ``commit(obj, value)`` performs the (undoable) edit; a column without it is read-only.
    ``editor`` is "text" or "choice"; a choice column lists ``choices()``.
    """

    header: str
    display: Callable[[Any], str]
    edit_value: Callable[[Any], Any] | None = None
    commit: Callable[[Any, Any], None] | None = None
    editor: str = "text"
    choices: Callable[[], Sequence[Choice]] | None = None
    tooltip: Callable[[Any], str] | None = None
    stretch: bool = False


_OBJECT_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.EditRole,
        Qt.ItemDataRole.ToolTipRole,
        ObjectRole,
    }
)


class ObjectTableModel(QAbstractTableModel):
    """Rows are mapped objects returned by ``rows()``; call :meth:`refresh` after a change.

    A refresh keeps the views' selection when the same objects are still there in the same
    order (only ``dataChanged`` is emitted); otherwise the model is reset and the view restores
    its current row by object (see :class:`sprintdesk.views.widgets.EditableTable`).
    """

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Callable[[], Sequence[Any]],
        *,
        movable: bool = False,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows_fn = rows
        self._rows: list[Any] = list(rows())
        self._row_index: dict[int, int] | None = None  # id(object) -> row, built when asked
        # Told the new row count before a reset, so a view can change how it lays rows out
        # before it sees them (see sprintdesk.views.tables.ReorderTableView.fit_to_rows).
        self.before_reset: Callable[[int], None] | None = None
        self.movable = movable
        self.read_only = False

    # --- structure ------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def object_at(self, row: int) -> Any:
        return self._rows[row]

    def row_of(self, obj: Any) -> int:
        """The row showing ``obj``, or -1; constant time (a rank column asks for every row)."""
        if self._row_index is None:
            # Built in C (map/zip): a 60,000-row list takes milliseconds, not a tenth of a second.
            self._row_index = dict(zip(map(id, self._rows), range(len(self._rows)), strict=True))
        row = self._row_index.get(id(obj), -1)
        return row if row >= 0 and self._rows[row] is obj else -1

    def objects(self) -> list[Any]:
        return list(self._rows)

    # --- data -----------------------------------------------------------------------------

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Views ask for a dozen roles per cell (fonts, colours, sizes...): answer the ones we
        # do not provide before touching the row (sizing a long table asks thousands of times).
        if role not in _OBJECT_ROLES or not index.isValid() or index.row() >= len(self._rows):
            return None
        obj = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.display(obj)
        if role == Qt.ItemDataRole.EditRole:
            if column.edit_value is not None:
                return column.edit_value(obj)
            return column.display(obj)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(obj) or None
        if role == ObjectRole:
            return obj
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        column = self.columns[index.column()]
        if column.commit is None or self.read_only:
            return False
        if column.editor == "text":
            value = str(value).strip()
            if not value:
                return False  # an empty title is refused; Delete removes a row
        obj = self._rows[index.row()]
        column.commit(obj, value)
        # The document's changed signal normally refreshes us; make sure the cell repaints
        # (unless that refresh reset the model and the row now holds something else).
        row = index.row()
        if row < len(self._rows) and self._rows[row] is obj:
            cell = self.index(row, index.column())
            self.dataChanged.emit(cell, cell)
        return True

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return (
                Qt.ItemFlag.ItemIsDropEnabled
                if self.movable and not self.read_only
                else Qt.ItemFlag.NoItemFlags
            )
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].commit is not None and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsEditable
        if self.movable and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return self.columns[section].header
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    # --- refreshing -----------------------------------------------------------------------

    def refresh(self) -> None:
        new_rows = list(self._rows_fn())
        same = len(new_rows) == len(self._rows) and all(
            map(operator.is_, new_rows, self._rows)  # in C: long lists refresh in milliseconds
        )
        if same:
            if new_rows:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(new_rows) - 1, len(self.columns) - 1)
                )
            return
        if self.before_reset is not None:
            self.before_reset(len(new_rows))
        self.beginResetModel()
        self._rows = new_rows
        self._row_index = None
        self.endResetModel()


# --- read-only models --------------------------------------------------------------------


def _banked(section: AgendaSection) -> float:
    return float(section.actual_seconds or 0.0)


def format_seconds(seconds: float) -> str:
    """A duration as everywhere in SprintDesk (``m:ss``, see :mod:`sprintdesk.plan.times`)."""
    return format_duration(seconds)


class SectionTimesModel(QAbstractTableModel):
    """Agenda sections with planned, added and actual time and the difference (overrun in red),
    as the published summary has them: "Planned" is the timebox as planned, "Added" what the
    meeting gave it on top, and the difference is actual minus both (``±0:00`` on time).

    The last row holds the totals.

    A section's actual time is what ``elapsed`` says (:meth:`set_elapsed`: the meeting clock's,
    the running section's time so far included, as the header's total counts it), by default
    the time banked. A section the meeting has reached reads m:ss (0:00 included), one it has
    not reached "—", as in the agenda (:func:`~sprintdesk.plan.times.format_spent`).
    """

    HEADERS = ("Section", "Planned", "Added", "Actual", "Difference")
    COL_PLANNED, COL_ADDED, COL_ACTUAL, COL_DIFFERENCE = 1, 2, 3, 4

    def __init__(self, *, parent: Any = None) -> None:
        super().__init__(parent)
        self._sections: list[AgendaSection] = []
        self._rows: list[tuple[str, int, int, int, bool]] = []
        self._elapsed: Callable[[AgendaSection], float] = _banked

    def set_sections(self, sections: Sequence[AgendaSection]) -> None:
        self.beginResetModel()
        self._sections = list(sections)
        self._compute()
        self.endResetModel()

    def sections(self) -> list[AgendaSection]:
        return list(self._sections)

    def set_elapsed(self, elapsed: Callable[[AgendaSection], float] | None) -> None:
        """Read each section's time with ``elapsed`` (None: the time banked); call
        :meth:`refresh` to show it."""
        self._elapsed = elapsed or _banked

    def spent(self, section: AgendaSection) -> int:
        """The whole seconds spent on ``section``, as its row shows them."""
        return whole_seconds(self._elapsed(section))

    def _compute(self) -> None:
        # The figures are read once per refresh, not once per cell and role (the totals row
        # would otherwise sum every section each time a view asks for a size or a colour).
        # Whole seconds, so the totals row is the sum of the rows shown.
        rows: list[tuple[str, int, int, int, bool]] = []
        for section in self._sections:
            rows.append(
                (
                    section.title,
                    int(section.timebox_seconds or 0),
                    int(section.extension_seconds or 0),
                    self.spent(section),
                    bool(section.visited),
                )
            )
        planned = sum(r[1] for r in rows)
        added = sum(r[2] for r in rows)
        actual = sum(r[3] for r in rows)
        reached = any(r[4] for r in rows)
        self._rows = [*rows, (_tr("Total"), planned, added, actual, reached)] if rows else []

    def refresh(self) -> None:
        old = self._rows
        self._compute()
        if self._sections and self._rows != old:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or not self._sections:
            return 0
        return len(self._sections) + 1

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _TIMES_ROLES or not index.isValid() or index.row() >= len(self._rows):
            return None
        title, planned, added, actual, reached = self._rows[index.row()]
        diff = actual - planned - added
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return title
            if column == self.COL_PLANNED:
                return format_duration(planned)
            if column == self.COL_ADDED:
                return format_duration(added) if added else "—"
            if column == self.COL_ACTUAL:
                return format_spent(actual, reached=reached)
            if not reached:
                return NOT_REACHED
            if diff > 0:
                return _tr("+{0} over").format(format_duration(diff))
            return _tr("{0} under").format(format_duration(-diff)) if diff < 0 else ON_TIME
        overrun = column == self.COL_DIFFERENCE and reached and diff > 0
        if role == Qt.ItemDataRole.ForegroundRole and overrun:
            return QBrush(QColor(ERROR_COLOR))
        if role == Qt.ItemDataRole.BackgroundRole and overrun:
            return QBrush(QColor(ERROR_BACKGROUND))
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and index.row() == len(self._sections):
            font = QFont()
            font.setBold(True)
            return font
        if role == ObjectRole and index.row() < len(self._sections):
            return self._sections[index.row()]
        if role == SeverityRole and column == self.COL_DIFFERENCE:
            return "overrun" if overrun else ""
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return _tr(self.HEADERS[section])
        return None


_TIMES_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.FontRole,
        ObjectRole,
        SeverityRole,
    }
)

SEVERITY_LABEL = {Severity.ERROR: "⛔ Error", Severity.WARNING: "⚠ Warning"}
