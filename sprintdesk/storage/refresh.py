"""Somebody else's committed changes, brought into an open session without a query on the
thread that owns it.

:func:`fetch` runs on a worker thread with a connection of its own: one ``SELECT ... WHERE id IN``
per changed table, returning detached objects. :func:`apply` then runs on the owner's thread and
issues no SQL: changed rows take the fetched values as their committed state (a field with an
edit still waiting to be saved keeps the edit, so the conflict rules decide at the next save), new
rows join the lists that hold them in their order, deleted rows leave them. A fetched row older
than what the session already holds (its version counter is lower: our own later save) is
skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, inspect, select
from sqlalchemy.orm import Mapper, Session, attributes
from sqlalchemy.orm.util import identity_key

from sprintdesk.plan.model import Base, Person, Setting, Team
from sprintdesk.plan.settings import learn as learn_setting


@dataclass
class Fetched:
    """What :func:`fetch` read: rows that changed or came (detached), and keys that went."""

    rows: list[Any] = field(default_factory=list)
    inserted: set[tuple[type, Any]] = field(default_factory=set)
    deleted: set[tuple[type, Any]] = field(default_factory=set)
    statements: int = 0


NOT_PLAN_DATA = frozenset({"presence"})  # who is here: storage.presence reads it


def mapped_classes() -> dict[str, type]:
    """The plan's mapped classes by table name."""
    return {
        getattr(m.class_, "__tablename__", ""): m.class_
        for m in Base.registry.mappers
        if getattr(m.class_, "__tablename__", None) and m.class_.__tablename__ not in NOT_PLAN_DATA
    }


def _single_key(cls: type, raw: Any) -> Any:
    """The notification's id as the mapper's primary key value (a one-column key: else None)."""
    columns: tuple[Any, ...] = tuple(inspect(cls).primary_key)
    if len(columns) != 1:
        return None
    python_type = columns[0].type.python_type
    try:
        return python_type(raw)
    except (TypeError, ValueError):
        return None


def fetch(conn: Connection, changes: Iterable[Any]) -> Fetched:
    """Read the rows ``changes`` (``storage.live.Change``) name, one query per table."""
    classes = mapped_classes()
    wanted: dict[type, set[Any]] = defaultdict(set)
    result = Fetched()
    for change in changes:
        cls = classes.get(change.what)
        if cls is None:
            continue
        key = _single_key(cls, change.id)
        if key is None:
            continue
        if change.op == "delete":
            result.deleted.add((cls, key))
            wanted[cls].discard(key)
            continue
        result.deleted.discard((cls, key))
        if change.op == "insert":
            result.inserted.add((cls, key))
        wanted[cls].add(key)
    with Session(bind=conn, expire_on_commit=False) as session:
        for cls, keys in wanted.items():
            if not keys:
                continue
            column: Any = inspect(cls).primary_key[0]
            found: list[Any] = list(session.scalars(select(cls).where(column.in_(sorted(keys)))))
            result.rows.extend(found)
            result.statements += 1
            # Asked for and not there: deleted since (by this commit or a later one).
            present = {inspect(row).identity[0] for row in found}
            result.deleted.update((cls, key) for key in keys - present)
        session.expunge_all()
    return result


def apply(session: Session, fetched: Fetched) -> bool:
    """Bring ``fetched`` into ``session`` without SQL; True when anything there changed."""
    touched = False
    added: list[Any] = []
    for row in fetched.rows:
        cls = type(row)
        mapper: Mapper[Any] = inspect(cls)
        key = identity_key(cls, mapper.primary_key_from_instance(row))
        mine = session.identity_map.get(key)
        if mine is None:
            if (cls, key[1][0]) in fetched.inserted:
                added.append(session.merge(row, load=False))
                touched = True
            continue
        touched = _take_values(mine, row, mapper) or touched
    gone = []
    for cls, pk in fetched.deleted:
        obj = session.identity_map.get(identity_key(cls, pk))
        if obj is not None:
            gone.append(obj)
    for row in fetched.rows:
        if isinstance(row, Setting):  # as the settings read at opening answer it
            learn_setting(session, row.key, row.value)
    for cls, pk in fetched.deleted:
        if cls is Setting:
            learn_setting(session, pk, None)
    # The identity map holds objects weakly, and a new person or team is in no loaded list:
    # kept as the sprint's load keeps them all (``planning.load_sprint``), so the pages'
    # pickers, taken from the session (``views.widgets.active_people``), have them.
    session.info.setdefault("arrived", []).extend(o for o in added if isinstance(o, Person | Team))
    if added or gone:
        _fix_lists(session, added, gone)
        for obj in gone:
            if inspect(obj).persistent:
                session.expunge(obj)
        touched = True
    return touched


def _take_values(mine: Any, theirs: Any, mapper: Mapper[Any]) -> bool:
    state = inspect(mine)
    pending = {
        attr.key for attr in mapper.column_attrs if state.attrs[attr.key].history.has_changes()
    }
    version_col = mapper.version_id_col
    version_key = (
        mapper.get_property_by_column(version_col).key if version_col is not None else None
    )
    if version_key is not None:
        held = state.committed_state.get(version_key, state.dict.get(version_key))
        fetched = inspect(theirs).dict.get(version_key)
        if held is not None and fetched is not None and fetched <= held:
            return False  # not newer than what this session holds (our own later save)
    changed = False
    for attr in mapper.column_attrs:
        key = attr.key
        if key in pending or (pending and key == version_key):
            # An edit waiting to be saved stays; so does the version it was made against, so
            # saving it meets the conflict rules (different fields merge, the same one asks).
            continue
        if key not in inspect(theirs).dict:
            continue
        value = inspect(theirs).dict[key]
        if key in state.dict and state.dict[key] == value:
            continue
        attributes.set_committed_value(mine, key, value)
        changed = True
    return changed


def _fix_lists(session: Session, added: list[Any], gone: list[Any]) -> None:
    """Put new rows into, and take deleted rows out of, every loaded list that holds them."""
    gone_ids = {id(obj) for obj in gone}
    classes = {type(obj) for obj in added} | {type(obj) for obj in gone}
    for parent in list(session.identity_map.values()):
        state = inspect(parent)
        for rel in state.mapper.relationships:
            if not rel.uselist or rel.secondary is not None or rel.mapper.class_ not in classes:
                continue
            if rel.key not in state.dict:
                continue  # not loaded: it will be read when first needed
            current = [obj for obj in state.dict[rel.key] if id(obj) not in gone_ids]
            for obj in added:
                if isinstance(obj, rel.mapper.class_) and _belongs(parent, obj, rel):
                    current.append(obj)
            ordering = [col.key for col in (rel.order_by or ())]

            def order(obj: Any, ordering: list[str] = ordering) -> tuple[Any, ...]:
                values = [getattr(obj, key, None) for key in ordering]
                return tuple((v is None, v) for v in values) + (inspect(obj).identity or (),)

            if ordering:
                current.sort(key=order)
            if [id(o) for o in current] != [id(o) for o in state.dict[rel.key]]:
                attributes.set_committed_value(parent, rel.key, current)


def _belongs(parent: Any, child: Any, rel: Any) -> bool:
    pairs = rel.local_remote_pairs
    parent_mapper, child_mapper = inspect(parent).mapper, inspect(child).mapper
    for local, remote in pairs:
        want = getattr(parent, parent_mapper.get_property_by_column(local).key)
        have = getattr(child, child_mapper.get_property_by_column(remote).key)
        if want != have:
            return False
    return True
