"""The offline outbox: edits waiting for a team database that cannot be reached, kept in a small
SQLite file in the data folder so that a crash or a kill while offline loses nothing. Qt-free.

There is one outbox per team database (the file name is a digest of the URL without its
password; the password is never written here). It holds the whole set of edits not yet
committed, rewritten in one transaction (``synchronous=FULL``) every time it changes: each
changed field with the value it had when read (``base``) and the new one (``mine``), each new
row with its values and links, each deleted row. Replaying it (:func:`replay`) goes through
the same rules as two people saving at once (``storage.conflicts``): a field somebody else left
alone takes the new value, the same field changed by both is handed back as a
:class:`~sprintdesk.storage.conflicts.FieldConflict`.

A team's members are a list beside the rows (a link table, no version counter): a change made
while offline is journaled as one "members" entry (the person ids when read and as chosen) and
replayed as a merge: the people added here are added and the people removed here removed,
whatever somebody else did meanwhile to the others (:func:`members_entry`).

A team added while offline (the roster, the welcome page) is one "team" entry: its name and the
person ids of its members (:func:`team_entry`). Replayed, it adds the team; when somebody else
added a team of the same name meanwhile (names are unique, ignoring case), it is merged into
that team: its members are added to that team's, nothing is duplicated.

Days off added while offline (the availability window) are one "timeoff" entry each: the
sprint, the person, the dates, half days and the note (:func:`time_off_entry`); days off
removed are a "delete" of that row. Replayed, the days off are added for the days of the sprint
that person is not already off: days off somebody else added meanwhile for the same days stay
as they are and are not counted twice (:func:`_replay_time_off`). A person added while offline
(the roster) is one "person" entry (:func:`person_entry`); replayed, it is added, unless
somebody else added meanwhile a person with the same GitHub login, or, for a person without a
login, of the same name (ignoring case): then it is that person, not a twin.

Each offline spell has a batch id; committing the outbox's edits also writes that id to the
setting ``outbox.<outbox id>`` in the same transaction, so an outbox whose edits landed just
before a kill is recognised at the next start and not applied twice.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
import weakref
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NEVER_SET, NO_VALUE

from sprintdesk.plan import model
from sprintdesk.plan import settings as db_settings
from sprintdesk.storage.conflicts import STAMP_FIELDS, FieldConflict, stamp_of
from sprintdesk.storage.server import parse

OUTBOX_DIRNAME = "outbox"
MARKER_PREFIX = "outbox."
# Not edits: the row's id and counter, and who changed it (written again when it lands).
_SKIP = {"id", "version"} | STAMP_FIELDS


def outbox_path(url: str, data_dir: Path) -> Path:
    """The outbox file for the team database at ``url`` (one per server, database and user;
    the password is not part of the name)."""
    parsed = parse(url)
    ident = "|".join(
        str(part or "") for part in (parsed.host, parsed.port, parsed.database, parsed.username)
    )
    digest = hashlib.sha256(ident.encode()).hexdigest()[:24]
    return data_dir / OUTBOX_DIRNAME / f"{digest}.db"


def _mapped_classes() -> dict[str, type[Any]]:
    return {
        mapper.class_.__tablename__: mapper.class_
        for mapper in model.Base.registry.mappers
        if hasattr(mapper.class_, "__tablename__")
    }


def encode(value: Any) -> Any:
    """A column value as JSON (dates and times tagged so they come back as such)."""
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return str(value) if isinstance(value, str) else value
    return str(value)


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        if "datetime" in value:
            return datetime.fromisoformat(value["datetime"])
        if "date" in value:
            return date.fromisoformat(value["date"])
    return value


@dataclass
class Entry:
    """One waiting change. ``kind`` "update": ``field`` of row ``key`` from ``base`` to
    ``mine``; "insert": a new row (``key`` is its local id) with ``values`` and ``refs`` (links
    to other new rows, by local id); "delete": row ``key``; "members": team ``key``'s members
    from the person ids ``base`` to ``mine``; "team": a new team named ``key`` with the person
    ids ``mine`` as members; "timeoff": days off (``values``) added to a sprint, ``key`` a
    local id; "person": a new person (``values``: name, login, role), ``key`` a local id."""

    kind: str
    table: str
    key: Any
    field: str | None = None
    base: Any = None
    mine: Any = None
    values: dict[str, Any] = dc_field(default_factory=dict)
    refs: dict[str, str] = dc_field(default_factory=dict)

    @property
    def ident(self) -> str:
        return f"{self.kind}:{self.table}:{self.key}:{self.field or ''}"

    def as_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind,
                "table": self.table,
                "key": self.key,
                "field": self.field,
                "base": self.base,
                "mine": self.mine,
                "values": self.values,
                "refs": self.refs,
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Entry:
        data = json.loads(text)
        return cls(**data)


class Outbox:
    """The outbox file of one team database (created on first use)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Local ids of new rows (not yet given an id by the server), for this process.
        self._local: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()
        self._conn: sqlite3.Connection | None = None
        self._count: int | None = None

    # --- the file ----------------------------------------------------------------------

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, isolation_level=None)
            conn.execute("PRAGMA journal_mode=DELETE")
            conn.execute("PRAGMA synchronous=FULL")  # on disk before the edit counts as kept
            conn.execute(
                "CREATE TABLE IF NOT EXISTS entries "
                "(seq INTEGER PRIMARY KEY, ident TEXT UNIQUE, body TEXT NOT NULL)"
            )
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            self._conn = conn
        return self._conn

    def _meta(self, key: str, *, create: bool = False) -> str:
        conn = self._db()
        row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        if row is not None:
            return str(row[0])
        value = uuid.uuid4().hex
        if create:
            conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (key, value))
        return value

    @property
    def outbox_id(self) -> str:
        """Stable for this file: names the marker setting on the server."""
        return self._meta("outbox_id", create=True)

    @property
    def batch(self) -> str:
        """The current offline spell: a new id once the waiting edits have landed."""
        return self._meta("batch", create=True)

    @property
    def marker_key(self) -> str:
        return MARKER_PREFIX + self.outbox_id

    def entries(self) -> list[Entry]:
        if not self.path.exists():
            return []
        rows = self._db().execute("SELECT body FROM entries ORDER BY seq").fetchall()
        return [Entry.from_json(row[0]) for row in rows]

    def count(self) -> int:
        """How many changes are waiting."""
        if self._count is None:
            if not self.path.exists():
                self._count = 0
            else:
                row = self._db().execute("SELECT count(*) FROM entries").fetchone()
                self._count = int(row[0])
        return self._count

    def write(self, entries: list[Entry]) -> None:
        """Replace what is waiting with ``entries``, durably, in one transaction."""
        conn = self._db()
        self.outbox_id  # noqa: B018 - created before the first batch, kept afterwards
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("DELETE FROM entries")
            conn.executemany(
                "INSERT OR REPLACE INTO entries (ident, body) VALUES (?, ?)",
                [(entry.ident, entry.as_json()) for entry in entries],
            )
            if entries:
                conn.execute(
                    "INSERT OR IGNORE INTO meta (key, value) VALUES ('batch', ?)",
                    (uuid.uuid4().hex,),
                )
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        self._count = len(entries)

    def clear(self) -> None:
        """The waiting edits landed: forget them and start a new batch next time."""
        if not self.path.exists():
            self._count = 0
            return
        conn = self._db()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("DELETE FROM entries")
        conn.execute("DELETE FROM meta WHERE key = 'batch'")
        conn.execute("COMMIT")
        self._count = 0

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    # --- from a session ----------------------------------------------------------------

    def local_id(self, obj: Any) -> str:
        found = self._local.get(obj)
        if found is None:
            found = self._local[obj] = "n" + uuid.uuid4().hex[:12]
        return found

    def capture(self, session: Session) -> list[Entry]:
        """Every change ``session`` holds and has not committed, as entries."""
        entries: list[Entry] = []
        for obj in list(session.new):
            entry = self._insert_entry(obj)
            if entry is not None:
                entries.append(entry)
        for obj in list(session.dirty):
            state = inspect(obj)
            table = getattr(type(obj), "__tablename__", None)
            if table is None or state.identity is None:
                continue
            changed = state.committed_state  # only what changed has a value kept here
            for column in state.mapper.column_attrs:
                if column.key in _SKIP or column.key not in changed:
                    continue
                history = state.attrs[column.key].history
                if not (history.added or history.deleted):
                    continue
                base = history.deleted[0] if history.deleted else None
                mine = getattr(obj, column.key)
                if base == mine:
                    continue
                entries.append(
                    Entry(
                        "update",
                        table,
                        _pk(state),
                        column.key,
                        encode(base),
                        encode(mine),
                        # The whole row, to offer it back if somebody deletes it meanwhile.
                        values=_row_values(state),
                    )
                )
        deleted = list(session.deleted) + _orphans(session)
        seen: set[str] = set()
        for obj in deleted:
            state = inspect(obj)
            table = getattr(type(obj), "__tablename__", None)
            if table is not None and state.identity is not None:
                entry = Entry("delete", table, _pk(state))
                if entry.ident not in seen:
                    seen.add(entry.ident)
                    entries.append(entry)
        return entries

    def _insert_entry(self, obj: Any) -> Entry | None:
        state = inspect(obj)
        table = getattr(type(obj), "__tablename__", None)
        if table is None:
            return None
        values: dict[str, Any] = {}
        refs: dict[str, str] = {}
        for column in state.mapper.column_attrs:
            if column.key in _SKIP:
                continue
            value = state.dict.get(column.key, NO_VALUE)
            if value is not NO_VALUE and value is not NEVER_SET:
                values[column.key] = encode(value)
        for rel in state.mapper.relationships:
            if rel.direction.name != "MANYTOONE" or rel.key not in state.dict:
                continue
            target = state.dict[rel.key]
            if target is None:
                continue
            target_state = inspect(target)
            if target_state.identity is None:
                refs[rel.key] = str(self._insert_key(target))
                continue
            for local, remote in rel.local_remote_pairs:
                values[local.key] = encode(getattr(target, remote.key))
        key = self._insert_key(obj)
        if not isinstance(key, str):
            values["id"] = key  # given ahead of time (storage.sequences): kept on replay
        return Entry("insert", table, key, values=values, refs=refs)

    def _insert_key(self, obj: Any) -> Any:
        """A new row's id when it was given one ahead of time, else its local id."""
        given = inspect(obj).dict.get("id")
        return given if isinstance(given, int) else self.local_id(obj)


