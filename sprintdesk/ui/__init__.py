"""The shell: the main window and what it owns (meeting controls, window actions, the first
frame), the clock header, agenda, menus, dialogs, mini timer, crash dialog, single instance.

Importing the shell also makes every later import cheaper while PySide6 is loaded
(:func:`quicken_pyside_imports`). Counted with callgrind on ``python -m bench startup``'s large
sprint: 13-14 M fewer instructions before the window's first paint (of 847 M), 188 M fewer
before the editable plan is painted (of 3,488 M: SQLAlchemy's modules are imported after
PySide6 too).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType


def _reads_pyside(original: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    """PySide6's question "does this module's source name PySide6?", asked of the file."""

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return original(module)  # no plain source file: PySide6's own answer

    uses_pyside.quick = True  # type: ignore[attr-defined]
    return uses_pyside


def quicken_pyside_imports() -> bool:
    """Once PySide6 is loaded it asks of every module imported after it whether its source
    names PySide6 (for its ``__feature__`` switches), through ``inspect.getsource``: finding
    the file, the line cache, the encoding cookie and the source lines cost each of our
    modules more than its own body does. The same answer is read straight from the file.
    Nothing is changed when PySide6 is not loaded yet, or keeps that question elsewhere (a
    PySide6 other than the pinned one). Whether it was put in place now."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "quick", False):
        return False
    feature._mod_uses_pyside = _reads_pyside(original)  # type: ignore[union-attr]
    return True


quicken_pyside_imports()
