"""The history page: how the last sprints went, as five charts read at a glance, each
exportable as PNG (data from :mod:`sprintdesk.plan.history`).

Signals: none.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.history import History, HistorySource, Rate
from sprintdesk.plan.model import Status
from sprintdesk.views.charts import (
    AMBER,
    BLUE,
    GREEN,
    GREY,
    LIGHT_BLUE,
    PURPLE,
    RED,
    BarChart,
    Series,
    font_px,
)
from sprintdesk.views.wording import tr_n

STATUS_COLORS = {
    Status.FINISHED: GREEN,
    Status.IN_PROGRESS: AMBER,
    Status.WONT_FINISH: RED,
    Status.NOT_STARTED: GREY,
}
WINDOWS: list[int | None] = [10, 20, 50, None]
DEFAULT_WINDOW = 20
CHART_KEYS = ("outcomes", "carried", "confidence", "owners", "meeting")


class HistoryView(QWidget):
    """Charts across sprints: outcomes per sprint, carried-over goals, hit rate by confidence,
    meeting time per section and hit rate per owner."""

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setObjectName("historyView")
        self.setAccessibleName(self.tr("Sprint history"))
        self.source: HistorySource | None = None
        self.history: History | None = None

        self.heading = QLabel(self.tr("Sprint history"))
        self.heading.setFont(font_px(24, bold=True))
        self.window_box = QComboBox()
        self.window_box.setObjectName("historyWindow")
        self.window_box.setAccessibleName(self.tr("Sprints shown"))
        for count in WINDOWS:
            label = self.tr("Last %n sprints", "", count) if count else self.tr("All sprints")
            self.window_box.addItem(label, count)
        self.window_box.setCurrentIndex(WINDOWS.index(DEFAULT_WINDOW))
        self.window_box.currentIndexChanged.connect(self._rebuild)
        self.status = QLabel()
        self.status.setObjectName("historyStatus")

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addStretch(1)
        top.addWidget(self.status)
        top.addWidget(QLabel(self.tr("Show:")))
        top.addWidget(self.window_box)

        self.charts: dict[str, BarChart] = {
            "outcomes": BarChart(
                self.tr("Goal outcomes per sprint"),
                stacked=True,
                integer=True,
                empty_text=self.tr(
                    "No reviewed sprints yet: outcomes appear once a sprint's "
                    "goals are reviewed in the next meeting."
                ),
            ),
            "carried": BarChart(
                self.tr("Carried-over goals per sprint"),
                integer=True,
                empty_text=self.tr("No goal has been carried over."),
            ),
            "confidence": BarChart(
                self.tr("Hit rate by confidence"),
                horizontal=True,
                percent=True,
                empty_text=self.tr("No reviewed goals yet."),
            ),
            "meeting": BarChart(
                self.tr("Meeting time per section (average minutes)"),
                horizontal=True,
                unit="",
                empty_text=self.tr("No meeting has been timed yet."),
            ),
            "owners": BarChart(
                self.tr("Hit rate per owner"),
                horizontal=True,
                percent=True,
                empty_text=self.tr("No reviewed goals yet."),
            ),
        }
        grid = QGridLayout()
        grid.setSpacing(12)
        # Per-sprint charts side by side, then the two hit rates, then meeting time full width
        # (its section names are long).
        places = {
            "outcomes": (0, 0, 1),
            "carried": (0, 1, 1),
            "confidence": (1, 0, 1),
            "owners": (1, 1, 1),
            "meeting": (2, 0, 2),
        }
        for key in CHART_KEYS:
            chart = self.charts[key]
            chart.setObjectName(f"chart-{key}")
            row, column, span = places[key]
            grid.addWidget(self._card(key, chart), row, column, 1, span)
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.refresh()

    def _card(self, key: str, chart: BarChart) -> QWidget:
        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(card)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(chart, 1)
        button = QPushButton(self.tr("Export PNG…"))
        button.setObjectName(f"export-{key}")
        button.setAccessibleName(self.tr("Export “%1” as PNG").replace("%1", chart.title))
        button.clicked.connect(lambda: self.ask_export(key))
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(button)
        box.addLayout(row)
        return card

    # --- data --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the history again from the database (after a sprint changed)."""
        with self.doc.read() as session:
            self.source = HistorySource.load(session)
        self._rebuild()

    def set_window(self, count: int | None) -> None:
        self.window_box.setCurrentIndex(WINDOWS.index(count))

    def _rebuild(self) -> None:
        assert self.source is not None
        history = self.source.history(last=self.window_box.currentData())
        self.history = history
        self.status.setText(
            tr_n(
                "HistoryView", "%1 of %n sprints", self.source.sprint_count, one="%1 of %n sprint"
            ).replace("%1", str(len(history.sprints)))
        )
        reviewed = [row for row in history.sprints if row.reviewed]
        self.charts["outcomes"].set_data(
            [row.name for row in reviewed],
            [
                Series(
                    self._status_name(status),
                    STATUS_COLORS[status],
                    [float(row.statuses[status]) for row in reviewed],
                )
                for status in STATUS_COLORS
            ],
            tooltips=[
                f"{row.name}: "
                + ", ".join(
                    f"{row.statuses[s]} {self._status_name(s).lower()}" for s in STATUS_COLORS
                )
                for row in reviewed
            ],
        )
        self.charts["carried"].set_data(
            [row.name for row in history.sprints],
            [
                Series(
                    self.tr("Carried over"),
                    PURPLE,
                    [float(row.carried_over) for row in history.sprints],
                )
            ],
            tooltips=[
                tr_n(
                    "HistoryView",
                    "%1: %2 of %n goals were carried over",
                    row.goals,
                    one="%1: %2 of %n goal was carried over",
                )
                .replace("%1", row.name)
                .replace("%2", str(row.carried_over))
                for row in history.sprints
            ],
            annotations=[
                f"{row.carried_over}/{row.goals}" if row.goals else "" for row in history.sprints
            ],
        )
        self._set_rates("confidence", history.hit_by_confidence, BLUE, capitalise=True)
        self._set_rates("owners", history.hit_by_owner, BLUE)
        times = history.section_times
        self.charts["meeting"].set_data(
            [t.title for t in times],
            [
                Series(self.tr("Planned"), LIGHT_BLUE, [t.planned_seconds / 60 for t in times]),
                Series(self.tr("Actual"), BLUE, [t.actual_seconds / 60 for t in times]),
            ],
            tooltips=[
                self.tr("%1: planned %2 min, took %3 min on average over %4 meetings")
                .replace("%1", t.title)
                .replace("%2", f"{t.planned_seconds / 60:.1f}")
                .replace("%3", f"{t.actual_seconds / 60:.1f}")
                .replace("%4", str(t.meetings))
                for t in times
            ],
        )

    def _set_rates(
        self, key: str, rates: list[Rate], color: QColor, *, capitalise: bool = False
    ) -> None:
        shown = [r for r in rates if r.total]
        self.charts[key].set_data(
            [r.label.capitalize() if capitalise else r.label for r in shown],
            [Series(self.tr("Finished"), color, [r.rate or 0.0 for r in shown])],
            tooltips=[r.describe() for r in shown],
            annotations=[f"{r.rate:.0%} ({r.finished}/{r.total})" for r in shown],
        )

    def _status_name(self, status: Status) -> str:
        return {
            Status.FINISHED: self.tr("Finished"),
            Status.IN_PROGRESS: self.tr("In progress"),
            Status.WONT_FINISH: self.tr("Won't finish"),
            Status.NOT_STARTED: self.tr("Not started"),
        }[status]

    # --- export ------------------------------------------------------------------------

    def export_chart(self, key: str, path: str | Path) -> bool:
        """Write one chart as a PNG (twice the on-screen size, for slides)."""
        return self.charts[key].export_png(path)

    def ask_export(self, key: str) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Export chart as PNG"), f"{key}.png", self.tr("PNG images (*.png)")
        )
        if not path:
            return
        if not path.lower().endswith(".png"):
            path += ".png"
        if self.export_chart(key, path):
            self.status.setText(self.tr("Saved %1").replace("%1", path))
        else:
            self.status.setText(self.tr("Could not write %1").replace("%1", path))
