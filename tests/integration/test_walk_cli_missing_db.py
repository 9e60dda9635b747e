"""A --db path with a typo (issue 14 walk-through, finding 18): the commands that only read
(list, check, export, watch, copy's source) say there is no database there, exit 2, and create
no folder and no file; a command that writes still creates the database it is told to."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.test_cli import run


@pytest.mark.parametrize(
    "command",
    [["list"], ["list", "--json"], ["check", "1"], ["export", "1", "-o", "-"], ["watch"]],
)
def test_a_read_only_command_on_a_missing_file_creates_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "nonexistent" / "dir" / "x.db"
    result = run(tmp_path / "data", "--db", f"sqlite:///{missing}", *command)
    assert result.returncode == 2, result.stderr
    assert not (tmp_path / "nonexistent").exists()
    assert "No sprints yet" not in result.stdout
    if command[0] != "watch":  # watch refuses any local file, before looking for it
        assert result.stderr.startswith(f"sprintdesk: There is no database at {missing}")
        assert result.stderr.count("\n") == 1


def test_a_command_that_writes_creates_the_named_database(tmp_path: Path) -> None:
    target = tmp_path / "new" / "plans.db"
    result = run(tmp_path / "data", "--db", f"sqlite:///{target}", "new", "Sprint 1")
    assert result.returncode == 0, result.stderr
    assert target.exists()
    listed = run(tmp_path / "data", "--db", f"sqlite:///{target}", "list")
    assert listed.returncode == 0 and "Sprint 1" in listed.stdout
