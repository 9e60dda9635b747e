"""The capacity page (sprintdesk.views.capacity) on the demo data and on a hand-built sprint."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF
from PySide6.QtGui import QColor, QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QToolTip
from sqlalchemy import select

from sprintdesk.plan.capacity import LoadLevel
from sprintdesk.plan.model import Person, Sprint, Team
from sprintdesk.plan.planning import create_sprint
from sprintdesk.storage.store import Store
from sprintdesk.views.capacity import LEVEL_COLORS, PAD, ROW_H, CapacityView

# The offscreen platform cannot raise windows or pass size hints; that is not our concern.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def _current_id(store: Store) -> int:
    with store.session() as session:
        sprint = session.scalars(select(Sprint).order_by(Sprint.start.desc())).first()
        assert sprint is not None
        return sprint.id


def _row_centre(view: CapacityView, index: int) -> QPoint:
    return QPoint(view.chart.width() // 2, int(PAD + 34 + index * ROW_H + ROW_H / 2))


def _colours_in_row(image: QImage, y: int) -> set[str]:
    return {QColor(image.pixel(x, y)).name() for x in range(image.width())}


def test_one_bar_per_person_coloured_by_load(doc_for, qtbot, demo_store: Store) -> None:
    view = CapacityView(doc_for(demo_store))
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show_sprint(_current_id(demo_store))
    view.show()
    qtbot.waitExposed(view)
    names = [row.name for row in view.rows]
    assert len(names) == 8 and "Jun Watanabe" in names
    assert "Over-allocated: Jun Watanabe (+2 days), Lena Kowalski" in view.summary.text()
    assert "4.12.0 2/2" in view.heading.text() and "10 working days" in view.heading.text()
    image = view.chart.grab().toImage()
    for index, row in enumerate(view.rows):
        y = int(_row_centre(view, index).y() * image.devicePixelRatio())
        colours = _colours_in_row(image, y)
        if row.level == LoadLevel.IDLE:
            assert LEVEL_COLORS[LoadLevel.OK].name() not in colours
            assert LEVEL_COLORS[LoadLevel.OVER].name() not in colours
        else:
            assert LEVEL_COLORS[row.level].name() in colours, row.name


def test_hover_explains_the_numbers(doc_for, qtbot, demo_store: Store) -> None:
    view = CapacityView(doc_for(demo_store))
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show_sprint(_current_id(demo_store))
    view.show()
    qtbot.waitExposed(view)
    index = next(i for i, r in enumerate(view.rows) if r.name == "Jun Watanabe")
    pos = _row_centre(view, index)
    text = view.chart.tooltip_at(QPointF(pos))
    assert "support hero (Pipeline, week 2)" in text
    assert "owns goal “Partition the sessions table”" in text
    assert "Over-allocated by 2 days." in text
    event = QHelpEvent(QEvent.Type.ToolTip, pos, view.chart.mapToGlobal(pos))
    QApplication.sendEvent(view.chart, event)
    assert QToolTip.text() == text
    QToolTip.hideText()
    assert view.chart.tooltip_at(QPointF(5, 3)) == ""


def test_refresh_follows_changes_and_undated_sprints_say_so(doc_for, qtbot, store: Store) -> None:
    with store.unit_of_work() as session:
        session.add(Team(name="Core", members=[Person(name="Ana")]))
        session.flush()
        dated = create_sprint(session, "Dated", date(2025, 3, 3), date(2025, 3, 14))
        undated = create_sprint(session, "Undated")
        session.flush()
        dated_id, undated_id = dated.id, undated.id
    view = CapacityView(doc_for(store))
    qtbot.addWidget(view)
    view.show_sprint(dated_id)
    assert [(r.name, r.capacity) for r in view.rows] == [("Ana", 10.0)]
    assert "Nobody is over-allocated" in view.summary.text()
    with store.unit_of_work() as session:
        sprint = session.get(Sprint, dated_id)
        assert sprint is not None
        sprint.end = date(2025, 3, 7)
    view.refresh()
    assert view.rows[0].capacity == 5.0
    view.show_sprint(undated_id)
    assert view.rows == []
    assert "no dates yet" in view.summary.text()
    view.show_sprint(99999)
    assert "no longer exists" in view.summary.text()


def test_export_png(doc_for, qtbot, tmp_path, demo_store: Store) -> None:
    view = CapacityView(doc_for(demo_store))
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show_sprint(_current_id(demo_store))
    path = tmp_path / "capacity.png"
    assert view.export_png(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(path))
    assert (image.width(), image.height()) == (900, 600)
