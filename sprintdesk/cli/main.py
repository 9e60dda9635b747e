"""The command line: ``sprintdesk [--data-dir DIR] [--db URL] <command>``.

No Qt here (a test proves that importing this module loads no PySide6): commands stay fast and
work on machines with no display. With no command, the window opens through ``sprintdesk.app``.
Exit codes: 0 success, 1 failure or check errors, 2 bad input, 141 when the reader of the
output closed the pipe early (`... | head`; quietly, as a program killed by SIGPIPE).

Commands live in modules listed in ``COMMAND_MODULES``; each has ``register(subparsers)`` that
adds its parsers with ``set_defaults(run=function)``, where ``function(args, ctx) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sprintdesk import __version__
from sprintdesk.cli.options import add_global_options
from sprintdesk.storage.store import (
    BadDatabaseUrlError,
    ReadOnlyStoreError,
    Store,
    StoreError,
    open_store,
    open_store_read_only,
    sqlite_path,
)
from sprintdesk.system.paths import default_url, resolve_data_dir

COMMAND_MODULES: tuple[str, ...] = (
    "sprintdesk.cli.main",
    "sprintdesk.selftest",
    "sprintdesk.cli.github",
    "sprintdesk.cli.markdown",
    "sprintdesk.cli.db",
)

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A one-line message for stderr and an exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class CliContext:
    data_dir: Path
    url: str
    # The database was named with --db: a command that only reads must not create it (a typo
    # in the path would otherwise leave new folders and an empty database behind).
    named: bool = False
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(self.url)
        return self._store

    @property
    def reader(self) -> Store:
        """The store for a command that only reads: as :attr:`store`, or where the database
        cannot be written (a read-only folder, an archive) opened to read only. A SQLite
        file named with --db that does not exist is refused (exit 2) and nothing is created."""
        if self._store is None and self.named:
            from sqlalchemy.exc import ArgumentError

            try:
                path = sqlite_path(self.url)
            except ArgumentError:
                path = None  # not a URL at all: opening it below says so
            if path is not None and not path.exists():
                raise CliError(
                    f"There is no database at {path}: nothing was created. Check the --db "
                    "path; 'sprintdesk new NAME' or 'sprintdesk demo' with it creates one."
                )
        if self._store is None:
            try:
                self._store = open_store(self.url)
            except ReadOnlyStoreError as refused:
                try:
                    self._store = open_store_read_only(self.url)
                except StoreError:
                    raise refused from None
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return number


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 outcome``, ``2 outcomes``: the count with the right English form."""
    return f"{count} {singular if count == 1 else (plural_form or singular + 's')}"


# How ``list`` names a sprint's state (the database keeps ``in_meeting``).
STATE_WORDS = {
    "draft": "draft",
    "in_meeting": "in meeting",
    "planned": "planned",
    "published": "published",
}


def state_words(state: str) -> str:
    return STATE_WORDS.get(state, state.replace("_", " "))


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line and exit 2, as for all bad input
        raise CliError(f"{self.prog}: {message}", EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sprintdesk", description="Run sprint-planning meetings.")
    parser.add_argument("--version", action="version", version=f"SprintDesk {__version__}")
    add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


# --- the foundation's commands -----------------------------------------------------------


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("demo", help="write a sample history of sprints, teams and people")
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser("list", help="list the sprints")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_list)

    p = sub.add_parser("check", help="run the plan checks on a sprint")
    p.add_argument("sprint", help="sprint id or exact name")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--max-goals", type=positive_int, default=None, help="goals per owner before a warning"
    )
    p.set_defaults(run=cmd_check)

    p = sub.add_parser("next", help="start the next sprint from a finished one")
    p.add_argument("sprint", help="sprint id or exact name")
    p.add_argument("--name")
    p.add_argument("--start", type=parse_date)
    p.add_argument("--end", type=parse_date)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_next)

    p = sub.add_parser("new", help="create a draft sprint")
    p.add_argument("name")
    p.add_argument("--start", type=parse_date)
    p.add_argument("--end", type=parse_date)
    p.add_argument("--template", default=None)
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=cmd_new)

    p = sub.add_parser("team", help="add a team")
    p.add_argument("name")
    p.add_argument("--member", action="append", default=[], help="GitHub login or name")
    p.set_defaults(run=cmd_team)

    p = sub.add_parser("person", help="add a person")
    p.add_argument("name")
    p.add_argument("--login", help="GitHub login")
    p.add_argument(
        "--role", default="engineer", choices=["engineer", "designer", "product", "other"]
    )
    p.set_defaults(run=cmd_person)


