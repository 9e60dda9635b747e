"""F1: a table of every action that has a key (every meeting action has one), and a note
naming the keys that drive the meeting from anywhere, even while typing in a field."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.ui.clock_header import named
from sprintdesk.ui.window_actions import ANYWHERE_KEYS


class ShortcutsDialog(QDialog):
    """F1: every action that has a key, in one table."""

    def __init__(self, actions: list[QAction], *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        rows = [a for a in actions if a.shortcuts()]
        self.table = named(QTableWidget(len(rows), 2, self), "shortcutsTable")
        self.table.setAccessibleName(self.tr("Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([self.tr("Action"), self.tr("Keys")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for row, action in enumerate(rows):
            name = action.text().replace("&", "")
            keys = ", ".join(
                s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
            )
            self.table.setItem(row, 0, QTableWidgetItem(name))
            self.table.setItem(row, 1, QTableWidgetItem(keys))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.resizeColumnToContents(1)
        self.anywhere = named(QLabel(self._anywhere_text(actions)), "anywhereKeys")
        self.anywhere.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.anywhere)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.resize(520, 600)

    def _anywhere_text(self, actions: list[QAction]) -> str:
        """Which keys work from any field, and that the others give way to a field using them."""
        by_name = {a.objectName(): a for a in actions}
        native = QKeySequence.SequenceFormat.NativeText
        keys = [
            self.tr("{key} ({action})").format(
                key=QKeySequence(key).toString(native),
                action=by_name[name].text().replace("&", ""),
            )
            for name, key in ANYWHERE_KEYS.items()
            if name in by_name
        ]
        return self.tr(
            "From any field, even while typing: {keys}. The other meeting keys (Space, "
            "PgUp/PgDown, +, Ctrl+Left/Right) go to the field with the focus when it uses them: "
            "a text field moves by word with Ctrl+Right, a list box opens with Space."
        ).format(keys=", ".join(keys))
