"""Publish a rendered plan as one GitHub issue plus one comment per part; update it safely.

No Qt here. The first publish sends exactly one write per part (the issue, then one comment per
part in agenda order); an unchanged plan sends nothing at all; a changed one PATCHes only the
parts that changed, and not a comment GitHub already has as the plan now has it (after a pull).
Creating is never retried blindly: the issue body carries the plan's marker
and every comment a part marker, and after an unclear failure (timeout, 5xx, dropped connection,
a killed app) the repository's recent issues (the list endpoint, not search, which lags) and the
issue's comments are searched for them before anything is created again. Progress is written to
the database after every part, so the next publish finishes an interrupted one.

A part we are about to change that was edited on GitHub since our last write is a
:class:`~sprintdesk.github.client.PublishConflictError` naming every part edited there: the caller
chooses to overwrite, or to pull the team comments first. Overwriting makes GitHub match the plan
for every part that differs there, changed locally or not: it reads the issue and its comment
list (1 + one request per 30 comments) and then writes only the parts that differ. Without
overwrite an unchanged plan is not compared with GitHub at all (0 requests).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal, Protocol

from sprintdesk.github.client import (
    GitHubClient,
    IssueGoneError,
    PublishConflictError,
    PublishError,
    ValidationFailedError,
    is_unclear,
    validate_repo,
)
from sprintdesk.plan.model import PublishedPart, Sprint
from sprintdesk.system.secrets import DEFAULT_API_URL, host_of

if TYPE_CHECKING:
    from github.Issue import Issue
    from github.IssueComment import IssueComment
    from github.Repository import Repository

    from sprintdesk.markdown.render import RenderedPlan
    from sprintdesk.storage.store import Store

MAX_BODY = 65536
# How many of the repository's most recent issues are searched for the plan's marker.
MARKER_SEARCH_LIMIT = 100
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
    from sprintdesk.markdown.render import plan_marker

    return plan_marker(uuid)


def _has_plan_marker(text: str | None, uuid: str) -> bool:
    from sprintdesk.markdown.render import find_marker

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


def _github_has(record: PublishedPart, part: Outgoing) -> bool:
    """GitHub had exactly this comment text at our last write or pull (after a pull the plan
    reads as GitHub has it: updating the comment would send its own text back)."""
    return not part.is_body and record.remote_hash == text_hash(part.text)


def _in_sync_with_github(
    sprint: Sprint, outgoing: list[Outgoing], title: str
) -> list[tuple[str, int, int, str]]:
    """The comment parts changed since our last publish that GitHub already shows as the plan
    has them now: (key, position, comment id, text). The body is not among them: its record
    does not say which title GitHub has."""
    records = {p.key: p for p in sprint.published_parts}
    found = []
    for part in outgoing:
        record = records.get(part.key)
        if (
            record is not None
            and record.comment_id is not None
            and record.content_hash != part.content_hash(title)
            and _github_has(record, part)
        ):
            found.append((part.key, part.position, record.comment_id, part.text))
    return found


def plan_writes(sprint: Sprint, rendered: RenderedLike, target: Target) -> list[Write]:
    """The write requests a publish would send now, in order (no network). A comment GitHub
    already has as the plan has it now (after a pull) is not written again."""
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
        elif record.content_hash != wanted and not _github_has(record, part):
            writes.append(Write("edit_comment", part.key, part.text, record.comment_id))
    keys = {o.key for o in outgoing}
    for record in sprint.published_parts:
        if record.key not in keys and record.comment_id is not None:
            writes.append(Write("delete_comment", record.key, "", record.comment_id))
    return writes


# --- publishing -------------------------------------------------------------------------


@dataclass
class PublishResult:
    issue_number: int
    issue_url: str
    writes_sent: int = 0
    created: bool = False
    adopted: list[str] = field(default_factory=list)  # parts found on GitHub after a failure
    checked_remote: bool = False  # overwrite compared every part with GitHub's text

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
    an unchanged plan sends nothing at all. The phases: plan the writes from the publish record
    (:class:`_Publish`); find the issue, or create it, or compare with GitHub (overwrite), or
    check for edits made there since our last write; send the writes, recording each.
    """
    run = _Publish.start(store, sprint_id, rendered, _normalised(target), client, progress)
    if not run.writes and run.number is not None and run.url and not overwrite:
        return run.nothing_to_send()
    run.begin()
    try:
        if run.number is None:
            issue = run.open_issue()
        elif overwrite:
            issue = run.compare_with_github()
        else:
            issue = run.check_github_edits()
        run.send(issue)
    except PublishError as error:
        run.failed(error)
        raise
    return run.finish()


def _normalised(target: Target) -> Target:
    return Target(
        validate_repo(target.repo),
        target.api_url.strip().rstrip("/") or DEFAULT_API_URL,
        target.labels,
        target.assignees,
        target.milestone,
    )


