"""A fake GitHub REST API on 127.0.0.1 for tests: a threaded standard-library HTTP server.

PyGithub talks to it over real HTTP (``Github(base_url=fake.api_url, auth=Auth.Token(...))``).
Payloads follow the shapes of GitHub's own examples (issue, issue comment, user, milestone) and
every ``url`` field points back at the fake. Issues and comments live in memory. Tests can make
it fail on purpose with :meth:`FakeGitHub.fail`: any status with headers (401, 403 with
``Retry-After``, 404, 410, 429, 502, ...), a slow answer past the client's timeout, or a
connection dropped after the write was carried out. A body over 65,536 characters gets GitHub's
422. Every request is logged; :attr:`FakeGitHub.writes` counts POST/PATCH/PUT/DELETE.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

MAX_BODY = 65536
DOCS = "https://docs.github.com/rest"
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Failure:
    """An injected failure: matches ``method`` and a regex on the path (after the API prefix)."""

    method: str
    path: str
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    times: int = 1
    after: int = 0  # let this many matching requests through untouched first
    # "respond" (status + body), "drop" (do the work, then close the socket without answering),
    # "slow" (do the work, then wait `delay` seconds before answering).
    mode: str = "respond"
    perform: bool = False  # for "respond": carry out the write before answering with `status`
    delay: float = 0.0
    # A gate the handler waits on (after doing the work) before answering: kill tests use it.
    gate: threading.Event | None = None
    reached: threading.Event = field(default_factory=threading.Event)

    def matches(self, method: str, path: str) -> bool:
        return (
            self.times > 0 and method == self.method and re.fullmatch(self.path, path) is not None
        )


@dataclass
class FakeRepo:
    owner: str
    name: str
    issues_enabled: bool = True
    can_write: bool = True
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    milestones: list[dict[str, Any]] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"


class FakeGitHub:
    """The server and its in-memory state. Use as a context manager or call start()/stop().

    A subclass serving more endpoints sets ``handler_class`` to a subclass of the handler."""

    handler_class: type[_Handler] | None = None  # None: the plain handler below

    def __init__(
        self,
        *,
        token: str = "ghp_fake_token_0123456789",
        login: str = "octo-lead",
        scopes: str | None = "repo, read:org",
        prefix: str = "/api/v3",
    ) -> None:
        self.token = token
        self.login = login
        self.scopes = scopes
        self.prefix = prefix
        self.repos: dict[str, FakeRepo] = {}
        self.comments: dict[int, dict[str, Any]] = {}  # id -> comment (with "_issue" key)
        self.failures: list[Failure] = []
        self.requests: list[tuple[str, str]] = []
        self.latency = 0.0  # seconds every answer waits (a far-away server)
        self.lock = threading.RLock()
        self._next_issue_id = 1_000
        self._next_comment_id = 5_000
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.add_repo("acme", "plans")

    # --- lifecycle ---------------------------------------------------------------------

    def start(self) -> FakeGitHub:
        handler = type("Handler", (self.handler_class or _Handler,), {"fake": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True, name="fake-github"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        for failure in self.failures:
            if failure.gate is not None:
                failure.gate.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGitHub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The web root (where html_url links point)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """The REST API root, GitHub Enterprise style: what SprintDesk's API URL setting holds."""
        return self.url + self.prefix

    # --- state helpers for tests -------------------------------------------------------

    def add_repo(self, owner: str, name: str, **kwargs: Any) -> FakeRepo:
        repo = FakeRepo(owner, name, **kwargs)
        self.repos[repo.full_name.lower()] = repo
        return repo

    def repo(self, full_name: str = "acme/plans") -> FakeRepo:
        return self.repos[full_name.lower()]

    def fail(self, method: str, path: str, status: int = 500, **kwargs: Any) -> Failure:
        failure = Failure(method.upper(), path, status, **kwargs)
        with self.lock:
            self.failures.append(failure)
        return failure

    @property
    def writes(self) -> list[tuple[str, str]]:
        with self.lock:
            return [r for r in self.requests if r[0] in WRITE_METHODS]

    def reset_counts(self) -> None:
        with self.lock:
            self.requests.clear()

    def issues(self, full_name: str = "acme/plans") -> list[dict[str, Any]]:
        return list(self.repo(full_name).issues.values())

    def comments_of(self, number: int, full_name: str = "acme/plans") -> list[dict[str, Any]]:
        issue = self.repo(full_name).issues[number]
        return [c for c in self.comments.values() if c["_issue"] is issue]

    def edit_issue_body(self, number: int, body: str, full_name: str = "acme/plans") -> None:
        """Someone edits the issue on GitHub."""
        with self.lock:
            issue = self.repo(full_name).issues[number]
            issue["body"] = body
            issue["updated_at"] = _now()

    def edit_comment(self, comment_id: int, body: str, *, login: str | None = None) -> None:
        with self.lock:
            comment = self.comments[comment_id]
            comment["body"] = body
            comment["updated_at"] = _now()
            if login:
                comment["user"] = self.user_payload(login)

    def seed_issue(
        self,
        title: str,
        body: str,
        *,
        labels: tuple[str, ...] = ("sprint",),
        state: str = "open",
        created_at: str | None = None,
        comments: tuple[str, ...] = (),
        login: str = "someone",
        full_name: str = "acme/plans",
    ) -> dict[str, Any]:
        """An issue written by hand on GitHub (for history imports), with its comments."""
        with self.lock:
            repo = self.repo(full_name)
            issue = self._create_issue(repo, {"title": title, "body": body, "labels": labels})
            issue["state"] = state
            if created_at is not None:
                issue["created_at"] = issue["updated_at"] = created_at
            issue["user"] = self.user_payload(login)
            for text in comments:
                self._create_comment(repo, issue, text, login)
            if created_at is not None:
                issue["updated_at"] = created_at
            return issue

    def add_comment(
        self, number: int, body: str, *, login: str = "someone", full_name: str = "acme/plans"
    ) -> dict[str, Any]:
        with self.lock:
            return self._create_comment(
                self.repo(full_name), self.repo(full_name).issues[number], body, login
            )

    # --- payloads ----------------------------------------------------------------------

    def user_payload(self, login: str) -> dict[str, Any]:
        api = self.api_url
        return {
            "login": login,
            "id": abs(hash(login)) % 10_000_000,
            "node_id": "MDQ6VXNlcjE=",
            "avatar_url": f"{self.url}/avatars/{login}",
            "gravatar_id": "",
            "url": f"{api}/users/{login}",
            "html_url": f"{self.url}/{login}",
            "followers_url": f"{api}/users/{login}/followers",
            "repos_url": f"{api}/users/{login}/repos",
            "type": "User",
            "site_admin": False,
        }

    def _issue_payload(self, repo: FakeRepo, issue: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in issue.items() if not k.startswith("_")}

    def _create_issue(self, repo: FakeRepo, data: dict[str, Any]) -> dict[str, Any]:
        number = len(repo.issues) + 1
        self._next_issue_id += 1
        api = f"{self.api_url}/repos/{repo.full_name}"
        milestone = None
        if data.get("milestone") is not None:
            milestone = next((m for m in repo.milestones if m["number"] == data["milestone"]), None)
        issue: dict[str, Any] = {
            "id": self._next_issue_id,
            "node_id": f"I_kwDO{self._next_issue_id}",
            "url": f"{api}/issues/{number}",
            "repository_url": api,
            "labels_url": f"{api}/issues/{number}/labels{{/name}}",
            "comments_url": f"{api}/issues/{number}/comments",
            "events_url": f"{api}/issues/{number}/events",
            "html_url": f"{self.url}/{repo.full_name}/issues/{number}",
            "number": number,
            "state": "open",
            "state_reason": None,
            "title": data.get("title", ""),
            "body": data.get("body"),
            "user": self.user_payload(self.login),
            "labels": [self._label(repo, name) for name in data.get("labels", [])],
            "assignee": self.user_payload(data["assignees"][0]) if data.get("assignees") else None,
            "assignees": [self.user_payload(a) for a in data.get("assignees", [])],
            "milestone": milestone,
            "locked": False,
            "comments": 0,
            "closed_at": None,
            "created_at": _now(),
            "updated_at": _now(),
            "author_association": "OWNER",
        }
        repo.issues[number] = issue
        return issue

    def _label(self, repo: FakeRepo, name: str) -> dict[str, Any]:
        return {
            "id": abs(hash(name)) % 100_000,
            "node_id": "MDU6TGFiZWwyMDgwNDU5NDY=",
            "url": f"{self.api_url}/repos/{repo.full_name}/labels/{name}",
            "name": name,
            "description": "",
            "color": "ededed",
            "default": False,
        }

    def _create_comment(
        self, repo: FakeRepo, issue: dict[str, Any], body: str, login: str
    ) -> dict[str, Any]:
        self._next_comment_id += 1
        cid = self._next_comment_id
        api = f"{self.api_url}/repos/{repo.full_name}"
        comment = {
            "id": cid,
            "node_id": f"IC_kwDO{cid}",
            "url": f"{api}/issues/comments/{cid}",
            "html_url": f"{issue['html_url']}#issuecomment-{cid}",
            "body": body,
            "user": self.user_payload(login),
            "created_at": _now(),
            "updated_at": _now(),
            "issue_url": issue["url"],
            "author_association": "OWNER",
            "_issue": issue,
            "_repo": repo,
        }
        self.comments[cid] = comment
        issue["comments"] += 1
        return comment


