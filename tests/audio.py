"""A private, silent sound server for the tests: PulseAudio with a null sink.

QtMultimedia (the chime) plays through the user's sound server. Tests must neither sound
through the speakers nor depend on a server being there, so the UI tests' session starts its
own PulseAudio (``pulseaudio -n``: no default configuration) with only a null sink and a socket
in a temporary folder, and points ``PULSE_SERVER`` at it before QtMultimedia is loaded. The
chime then really plays (QSoundEffect reports it playing) into silence.

Without the ``pulseaudio`` binary (Debian package ``pulseaudio``) the tests that must hear the
chime skip with the reason; under CI (``CI=true``) that is a failure instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SKIP_REASON = "no pulseaudio binary for a silent sound server (apt-get install pulseaudio)"


@contextmanager
def null_sound_server() -> Iterator[str | None]:
    """Run a null-sink PulseAudio for the block; its server address, or None without one."""
    binary = shutil.which("pulseaudio")
    if binary is None:
        yield None
        return
    home = Path(tempfile.mkdtemp(prefix="sprintdesk-pulse-"))
    socket = home / "native"
    env = {**os.environ, "HOME": str(home), "XDG_RUNTIME_DIR": str(home)}
    env["PULSE_RUNTIME_PATH"] = str(home)
    log = (home / "log").open("wb")
    server = subprocess.Popen(
        [
            binary,
            "-n",
            "--daemonize=no",
            "--exit-idle-time=-1",
            "--use-pid-file=no",
            "--disable-shm=yes",
            "--load=module-null-sink sink_name=silent",
            f"--load=module-native-protocol-unix socket={socket} auth-anonymous=1",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while not socket.exists() and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        yield f"unix:{socket}" if socket.exists() else None
    finally:
        server.terminate()
        try:
            server.wait(timeout=5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        shutil.rmtree(home, ignore_errors=True)
