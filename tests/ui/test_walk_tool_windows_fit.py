"""Tool windows fit the screen they open on (issue 14 walk-through, finding 13): Roster,
Capacity, History and Availability are never wider or taller than the screen's available area
(the main window's first-start rule), and Capacity's names column shows each person's line
("hero 5 days · 3 days off") whole."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QWidget

from sprintdesk.plan.capacity import PersonCapacity
from sprintdesk.storage.store import Store
from sprintdesk.ui.main_window import MainWindow
from sprintdesk.views.availability import AvailabilityDialog
from sprintdesk.views.capacity import CapacityView
from sprintdesk.views.charts import LABEL_PX, font_px

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")

FRAME = 40  # title bar and borders the window manager adds


@pytest.fixture
def window(qtbot, demo_store: Store, tmp_path: Path) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(demo_store, settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def _fits(widget: QWidget) -> bool:
    screen = widget.screen()
    assert screen is not None
    area = screen.availableGeometry()
    geometry = widget.geometry()
    return (
        geometry.width() <= area.width()
        and geometry.height() + FRAME <= area.height()
        and area.contains(geometry.topLeft())
    )


@pytest.mark.parametrize(
    "opener, name",
    [
        ("open_roster", "rosterWindow"),
        ("open_capacity", "capacityWindow"),
        ("open_history", "historyWindow"),
    ],
)
def test_tool_windows_fit_the_available_screen(
    qtbot, window: MainWindow, opener: str, name: str
) -> None:
    getattr(window.features, opener)()
    frame = next(w for w in window.findChildren(QWidget) if w.isWindow() and w.objectName() == name)
    qtbot.waitExposed(frame)
    assert _fits(frame), (frame.geometry(), frame.screen().availableGeometry())
    frame.close()


def test_availability_fits_the_available_screen(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def exec_(dialog: AvailabilityDialog) -> int:
        seen.append(_fits(dialog))
        return 0

    monkeypatch.setattr(AvailabilityDialog, "exec", exec_)
    window.features.open_availability()
    assert seen == [True]


def test_capacity_names_column_holds_each_persons_line(qtbot, doc_for, demo_store: Store):
    view = CapacityView(doc_for(demo_store))
    qtbot.addWidget(view)
    # Tomasz at the walk-through: a short name over a long line, which was cut on the left.
    tomasz = PersonCapacity(
        person_id=1, name="Tomasz Nowak", role="engineer", working_days=10, share=0.5,
        days_off=3, hero_days=5,
    )  # fmt: skip
    view.chart.set_rows([tomasz])
    line = view.chart._subtitle(tomasz)
    assert line == "50% · hero 5 days · 3 days off"
    small = QFontMetricsF(font_px(LABEL_PX - 1))
    assert small.horizontalAdvance(line) <= view.chart.label_width(1100) - 12
