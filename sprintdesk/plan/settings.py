"""Settings that live in the database (never the GitHub token): typed get and set helpers."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from sprintdesk.plan.model import Setting


def get(session: Session, key: str, default: str = "") -> str:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
    cache = session.info.get(_CACHE)
    if cache is not None:
        cache[key] = value


# session.info key of what :func:`get_once` has read: key -> value, None for "not there".
_CACHE = "settings_read"


def get_once(session: Session, key: str, default: str = "") -> str:
    """:func:`get`, read once per session until :func:`forget` (a missing key is remembered
    too: ``session.get`` asks the database again on every call for a key that is not there).
    For a long-lived session that refreshes often, the open plan's: on a team database every
    statement is a round trip on the UI thread."""
    cache: dict[str, str | None] = session.info.setdefault(_CACHE, {})
    if key not in cache:
        row = session.get(Setting, key)
        cache[key] = row.value if row is not None else None
    value = cache[key]
    return value if value is not None else default


def forget(session: Session) -> None:
    """What :func:`get_once` read in ``session`` is read again next time (a sprint opened,
    a settings row changed by somebody else)."""
    session.info.pop(_CACHE, None)


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
