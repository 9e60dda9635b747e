"""The summary page: time planned against actual time per agenda section (overruns in red, with
the word "over"), and every finding of the plan checks. While the meeting's clock runs, the
running section counts with its time so far, so the total agrees with the header's."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractScrollArea,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QWidget,
)

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import AgendaSection
from sprintdesk.plan.rules import Severity
from sprintdesk.views.base import SectionPage
from sprintdesk.views.models import SectionTimesModel, format_seconds
from sprintdesk.views.widgets import FindingsBox, section_heading
from sprintdesk.views.wording import tr_n


class SummaryPage(SectionPage):
    """Read-only overview of the meeting and of the plan's problems."""

    page_name = "summaryPage"

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent=parent)
        self.body_layout.addWidget(section_heading(self.tr("⏱ Time per section"), parent=self.body))
        self.times_model = SectionTimesModel(parent=self)
        self.times = QTableView(self.body)
        self.times.setObjectName("sectionTimes")
        self.times.setAccessibleName(self.tr("Time planned and actual per section"))
        self.times.setModel(self.times_model)
        self.times.verticalHeader().setVisible(False)
        # One line per section: fixed row heights spare sizing every row on each layout pass.
        self.times.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.times.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(SectionTimesModel.HEADERS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.times.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.times.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.times.setShowGrid(False)
        self.times.setTabKeyNavigation(False)  # Tab moves on to the next control
        self.times.setAlternatingRowColors(True)
        self._fit(self.times)
        self.body_layout.addWidget(self.times)
        self.overrun = QLabel(self.body)
        self.overrun.setObjectName("overrunSummary")
        self.overrun.setWordWrap(True)
        self.body_layout.addWidget(self.overrun)

        self.findings_heading = section_heading(self.tr("🩺 Plan checks"), parent=self.body)
        self.body_layout.addWidget(self.findings_heading)
        self.findings_box = FindingsBox(at_once=20, parent=self.body)
        self.findings_box.setObjectName("allFindings")
        self.body_layout.addWidget(self.findings_box)
        self.no_findings = QLabel(self.tr("✅ No problems found."), self.body)
        self.no_findings.setObjectName("noFindings")
        self.body_layout.addWidget(self.no_findings)
        self.body_layout.addStretch(1)

    def pending_work(self) -> bool:
        return super().pending_work() or self.findings_box.pending()

    def finish_pending(self) -> None:
        super().finish_pending()
        self.findings_box.finish()

    @staticmethod
    def _fit(view: QAbstractScrollArea) -> None:
        view.setVerticalScrollBarPolicy(view.verticalScrollBarPolicy().ScrollBarAlwaysOff)
        view.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)

    def follow_clock(self, elapsed: Callable[[AgendaSection], float] | None) -> None:
        """Count each section's time with the meeting clock's ``elapsed`` (the running
        section's time so far included); the window calls this on every tick while the page
        is on screen. None: the time banked."""
        self.times_model.set_elapsed(elapsed)
        if self.sprint is not None and self.times_model.sections():
            self._show_times()

    def refresh(self) -> None:
        self._show_times()
        findings = self.findings()
        if self.findings_pending():  # shown an instant later, after the page is painted
            self.findings_heading.setText(self.tr("🩺 Plan checks: checking…"))
            self.no_findings.setVisible(False)
            self._fit_rows()
            return
        findings.sort(key=lambda f: f.severity != Severity.ERROR)
        self.findings_box.set_findings(findings)
        errors = sum(1 for f in findings if f.severity == Severity.ERROR)
        self.findings_heading.setText(
            self.tr("🩺 Plan checks: {0}, {1}").format(
                tr_n("SummaryPage", "%n errors", errors, one="%n error"),
                tr_n("SummaryPage", "%n warnings", len(findings) - errors, one="%n warning"),
            )
        )
        self.no_findings.setVisible(not findings)
        self._fit_rows()

    def _show_times(self) -> None:
        sprint = self.sprint
        assert sprint is not None
        sections = list(sprint.sections)
        if [id(s) for s in sections] != [id(s) for s in self.times_model.sections()]:
            self.times_model.set_sections(sections)
        else:
            self.times_model.refresh()
        # Whole seconds, as the table counts them: the sum here is the sum of its red figures.
        overruns = [
            self.times_model.spent(s) - s.timebox_seconds - s.extension_seconds
            for s in sections
            if s.visited
        ]
        over = [o for o in overruns if o > 0]
        total_over = sum(over)
        self.overrun.setText(
            tr_n(
                "SummaryPage",
                "%n sections ran over, {0} in all.",
                len(over),
                one="%n section ran over, {0} in all.",
            ).format(format_seconds(total_over))
            if over
            else ""
        )
        self.overrun.setVisible(bool(over))

    def _fit_rows(self) -> None:
        self.times.ensurePolished()  # the theme's font (large when presenting)
        height = self.times.fontMetrics().lineSpacing() + 10
        header = self.times.verticalHeader()
        if header.defaultSectionSize() != height:
            header.setDefaultSectionSize(height)
        self.times.updateGeometry()

    def apply_presentation(self) -> None:
        super().apply_presentation()
        # The presentation theme may not style the alternate row colour: plain rows read best.
        self.times.setAlternatingRowColors(not self.presentation)
        self._fit_rows()
