"""The "time's up" chime: ``resources/sounds/chime.wav`` played through QtMultimedia's
QSoundEffect (PySide6-Addons), the system beep where it cannot be played (no QtMultimedia, no
audio output).

QtMultimedia is imported the first time the chime is wanted (the meeting's amber phase warms it
up), never on the way to the window's first paint: loading it connects to the sound server.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from sprintdesk.system.paths import resource

CHIME_FILE = ("sounds", "chime.wav")
VOLUME = 0.8


class Chime(QObject):
    """Plays the chime file; made once per window, the sound effect on first use."""

    def __init__(self, *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._effect: Any | None = None
        self._loaded = False
        self.beeps = 0  # how many times the system beep stood in for the file

    @property
    def effect(self) -> Any | None:
        """The QSoundEffect once made (None before, or without QtMultimedia)."""
        return self._effect

    def prepare(self) -> None:
        """Load QtMultimedia and the file ahead of time (it loads asynchronously)."""
        if self._loaded:
            return
        self._loaded = True
        try:
            from PySide6.QtCore import QUrl
            from PySide6.QtMultimedia import QSoundEffect
        except ImportError:  # PySide6-Essentials alone, or the system's libpulse is missing
            return
        effect = QSoundEffect(self)
        effect.setObjectName("chimeEffect")
        effect.setSource(QUrl.fromLocalFile(str(resource(*CHIME_FILE))))
        effect.setVolume(VOLUME)
        self._effect = effect

    def backend(self) -> str:
        """``"sound"`` when the chime file can be played, else ``"beep"``."""
        self.prepare()
        effect = self._effect
        if effect is None or effect.status() == type(effect).Status.Error:
            return "beep"
        return "sound"

    def play(self) -> None:
        """The file, or the beep where it cannot be played (still loading is fine: the
        effect plays once loaded)."""
        if self.backend() == "sound":
            assert self._effect is not None
            self._effect.play()
        else:
            self.beeps += 1
            QApplication.beep()
