"""``sprintdesk export`` and ``sprintdesk import``: the plan as markdown on the command line.

``export SPRINT [-o FILE] [--template NAME]`` writes every part (issue body, then one section per
team) as :func:`sprintdesk.markdown.render.render_markdown_file` does. ``import FILE|-
[--json]`` creates
a draft sprint from markdown and reports what was recognised. Bad input: one line on stderr and
exit 2.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from sprintdesk.cli.main import EXIT_OK, EXIT_USAGE, CliContext, CliError, _find, print_json

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help="write a sprint's plan as GitHub markdown")
    p.add_argument("sprint", help="sprint id or exact name")
    p.add_argument("-o", "--output", help="file to write (default: standard output)")
    p.add_argument("--template", help="render with this template instead of the sprint's")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("import", help="create a sprint from a markdown plan")
    p.add_argument("file", help="markdown file, or - for standard input")
    p.add_argument("--name", help="sprint name when the text has no 'Sprint ...' title")
    p.add_argument("--json", action="store_true", help="print the new sprint id and counts")
    p.set_defaults(run=cmd_import)


def _write(path: Path, text: str) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def cmd_export(args: argparse.Namespace, ctx: CliContext) -> int:
    from sprintdesk.markdown.render import render_markdown_file, render_plan
    from sprintdesk.plan.templates import UnknownTemplateError, get_template

    try:
        template = get_template(args.template) if args.template else None
    except UnknownTemplateError as exc:
        raise CliError(str(exc)) from None
    with ctx.reader.session() as session:
        sprint = _find(session, args.sprint)
        text = render_markdown_file(render_plan(sprint, template))
    if args.output and args.output != "-":
        path = Path(args.output)
        if path.is_dir():
            raise CliError(f"{path} is a folder; name a file to write.")
        try:
            _write(path, text)
        except OSError as exc:
            raise CliError(f"cannot write {path}: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    return EXIT_OK


def _read(name: str) -> tuple[bytes, str, str | None]:
    if name == "-":
        return sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1), "Standard input", None
    path = Path(name)
    try:
        if path.is_dir():
            raise CliError(f"{path} is a folder, not a markdown file.")
        with path.open("rb") as stream:
            data = stream.read(MAX_IMPORT_BYTES + 1)
    except FileNotFoundError:
        raise CliError(f"no such file: {path}") from None
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
    return data, path.name, path.stem


def cmd_import(args: argparse.Namespace, ctx: CliContext) -> int:
    from sprintdesk.markdown.importer import (
        PlanImportError,
        apply_plan,
        decode,
        import_summary,
        parse_plan,
        require_plan,
    )

    data, source, stem = _read(args.file)
    if len(data) > MAX_IMPORT_BYTES:
        raise CliError(f"{source} is larger than 20 MB; that is not a sprint plan.", EXIT_USAGE)
    try:
        parsed = parse_plan(decode(data, source=source), default_name=args.name or stem)
        require_plan(parsed, source)
    except PlanImportError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    if args.name:
        parsed.name = args.name.strip() or parsed.name
    with ctx.store.unit_of_work() as session:
        sprint = apply_plan(session, parsed, source=source)
        row = {"sprint_id": sprint.id, "name": sprint.name, "template": sprint.template}
    counts = parsed.counts()
    if args.json:
        no_login = [asdict(entry) for entry in parsed.no_login]
        print_json({**row, **counts, "problems": parsed.problems, "no_login": no_login})
    else:
        summary = import_summary(counts, parsed.problems, parsed.no_login)
        print(f"Imported sprint {row['sprint_id']}: {row['name']} — {summary}.")
    return EXIT_OK