@dataclass
class _Publish:
    """One publish under way: what it was asked to send, what it has sent, what it adopted.

    Every write is recorded in the database as soon as GitHub answered (:class:`_Recorder`)."""

    recorder: _Recorder
    client: GitHubClient
    target: Target
    rendered: RenderedLike
    progress: Progress | None
    uuid: str
    outgoing: list[Outgoing]
    writes: list[Write]
    resuming: bool  # the last publish did not finish
    same: bool  # published before to this repository: its issue is updated
    number: int | None
    url: str | None
    # Part key -> (comment id, hash of GitHub's text at our last write or pull).
    records: dict[str, tuple[int | None, str | None]]
    content_hashes: dict[str, str | None]  # part key -> hash of what we last published
    sent: int = 0
    total: int = 0
    created: bool = False
    checked: bool = False  # overwrite compared every part with GitHub
    adopted: list[str] = field(default_factory=list)
    existing: dict[str, IssueComment] | None = None  # our comments on GitHub, by part marker
    fetched: dict[int, IssueComment] = field(default_factory=dict)  # read by overwrite, by id

    # --- plan the parts ------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        store: Store,
        sprint_id: int,
        rendered: RenderedLike,
        target: Target,
        client: GitHubClient,
        progress: Progress | None,
    ) -> _Publish:
        recorder = _Recorder(store, sprint_id)
        with store.session() as session:
            sprint = session.get(Sprint, sprint_id)
            if sprint is None:
                raise PublishError("That sprint no longer exists.")
            same = _same_target(sprint, target)
            run = cls(
                recorder=recorder,
                client=client,
                target=target,
                rendered=rendered,
                progress=progress,
                uuid=sprint.uuid,
                outgoing=outgoing_parts(rendered, sprint.uuid),
                writes=plan_writes(sprint, rendered, target),
                resuming=bool(sprint.publish_pending),
                same=same,
                number=sprint.publish_issue_number if same else None,
                url=sprint.publish_issue_url if same else None,
                records={p.key: (p.comment_id, p.remote_hash) for p in sprint.published_parts},
                content_hashes={p.key: p.content_hash for p in sprint.published_parts},
            )
            in_sync = _in_sync_with_github(sprint, run.outgoing, rendered.title) if same else []
        for key, position, comment_id, text in in_sync:
            # The plan now reads as GitHub already has it (after a pull): nothing to send.
            run._record_part(key, position, comment_id, text)
        run.total = len(run.writes)
        return run

    @cached_property
    def by_key(self) -> dict[str, Outgoing]:
        return {o.key: o for o in self.outgoing}

    def nothing_to_send(self) -> PublishResult:
        assert self.number is not None and self.url is not None
        # Publishing is not a meeting state: a draft shared ahead of the meeting stays a draft.
        self.recorder.sprint(publish_pending=False, publish_error=None)
        return PublishResult(self.number, self.url)

    def begin(self) -> None:
        if not self.same and self.records:
            self.recorder.forget_issue()
            self.records = {}
        self.recorder.sprint(publish_pending=True, publish_error=None)

    def tick(self, write: Write) -> None:
        if self.progress is not None:
            self.progress(min(self.sent + 1, self.total), self.total, write.describe())

    def _record_part(
        self, key: str, position: int, comment_id: int | None, remote_text: str | None
    ) -> None:
        wanted = self.by_key[key].content_hash(self.rendered.title)
        self.recorder.part(key, position, comment_id, wanted, remote_text)

    # --- find or create the issue, adopt our comments by marker --------------------------

    def open_issue(self) -> Issue:
        """The first publish to this repository (or the resumption of one): find the plan's
        issue by its marker after an interrupted attempt, else create it; bring an adopted
        issue up to date, and find the comments already written to it."""
        client, target = self.client, self.target
        repo = client.repo(target.repo)
        body = self.outgoing[0]
        issue = _find_issue_by_marker(client, repo, target, self.uuid) if self.resuming else None
        if issue is None:
            self.tick(self.writes[0])
            issue, sent_now, found = _create_issue(
                client, repo, target, self.rendered.title, body.text, self.uuid
            )
            self.sent += sent_now
            self.created = not found
            if found:
                self.adopted.append("body")
        else:
            self.adopted.append("body")
        self.number, self.url = issue.number, issue.html_url
        self.recorder.sprint(
            publish_issue_number=self.number,
            publish_issue_url=self.url,
            publish_repo=target.repo,
            publish_api_url=target.api_url,
        )
        if issue.body != body.text or issue.title != self.rendered.title:
            # An adopted issue from an interrupted attempt of an older draft: bring it up
            # to date (it is ours: it carries the plan's marker).
            with client.errors(target.repo, self.number):
                issue.edit(title=self.rendered.title, body=body.text)
            self.sent += 1
        self._record_part("body", 0, None, issue.body)
        self.writes = [w for w in self.writes if w.action != "create_issue"]
        if not self.created:
            self.existing = _comments_by_marker(client, issue, target, self.number)
        return issue

    # --- an existing issue: compare with GitHub ------------------------------------------

    def compare_with_github(self) -> Issue:
        """Overwrite: read GitHub's text of every part and write exactly the parts that differ;
        parts GitHub already shows as the plan has them only move the record."""
        assert self.number is not None
        issue = self.client.repo(self.target.repo).get_issue(self.number)
        remote = _read_remote(self.client, issue, self.target, self.number)
        self.writes, self.existing, self.fetched, matching = _overwrite_writes(
            remote, self.outgoing, self.rendered.title, self.records
        )
        self.checked = True
        self.total = len(self.writes)
        by_key = self.by_key
        for key, comment_id, remote_text in matching:
            wanted = by_key[key].content_hash(self.rendered.title)
            _, remote_hash = self.records.get(key, (None, None))
            if self.content_hashes.get(key) != wanted or remote_hash != text_hash(remote_text):
                self.recorder.part(key, by_key[key].position, comment_id, wanted, remote_text)
        for key in remote.gone:
            if key not in by_key:
                self.recorder.drop_part(key)
        return issue

    def check_github_edits(self) -> Issue:
        """An update: refuse (:class:`PublishConflictError`) if a part we are about to change
        was edited on GitHub since our last write; write again comments deleted there."""
        assert self.number is not None
        client, target, number = self.client, self.target, self.number
        issue = client.repo(target.repo).get_issue(number)
        missing: set[str] = set()
        edited = _remote_edits(client, issue, target, number, self.writes, self.records, missing)
        self.writes = [
            Write("create_comment", w.key, w.text)
            if w.action == "edit_comment" and w.key in missing
            else w
            for w in self.writes
            if not (w.action == "delete_comment" and w.key in missing)
        ]
        for key in missing:
            self.recorder.drop_part(key)
        if edited:
            # Name every part edited on GitHub, not only the ones we would change: an
            # overwrite replaces them all. One more read, and only on a conflict.
            remote = _read_remote(client, issue, target, number)
            every = _edited_parts(remote, self.records)
            keys = every + [k for k in edited if k not in every]
            order = {o.key: o.position for o in self.outgoing}
            keys.sort(key=lambda k: order.get(k, len(order)))
            raise PublishConflictError(keys, {o.key: o.title for o in self.outgoing})
        if self.resuming and any(w.action == "create_comment" for w in self.writes):
            self.existing = _comments_by_marker(client, issue, target, number)
        return issue

    # --- create and update ---------------------------------------------------------------

    def send(self, issue: Issue) -> None:
        for write in self.writes:
            if write.action == "edit_issue":
                self.tick(write)
                with self.client.errors(self.target.repo, self.number):
                    issue.edit(title=self.rendered.title, body=write.text)
                self.sent += 1
                self._record_part("body", 0, None, issue.body)
            elif write.action == "delete_comment":
                self.tick(write)
                assert write.comment_id is not None
                try:
                    with self.client.errors(self.target.repo, self.number):
                        issue.get_comment(write.comment_id).delete()
                except IssueGoneError:
                    pass  # already gone on GitHub: nothing to delete
                self.sent += 1
                self.recorder.drop_part(write.key)
            else:
                self._send_comment(issue, write)

    def _send_comment(self, issue: Issue, write: Write) -> None:
        """Create or update one part's comment; a comment found by its marker (an earlier,
        interrupted attempt wrote it) is adopted instead of created again."""
        assert self.number is not None
        part = self.by_key.get(write.key)
        assert part is not None
        comment = (
            self.existing.get(write.key)
            if self.existing is not None and write.action == "create_comment"
            else None
        )
        if comment is not None:
            self.adopted.append(write.key)
            if comment.body != write.text:
                self.tick(write)
                with self.client.errors(self.target.repo, self.number):
                    comment.edit(write.text)
                self.sent += 1
        elif write.action == "edit_comment":
            self.tick(write)
            assert write.comment_id is not None
            comment = self.fetched.get(write.comment_id) or issue.get_comment(write.comment_id)
            with self.client.errors(self.target.repo, self.number):
                comment.edit(write.text)
            self.sent += 1
        else:
            self.tick(write)
            comment, sent_now, found = _create_comment(
                self.client, issue, self.target, self.number, write
            )
            self.sent += sent_now
            if found:
                self.adopted.append(write.key)
        self._record_part(write.key, part.position, comment.id, comment.body)

    # --- record the outcome --------------------------------------------------------------

    def failed(self, error: PublishError) -> None:
        self.recorder.sprint(
            publish_pending=error.pending
            or self.resuming
            or self.sent > 0
            or isinstance(error, PublishConflictError),
            publish_error=error.message,
        )

    def finish(self) -> PublishResult:
        assert self.number is not None and self.url is not None
        self.recorder.sprint(
            publish_pending=False,
            publish_error=None,
            published_at=datetime.now(),
        )
        return PublishResult(
            self.number, self.url, self.sent, self.created, self.adopted, self.checked
        )


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
        if not is_unclear(error):
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
        if not is_unclear(error):
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
    missing: set[str],
) -> list[str]:
    """Keys of the parts we are about to change that were edited on GitHub since our write;
    comments deleted on GitHub are added to ``missing``."""
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
                    missing.add(write.key)  # deleted on GitHub: it is written again
                    continue
                if text_hash(remote) != remote_hash:
                    edited.append(write.key)
    return edited


