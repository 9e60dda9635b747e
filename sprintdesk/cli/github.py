"""``sprintdesk publish``, ``pull`` and ``import-github``: the plan on GitHub from the command
line (``import-github`` brings a repository's sprint issues in as the sprint history).

``publish`` prints the issue URL (exit 0) or one line saying why not (exit 1); bad input exits 2.
The token comes from ``GH_TOKEN``, then ``GITHUB_TOKEN``, then the keyring entry for the API host.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sprintdesk.cli.main import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    CliContext,
    CliError,
    plural,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from sprintdesk.github.client import GitHubClient


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("publish", help="publish a sprint's plan to a GitHub issue")
    p.add_argument("sprint", help="sprint id or exact name")
    p.add_argument("--repo", help="OWNER/NAME (default: where the sprint was published before)")
    p.add_argument("--api-url", help="GitHub API URL (default: the setting, or api.github.com)")
    p.add_argument(
        "--label",
        action="append",
        default=None,
        help="label for the issue (repeatable; default: sprint)",
    )
    p.add_argument("--assignee", action="append", default=[], help="GitHub login (repeatable)")
    p.add_argument("--milestone", help="title of an open milestone")
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="make GitHub match the plan: replace every part edited on GitHub, changed in the "
        "plan or not (reads the issue and its comments first; writes only what differs)",
    )
    p.set_defaults(run=cmd_publish)

    p = sub.add_parser("pull", help="import team sections edited on GitHub into the plan")
    p.add_argument("sprint", help="sprint id or exact name")
    p.add_argument("--apply", action="store_true", help="apply the changes (default: show them)")
    p.set_defaults(run=cmd_pull)

    p = sub.add_parser(
        "import-github",
        help="import a repository's sprint issues (body and comments) as the sprint history",
    )
    p.add_argument("--repo", required=True, help="OWNER/NAME")
    p.add_argument("--label", default="sprint", help="the issues' label (default: sprint)")
    p.add_argument("--since", help="only issues updated on or after this date (YYYY-MM-DD)")
    p.add_argument("--api-url", help="GitHub API URL (default: the setting, or api.github.com)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(run=cmd_import_github)


def _token(api_url: str) -> str:
    from sprintdesk.system.secrets import cli_token

    token, source = cli_token(api_url)
    if token is None:
        raise CliError(source, EXIT_FAILURE)
    return token


def _client(session: Session, api_url: str) -> GitHubClient:
    """A client for ``api_url`` with the command line's token (settings from the database)."""
    from sprintdesk.github import client as github

    try:
        return github.make_client(session, _token(api_url), api_url)
    except github.PublishError as exc:
        raise CliError(exc.message, EXIT_FAILURE) from None


def _find_sprint(session: object, key: str) -> object:
    from sprintdesk.plan.planning import PlanError, find_sprint

    try:
        return find_sprint(session, key)  # type: ignore[arg-type]
    except PlanError as exc:
        raise CliError(str(exc)) from None


def cmd_publish(args: argparse.Namespace, ctx: CliContext) -> int:
    from sprintdesk.github import client as github
    from sprintdesk.github import publishing
    from sprintdesk.plan.model import Sprint

    with ctx.store.session() as session:
        sprint = _find_sprint(session, args.sprint)
        assert isinstance(sprint, Sprint)
        repo_text = args.repo or sprint.publish_repo
        if not repo_text:
            raise CliError("say where to publish: --repo OWNER/NAME", EXIT_USAGE)
        try:
            repo = github.validate_repo(repo_text)
        except ValueError as exc:
            raise CliError(str(exc), EXIT_USAGE) from None
        try:
            api_url = github.validate_api_url(
                args.api_url or sprint.publish_api_url or github.api_url_setting(session)
            )
        except ValueError as exc:
            raise CliError(str(exc), EXIT_USAGE) from None
        labels = tuple(args.label) if args.label is not None else ("sprint",)
        target = publishing.Target(
            repo, api_url, labels, tuple(a.lstrip("@") for a in args.assignee), args.milestone
        )
        rendered = publishing.render_for_publish(sprint)
        sprint_id = sprint.id
        client = _client(session, api_url)
    try:
        with client:
            result = publishing.publish(
                ctx.store, sprint_id, rendered, target, client, overwrite=args.overwrite
            )
    except github.PublishConflictError as exc:
        hint = "use --overwrite, or 'sprintdesk pull' first" if exc.pullable else "use --overwrite"
        raise CliError(f"{exc.message} ({hint})", EXIT_FAILURE) from None
    except github.PublishError as exc:
        raise CliError(exc.message, EXIT_FAILURE) from None
    with ctx.store.unit_of_work() as session:
        github.remember_repo(session, repo)
    print(result.issue_url)
    if result.unchanged and result.checked_remote:
        print("GitHub already matches the plan; nothing was sent.", file=sys.stderr)
    elif result.unchanged:
        print(
            "Nothing changed in the plan since the last publish; nothing was sent. Edits made "
            "on GitHub were not checked: --overwrite makes GitHub match the plan.",
            file=sys.stderr,
        )
    elif result.checked_remote:
        print(
            f"GitHub now matches the plan: {plural(result.writes_sent, 'request')} sent.",
            file=sys.stderr,
        )
    return EXIT_OK


