"""The command line in a subprocess: exit codes, JSON output, one-line errors, no Qt."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from sprintdesk import __version__


def run(
    data_dir: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = dict(os.environ)
    full_env.pop("QT_QPA_PLATFORM", None)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "sprintdesk", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=full_env,
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    result = run(folder, "demo")
    assert result.returncode == 0, result.stderr
    assert "4 sprints" in result.stdout
    return folder


def test_importing_the_cli_loads_no_qt() -> None:
    code = (
        "import sys, sprintdesk.cli.main; print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_version(tmp_path: Path) -> None:
    result = run(tmp_path, "--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"SprintDesk {__version__}"


def test_no_display_gives_a_clear_message_and_exit_2(tmp_path: Path) -> None:
    if sys.platform != "linux":
        pytest.skip("display detection is for Linux")
    result = run(tmp_path, env={"DISPLAY": "", "WAYLAND_DISPLAY": ""})
    assert result.returncode == 2
    assert "no display" in result.stderr and "Traceback" not in result.stderr


def test_list_json(demo_dir: Path) -> None:
    result = run(demo_dir, "list", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["name"] for r in rows] == ["4.11.0 1/2", "4.11.0 2/2", "4.12.0 1/2", "4.12.0 2/2"]
    assert {"id", "name", "start", "end", "state"} <= set(rows[0])
    assert rows[-1]["state"] == "draft" and not rows[-1]["published"]
    assert rows[0]["state"] == "planned" and rows[0]["published"]


def test_check_json_and_exit_code(demo_dir: Path, tmp_path: Path) -> None:
    result = run(demo_dir, "check", "4.12.0 2/2", "--json")
    findings = json.loads(result.stdout)
    assert all({"severity", "message"} <= set(f) for f in findings)
    has_error = any(f["severity"] == "error" for f in findings)
    assert result.returncode == (1 if has_error else 0)
    # A sprint with an error: a goal whose owner is not an engineer.
    folder = tmp_path / "err"
    assert run(folder, "person", "Dee", "--login", "dee", "--role", "product").returncode == 0
    assert run(folder, "new", "S1").returncode == 0
    from sprintdesk.plan.model import Goal, Person
    from sprintdesk.storage.store import open_store
    from sprintdesk.system.paths import default_url

    store = open_store(default_url(folder))
    with store.unit_of_work() as session:
        from sqlalchemy import select

        from sprintdesk.plan.model import Sprint

        sprint = session.scalars(select(Sprint)).one()
        dee = session.scalars(select(Person)).one()
        sprint.goals.append(Goal(title="Pricing", owner=dee, why="w", target="t"))
    store.close()
    result = run(folder, "check", "S1", "--json")
    assert result.returncode == 1
    errors = [f for f in json.loads(result.stdout) if f["severity"] == "error"]
    assert "Dee" in errors[0]["message"] and "Pricing" in errors[0]["message"]


def test_next_suggests_name_and_dates(demo_dir: Path) -> None:
    result = run(demo_dir, "next", "4.12.0 2/2", "--json")
    assert result.returncode == 0, result.stderr
    row = json.loads(result.stdout)
    assert row["name"] == "4.13.0 1/2"
    assert row["outcomes"] == 2


def rows_by_table(folder: Path) -> dict[str, int]:
    """Every table's row count, read straight from the file (no subprocess of our own: the
    bad-input cases below each start one for the command under test)."""
    with closing(sqlite3.connect(folder / "sprintdesk.db")) as db:
        tables = [
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("check", "no such sprint"), "No sprint"),
        (("next", "999"), "No sprint"),
        (("new", "  "), "needs a name"),
        (("new", "X", "--start", "2025-03-14", "--end", "2025-03-03"), "ends"),
        (("new", "X", "--start", "14/03/2025"), "not a date"),
        (("new", "X", "--template", "fancy"), "Unknown template"),
        (("team", ""), "needs a name"),
        (("team", "Pipeline"), "already a team"),
        (("team", "New", "--member", "ghost"), "No person"),
        (("person", ""), "needs a name"),
        (("frobnicate",), "invalid choice"),
        (("new", "4.12.0 1/2"), "already a sprint"),
        (("next", "4.11.0 1/2"), "already a sprint"),  # its suggestion, 4.11.0 2/2, exists
        (("team", "PIPELINE "), "already a team"),
        (("person", "Someone", "--login", "Tomasz"), "already has the GitHub login"),
        (("person", "Someone", "--login", "has space!"), "not a GitHub login"),
        (("check", "1", "--max-goals", "0"), "at least 1"),
        (("--db", "notaurl", "list"), "database URL"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(
    demo_dir: Path, args: tuple[str, ...], needle: str
) -> None:
    before = rows_by_table(demo_dir)
    result = run(demo_dir, *args)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert rows_by_table(demo_dir) == before


def test_demo_refuses_a_database_with_people(demo_dir: Path) -> None:
    result = run(demo_dir, "demo")
    assert result.returncode == 1 and "empty" in result.stderr


def test_corrupted_database_exit_1_with_message(tmp_path: Path) -> None:
    tmp_path.joinpath("sprintdesk.db").write_bytes(b"garbage" * 100)
    result = run(tmp_path, "list")
    assert result.returncode == 1
    assert "sprintdesk.db" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("check", "4.12.0 2/2", "--json"),
        ("list",),
        ("list", "--json"),
        ("export", "4.12.0 1/2"),
        ("--help",),
    ],
)
def test_output_into_a_closed_pipe_ends_quietly(demo_dir: Path, args: tuple[str, ...]) -> None:
    # `sprintdesk check X --json | head`: the reader is gone before we write. A pipe whose read
    # end is already closed makes the very first write fail, every time.
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "sprintdesk", "--data-dir", str(demo_dir), *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            env=env,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr
    assert result.stderr == ""
    # 141 as for a program killed by SIGPIPE; argparse's --help swallows the error itself (0).
    assert result.returncode == (0 if args == ("--help",) else 141)


def test_list_names_states_in_words(demo_dir: Path) -> None:
    result = run(demo_dir, "list")
    assert result.returncode == 0, result.stderr
    assert "in_meeting" not in result.stdout
    assert result.stdout.splitlines()[-1].rstrip().endswith("draft")


def test_cli_counts_use_singular_for_one() -> None:
    from sprintdesk.cli.main import plural, state_words

    assert plural(1, "outcome") == "1 outcome"
    assert plural(2, "outcome") == "2 outcomes"
    assert plural(0, "team section") == "0 team sections"
    assert plural(1, "priority", "priorities") == "1 priority"
    assert state_words("in_meeting") == "in meeting"
