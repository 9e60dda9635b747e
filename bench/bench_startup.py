"""Start-up, section switching and the clock tick, with the large sprint.

* Start-up: time from process start to the first painted main window (the large sprint open),
  as a ratio to a bare PySide6 window showing one label, both measured in the same run, each in
  fresh subprocesses, several repetitions, median. Target ≤ 1.5×.
* Switching sections: showing each section's page and painting it. Target ≤ 50 ms.
* One clock tick on the UI thread (repaint from the clock, painting included). Target ≤ 1 ms.

``python -m bench startup``; ``QT_QPA_PLATFORM`` defaults to offscreen.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STARTUP_TARGET = 1.5
SWITCH_TARGET_MS = 50.0
TICK_TARGET_MS = 1.0
REPETITIONS = 7
ROOT = Path(__file__).resolve().parents[1]

# Both children print the wall-clock time of their first completed paint, then quit. The
# parent notes the time just before starting them, so interpreter start-up counts too.
_FIRST_PAINT = """
from PySide6.QtCore import QEvent, QObject, QTimer

class _FirstPaint(QObject):
    def __init__(self, app, window):
        super().__init__()
        self.app, self.window, self.done = app, window, False

    def eventFilter(self, obj, event):
        if (not self.done and event.type() == QEvent.Type.Paint
                and getattr(obj, "window", None) and obj.window() is self.window):
            self.done = True
            QTimer.singleShot(0, self.report)
        return False

    def report(self):
        print(repr(time.time()), flush=True)
        self.app.quit()
