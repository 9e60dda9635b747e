"""A repository's sprint history from GitHub: every issue with a label (open and closed), its
body and its comments, imported as sprints linked in date order.

The issue body is the plan; each comment that names a team ("# Team X", a first line "Team X")
is that team's section; a comment that is not (chatter such as "LGTM", a team the issue has
already) is left out and listed in the report with why, so nothing written is dropped unseen. An
issue edited since it was imported updates its sprint in place (the meeting and anything else
GitHub does not carry are kept). Dates written without a year are read against the issue's creation
date. Each sprint remembers the issue it came from (``publish_repo``, ``publish_issue_number``)
and when that issue was last edited (``source_updated_at``), so running the import again
imports only new issues and re-imports those edited since: it never duplicates, and an
interrupted import resumes where it stopped (every issue is committed on its own).

Requests: one listing per 100 issues, plus one comments request per 100 comments of each issue
that has comments and is new or edited. Rate limits are honoured as publishing does (the
client refuses to send while one lasts). No Qt.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from sprintdesk.github.client import GitHubClient
from sprintdesk.markdown.importer import apply_plan, replace_plan
from sprintdesk.markdown.parse import parse_post
from sprintdesk.markdown.parsed import ParsedPlan, ParsedTeam
from sprintdesk.plan.model import Sprint, SprintState
from sprintdesk.storage.store import Store

PER_PAGE = 100
_UNNAMED_TEAM = "(unnamed)"


@dataclass
class IssuePost:
    """One issue as listed by GitHub, with its comments' bodies once fetched."""

    number: int
    title: str
    body: str
    created_at: datetime
    updated_at: datetime
    comment_count: int
    html_url: str = ""
    comments: list[str] = field(default_factory=list)
    comment_ids: list[int] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import did: the shape ``--json`` prints."""

    imported: list[dict[str, Any]] = field(default_factory=list)
    updated: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    # Comments of imported issues that were left out, each with why and how it starts, so
    # nothing a person wrote is dropped unseen ("LGTM", a team already in the issue...).
    comments_skipped: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    requests: int = 0
    cancelled: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "updated": self.updated,
            "skipped": self.skipped,
            "comments_skipped": self.comments_skipped,
            "requests": self.requests,
        }


def _when(text: str | None) -> datetime:
    if not text:
        return datetime(1970, 1, 1)
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value.astimezone(UTC).replace(tzinfo=None)


def _next_page(headers: Any) -> int | None:
    link = ""
    for key, value in dict(headers or {}).items():
        if str(key).lower() == "link":
            link = str(value)
    for part in link.split(","):
        if 'rel="next"' in part:
            url = part[part.find("<") + 1 : part.find(">")]
            page = parse_qs(urlsplit(url).query).get("page")
            if page:
                return int(page[-1])
    return None


class _Reader:
    """Paged GET requests through the client's requester, counted."""

    def __init__(self, client: GitHubClient, repo: str) -> None:
        self.client = client
        self.repo = repo
        self.requests = 0

    def pages(
        self, path: str, params: dict[str, Any], *, issue_number: int | None = None
    ) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        page: int | None = 1
        while page is not None:
            with self.client.errors(self.repo, issue_number):
                self.requests += 1
                headers, data = self.client.gh.requester.requestJsonAndCheck(
                    "GET", path, parameters={**params, "per_page": PER_PAGE, "page": page}
                )
            if isinstance(data, list):
                items.extend(d for d in data if isinstance(d, dict))
            page = _next_page(headers) if isinstance(data, list) and data else None
        return items