def cmd_pull(args: argparse.Namespace, ctx: CliContext) -> int:
    from sprintdesk.github import client as github
    from sprintdesk.github.pull import apply_pull, pull_preview
    from sprintdesk.plan.model import Sprint

    with ctx.store.session() as session:
        sprint = _find_sprint(session, args.sprint)
        assert isinstance(sprint, Sprint)
        if sprint.publish_issue_number is None or not sprint.publish_repo:
            raise CliError(f"Sprint {sprint.name!r} has not been published yet.", EXIT_FAILURE)
        api_url = sprint.publish_api_url or github.api_url_setting(session)
        sprint_id = sprint.id
        client = _client(session, api_url)
    try:
        with client:
            preview = pull_preview(ctx.store, sprint_id, client)
    except github.PublishError as exc:
        raise CliError(exc.message, EXIT_FAILURE) from None
    if not preview.changes:
        for line in preview.skipped:
            print(line, file=sys.stderr)
        print("Nothing to pull: no team section was edited on GitHub.")
        if preview.body_edited:
            print(preview.BODY_NOTE, file=sys.stderr)
        return EXIT_OK
    for line in preview.describe():
        print(line)
    if not args.apply:
        print("Run again with --apply to change the plan.", file=sys.stderr)
        return EXIT_OK
    apply_pull(ctx.store, sprint_id, preview)
    print(f"Pulled {plural(len(preview.changes), 'team section')} into the plan.")
    return EXIT_OK


def cmd_import_github(args: argparse.Namespace, ctx: CliContext) -> int:
    import json
    from datetime import datetime

    from sprintdesk.github import client as github
    from sprintdesk.github.history_import import import_history

    try:
        repo = github.validate_repo(args.repo)
    except ValueError as exc:
        raise CliError(str(exc), EXIT_USAGE) from None
    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since)
        except ValueError:
            raise CliError(
                f"--since {args.since!r} is not a date: write it as YYYY-MM-DD.", EXIT_USAGE
            ) from None
    label = (args.label or "").strip()
    if not label:
        raise CliError("--label cannot be empty.", EXIT_USAGE)
    with ctx.store.session() as session:
        try:
            api_url = github.validate_api_url(args.api_url or github.api_url_setting(session))
        except ValueError as exc:
            raise CliError(str(exc), EXIT_USAGE) from None
        try:
            client = github.make_client(session, _token(api_url), api_url)
        except github.PublishError as exc:
            raise CliError(exc.message, EXIT_FAILURE) from None
    try:
        with client:
            report = import_history(ctx.store, client, repo, label=label, since=since)
    except github.PublishError as exc:
        raise CliError(
            f"{exc.message} What was imported so far is kept; run the command again to continue.",
            EXIT_FAILURE,
        ) from None
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False))
        return EXIT_OK
    for entry in report.imported:
        print(f"imported #{entry['issue']} as sprint {entry['sprint_id']}: {entry['name']}")
    for entry in report.updated:
        print(f"updated #{entry['issue']} (sprint {entry['sprint_id']}): {entry['name']}")
    for entry in report.skipped:
        print(f"skipped #{entry['issue']}: {entry['why']}")
    for entry in report.comments_skipped:
        print(
            f"left out a comment on #{entry['issue']} ({entry['why']}): “{entry['text']}”"
            + (f" (comment {entry['comment']})" if entry["comment"] else "")
        )
    print(
        f"{len(report.imported)} imported, {len(report.updated)} updated, "
        f"{len(report.skipped)} skipped, {report.unchanged} unchanged; "
        f"{report.requests} requests to GitHub."
    )
    return EXIT_OK