def members_entry(team_id: int, mine: list[int], base: list[int]) -> Entry:
    """Team ``team_id``'s members changed from the person ids ``base`` (as read) to ``mine``."""
    return Entry("members", "teams", team_id, "members", sorted(set(base)), sorted(set(mine)))


def merge_members(entry: Entry, waiting: list[Entry]) -> list[Entry]:
    """``waiting`` with ``entry`` added; a team changed twice keeps its first base."""
    for index, old in enumerate(waiting):
        if old.ident == entry.ident:
            merged = members_entry(int(entry.key), list(entry.mine), list(old.base))
            return [*waiting[:index], merged, *waiting[index + 1 :]]
    return [*waiting, entry]


def team_entry(name: str, member_ids: list[int]) -> Entry:
    """A new team called ``name`` (already cleaned) with the people ``member_ids``."""
    return Entry("team", "teams", name, "team", None, sorted(set(member_ids)))


def merge_team(entry: Entry, waiting: list[Entry]) -> list[Entry]:
    """``waiting`` with the new team ``entry`` added; the same name (ignoring case) added twice
    while offline is one team with both lists of members."""
    for index, old in enumerate(waiting):
        if old.kind == "team" and str(old.key).lower() == str(entry.key).lower():
            merged = team_entry(str(old.key), [*old.mine, *entry.mine])
            return [*waiting[:index], merged, *waiting[index + 1 :]]
    return [*waiting, entry]


