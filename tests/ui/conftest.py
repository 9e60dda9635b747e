"""Fixtures shared by the UI tests."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QSettings

from tests.audio import null_sound_server

if TYPE_CHECKING:
    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.storage.store import Store
    from sprintdesk.ui.main_window import MainWindow
    from tests.clocks import FakeClock


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    """The window's view state in a temporary file, never the user's."""
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture(scope="session", autouse=True)
def silent_sound_server() -> Iterator[str | None]:
    """Every UI test session plays sounds into a private null sink, never the speakers (see
    tests/audio.py); None when no server could be started."""
    with null_sound_server() as address:
        previous = os.environ.get("PULSE_SERVER")
        if address is not None:
            os.environ["PULSE_SERVER"] = address
        else:  # nowhere to play: QtMultimedia finds no output and the chime beeps
            os.environ["PULSE_SERVER"] = "unix:/nonexistent/sprintdesk-no-sound-server"
        try:
            yield address
        finally:
            if previous is None:
                os.environ.pop("PULSE_SERVER", None)
            else:
                os.environ["PULSE_SERVER"] = previous


@pytest.fixture
def doc_for(qtbot: Any) -> Iterator[Callable[[Store], PlanDocument]]:
    """``doc_for(store)``: the document the window would hand its views (the welcome page,
    the preview, the tool windows), closed after the test."""
    from sprintdesk.editing.document import PlanDocument

    docs: list[PlanDocument] = []

    def make(store: Store) -> PlanDocument:
        doc = PlanDocument(store)
        docs.append(doc)
        return doc

    yield make
    for doc in docs:
        doc.close()


@pytest.fixture
def demo_window(
    qtbot: Any, ui_settings: QSettings, demo_store: Store
) -> Iterator[tuple[MainWindow, FakeClock]]:
    """The window on the demo at 1280×720, shown, with a clock the test moves by hand."""
    from sprintdesk.ui.main_window import MainWindow
    from tests.clocks import FakeClock

    fake = FakeClock()
    made = MainWindow(demo_store, monotonic=fake.monotonic, wall=fake.time, settings=ui_settings)
    qtbot.addWidget(made)
    made.resize(1280, 720)
    made.show()
    qtbot.waitExposed(made)
    yield made, fake
    if made.mini_timer is not None:
        made.mini_timer.close()


# --- a team database on a server the tests may stop ------------------------------------------


@pytest.fixture(scope="module")
def own_cluster() -> Iterator[Any]:
    """A PostgreSQL cluster for one test module alone: the offline suites stop and start its
    server, which no other module may share (tests/pg.py)."""
    import shutil

    from tests.pg import SKIP_REASON, server_bin, start_cluster

    if server_bin() is None:
        pytest.skip(SKIP_REASON)
    cluster, folder = start_cluster()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def team_url(own_cluster: Any) -> Iterator[str]:
    """A fresh team database holding the demo plan; the server is running again afterwards."""
    from sprintdesk.plan.demo import load_demo
    from sprintdesk.storage.store import open_store

    name = own_cluster.new_database(migrated=False)
    url = own_cluster.url(name)
    setup = open_store(url)
    with setup.unit_of_work() as session:
        load_demo(session)
    setup.close()
    yield url
    if not (own_cluster.data / "postmaster.pid").exists():
        own_cluster.start()
    own_cluster.drop_database(name)


@pytest.fixture
def team_doc(team_url: str) -> Iterator[PlanDocument]:
    """The team database's newest sprint open in a document of its own."""
    from sqlalchemy import select

    from sprintdesk.editing.document import PlanDocument
    from sprintdesk.plan.model import Sprint
    from sprintdesk.storage.store import open_store

    store = open_store(team_url)
    with store.session() as session:
        sprint_id = session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first()
    assert sprint_id is not None
    opened = PlanDocument(store)
    opened.open_sprint(sprint_id)
    yield opened
    opened.close()
    store.close()


@pytest.fixture
def through_proxy(pg_cluster: Any, pg_database: str) -> Iterator[tuple[Any, str]]:
    """The demo plan in a fresh team database, reached through a gate proxy (tests/gateproxy.py)
    that can hold everything sent to the server: the proxy and the URL through it."""
    from sprintdesk.plan.demo import load_demo
    from sprintdesk.storage.store import open_store
    from tests.gateproxy import GateProxy

    setup = open_store(pg_database)
    with setup.unit_of_work() as session:
        load_demo(session)
    setup.close()
    proxy = GateProxy(pg_cluster.port)
    name = pg_database.rsplit("/", 1)[1]
    yield proxy, f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/{name}"
    proxy.stop()