"""

BARE = (
    "import sys, time\n"
    "from PySide6.QtWidgets import QApplication, QLabel\n"
    + _FIRST_PAINT
    + "app = QApplication(sys.argv)\n"
    "label = QLabel('SprintDesk')\n"
    "hook = _FirstPaint(app, label)\n"
    "app.installEventFilter(hook)\n"
    "label.show()\n"
    "app.exec()\n"
)

# What sprintdesk.app.run_gui does, plus the hooks. It prints two times: the window's first
# paint (before the database layer loads) and the first paint once the sprint is on screen.
APP = (
    "import sys, time\n"
    "from PySide6.QtWidgets import QApplication\n" + _FIRST_PAINT + "app = QApplication(sys.argv)\n"
    "app.setApplicationName('SprintDesk')\n"
    "app.setOrganizationName('SprintDesk')\n"
    "from sprintdesk.ui.main_window import MainWindow\n"
    "window = MainWindow()\n"
    "hook = _FirstPaint(app, window)\n"
    "hook.report = lambda: print(repr(time.time()), flush=True)\n"
    "app.installEventFilter(hook)\n"
    "def _open():\n"
    "    window.open_url(sys.argv[1])\n"
    "    assert window.doc.sprint is not None\n"
    "    window.repaint()\n"
    "    print(repr(time.time()), flush=True)\n"
    "    QTimer.singleShot(0, app.quit)\n"
    "window.call_after_first_paint(_open)\n"
    "window.show()\n"
    "app.exec()\n"
)


def build_database(folder: Path) -> str:
    from bench.large_sprint import build_large_sprint
    from sprintdesk.store import open_store

    url = f"sqlite:///{folder / 'large.db'}"
    store = open_store(url)
    try:
        with store.unit_of_work() as session:
            build_large_sprint(session)
    finally:
        store.close()
    return url


def _time_child(code: str, args: list[str], env: dict[str, str]) -> list[float]:
    start = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0 or not lines:
        raise RuntimeError(f"benchmark child failed: {result.stderr.strip()[-2000:]}")
    return [float(line) - start for line in lines]


def measure_startup(url: str, folder: Path, repetitions: int = REPETITIONS) -> dict[str, float]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["XDG_CONFIG_HOME"] = str(folder / "config")  # no window geometry from a real user
    env["PYTHONPATH"] = str(ROOT)
    bare: list[float] = []
    window: list[float] = []
    sprint: list[float] = []
    _time_child(BARE, [], env)  # warm the file cache for both
    _time_child(APP, [url], env)
    for _ in range(repetitions):  # interleaved, so machine load hits both alike
        bare.append(_time_child(BARE, [], env)[0])
        first, shown = _time_child(APP, [url], env)[:2]
        window.append(first)
        sprint.append(shown)
    bare_ms = statistics.median(bare) * 1000
    app_ms = statistics.median(window) * 1000
    sprint_ms = statistics.median(sprint) * 1000
    return {
        "bare_ms": bare_ms,
        "app_ms": app_ms,
        "ratio": app_ms / bare_ms,
        "sprint_ms": sprint_ms,
        "sprint_ratio": sprint_ms / bare_ms,
    }


def measure_in_process(url: str, folder: Path) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from sprintdesk.store import open_store
    from sprintdesk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    store = open_store(url)
    settings = QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(store, settings=settings)
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    sprint = window.doc.sprint
    assert sprint is not None
    sections = list(sprint.sections)

    def switch_ms(section) -> float:  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        window.show_section(section)
        window.repaint()
        app.processEvents()
        return (time.perf_counter() - began) * 1000

    first = [switch_ms(s) for s in sections]  # pages are built on first use
    again = [switch_ms(s) for s in sections * 2]
    slowest: dict[str, float] = {}
    for section, ms in zip(sections * 2, again, strict=True):
        slowest[section.kind] = max(ms, slowest.get(section.kind, 0.0))
    for section, ms in zip(sections, first, strict=True):
        slowest[f"{section.kind} (first)"] = max(ms, slowest.get(f"{section.kind} (first)", 0.0))

    # The window's own share of a switch: the same with placeholder pages.
    window._page_classes = {}
    window._pages.clear()
    for section in sections:
        switch_ms(section)
    shell = [switch_ms(s) for s in sections * 2]

    window.start_meeting()
    window.tick()
    app.processEvents()
    ticks = 300
    began = time.perf_counter()
    for _ in range(ticks):
        window.tick()
    tick_only = (time.perf_counter() - began) * 1000 / ticks
    painted: list[float] = []
    for _ in range(60):
        began = time.perf_counter()
        window.tick()
        window.header.repaint()
        painted.append((time.perf_counter() - began) * 1000)
    window.close()
    window.deleteLater()
    app.processEvents()
    store.close()
    print(
        "slowest switch per section kind: "
        + ", ".join(
            f"{kind} {ms:.0f} ms" for kind, ms in sorted(slowest.items(), key=lambda kv: -kv[1])
        )
    )
    return {
        "sections": float(len(sections)),
        "switch_first_median_ms": statistics.median(first),
        "switch_first_max_ms": max(first),
        "switch_median_ms": statistics.median(again),
        "switch_max_ms": max(again),
        "shell_switch_median_ms": statistics.median(shell),
        "shell_switch_max_ms": max(shell),
        "tick_ms": tick_only,
        "tick_painted_ms": statistics.median(painted),
    }


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="sprintdesk-bench-") as tmp:
        folder = Path(tmp)
        url = build_database(folder)
        startup = measure_startup(url, folder)
        inside = measure_in_process(url, folder)
    print(
        f"startup to first paint: main window {startup['app_ms']:.0f} ms, bare PySide6 label "
        f"{startup['bare_ms']:.0f} ms, ratio {startup['ratio']:.2f}x "
        f"(target <= {STARTUP_TARGET}x; median of {REPETITIONS})"
    )
    print(
        f"startup until the large sprint is painted: {startup['sprint_ms']:.0f} ms, "
        f"ratio {startup['sprint_ratio']:.2f}x"
    )
    print(
        f"switch section ({inside['sections']:.0f} sections): first visit median "
        f"{inside['switch_first_median_ms']:.1f} ms, max {inside['switch_first_max_ms']:.1f} ms; "
        f"revisit median {inside['switch_median_ms']:.1f} ms, max {inside['switch_max_ms']:.1f} ms "
        f"(target <= {SWITCH_TARGET_MS:.0f} ms)"
    )
    print(
        f"switch section, window's own share (placeholder pages): median "
        f"{inside['shell_switch_median_ms']:.1f} ms, max {inside['shell_switch_max_ms']:.1f} ms"
    )
    print(
        f"clock tick: {inside['tick_ms'] * 1000:.0f} us; with the header repainted "
        f"{inside['tick_painted_ms'] * 1000:.0f} us (target <= {TICK_TARGET_MS:.0f} ms)"
    )
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        app.shutdown()  # tear Qt down before the interpreter does (avoids a crash at exit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