@dataclass
class _Remote:
    """The issue as GitHub has it now: body, title and our comments (by id)."""

    body: str | None
    title: str
    comments: dict[int, IssueComment]
    by_marker: dict[str, IssueComment]
    gone: set[str] = field(default_factory=set)  # our parts whose comment is gone


def _read_remote(client: GitHubClient, issue: Issue, target: Target, number: int) -> _Remote:
    """One read of the issue and one of its comment list (a page per 30 comments)."""
    with client.errors(target.repo, number):
        body, title = issue.body, issue.title
        comments = list(issue.get_comments())
    by_marker: dict[str, IssueComment] = {}
    for comment in comments:
        key = find_part_marker(comment.body)
        if key and key not in by_marker:
            by_marker[key] = comment
    return _Remote(body, title, {c.id: c for c in comments}, by_marker)


def _edited_parts(remote: _Remote, records: dict[str, tuple[int | None, str | None]]) -> list[str]:
    """Keys of every published part whose text on GitHub differs from our last write."""
    edited: list[str] = []
    for key, (comment_id, remote_hash) in records.items():
        if not remote_hash:
            continue
        if key == "body":
            text: str | None = remote.body
        else:
            comment = remote.comments.get(comment_id) if comment_id is not None else None
            if comment is None:
                continue  # deleted on GitHub: written again, nobody's edit is lost
            text = comment.body
        if text_hash(text) != remote_hash:
            edited.append(key)
    return edited


