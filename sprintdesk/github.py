"""Publish a rendered plan to GitHub as one issue plus one comment per part; update it; pull it.

No Qt here. PyGithub is set up with an explicit timeout and :class:`SafeRetry`, a ``GithubRetry``
that never resends a POST (the default resends a timed-out ``POST /issues`` and creates a
duplicate) and never sleeps through a rate limit. Creating is never retried blindly: the issue
body carries the plan's marker and every comment a part marker, and after an unclear failure
(timeout, 5xx, dropped connection, a killed app) the repository's recent issues (the list
endpoint, not search, which lags) and the issue's comments are searched for them before
anything is created again. Progress is written to the database after every part, so the next
publish finishes an interrupted one. A part edited on GitHub since our last write is a
:class:`PublishConflictError`: the caller chooses to overwrite or to pull first.
"""

from __future__ import annotations

import hashlib
import re
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol

from sprintdesk import __version__
from sprintdesk.model import PublishedPart, Sprint, SprintState
from sprintdesk.secrets import DEFAULT_API_URL, host_of

if TYPE_CHECKING:
    from github.Issue import Issue
    from github.IssueComment import IssueComment
    from github.Repository import Repository
    from sqlalchemy.orm import Session

    from sprintdesk.store import Store

MAX_BODY = 65536
DEFAULT_TIMEOUT = 15
# How many of the repository's most recent issues are searched for the plan's marker.
MARKER_SEARCH_LIMIT = 100
DEFAULT_RATE_WAIT = 60
REPO_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
PART_MARKER_RE = re.compile(r"<!--\s*sprintdesk:part=([^\s>]+)\s*-->")

WriteAction = Literal[
    "create_issue", "edit_issue", "create_comment", "edit_comment", "delete_comment"
]


# --- what we publish ------------------------------------------------------------------------


