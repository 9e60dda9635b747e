"""The ``sprintdesk`` launcher: with no command it goes straight to the window.

The full command line (:mod:`sprintdesk.cli.main`) loads argparse and every command's module to
build
its parser; opening the window needs only the global options, so they are read here first and
the command line loads only when a command (or ``--help``, ``--version``) is given.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from sprintdesk.cli.options import FLAG_OPTIONS, VALUE_OPTIONS


def window_arguments(argv: Sequence[str]) -> SimpleNamespace | None:
    """The global options when ``argv`` asks for the window (no command), else None.

    Only the plain spellings (``--db URL``, ``--db=URL``, ``--verbose``) are read here, without
    argparse; anything else (a command, ``--help``, an abbreviation, a missing value) goes to
    the full parser, which reads it the same way or explains it."""
    values: dict[str, object] = {"data_dir": None, "db": None, "verbose": False}
    args = list(argv)
    while args:
        arg = args.pop(0)
        name, equals, value = arg.partition("=")
        if name in VALUE_OPTIONS:
            if not equals:
                if not args or args[0].startswith("-"):
                    return None
                value = args.pop(0)
            values[VALUE_OPTIONS[name]] = value
        elif arg in FLAG_OPTIONS:
            values[FLAG_OPTIONS[arg]] = True
        else:
            return None
    return SimpleNamespace(**values)


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


def open_window(args: Any) -> int:
    """Open the window on ``--db`` (or the data folder's database); exit 2 with no display."""
    from sprintdesk.system.paths import default_url, resolve_data_dir

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
        from sprintdesk.cli.main import main as cli_main

        return cli_main(argv, open_window=open_window)
    return open_window(args)