def time_off_entry(
    sprint_id: int, person_id: int, start: date, end: date, *, half_day: bool, note: str
) -> Entry:
    """Days off from ``start`` to ``end`` for person ``person_id`` in sprint ``sprint_id``."""
    values = {
        "sprint_id": sprint_id,
        "person_id": person_id,
        "start": encode(start),
        "end": encode(end),
        "half_day": half_day,
        "note": note.strip(),
    }
    return Entry("timeoff", "time_off", "h" + uuid.uuid4().hex[:12], "add", values=values)


def person_entry(name: str, login: str | None, role: str) -> Entry:
    """A new person (name, login and role already cleaned)."""
    values = {"name": name, "github_login": login, "role": role}
    return Entry("person", "people", "p" + uuid.uuid4().hex[:12], "add", values=values)


def _same_person(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """The same person by the replay's rule: the same login, or no login and the same name."""
    login, theirs = one.get("github_login"), other.get("github_login")
    if login or theirs:
        return bool(login and theirs and str(login).lower() == str(theirs).lower())
    return str(one["name"]).lower() == str(other["name"]).lower()


def merge_person(entry: Entry, waiting: list[Entry]) -> list[Entry]:
    """``waiting`` with the new person ``entry`` added; the same person (see
    :func:`_same_person`) added twice while offline waits once."""
    for old in waiting:
        if old.kind == "person" and _same_person(old.values, entry.values):
            return waiting
    return [*waiting, entry]


def _replay_person(session: Session, entry: Entry) -> None:
    """Add the person, unless somebody added the same one meanwhile: the same GitHub login,
    or, without a login, the same name (ignoring case). A person of the same name with
    another login is somebody else (both are kept)."""
    from sqlalchemy import func

    values = entry.values
    login = values.get("github_login")
    # GitHub logins ignore case ("Ana" and "ana" are one account), as roster.add_person.
    same = (
        func.lower(model.Person.github_login) == str(login).lower()
        if login
        else func.lower(model.Person.name) == str(values["name"]).lower()
    )
    if session.scalars(select(model.Person.id).where(same)).first() is not None:
        return
    person = model.Person(
        name=values["name"], github_login=login or None, role=values["role"], active=True
    )
    session.add(person)


def _replay_time_off(session: Session, entry: Entry) -> None:
    """Add the days off for the days of the sprint the person is not off already (somebody
    may have added days off for them meanwhile: those stay, nothing is counted twice); a
    sprint or person deleted meanwhile, or no working day left, adds nothing."""
    from sprintdesk.plan.workdays import working_days

    values = entry.values
    sprint = session.get(model.Sprint, values["sprint_id"])
    person = session.get(model.Person, values["person_id"])
    if sprint is None or person is None:
        return
    start, end = decode(values["start"]), decode(values["end"])
    if sprint.start is not None and sprint.end is not None:
        start, end = max(start, sprint.start), min(end, sprint.end)
    # As the server has them now (the session may hold the sprint as read before).
    taken = session.execute(
        select(model.TimeOff.start, model.TimeOff.end).where(
            model.TimeOff.sprint_id == sprint.id, model.TimeOff.person_id == person.id
        )
    ).all()
    runs: list[tuple[date, date]] = []
    day = start
    while day <= end:
        if not any(first <= day <= (last or first) for first, last in taken):
            if runs and runs[-1][1] == day - timedelta(days=1):
                runs[-1] = (runs[-1][0], day)
            else:
                runs.append((day, day))
        day += timedelta(days=1)
    for first, last in runs:
        if not working_days(first, last):
            continue
        sprint.time_off.append(
            model.TimeOff(
                person=person,
                start=first,
                end=last,
                half_day=bool(values.get("half_day")),
                note=str(values.get("note") or ""),
            )
        )


def _replay_team(session: Session, entry: Entry) -> None:
    """Add the team, or merge it into a team of the same name somebody added meanwhile (its
    members join that team's). Archived people stay members; deleted ones are left out."""
    from sqlalchemy import func

    name = str(entry.key)
    people = [session.get(model.Person, person_id) for person_id in entry.mine or ()]
    found = [person for person in people if person is not None]
    team = session.scalar(select(model.Team).where(func.lower(model.Team.name) == name.lower()))
    if team is None:
        position = (session.scalar(select(func.max(model.Team.position))) or 0) + 1
        team = model.Team(name=name, position=position, members=[], active=True)
        session.add(team)
    else:
        session.refresh(team, attribute_names=["members"])
        found = [*team.members, *(person for person in found if person not in team.members)]
    team.members = sorted(set(found), key=lambda p: p.name.lower())


def _replay_members(session: Session, entry: Entry) -> None:
    """Add the people added here, remove the people removed here; the rest as they are now
    (somebody else's changes to other people land too). A team deleted meanwhile is left."""
    team = session.get(model.Team, entry.key)
    if team is None:
        return
    # As the server has them now (a session that kept the team may hold an older list).
    session.refresh(team, attribute_names=["members"])
    base, mine = set(entry.base or ()), set(entry.mine or ())
    now = {person.id for person in team.members}
    wanted = (now | (mine - base)) - (base - mine)
    if wanted == now:
        return
    people = [session.get(model.Person, person_id) for person_id in sorted(wanted)]
    team.members = sorted(
        (person for person in people if person is not None), key=lambda p: p.name.lower()
    )


def _orphans(session: Session) -> list[Any]:
    """Rows taken out of a list that deletes its orphans: deleted at the next flush (which
    cannot happen offline), so not yet in ``session.deleted``."""
    found: list[Any] = []
    for obj in list(session.dirty):
        state = inspect(obj)
        for rel in state.mapper.relationships:
            if not rel.uselist or not rel.cascade.delete_orphan or rel.key not in state.dict:
                continue
            if rel.key not in state.committed_state:
                continue  # the list was not changed
            for child in state.attrs[rel.key].history.deleted:
                child_state = inspect(child)
                if child_state.identity is None:
                    continue
                back = rel.back_populates
                if back and getattr(child, back, None) is not None:
                    continue  # moved to another parent, not deleted
                found.append(child)
    return found


def _row_values(state: Any) -> dict[str, Any]:
    return {
        column.key: encode(state.dict[column.key])
        for column in state.mapper.column_attrs
        if column.key not in _SKIP - {"id"} and column.key in state.dict
    }


def _pk(state: Any) -> Any:
    identity = state.identity
    return identity[0] if len(identity) == 1 else list(identity)


@dataclass
class Replayed:
    """What replaying an outbox found: the same-field conflicts to ask about."""

    conflicts: list[FieldConflict] = dc_field(default_factory=list)


def already_applied(session: Session, outbox: Outbox) -> bool:
    """True when the outbox's current batch was committed before (a kill came between the
    commit and clearing the file)."""
    return db_settings.get(session, outbox.marker_key, "") == outbox.batch


def mark(session: Session, outbox: Outbox) -> None:
    """Record, in the transaction that commits the outbox's edits, that this batch landed."""
    with session.no_autoflush:
        db_settings.put(session, outbox.marker_key, outbox.batch)


def _already_inserted(
    session: Session, inserts: list[Entry], classes: dict[str, type[Any]]
) -> set[tuple[str, Any]]:
    """The new rows with ids given ahead of time that are in the database already (a batch
    whose commit landed although its answer was lost): inserted once, never twice."""
    wanted: dict[str, list[Any]] = {}
    for entry in inserts:
        if entry.values.get("id") is not None and entry.table in classes:
            wanted.setdefault(entry.table, []).append(entry.values["id"])
    found: set[tuple[str, Any]] = set()
    for table, ids in wanted.items():
        cls: Any = classes[table]
        found.update((table, row) for row in session.scalars(select(cls.id).where(cls.id.in_(ids))))
    return found


def _keyed_otherwise(session: Session, cls: Any, entry: Entry) -> Any:
    """The row already in the database for a new row keyed by something other than an id
    (a setting, by its name); None for rows keyed by id, or when there is none."""
    keys = inspect(cls).primary_key
    if len(keys) != 1 or keys[0].name == "id" or keys[0].key not in entry.values:
        return None
    return session.get(cls, decode(entry.values[keys[0].key]))


def _read_rows(session: Session, entries: list[Entry], classes: dict[str, type[Any]]) -> list[Any]:
    """The rows ``entries`` change or delete, read in one query per table rather than one
    each (a renumbered list of 200 goals is one round trip, not 200); held by the caller, as
    the session keeps them only while somebody does."""
    rows: list[Any] = []
    wanted: dict[str, set[Any]] = {}
    for entry in entries:
        if entry.kind != "insert" and entry.table in classes and isinstance(entry.key, int):
            wanted.setdefault(entry.table, set()).add(entry.key)
    for table, keys in wanted.items():
        cls: Any = classes[table]
        if hasattr(cls, "id") and len(keys) > 1:
            rows.extend(session.scalars(select(cls).where(cls.id.in_(sorted(keys)))))
    return rows


def replay(session: Session, entries: list[Entry]) -> Replayed:
    """Apply waiting edits to ``session`` (not committed): fields somebody else left as they
    were take the new value, fields changed by both are handed back, rows deleted meanwhile
    are offered back (a conflict on no field), new rows are added with their links."""
    classes = _mapped_classes()
    result = Replayed()
    created: dict[str, Any] = {}
    offers: dict[tuple[str, str], FieldConflict] = {}
    inserts = [entry for entry in entries if entry.kind == "insert"]
    landed = _already_inserted(session, inserts, classes)
    for entry in inserts:
        cls = classes.get(entry.table)
        if cls is None or (entry.table, entry.values.get("id")) in landed:
            continue
        existing = _keyed_otherwise(session, cls, entry)
        if existing is not None:
            # A row keyed by its name (a setting) somebody saved first: it takes this value,
            # as saving it here would have (the latest choice wins); never a second row.
            for key, value in entry.values.items():
                setattr(existing, key, decode(value))
            continue
        obj = cls()
        for key, value in entry.values.items():
            setattr(obj, key, decode(value))
        created[str(entry.key)] = obj
    for entry in inserts:
        obj = created.get(str(entry.key))
        if obj is None:
            continue
        for rel, target in entry.refs.items():
            if target in created:
                setattr(obj, rel, created[target])
        session.add(obj)
    with session.no_autoflush:
        held = _read_rows(session, entries, classes)
        for entry in entries:
            cls = classes.get(entry.table)
            if cls is None or entry.kind == "insert":
                continue
            if entry.kind == "members":
                _replay_members(session, entry)
                continue
            if entry.kind == "team":
                _replay_team(session, entry)
                continue
            if entry.kind == "person":
                _replay_person(session, entry)
                continue
            if entry.kind == "timeoff":
                _replay_time_off(session, entry)
                continue
            pk = tuple(entry.key) if isinstance(entry.key, list) else entry.key
            row = session.get(cls, pk)
            if entry.kind == "delete":
                if row is not None:
                    session.delete(row)
                continue
            assert entry.field is not None
            mine, base = decode(entry.mine), decode(entry.base)
            if row is None:
                # Deleted by somebody else meanwhile: offered back as it was here.
                values = {key: decode(value) for key, value in entry.values.items()}
                values[entry.field] = mine
                offered = offers.get((entry.table, str(entry.key)))
                if offered is None:
                    offered = FieldConflict(cls(), None, values, None)
                    offers[(entry.table, str(entry.key))] = offered
                    result.conflicts.append(offered)
                else:
                    offered.mine[entry.field] = mine
                continue
            theirs = getattr(row, entry.field)
            if theirs == mine:
                continue
            if theirs == base:
                setattr(row, entry.field, mine)
            else:
                by, at = stamp_of(row)
                result.conflicts.append(FieldConflict(row, entry.field, mine, theirs, by, at))
    del held
    return result
