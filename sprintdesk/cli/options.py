"""The options every command and the window take, kept apart from the command parsers so
that the launcher can read them without loading argparse's full command line."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def add_global_options(parser: argparse.ArgumentParser) -> None:
    """The options every command and the window take."""
    parser.add_argument("--data-dir", help="folder for the database, backups and logs")
    parser.add_argument("--db", help="SQLAlchemy database URL (default: SQLite in the data dir)")
    parser.add_argument("--verbose", action="store_true", help="more detail in the log")


# The global options as ``add_global_options`` defines them: those taking a value, and flags.
VALUE_OPTIONS = {"--data-dir": "data_dir", "--db": "db"}
FLAG_OPTIONS = {"--verbose": "verbose"}
