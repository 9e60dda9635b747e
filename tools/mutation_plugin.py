"""A pytest plugin for mutation runs only (``tools/mutation.py`` loads it): the ``store``
fixture's new database is a copy of one migrated once, instead of running every Alembic
migration again for each test of each mutant.

The tests see the same thing: a database at the head schema, opened with ``open_store`` (which
finds it up to date and leaves it as it is). Migrations are not mutated, and ``make test`` never
loads this plugin, so the migration path keeps its own tests.
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


def _cached(real: Callable[[str], Any]) -> Callable[[str], Any]:
    from sprintdesk.storage.store import sqlite_path

    def open_store(url: str) -> Any:
        global _template
        path = sqlite_path(url)
        if path is None or path.exists():
            return real(url)
        if _template is None:
            store = real(url)
            # The runner names its working folder; elsewhere a temporary one.
            folder = os.environ.get("SPRINTDESK_MUTATION_DIR") or tempfile.mkdtemp(
                prefix="sprintdesk-mutation-"
            )
            template = Path(folder) / f"head-{os.getpid()}.db"
            template.unlink(missing_ok=True)
            source, copy = sqlite3.connect(path), sqlite3.connect(template)
            try:
                source.backup(copy)
            finally:
                source.close()
                copy.close()
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
