"""Pull from GitHub: team sections people edited or wrote on the plan's issue, into the plan.

:func:`pull_preview` reads the issue's comments (no writes) and, for every team comment whose
text differs from what SprintDesk last wrote, or a comment someone wrote with a ``Team <name>``
heading, works out with the importer what would change in the matching team plan.
:func:`apply_pull` applies it and takes GitHub's text as the new baseline, so the next publish
updates those comments without calling it a conflict. The issue body is only compared: an edit
there cannot be pulled (``publish --overwrite`` replaces it, or it is copied by hand), and the
preview says so. No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sprintdesk.github.client import GitHubClient, PublishError
from sprintdesk.github.publishing import find_part_marker, text_hash
from sprintdesk.plan.model import Sprint, TeamPlan

if TYPE_CHECKING:
    from sprintdesk.storage.store import Store


@dataclass(frozen=True)
class TeamPull:
    """One team section to bring into the plan."""

    team_plan_id: int
    team_name: str
    text: str
    changes: tuple[str, ...]
    # Part key -> hash of GitHub's text, the new baseline for our own comments.
    remote_hashes: tuple[tuple[str, str], ...] = ()
    source: str = ""  # "edited on GitHub" or "written by @login"


@dataclass
class PullPreview:
    changes: list[TeamPull] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    body_edited: bool = False  # the issue body differs from our last publish

    BODY_NOTE = (
        "The issue body was edited on GitHub. Pull reads team comments only: overwrite the "
        "body with the plan (publish --overwrite), or copy its edits into the plan by hand."
    )

    def describe(self) -> list[str]:
        lines: list[str] = []
        for pull in self.changes:
            lines.append(f"Team {pull.team_name} ({pull.source}):")
            lines.extend(f"  • {change}" for change in pull.changes)
        lines.extend(self.skipped)
        if self.body_edited:
            lines.append(self.BODY_NOTE)
        return lines


def _base_key(key: str) -> str:
    return key.split("#", 1)[0]


def pull_preview(store: Store, sprint_id: int, client: GitHubClient) -> PullPreview:
    """What pulling would change; raises :class:`PublishError` for network/GitHub failures."""
    from sprintdesk.markdown.importer import PlanImportError, parse_team_section

    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        if sprint is None:
            raise PublishError("That sprint no longer exists.")
        if sprint.publish_issue_number is None or not sprint.publish_repo:
            raise PublishError(f"Sprint {sprint.name!r} has not been published yet.")
        repo_name, number = sprint.publish_repo, sprint.publish_issue_number
        records = {p.key: p.remote_hash for p in sprint.published_parts}

    with client.errors(repo_name, number):
        issue = client.repo(repo_name).get_issue(number)
        comments = [(c.body or "", c.user.login if c.user else "?") for c in issue.get_comments()]
        body_hash = records.get("body")
        body_edited = bool(body_hash) and text_hash(issue.body) != body_hash

    ours: dict[str, list[tuple[str, str]]] = {}  # base key -> [(part key, text)]
    theirs: list[tuple[str, str]] = []  # (login, text)
    for body, login in comments:
        key = find_part_marker(body)
        if key is None:
            theirs.append((login, body))
        elif key.startswith("team:"):
            ours.setdefault(_base_key(key), []).append((key, body))

    preview = PullPreview(body_edited=body_edited)
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        plans = {f"team:{p.team_id}": p for p in sprint.team_plans}
        by_name = {p.team.name.casefold(): p for p in sprint.team_plans}
        for base, parts in ours.items():
            if all(text_hash(text) == records.get(key) for key, text in parts):
                continue  # nobody touched it since our last write
            plan = plans.get(base)
            if plan is None:
                preview.skipped.append(
                    f"A comment for a team no longer in the plan ({base}) was left alone."
                )
                continue
            text = "\n\n".join(text for _, text in parts)
            _add(preview, plan, text, "edited on GitHub", parts)
        for login, text in theirs:
            try:
                parsed = parse_team_section(text)
            except PlanImportError:
                continue
            plan = by_name.get(parsed.name.casefold())
            if plan is None:
                continue  # a conversation comment, not a team section
            _add(preview, plan, text, f"written by @{login}", [])
    return preview


def _add(
    preview: PullPreview,
    plan: TeamPlan,
    text: str,
    source: str,
    parts: list[tuple[str, str]],
) -> None:
    from sprintdesk.markdown.importer import PlanImportError, parse_team_section, team_changes

    try:
        parsed = parse_team_section(text)
    except PlanImportError as exc:
        preview.skipped.append(f"Team {plan.team.name}: could not be read ({exc}).")
        return
    changes = team_changes(plan, parsed)
    if not changes:
        return
    hashes = tuple((key, text_hash(part)) for key, part in parts)
    preview.changes.append(TeamPull(plan.id, plan.team.name, text, tuple(changes), hashes, source))


def apply_pull(store: Store, sprint_id: int, preview: PullPreview) -> list[str]:
    """Apply the pulled team sections; returns the changes made."""
    from sprintdesk.markdown.importer import apply_team, parse_team_section

    done: list[str] = []
    with store.unit_of_work() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        records = {p.key: p for p in sprint.published_parts}
        for pull in preview.changes:
            plan = session.get(TeamPlan, pull.team_plan_id)
            if plan is None or plan.sprint_id != sprint_id:
                continue
            done.extend(apply_team(session, plan, parse_team_section(pull.text)))
            for key, remote_hash in pull.remote_hashes:
                if key in records:
                    records[key].remote_hash = remote_hash
    return done
