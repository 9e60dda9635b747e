"""The first frame's reading of the database (``sprintdesk.storage.opening``) against the
store's own:
the same sprint, agenda, clock and items, from a real SQLite file; and nothing at all (never an
error, never a write) for a file it cannot read as it is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from sprintdesk.plan import meeting
from sprintdesk.plan.meeting import MeetingClock
from sprintdesk.plan.model import (
    AgendaSection,
    ItemKind,
    RetroKind,
    SectionKind,
    Sprint,
    SprintState,
    Status,
)
from sprintdesk.storage.opening import (
    HERO,
    PREVIEW_ITEMS,
    database_file,
    read_opening,
)
from sprintdesk.storage.store import Store, open_store
from tests.clocks import FakeClock


def _latest(store: Store) -> Sprint:
    with store.session() as session:
        return session.scalars(
            select(Sprint).order_by(Sprint.start.desc().nulls_last(), Sprint.id.desc())
        ).first()  # type: ignore[return-value]


# The order the pages show their lists in, written out here as the specification the first
# frame is held to (not derived from the constants the reader sorts by, so a change to those goes
# red): the retro page's went well / to improve / actions, the team page's last sprint's lists,
# hang-overs, then this sprint's high and low priorities.
RETRO_PAGE_ORDER = ["went_well", "to_improve", "action"]
TEAM_PAGE_ORDER = ["retro_high", "retro_low", "hangover", "high", "low"]


def test_the_lists_are_in_the_pages_order() -> None:
    assert sorted(RETRO_PAGE_ORDER) == sorted(k.value for k in RetroKind)
    assert sorted(TEAM_PAGE_ORDER) == sorted(k.value for k in ItemKind)


def test_it_reads_what_the_window_opens(demo_store: Store, db_url: str) -> None:
    opening = read_opening(db_url)
    assert opening is not None and opening.sprint is not None
    with demo_store.session() as session:
        rows = session.execute(
            select(Sprint.id, Sprint.name, Sprint.state).order_by(
                Sprint.start.desc().nulls_last(), Sprint.id.desc()
            )
        ).all()
        assert opening.sprints == [tuple(row) for row in rows]
        sprint = session.get(Sprint, rows[0][0])
        assert sprint is not None and sprint.state != SprintState.IN_MEETING.value
        assert opening.sprint.id == sprint.id and opening.sprint.name == sprint.name
        assert opening.sprint.facilitator_notes == sprint.facilitator_notes
        assert [
            (s.id, s.kind, s.title, s.timebox_seconds, s.extension_seconds, s.actual_seconds)
            for s in opening.sprint.sections
        ] == [
            (s.id, s.kind, s.title, s.timebox_seconds, s.extension_seconds, s.actual_seconds)
            for s in sprint.sections
        ]
        # Not in a meeting: the window opens on the first section.
        assert opening.section is opening.sprint.sections[0]
        first = sprint.sections[0]
        assert first.kind == SectionKind.OUTCOMES.value
        outcomes = list(sprint.outcomes)
        assert opening.total == len(outcomes) > 0
        assert [
            (item.title, item.carried, item.status, item.owner, item.target)
            for item in opening.items
        ] == [
            (o.title, o.was_carried, o.status, o.owner.name if o.owner else None, o.target)
            for o in outcomes[:PREVIEW_ITEMS]
        ]
        assert {item.status for item in opening.items} <= {s.value for s in Status}


def _meeting_on(store: Store, kind: SectionKind) -> tuple[int, int]:
    """Put the sprint before the latest in a meeting on its first section of ``kind``."""
    with store.unit_of_work() as session:
        sprint = session.scalars(select(Sprint).order_by(Sprint.start.desc())).all()[1]
        assert sprint is not None
        section = next(s for s in sprint.sections if s.kind == kind.value)
        sprint.state = SprintState.IN_MEETING.value
        sprint.meeting_section_id = section.id
        sprint.meeting_running_since = None
        return sprint.id, section.id


@pytest.mark.parametrize(
    "kind",
    [
        SectionKind.OUTCOMES,
        SectionKind.RETRO,
        SectionKind.PRIORITIES,
        SectionKind.GOALS,
        SectionKind.TEAM,
    ],
)
def test_a_meeting_in_progress_opens_on_its_section(
    demo_store: Store, db_url: str, kind: SectionKind
) -> None:
    sprint_id, section_id = _meeting_on(demo_store, kind)
    opening = read_opening(db_url)
    assert opening is not None and opening.sprint is not None and opening.section is not None
    assert opening.sprint.id == sprint_id and opening.section.id == section_id
    assert opening.sprint.id != opening.sprints[0][0]  # not the latest: the running one
    with demo_store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        section = session.get(AgendaSection, section_id)
        assert section is not None

        def owner(person: object) -> str | None:
            return getattr(person, "name", None)

        expected: list[tuple[object, ...]]
        if kind is SectionKind.OUTCOMES:
            expected = [(o.title, "", owner(o.owner), bool(o.was_carried)) for o in sprint.outcomes]
        elif kind is SectionKind.RETRO:
            order = RETRO_PAGE_ORDER
            notes = sorted(sprint.retro_notes, key=lambda n: (order.index(n.kind), n.position))
            expected = [(n.text, n.kind, owner(n.owner), False) for n in notes]
        elif kind is SectionKind.PRIORITIES:
            expected = [(p.text, "", None, False) for p in sprint.priorities]
        elif kind is SectionKind.GOALS:
            expected = [(g.title, "", owner(g.owner), g.carried_over) for g in sprint.goals]
        else:
            plan = section.team_plan
            assert plan is not None
            order = TEAM_PAGE_ORDER
            items = sorted(plan.items, key=lambda i: (order.index(i.kind), i.position))
            hero = plan.support_hero
            expected = [(hero.name, HERO, None, False)] if hero else []
            expected += [(i.title, i.kind, owner(i.owner), False) for i in items]
    assert expected, f"the demo has no {kind.value} items to compare"
    got = [(i.title, i.kind, i.owner, i.carried) for i in opening.items]
    if kind in (SectionKind.RETRO, SectionKind.TEAM):
        # Several lists among the items shown: their order is what is checked.
        kinds = [item[1] for item in expected[:PREVIEW_ITEMS] if item[1] != HERO]
        assert len(set(kinds)) >= 2, kinds
    assert got == expected[:PREVIEW_ITEMS]
    assert opening.total == len(expected)


def test_its_clock_reads_as_the_stores(demo_store: Store, db_url: str) -> None:
    sprint_id, _ = _meeting_on(demo_store, SectionKind.GOALS)
    fake = FakeClock()
    with demo_store.unit_of_work() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        clock = MeetingClock(sprint, monotonic=fake.monotonic, wall=fake.time)
        clock.start()
    fake.advance(95)
    opening = read_opening(db_url)
    assert opening is not None and opening.sprint is not None
    first = MeetingClock(opening.sprint, monotonic=fake.monotonic, wall=fake.time)  # type: ignore[arg-type]
    with demo_store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        real = MeetingClock(sprint, monotonic=fake.monotonic, wall=fake.time)
        assert first.reading() == real.reading()
        assert first.reading().running and first.reading().in_meeting
        assert first.reading().countdown == real.reading().countdown
        assert [first.section_state(s) for s in opening.sprint.sections] == [  # type: ignore[arg-type]
            real.section_state(s) for s in sprint.sections
        ]
    assert opening.sprint.state == meeting.IN_MEETING


def test_no_sprint_yet(store: Store, db_url: str) -> None:
    opening = read_opening(db_url)
    assert opening is not None
    assert opening.sprints == [] and opening.sprint is None and opening.items == []


def test_urls_it_leaves_to_the_store(tmp_path: Path) -> None:
    assert database_file(f"sqlite:///{tmp_path}/a.db") == tmp_path / "a.db"
    assert database_file("sqlite:///relative.db") == Path("relative.db")
    assert database_file("sqlite:///my%20plans.db") == Path("my plans.db")
    for url in (
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///file:x.db?mode=ro&uri=true",
        f"sqlite:///{tmp_path}/a.db?timeout=5",
        "postgresql://u@h/db",
    ):
        assert database_file(url) is None, url
        assert read_opening(url) is None


def _unchanged_after_read(path: Path) -> None:
    before = path.read_bytes()
    assert read_opening(f"sqlite:///{path}") is None
    assert path.read_bytes() == before


def test_files_it_cannot_read_as_they_are(demo_store: Store, db_url: str, tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    assert read_opening(f"sqlite:///{missing}") is None
    assert not missing.exists()  # never created

    text = tmp_path / "notes.db"
    text.write_text("not a database at all\n" * 50)
    _unchanged_after_read(text)

    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    conn.commit()
    conn.close()
    _unchanged_after_read(foreign)

    demo_store.close()
    path = database_file(db_url)
    assert path is not None
    older = tmp_path / "older.db"
    older.write_bytes(path.read_bytes())
    conn = sqlite3.connect(older)
    conn.execute("UPDATE alembic_version SET version_num = '0000'")
    conn.commit()
    conn.close()
    _unchanged_after_read(older)  # a migration comes first: the store's path does it

    # Damaged pages: whatever can still be read, it never raises and never writes.
    data = path.read_bytes()
    for page in range(1, len(data) // 4096):
        damaged = tmp_path / f"damaged-{page}.db"
        broken = data[: page * 4096] + b"\xff" * 4096 + data[(page + 1) * 4096 :]
        damaged.write_bytes(broken)
        read_opening(f"sqlite:///{damaged}")
        assert damaged.read_bytes() == broken


def test_reading_changes_nothing(demo_store: Store, db_url: str) -> None:
    demo_store.close()
    path = database_file(db_url)
    assert path is not None
    before = path.read_bytes()
    assert read_opening(db_url) is not None
    assert path.read_bytes() == before
    again = open_store(db_url)  # and the store opens it as before
    again.close()


def test_an_unreadable_folder_gives_no_first_frame(tmp_path: Path) -> None:
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads every folder")
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "sprintdesk.db").write_bytes(b"")
    folder.chmod(0)
    try:
        assert read_opening(f"sqlite:///{folder / 'sprintdesk.db'}") is None
    finally:
        folder.chmod(0o755)
