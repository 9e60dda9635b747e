"""The "time's up" chime: ``resources/sounds/chime.wav`` through QSoundEffect when
PySide6-Addons (QtMultimedia) is installed, else the system beep."""

from __future__ import annotations

from functools import cache
from typing import Any

from PySide6.QtWidgets import QApplication

from sprintdesk.system.paths import resource

CHIME_FILE = ("sounds", "chime.wav")


@cache
def _sound_effect() -> Any | None:
    """A ready QSoundEffect, or None without QtMultimedia (PySide6-Essentials alone)."""
    try:
        from PySide6.QtCore import QUrl
        from PySide6.QtMultimedia import QSoundEffect
    except ImportError:
        return None
    effect = QSoundEffect(QApplication.instance())
    effect.setSource(QUrl.fromLocalFile(str(resource(*CHIME_FILE))))
    effect.setVolume(0.8)
    return effect


def chime_backend() -> str:
    """``"sound"`` when the chime file plays through QtMultimedia, else ``"beep"``."""
    return "sound" if _sound_effect() is not None else "beep"


def play_chime() -> None:
    effect = _sound_effect()
    if effect is None:
        QApplication.beep()
    else:
        effect.play()
