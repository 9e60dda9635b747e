"""The ``sprintdesk`` launcher: with no command it goes straight to the window.

The full command line (:mod:`sprintdesk.cli`) loads every command's module to build its parser;
opening the window needs only the global options, so they are parsed here first and the
command modules load only when a command (or ``--help``, ``--version``) is given.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """The options every command and the window take."""
    parser.add_argument("--data-dir", help="folder for the database, backups and logs")
    parser.add_argument("--db", help="SQLAlchemy database URL (default: SQLite in the data dir)")
    parser.add_argument("--verbose", action="store_true", help="more detail in the log")


class _GlobalOnly(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # the full parser explains it
        raise ValueError(message)


def window_arguments(argv: Sequence[str]) -> argparse.Namespace | None:
    """The global options when ``argv`` asks for the window (no command), else None."""
    parser = _GlobalOnly(prog="sprintdesk", add_help=False)
    add_global_options(parser)
    try:
        args, rest = parser.parse_known_args(list(argv))
    except ValueError:
        return None
    return None if rest else args


def has_display() -> bool:
    if sys.platform != "linux":
        return True
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


NO_DISPLAY = (
    "sprintdesk: no display found (DISPLAY/WAYLAND_DISPLAY unset); the window cannot open "
    "here. Commands work without one: 'sprintdesk --help'."
)


def open_window(args: argparse.Namespace) -> int:
    """Open the window on ``--db`` (or the data folder's database); exit 2 with no display."""
    from sprintdesk.paths import default_url, resolve_data_dir

    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    data_dir = resolve_data_dir(args.data_dir)
    from sprintdesk.app import run_gui

    return run_gui(data_dir=data_dir, url=args.db or default_url(data_dir), verbose=args.verbose)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = window_arguments(argv)
    if args is None:
        from sprintdesk.cli import main as cli_main

        return cli_main(argv)
    return open_window(args)
