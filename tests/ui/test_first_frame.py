"""The window's first frame (the sprint read straight from the file, before the store opens)
against what the window shows once the store is open: the same title, picker, agenda, clock
and notes, read-only until then, and the editable page in its place afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QWidget
from sqlalchemy import select

from sprintdesk.plan.model import SectionKind, Sprint, SprintState
from sprintdesk.storage.opening import PREVIEW_ITEMS, read_opening
from sprintdesk.storage.store import Store
from sprintdesk.ui.first_paint import FirstPaint
from sprintdesk.ui.main_window import MainWindow
from tests.clocks import FakeClock
from tests.ui.window_support import open_in

HISTORY_COLUMN = 2  # suggestions from history come with the store


@pytest.fixture
def windows() -> Iterator[list[MainWindow]]:
    made: list[MainWindow] = []
    yield made
    for window in made:
        window.close()


def _first_frame(qtbot, db_url: str, settings: QSettings, fake: FakeClock, made) -> MainWindow:
    window = MainWindow(
        opening=read_opening(db_url),
        staged=True,
        monotonic=fake.monotonic,
        wall=fake.time,
        settings=settings,
    )
    qtbot.addWidget(window)
    made.append(window)
    window.resize(1280, 800)
    painted: list[bool] = []
    window.call_after_first_paint(lambda: painted.append(True))
    window.show()
    qtbot.waitUntil(lambda: bool(painted))  # as run_gui: the rest waits for the first paint
    return window


def _seen(window: MainWindow) -> dict[str, object]:
    """Everything the first frame and the opened window should agree on."""
    picker = window.findChild(QComboBox, "sprintPicker")
    model = window.agenda_view.model()
    cells = [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]
    for row in cells:
        row[HISTORY_COLUMN] = None
    header = window.header
    return {
        "title": window.windowTitle(),
        "picker": [(picker.itemText(i), picker.itemData(i)) for i in range(picker.count())],
        "picked": picker.currentText(),
        "agenda": cells,
        "selected row": window.agenda_view.currentIndex().row(),
        "section": header.section_title.text(),
        "mode": header.mode_label.text(),
        "countdown": header.countdown.text(),
        "meeting": header.meeting_elapsed.text(),
        "phase": header.phase,
        "times up": header.times_up.isVisible(),
        "clock actions": [(a.text(), a.isEnabled()) for a in window.clock_actions],
        "meeting button": (header.meeting_button.text(), header.meeting_button.isEnabled()),
        "notes": window.notes.toPlainText(),
    }


def _open(qtbot, window: MainWindow, db_url: str) -> None:
    window.complete()
    assert open_in(window, db_url)
    qtbot.waitUntil(lambda: window.findChild(QWidget, "openingPage") is None)


def _overrun_meeting_on_goals(store: Store, fake: FakeClock) -> tuple[str, str, list[str]]:
    """The latest sprint in a running meeting, overrunning its goals section."""
    from sprintdesk.plan.meeting import MeetingClock

    with store.unit_of_work() as session:
        sprint = session.scalars(
            select(Sprint).order_by(Sprint.start.desc().nulls_last(), Sprint.id.desc())
        ).first()
        assert sprint is not None
        sprint.facilitator_notes = "Ask Dana about the billing freeze."
        clock = MeetingClock(sprint, monotonic=fake.monotonic, wall=fake.time)
        clock.start_meeting()
        goals = next(s for s in sprint.sections if s.kind == SectionKind.GOALS.value)
        clock.go_to(goals)
        clock.start()
        fake.advance(goals.timebox_seconds + 75)
        clock.checkpoint()
        return (
            sprint.name,
            goals.title,
            [("🔁 " if g.carried_over else "") + g.title for g in sprint.goals],
        )


def test_the_first_frame_shows_what_the_opened_window_shows(
    qtbot, demo_store: Store, db_url: str, ui_settings: QSettings, windows
) -> None:
    fake = FakeClock()
    name, goals_title, goal_titles = _overrun_meeting_on_goals(demo_store, fake)
    assert goal_titles
    window = _first_frame(qtbot, db_url, ui_settings, fake, windows)

    first = _seen(window)
    assert first["title"] == f"SprintDesk — {name}"
    assert first["section"] == goals_title
    assert str(first["countdown"]).startswith("+1:1")  # 75 s over, however long it took
    assert first["phase"] == "overrun" and first["times up"] is True
    assert first["notes"] == "Ask Dana about the billing freeze."
    page = window.pages.currentWidget()
    assert page.objectName() == "openingPage"
    texts = [label.text() for label in page.findChildren(QLabel)]
    assert goals_title in texts
    # Each goal's card: its title, then its owner, why and target (lines cut to the width).
    drawn = page.drawn
    shown = min(len(goal_titles), PREVIEW_ITEMS)
    assert drawn[0::2][:shown] == goal_titles[:shown]
    assert all(line.startswith("Owner: ") for line in drawn[1::2][:shown])
    # Read-only until the store is open: nothing typed there could be overwritten.
    assert window.notes.isReadOnly()
    assert not window.findChild(QComboBox, "sprintPicker").isEnabled()

    _open(qtbot, window, db_url)
    assert window.clock is not None and window.clock.in_meeting
    opened = _seen(window)
    assert opened == first
    assert window.pages.currentWidget().objectName() == "goalsPage"
    assert not window.notes.isReadOnly()
    assert window.findChild(QComboBox, "sprintPicker").isEnabled()
    assert window.statusBar().currentMessage() == ""


def test_a_draft_opens_on_its_first_section(
    qtbot, demo_store: Store, db_url: str, ui_settings: QSettings, windows
) -> None:
    fake = FakeClock()
    window = _first_frame(qtbot, db_url, ui_settings, fake, windows)
    first = _seen(window)
    assert first["selected row"] == 0
    assert "Draft" in str(first["mode"])
    assert not any(enabled for _text, enabled in first["clock actions"])  # type: ignore[attr-defined]
    _open(qtbot, window, db_url)
    assert window.doc.sprint is not None
    assert window.doc.sprint.state == SprintState.DRAFT.value
    assert _seen(window) == first
    # The notes are editable now, and what is typed is saved.
    window.notes.setFocus()
    window.notes.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(window.notes, "Timebox the retro.")
    qtbot.waitUntil(lambda: window.doc.state == "saved")
    with demo_store.session() as session:
        sprint = session.get(Sprint, window.doc.sprint.id)
        assert sprint is not None and sprint.facilitator_notes.endswith("Timebox the retro.")


def test_no_sprint_yet_then_the_welcome_page(
    qtbot, store: Store, db_url: str, ui_settings: QSettings, windows
) -> None:
    window = _first_frame(qtbot, db_url, ui_settings, FakeClock(), windows)
    assert window.windowTitle() == "SprintDesk"
    _open(qtbot, window, db_url)
    assert window.central.currentWidget().objectName() == "welcomePage"


def test_without_a_readable_file_the_window_opens_as_before(
    qtbot, tmp_path: Path, ui_settings: QSettings, windows
) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert read_opening(url) is None
    window = _first_frame(qtbot, url, ui_settings, FakeClock(), windows)
    assert window.pages.currentWidget().objectName() == "pageLoading"
    _open(qtbot, window, url)
    assert window.central.currentWidget().objectName() == "welcomePage"
    QApplication.processEvents()


def test_a_store_before_complete_is_refused(qtbot, store: Store, ui_settings: QSettings) -> None:
    window = MainWindow(staged=True, settings=ui_settings)
    qtbot.addWidget(window)
    with pytest.raises(RuntimeError, match="complete"):
        window.attach_store(store)


def test_the_keys_are_bound_once_the_window_is_complete(qtbot, ui_settings: QSettings) -> None:
    """The first frame binds no key (a key sequence's type costs start-up time); complete(),
    just after the first paint, binds every action's keys, the platform's standard ones too."""
    from PySide6.QtGui import QKeySequence

    window = MainWindow(staged=True, settings=ui_settings)
    qtbot.addWidget(window)
    assert [a.objectName() for a in window.actions() if a.shortcuts()] == []
    window.complete()
    keys = {a.objectName(): [k.toString() for k in a.shortcuts()] for a in window.actions()}
    assert keys["toggleClock"] == ["Space", "F8"]
    assert keys["facilitatorNotesToggle"] == ["Ctrl+Shift+N"]
    assert keys["quit"] == ["Ctrl+Q"]
    undo = [k.toString() for k in QKeySequence.keyBindings(QKeySequence.StandardKey.Undo)]
    assert keys["undo"] == undo and undo


def test_the_first_frame_wears_the_theme_where_it_shows(
    qtbot, ui_settings: QSettings, windows
) -> None:
    """Before complete() the base theme sits on the clock header and the start banner only
    (a style sheet on the whole window slows its first paint); they look as they do under the
    window's sheet, which complete() puts in place."""
    from sprintdesk.ui.themes import theme

    window = MainWindow(staged=True, settings=ui_settings)
    qtbot.addWidget(window)
    windows.append(window)
    window.show()
    qtbot.waitExposed(window)
    first = window.header.countdown.font().pixelSize()
    banner = window.banner.palette().window().color().name()
    assert window.styleSheet() == ""
    window.complete()
    QApplication.processEvents()
    assert window.styleSheet() == theme("base")
    assert window.header.styleSheet() == "" and window.banner.styleSheet() == ""
    assert first == window.header.countdown.font().pixelSize() == 64  # base.qss
    assert banner == window.banner.palette().window().color().name()


def test_lines_are_cut_to_the_width_with_an_ellipsis(qtbot) -> None:
    from PySide6.QtGui import QFontMetrics

    from sprintdesk.ui.opening_view import elided

    metrics = QFontMetrics(QApplication.font())
    text = "Partition the sessions table by tenant before the pricing launch " * 3
    assert elided("Short", 500, metrics.horizontalAdvance) == "Short"
    for width in (40, 120, 333, 800):
        cut = elided(text, width, metrics.horizontalAdvance)
        assert cut.endswith("…") and metrics.horizontalAdvance(cut) <= width
        assert text.startswith(cut[:-1])
        # As long as it can be: one more character would not fit.
        longer = text[: len(cut[:-1]) + 1].rstrip() + "…"
        assert len(longer) == len(cut) or metrics.horizontalAdvance(longer) > width


def test_a_first_frame_that_fails_gives_way_to_the_store(
    qtbot, demo_store: Store, db_url: str, ui_settings: QSettings, windows, monkeypatch, caplog
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("unexpected data in the file")

    monkeypatch.setattr("sprintdesk.ui.opening_view.agenda_model_for", broken)
    window = _first_frame(qtbot, db_url, ui_settings, FakeClock(), windows)
    assert "first frame could not show the sprint" in caplog.text
    assert window.windowTitle() == "SprintDesk"
    assert window.pages.currentWidget().objectName() == "pageLoading"
    assert not window.notes.isReadOnly()
    _open(qtbot, window, db_url)
    assert window.doc.sprint is not None
    assert window.windowTitle() == f"SprintDesk — {window.doc.sprint.name}"
    assert window.pages.currentWidget().objectName() == "outcomesPage"


def test_cards_are_worded_as_the_pages_word_them(qtbot) -> None:
    from sprintdesk.plan.model import Status
    from sprintdesk.storage.opening import HERO, PreviewItem
    from sprintdesk.ui.opening_view import ItemWords
    from sprintdesk.views.widgets import status_text

    words = ItemWords()
    assert words.status == {s.value: status_text(s.value) for s in Status}
    outcome = PreviewItem("Backfill events", owner="Ana", status="in_progress", target="p95 < 20")
    assert words.lines("outcomes", 1, outcome) == (
        "Backfill events",
        "🟡 in progress   ·   Owner: Ana   ·   Target: p95 < 20",
    )
    goal = PreviewItem("Partition sessions", why="Slow lookups", carried=True)
    assert words.lines("goals", 2, goal) == (
        "🔁 Partition sessions",
        "Owner: no owner   ·   Why: Slow lookups",
    )
    assert words.lines("priorities", 3, PreviewItem("Ship billing")) == ("3. Ship billing", "")
    assert words.lines("team", 1, PreviewItem("Tomasz Nowak", kind=HERO)) == (
        "🦸 Support hero: Tomasz Nowak",
        "",
    )
    assert words.lines("team", 2, PreviewItem("Replay tool", kind="high", owner="Jun")) == (
        "Replay tool",
        "🔥 High priority   ·   Owner: Jun",
    )
    assert words.lines("retro", 1, PreviewItem("Fewer pages", kind="to_improve")) == (
        "Fewer pages",
        "🛠 To improve",
    )


def test_the_store_opens_even_if_the_window_is_never_painted(
    qtbot, demo_store: Store, db_url: str, ui_settings: QSettings
) -> None:
    """Started minimized or on a hidden workspace, the window may not paint: what waits for
    its first paint (the rest of the window, the database) runs after a while all the same."""
    window = MainWindow(opening=read_opening(db_url), staged=True, settings=ui_settings)
    qtbot.addWidget(window)  # never shown
    ran: list[bool] = []
    window.call_after_first_paint(window.complete)
    window.call_after_first_paint(lambda: ran.append(open_in(window, db_url)))
    assert not ran
    qtbot.waitUntil(lambda: bool(ran), timeout=FirstPaint.FALLBACK_MS + 3000)
    assert ran == [True] and window.doc.sprint is not None


def test_a_planned_sprint_whose_meeting_ran_offers_to_resume_it(
    qtbot, demo_store: Store, db_url: str, ui_settings: QSettings, windows
) -> None:
    from sprintdesk.plan.meeting import MeetingClock

    fake = FakeClock()
    with demo_store.unit_of_work() as session:
        sprint = session.scalars(
            select(Sprint).order_by(Sprint.start.desc().nulls_last(), Sprint.id.desc())
        ).first()
        assert sprint is not None
        clock = MeetingClock(sprint, monotonic=fake.monotonic, wall=fake.time)
        clock.start_meeting()
        fake.advance(90)
        clock.end_meeting()
    window = _first_frame(qtbot, db_url, ui_settings, fake, windows)
    first = _seen(window)
    assert first["meeting button"] == ("Resume meeting", True)
    _open(qtbot, window, db_url)
    assert _seen(window) == first
