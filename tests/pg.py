"""A throw-away PostgreSQL server for the tests: one cluster per test session, one database
per test.

When Debian's server binaries are installed (``/usr/lib/postgresql/*/bin/``) the session starts
a private cluster (``initdb`` + ``pg_ctl``, run as the ``postgres`` user when the tests run as
root) on a free 127.0.0.1 port and removes it at the end. The superuser ``postgres`` connects
with trust; every other role must give its password (scram), so the wrong-password case is real.
Each test gets a database of its own: ``CREATE DATABASE ... TEMPLATE`` from a copy already
migrated to the head schema (fast), or an empty one for the migration tests.

A killed test run cannot stop its cluster: each cluster's folder (``/tmp/sprintdesk-pg-*``)
holds ``owner.pid``, the test process that started it, and the next session stops and removes
the clusters whose owner is gone (:func:`sweep_stale_clusters`). A cluster is also stopped when
its process exits without running the fixture's own clean-up (``atexit``).

Without the binaries the PostgreSQL tests skip with the reason, and ``conftest.py`` says so at
the end of the run; under CI (``CI=true``) that is a failure instead.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SKIP_REASON = (
    "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (apt-get install postgresql)"
)
_counter = itertools.count(1)


def server_bin() -> Path | None:
    """The newest installed server's bin folder, or None."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    return Path(found[-1]).parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PgCluster:
    """A running private cluster: its superuser URL and helpers to make databases."""

    bin: Path
    data: Path
    port: int
    as_postgres: bool
    template: str = "sprintdesk_head"

    def url(self, database: str = "postgres", user: str = "postgres", password: str = "") -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql+psycopg://{auth}@127.0.0.1:{self.port}/{database}"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=True)

    def execute(self, *statements: str, database: str = "postgres") -> None:
        """Run statements as the superuser, outside a transaction (CREATE DATABASE needs it)."""
        import psycopg

        conn = psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, autocommit=True
        )
        try:  # closed whatever happens (``with`` leaves it open when its commit fails)
            for statement in statements:
                conn.execute(statement)
        finally:
            conn.close()

    def new_database(self, *, migrated: bool = True, owner: str = "postgres") -> str:
        """A fresh database (at the head schema, or empty); returns its name."""
        name = f"t{os.getpid()}_{next(_counter)}"
        template = self.template if migrated else "template0"
        # FILE_COPY (PostgreSQL 15+) copies the files instead of logging every page: 3x faster.
        strategy = " STRATEGY FILE_COPY" if self.major >= 15 else ""
        self.execute(f'CREATE DATABASE {name} TEMPLATE {template} OWNER "{owner}"{strategy}')
        return name

    @property
    def major(self) -> int:
        version = self.bin.parent.name
        return int(version) if version.isdigit() else 0

    def drop_database(self, name: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self, mode: str = "immediate") -> None:
        """Stop the server. ``immediate`` (throw-away, at the end) may lose the last commits:
        the cluster runs with synchronous_commit off; ``fast`` checkpoints first (a server
        stopped in the middle of a test, to be started again)."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self.run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self.run(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.data / "server.log"),
            "-w",
            "start",
        )


OWNER_FILE = "owner.pid"
FOLDER_PREFIX = "sprintdesk-pg-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # somebody else's process, alive
    return True


def sweep_stale_clusters(root: Path | None = None) -> list[Path]:
    """Stop and remove the clusters left by killed test runs: folders whose ``owner.pid``
    names a process that is gone. A folder without that file (or with a live owner) is left
    alone: it may be another run's, still going. Returns the folders removed."""
    swept: list[Path] = []
    bin_dir = server_bin()
    for folder in sorted((root or Path(tempfile.gettempdir())).glob(FOLDER_PREFIX + "*")):
        try:
            owner = int((folder / OWNER_FILE).read_text().strip())
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        data = folder / "data"
        if bin_dir is not None and (data / "postmaster.pid").exists():
            command = [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
            if os.geteuid() == 0:
                command = ["runuser", "-u", "postgres", "--", *command]
            subprocess.run(command, capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)
        swept.append(folder)
    return swept


def _stop_at_exit(cluster: PgCluster, folder: Path) -> None:
    """Stop ``cluster`` when this process ends, should the fixture's clean-up not run."""

    def stop() -> None:
        if folder.exists():
            cluster.stop()
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)


def start_cluster(root: Path | None = None) -> tuple[PgCluster, Path]:
    """initdb + pg_ctl start into a new temp folder (in ``root``, else the system's temp
    folder); returns the cluster and the folder. The folder names this process as the owner,
    and the cluster stops when the process exits."""
    bin_dir = server_bin()
    assert bin_dir is not None
    as_postgres = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=root))
    (folder / OWNER_FILE).write_text(f"{os.getpid()}\n")
    data = folder / "data"
    if as_postgres:
        shutil.chown(folder, "postgres", "postgres")
    cluster = PgCluster(bin=bin_dir, data=data, port=free_port(), as_postgres=as_postgres)
    cluster.run(
        str(bin_dir / "initdb"),
        "-D",
        str(data),
        "-U",
        "postgres",
        "-A",
        "trust",
        "-E",
        "UTF8",
        "--no-sync",
        "--locale=C",
    )
    hba = data / "pg_hba.conf"
    # Written by the postgres user; replace through it so ownership stays right.
    rules = (
        "local all all trust\n"
        "host all postgres 127.0.0.1/32 trust\n"
        "host all all 127.0.0.1/32 scram-sha-256\n"
    )
    staging = folder / "pg_hba.conf"
    staging.write_text(rules)
    if as_postgres:
        shutil.chown(staging, "postgres", "postgres")
    cluster.run("cp", str(staging), str(hba))
    cluster.start()
    _stop_at_exit(cluster, folder)
    return cluster, folder


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PgCluster]:
    """The session's private PostgreSQL cluster (skips, or fails under CI, without one)."""
    if server_bin() is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(SKIP_REASON + " — under CI they must run", pytrace=False)
        pytest.skip(SKIP_REASON)
    sweep_stale_clusters()
    cluster, folder = start_cluster()
    try:
        from sprintdesk.storage.store import open_store

        cluster.execute(f"CREATE DATABASE {cluster.template} TEMPLATE template0")
        open_store(cluster.url(cluster.template)).close()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_database(pg_cluster: PgCluster) -> Iterator[str]:
    """A URL to a fresh database at the head schema (the superuser's)."""
    name = pg_cluster.new_database()
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


@pytest.fixture
def pg_empty_database(pg_cluster: PgCluster) -> Iterator[str]:
    """A URL to a fresh, empty database (no tables)."""
    name = pg_cluster.new_database(migrated=False)
    yield pg_cluster.url(name)
    pg_cluster.drop_database(name)


ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(params=ENGINES)
def db_url(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[str]:
    """The database under test, on each engine: a module that imports this fixture runs its
    tests on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{data_dir / 'sprintdesk.db'}"
        return
    cluster: PgCluster = request.getfixturevalue("pg_cluster")
    name = cluster.new_database()
    yield cluster.url(name)
    cluster.drop_database(name)
