"""What the publishing tests over real HTTP share: the fake repository's paths, the kill that
ends the app mid-publish, and reads of what was sent and what the plan recorded."""

from __future__ import annotations

import re
from typing import Any

from sprintdesk.github import publishing
from sprintdesk.storage.store import Store
from tests.conftest import FAKE_REPO as REPO
from tests.conftest import rendered_of, sprint_row
from tests.fakegithub import FakeGitHub

ISSUES = rf"/repos/{REPO}/issues"
COMMENTS = rf"/repos/{REPO}/issues/\d+/comments"


class Killed(BaseException):
    """The app dies here (a kill, a power cut): nothing after it runs."""


def writes_to(fake: FakeGitHub, method: str, pattern: str) -> list[str]:
    """The paths written with ``method`` that match ``pattern`` (a regex over the path)."""
    return [p for m, p in fake.writes if m == method and re.fullmatch(pattern, p)]


def outgoing_of(store: Store, sprint_id: int) -> list[publishing.Outgoing]:
    """The parts a publish of the sprint would send, as publishing computes them."""
    return publishing.outgoing_parts(
        rendered_of(store, sprint_id), sprint_row(store, sprint_id).uuid
    )


def record_of(store: Store, sprint_id: int, key: str) -> Any:
    """The sprint's record of its published part ``key``, or None."""
    return next((p for p in sprint_row(store, sprint_id).published_parts if p.key == key), None)