def _sprint_json(sprint: Any) -> dict[str, Any]:
    from sprintdesk.plan.meeting import meeting_state

    return {
        "id": sprint.id,
        "uuid": sprint.uuid,
        "name": sprint.name,
        "start": sprint.start.isoformat() if sprint.start else None,
        "end": sprint.end.isoformat() if sprint.end else None,
        # The meeting's state; publishing is its own fact (a draft can be published).
        "state": meeting_state(sprint.state),
        "published": sprint.published_at is not None or sprint.publish_issue_number is not None,
        "template": sprint.template,
        "previous_id": sprint.previous_id,
    }


def cmd_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    from sprintdesk.plan.demo import load_demo

    with ctx.store.unit_of_work() as session:
        from sqlalchemy import select

        from sprintdesk.plan.model import Person

        if session.scalar(select(Person.id).limit(1)) is not None:
            raise CliError(
                "The database already has people in it; the demo needs an empty one "
                "(use --data-dir to point at a new folder).",
                EXIT_FAILURE,
            )
        sprints = load_demo(session)
        names = ", ".join(s.name for s in sprints)
    print(f"Demo data written: {plural(len(sprints), 'sprint')} ({names}).")
    return EXIT_OK


def cmd_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from sqlalchemy import select

    from sprintdesk.plan.model import Sprint

    with ctx.reader.session() as session:
        sprints = list(session.scalars(select(Sprint).order_by(Sprint.start, Sprint.id)))
        rows = [_sprint_json(s) for s in sprints]
    if args.json:
        print_json(rows)
    elif not rows:
        print("No sprints yet. 'sprintdesk new NAME' or 'sprintdesk demo' creates some.")
    else:
        for row in rows:
            span = f"{row['start'] or '?'} → {row['end'] or '?'}"
            state = state_words(row["state"]) + (" · published" if row["published"] else "")
            print(f"{row['id']:>4}  {row['name']:<24} {span:<26} {state}")
    return EXIT_OK


def _find(session: Any, key: str) -> Any:
    from sprintdesk.plan.planning import PlanError, find_sprint

    try:
        return find_sprint(session, key)
    except PlanError as exc:
        raise CliError(str(exc)) from None


def cmd_check(args: argparse.Namespace, ctx: CliContext) -> int:
    from sprintdesk.plan.rules import check_sprint, has_errors
    from sprintdesk.plan.settings import get_int

    with ctx.reader.session() as session:
        sprint = _find(session, args.sprint)
        limit = (
            args.max_goals
            if args.max_goals is not None
            else get_int(session, "max_goals_per_owner", 2)
        )
        findings = check_sprint(sprint, max_goals_per_owner=limit)
    if args.json:
        print_json([f.to_json() for f in findings])
    elif not findings:
        print("No findings: the plan passes every check.")
    else:
        for f in findings:
            print(f"{f.severity.value:<8} {f.message}")
    return EXIT_FAILURE if has_errors(findings) else EXIT_OK


def cmd_next(args: argparse.Namespace, ctx: CliContext) -> int:
    from sprintdesk.plan.planning import PlanError, start_next_sprint

    with ctx.store.unit_of_work() as session:
        previous = _find(session, args.sprint)
        try:
            sprint = start_next_sprint(
                session, previous, name=args.name, start=args.start, end=args.end
            )
        except PlanError as exc:
            raise CliError(str(exc)) from None
        session.flush()
        row = _sprint_json(sprint)
        row["outcomes"] = len(sprint.outcomes)
    if args.json:
        print_json(row)
    else:
        print(
            f"Started sprint {row['id']}: {row['name']} ({row['start']} → {row['end']}), "
            f"{plural(row['outcomes'], 'outcome')} to review."
        )
    return EXIT_OK