def list_issues(reader: _Reader, *, label: str, since: datetime | None = None) -> list[IssuePost]:
    """Every issue (open and closed, pull requests aside) with the label, oldest first."""
    params: dict[str, Any] = {
        "state": "all",
        "labels": label,
        "sort": "created",
        "direction": "asc",
    }
    if since is not None:
        params["since"] = since.strftime("%Y-%m-%dT%H:%M:%SZ")
    posts = []
    for item in reader.pages(f"/repos/{reader.repo}/issues", params):
        if "pull_request" in item:
            continue
        posts.append(
            IssuePost(
                number=int(item["number"]),
                title=str(item.get("title") or ""),
                body=str(item.get("body") or ""),
                created_at=_when(item.get("created_at")),
                updated_at=_when(item.get("updated_at")),
                comment_count=int(item.get("comments") or 0),
                html_url=str(item.get("html_url") or ""),
            )
        )
    posts.sort(key=lambda p: (p.created_at, p.number))
    return posts


def fetch_comments(reader: _Reader, post: IssuePost) -> None:
    if post.comment_count <= 0:
        return
    items = reader.pages(
        f"/repos/{reader.repo}/issues/{post.number}/comments", {}, issue_number=post.number
    )
    post.comments = [str(c.get("body") or "") for c in items]
    post.comment_ids = [int(c.get("id") or 0) for c in items]


