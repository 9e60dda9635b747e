"""The chime: a real sound file shipped in resources, and a beep when QtMultimedia is absent."""

from __future__ import annotations

import importlib.util
import wave

from sprintdesk.system.paths import resource
from sprintdesk.ui import chime


def test_the_chime_file_is_a_short_audible_wav() -> None:
    with wave.open(str(resource(*chime.CHIME_FILE)), "rb") as sound:
        seconds = sound.getnframes() / sound.getframerate()
        frames = sound.readframes(sound.getnframes())
    assert 0.3 < seconds < 3
    assert max(frames) > 0  # not silence


def test_backend_follows_what_is_installed(qapp) -> None:
    chime._sound_effect.cache_clear()
    has_multimedia = importlib.util.find_spec("PySide6.QtMultimedia") is not None
    assert chime.chime_backend() == ("sound" if has_multimedia else "beep")
    chime.play_chime()  # either path runs without raising
