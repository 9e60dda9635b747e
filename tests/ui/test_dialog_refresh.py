"""Pages show current data after a dialog wrote to the database (issue 14, item 7): the team
page's "Other time off" field kept its saved text after Availability closed."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from sprintdesk.plan.model import TeamPlan
from sprintdesk.storage.store import Store
from sprintdesk.ui.main_window import MainWindow
from sprintdesk.views.availability import AvailabilityDialog
from tests.clocks import FakeClock

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_team_page_keeps_other_time_off_after_availability_closes(
    qtbot: Any, demo_store: Store, ui_settings: QSettings
) -> None:
    clock = FakeClock()
    window = MainWindow(
        demo_store, monotonic=clock.monotonic, wall=clock.time, settings=ui_settings
    )
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.clock is not None)
    # In the meeting, on a team's section (the page the window shows again after the dialog).
    window.start_meeting()
    assert window.clock is not None
    while window.clock.current is None or window.clock.current.kind != "team":
        window.next_section()
    section = window.clock.current
    qtbot.waitUntil(lambda: window.displayed is section)

    def shown_field() -> QLineEdit | None:
        field = window.findChild(QLineEdit, "timeOffNote")
        return field if field is not None and field.isVisible() else None

    qtbot.waitUntil(lambda: shown_field() is not None)  # pages are built after the first paint
    field = shown_field()
    assert field is not None
    field.setFocus()
    qtbot.keyClicks(field, "Kim at a conference")

    added: list[bool] = []

    def add_days_off_and_close() -> None:
        dialog = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, AvailabilityDialog)
        )
        added.append(dialog.editor.add_days_off())
        dialog.reject()

    QTimer.singleShot(0, add_days_off_and_close)
    window.features.open_availability()
    assert added == [True]

    field = window.findChild(QLineEdit, "timeOffNote")
    assert field is not None and field.isVisible()
    assert field.text() == "Kim at a conference"
    with demo_store.session() as session:
        plan = session.get(TeamPlan, section.team_plan_id)
        assert plan is not None and plan.time_off_note == "Kim at a conference"
    # The page still edits the plan: typing more is saved too.
    qtbot.keyClicks(field, " (Tue)")
    assert window.doc.save_now()
    with demo_store.session() as session:
        plan = session.get(TeamPlan, section.team_plan_id)
        assert plan is not None and plan.time_off_note == "Kim at a conference (Tue)"
