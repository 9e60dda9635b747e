"""The pytest plugin that mutation runs load (``tools/mutation.py``): the template databases
are made once per run, not once per mutant.

The root ``conftest.py`` builds a migrated database and the demo once per test session
(the ``empty_template`` and ``demo_template`` session fixtures) and copies them for each test.
mutmut runs every mutant in a process forked from the one that ran the unmutated tests, each
with a test session of its own, so each mutant would build both again (about two seconds, more
than most mutants' tests take). This plugin keeps the files the unmutated run built (in the
module's working folder) and hands them to the sessions of the mutants forked after it.

Only files built with no mutant active are kept: a mutant never decides what the demo holds.
``make test`` never loads this plugin.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest

TEMPLATES = ("empty_template", "demo_template")
# Fixture name -> the kept copy, set in the process the mutants are forked from.
_kept: dict[str, Path] = {}


def _folder() -> Path:
    # The runner names its working folder; elsewhere a temporary one.
    return Path(
        os.environ.get("SPRINTDESK_MUTATION_DIR") or tempfile.mkdtemp(prefix="sprintdesk-mutation-")
    )


def _unmutated() -> bool:
    # mutmut's own values: "" for the clean run, "stats" while it maps tests to functions.
    return os.environ.get("MUTANT_UNDER_TEST", "") in ("", "stats")


def _backup(source: Path, target: Path) -> None:
    target.unlink(missing_ok=True)
    src, dest = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef: Any, request: Any) -> Path | None:
    """A template fixture's value: the kept file, or the one built now (kept if unmutated)."""
    name = fixturedef.argname
    if name not in TEMPLATES:
        return None
    kept = _kept.get(name)
    if kept is None or not kept.exists():
        if not _unmutated():
            return None  # built by conftest.py for this session alone
        from _pytest.fixtures import pytest_fixture_setup as build

        built: Path = build(fixturedef, request)
        kept = _folder() / f"{name}-{os.getpid()}.db"
        _backup(built, kept)
        _kept[name] = kept
        return built
    fixturedef.cached_result = (kept, fixturedef.cache_key(request), None)
    return kept
