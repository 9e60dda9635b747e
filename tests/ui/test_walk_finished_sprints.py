"""Finished sprints read as finished (issue 14 walk-through, finding 12): the demo's older
sprints had their meeting and were published, and a database from an older SprintDesk kept
"published" as the state of a sprint whose meeting ran (without a start time). Neither says
"Ctrl+Enter starts the meeting", and resuming never wipes the times the meeting recorded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy import select

from sprintdesk.plan.model import Sprint
from sprintdesk.plan.vocabulary import SprintState
from sprintdesk.storage.store import Store
from sprintdesk.ui.main_window import MainWindow
from tests.clocks import FakeClock

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


@pytest.fixture
def fake() -> FakeClock:
    return FakeClock()


def _window(qtbot, store: Store, ui_settings: QSettings, fake: FakeClock) -> MainWindow:
    win = MainWindow(store, monotonic=fake.monotonic, wall=fake.time, settings=ui_settings)
    qtbot.addWidget(win)
    win.resize(1280, 720)
    win.show()
    qtbot.waitExposed(win)
    return win


def _open(window: MainWindow, name: str) -> None:
    picker = window.sprint_picker
    index = next(i for i in range(picker.count()) if picker.itemText(i).startswith(name))
    picker.setCurrentIndex(index)
    assert window.doc.sprint is not None and window.doc.sprint.name == name
    window.tick()


def _oldest(store: Store) -> tuple[str, list[float]]:
    with store.session() as session:
        sprint = session.scalars(select(Sprint).order_by(Sprint.start)).first()
        assert sprint is not None
        return sprint.name, [s.actual_seconds for s in sprint.sections]


@pytest.fixture
def older_database(demo_store: Store) -> Iterator[Store]:
    """The oldest demo sprint as an older SprintDesk left it: state "published" after its
    meeting ran, no meeting start time kept."""
    with demo_store.unit_of_work() as session:
        sprint = session.scalars(select(Sprint).order_by(Sprint.start)).first()
        assert sprint is not None
        sprint.state = SprintState.PUBLISHED.value
        sprint.meeting_started_at = None
        sprint.meeting_ended_at = None
    yield demo_store


def test_the_demos_finished_and_published_sprint_reads_finished(
    qtbot, demo_store: Store, ui_settings, fake
) -> None:
    name, _actuals = _oldest(demo_store)
    with demo_store.session() as session:
        sprint = session.scalars(select(Sprint).where(Sprint.name == name)).one()
        assert sprint.published_at is not None and sprint.meeting_started_at is not None
        assert sprint.meeting_ended_at is not None
    window = _window(qtbot, demo_store, ui_settings, fake)
    _open(window, name)
    mode = window.header.mode_label.text()
    assert "starts the meeting" not in mode
    assert "Meeting over" in mode and "published" in mode
    assert window.act_start_meeting.text() == "Resume meeting"


def test_an_older_databases_published_sprint_reads_finished_and_keeps_its_times(
    qtbot, older_database: Store, ui_settings, fake
) -> None:
    name, actuals = _oldest(older_database)
    assert any(actuals)
    window = _window(qtbot, older_database, ui_settings, fake)
    _open(window, name)
    mode = window.header.mode_label.text()
    assert "starts the meeting" not in mode
    assert "Meeting over" in mode and "published" in mode
    assert window.act_start_meeting.text() == "Resume meeting"
    window.act_start_meeting.trigger()  # resuming keeps what the meeting recorded
    assert window.clock is not None and window.clock.in_meeting
    sections = window.doc.sprint.sections
    assert [s.actual_seconds for s in sections[1:]] == actuals[1:]
