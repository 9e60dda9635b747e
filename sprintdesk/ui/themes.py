"""The window's QSS themes (``resources/themes``): ``base`` for everyday work, ``presentation``
for the large high-contrast screen-share mode."""

from __future__ import annotations

from functools import cache

from sprintdesk.system.paths import resource, resources_dir

_RESOURCES = "url(@resources/"  # a theme's images: url(@resources/icons/...)


@cache
def theme(name: str) -> str:
    """A QSS theme from ``resources/themes`` (empty when missing: plain Qt still works), its
    ``url(@resources/…)`` images pointing into the installed resources folder."""
    try:
        text = resource("themes", f"{name}.qss").read_text(encoding="utf-8")
    except OSError:
        return ""
    if _RESOURCES in text:  # Qt resolves a relative url() against the working folder
        text = text.replace(_RESOURCES, f"url({resources_dir().as_posix()}/")
    return text
