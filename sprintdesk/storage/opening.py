"""The sprint the window opens on, read straight from the SQLite file for its first paint.

Importing SQLAlchemy and setting up the model's mappings takes a few hundred milliseconds; the
window's first paint does not wait for them. :func:`read_opening` reads, with the standard
library's ``sqlite3`` on a read-only connection, what that first frame shows:

* the sprint picker's list;
* the sprint the window opens (a meeting in progress first, else the latest by its dates, the
  same choice as the window's), with its agenda and the meeting clock's saved state, so the
  countdown is right from the first frame;
* the first items of the section the window opens on, as a read-only look at its page.

The window then opens the store as usual and puts the editable plan in place of this look.

It uses ``sqlite3``'s C module, ``_sqlite3``, directly: the ``sqlite3`` package around it imports
``datetime`` and registers date adapters and converters, which a reader of plain numbers and
text does without (a third of what reading the file costs the first paint: 9 of 13 million
instructions). The connection and its errors are the same objects either way.

Nothing here writes or creates a file. Anything unexpected (no file, another schema revision, a
damaged or foreign file, a locked database) gives ``None``: the normal opening path explains it.
"""

from __future__ import annotations

import _sqlite3 as sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

from sprintdesk.plan.meeting import IN_MEETING
from sprintdesk.plan.vocabulary import RETRO_ORDER, TEAM_ITEM_ORDER, SectionKind
from sprintdesk.storage.migrations import HEAD

PREVIEW_ITEMS = 8  # a screenful at 1280×800; the editable page follows within a second

HERO = "hero"  # the kind of a team section's first item: its support hero


class OpeningSection:
    """An agenda section as :class:`~sprintdesk.plan.meeting.MeetingClock` reads it."""

    __slots__ = (
        "id",
        "kind",
        "title",
        "timebox_seconds",
        "extension_seconds",
        "actual_seconds",
        "visited",
        "team_plan_id",
    )

    def __init__(
        self,
        id: int,  # noqa: A002 - the attribute the clock reads
        kind: str,
        title: str,
        timebox_seconds: int,
        extension_seconds: int,
        actual_seconds: float,
        visited: bool,
        team_plan_id: int | None,
    ) -> None:
        self.id = id
        self.kind = kind
        self.title = title
        self.timebox_seconds = timebox_seconds
        self.extension_seconds = extension_seconds
        self.actual_seconds = actual_seconds
        self.visited = visited
        self.team_plan_id = team_plan_id


class OpeningSprint:
    """A sprint as the clock, the header and the window title read it (never written back)."""

    __slots__ = (
        "id",
        "name",
        "state",
        "facilitator_notes",
        "meeting_section_id",
        "meeting_running_since",
        "meeting_started_at",
        "meeting_ended_at",
        "published_at",
        "publish_issue_number",
        "sections",
    )

    def __init__(
        self,
        id: int,  # noqa: A002 - the attribute the clock reads
        name: str,
        state: str,
        facilitator_notes: str,
        meeting_section_id: int | None,
        meeting_running_since: float | None,
        meeting_started_at: str | None,
        sections: list[OpeningSection],
    ) -> None:
        self.id = id
        self.name = name
        self.state = state
        self.facilitator_notes = facilitator_notes
        self.meeting_section_id = meeting_section_id
        self.meeting_running_since = meeting_running_since
        # Whether a meeting was ever started (the window offers "Resume meeting"); the text
        # as stored, never parsed.
        self.meeting_started_at: object = meeting_started_at
        self.meeting_ended_at: object = None
        self.published_at: object = None
        self.publish_issue_number: int | None = None
        self.sections = sections


class PreviewItem(NamedTuple):
    """One item as its page shows it; the window words the details (``tr``)."""

    title: str
    kind: str = ""  # a retro note's or team item's list; HERO for a team's support hero
    owner: str | None = None
    status: str | None = None  # an outcome's ``Status`` value
    target: str = ""
    why: str = ""
    carried: bool = False  # 🔁


