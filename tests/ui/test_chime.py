"""The chime (issue 14, item 21): the real sound file, played through QtMultimedia when a
section's countdown reaches zero (into the tests' silent sound server, see tests/audio.py), not
when switched off (QtMultimedia is kept off the start-up path: tests/integration/
test_startup_imports.py)."""

from __future__ import annotations

import os
import wave

import pytest
from PySide6.QtCore import Qt

from sprintdesk.system.paths import resource
from sprintdesk.ui import chime
from tests.audio import SKIP_REASON


def test_the_chime_file_is_a_short_audible_wav() -> None:
    with wave.open(str(resource(*chime.CHIME_FILE)), "rb") as sound:
        seconds = sound.getnframes() / sound.getframerate()
        frames = sound.readframes(sound.getnframes())
    assert 0.3 < seconds < 3
    assert max(frames) > 0  # not silence


@pytest.fixture
def sound_server(silent_sound_server: str | None) -> str:
    if silent_sound_server is None:
        if os.environ.get("CI") == "true":
            pytest.fail(SKIP_REASON)
        pytest.skip(SKIP_REASON)
    return silent_sound_server


def test_the_chime_is_played_when_a_sections_countdown_reaches_zero(
    qtbot, sound_server: str, demo_window
) -> None:
    win, fake = demo_window
    qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    budget = win.clock.reading().budget
    fake.advance(budget * 0.85)  # amber: the sound is loaded ahead
    win.tick()
    sound = win.meeting.sound()
    effect = sound.effect
    assert effect is not None, "QtMultimedia (PySide6-Addons) is a dependency"
    assert effect.source().toLocalFile() == str(resource(*chime.CHIME_FILE))
    qtbot.waitUntil(lambda: effect.status() == type(effect).Status.Ready, timeout=10_000)
    playing: list[bool] = []
    effect.playingChanged.connect(lambda: playing.append(effect.isPlaying()))
    fake.advance(budget * 0.15 - 1)
    win.tick()
    assert not playing  # one second before zero: nothing yet
    fake.advance(1)  # zero
    win.tick()
    qtbot.waitUntil(lambda: True in playing, timeout=10_000)
    assert sound.beeps == 0 and win.chimes == 1
    qtbot.waitUntil(lambda: not effect.isPlaying(), timeout=10_000)  # the whole file, once
    fake.advance(5)
    win.tick()
    assert playing.count(True) == 1


def test_a_muted_chime_is_not_played(qtbot, sound_server: str, demo_window) -> None:
    win, fake = demo_window
    win.act_chime.setChecked(False)  # Meeting → Chime when time is up, stored in the plan
    qtbot.keyClick(win, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    fake.advance(win.clock.reading().budget + 1)
    win.tick()
    assert win.header.times_up.isVisible()
    assert win.chimes == 0
    assert win.meeting._sound is None  # not even loaded: nothing to play
