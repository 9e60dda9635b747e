"""The dialog for a new sprint: blank from a template, or the next one after the open sprint
(its goals become outcomes to review, its teams' items the retro, name and dates suggested)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.plan.planning import (
    PlanError,
    create_sprint,
    find_sprint,
    start_next_sprint,
    suggest_next,
    suggest_next_dates,
)
from sprintdesk.plan.templates import TEMPLATES, get_template
from sprintdesk.storage.store import Store, StoreError
from sprintdesk.views.dates import pydate, qdate
from sprintdesk.views.wording import tr_n


class SprintDialog(QDialog):
    """``previous_id`` set: start the sprint after it; else a blank sprint from a template.
    After ``exec()`` returns Accepted, ``sprint_id`` is the new sprint's id."""

    def __init__(
        self, store: Store, *, previous_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.previous_id = previous_id
        self.sprint_id: int | None = None
        self.setObjectName("sprintDialog")
        self.name = QLineEdit()
        self.name.setObjectName("sprintName")
        self.name.setAccessibleName(self.tr("Sprint name"))
        self.start = QDateEdit()
        self.start.setObjectName("sprintStart")
        self.start.setAccessibleName(self.tr("First day"))
        self.end = QDateEdit()
        self.end.setObjectName("sprintEnd")
        self.end.setAccessibleName(self.tr("Last day"))
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd d MMM yyyy")
        self.template = QComboBox()
        self.template.setObjectName("sprintTemplate")
        self.template.setAccessibleName(self.tr("Template"))
        for template in TEMPLATES.values():
            self.template.addItem(template.label, template.name)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("sprintDialogError")
        self.error.setStyleSheet("color: #c62828; font-weight: 600;")
        self.error.setWordWrap(True)
        self.error.hide()

        form = QFormLayout()
        form.addRow(self.tr("&Name:"), self.name)
        form.addRow(self.tr("&First day:"), self.start)
        form.addRow(self.tr("&Last day:"), self.end)
        form.addRow(self.tr("&Template:"), self.template)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("sprintDialogButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.description)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.template.currentIndexChanged.connect(self._describe)
        self.setMinimumWidth(480)
        self._prefill()

    def _prefill(self) -> None:
        if self.previous_id is None:
            self.setWindowTitle(self.tr("New sprint"))
            start, end = suggest_next_dates(None, None)
            self.start.setDate(qdate(start))
            self.end.setDate(qdate(end))
            self._describe()
            return
        with self.store.session() as session:
            previous = find_sprint(session, str(self.previous_id))
            suggestion = suggest_next(previous)
            self.setWindowTitle(self.tr("Start the sprint after %1").replace("%1", previous.name))
            index = self.template.findData(previous.template)
            goals, teams = len(previous.goals), len(previous.team_plans)
        self.name.setText(suggestion.name)
        self.start.setDate(qdate(suggestion.start))
        self.end.setDate(qdate(suggestion.end))
        self.template.setCurrentIndex(max(index, 0))
        self.template.setEnabled(False)
        goals_text = tr_n(
            "SprintDialog",
            "Its %n goals become outcomes to review",
            goals,
            one="Its %n goal becomes an outcome to review",
        )
        teams_text = tr_n(
            "SprintDialog",
            "the %n teams' high and low priority items their retro",
            teams,
            one="the team's high and low priority items its retro",
        )
        self.description.setText(
            self.tr("%1, and %2. Unfinished items can be carried over (🔁).")
            .replace("%1", goals_text)
            .replace("%2", teams_text)
        )

    def _describe(self) -> None:
        if self.previous_id is None:
            self.description.setText(get_template(self.template.currentData()).description)

    def accept(self) -> None:
        name = self.name.text()
        start, end = pydate(self.start.date()), pydate(self.end.date())
        try:
            with self.store.unit_of_work() as session:
                if self.previous_id is None:
                    sprint = create_sprint(
                        session, name, start, end, template=self.template.currentData()
                    )
                else:
                    previous = find_sprint(session, str(self.previous_id))
                    sprint = start_next_sprint(session, previous, name=name, start=start, end=end)
                session.flush()
                self.sprint_id = sprint.id
        except (PlanError, StoreError) as exc:
            self.error.setText(str(exc))  # the dialog stays open with what was typed
            self.error.show()
            return
        super().accept()