def cmd_new(args: argparse.Namespace, ctx: CliContext) -> int:
    from sprintdesk.plan.planning import PlanError, create_sprint
    from sprintdesk.plan.templates import UnknownTemplateError

    with ctx.store.unit_of_work() as session:
        try:
            sprint = create_sprint(session, args.name, args.start, args.end, template=args.template)
        except (PlanError, UnknownTemplateError) as exc:
            raise CliError(str(exc)) from None
        session.flush()
        row = _sprint_json(sprint)
    if args.json:
        print_json(row)
    else:
        print(f"Created sprint {row['id']}: {row['name']}.")
    return EXIT_OK


def cmd_team(args: argparse.Namespace, ctx: CliContext) -> int:
    from sqlalchemy import or_, select

    from sprintdesk.plan.model import Person
    from sprintdesk.plan.planning import PlanError
    from sprintdesk.plan.roster import add_team

    with ctx.store.unit_of_work() as session:
        members = []
        for key in args.member:
            person = session.scalar(
                select(Person).where(
                    or_(Person.github_login == key.lstrip("@"), Person.name == key)
                )
            )
            if person is None:
                raise CliError(f"No person {key!r}; add them with 'sprintdesk person'.")
            members.append(person)
        try:
            team = add_team(session, args.name, members)
        except PlanError as exc:
            raise CliError(str(exc)) from None
        session.flush()
        print(f"Created team {team.id}: {team.name}.")
    return EXIT_OK


def cmd_person(args: argparse.Namespace, ctx: CliContext) -> int:
    from sprintdesk.plan.planning import PlanError
    from sprintdesk.plan.roster import add_person

    with ctx.store.unit_of_work() as session:
        try:
            person = add_person(session, args.name, args.login, args.role)
        except PlanError as exc:
            raise CliError(str(exc)) from None
        print(f"Added {person.name} ({person.role}) as person {person.id}.")
    return EXIT_OK


# --- entry point -------------------------------------------------------------------------

# The reader of our output went away (`sprintdesk check X --json | head`): what we did is done,
# only the rest of the output is lost. Exit as a program killed by SIGPIPE would (128 + 13), so
# `set -o pipefail` scripts can tell, but quietly: no traceback.
EXIT_BROKEN_PIPE = 141


def _reader_went_away() -> int:
    # Point stdout at /dev/null so the interpreter's last flush at exit cannot raise again
    # ("Exception ignored ... BrokenPipeError"), as the Python documentation advises.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file descriptor (stdout replaced in a test)
        pass
    return EXIT_BROKEN_PIPE


def main(
    argv: Sequence[str] | None = None, *, open_window: Callable[[Any], int] | None = None
) -> int:
    """Run a command. With none, ``open_window`` (the launcher's) opens the window; without it
    the usage is printed (exit 2)."""
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
    except BrokenPipeError:  # `sprintdesk --help | head`
        return _reader_went_away()
    except CliError as exc:
        print(str(exc), file=sys.stderr)
        return exc.code
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    if args.command is None:
        if open_window is None:
            parser.print_usage(sys.stderr)
            return EXIT_USAGE
        return open_window(args)
    data_dir = resolve_data_dir(args.data_dir)
    url = args.db or default_url(data_dir)
    ctx = CliContext(data_dir=data_dir, url=url, named=args.db is not None)
    try:
        code = int(args.run(args, ctx))
        sys.stdout.flush()  # a pipe closed early fails here, inside the handler below
        return code
    except BrokenPipeError:
        return _reader_went_away()
    except CliError as exc:
        print(f"sprintdesk: {exc}", file=sys.stderr)
        return exc.code
    except StoreError as exc:
        print(f"sprintdesk: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, BadDatabaseUrlError) else EXIT_FAILURE
    finally:
        ctx.close()


if __name__ == "__main__":
    sys.exit(main())
