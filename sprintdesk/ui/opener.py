"""Opening a database for the window, in one place: the first look at the file (for the first
frame) and the open store, with a damaged database's backups offered before giving up.

The window does not open databases itself: :func:`sprintdesk.app.run_gui` (and anything that
opens another database) asks :func:`open_database` and hands the window the open store
(:meth:`~sprintdesk.ui.main_window.MainWindow.take_store`). The URL goes down from here to the
reader, the store and the restore dialog, and never comes back up.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMainWindow

    from sprintdesk.storage.opening import Opening
    from sprintdesk.storage.store import Store
    from sprintdesk.ui.main_window import MainWindow


def first_look(url: str) -> Opening | None:
    """The sprint the window opens on, read straight from the file with plain ``sqlite3`` (no
    SQLAlchemy yet); None when that cannot be done, and the store explains why."""
    from sprintdesk.storage.opening import read_opening

    return read_opening(url)


def open_database(url: str, *, parent: QMainWindow) -> Store | None:
    """The open database at ``url``. A damaged one offers its backups (and is tried again once
    one is in place); a database that cannot be opened is explained in a message over
    ``parent``, and None returned."""
    from PySide6.QtWidgets import QMessageBox

    from sprintdesk.storage.store import CorruptDatabaseError, StoreError, open_store

    while True:
        try:
            return open_store(url)
        except CorruptDatabaseError as exc:
            from sprintdesk.ui.restore_dialog import offer_restore

            if not offer_restore(parent, url, str(exc)):
                return None
        except StoreError as exc:
            QMessageBox.critical(parent, parent.tr("SprintDesk"), str(exc))
            return None


# The database layer, none of it Qt: imported (and the ORM's mappers configured) on a worker
# thread once the window is painted. ``import sqlalchemy`` alone is one statement of ~180 ms
# here, which no split into event-loop turns could shorten; on the worker the window keeps
# painting and answering keys meanwhile.
DATABASE_MODULES = (
    "sqlalchemy.orm",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sprintdesk.plan.model",
    "sprintdesk.plan.planning",
    "sprintdesk.plan.settings",
    "sprintdesk.storage.store",
    "sprintdesk.storage.conflicts",
    "sprintdesk.storage.outbox",
)

# The window's side of an open plan (Qt modules: imported on the UI thread, a turn each).
WINDOW_MODULES = (
    ("sprintdesk.editing.document", "sprintdesk.ui.agenda_model", "sprintdesk.ui.conflict_dialog"),
    ("sprintdesk.views.pages",),
)


def load_database_layer() -> None:
    """Import :data:`DATABASE_MODULES` and configure the ORM's mappers (on a worker thread)."""
    import importlib

    for name in DATABASE_MODULES:
        importlib.import_module(name)
    from sqlalchemy.orm import configure_mappers

    configure_mappers()


class TurnByTurn(QObject):
    """Opens the database for a painted window in event-loop turns of its own, none long:
    ``before`` (each a turn), the database layer's imports on a worker thread, the database
    (:func:`open_database`), the window's modules for an open plan, then the window takes the
    store (:meth:`~sprintdesk.ui.main_window.MainWindow.take_store`) and ``opened(store)`` runs
    in the next turn. ``failed()`` runs if the database cannot be opened (after its message).
    ``observe(step)`` (tests, the bench) is told each step's name as it starts."""

    def __init__(
        self,
        window: MainWindow,
        url: str,
        *,
        before: Sequence[Callable[[], object]] = (),
        prepare: Callable[[Store], object] | None = None,
        opened: Callable[[Store], object] | None = None,
        failed: Callable[[], object] | None = None,
        observe: Callable[[str], object] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.url = url
        self.store: Store | None = None
        self._prepare = prepare
        self._opened = opened
        self._failed = failed
        self._observe = observe
        self._job: object | None = None
        self._steps: list[tuple[str, Callable[[], object]]] = [
            *((getattr(step, "__name__", "before"), step) for step in before),
            ("load_database_layer", self._load_database_layer),
            ("open_database", self._open_database),
            ("read_ahead", self._read_ahead),
            *((f"import {', '.join(names)}", partial(_import, names)) for names in WINDOW_MODULES),
            ("collect_garbage", _collect_garbage),
            ("take_store", self._take_store),
            ("opened", self._after),
        ]

    def start(self) -> None:
        """The first step, in the next turn."""
        self._next()

    def _next(self) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self._run)

    def _run(self) -> None:
        if self.window.closed:
            # Closed while the database opened: a store the window never took is closed here.
            if self.store is not None and ("take_store", self._take_store) in self._steps:
                self.store.close()
            self._steps.clear()
        if not self._steps:
            return
        name, step = self._steps.pop(0)
        if self._observe is not None:
            self._observe(name)
        if step() is not _WAIT and self._steps:
            self._next()

    def _load_database_layer(self) -> object:
        return self._on_worker(load_database_layer)

    def _read_ahead(self) -> object:
        """The first frame's sprint read once on a worker thread, from a local file: the
        database's statements are compiled then (the engine caches them), which was half of
        the window's own first read. Not for a team database (a second read over the network)."""
        store, sprint = self.store, self.window.first_frame.sprint
        if store is None or store.is_server or sprint is None:
            return None
        return self._on_worker(partial(read_sprint, store, sprint.id))

    def _on_worker(self, function: Callable[[], object]) -> object:
        from sprintdesk.editing.jobs import BackgroundJob, start

        job = BackgroundJob(lambda _report: function())
        # Failed or not, the window goes on: what failed here fails again on the UI thread,
        # where opening the database explains it. (Slots of this object: they run on the UI
        # thread, which the worker's signals are queued to.)
        job.signals.finished.connect(self._resume)
        job.signals.failed.connect(self._worker_failed)
        self._job = start(job)
        return _WAIT

    def _resume(self, _result: object = None) -> None:
        self._job = None
        self._next()

    def _worker_failed(self, exc: object) -> None:
        log.debug("Work ahead of opening the database failed (it is done again): %s", exc)
        self._resume()

    def _open_database(self) -> object:
        store = open_database(self.url, parent=self.window)
        if store is None:
            self._steps.clear()
            if self._failed is not None:
                self._failed()
            return _WAIT
        self.store = store
        if self._prepare is not None:
            self._prepare(store)
        return None

    def _take_store(self) -> None:
        assert self.store is not None
        self.window.take_store(self.store)

    def _after(self) -> None:
        assert self.store is not None
        if self._opened is not None:
            self._opened(self.store)


_WAIT = object()  # a step that resumes the others itself (or ends them)


def read_sprint(store: Store, sprint_id: int) -> None:
    """Read a sprint as the window does, and let it go (see :meth:`TurnByTurn._read_ahead`)."""
    from sprintdesk.plan.planning import load_sprint

    with store.session() as session:
        load_sprint(session, sprint_id)


def _collect_garbage() -> None:
    """A full collection in a turn of its own, after the database layer's thousands of new
    objects: else the next one falls due while the window reads the sprint."""
    import gc

    gc.collect()


def _import(names: tuple[str, ...]) -> None:
    import importlib

    for name in names:
        importlib.import_module(name)