_FENCED = re.compile(r"^\s{0,3}(`{3,}|~{3,}).*?^\s{0,3}\1\s*$", re.MULTILINE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_PLACEHOLDER = re.compile(r"^[\s#>*_\-\d.)\[\]:|…]*(?:___+|\.\.\.)?[\s*_\-.…]*$")


def _written(text: str) -> str:
    """What a person wrote: code-fenced templates and HTML comments aside."""
    return _COMMENT.sub("", _FENCED.sub("", text)).strip()


def _excerpt(text: str, length: int = 80) -> str:
    words = " ".join(text.split())
    return words if len(words) <= length else words[: length - 1] + "…"


def parse_issue(
    post: IssuePost,
    team_name: str | None = None,
    comments_skipped: list[dict[str, Any]] | None = None,
) -> tuple[ParsedPlan | None, str]:
    """The sprint an issue holds, or None and why it is skipped; ``team_name`` names the team a
    team-less task list belongs to (the repository's name). Comments left out (they name no
    team, or a team the issue has already) are added to ``comments_skipped`` with why."""
    today = post.created_at.date()
    written = _written(post.body)
    plan = (
        parse_post(post.body, title=post.title, today=today, default_team=team_name)
        if written
        else None
    )
    teams: list[ParsedTeam] = []
    left_out: list[tuple[int, str, str]] = []  # (comment index, why, text)
    for index, text in enumerate(post.comments):
        if not _written(text):
            if text.strip():
                left_out.append((index, "holds only a code block or HTML comments", text))
            continue
        team_plan = parse_post(text, comment=True, today=plan.start if plan else today)
        named = [t for t in team_plan.teams if t.name != _UNNAMED_TEAM]
        if not named:
            left_out.append((index, "names no team", text))
            continue
        for team in named:
            folded = team.name.casefold()
            if any(t.name.casefold() == folded for t in teams) or (
                plan is not None and any(t.name.casefold() == folded for t in plan.teams)
            ):
                left_out.append((index, f"Team {team.name} is in the issue already", text))
            else:
                teams.append(team)
    if plan is None:
        if not teams:
            why = "only an empty template" if post.body.strip() else "the issue is empty"
            return None, why
        plan = ParsedPlan()
        plan.name = post.title.strip() or f"Issue #{post.number}"
        plan.title_found = True
    plan.teams.extend(teams)
    if not _has_content(plan):
        return None, "nothing recognisable: only an empty template"
    if comments_skipped is not None:
        for index, why, text in left_out:
            ids = post.comment_ids
            comments_skipped.append(
                {
                    "issue": post.number,
                    "comment": ids[index] if index < len(ids) else None,
                    "why": why,
                    "text": _excerpt(text),
                }
            )
    return plan, ""


def _has_content(plan: ParsedPlan) -> bool:
    notes = [n.text for n in plan.notes] + [n.text for t in plan.teams for n in t.notes]
    real_notes = [n for n in notes if not _PLACEHOLDER.match(n) and not n.lstrip().startswith("#")]
    return bool(
        plan.outcomes
        or plan.retro_notes
        or plan.priorities
        or plan.goals
        or plan.duties
        or plan.support_hero
        or any(t.items or t.okrs or t.time_off or t.support_hero or t.duties for t in plan.teams)
        or real_notes
    )


def _apply(
    store: Store,
    post: IssuePost,
    plan: ParsedPlan,
    repo: str,
    api_url: str,
    sprint_id: int | None = None,
) -> int:
    """Save the issue's plan: a new sprint, or (``sprint_id``, an issue edited since it was
    imported) the same sprint updated in place, its meeting and local data kept."""
    with store.unit_of_work() as session:
        existing = session.get(Sprint, sprint_id) if sprint_id is not None else None
        record: dict[str, object] = {
            "publish_repo": repo,
            "publish_api_url": api_url,
            "publish_issue_number": post.number,
            "publish_issue_url": post.html_url or None,
            "source_updated_at": post.updated_at,
            "created_at": post.created_at,
        }
        if existing is not None:
            sprint = replace_plan(session, existing, plan, source=f"issue #{post.number}")
            for key, value in record.items():
                setattr(sprint, key, value)
        else:
            record["state"] = SprintState.PUBLISHED.value
            sprint = apply_plan(session, plan, source=f"issue #{post.number}", record=record)
        return sprint.id


def _known(store: Store, repo: str) -> dict[int, tuple[int, datetime | None]]:
    with store.session() as session:
        rows = session.execute(
            select(Sprint.publish_issue_number, Sprint.id, Sprint.source_updated_at).where(
                Sprint.publish_repo == repo, Sprint.publish_issue_number.is_not(None)
            )
        ).all()
    return {int(n): (int(i), when) for n, i, when in rows if n is not None}


def link_in_date_order(store: Store, repo: str) -> None:
    """The repository's imported sprints, oldest first, each pointing at the one before."""
    with store.unit_of_work() as session:
        sprints = list(
            session.scalars(
                select(Sprint).where(
                    Sprint.publish_repo == repo, Sprint.source_updated_at.is_not(None)
                )
            )
        )
        sprints.sort(key=lambda s: (s.start or s.created_at.date() or date.min, s.created_at))
        previous: Sprint | None = None
        for sprint in sprints:
            sprint.previous_id = previous.id if previous is not None else None
            previous = sprint


Progress = Callable[[int, int, str], None]


def import_history(
    store: Store,
    client: GitHubClient,
    repo: str,
    *,
    label: str = "sprint",
    since: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import the repository's sprint issues (see the module's docstring)."""
    reader = _Reader(client, repo)
    report = ImportReport()
    try:
        posts = list_issues(reader, label=label, since=since)
        known = _known(store, repo)
        for index, post in enumerate(posts):
            if cancelled is not None and cancelled():
                report.cancelled = True
                break
            if progress is not None:
                progress(index, len(posts), post.title)
            existing = known.get(post.number)
            if existing is not None and existing[1] == post.updated_at:
                report.unchanged += 1
                continue
            fetch_comments(reader, post)
            plan, why = parse_issue(post, repo.split("/")[-1], report.comments_skipped)
            if plan is None:
                report.skipped.append({"issue": post.number, "why": why})
                continue
            sprint_id = _apply(
                store, post, plan, repo, client.api_url, existing[0] if existing else None
            )
            entry = {"issue": post.number, "sprint_id": sprint_id, "name": plan.name}
            if existing is not None:
                report.updated.append(entry)
            else:
                report.imported.append(entry)
        if progress is not None and not report.cancelled:
            progress(len(posts), len(posts), "")
    finally:
        report.requests = reader.requests
        link_in_date_order(store, repo)
    return report
