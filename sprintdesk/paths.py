"""Where SprintDesk's shipped files are: the wheel, a PyInstaller bundle or the source tree."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    """``resources/``: inside the wheel it is ``sprintdesk/_resources``."""
    here = Path(__file__).resolve().parent
    candidates = [here / "_resources", here.parent / "resources"]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        candidates.insert(0, Path(bundle) / "resources")
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("SprintDesk's resources folder is missing from this installation.")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
