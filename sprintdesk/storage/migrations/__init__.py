"""Schema migrations (Alembic), run programmatically with the app's own connection.

``REVISIONS`` lists every schema this SprintDesk knows, oldest first; a test checks it against
the Alembic scripts, so the store can decide whether to migrate without importing Alembic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005")
HEAD = REVISIONS[-1]
SCRIPT_LOCATION = Path(__file__).parent


def alembic_config(connection: Any = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    config.attributes["connection"] = connection
    return config


def upgrade(connection: Any, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), revision)
