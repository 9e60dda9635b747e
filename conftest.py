"""Test set-up shared by every test: offscreen Qt, a temp data dir, an in-memory keyring,
no proxy for the fake GitHub server on 127.0.0.1, and the session's throw-away PostgreSQL
server (tests/pg.py) for the tests that use it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["NO_PROXY"] = "127.0.0.1,localhost"
os.environ["no_proxy"] = "127.0.0.1,localhost"
for _var in ("GH_TOKEN", "GITHUB_TOKEN"):
    os.environ.pop(_var, None)

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402

import keyring  # noqa: E402
import pytest  # noqa: E402
from keyring.backend import KeyringBackend  # noqa: E402

from sprintdesk.storage.store import Store, open_store  # noqa: E402
from tests.pg import SKIP_REASON, pg_cluster, pg_database, pg_empty_database  # noqa: E402

__all__ = ["pg_cluster", "pg_database", "pg_empty_database"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly, at the end of ``make test``, when the PostgreSQL tests did not run. The
    reports are read (not the fixture's state), so this also holds when pytest-xdist ran the
    tests in worker processes."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if SKIP_REASON in str(getattr(report, "longrepr", ""))
    ]
    failed = [
        report
        for kind in ("error", "failed")
        for report in terminalreporter.stats.get(kind, [])
        if SKIP_REASON in str(getattr(report, "longrepr", ""))
    ]
    if not skipped and not failed:
        return
    terminalreporter.write_sep("=", "PostgreSQL", yellow=True, bold=True)
    if failed:
        terminalreporter.write_line(
            f"The PostgreSQL tests failed: {SKIP_REASON}; under CI they must run."
        )
    else:
        terminalreporter.write_line(f"{len(skipped)} PostgreSQL tests were skipped: {SKIP_REASON}.")


class MemoryKeyring(KeyringBackend):
    """A keyring that forgets everything when the test ends."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        from keyring.errors import PasswordDeleteError

        if (service, username) not in self.passwords:
            raise PasswordDeleteError(username)
        del self.passwords[(service, username)]


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data dir; nothing touches the user's real one."""
    folder = tmp_path / "data"
    monkeypatch.setenv("SPRINTDESK_DATA_DIR", str(folder))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    # libpq reads these: the developer's own PostgreSQL settings must not leak into a test.
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "pgpass"))
    for name in ("PGPASSWORD", "PGSSLMODE", "PGUSER", "PGHOST", "PGPORT", "PGDATABASE"):
        monkeypatch.delenv(name, raising=False)
    return folder


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def db_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / 'sprintdesk.db'}"


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to the head schema once per test session; each ``store`` on SQLite
    starts from a copy (running the three migrations takes a good part of a second a test).
    Creating and upgrading a database is tested on its own (tests/unit/test_store.py)."""
    path = tmp_path_factory.mktemp("empty-template") / "empty.db"
    open_store(f"sqlite:///{path}").close()
    return path


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo written once per test session into a SQLite file at the head schema; each
    ``demo_store`` on SQLite starts from a copy of it (loading the demo takes about a second a
    test). Loading the demo itself is tested on its own and on PostgreSQL."""
    from sprintdesk.plan.demo import load_demo

    path = tmp_path_factory.mktemp("demo-template") / "demo.db"
    template = open_store(f"sqlite:///{path}")
    with template.unit_of_work() as session:
        load_demo(session)
    template.close()
    return path


def _copy_database(source: Path, target: Path) -> None:
    import sqlite3

    target.parent.mkdir(parents=True, exist_ok=True)
    src, dest = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dest)
    finally:
        src.close()
        dest.close()


@pytest.fixture
def store(db_url: str, request: pytest.FixtureRequest) -> Iterator[Store]:
    from sprintdesk.storage.store import sqlite_path

    path = sqlite_path(db_url)
    if path is not None and not path.exists():
        if "demo_store" in request.fixturenames:
            _copy_database(request.getfixturevalue("demo_template"), path)
            request.node.stash[_DEMO_COPIED] = True
        else:
            _copy_database(request.getfixturevalue("empty_template"), path)
    opened = open_store(db_url)
    yield opened
    opened.close()


_DEMO_COPIED = pytest.StashKey[bool]()


@pytest.fixture
def demo_store(store: Store, request: pytest.FixtureRequest) -> Store:
    if request.node.stash.get(_DEMO_COPIED, False):
        return store
    from sprintdesk.plan.demo import load_demo

    with store.unit_of_work() as session:
        load_demo(session)
    return store
