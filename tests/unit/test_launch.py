"""The launcher reads the window's options without argparse: whatever it accepts, the full
command line reads the same way; everything else goes to the full command line."""

from __future__ import annotations

import pytest

from sprintdesk.cli.main import build_parser
from sprintdesk.launch import window_arguments


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--verbose"],
        ["--db", "sqlite:////tmp/a.db"],
        ["--db=sqlite:////tmp/a.db", "--data-dir", "/tmp/d"],
        ["--data-dir=/tmp/d", "--verbose", "--db", "sqlite:///x.db"],
        ["--db", "sqlite:///one.db", "--db", "sqlite:///two.db"],
        ["--db="],
    ],
)
def test_what_it_reads_the_full_parser_reads_alike(argv: list[str]) -> None:
    fast = window_arguments(argv)
    full = build_parser().parse_args(argv)
    assert fast is not None and full.command is None
    assert (fast.data_dir, fast.db, fast.verbose) == (full.data_dir, full.db, full.verbose)


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["--help"],
        ["--version"],
        ["--db"],
        ["--db", "--verbose"],
        ["--data", "/tmp/d"],  # an abbreviation: argparse's to read
        ["--verbose=yes"],
        ["--db", "sqlite:///x.db", "export", "1"],
    ],
)
def test_anything_else_goes_to_the_full_command_line(argv: list[str]) -> None:
    assert window_arguments(argv) is None
