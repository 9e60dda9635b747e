"""The outcomes page: each of the previous sprint's goals with its owner and target, a status
(🟢 🟡 🔴 ⚪), a note and a carry-over toggle that adds the 🔁 goal to this sprint."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.editing.document import PlanDocument
from sprintdesk.editing.lists import snapshot_edit
from sprintdesk.plan.model import OutcomeReview, Status
from sprintdesk.plan.planning import carried_goal, carried_goal_edits, set_carry_over
from sprintdesk.views.base import SectionPage
from sprintdesk.views.cards import Card, CardColumn
from sprintdesk.views.widgets import BoundLineEdit, ChoicePicker, status_choices


class OutcomeCard(Card):
    """One reviewed goal."""

    def __init__(self, page: OutcomesPage, outcome: OutcomeReview) -> None:
        super().__init__(page.body)
        self.page = page
        self.doc = page.doc
        self.outcome = outcome
        self.setObjectName("outcomeCard")
        grid = self.framed_grid()
        frame = self.frame
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)

        self.title = QLabel(frame)
        self.title.setObjectName("outcomeTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        grid.addWidget(self.title, 0, 0, 1, 3)

        self.details = QLabel(frame)
        self.details.setObjectName("outcomeDetails")
        self.details.setWordWrap(True)
        grid.addWidget(self.details, 1, 0, 1, 3)

        self.status = ChoicePicker(status_choices(), parent=frame)
        self.status.setObjectName("statusPicker")
        self.status.setAccessibleName(self.tr("Status of {0}").format(outcome.title))
        self.status.valuePicked.connect(self._on_status)
        grid.addWidget(self.status, 2, 0)

        self.note = BoundLineEdit(
            self.doc,
            "note",
            label=self.tr("Outcome note"),
            placeholder=self.tr("Note…"),
            parent=frame,
        )
        self.note.setObjectName("outcomeNote")
        grid.addWidget(self.note, 2, 1)

        self.carry = QCheckBox(self.tr("🔁 Carry over"), frame)
        self.carry.setObjectName("carryOver")
        self.carry.setAccessibleName(self.tr("Carry {0} over").format(outcome.title))
        self.carry.setToolTip(self.tr("Add this goal to the new sprint, marked 🔁"))
        self.carry.clicked.connect(self._on_carry)
        grid.addWidget(self.carry, 2, 2)
        grid.setColumnStretch(1, 1)
        self.note.bind(outcome)

    def update_from_model(self) -> None:
        outcome = self.outcome
        mark = "🔁 " if outcome.was_carried else ""
        self.title.setText(f"{mark}{outcome.title}")
        owner = outcome.owner.name if outcome.owner is not None else self.tr("no owner")
        parts = [self.tr("Owner: {0}").format(owner)]
        if outcome.target:
            parts.append(self.tr("Target: {0}").format(outcome.target))
        self.details.setText("   ·   ".join(parts))
        self.status.set_value(outcome.status)
        self.note.update_from_model()
        if self.carry.isChecked() != bool(outcome.carry_over):
            self.carry.setChecked(bool(outcome.carry_over))
        if self.property("status") != outcome.status:
            self.setProperty("status", outcome.status)

    def set_presentation(self, on: bool) -> None:
        self.note.set_presentation(on)

    def _on_status(self, value: str) -> None:
        self.doc.set_attr(
            self.outcome, "status", Status(value).value, self.tr("Set status of an outcome")
        )

    def _on_carry(self, checked: bool) -> None:
        if not checked and not self._may_uncarry():
            self.carry.setChecked(True)
            return
        self.set_carry(checked)

    def _may_uncarry(self) -> bool:
        """Unticking removes the 🔁 goal: if it was edited since, say what goes and ask."""
        sprint = self.doc.sprint
        goal = carried_goal(sprint, self.outcome) if sprint is not None else None
        edits = carried_goal_edits(goal, self.outcome) if goal is not None else []
        if not edits:
            return True
        names = {
            "title": self.tr("title"),
            "description": self.tr("description"),
            "owner": self.tr("owner"),
            "target": self.tr("target"),
            "why": self.tr("why"),
            "confidence": self.tr("confidence"),
            "team": self.tr("team"),
            "contributors": self.tr("contributors"),
        }
        answer = QMessageBox.question(
            self,
            self.tr("Do not carry over"),
            self.tr(
                "The carried goal “{title}” was edited since (its {fields}). Not carrying it "
                "over removes it from this sprint's goals, with those edits (Ctrl+Z brings "
                "it back)."
            ).format(title=self.outcome.title, fields=", ".join(names.get(e, e) for e in edits)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def set_carry(self, carry: bool) -> None:
        sprint = self.doc.sprint
        if sprint is None or bool(self.outcome.carry_over) == carry:
            return
        outcome = self.outcome
        snapshot_edit(
            self.doc,
            self.tr("Carry over “{0}”").format(outcome.title)
            if carry
            else self.tr("Do not carry over “{0}”").format(outcome.title),
            sprint.goals,
            lambda: set_carry_over(sprint, outcome, carry),
            attrs=[(outcome, "carry_over")],
        )


class OutcomesPage(SectionPage):
    """Review of the previous sprint's goals (cards kept and built as in
    :class:`~sprintdesk.views.cards.CardColumn`)."""

    page_name = "outcomesPage"

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent=parent)
        self.cards_layout = QVBoxLayout()
        self.body_layout.addLayout(self.cards_layout)
        self.column: CardColumn[OutcomeCard] = CardColumn(
            self.scroll_area,
            self.cards_layout,
            make=self._make_card,
            update=lambda card: card.update_from_model(),
            parent=self,
        )
        self.empty = QLabel(self.tr("No goals from the previous sprint to review."), self.body)
        self.empty.setObjectName("outcomesEmpty")
        self.body_layout.addWidget(self.empty)
        self.body_layout.addStretch(1)

    @property
    def cards(self) -> list[OutcomeCard]:
        return self.column.cards

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 - a Qt override
        """Tab walks the cards in the order they are shown (see ``CardColumn.tab_target``)."""
        target = self.column.tab_target(QApplication.focusWidget(), next)
        if target is None:
            return super().focusNextPrevChild(next)
        reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        target.setFocus(reason)
        self.scroll_area.ensureWidgetVisible(target)
        return True

    def _make_card(self, outcome: OutcomeReview) -> OutcomeCard:
        card = OutcomeCard(self, outcome)
        card.set_presentation(self.presentation)
        return card

    def refresh(self) -> None:
        sprint = self.sprint
        assert sprint is not None
        outcomes = list(sprint.outcomes)
        self.column.set_objects(outcomes)
        self.empty.setVisible(not outcomes)
