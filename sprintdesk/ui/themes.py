"""The window's QSS themes (``resources/themes``): ``base`` for everyday work, ``presentation``
for the large high-contrast screen-share mode."""

from __future__ import annotations

from functools import cache

from sprintdesk.system.paths import resource


@cache
def theme(name: str) -> str:
    """A QSS theme from ``resources/themes`` (empty when missing: plain Qt still works)."""
    try:
        return resource("themes", f"{name}.qss").read_text(encoding="utf-8")
    except OSError:
        return ""
