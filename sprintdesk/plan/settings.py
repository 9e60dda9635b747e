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
