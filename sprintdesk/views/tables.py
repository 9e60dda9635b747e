"""Editable tables for the pages' lists: an :class:`ObjectTableModel` in a view that adds with
Enter, deletes with Delete and reorders with Alt+Up/Down or drag and drop, every change going
through the :class:`~sprintdesk.editing.document.PlanDocument` (undoable, autosaved)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import Person
from sprintdesk.views.models import AnyIndex, Column, ObjectRole, ObjectTableModel
from sprintdesk.views.widgets import ChoicePicker, person_choices, person_text


class ColumnDelegate(QStyledItemDelegate):
    """Editors per :class:`Column`: a line edit for text, a :class:`ChoicePicker` for choices."""

    def __init__(self, model: ObjectTableModel, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        column = self._model.columns[index.column()]
        if column.editor == "choice" and column.choices is not None:
            picker = ChoicePicker(column.choices(), parent=parent)
            picker.setObjectName(f"cellPicker_{index.column()}")
            picker.valuePicked.connect(lambda _value, p=picker: self._commit_and_close(p))
            return picker
        return super().createEditor(parent, option, index)

    def _commit_and_close(self, picker: ChoicePicker) -> None:
        self.commitData.emit(picker)
        self.closeEditor.emit(picker, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if isinstance(editor, ChoicePicker):
            editor.set_value(index.data(Qt.ItemDataRole.EditRole))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: AnyIndex) -> None:
        if isinstance(editor, ChoicePicker):
            value = editor.value()
            if index.data(Qt.ItemDataRole.EditRole) != value:
                model.setData(index, value, Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)


# Up to this many rows a table shows them all at their wrapped height and the page scrolls.
# Beyond, measuring every row (Qt lays out each row's text) would block the window for seconds
# (3,000 priorities: 5 s; 60,000: minutes), so the table becomes a scrolling list of one-line
# rows of one fixed height: Qt then positions a row by arithmetic and draws only those on
# screen, whatever the count. The full text of a row is in its tooltip and its editor.
LARGE_TABLE_ROWS = 200
LARGE_TABLE_VISIBLE_ROWS = 20  # the height a large table asks for; it takes what the page has


class ReorderTableView(QTableView):
    """A table whose rows move by drag and drop or Alt+Up/Down and are deleted with Delete.

    Small tables grow to show every row (the page scrolls); a table of more than
    :data:`LARGE_TABLE_ROWS` rows scrolls itself (see :meth:`fit_to_rows`).

    Signals:
        moveRequested(int, int): move a row from the first index to the second.
        deleteRequested(list): delete these row objects.
    """

    moveRequested = Signal(int, int)
    deleteRequested = Signal(list)

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        # Tab goes on to the next control of the page (the arrows move between cells): with
        # Qt's default, Tab cycles through the cells and the keyboard can never leave.
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setHighlightSections(False)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.can_move = False
        self.can_delete = False
        self.large = False

    def setModel(self, model: Any) -> None:
        # Before the view sees the rows: sizing them the small way first would be the freeze.
        self.fit_to_rows(model.rowCount() if model is not None else 0)
        super().setModel(model)

    def fit_to_rows(self, count: int) -> None:
        """Show every row at its wrapped height, or (beyond :data:`LARGE_TABLE_ROWS` rows)
        scroll one-line rows of a fixed height."""
        large = count > LARGE_TABLE_ROWS
        if large == self.large:
            return
        self.large = large
        rows = self.verticalHeader()
        if large:
            rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            rows.setDefaultSectionSize(self.fontMetrics().height() + 10)
            self.setWordWrap(False)
            self.setTextElideMode(Qt.TextElideMode.ElideRight)
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
            self.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustIgnored)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            # Columns sized to their contents look at the rows on screen, not at all of them.
            self.horizontalHeader().setResizeContentsPrecision(0)
        else:
            rows.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            self.setWordWrap(True)
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
            self.horizontalHeader().setResizeContentsPrecision(-1)
        self.updateGeometry()

    def _rows_height(self, rows: int | None = None) -> int:
        header = self.horizontalHeader()
        body = (
            self.verticalHeader().length()
            if rows is None
            else rows * self.verticalHeader().defaultSectionSize()
        )
        return (
            (header.sizeHint().height() if not header.isHidden() else 0)
            + body
            + 2 * (self.frameWidth())
        )

    def sizeHint(self) -> QSize:
        # Small: exactly the rows (the page scrolls, the table does not). Large: a screenful.
        height = self._rows_height(LARGE_TABLE_VISIBLE_ROWS if self.large else None)
        return QSize(super().sizeHint().width(), height)

    def minimumSizeHint(self) -> QSize:
        # QAbstractScrollArea's own minimum leaves room for scroll bars a small table never
        # shows; a large one needs room for a few rows at least.
        if self.large:
            return QSize(super().minimumSizeHint().width(), self._rows_height(8))
        return QSize(super().minimumSizeHint().width(), self.sizeHint().height())

    def set_reorderable(self, on: bool) -> None:
        self.can_move = on
        self.setDragEnabled(on)
        self.setAcceptDrops(on)
        self.setDropIndicatorShown(on)
        self.setDragDropMode(
            QAbstractItemView.DragDropMode.InternalMove
            if on
            else QAbstractItemView.DragDropMode.NoDragDrop
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() != QAbstractItemView.State.EditingState:
            key = event.key()
            alt = event.modifiers() & Qt.KeyboardModifier.AltModifier
            row = self.currentIndex().row()
            if alt and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                if self.can_move and row >= 0:
                    target = row - 1 if key == Qt.Key.Key_Up else row + 1
                    if 0 <= target < self.model().rowCount():
                        self.moveRequested.emit(row, target)
                event.accept()
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.can_delete:
                rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
                if not rows and row >= 0:
                    rows = [row]
                objs = [self.model().index(r, 0).data(ObjectRole) for r in rows]
                if objs:
                    self.deleteRequested.emit(objs)
                event.accept()
                return
        super().keyPressEvent(event)

    def dropEvent(self, event: Any) -> None:
        self.handle_drop(event, source_is_self=event.source() is self)

    def handle_drop(self, event: Any, *, source_is_self: bool) -> None:
        """Handle an internal move ourselves (one undoable step), so that
        QAbstractItemView does not also remove the dragged rows (the drop reports no action)."""
        if not self.can_move or not source_is_self:
            event.ignore()
            return
        source = self.currentIndex().row()
        target_index = self.indexAt(event.position().toPoint())
        target = target_index.row() if target_index.isValid() else self.model().rowCount() - 1
        if source >= 0 and target >= 0 and source != target:
            self.moveRequested.emit(source, target)
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()


class EditableTable(QWidget):
    """An :class:`ObjectTableModel` in a :class:`ReorderTableView`, with an "add" line below.

    Type in the add line and press Enter to add; Delete removes the selected rows; Alt+Up/Down
    and drag and drop reorder. ``add``, ``remove`` and ``move`` do the (undoable) edits.
    """

    def __init__(
        self,
        model: ObjectTableModel,
        *,
        name: str,
        add: Callable[[str], None] | None = None,
        remove: Callable[[list[Any]], None] | None = None,
        move: Callable[[int, int], None] | None = None,
        add_placeholder: str = "",
        empty_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.model = model
        self._add = add
        self._remove = remove
        self._move = move
        self._presentation = False
        self._restore: list[Any] = []
        self._current: tuple[Any, int] | None = None
        self.held = False  # see hold()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.view = ReorderTableView(parent=self)
        self.view.setObjectName(f"{name}View")
        self.view.setAccessibleName(name)
        self.view.setModel(model)
        # Growing past the limit: scroll before the rows arrive (measuring them all first was
        # the freeze). Shrinking: after the reset, when only the few rows are left to measure.
        model.before_reset = lambda count: (
            self.view.fit_to_rows(count) if count > LARGE_TABLE_ROWS else None
        )
        self.view.setItemDelegate(ColumnDelegate(model, parent=self.view))
        self.view.set_reorderable(move is not None)
        self.view.can_delete = remove is not None
        header = self.view.horizontalHeader()
        for i, column in enumerate(model.columns):
            header.setSectionResizeMode(
                i,
                QHeaderView.ResizeMode.Stretch
                if column.stretch
                else QHeaderView.ResizeMode.ResizeToContents,
            )
        self.view.moveRequested.connect(self._on_move)
        self.view.deleteRequested.connect(self._on_delete)
        layout.addWidget(self.view)

        self.empty_label = QLabel(empty_text, self)
        self.empty_label.setObjectName(f"{name}Empty")
        self.empty_label.setProperty("role", "placeholder")
        italic = self.empty_label.font()
        italic.setItalic(True)
        self.empty_label.setFont(italic)
        layout.addWidget(self.empty_label)

        self.add_line = QLineEdit(self)
        self.add_line.setObjectName(f"{name}Add")
        self.add_line.setAccessibleName(add_placeholder or name)
        self.add_line.setPlaceholderText(add_placeholder)
        self.add_line.setClearButtonEnabled(True)
        self.add_line.returnPressed.connect(self._on_add)
        layout.addWidget(self.add_line)

        model.modelAboutToBeReset.connect(self._remember)
        model.modelReset.connect(self._restore_selection)
        self._update_chrome()

    # --- behaviour --------------------------------------------------------------------------

    def _on_add(self) -> None:
        text = self.add_line.text().strip()
        if not text or self._add is None:
            return
        self._add(text)
        self.add_line.clear()

    def _on_delete(self, objs: list[Any]) -> None:
        if self._remove is not None and objs:
            self._remove(objs)

    def _on_move(self, old: int, new: int) -> None:
        if self._move is None:
            return
        obj = self.model.object_at(old)
        self._move(old, new)
        row = self.model.row_of(obj)
        if row >= 0:
            self.view.setCurrentIndex(
                self.model.index(row, max(self.view.currentIndex().column(), 0))
            )

    def _remember(self) -> None:
        selection = self.view.selectionModel()
        rows = sorted({i.row() for i in selection.selectedRows()}) if selection else []
        self._restore = [self.model.object_at(r) for r in rows if r < self.model.rowCount()]
        current = self.view.currentIndex()
        self._current = (
            (self.model.object_at(current.row()), current.column())
            if current.isValid() and current.row() < self.model.rowCount()
            else None
        )

    def _restore_selection(self) -> None:
        selection = self.view.selectionModel()
        if self._current is not None:
            row = self.model.row_of(self._current[0])
            if row >= 0:
                self.view.setCurrentIndex(self.model.index(row, self._current[1]))
        if selection is not None:
            for obj in self._restore:
                row = self.model.row_of(obj)
                if row >= 0:
                    selection.select(
                        self.model.index(row, 0),
                        selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                    )
        self._restore = []
        self._current = None
        self._update_chrome()

    def refresh(self) -> None:
        self.held = False
        self.model.refresh()
        self._update_chrome()

    def hold(self) -> None:
        """Show nothing (no rows, no "empty" text) until the next :meth:`refresh`: a page
        filling its tables over several turns shows a table only once it has its rows."""
        self.held = True
        self._update_chrome()

    def set_presentation(self, on: bool) -> None:
        self._presentation = on
        # The presentation theme may not style the alternate row colour: plain rows read best.
        self.view.setAlternatingRowColors(not on)
        self._update_chrome()

    def _update_chrome(self) -> None:
        self.add_line.setVisible(not self._presentation and self._add is not None)
        self.view.fit_to_rows(self.model.rowCount())
        self.setSizePolicy(self.view.sizePolicy())
        empty = self.model.rowCount() == 0
        self.empty_label.setVisible(empty and not self.held)
        self.view.setVisible(not empty and not self.held)
        self.view.set_reorderable(self._move is not None and not self._presentation)
        self.view.updateGeometry()


def collection_table(
    doc: PlanDocument,
    *,
    name: str,
    columns: Sequence[Column],
    collection: Callable[[], list[Any]],
    keep: Callable[[Any], bool] | None = None,
    factory: Callable[[str], Any] | None = None,
    movable: bool = True,
    removable: bool = True,
    what: str = "item",
    add_placeholder: str = "",
    empty_text: str = "",
    remove_rows: Callable[[list[Any]], None] | None = None,
    parent: QWidget | None = None,
) -> EditableTable:
    """An :class:`EditableTable` over the rows of a relationship list that ``keep`` selects.

    New rows go after the last kept row, so lists sharing one collection (retro kinds, team
    item kinds) stay grouped; moves and deletes translate to the whole collection.
    ``remove_rows`` replaces the plain (undoable) delete when deleting means more.
    """

    def rows() -> list[Any]:
        if keep is None:
            return list(collection())
        return [obj for obj in collection() if keep(obj)]

    model = ObjectTableModel(columns, rows, movable=movable)

    def add(text: str) -> None:
        assert factory is not None
        coll = collection()
        kept = rows()
        index = coll.index(kept[-1]) + 1 if kept else len(coll)
        doc.insert_row(coll, factory(text), index, f"Add {what}")

    def remove(objs: list[Any]) -> None:
        coll = collection()
        doc.undo_stack.beginMacro(f"Delete {what}" if len(objs) == 1 else f"Delete {what}s")
        try:
            for obj in objs:
                if obj in coll:
                    doc.remove_row(coll, obj, f"Delete {what}")
        finally:
            doc.undo_stack.endMacro()

    def move(old: int, new: int) -> None:
        coll = collection()
        current = model.objects()
        doc.move_row(coll, coll.index(current[old]), coll.index(current[new]), f"Move {what}")

    return EditableTable(
        model,
        name=name,
        add=add if factory is not None else None,
        remove=(remove_rows or remove) if removable else None,
        move=move if movable else None,
        add_placeholder=add_placeholder,
        empty_text=empty_text,
        parent=parent,
    )


def person_column(
    doc: PlanDocument,
    people: Callable[[], Sequence[Person]],
    *,
    header: str = "Owner",
    attr: str = "owner",
    engineers_only: bool = False,
) -> Column:
    """An owner column: shows the name, edits with a person picker."""

    def commit(obj: Any, person_id: Any) -> None:
        person = doc.session.get(Person, person_id) if person_id is not None else None
        if person is not None and engineers_only and not person.is_engineer:
            return
        doc.set_attr(obj, attr, person, f"Set {header.lower()}")

    return Column(
        header,
        display=lambda obj: person_text(getattr(obj, attr)),
        edit_value=lambda obj: getattr(obj, f"{attr}_id"),
        commit=commit,
        editor="choice",
        choices=lambda: person_choices(people(), engineers_only=engineers_only),
    )


def text_column(doc: PlanDocument, header: str, attr: str, *, what: str) -> Column:
    return Column(
        header,
        display=lambda obj: getattr(obj, attr) or "",
        commit=lambda obj, value: doc.set_attr(obj, attr, value, f"Edit {what}"),
        tooltip=lambda obj: getattr(obj, attr) or "",  # a long list shows one line of it
        stretch=True,
    )
