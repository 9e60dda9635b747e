"""Two real windows on one PostgreSQL team database (two stores, two engines, two roles): who is
here, leaving and sleeping, and the meeting followed from the second seat, taking over asked."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from sprintdesk.plan.demo import load_demo
from sprintdesk.plan.model import Sprint
from sprintdesk.storage.store import Store, open_store
from sprintdesk.ui.agenda_model import COL_TITLE
from sprintdesk.ui.main_window import MainWindow
from tests.audio import SKIP_REASON
from tests.pg import PgCluster

pytestmark = pytest.mark.postgresql

WAIT_MS = 10_000  # generous: six engineers share two cores


@pytest.fixture
def sound_server(silent_sound_server: str | None) -> str:
    if silent_sound_server is None:
        if os.environ.get("CI") == "true":
            pytest.fail(SKIP_REASON)
        pytest.skip(SKIP_REASON)
    return silent_sound_server


def _role(cluster: PgCluster, name: str) -> None:
    cluster.execute(
        f"DO $$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}') THEN "
        f"CREATE ROLE {name} LOGIN SUPERUSER PASSWORD 'pw-{name}'; END IF; END$$"
    )


@pytest.fixture
def seats(
    qtbot, pg_cluster: PgCluster, pg_database: str, tmp_path: Path, monkeypatch
) -> Iterator[tuple[MainWindow, MainWindow]]:
    """Ana's and Ben's windows on the same draft sprint, each on its own role and engine."""
    setup = open_store(pg_database)
    with setup.unit_of_work() as session:
        load_demo(session)
        for sprint in session.scalars(select(Sprint)):
            sprint.state = "draft"  # the newest sprint opens; no "reopen?" question
    setup.close()
    database = pg_database.rsplit("/", 1)[1]
    yes = QMessageBox.StandardButton.Yes
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: yes)
    stores: list[Store] = []
    windows: list[MainWindow] = []
    for name in ("ana", "ben"):
        _role(pg_cluster, name)
        store = open_store(pg_cluster.url(database, user=name, password=f"pw-{name}"))
        stores.append(store)
        settings = QSettings(str(tmp_path / f"{name}.ini"), QSettings.Format.IniFormat)
        # Ben's laptop clock is five minutes fast: the meeting must not show it.
        skew = 300.0 if name == "ben" else 0.0
        window = MainWindow(store, settings=settings, wall=laptop_clock(skew))
        qtbot.addWidget(window)
        window.show()
        windows.append(window)
    ana, ben = windows
    assert ana.doc.sprint is not None and ben.doc.sprint is not None
    assert ana.doc.sprint.id == ben.doc.sprint.id
    yield ana, ben
    for window in windows:
        window.close()
    for store in stores:
        store.close()


def laptop_clock(skew: float) -> Callable[[], float]:
    return lambda: time.time() + skew


def together(window: MainWindow):
    assert window.plan_session.together is not None
    return window.plan_session.together


def pick(window: MainWindow, row: int) -> None:
    """Click a section in the agenda, as the person would."""
    window.agenda_view.selectionModel().setCurrentIndex(
        window.agenda_model.index(row, COL_TITLE),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def test_each_window_shows_who_else_is_here_and_where(qtbot, seats) -> None:
    ana, ben = seats
    label = together(ana).label
    assert label.objectName() == "whoIsHere" and label.accessibleName() == "Who is here"
    first = ben.displayed
    assert first is not None
    qtbot.waitUntil(lambda: f"Also here: ben ({first.title})" in label.text(), timeout=WAIT_MS)
    assert label.isVisibleTo(ana)
    pick(ben, 2)
    moved = ben.displayed
    assert moved is not None and moved is not first
    # Ben moving is announced: Ana sees it long before her next heartbeat.
    qtbot.waitUntil(lambda: f"ben ({moved.title})" in label.text(), timeout=WAIT_MS)
    assert "ana" in together(ben).label.text()


def test_a_window_that_closes_leaves_at_once(qtbot, seats) -> None:
    ana, ben = seats
    label = together(ana).label
    qtbot.waitUntil(lambda: "ben" in label.text(), timeout=WAIT_MS)
    ben.close()
    qtbot.waitUntil(lambda: label.isHidden(), timeout=WAIT_MS)
    assert together(ana).tracker.others == []


def test_a_sleeping_laptop_drops_out_by_the_servers_clock(qtbot, seats) -> None:
    ana, ben = seats
    tracker = together(ana).tracker
    qtbot.waitUntil(lambda: [s.name for s in tracker.others] == ["ben"], timeout=WAIT_MS)
    # Short times for the test; the real ones keep "gone within a minute".
    tracker.expiry = 1.0
    tracker._timer.setInterval(200)
    together(ben).tracker.suspend()  # asleep: no more heartbeats, no goodbye
    qtbot.waitUntil(lambda: tracker.others == [], timeout=WAIT_MS)
    assert together(ana).label.isHidden()


def test_the_meeting_is_followed_from_the_other_seat(qtbot, seats) -> None:
    ana, ben = seats
    qtbot.waitUntil(lambda: together(ben).tracker.beats > 0, timeout=WAIT_MS)
    ana.meeting.start_meeting()
    assert together(ana).tracker.is_facilitator
    qtbot.waitUntil(lambda: together(ben).following, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: ben.clock is not None and ben.clock.running, timeout=WAIT_MS)
    assert ana.clock is not None and ben.clock is not None
    assert ben.clock.following and not ana.clock.following
    # Both computed from the stored start instant on the server's clock: the same countdown,
    # although Ben's laptop clock is five minutes ahead of Ana's.
    assert abs(ana.clock.reading().elapsed - ben.clock.reading().elapsed) < 0.5
    assert ben.header.section_title.text() == ana.header.section_title.text()
    assert "ana runs the clock" in together(ben).label.text()

    ben.set_presentation(True)  # following on the big screen
    ana.meeting.next_section()
    target = ana.clock.current
    assert target is not None
    qtbot.waitUntil(lambda: ben.displayed is not None and ben.displayed.id == target.id,
                    timeout=WAIT_MS)  # fmt: skip
    assert ben.clock.current is not None and ben.clock.current.id == target.id
    assert ben.header.section_title.text() == ana.header.section_title.text()
    ana.meeting.toggle_clock()  # paused
    qtbot.waitUntil(lambda: not ben.clock.running, timeout=WAIT_MS)
    assert ben.header.countdown.text() == ana.header.countdown.text()


def test_a_follower_browsing_does_not_move_the_meeting(qtbot, seats) -> None:
    ana, ben = seats
    qtbot.waitUntil(lambda: together(ben).tracker.beats > 0, timeout=WAIT_MS)
    ana.meeting.start_meeting()
    qtbot.waitUntil(lambda: together(ben).following and ben.clock.running, timeout=WAIT_MS)
    assert ana.clock is not None and ben.clock is not None
    current = ana.clock.current
    pick(ben, 3)
    assert ben.displayed is not current and ben.clock.current is not None
    assert ben.clock.current.id == current.id  # looking is not moving the clock
    ben.doc.save_now()
    ana.doc.reload()
    assert ana.clock.current is not None and ana.clock.current.id == current.id


def test_taking_over_asks_then_swaps_the_roles(qtbot, seats, monkeypatch) -> None:
    ana, ben = seats
    qtbot.waitUntil(lambda: together(ben).tracker.beats > 0, timeout=WAIT_MS)
    ana.meeting.start_meeting()
    qtbot.waitUntil(lambda: together(ben).following and ben.clock.running, timeout=WAIT_MS)
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    ben.meeting.toggle_clock()  # Space: asked, and "no" leaves Ana driving
    assert asked and "Take over from ana?" in asked[0]
    assert ben.clock.running and together(ben).following
    answer = QMessageBox.StandardButton.Yes
    ben.meeting.toggle_clock()
    assert together(ben).tracker.is_facilitator and not ben.clock.running
    # Ana's window follows Ben's from now on: paused, and asked if she presses Space.
    qtbot.waitUntil(lambda: together(ana).following, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: not ana.clock.running, timeout=WAIT_MS)
    assert "ben runs the clock" in together(ana).label.text()


def test_the_seat_left_alone_in_a_running_meeting_takes_the_clock(qtbot, seats) -> None:
    ana, ben = seats
    qtbot.waitUntil(lambda: together(ben).tracker.beats > 0, timeout=WAIT_MS)
    ana.meeting.start_meeting()
    qtbot.waitUntil(lambda: together(ben).following and ben.clock.running, timeout=WAIT_MS)
    # Short times for the test: the real beat is every 15 s, the clock taken after 15 s.
    together(ben).tracker._timer.setInterval(200)
    together(ben).take_after = 0.5
    ana.close()  # the facilitator's window closes (or restarts) mid-meeting
    qtbot.waitUntil(lambda: together(ben).tracker.is_facilitator, timeout=WAIT_MS)
    assert ben.clock is not None and not ben.clock.following and ben.clock.running
    ben.meeting.next_section()  # no "take over?" question: nobody else drives
    assert together(ben).tracker.is_facilitator


def test_a_facilitator_whose_lease_lapsed_is_replaced(qtbot, seats, monkeypatch) -> None:
    ana, ben = seats
    qtbot.waitUntil(lambda: together(ben).tracker.beats > 0, timeout=WAIT_MS)
    ana.meeting.start_meeting()
    qtbot.waitUntil(lambda: together(ben).following and ben.clock.running, timeout=WAIT_MS)
    asked: list[object] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a))
    tracker = together(ben).tracker
    # Short times for the test; the real lease lapses after EXPIRY_SECONDS without a beat.
    tracker.expiry = 1.0
    tracker._timer.setInterval(200)
    together(ben).take_after = 0.5
    together(ana).tracker.suspend()  # Ana's laptop sleeps: her seat and lease stay, stale
    qtbot.waitUntil(lambda: tracker.is_facilitator, timeout=WAIT_MS)
    assert not ben.clock.following and asked == []
    # Ana's laptop wakes: her next heartbeat finds the clock Ben's, and her window follows
    # (it banks no time over his when it closes).
    sleeper = together(ana).tracker
    sleeper._stopped = False
    sleeper.beat()
    qtbot.waitUntil(lambda: together(ana).following, timeout=WAIT_MS)
    assert ana.clock is not None and ana.clock.following


def test_only_the_facilitators_window_chimes(qtbot, seats, sound_server) -> None:
    ana, ben = seats
    assert ana.doc.sprint is not None
    first = ana.doc.sprint.sections[0]
    ana.doc.set_attr(first, "timebox_seconds", 1)  # time's up a second after the start
    assert ana.doc.save_now()
    qtbot.waitUntil(lambda: ben.doc.sprint.sections[0].timebox_seconds == 1, timeout=WAIT_MS)
    ana.meeting.start_meeting()
    qtbot.waitUntil(lambda: together(ben).following and ben.clock.running, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: ana.chimes == 1, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: ben.clock.reading().phase.value == "overrun", timeout=WAIT_MS)
    ben.meeting.tick()  # the follower's repaint in the overrun
    assert ben.header.countdown.text().startswith("+")
    assert ben.chimes == 0 and ben.meeting.sound().effect is None  # not even loaded


def test_a_late_comer_with_a_wrong_clock_joins_the_running_meeting(
    qtbot, seats, pg_cluster: PgCluster, tmp_path: Path
) -> None:
    """Ana starts the meeting and leaves; Cleo, whose laptop clock is five minutes fast, opens
    the sprint: her countdown is measured on the server's time from her first heartbeat."""
    ana, ben = seats
    qtbot.waitUntil(lambda: together(ana).tracker.beats > 0, timeout=WAIT_MS)
    ana.meeting.start_meeting()
    ana.close()
    _role(pg_cluster, "cleo")
    database = ben.plan_session.store.url.rsplit("/", 1)[1]
    store = open_store(pg_cluster.url(database, user="cleo", password="pw-cleo"))
    settings = QSettings(str(tmp_path / "cleo.ini"), QSettings.Format.IniFormat)
    cleo = MainWindow(store, settings=settings, wall=laptop_clock(-300.0))
    qtbot.addWidget(cleo)
    try:
        assert cleo.clock is not None and cleo.clock.running
        qtbot.waitUntil(lambda: together(cleo).tracker.beats > 0, timeout=WAIT_MS)
        assert together(cleo).tracker.facilitator is None  # Ana left: nobody drives now
        assert cleo.clock.following  # nobody drove for TAKE_AFTER_SECONDS yet
        assert cleo.clock.reading().elapsed < 60  # not five minutes less than nothing
        assert cleo.clock.reading().elapsed > 0
    finally:
        cleo.close()
        store.close()
