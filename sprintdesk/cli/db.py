"""``sprintdesk db copy --to URL``: move this computer's plan into an empty team database;
``sprintdesk watch [SPRINT] [--json]``: print each change anyone makes there, live.

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
    register_watch(sub)


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


def register_watch(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "watch",
        help="print each change anyone makes in a team database, as it happens",
        description="Print one line per change made by anyone on a team database until "
        "interrupted (Ctrl+C). With --json each line is {sprint_id, what, id, by, at}.",
    )
    p.add_argument("sprint", nargs="?", help="only this sprint (its id or name)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(run=cmd_watch)


RECONNECT_DELAYS = (1, 2, 5, 10, 30)


def cmd_watch(args: argparse.Namespace, ctx: CliContext) -> int:
    import json
    import time

    import psycopg

    from sprintdesk.storage.live import Listener
    from sprintdesk.storage.server import is_server_url

    if not is_server_url(ctx.url):
        raise CliError(
            "watching needs a team database (--db postgresql+psycopg://USER@HOST/DATABASE); "
            "this computer's own database has nobody else writing to it."
        )
    sprint_id = _sprint_id(ctx, args.sprint) if args.sprint else None
    listener = Listener(ctx.url)
    listener.connect()
    print(f"watching {display_url(ctx.url)} (Ctrl+C to stop)", file=sys.stderr, flush=True)
    failures = 0
    try:
        while True:
            try:
                changes = listener.wait(None)
                failures = 0
            except psycopg.OperationalError:
                listener.close()
                delay = RECONNECT_DELAYS[min(failures, len(RECONNECT_DELAYS) - 1)]
                failures += 1
                print(f"connection lost; trying again in {delay} s", file=sys.stderr, flush=True)
                time.sleep(delay)
                try:
                    listener.connect()
                except Exception:
                    continue
                print(
                    "reconnected (changes made while away are not replayed)",
                    file=sys.stderr,
                    flush=True,
                )
                continue
            for change in changes:
                if sprint_id is not None and change.sprint_id != sprint_id:
                    continue
                if change.what == "presence":  # somebody opened or left a sprint: no change
                    continue
                if args.json:
                    line = json.dumps(change.as_json(), ensure_ascii=False)
                else:
                    line = f"{change.at} {change.by}: {change.op} {change.what} {change.id}"
                    if change.sprint_id is not None:
                        line += f" (sprint {change.sprint_id})"
                print(line, flush=True)
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        listener.close()


def _sprint_id(ctx: CliContext, wanted: str) -> int:
    from sqlalchemy import select

    from sprintdesk.plan.model import Sprint

    with ctx.store.session() as session:
        if wanted.isdigit() and session.get(Sprint, int(wanted)) is not None:
            return int(wanted)
        found = session.scalars(select(Sprint.id).where(Sprint.name == wanted)).first()
    if found is None:
        raise CliError(f"no sprint {wanted!r}")
    return int(found)
