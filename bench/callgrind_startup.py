"""Start-up work to the first paint, counted in instructions with callgrind: the steady figure.

``python -m bench startup`` times the start-up against a bare PySide6 label, but on a machine
shared with others the same build reads anywhere from 1.2x to 2x between runs. The number of
instructions each child runs from its start to its first paint barely moves (a few tenths of
a percent): this counts them under ``valgrind --tool=callgrind`` for the bare label and both
ways in (``run_gui`` and the ``sprintdesk`` launcher), on the large sprint, and prints each
way's ratio to the bare label.

Each child is the bench's own (same environment, same byte-code cache, run once first to
fill it) but ends with ``os._exit`` at its first paint, so nothing after it is counted.
``python -m bench.callgrind_startup`` (needs valgrind: ``apt-get install -y valgrind``); it is
not part of ``python -m bench``. About a minute.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bench_startup import _FIRST_PAINT, ROOT, build_database, child_env

_AT_PAINT = "lambda: os._exit(0)"

BARE_TO_PAINT = (
    "import os, sys, time\n"
    "from PySide6.QtWidgets import QApplication, QLabel\n"
    + _FIRST_PAINT
    + "app = QApplication(sys.argv)\n"
    "label = QLabel('SprintDesk')\n"
    f"hook = _FirstPaint(app, {_AT_PAINT})\n"
    "label.installEventFilter(hook)\n"
    "label.show()\n"
    "app.exec()\n"
)

_WINDOW_TO_PAINT = (
    "import os, sys, time\n" + _FIRST_PAINT + "from PySide6.QtWidgets import QApplication\n"
    "from sprintdesk.ui.main_window import MainWindow\n"
    "_show = MainWindow.show\n"
    "def _hooked_show(self):\n"
    f"    self._bench_hook = _FirstPaint(QApplication.instance(), {_AT_PAINT})\n"
    "    self.installEventFilter(self._bench_hook)\n"
    "    _show(self)\n"
    "MainWindow.show = _hooked_show\n"
)
RUN_GUI_TO_PAINT = (
    _WINDOW_TO_PAINT + "from pathlib import Path\n"
    "from sprintdesk.app import run_gui\n"
    "sys.exit(run_gui(data_dir=Path(sys.argv[2]), url=sys.argv[1]))\n"
)
LAUNCHER_TO_PAINT = (
    _WINDOW_TO_PAINT + "sys.argv = ['sprintdesk', '--db', sys.argv[1], '--data-dir', sys.argv[2]]\n"
    "from sprintdesk.__main__ import main\n"
    "sys.exit(main())\n"
)


def instructions(code: str, args: list[str], env: dict[str, str], folder: Path) -> int:
    """Instructions the child runs to its first paint (after a run that fills the caches)."""
    command = [sys.executable, "-c", code, *args]
    subprocess.run(command, env=env, cwd=ROOT, capture_output=True, timeout=120, check=True)
    result = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={folder / 'callgrind.out'}",
            *command,
        ],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1200,
        check=True,
    )
    found = re.search(r"Collected : (\d+)", result.stderr)
    if found is None:
        raise RuntimeError(f"callgrind counted nothing: {result.stderr.strip()[-2000:]}")
    return int(found.group(1))


def main() -> int:
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install -y valgrind)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="sprintdesk-callgrind-") as tmp:
        folder = Path(tmp)
        url = build_database(folder)
        env = child_env(folder)
        data_dir = str(folder / "gui-data")
        bare = instructions(BARE_TO_PAINT, [], env, folder)
        print(f"bare PySide6 label: {bare / 1e6:.1f} M instructions to the first paint")
        for title, code in (
            ("sprintdesk.app.run_gui", RUN_GUI_TO_PAINT),
            ("python -m sprintdesk", LAUNCHER_TO_PAINT),
        ):
            count = instructions(code, [url, data_dir], env, folder)
            print(f"{title}: {count / 1e6:.1f} M instructions, ratio {count / bare:.3f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