class PartLike(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def markdown(self) -> str: ...


class RenderedLike(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def parts(self) -> Sequence[PartLike]: ...


def part_marker(key: str) -> str:
    return f"<!-- sprintdesk:part={key} -->"


def find_part_marker(text: str | None) -> str | None:
    match = PART_MARKER_RE.search(text or "")
    return match.group(1) if match else None


def text_hash(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Outgoing:
    """One part exactly as it is sent: the issue body (``key == "body"``) or a comment."""

    key: str
    title: str
    text: str
    position: int

    @property
    def is_body(self) -> bool:
        return self.key == "body"

    def content_hash(self, issue_title: str) -> str:
        # The body's hash covers the issue title too: a new title is a change to send.
        return text_hash(f"{issue_title}\n\0{self.text}" if self.is_body else self.text)


def _plan_marker(uuid: str) -> str:
    from sprintdesk.render import plan_marker

    return plan_marker(uuid)


def _has_plan_marker(text: str | None, uuid: str) -> bool:
    from sprintdesk.render import find_marker

    return find_marker(text or "") == uuid


def outgoing_parts(rendered: RenderedLike, plan_uuid: str) -> list[Outgoing]:
    """The parts in publishing order with their hidden markers: body, continuations, teams."""
    parts = list(rendered.parts)
    body = [p for p in parts if p.key == "body"]
    continuations = [p for p in parts if p.key.startswith("body#")]
    others = [p for p in parts if p.key != "body" and not p.key.startswith("body#")]
    out: list[Outgoing] = []
    for position, part in enumerate(body + continuations + others):
        text = part.markdown
        if part.key == "body":
            marker = _plan_marker(plan_uuid)
            if marker not in text:
                text = text.rstrip("\n") + "\n\n" + marker + "\n"
        elif part_marker(part.key) not in text:
            text = text.rstrip("\n") + "\n\n" + part_marker(part.key) + "\n"
        out.append(Outgoing(part.key, part.title, text, position))
    if not out or not out[0].is_body:
        raise ValueError("A rendered plan must start with its body part.")
    return out


@dataclass(frozen=True)
class Target:
    """Where and how to publish."""

    repo: str
    api_url: str = DEFAULT_API_URL
    labels: tuple[str, ...] = ("sprint",)
    assignees: tuple[str, ...] = ()
    milestone: str | None = None


def validate_api_url(text: str) -> str:
    """An http(s) API URL without the trailing slash, or ValueError with a message."""
    from urllib.parse import urlsplit

    value = text.strip().rstrip("/") or DEFAULT_API_URL
    parts = urlsplit(value)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(
            f"“{text.strip()}” is not an API URL: use https://api.github.com, or "
            "https://HOST/api/v3 for GitHub Enterprise Server."
        )
    return value


def validate_repo(text: str) -> str:
    """``owner/name`` cleaned up, or ValueError with a message for the user."""
    value = text.strip().removeprefix("https://github.com/").strip("/")
    value = value.removesuffix(".git")
    if not REPO_RE.match(value):
        raise ValueError(f"“{text.strip()}” is not a repository: write it as owner/name.")
    return value


@dataclass(frozen=True)
class Write:
    """One write request a publish will send."""

    action: WriteAction
    key: str
    text: str = ""
    comment_id: int | None = None

    def describe(self) -> str:
        return {
            "create_issue": "create the issue",
            "edit_issue": "update the issue",
            "create_comment": f"add the comment {self.key}",
            "edit_comment": f"update the comment {self.key}",
            "delete_comment": f"delete the comment {self.key}",
        }[self.action]


def _same_target(sprint: Sprint, target: Target) -> bool:
    return (
        sprint.publish_issue_number is not None
        and (sprint.publish_repo or "").lower() == target.repo.lower()
        and host_of(sprint.publish_api_url or DEFAULT_API_URL) == host_of(target.api_url)
    )


def plan_writes(sprint: Sprint, rendered: RenderedLike, target: Target) -> list[Write]:
    """The write requests a publish would send now, in order (no network)."""
    outgoing = outgoing_parts(rendered, sprint.uuid)
    if not _same_target(sprint, target):
        writes = [Write("create_issue", "body", outgoing[0].text)]
        writes += [Write("create_comment", o.key, o.text) for o in outgoing[1:]]
        return writes
    records = {p.key: p for p in sprint.published_parts}
    writes = []
    for part in outgoing:
        record = records.get(part.key)
        wanted = part.content_hash(rendered.title)
        if part.is_body:
            if record is None or record.content_hash != wanted:
                writes.append(Write("edit_issue", "body", part.text))
        elif record is None or record.comment_id is None:
            writes.append(Write("create_comment", part.key, part.text))
        elif record.content_hash != wanted:
            writes.append(Write("edit_comment", part.key, part.text, record.comment_id))
    keys = {o.key for o in outgoing}
    for record in sprint.published_parts:
        if record.key not in keys and record.comment_id is not None:
            writes.append(Write("delete_comment", record.key, "", record.comment_id))
    return writes


# --- errors -----------------------------------------------------------------------------


class PublishError(Exception):
    """A failure the user is told about in plain words. ``pending``: retrying later may work."""

    pending = False

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TokenMissingError(PublishError):
    pass


class TokenRejectedError(PublishError):
    """401: the token is wrong, expired or revoked (the settings should open)."""


class PermissionDeniedError(PublishError):
    pass


class RateLimitedError(PublishError):
    pending = True

    def __init__(self, message: str, wait_seconds: float) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class RepoNotFoundError(PublishError):
    pass


class IssuesDisabledError(PublishError):
    pass


class IssueGoneError(PublishError):
    """The published issue was deleted or transferred on GitHub."""


class ValidationFailedError(PublishError):
    """422: GitHub refused the content; ``github_message`` is what GitHub said."""

    def __init__(self, message: str, github_message: str) -> None:
        super().__init__(message)
        self.github_message = github_message


class ServerError(PublishError):
    pending = True


class NetworkError(PublishError):
    pending = True

    def __init__(self, message: str, *, unclear: bool = True) -> None:
        super().__init__(message)
        # False when the connection was never made: GitHub cannot have done anything.
        self.unclear = unclear


def _never_sent(exc: BaseException) -> bool:
    """True when the request failed before reaching the server (refused, DNS, connect timeout)."""
    from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError

    seen: set[int] = set()
    todo: list[object] = [exc]
    while todo:
        item = todo.pop()
        if not isinstance(item, BaseException) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, (NewConnectionError, ConnectTimeoutError, NameResolutionError)):
            return True
        todo.extend(item.args)
        todo.append(getattr(item, "reason", None))
        todo.append(item.__cause__)
        todo.append(item.__context__)
    return False


class PublishConflictError(PublishError):
    """Parts of the issue were edited on GitHub since our last publish."""

    def __init__(self, keys: list[str]) -> None:
        names = ", ".join("the issue body" if k == "body" else k for k in keys)
        super().__init__(
            f"Someone edited {names} on GitHub since the last publish. Overwrite their "
            "changes, or pull them into the plan first."
        )
        self.keys = keys


# Rate limits seen per API host: nothing is sent to that host before the time given.
_not_before: dict[str, float] = {}
_not_before_lock = threading.Lock()


def _wait_text(seconds: float) -> str:
    seconds = max(1, int(seconds + 0.999))
    if seconds < 90:
        return f"{seconds} seconds"
    minutes = (seconds + 59) // 60
    if minutes < 90:
        return f"{minutes} minutes"
    return f"{(minutes + 59) // 60} hours"


def rate_limit_wait(api_url: str) -> float:
    """Seconds until this API host may be asked again (0 when it may be asked now)."""
    with _not_before_lock:
        until = _not_before.get(host_of(api_url), 0.0)
    return max(0.0, until - time.time())


def clear_rate_limits() -> None:
    with _not_before_lock:
        _not_before.clear()


def _header(headers: Any, name: str) -> str | None:
    if not headers:
        return None
    for key, value in dict(headers).items():
        if key.lower() == name.lower():
            return str(value)
    return None


def _rate_limit_seconds(headers: Any) -> float:
    retry_after = _header(headers, "Retry-After")
    if retry_after:
        try:
            return max(1.0, float(retry_after))
        except ValueError:
            try:
                return max(1.0, parsedate_to_datetime(retry_after).timestamp() - time.time())
            except (TypeError, ValueError):
                pass
    reset = _header(headers, "X-RateLimit-Reset")
    if reset and _header(headers, "X-RateLimit-Remaining") == "0":
        try:
            return max(1.0, float(reset) - time.time())
        except ValueError:
            pass
    return float(DEFAULT_RATE_WAIT)


def _github_message(data: Any) -> str:
    if not isinstance(data, dict):
        return str(data or "").strip()
    message = str(data.get("message") or "").strip()
    details = []
    for error in data.get("errors") or []:
        if isinstance(error, dict):
            detail = error.get("message") or " ".join(
                str(error[k]) for k in ("field", "code") if error.get(k)
            )
            if detail:
                details.append(str(detail))
        elif error:
            details.append(str(error))
    return f"{message}: {'; '.join(details)}" if details else message


def translate(
    exc: BaseException, *, api_url: str, repo: str = "", issue_number: int | None = None
) -> PublishError:
    """Turn a PyGithub or network exception into a :class:`PublishError` with a plain message."""
    import requests
    from github import GithubException

    if isinstance(exc, PublishError):
        return exc
    host = host_of(api_url)
    if isinstance(exc, GithubException):
        status, data, headers = exc.status, exc.data, exc.headers
        message = _github_message(data)
        is_rate = status == 429 or (
            status == 403
            and (
                _header(headers, "Retry-After") is not None
                or _header(headers, "X-RateLimit-Remaining") == "0"
                or "rate limit" in message.lower()
            )
        )
        if status == 401:
            return TokenRejectedError(
                f"GitHub rejected the token for {host} (401): it is wrong, expired or revoked. "
                "Check it in Settings → GitHub."
            )
        if is_rate:
            wait = _rate_limit_seconds(headers)
            with _not_before_lock:
                _not_before[host] = max(_not_before.get(host, 0.0), time.time() + wait)
            return RateLimitedError(
                f"GitHub's rate limit was reached; SprintDesk will not ask again for "
                f"{_wait_text(wait)}. The plan is kept; publish again after that.",
                wait,
            )
        if status == 403:
            return PermissionDeniedError(
                f"The token may not write issues in {repo or 'this repository'} (403: "
                f"{message or 'forbidden'}). Give it the repo (or Issues: write) permission."
            )
        if status == 404:
            if issue_number is not None:
                return IssueGoneError(
                    f"Issue #{issue_number} in {repo} was not found: it was deleted, moved or "
                    "you lost access to it."
                )
            return RepoNotFoundError(
                f"Repository {repo or '?'} was not found on {host}, or the token has no access "
                "to it."
            )
        if status == 410:
            if issue_number is not None and "disabled" not in message.lower():
                return IssueGoneError(f"Issue #{issue_number} in {repo} was deleted on GitHub.")
            return IssuesDisabledError(f"Issues are disabled on {repo or 'that repository'}.")
        if status == 422:
            return ValidationFailedError(
                f"GitHub refused the content (422): {message or 'validation failed'}.", message
            )
        if status >= 500:
            return ServerError(
                f"GitHub had a problem ({status}); nothing is lost. Publish again in a moment."
            )
        return PublishError(f"GitHub answered {status}: {message or 'unexpected error'}.")
    if isinstance(exc, requests.exceptions.Timeout):
        return NetworkError(
            f"GitHub ({host}) did not answer in time. The plan is marked “publish pending”; "
            "publish again when the connection is back."
        )
    if isinstance(exc, requests.exceptions.RetryError):
        return ServerError(
            f"GitHub ({host}) kept failing; nothing is lost. Publish again in a moment."
        )
    if isinstance(exc, (requests.exceptions.ConnectionError, OSError)):
        if _never_sent(exc):
            return NetworkError(
                f"Cannot reach GitHub ({host}): no network connection or the server is down. "
                "The plan is marked “publish pending”; publish again when you are back online.",
                unclear=False,
            )
        return NetworkError(
            f"Cannot reach GitHub ({host}): no network connection or the server is down. "
            "The plan is marked “publish pending”; publish again when you are back online."
        )
    return PublishError(f"Publishing failed: {exc}")


def _is_unclear(error: PublishError) -> bool:
    """After this failure a write may or may not have been carried out by GitHub."""
    if isinstance(error, NetworkError):
        return error.unclear
    return isinstance(error, ServerError)


# --- the client -------------------------------------------------------------------------


def _safe_retry_class() -> type[Any]:
    from github import GithubRetry

    class SafeRetry(GithubRetry):
        """Retry reads (and idempotent PATCH/DELETE) on 5xx and network errors; never POST.

        Rate-limit answers (403/429) are never retried here: sleeping through them would hang
        the publish; the caller is told how long to wait instead.
        """

        def __init__(self, **kwargs: Any) -> None:
            kwargs.setdefault("total", 2)
            kwargs.setdefault("backoff_factor", 0.5)
            kwargs["allowed_methods"] = frozenset({"GET", "HEAD", "PATCH", "DELETE"})
            kwargs.setdefault("status_forcelist", [500, 502, 503, 504])
            kwargs.setdefault("raise_on_status", False)
            kwargs.setdefault("respect_retry_after_header", False)
            kwargs.setdefault("max_rate_limit_wait", 0)
            super().__init__(**kwargs)

        def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
            if status_code in (403, 429) or method.upper() == "POST":
                return False
            return bool(super().is_retry(method, status_code, has_retry_after))

        def _is_method_retryable(self, method: str) -> bool:
            return method.upper() != "POST" and bool(super()._is_method_retryable(method))

    return SafeRetry


@dataclass(frozen=True)
class TokenInfo:
    login: str
    scopes: tuple[str, ...] | None  # None: a fine-grained token (no X-OAuth-Scopes header)
    warning: str | None


class GitHubClient:
    """PyGithub set up for SprintDesk: explicit timeout, safe retries, lazy objects."""

    def __init__(
        self,
        token: str,
        api_url: str = DEFAULT_API_URL,
        *,
        timeout: int = DEFAULT_TIMEOUT,
        retries: int = 2,
        backoff: float = 0.5,
        seconds_between_writes: float | None = 1.0,
        seconds_between_requests: float | None = 0.25,
    ) -> None:
        from github import Auth, Github

        if not token:
            raise TokenMissingError("No GitHub token: add one in Settings → GitHub.")
        self.api_url = api_url.strip().rstrip("/") or DEFAULT_API_URL
        self.host = host_of(self.api_url)
        self.retry = _safe_retry_class()(total=retries, backoff_factor=backoff)
        self.gh = Github(
            base_url=self.api_url,
            auth=Auth.Token(token),
            timeout=int(timeout),
            retry=self.retry,
            lazy=True,
            user_agent=f"SprintDesk/{__version__}",
            seconds_between_requests=seconds_between_requests,
            seconds_between_writes=seconds_between_writes,
        )

    def close(self) -> None:
        self.gh.close()

    def __enter__(self) -> GitHubClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def errors(self, repo: str = "", issue_number: int | None = None) -> Iterator[None]:
        """Translate anything PyGithub raises; refuse to send while a rate limit lasts."""
        wait = rate_limit_wait(self.api_url)
        if wait > 0:
            raise RateLimitedError(
                f"GitHub's rate limit is still in effect; try again in {_wait_text(wait)}.", wait
            )
        try:
            yield
        except PublishError:
            raise
        except Exception as exc:
            raise translate(
                exc, api_url=self.api_url, repo=repo, issue_number=issue_number
            ) from exc

    def check_token(self) -> TokenInfo:
        """``GET /user``: who the token belongs to and, for classic tokens, its scopes."""
        with self.errors():
            headers, data = self.gh.requester.requestJsonAndCheck("GET", "/user")
        login = str(data.get("login") or "?")
        raw = _header(headers, "X-OAuth-Scopes")
        if raw is None:
            return TokenInfo(login, None, None)
        scopes = tuple(s.strip() for s in raw.split(",") if s.strip())
        warning = None
        if "repo" not in scopes and "public_repo" not in scopes:
            warning = (
                "This classic token has neither the repo nor the public_repo scope: it cannot "
                "create issues."
            )
        return TokenInfo(login, scopes, warning)

    def repo(self, full_name: str) -> Repository:
        return self.gh.get_repo(full_name)


# --- publishing -------------------------------------------------------------------------


@dataclass
class PublishResult:
    issue_number: int
    issue_url: str
    writes_sent: int = 0
    created: bool = False
    adopted: list[str] = field(default_factory=list)  # parts found on GitHub after a failure

    @property
    def unchanged(self) -> bool:
        return self.writes_sent == 0 and not self.adopted


Progress = Callable[[int, int, str], None]


def _find_issue_by_marker(
    client: GitHubClient, repo: Repository, target: Target, uuid: str
) -> Issue | None:
    """The plan's issue among the repository's most recent ones (list endpoint, not search)."""
    with client.errors(target.repo):
        issues = repo.get_issues(state="all", sort="created", direction="desc")
        for index, issue in enumerate(issues):
            if index >= MARKER_SEARCH_LIMIT:
                break
            if issue.pull_request is None and _has_plan_marker(issue.body, uuid):
                return issue
    return None


def _comments_by_marker(
    client: GitHubClient, issue: Issue, target: Target, number: int
) -> dict[str, IssueComment]:
    found: dict[str, IssueComment] = {}
    with client.errors(target.repo, number):
        for comment in issue.get_comments():
            key = find_part_marker(comment.body)
            if key and key not in found:
                found[key] = comment
    return found


class _Recorder:
    """Writes the publish record after every step, each in its own short transaction."""

    def __init__(self, store: Store, sprint_id: int) -> None:
        self.store = store
        self.sprint_id = sprint_id

    def sprint(self, **values: Any) -> None:
        with self.store.unit_of_work() as session:
            sprint = session.get(Sprint, self.sprint_id)
            assert sprint is not None
            for name, value in values.items():
                setattr(sprint, name, value)

    def part(
        self,
        key: str,
        position: int,
        comment_id: int | None,
        content_hash: str,
        remote_text: str | None,
    ) -> None:
        with self.store.unit_of_work() as session:
            sprint = session.get(Sprint, self.sprint_id)
            assert sprint is not None
            record = next((p for p in sprint.published_parts if p.key == key), None)
            if record is None:
                record = PublishedPart(key=key)
                sprint.published_parts.append(record)
            record.position = position
            record.comment_id = comment_id
            record.content_hash = content_hash
            record.remote_hash = text_hash(remote_text)
            record.published_at = datetime.now()

    def drop_part(self, key: str) -> None:
        with self.store.unit_of_work() as session:
            sprint = session.get(Sprint, self.sprint_id)
            assert sprint is not None
            for record in list(sprint.published_parts):
                if record.key == key:
                    sprint.published_parts.remove(record)

    def forget_issue(self) -> None:
        with self.store.unit_of_work() as session:
            sprint = session.get(Sprint, self.sprint_id)
            assert sprint is not None
            sprint.published_parts.clear()
            sprint.publish_issue_number = None
            sprint.publish_issue_url = None


def publish(
    store: Store,
    sprint_id: int,
    rendered: RenderedLike,
    target: Target,
    client: GitHubClient,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> PublishResult:
    """Publish or update the plan. Raises :class:`PublishError` (and :class:`PublishConflictError`).

    The first publish sends exactly one write per part (the issue, then one comment per part);
    an unchanged plan sends nothing at all.
    """
    target = Target(
        validate_repo(target.repo),
        target.api_url.strip().rstrip("/") or DEFAULT_API_URL,
        target.labels,
        target.assignees,
        target.milestone,
    )
    recorder = _Recorder(store, sprint_id)
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        if sprint is None:
            raise PublishError("That sprint no longer exists.")
        uuid = sprint.uuid
        outgoing = outgoing_parts(rendered, uuid)
        writes = plan_writes(sprint, rendered, target)
        resuming = bool(sprint.publish_pending)
        same = _same_target(sprint, target)
        number = sprint.publish_issue_number if same else None
        url = sprint.publish_issue_url if same else None
        records = {p.key: (p.comment_id, p.remote_hash) for p in sprint.published_parts}
    if not writes and number is not None and url:
        recorder.sprint(
            publish_pending=False, publish_error=None, state=SprintState.PUBLISHED.value
        )
        return PublishResult(number, url)
    if not same and records:
        recorder.forget_issue()
        records = {}
    recorder.sprint(publish_pending=True, publish_error=None)
    sent = 0
    adopted: list[str] = []
    created = False
    total = len(writes)
    by_key = {o.key: o for o in outgoing}

    def tick(write: Write) -> None:
        if progress is not None:
            progress(min(sent + 1, total), total, write.describe())

    try:
        repo = client.repo(target.repo)
        body_part = outgoing[0]
        body_hash = body_part.content_hash(rendered.title)
        existing: dict[str, IssueComment] | None = None
        if number is None:
            issue = _find_issue_by_marker(client, repo, target, uuid) if resuming else None
            if issue is None:
                tick(writes[0])
                issue, sent_now, found = _create_issue(
                    client, repo, target, rendered.title, body_part.text, uuid
                )
                sent += sent_now
                created = not found
                if found:
                    adopted.append("body")
            else:
                adopted.append("body")
            number, url = issue.number, issue.html_url
            recorder.sprint(
                publish_issue_number=number,
                publish_issue_url=url,
                publish_repo=target.repo,
                publish_api_url=target.api_url,
            )
            if issue.body != body_part.text or issue.title != rendered.title:
                # An adopted issue from an interrupted attempt of an older draft: bring it up
                # to date (it is ours: it carries the plan's marker).
                with client.errors(target.repo, number):
                    issue.edit(title=rendered.title, body=body_part.text)
                sent += 1
            recorder.part("body", 0, None, body_hash, issue.body)
            writes = [w for w in writes if w.action != "create_issue"]
            if not created:
                existing = _comments_by_marker(client, issue, target, number)
        else:
            issue = repo.get_issue(number)
            edited = _remote_edits(client, issue, target, number, writes, records)
            if edited and not overwrite:
                raise PublishConflictError(edited)
            if resuming and any(w.action == "create_comment" for w in writes):
                existing = _comments_by_marker(client, issue, target, number)
        for write in writes:
            part = by_key.get(write.key)
            if write.action == "edit_issue":
                tick(write)
                with client.errors(target.repo, number):
                    issue.edit(title=rendered.title, body=write.text)
                sent += 1
                recorder.part("body", 0, None, body_hash, issue.body)
            elif write.action == "delete_comment":
                tick(write)
                assert write.comment_id is not None
                try:
                    with client.errors(target.repo, number):
                        issue.get_comment(write.comment_id).delete()
                except IssueGoneError:
                    pass  # already gone on GitHub: nothing to delete
                sent += 1
                recorder.drop_part(write.key)
            else:
                assert part is not None
                content_hash = part.content_hash(rendered.title)
                comment = existing.get(write.key) if existing is not None else None
                if comment is not None:
                    adopted.append(write.key)
                    if comment.body != write.text:
                        tick(write)
                        with client.errors(target.repo, number):
                            comment.edit(write.text)
                        sent += 1
                elif write.action == "edit_comment":
                    tick(write)
                    assert write.comment_id is not None
                    comment = issue.get_comment(write.comment_id)
                    with client.errors(target.repo, number):
                        comment.edit(write.text)
                    sent += 1
                else:
                    tick(write)
                    comment, sent_now, found = _create_comment(client, issue, target, number, write)
                    sent += sent_now
                    if found:
                        adopted.append(write.key)
                recorder.part(write.key, part.position, comment.id, content_hash, comment.body)
    except PublishError as error:
        recorder.sprint(
            publish_pending=error.pending
            or resuming
            or sent > 0
            or isinstance(error, PublishConflictError),
            publish_error=error.message,
        )
        raise
    assert number is not None and url is not None
    recorder.sprint(
        publish_pending=False,
        publish_error=None,
        published_at=datetime.now(),
        state=SprintState.PUBLISHED.value,
    )
    return PublishResult(number, url, sent, created, adopted)


def _milestone(client: GitHubClient, repo: Repository, target: Target) -> Any:
    from github.GithubObject import NotSet

    if not target.milestone:
        return NotSet
    wanted = target.milestone.strip()
    with client.errors(target.repo):
        for milestone in repo.get_milestones(state="open"):
            if milestone.title == wanted or str(milestone.number) == wanted:
                return milestone
    raise ValidationFailedError(
        f"{target.repo} has no open milestone named “{wanted}”.", "milestone not found"
    )


def _create_issue(
    client: GitHubClient, repo: Repository, target: Target, title: str, body: str, uuid: str
) -> tuple[Issue, int, bool]:
    """POST the issue once; after an unclear failure adopt it if GitHub did create it.

    Returns (issue, write requests sent, found after a failure).
    """
    from github.GithubObject import NotSet

    milestone = _milestone(client, repo, target)
    try:
        with client.errors(target.repo):
            issue = repo.create_issue(
                title=title,
                body=body,
                labels=list(target.labels) if target.labels else NotSet,
                assignees=list(target.assignees) if target.assignees else NotSet,
                milestone=milestone,
            )
        return issue, 1, False
    except PublishError as error:
        if not _is_unclear(error):
            raise
        found = _find_issue_by_marker(client, repo, target, uuid)
        if found is None:
            raise
        return found, 1, True


def _create_comment(
    client: GitHubClient, issue: Issue, target: Target, number: int, write: Write
) -> tuple[IssueComment, int, bool]:
    try:
        with client.errors(target.repo, number):
            return issue.create_comment(write.text), 1, False
    except PublishError as error:
        if not _is_unclear(error):
            raise
        found = _comments_by_marker(client, issue, target, number).get(write.key)
        if found is None:
            raise
        return found, 1, True


def _remote_edits(
    client: GitHubClient,
    issue: Issue,
    target: Target,
    number: int,
    writes: list[Write],
    records: dict[str, tuple[int | None, str | None]],
) -> list[str]:
    """Keys of the parts we are about to change that were edited on GitHub since our write."""
    edited: list[str] = []
    with client.errors(target.repo, number):
        for write in writes:
            if write.action == "edit_issue":
                _, remote_hash = records.get("body", (None, None))
                if remote_hash and text_hash(issue.body) != remote_hash:
                    edited.append("body")
            elif write.action in ("edit_comment", "delete_comment"):
                comment_id, remote_hash = records.get(write.key, (None, None))
                if comment_id is None or not remote_hash:
                    continue
                comment = issue.get_comment(comment_id)
                try:
                    with client.errors(target.repo, number):
                        remote = comment.body
                except IssueGoneError:
                    continue  # deleted on GitHub: editing it will fail and report it
                if text_hash(remote) != remote_hash:
                    edited.append(write.key)
    return edited


def publish_status(sprint: Sprint) -> str:
    """One line for the status bar about the sprint's publish state ("" when nothing to say)."""
    if sprint.publish_pending:
        reason = f": {sprint.publish_error}" if sprint.publish_error else ""
        return f"Publish pending{reason}"
    if sprint.publish_error:
        return f"Last publish failed: {sprint.publish_error}"
    if sprint.publish_issue_url:
        when = sprint.published_at.strftime("%Y-%m-%d %H:%M") if sprint.published_at else ""
        return f"Published to {sprint.publish_repo}#{sprint.publish_issue_number} {when}".strip()
    return ""


# --- settings that belong with the data (never the token) --------------------------------

SETTING_API_URL = "github_api_url"
SETTING_RECENT_REPOS = "github_recent_repos"
SETTING_LABELS = "github_labels"
SETTING_TIMEOUT = "github_timeout_seconds"
SETTING_WRITE_INTERVAL = "github_seconds_between_writes"
RECENT_REPOS_KEPT = 8


def api_url_setting(session: Session) -> str:
    from sprintdesk.settings import get

    return get(session, SETTING_API_URL, DEFAULT_API_URL).strip() or DEFAULT_API_URL


def recent_repos(session: Session) -> list[str]:
    from sprintdesk.settings import get_json

    value = get_json(session, SETTING_RECENT_REPOS, [])
    return [str(v) for v in value if isinstance(v, str)] if isinstance(value, list) else []


def remember_repo(session: Session, repo: str) -> None:
    from sprintdesk.settings import put_json

    repos = [repo] + [r for r in recent_repos(session) if r.lower() != repo.lower()]
    put_json(session, SETTING_RECENT_REPOS, repos[:RECENT_REPOS_KEPT])


@dataclass(frozen=True)
class ClientSettings:
    """How to talk to GitHub, read from the database on the UI thread; the client itself (and
    PyGithub's slow first import) is made on the worker thread with :meth:`client`."""

    timeout: int = DEFAULT_TIMEOUT
    seconds_between_writes: float = 1.0

    def client(self, token: str, api_url: str) -> GitHubClient:
        interval = self.seconds_between_writes
        return GitHubClient(
            token,
            api_url,
            timeout=self.timeout,
            seconds_between_writes=interval or None,
            seconds_between_requests=0.25 if interval else None,
        )


def client_settings(session: Session) -> ClientSettings:
    from sprintdesk.settings import get

    try:
        timeout = max(1, int(float(get(session, SETTING_TIMEOUT, str(DEFAULT_TIMEOUT)))))
    except ValueError:
        timeout = DEFAULT_TIMEOUT
    try:
        interval = max(0.0, float(get(session, SETTING_WRITE_INTERVAL, "1.0")))
    except ValueError:
        interval = 1.0
    return ClientSettings(timeout, interval)


def make_client(session: Session, token: str, api_url: str | None = None) -> GitHubClient:
    """A client configured from the database settings (timeout, pause between writes)."""
    return client_settings(session).client(token, api_url or api_url_setting(session))


# Room for the part marker SprintDesk adds to every comment.
MARKER_ROOM = 128


def render_for_publish(sprint: Sprint) -> RenderedLike:
    """The plan rendered with room left for the hidden part markers."""
    from sprintdesk.render import render_plan

    return render_plan(sprint, limit=MAX_BODY - MARKER_ROOM)


def get_labels_setting(session: Session) -> list[str]:
    """The labels last used (default: ``sprint``)."""
    from sprintdesk.settings import get_json

    value = get_json(session, SETTING_LABELS, ["sprint"])
    return [str(v) for v in value] if isinstance(value, list) else ["sprint"]


def put_labels_setting(session: Session, labels: Sequence[str]) -> None:
    from sprintdesk.settings import put_json

    put_json(session, SETTING_LABELS, list(labels))
