"""Where SprintDesk's files are: the shipped ones (the wheel, a PyInstaller bundle or the source
tree) and the user's data folder with its database (standard library only: the launcher finds
the database before anything heavier is imported)."""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """``resources/``: inside the wheel it is ``sprintdesk/_resources``."""
    package = Path(__file__).resolve().parent.parent  # sprintdesk/
    candidates = [package / "_resources", package.parent / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / "resources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("SprintDesk's resources folder is missing from this installation.")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


APP_NAME = "SprintDesk"
DB_FILENAME = "sprintdesk.db"
ENV_DATA_DIR = "SPRINTDESK_DATA_DIR"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir`` wins, then ``SPRINTDESK_DATA_DIR``, then the platform's data directory."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    return default_data_dir()


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{data_dir / DB_FILENAME}"
