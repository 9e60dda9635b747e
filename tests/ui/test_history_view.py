"""The history page (sprintdesk.views.history): the five charts on the demo data, the window of
sprints, tooltips, and PNG export of every chart."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog, QPushButton

from sprintdesk.plan.model import Team
from sprintdesk.plan.planning import create_sprint
from sprintdesk.storage.store import Store
from sprintdesk.views.charts import GREEN, RED, BarChart, Series, nice_ticks
from sprintdesk.views.history import CHART_KEYS, HistoryView

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def test_charts_show_the_demo_history(doc_for, qtbot, demo_store: Store) -> None:
    view = HistoryView(doc_for(demo_store))
    qtbot.addWidget(view)
    charts = view.charts
    assert set(charts) == set(CHART_KEYS)
    outcomes = charts["outcomes"]
    assert outcomes.categories == ["4.11.0 1/2", "4.11.0 2/2", "4.12.0 1/2"]
    assert [s.name for s in outcomes.series] == [
        "Finished",
        "In progress",
        "Won't finish",
        "Not started",
    ]
    assert outcomes.summary().splitlines()[1] == (
        "4.11.0 2/2: Finished 2, In progress 0, Won't finish 0, Not started 1"
    )
    assert charts["carried"].annotations == ["0/3", "0/3", "0/3", "1/2"]
    assert charts["confidence"].categories == ["Certain", "Likely", "Moonshot"]
    assert charts["confidence"].annotations[2] == "0% (0/3)"
    assert "Lena Kowalski" in charts["owners"].categories
    meeting = charts["meeting"]
    assert [s.name for s in meeting.series] == ["Planned", "Actual"]
    assert meeting.series[0].values[0] == 10.0 and meeting.series[1].values[0] == 9.5
    assert view.status.text() == "4 of 4 sprints"
    assert outcomes.accessibleDescription() == outcomes.summary()


def test_window_and_tooltips(doc_for, qtbot, store: Store) -> None:
    with store.unit_of_work() as session:
        session.add(Team(name="Core"))
        start = date(2024, 1, 1)
        for i in range(25):
            create_sprint(
                session,
                f"S{i:02}",
                start + timedelta(weeks=2 * i),
                start + timedelta(weeks=2 * i, days=11),
            )
    view = HistoryView(doc_for(store))
    qtbot.addWidget(view)
    view.resize(1200, 900)
    view.show()
    qtbot.waitExposed(view)
    carried = view.charts["carried"]
    assert len(carried.categories) == 20 and carried.categories[-1] == "S24"
    view.set_window(10)
    assert carried.categories[0] == "S15"
    assert view.status.text() == "10 of 25 sprints"
    view.set_window(None)
    assert len(carried.categories) == 25
    # No goals anywhere: the charts say so instead of drawing empty axes.
    assert not view.charts["outcomes"].has_data()
    assert "No reviewed sprints yet" in view.charts["outcomes"].summary()
    carried.repaint()
    assert carried.category_at(QPointF(-5, -5)) is None


def test_bar_chart_paints_and_hovers(qtbot) -> None:
    chart = BarChart("Outcomes", stacked=True, integer=True)
    qtbot.addWidget(chart)
    chart.resize(600, 400)
    chart.set_data(
        ["A", "B"],
        [Series("Finished", GREEN, [3, 0]), Series("Won't finish", RED, [1, 2])],
        tooltips=["A: 3 finished", "B: 0 finished"],
    )
    image = chart.grab().toImage()
    colours = {QColor(image.pixel(x, y)).name() for x in range(0, 600, 3) for y in range(0, 400, 3)}
    assert GREEN.name() in colours and RED.name() in colours
    # Hover: the left half is category A, the right half B.
    hit_a = chart.category_at(QPointF(150, 250))
    hit_b = chart.category_at(QPointF(500, 250))
    assert (hit_a, hit_b) == (0, 1)
    assert chart.tooltip_for(1) == "B: 0 finished"


def test_nice_ticks() -> None:
    assert nice_ticks(3, integer=True) == [0, 1, 2, 3]
    assert nice_ticks(1, integer=True) == [0, 1]
    assert nice_ticks(1.0) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(23)[-1] >= 23
    assert nice_ticks(0) == [0, 1]


@pytest.mark.parametrize("key", CHART_KEYS)
def test_every_chart_exports_a_valid_png(
    doc_for, qtbot, tmp_path, demo_store: Store, key: str
) -> None:
    view = HistoryView(doc_for(demo_store))
    qtbot.addWidget(view)
    path = tmp_path / f"{key}.png"
    assert view.export_chart(key, path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(path))
    assert not image.isNull()
    assert image.size() == QSize(1800, 1000)  # 2x the default export size, crisp on slides
    # Not blank: the bars' colours are in the picture.
    colours = {
        QColor(image.pixel(x, y)).name() for x in range(0, 1800, 7) for y in range(0, 1000, 7)
    }
    assert len(colours) > 3


def test_export_button_asks_for_a_file(
    doc_for, qtbot, tmp_path, monkeypatch, demo_store: Store
) -> None:
    view = HistoryView(doc_for(demo_store))
    qtbot.addWidget(view)
    target = tmp_path / "outcomes-chart"  # no suffix: .png is added
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(target), "PNG images (*.png)")),
    )
    button = view.findChild(QPushButton, "export-outcomes")
    assert button is not None
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    written = tmp_path / "outcomes-chart.png"
    assert written.exists() and not QImage(str(written)).isNull()
    assert view.status.text() == f"Saved {written}"
    # Cancelling writes nothing.
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    view.ask_export("owners")
    assert not (tmp_path / "owners.png").exists()