def _overwrite_writes(
    remote: _Remote,
    outgoing: list[Outgoing],
    title: str,
    records: dict[str, tuple[int | None, str | None]],
) -> tuple[
    list[Write], dict[str, IssueComment], dict[int, IssueComment], list[tuple[str, int | None, str]]
]:
    """What makes GitHub match the plan: a write for every part whose text there differs
    (changed in the plan, edited on GitHub, or deleted there), deletes for parts the plan no
    longer has. Also returns comments found by marker (to adopt instead of creating again),
    the comments by id, and the parts GitHub already shows as they are: (key, comment id,
    text)."""
    writes: list[Write] = []
    matching: list[tuple[str, int | None, str]] = []
    for part in outgoing:
        if part.is_body:
            if remote.body != part.text or remote.title != title:
                writes.append(Write("edit_issue", "body", part.text))
            else:
                matching.append((part.key, None, part.text))
            continue
        comment_id, _ = records.get(part.key, (None, None))
        comment = remote.comments.get(comment_id) if comment_id is not None else None
        if comment is None:
            if comment_id is not None:
                remote.gone.add(part.key)
            writes.append(Write("create_comment", part.key, part.text))
        elif comment.body != part.text:
            writes.append(Write("edit_comment", part.key, part.text, comment.id))
        else:
            matching.append((part.key, comment.id, part.text))
    keys = {o.key for o in outgoing}
    for key, (comment_id, _) in records.items():
        if key in keys or comment_id is None:
            continue
        if comment_id in remote.comments:
            writes.append(Write("delete_comment", key, "", comment_id))
        else:
            remote.gone.add(key)
    return writes, remote.by_marker, remote.comments, matching


def forget_published_issue(store: Store, sprint_id: int) -> None:
    """Drop the publish record (after the issue was deleted on GitHub): the next publish
    creates a new issue."""
    recorder = _Recorder(store, sprint_id)
    recorder.forget_issue()
    recorder.sprint(publish_pending=False, publish_error=None)


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


# Room for the part marker SprintDesk adds to every comment.
MARKER_ROOM = 128


def render_for_publish(sprint: Sprint) -> RenderedPlan:
    """The plan rendered with room left for the hidden part markers."""
    from sprintdesk.markdown.render import render_plan

    return render_plan(sprint, limit=MAX_BODY - MARKER_ROOM)
