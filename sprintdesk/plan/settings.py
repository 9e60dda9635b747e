"""Settings that live in the database (never the GitHub token): typed get and set helpers."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.plan.model import Setting


def get(session: Session, key: str, default: str = "") -> str:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def put(session: Session, key: str, value: str) -> None:
    """Set ``key`` to ``value`` in ``session`` (saved with its other edits). Nothing pending
    is flushed to look the row up: on a team database the document's edits are sent by the
    writer thread, never by a flush on the window's thread."""
    row = next((obj for obj in session.new if isinstance(obj, Setting) and obj.key == key), None)
    if row is None:
        with session.no_autoflush:
            row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    learn(session, key, value)


# session.info key of every setting as :func:`read_all` read them (key -> value).
_CACHE = "settings_read"


def read_all(session: Session) -> None:
    """Read every setting into ``session`` in one query, for :func:`get_once` (the table is a
    few rows): a page's refresh then asks the database for no setting. On a team database each
    would be a round trip on the UI thread, and ``session.get`` asks again on every call for a
    key that is not there."""
    session.info[_CACHE] = {row.key: row.value for row in session.scalars(select(Setting))}


def get_once(session: Session, key: str, default: str = "") -> str:
    """:func:`get` from what :func:`read_all` read (first thing, once per opened sprint: see
    :func:`forget`): a key that is not there is known to be missing and answers ``default``
    with no query."""
    if _CACHE not in session.info:
        read_all(session)
    value: str | None = session.info[_CACHE].get(key)
    return value if value is not None else default


def forget(session: Session) -> None:
    """The settings are read again at the next :func:`get_once` (a sprint opened again, as
    after another writer on this computer's database)."""
    session.info.pop(_CACHE, None)


def learn(session: Session, key: str, value: str | None) -> None:
    """A setting somebody else changed (``storage.refresh``), None when they deleted it: what
    :func:`get_once` answers in ``session`` follows, with no query."""
    cache = session.info.get(_CACHE)
    if cache is None:
        return
    if value is None:
        cache.pop(key, None)
    else:
        cache[key] = value


def get_int(session: Session, key: str, default: int) -> int:
    try:
        return int(get(session, key, str(default)))
    except ValueError:
        return default


def get_json(session: Session, key: str, default: Any) -> Any:
    raw = get(session, key, "")
    if not raw:
        return default
    try:
        return json.loads(raw)
    except ValueError:
        return default


def put_json(session: Session, key: str, value: Any) -> None:
    put(session, key, json.dumps(value))
