"""A pytest plugin for mutation runs only (``tools/mutation.py`` loads it): the ``store``
fixture's new database is a copy of one migrated once, instead of running every Alembic
migration again for each test of each mutant, and the ``demo_store`` fixture's database is a
copy of the demo loaded once.

The tests see the same thing: a database at the head schema, opened with ``open_store`` (which
finds it up to date and leaves it as it is), holding the demo where they asked for it.
Migrations and the demo are not mutated, and ``make test`` never loads this plugin, so those
paths keep their own tests.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

_template: Path | None = None
_demo_template: Path | None = None


def _folder() -> Path:
    # The runner names its working folder; elsewhere a temporary one.
    return Path(
        os.environ.get("SPRINTDESK_MUTATION_DIR") or tempfile.mkdtemp(prefix="sprintdesk-mutation-")
    )


def _backup(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    src, dest = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()


def _cached(real: Callable[[str], Any]) -> Callable[[str], Any]:
    from sprintdesk.storage.store import sqlite_path

    def open_store(url: str) -> Any:
        global _template
        path = sqlite_path(url)
        if path is None or path.exists():
            return real(url)
        if _template is None:
            store = real(url)
            template = _folder() / f"head-{os.getpid()}.db"
            _backup(path, template)
            _template = template
            return store
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_template, path)
        return real(url)

    return open_store


def pytest_sessionstart(session: Any) -> None:
    """Swap the root conftest's ``open_store`` (the one the ``store`` fixture calls)."""
    conftest = sys.modules.get("conftest")
    real = getattr(conftest, "open_store", None)
    if real is not None and not getattr(real, "_mutation_cached", False):
        cached = _cached(real)
        cached._mutation_cached = True  # type: ignore[attr-defined]
        conftest.open_store = cached  # type: ignore[union-attr]


def _cached_demo(real: Callable[..., Any]) -> Callable[..., Any]:
    def demo_store(store: Any) -> Any:
        global _demo_template
        path = store.path
        if path is None:
            return real(store)
        if _demo_template is None:
            result = real(store)
            template = _folder() / f"demo-{os.getpid()}.db"
            _backup(path, template)
            _demo_template = template
            return result
        store.engine.dispose()  # no connection may hold the old file
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(_demo_template, path)
        return store

    return demo_store


def pytest_collection_finish(session: Any) -> None:
    """Swap the root conftest's ``demo_store`` fixture function (pytest keeps it on the
    fixture definition; this plugin is pinned to the pytest in ``constraints.txt``)."""
    definitions = session._fixturemanager.getfixturedefs("demo_store", session) or []
    for definition in definitions:
        if not getattr(definition.func, "_mutation_cached", False):
            cached = _cached_demo(definition.func)
            cached._mutation_cached = True  # type: ignore[attr-defined]
            definition.func = cached