def _public(item: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in item.items() if not k.startswith("_")}


class _Handler(BaseHTTPRequestHandler):
    fake: FakeGitHub
    protocol_version = "HTTP/1.1"
    server_version = "FakeGitHub/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # quiet: pytest treats stray output as noise

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    # --- plumbing ----------------------------------------------------------------------

    def _send(
        self, status: int, payload: Any = None, headers: dict[str, str] | None = None
    ) -> None:
        raw = b"" if payload is None else json.dumps(payload).encode()
        try:
            self.send_response(status)
            merged = {
                "Content-Type": "application/json; charset=utf-8",
                "Content-Length": str(len(raw)),
                "X-RateLimit-Limit": "5000",
                "X-RateLimit-Remaining": "4999",
                "X-RateLimit-Reset": str(int(time.time()) + 3600),
                "X-GitHub-Media-Type": "github.v3; format=json",
            }
            merged.update(headers or {})
            for key, value in merged.items():
                self.send_header(key, value)
            self.end_headers()
            if raw:
                self.wfile.write(raw)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): like GitHub, the work is done anyway

    def _error(self, status: int, message: str, **extra: Any) -> None:
        payload = {"message": message, "documentation_url": DOCS, "status": str(status)}
        payload.update(extra)
        self._send(status, payload)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _dispatch(self, method: str) -> None:
        fake = self.fake
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path = split.path
        if not path.startswith(fake.prefix):
            self._error(404, "Not Found")
            return
        path = path[len(fake.prefix) :] or "/"
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        if fake.latency:
            time.sleep(fake.latency)
        with fake.lock:
            fake.requests.append((method, path))
            failure = None
            for candidate in fake.failures:
                if candidate.matches(method, path):
                    if candidate.after > 0:
                        candidate.after -= 1
                        continue
                    candidate.times -= 1
                    failure = candidate
                    break
        if failure is not None:
            failure.reached.set()
            if failure.mode == "respond" and not failure.perform:
                self._send(
                    failure.status,
                    failure.body
                    or {
                        "message": _REASONS.get(failure.status, "Error"),
                        "documentation_url": DOCS,
                        "status": str(failure.status),
                    },
                    failure.headers,
                )
                return
        auth = self.headers.get("Authorization", "")
        if auth not in (f"token {fake.token}", f"Bearer {fake.token}"):
            self._error(401, "Bad credentials")
            return
        try:
            data = json.loads(raw) if raw else {}
        except ValueError:
            self._error(400, "Problems parsing JSON")
            return
        with fake.lock:
            status, payload, headers = self._route(method, path, query, data)
        if failure is not None:
            if failure.mode == "drop":
                self._drop()
                return
            if failure.mode == "slow":
                time.sleep(failure.delay)
            if failure.gate is not None:
                failure.gate.wait(30)
            if failure.mode == "respond":
                self._send(
                    failure.status,
                    failure.body
                    or {
                        "message": _REASONS.get(failure.status, "Error"),
                        "documentation_url": DOCS,
                        "status": str(failure.status),
                    },
                    failure.headers,
                )
                return
        self._send(status, payload, headers)

    # --- the API ------------------------------------------------------------------------

    def _route(
        self, method: str, path: str, query: dict[str, str], data: dict[str, Any]
    ) -> tuple[int, Any, dict[str, str]]:
        fake = self.fake
        not_found: tuple[int, Any, dict[str, str]] = (
            404,
            {"message": "Not Found", "documentation_url": DOCS, "status": "404"},
            {},
        )
        if path == "/user" and method == "GET":
            user = fake.user_payload(fake.login)
            user.update({"name": "Octo Lead", "public_repos": 2, "created_at": _now()})
            headers = {"X-OAuth-Scopes": fake.scopes} if fake.scopes is not None else {}
            return 200, user, headers
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)(/.*)?", path)
        if not m:
            return not_found
        repo = fake.repos.get(f"{m.group(1)}/{m.group(2)}".lower())
        if repo is None:
            return not_found
        rest = m.group(3) or ""
        if rest.startswith("/issues") and not repo.issues_enabled:
            return (
                410,
                {
                    "message": "Issues are disabled for this repo",
                    "documentation_url": DOCS,
                    "status": "410",
                },
                {},
            )
        if method != "GET" and not repo.can_write:
            return (
                403,
                {
                    "message": "Resource not accessible by personal access token",
                    "documentation_url": DOCS,
                    "status": "403",
                },
                {},
            )
        if rest == "" and method == "GET":
            return (
                200,
                {
                    "id": 1,
                    "name": repo.name,
                    "full_name": repo.full_name,
                    "url": f"{fake.api_url}/repos/{repo.full_name}",
                    "html_url": f"{fake.url}/{repo.full_name}",
                    "has_issues": True,
                },
                {},
            )
        if rest == "/milestones" and method == "GET":
            return 200, repo.milestones, {}
        if rest == "/issues" and method == "POST":
            too_long = self._too_long(data.get("body"), "Issue")
            if too_long:
                return too_long
            if not data.get("title"):
                return (
                    422,
                    {
                        "message": "Validation Failed",
                        "documentation_url": DOCS,
                        "errors": [
                            {"resource": "Issue", "code": "missing_field", "field": "title"}
                        ],
                        "status": "422",
                    },
                    {},
                )
            created = fake._create_issue(repo, data)
            return 201, fake._issue_payload(repo, created), {"Location": created["url"]}
        if rest == "/issues" and method == "GET":
            return self._list_issues(repo, query)
        m2 = re.fullmatch(r"/issues/(\d+)(/comments)?", rest)
        if m2:
            issue = repo.issues.get(int(m2.group(1)))
            if issue is None:
                return not_found
            if issue.get("_deleted"):
                return (
                    410,
                    {
                        "message": "This issue was deleted",
                        "documentation_url": DOCS,
                        "status": "410",
                    },
                    {},
                )
            if m2.group(2):
                if method == "GET":
                    items = [_public(c) for c in fake.comments.values() if c["_issue"] is issue]
                    items.sort(key=lambda c: c["id"])
                    return self._page(items, query)
                if method == "POST":
                    too_long = self._too_long(data.get("body"), "IssueComment")
                    if too_long:
                        return too_long
                    added = fake._create_comment(repo, issue, data.get("body", ""), fake.login)
                    return 201, _public(added), {"Location": added["url"]}
                return not_found
            if method == "GET":
                return 200, fake._issue_payload(repo, issue), {}
            if method == "PATCH":
                too_long = self._too_long(data.get("body"), "Issue")
                if too_long:
                    return too_long
                for key in ("title", "body", "state"):
                    if key in data:
                        issue[key] = data[key]
                if "labels" in data:
                    issue["labels"] = [fake._label(repo, n) for n in data["labels"]]
                issue["updated_at"] = _now()
                return 200, fake._issue_payload(repo, issue), {}
            return not_found
        m3 = re.fullmatch(r"/issues/comments/(\d+)", rest)
        if m3:
            comment = fake.comments.get(int(m3.group(1)))
            if comment is None or comment["_repo"] is not repo:
                return not_found
            if method == "GET":
                return 200, _public(comment), {}
            if method == "PATCH":
                too_long = self._too_long(data.get("body"), "IssueComment")
                if too_long:
                    return too_long
                comment["body"] = data.get("body", "")
                comment["updated_at"] = _now()
                return 200, _public(comment), {}
            if method == "DELETE":
                del fake.comments[comment["id"]]
                comment["_issue"]["comments"] -= 1
                return 204, None, {}
        return not_found

    def _too_long(self, body: Any, resource: str) -> tuple[int, Any, dict[str, str]] | None:
        if isinstance(body, str) and len(body) > MAX_BODY:
            return (
                422,
                {
                    "message": "Validation Failed",
                    "errors": [
                        {
                            "resource": resource,
                            "code": "custom",
                            "field": "body",
                            "message": f"body is too long (maximum is {MAX_BODY} characters)",
                        }
                    ],
                    "documentation_url": DOCS,
                    "status": "422",
                },
                {},
            )
        return None

    def _list_issues(
        self, repo: FakeRepo, query: dict[str, str]
    ) -> tuple[int, Any, dict[str, str]]:
        """As GitHub: ``state`` (open, closed, all), ``labels`` (comma-separated, all must be
        on the issue), ``since`` (updated at or after), ``sort`` (created, updated) and
        ``direction``; deleted issues are not listed."""
        state = query.get("state", "open")
        items = [
            i
            for i in repo.issues.values()
            if (state == "all" or i["state"] == state) and not i.get("_deleted")
        ]
        wanted = {n.strip().casefold() for n in query.get("labels", "").split(",") if n.strip()}
        if wanted:
            items = [
                i for i in items if wanted <= {label["name"].casefold() for label in i["labels"]}
            ]
        if query.get("since"):
            items = [i for i in items if i["updated_at"] >= query["since"]]
        reverse = query.get("direction", "desc") == "desc"
        key = {"updated": "updated_at", "created": "created_at"}.get(query.get("sort", ""), "")
        items.sort(key=lambda i: (i[key], i["number"]) if key else i["number"], reverse=reverse)
        return self._page([self.fake._issue_payload(repo, i) for i in items], query)

    def _page(self, items: list[Any], query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        per_page = max(1, min(100, int(query.get("per_page", 30))))
        page = max(1, int(query.get("page", 1)))
        chunk = items[(page - 1) * per_page : page * per_page]
        headers: dict[str, str] = {}
        if page * per_page < len(items):
            split = urlsplit(self.path)
            rest = {k: v for k, v in query.items() if k != "page"}
            params = "&".join(f"{k}={v}" for k, v in rest.items())
            base = f"{self.fake.url}{split.path}?{params}{'&' if params else ''}"
            headers["Link"] = f'<{base}page={page + 1}>; rel="next"'
        return 200, chunk, headers


_REASONS = {
    400: "Bad Request",
    401: "Bad credentials",
    403: "Forbidden",
    404: "Not Found",
    410: "Gone",
    422: "Validation Failed",
    429: "Too Many Requests",
    500: "Server Error",
    502: "Server Error",
    503: "Service Unavailable",
}
