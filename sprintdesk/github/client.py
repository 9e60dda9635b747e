"""GitHub for SprintDesk: a PyGithub client that never duplicates, and plain-words errors.

No Qt here. PyGithub is set up with an explicit timeout and ``SafeRetry``, a ``GithubRetry``
that never resends a POST (the default resends a timed-out ``POST /issues`` and creates a
duplicate) and never sleeps through a rate limit: the caller is told how long to wait and
nothing more is sent to that host until then. Every failure becomes a :class:`PublishError`
subclass with a message for the user. The settings that belong with the data (API URL, recent
repositories, labels, timeout) live here too; the token never does (see
:mod:`sprintdesk.system.secrets`). Publishing itself is :mod:`sprintdesk.github.publishing`.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

from sprintdesk import __version__
from sprintdesk.system.secrets import DEFAULT_API_URL, host_of

if TYPE_CHECKING:
    from github.Repository import Repository
    from sqlalchemy.orm import Session

DEFAULT_TIMEOUT = 15
DEFAULT_RATE_WAIT = 60
REPO_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")


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


def _part_name(key: str, titles: dict[str, str]) -> str:
    if key == "body":
        return "the issue body"
    title = titles.get(key)
    if title:
        return f"the {title} comment"
    return f"the comment {key}"


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def is_pullable(key: str) -> bool:
    """Pull reads team comments only: edits elsewhere can be overwritten, not pulled."""
    return key.startswith("team:")


class PublishConflictError(PublishError):
    """Parts of the issue were edited on GitHub since our last publish.

    ``keys``: every part edited there (overwriting replaces them all); ``pullable``: the ones
    ``pull`` can bring into the plan (team comments); the others (the issue body and its
    continuation comments) can only be overwritten, or their edits copied into the plan by hand.
    """

    def __init__(self, keys: list[str], titles: dict[str, str] | None = None) -> None:
        titles = titles or {}
        self.keys = list(keys)
        self.pullable = [k for k in self.keys if is_pullable(k)]
        others = [k for k in self.keys if not is_pullable(k)]
        names = _and([_part_name(k, titles) for k in self.keys] or ["the issue"])
        if others and self.pullable:
            advice = (
                "Overwriting replaces all of these edits with the plan. Pull can bring "
                f"{_and([_part_name(k, titles) for k in self.pullable])} into the plan first; "
                f"edits to {_and([_part_name(k, titles) for k in others])} cannot be pulled: "
                "overwrite them, or copy them into the plan by hand."
            )
        elif others:
            advice = (
                "Those edits cannot be pulled into the plan (pull reads team comments only): "
                "overwrite them with the plan, or copy them into the plan by hand first."
            )
        else:
            advice = "Overwrite their edits with the plan, or pull them into the plan first."
        super().__init__(f"Someone edited {names} on GitHub since the last publish. {advice}")


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
    """Forget every host's rate-limit pause (process-wide; tests start from none)."""
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
    exc: BaseException,
    *,
    api_url: str,
    repo: str = "",
    issue_number: int | None = None,
    checking: bool = False,
) -> PublishError:
    """Turn a PyGithub or network exception into a :class:`PublishError` with a plain message.

    ``checking``: the request only checked a token (Settings → Check), nothing was being
    published, so the message says the token was not checked instead of "publish pending".
    """
    import requests
    from github import GithubException

    if isinstance(exc, PublishError):
        return exc
    host = host_of(api_url)
    if checking and not isinstance(exc, GithubException):
        unreachable = _unreachable_while_checking(exc, host)
        if unreachable is not None:
            return unreachable
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
    if checking and status_of(exc) >= 500:
        return ServerError(
            f"GitHub ({host}) had a problem ({status_of(exc)}); the token was not checked. "
            "Try again in a moment."
        )
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


def status_of(exc: BaseException) -> int:
    """The HTTP status of a PyGithub exception, or 0."""
    status = getattr(exc, "status", 0)
    return status if isinstance(status, int) else 0


