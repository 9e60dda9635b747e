"""The window's work after its first paint runs in event-loop turns of its own (none long), and
the first frame's page stays on screen until the editable page replaces it.

Turns are counted with the event dispatcher's own hook (``aboutToBlock``, emitted once per
turn of the event loop), not timed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QAbstractEventDispatcher, QSettings
from PySide6.QtWidgets import QWidget
from sqlalchemy import text
from sqlalchemy.pool import QueuePool

from sprintdesk.storage.opening import read_opening
from sprintdesk.storage.store import Store
from sprintdesk.ui.main_window import MainWindow
from sprintdesk.ui.opener import TurnByTurn


class _Turns:
    """Counts the event loop's turns: ``aboutToBlock`` comes once at the end of each."""

    def __init__(self) -> None:
        self.count = 0
        self._dispatcher = QAbstractEventDispatcher.instance()
        assert self._dispatcher is not None
        self._dispatcher.aboutToBlock.connect(self._ended)

    def _ended(self) -> None:
        self.count += 1

    def stop(self) -> None:
        self._dispatcher.aboutToBlock.disconnect(self._ended)


@pytest.fixture
def turns() -> Iterator[_Turns]:
    counter = _Turns()
    yield counter
    counter.stop()


def _pooled(store: Store) -> int:
    """Connections waiting in the store's pool (none once the store is closed)."""
    pool = store.engine.pool
    assert isinstance(pool, QueuePool)
    return pool.checkedin()


def _painted_first_frame(qtbot, db_url: str, settings: QSettings) -> MainWindow:
    window = MainWindow(opening=read_opening(db_url), staged=True, settings=settings)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    painted: list[bool] = []
    window.call_after_first_paint(lambda: painted.append(True))
    window.show()
    qtbot.waitUntil(lambda: bool(painted))
    return window


def test_the_work_after_the_first_paint_takes_a_turn_per_step(
    qtbot, demo_store: Store, db_url: str, ui_settings: QSettings, turns: _Turns
) -> None:
    """The rest of the window, the database layer's imports (on a worker thread), the store,
    the window's modules, a garbage collection, the store taken and the editable page built:
    each in a turn of its own, where all of it used to be one turn of 650 ms on the large
    sprint (100-175 ms with the modules already imported)."""
    window = _painted_first_frame(qtbot, db_url, ui_settings)
    steps: list[tuple[str, int]] = []
    built: list[int] = []
    window.pages.currentChanged.connect(
        lambda _index: (
            built.append(turns.count)
            if window.pages.currentWidget().objectName() != "openingPage"
            else None
        )
    )
    opened: list[Store] = []
    opening = TurnByTurn(
        window,
        db_url,
        before=(window.complete,),
        opened=opened.append,
        observe=lambda step: steps.append((step, turns.count)),
    )
    opening.start()
    qtbot.waitUntil(lambda: bool(opened))
    names = [name for name, _turn in steps]
    assert names == [
        "complete",
        "load_database_layer",
        "open_database",
        "read_ahead",
        "import sprintdesk.editing.document, sprintdesk.ui.agenda_model, "
        "sprintdesk.ui.conflict_dialog",
        "import sprintdesk.views.pages",
        "collect_garbage",
        "take_store",
        "opened",
    ]
    in_turn = [turn for _name, turn in steps]
    assert in_turn == sorted(set(in_turn)), "two steps shared an event-loop turn"
    # The editable page came two turns after the one that took the store: the next paints
    # what the store changed (the agenda, the status bar), the one after builds the page.
    taken = dict(steps)["take_store"]
    assert built and built[0] - taken >= 2
    assert window.plan_open and window.doc.sprint is not None


def test_the_first_frame_stays_until_the_editable_page_replaces_it(
    qtbot, demo_store: Store, db_url: str, ui_settings: QSettings, turns: _Turns
) -> None:
    """The page is built in the turn after the store is taken; until then the first frame's
    page is on screen, and then the editable page takes its place directly (never the
    "Opening…" label or an empty stack in between), and the first frame's page goes."""
    window = _painted_first_frame(qtbot, db_url, ui_settings)
    assert window.pages.currentWidget().objectName() == "openingPage"
    shown: list[str] = []
    window.pages.currentChanged.connect(
        lambda _index: shown.append(
            window.pages.currentWidget().objectName() if window.pages.currentWidget() else ""
        )
    )
    window.complete()
    from tests.ui.window_support import open_in

    assert open_in(window, db_url)
    # The turn that took the store ends with the first frame's page still on screen.
    assert window.pages.currentWidget().objectName() == "openingPage"
    assert shown == []
    qtbot.waitUntil(lambda: window.findChild(QWidget, "openingPage") is None)
    section = window.displayed
    assert section is not None
    assert shown == [window.sections.built[section.kind].objectName()]
    assert window.pages.currentWidget() is window.sections.built[section.kind]


def test_a_window_closed_while_the_database_opens_closes_the_store_it_never_took(
    qtbot, demo_store: Store, db_url: str, ui_settings: QSettings, turns: _Turns
) -> None:
    """Closed between two steps, the window takes nothing more, and the store opened for it
    is closed rather than left open."""
    window = _painted_first_frame(qtbot, db_url, ui_settings)
    steps: list[str] = []

    def observe(step: str) -> None:
        steps.append(step)
        if step == "collect_garbage":  # the store is open (no worker is reading), not taken
            assert opening.store is not None
            with opening.store.session() as session:  # a connection left in the pool
                session.execute(text("select 1"))
            assert _pooled(opening.store) > 0
            window.close()

    opening = TurnByTurn(window, db_url, before=(window.complete,), observe=observe)
    opening.start()
    qtbot.waitUntil(lambda: "collect_garbage" in steps)
    began = turns.count
    qtbot.waitUntil(lambda: turns.count > began + 5)
    assert "take_store" not in steps and not window.plan_open
    store = opening.store
    assert store is not None
    assert _pooled(store) == 0  # closed: its connections are gone
