"""``sprintdesk db copy --to URL``: move this computer's plan into an empty team database.

Everything is copied (sprints, people, teams, settings) with ids and links intact; a team
database that already holds a plan is refused. The URL is shown with its password masked.
"""

from __future__ import annotations

import argparse
import sys

from sprintdesk.cli.main import EXIT_FAILURE, EXIT_OK, CliContext, CliError
from sprintdesk.storage.server import display_url
from sprintdesk.storage.store import open_store


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("db", help="the database: copy this plan into a team database")
    db_sub = p.add_subparsers(dest="db_command", metavar="ACTION", parser_class=type(p))
    copy = db_sub.add_parser(
        "copy",
        help="copy every sprint, person, team and setting into an empty team database",
        description="Copy the current database (--db, or this computer's) into another one, "
        "usually a team database: postgresql+psycopg://USER@HOST:PORT/DATABASE.",
    )
    copy.add_argument("--to", required=True, metavar="URL", help="the database to copy into")
    copy.set_defaults(run=cmd_copy)
    p.set_defaults(run=_missing_action(p))


def _missing_action(parser: argparse.ArgumentParser):  # type: ignore[no-untyped-def]
    def run(args: argparse.Namespace, ctx: CliContext) -> int:
        raise CliError(f"{parser.prog}: choose an action (copy)")

    return run


def cmd_copy(args: argparse.Namespace, ctx: CliContext) -> int:
    from sprintdesk.storage.copying import TargetNotEmptyError, copy_database

    if args.to.strip() == ctx.url:
        raise CliError("--to names the database being copied; choose another.")
    source = ctx.reader
    target = open_store(args.to)
    try:

        def progress(done: int, total: int, table: str) -> None:
            if sys.stderr.isatty() and table:
                print(f"\rcopying {table} ({done + 1}/{total})…", end="", file=sys.stderr)

        try:
            result = copy_database(source, target, progress)
        except TargetNotEmptyError as exc:
            print(f"sprintdesk: {exc}", file=sys.stderr)
            return EXIT_FAILURE
        if sys.stderr.isatty():
            print(file=sys.stderr)
    finally:
        target.close()
    people, teams = result.rows.get("people", 0), result.rows.get("teams", 0)
    print(
        f"Copied {result.sprints} sprints, {people} people and {teams} teams "
        f"to {display_url(args.to)}."
    )
    return EXIT_OK