def _unreachable_while_checking(exc: BaseException, host: str) -> PublishError | None:
    import requests

    if isinstance(exc, requests.exceptions.Timeout):
        return NetworkError(
            f"GitHub ({host}) did not answer in time, so the token was not checked. Nothing "
            "was published. Check the API URL, or try again when the connection is back."
        )
    if isinstance(exc, requests.exceptions.RetryError):
        return ServerError(
            f"GitHub ({host}) kept failing, so the token was not checked. Try again in a moment."
        )
    if isinstance(exc, (requests.exceptions.ConnectionError, OSError)):
        return NetworkError(
            f"Cannot reach GitHub ({host}): no network connection, the server is down or the "
            "API URL is wrong. The token was not checked; nothing was published.",
            unclear=False,
        )
    return None


def is_unclear(error: PublishError) -> bool:
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
    def errors(
        self, repo: str = "", issue_number: int | None = None, *, checking: bool = False
    ) -> Iterator[None]:
        """Translate anything PyGithub raises; refuse to send while a rate limit lasts.
        ``checking``: only a token check (see :func:`translate`)."""
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
                exc,
                api_url=self.api_url,
                repo=repo,
                issue_number=issue_number,
                checking=checking,
            ) from exc

    def check_token(self) -> TokenInfo:
        """``GET /user``: who the token belongs to and, for classic tokens, its scopes."""
        with self.errors(checking=True):
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


# --- settings that belong with the data (never the token) --------------------------------

SETTING_API_URL = "github_api_url"
SETTING_RECENT_REPOS = "github_recent_repos"
SETTING_LABELS = "github_labels"
SETTING_ASSIGN_OWNERS = "github_assign_goal_owners"
SETTING_TIMEOUT = "github_timeout_seconds"
SETTING_WRITE_INTERVAL = "github_seconds_between_writes"
RECENT_REPOS_KEPT = 8


def api_url_setting(session: Session) -> str:
    from sprintdesk.plan.settings import get

    return get(session, SETTING_API_URL, DEFAULT_API_URL).strip() or DEFAULT_API_URL


def recent_repos(session: Session) -> list[str]:
    from sprintdesk.plan.settings import get_json

    value = get_json(session, SETTING_RECENT_REPOS, [])
    return [str(v) for v in value if isinstance(v, str)] if isinstance(value, list) else []


def remember_repo(session: Session, repo: str) -> None:
    from sprintdesk.plan.settings import put_json

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
    from sprintdesk.plan.settings import get

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


def get_labels_setting(session: Session) -> list[str]:
    """The labels last used (default: ``sprint``)."""
    from sprintdesk.plan.settings import get_json

    value = get_json(session, SETTING_LABELS, ["sprint"])
    return [str(v) for v in value] if isinstance(value, list) else ["sprint"]


def put_labels_setting(session: Session, labels: Sequence[str]) -> None:
    from sprintdesk.plan.settings import put_json

    put_json(session, SETTING_LABELS, list(labels))


def get_assign_owners_setting(session: Session) -> bool:
    """Whether the last publish assigned the goal owners (default: no)."""
    from sprintdesk.plan.settings import get_json

    return get_json(session, SETTING_ASSIGN_OWNERS, False) is True


def put_assign_owners_setting(session: Session, assign: bool) -> None:
    from sprintdesk.plan.settings import put_json

    put_json(session, SETTING_ASSIGN_OWNERS, bool(assign))


def assignable_logins(client: GitHubClient, repo: str, *, limit: int = 500) -> list[str]:
    """The logins of the users who can be assigned issues in ``repo`` (``owner/name``), sorted.

    Raises ValueError for a malformed repository and :class:`PublishError`
    subclasses (bad token, not found, rate limit, network) with a message for the user.
    """
    full_name = validate_repo(repo)
    logins: list[str] = []
    with client.errors(full_name):
        for user in client.repo(full_name).get_assignees():
            logins.append(str(user.login))
            if len(logins) >= limit:
                break
    return sorted(logins, key=str.lower)