class Opening(NamedTuple):
    """What the first frame shows."""

    sprints: list[tuple[int, str, str]]  # the picker: id, name, state; latest first
    sprint: OpeningSprint | None  # None: no sprint yet (the welcome page follows)
    section: OpeningSection | None  # the section the window opens on
    items: list[PreviewItem]  # its first items
    total: int  # how many items that section has in all


def database_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///path`` URL; None for anything else (other databases,
    in-memory SQLite, URLs with options), which the normal opening path handles."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = unquote(url[len(prefix) :])
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return Path(path)


def read_opening(url: str) -> Opening | None:
    """The first frame's data, or None when the file cannot be read as it is (see the module's
    documentation). Never raises for a bad file and never writes."""
    path = database_file(url)
    try:
        if path is None or not path.is_file():
            return None
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
    except (OSError, sqlite3.Error):
        return None
    try:
        return _read(conn)
    except Exception:  # noqa: BLE001 - a first frame is optional: the store's path explains
        return None
    finally:
        conn.close()


def _read(conn: sqlite3.Connection) -> Opening | None:
    row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    if row is None or row[0] != HEAD:
        return None  # a migration comes first: the normal path does it
    sprints = [
        (int(sid), str(name), str(state))
        for sid, name, state in conn.execute(
            "SELECT id, name, state FROM sprints ORDER BY start IS NULL, start DESC, id DESC"
        )
    ]
    running = conn.execute(
        "SELECT id FROM sprints WHERE state = ? ORDER BY id DESC LIMIT 1", (IN_MEETING,)
    ).fetchone()
    if running is not None:
        sprint_id = int(running[0])
    elif sprints:
        sprint_id = sprints[0][0]
    else:
        return Opening(sprints, None, None, [], 0)
    found = conn.execute(
        "SELECT name, state, facilitator_notes, meeting_section_id, meeting_running_since, "
        "meeting_started_at, published_at, publish_issue_number FROM sprints WHERE id = ?",
        (sprint_id,),
    ).fetchone()
    sections = [
        OpeningSection(int(i), str(k), str(t), int(tb), int(ext), float(act), bool(v), plan)
        for i, k, t, tb, ext, act, v, plan in conn.execute(
            "SELECT id, kind, title, timebox_seconds, extension_seconds, actual_seconds, "
            "visited, team_plan_id FROM agenda_sections WHERE sprint_id = ? ORDER BY position",
            (sprint_id,),
        )
    ]
    name, state, notes, section_id, since, started, published, issue = found
    sprint = OpeningSprint(
        sprint_id,
        str(name),
        str(state),
        str(notes or ""),
        section_id,
        float(since) if since is not None else None,
        str(started) if started is not None else None,
        sections,
    )
    # Published is its own fact, beside the meeting's state (the header says both).
    sprint.published_at = str(published) if published is not None else None
    sprint.publish_issue_number = int(issue) if issue is not None else None
    section = opening_section(sprint)
    items, total = _preview(conn, sprint, section) if section is not None else ([], 0)
    return Opening(sprints, sprint, section, items, total)


def opening_section(sprint: OpeningSprint) -> OpeningSection | None:
    """The section the window opens on: the meeting's current one, else the first."""
    if sprint.state == IN_MEETING:
        for section in sprint.sections:
            if section.id == sprint.meeting_section_id:
                return section
    return sprint.sections[0] if sprint.sections else None


def _preview(
    conn: sqlite3.Connection, sprint: OpeningSprint, section: OpeningSection
) -> tuple[list[PreviewItem], int]:
    reader = _READERS.get(section.kind)
    if reader is None:
        return [], 0
    return reader(conn, sprint.id, section)


def _count(conn: sqlite3.Connection, sql: str, key: int) -> int:
    return int(conn.execute(sql, (key,)).fetchone()[0])


def _in_order(column: str, kinds: tuple[str, ...]) -> str:
    """An ORDER BY term putting ``column`` in the order of ``kinds`` (our own constants)."""
    cases = " ".join(f"WHEN '{kind}' THEN {n}" for n, kind in enumerate(kinds))
    return f"CASE {column} {cases} ELSE {len(kinds)} END"


def _listed(
    conn: sqlite3.Connection,
    sql: str,
    table: str,
    sprint_id: int,
    build: Callable[..., PreviewItem],
) -> tuple[list[PreviewItem], int]:
    """The first :data:`PREVIEW_ITEMS` rows of one of the sprint's lists (``sql`` takes the
    sprint's id and the limit), each ``build(*row)``, and how many items ``table`` holds."""
    items = [build(*row) for row in conn.execute(sql, (sprint_id, PREVIEW_ITEMS))]
    count = f"SELECT count(*) FROM {table} WHERE sprint_id = ?"  # noqa: S608 - our own names
    return items, _count(conn, count, sprint_id)


def _outcomes(
    conn: sqlite3.Connection, sprint_id: int, section: OpeningSection
) -> tuple[list[PreviewItem], int]:
    return _listed(
        conn,
        "SELECT o.title, o.was_carried, o.status, o.target, p.name FROM outcome_reviews o "
        "LEFT JOIN people p ON p.id = o.owner_id WHERE o.sprint_id = ? "
        "ORDER BY o.position, o.id LIMIT ?",
        "outcome_reviews",
        sprint_id,
        lambda title, carried, status, target, owner: PreviewItem(
            title, owner=owner, status=status, target=target, carried=bool(carried)
        ),
    )


def _retro(
    conn: sqlite3.Connection, sprint_id: int, section: OpeningSection
) -> tuple[list[PreviewItem], int]:
    return _listed(
        conn,
        "SELECT r.text, r.kind, p.name FROM retro_notes r LEFT JOIN people p "  # noqa: S608
        f"ON p.id = r.owner_id WHERE r.sprint_id = ? ORDER BY {_in_order('r.kind', RETRO_ORDER)}, "
        "r.position, r.id LIMIT ?",
        "retro_notes",
        sprint_id,
        lambda text, kind, owner: PreviewItem(text, kind=kind, owner=owner),
    )


def _priorities(
    conn: sqlite3.Connection, sprint_id: int, section: OpeningSection
) -> tuple[list[PreviewItem], int]:
    return _listed(
        conn,
        "SELECT text FROM priorities WHERE sprint_id = ? ORDER BY position, id LIMIT ?",
        "priorities",
        sprint_id,
        PreviewItem,
    )


def _goals(
    conn: sqlite3.Connection, sprint_id: int, section: OpeningSection
) -> tuple[list[PreviewItem], int]:
    return _listed(
        conn,
        "SELECT g.title, g.carried_over, g.why, g.target, p.name FROM goals g "
        "LEFT JOIN people p ON p.id = g.owner_id WHERE g.sprint_id = ? "
        "ORDER BY g.position, g.id LIMIT ?",
        "goals",
        sprint_id,
        lambda title, carried, why, target, owner: PreviewItem(
            title, owner=owner, why=why, target=target, carried=bool(carried)
        ),
    )


def _team(
    conn: sqlite3.Connection, sprint_id: int, section: OpeningSection
) -> tuple[list[PreviewItem], int]:
    del sprint_id
    plan = section.team_plan_id
    if plan is None:
        return [], 0
    hero = conn.execute(
        "SELECT p.name FROM team_plans t JOIN people p ON p.id = t.support_hero_id WHERE t.id = ?",
        (plan,),
    ).fetchone()
    items = [PreviewItem(str(hero[0]), kind=HERO)] if hero else []
    rows = conn.execute(
        "SELECT i.title, i.kind, p.name FROM team_items i LEFT JOIN people p "  # noqa: S608
        f"ON p.id = i.owner_id WHERE i.team_plan_id = ? "
        f"ORDER BY {_in_order('i.kind', TEAM_ITEM_ORDER)}, i.position, i.id LIMIT ?",
        (plan, PREVIEW_ITEMS - len(items)),
    )
    items += [PreviewItem(title, kind=kind, owner=owner) for title, kind, owner in rows]
    total = _count(conn, "SELECT count(*) FROM team_items WHERE team_plan_id = ?", plan)
    return items, total + (1 if hero else 0)


_READERS = {
    SectionKind.OUTCOMES.value: _outcomes,
    SectionKind.RETRO.value: _retro,
    SectionKind.PRIORITIES.value: _priorities,
    SectionKind.GOALS.value: _goals,
    SectionKind.TEAM.value: _team,
}
