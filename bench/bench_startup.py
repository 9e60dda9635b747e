"""Start-up, section switching and the clock tick, with the large sprint.

* Start-up: time from process start to the first painted main window showing the large sprint,
  as a ratio to a bare PySide6 window showing one label, both measured in the same run, each in
  fresh subprocesses, several repetitions interleaved, median. Target ≤ 1.5×. Two ways in: the
  real start-up function :func:`sprintdesk.app.run_gui` (logging, single instance, crash
  handler, daily backup) and the ``sprintdesk`` launcher (``python -m sprintdesk``: the
  command-line parser first). For each: the window's first paint, whether it showed the sprint
  (checked in the child at that paint: the window title names the sprint, the agenda lists its
  25 sections and the page shows the opening section's items), and the time until the editable
  plan (the store open, the section's real page built) is painted.
* Switching sections: from ``show_section`` to the window painted with the new page, as in
  ``bench_pages``. Target ≤ 50 ms. What a page then finishes in the background (findings, cards
  built in batches) runs before the next switch, as between a facilitator's clicks; its longest
  event-loop turn is reported too (apart from the turns before the first switch, where the
  window completes itself after its first paint: a start-up figure).
* One clock tick on the UI thread (repaint from the clock, painting included). Target ≤ 1 ms.

``python -m bench startup``; ``QT_QPA_PLATFORM`` defaults to offscreen. On a shared machine the
start-up ratios move by tenths between runs; the steady figure, the instructions each child runs
to its first paint, is counted by ``python -m bench.callgrind_startup`` (callgrind).

How the children are timed, and why:

* The first paint is seen by an event filter on the top-level widget only (the label, the main
  window). An application-wide Python filter would make PySide6 wrap every object that gets an
  event (hundreds in the main window, many of private Qt classes whose Python types it must
  first look up): that observer effect alone cost the main window about 20 ms and the label
  almost nothing. The top-level widget gets its paint event in the same pass as its children,
  and the report runs after that pass (a zero timer).
* The children may write byte code (``PYTHONDONTWRITEBYTECODE`` is dropped) into a cache in
  the bench's temporary folder (``PYTHONPYCACHEPREFIX``), and a warm-up run of each child fills
  it: as on an installed SprintDesk, whose modules are compiled at install time, no child
  compiles Python source while it is timed.
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
REPETITIONS = 9
ROOT = Path(__file__).resolve().parents[1]
LARGE_SECTIONS = 25  # the large sprint's agenda (bench.large_sprint)

# Every child prints the wall-clock time of its first completed paint, then quits (the app
# children first wait for the editable plan). The parent notes the time just before starting
# them, so interpreter start-up counts too.
_FIRST_PAINT = """
from PySide6.QtCore import QEvent, QObject, QTimer

class _FirstPaint(QObject):
    def __init__(self, app, on_paint):
        super().__init__()
        self.app, self.on_paint, self.done = app, on_paint, False
        # A child that failed inside a slot must not hang the bench.
        QTimer.singleShot(60000, lambda: os._exit(3))

    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint:
            self.done = True
            QTimer.singleShot(0, self.on_paint)
        return False

def _stamp(what="paint"):
    print(repr(time.time()), what, repr(time.process_time()), flush=True)
"""

BARE = (
    "import os, sys, time\n"
    "from PySide6.QtWidgets import QApplication, QLabel\n"
    + _FIRST_PAINT
    + "app = QApplication(sys.argv)\n"
    "label = QLabel('SprintDesk')\n"
    "def _done():\n"
    "    _stamp()\n"
    "    app.quit()\n"
    "hook = _FirstPaint(app, _done)\n"
    "label.installEventFilter(hook)\n"
    "label.show()\n"
    "app.exec()\n"
)

# The real start-up (``run_gui``, or the launcher before it). The hooks are put on the window
# as run_gui shows it: its first paint (stamped with what it showed), then the editable plan
# painted right after run_gui handed it the open database.
_HOOK_WINDOW = (
    "import os, sys, time\n" + _FIRST_PAINT + "from PySide6.QtWidgets import QApplication\n"
    "from sprintdesk.ui.main_window import MainWindow\n"
    "_show, _take_store = MainWindow.show, MainWindow.take_store\n"
    "def _shows_sprint(window):\n"
    "    model = window.agenda_view.model()\n"
    "    page = window.pages.currentWidget()\n"
    "    return (\n"
    "        'Large' in window.windowTitle()\n"
    f"        and model is not None and model.rowCount() == {LARGE_SECTIONS}\n"
    "        and page is not None and page.objectName() in ('openingPage', 'outcomesPage')\n"
    "        and len(getattr(page, 'drawn', None) or page.findChildren(QObject, 'card')) >= 5\n"
    "    )\n"
    "def _hooked_show(self):\n"
    "    done = lambda: _stamp('sprint' if _shows_sprint(self) else 'window')\n"
    "    self._bench_hook = _FirstPaint(QApplication.instance(), done)\n"
    "    self.installEventFilter(self._bench_hook)\n"
    "    _show(self)\n"
    "def _hooked_take_store(self, store):\n"
    "    _take_store(self, store)\n"
    "    assert self.doc.sprint is not None\n"
    "    self.repaint()\n"
    "    _stamp('editable' if _shows_sprint(self) else 'broken')\n"
    "    QTimer.singleShot(0, QApplication.instance().quit)\n"
    "MainWindow.show = _hooked_show\n"
    "MainWindow.take_store = _hooked_take_store\n"
)
RUN_GUI = (
    _HOOK_WINDOW + "from pathlib import Path\n"
    "from sprintdesk.app import run_gui\n"
    "sys.exit(run_gui(data_dir=Path(sys.argv[2]), url=sys.argv[1]))\n"
)
LAUNCHER = (
    _HOOK_WINDOW + "sys.argv = ['sprintdesk', '--db', sys.argv[1], '--data-dir', sys.argv[2]]\n"
    "from sprintdesk.__main__ import main\n"
    "sys.exit(main())\n"
)


def build_database(folder: Path) -> str:
    from bench.large_sprint import build_large_sprint
    from sprintdesk.storage.store import open_store

    url = f"sqlite:///{folder / 'large.db'}"
    store = open_store(url)
    try:
        with store.unit_of_work() as session:
            build_large_sprint(session)
    finally:
        store.close()
    return url


def child_env(folder: Path, root: Path = ROOT) -> dict[str, str]:
    """The children's environment: no real user's settings, byte code cached in ``folder``."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["XDG_CONFIG_HOME"] = str(folder / "config")  # no window geometry from a real user
    env["PYTHONPATH"] = str(root)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(folder / "pycache")
    return env


def time_child(
    code: str, args: list[str], env: dict[str, str], root: Path = ROOT
) -> list[tuple[float, str, float]]:
    """Seconds from just before the child starts to each time it printed, with what it said
    and the CPU seconds the child had used by then."""
    start = time.time()
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = [line.split() for line in result.stdout.splitlines() if line.strip()]
    if result.returncode != 0 or len(lines) < (1 if code is BARE else 2):
        raise RuntimeError(f"benchmark child failed: {result.stderr.strip()[-2000:]}")
    return [(float(stamp) - start, what, float(cpu)) for stamp, what, cpu in lines]


def measure_startup(
    url: str, folder: Path, repetitions: int = REPETITIONS, root: Path = ROOT
) -> dict[str, float]:
    """Medians (ms) of the bare label and, for each way in, the window's first paint, the
    first paint showing the sprint and the editable plan painted; the children run interleaved
    so machine load hits them alike. ``<way>_cpu`` is the CPU time each child had used at its
    first paint (against the bare label's, ``bare_cpu``): it counts the work done, which a
    loaded machine stretches far less than the wall clock. ``<way>_first_shows_sprint`` counts
    the runs whose first paint showed the sprint. The two ways in alternate which goes first."""
    env = child_env(folder, root)
    data_dir = str(folder / "gui-data")
    children = {"gui": (RUN_GUI, [url, data_dir]), "launcher": (LAUNCHER, [url, data_dir])}
    time_child(BARE, [], env, root)  # warm the file and byte-code caches (and today's backup)
    for code, args in children.values():
        time_child(code, args, env, root)
    times: dict[str, list[float]] = {"bare": []}
    counts: dict[str, float] = {}
    for repetition in range(repetitions):
        bare = time_child(BARE, [], env, root)[0]
        times["bare"].append(bare[0])
        times.setdefault("bare_cpu", []).append(bare[2])
        # The two ways in take turns at going first: a child started right after another runs
        # slower (by as much as a tenth of a bare label here), which in a fixed order was
        # charged to the launcher every time.
        order = list(children.items())
        for name, (code, args) in order if repetition % 2 == 0 else order[::-1]:
            (first, shown, cpu), (editable, state, _) = time_child(code, args, env, root)[:2]
            if state != "editable":
                raise RuntimeError(f"{name}: the editable plan did not show the sprint")
            counts[f"{name}_first_shows_sprint"] = counts.get(f"{name}_first_shows_sprint", 0)
            if shown == "sprint":
                counts[f"{name}_first_shows_sprint"] += 1
            times.setdefault(f"{name}_window", []).append(first)
            times.setdefault(f"{name}_cpu", []).append(cpu)
            times.setdefault(f"{name}_sprint", []).append(first if shown == "sprint" else editable)
            times.setdefault(f"{name}_editable", []).append(editable)
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    result = {f"{name}_ms": ms for name, ms in medians.items()}
    for name, ms in medians.items():
        if name.endswith("_cpu") and name != "bare_cpu":
            result[f"{name}_ratio"] = ms / medians["bare_cpu"]
        elif name not in ("bare", "bare_cpu"):
            result[f"{name}_ratio"] = ms / medians["bare"]
    result.update(counts)
    return result


# What each start-up trick buys, timed inside a fresh child as the first paint finds things
# (PySide6's widgets imported; ``inspect`` already loaded by then): building the ``Qt`` namespace
# that ``ui/enum_props.py`` puts off until after the first paint, and a dataclass (with the
# ``dataclasses`` import) against the named tuple ``plan/meeting.py`` uses for its Reading.
TRICKS = {
    "qt_namespace": (
        "import time\nfrom PySide6 import QtCore, QtGui, QtWidgets\n"
        "t = time.perf_counter()\nQtCore.Qt.AlignmentFlag.AlignCenter\n"
        "print((time.perf_counter() - t) * 1000)\n"
    ),
    "dataclass": (
        "import time, typing, enum, inspect\nt = time.perf_counter()\nimport dataclasses\n"
        "@dataclasses.dataclass(frozen=True)\nclass R:\n    a: int\n    b: str\n"
        "print((time.perf_counter() - t) * 1000)\n"
    ),
    "named_tuple": (
        "import time, typing, enum, inspect\nt = time.perf_counter()\n"
        "class R(typing.NamedTuple):\n    a: int\n    b: str\n"
        "print((time.perf_counter() - t) * 1000)\n"
    ),
}


# The first paint's own modules, imported after PySide6 as at start-up: PySide6 asks of each
# whether its source names PySide6, through ``inspect`` as PySide6 does it (the marker leaves
# it in place), or read from the file as ``sprintdesk.ui`` puts in place.
_FIRST_PAINT_IMPORTS = (
    "import sys, time\nfrom PySide6 import QtCore, QtGui, QtWidgets\n{marker}"
    "t = time.perf_counter()\n"
    "import sprintdesk.ui.main_window, sprintdesk.ui.opening_view, sprintdesk.ui.opener\n"
    "import sprintdesk.ui.single_instance, sprintdesk.storage.opening\n"
    "print((time.perf_counter() - t) * 1000)\n"
)
TRICKS["pyside_asks_inspect"] = _FIRST_PAINT_IMPORTS.format(
    marker="sys.modules['shibokensupport.feature']._mod_uses_pyside.quick = True\n"
)
TRICKS["pyside_asks_file"] = _FIRST_PAINT_IMPORTS.format(marker="")


def measure_tricks(folder: Path, repetitions: int = REPETITIONS) -> dict[str, float]:
    """Medians (ms) of each trick's child and of the bare label, interleaved in one run."""
    env = child_env(folder)
    times: dict[str, list[float]] = {"bare": []}
    for _ in range(repetitions):
        times["bare"].append(time_child(BARE, [], env)[0][0] * 1000)
        for name, code in TRICKS.items():
            result = subprocess.run(
                [sys.executable, "-c", code],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            )
            times.setdefault(name, []).append(float(result.stdout.strip()))
    return {f"{name}_ms": statistics.median(values) for name, values in times.items()}


def measure_in_process(url: str, folder: Path) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from sprintdesk.storage.store import open_store
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

    # Wall time is what the facilitator sees; the thread's CPU time beside it is what the
    # window itself spent, which other work on a shared machine does not stretch.
    blocks: list[float] = []
    blocks_cpu: list[float] = []
    switches_cpu: list[float] = []

    def settle() -> None:
        # What a page leaves for the event loop after its paint (findings, cards built in
        # batches), let finish as between a facilitator's clicks; its longest turn is kept.
        deadline = time.perf_counter() + 30.0
        for _ in range(100_000):
            began, began_cpu = time.perf_counter(), time.thread_time()
            app.processEvents()
            blocks.append((time.perf_counter() - began) * 1000)
            blocks_cpu.append((time.thread_time() - began_cpu) * 1000)
            page = window.pages.currentWidget()
            pending = getattr(page, "pending_work", None)
            if pending is None or not pending() or time.perf_counter() > deadline:
                return
            time.sleep(0.001)  # let the batch timers fire

    def switch_ms(section) -> float:  # type: ignore[no-untyped-def]
        # As in bench_pages: until the window, with the new page laid out, is painted.
        began, began_cpu = time.perf_counter(), time.thread_time()
        window.show_section(section)
        window.repaint()
        took = (time.perf_counter() - began) * 1000
        switches_cpu.append((time.thread_time() - began_cpu) * 1000)
        settle()
        return took

    settle()
    # The window completing itself after its first paint is the start-up's, not a switch's.
    completing, completing_cpu = max(blocks), max(blocks_cpu)
    blocks.clear()
    blocks_cpu.clear()
    first = [switch_ms(s) for s in sections]  # pages are built on first use
    again = [switch_ms(s) for s in sections * 2]
    longest_block, longest_block_cpu = max(blocks), max(blocks_cpu)
    first_cpu, again_cpu = switches_cpu[: len(first)], switches_cpu[len(first) :]
    slowest: dict[str, float] = {}
    for section, ms in zip(sections * 2, again, strict=True):
        slowest[section.kind] = max(ms, slowest.get(section.kind, 0.0))
    for section, ms in zip(sections, first, strict=True):
        slowest[f"{section.kind} (first)"] = max(ms, slowest.get(f"{section.kind} (first)", 0.0))

    # The window's own share of a switch: the same with placeholder pages.
    window.sections.page_classes = {}
    window.sections.built.clear()
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
    painted_cpu: list[float] = []
    for _ in range(60):
        began, began_cpu = time.perf_counter(), time.thread_time()
        window.tick()
        window.header.repaint()
        painted.append((time.perf_counter() - began) * 1000)
        painted_cpu.append((time.thread_time() - began_cpu) * 1000)
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
        "longest_block_ms": longest_block,
        "tick_ms": tick_only,
        "tick_painted_ms": statistics.median(painted),
        "switch_first_max_cpu_ms": max(first_cpu),
        "switch_median_cpu_ms": statistics.median(again_cpu),
        "switch_max_cpu_ms": max(again_cpu),
        "longest_block_cpu_ms": longest_block_cpu,
        "completing_ms": completing,
        "completing_cpu_ms": completing_cpu,
        "tick_painted_cpu_ms": statistics.median(painted_cpu),
    }


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="sprintdesk-bench-") as tmp:
        folder = Path(tmp)
        url = build_database(folder)
        startup = measure_startup(url, folder)
        tricks = measure_tricks(folder)
        inside = measure_in_process(url, folder)
    print(
        f"bare PySide6 label first paint: {startup['bare_ms']:.0f} ms, CPU time "
        f"{startup['bare_cpu_ms']:.0f} ms (medians of {REPETITIONS})"
    )
    for name, title in (("gui", "sprintdesk.app.run_gui"), ("launcher", "python -m sprintdesk")):
        shows = int(startup[f"{name}_first_shows_sprint"])
        print(
            f"startup, {title}: first paint {startup[f'{name}_window_ms']:.0f} ms "
            f"(showed the large sprint in {shows} of {REPETITIONS} runs); large sprint painted "
            f"{startup[f'{name}_sprint_ms']:.0f} ms, ratio {startup[f'{name}_sprint_ratio']:.2f}x "
            f"(target <= {STARTUP_TARGET}x); editable plan painted "
            f"{startup[f'{name}_editable_ms']:.0f} ms, ratio "
            f"{startup[f'{name}_editable_ratio']:.2f}x; CPU time to the first paint "
            f"{startup[f'{name}_cpu_ms']:.0f} ms, ratio {startup[f'{name}_cpu_ratio']:.2f}x"
        )
    bare = tricks["bare_ms"]
    qt_ms = tricks["qt_namespace_ms"]
    saved_ms = tricks["dataclass_ms"] - tricks["named_tuple_ms"]
    asked_ms = tricks["pyside_asks_inspect_ms"] - tricks["pyside_asks_file_ms"]
    print(
        f"start-up tricks (bare label {bare:.0f} ms in this run): the Qt namespace put off "
        f"(ui/enum_props) buys {qt_ms:.1f} ms ({qt_ms / bare:.1%} of a bare label); the named "
        f"tuple instead of a dataclass (plan/meeting Reading) buys {saved_ms:.1f} ms "
        f"({saved_ms / bare:.1%}); PySide6's per-import question read from the file "
        f"(ui/__init__) buys {asked_ms:.1f} ms ({asked_ms / bare:.1%})"
    )
    print(
        f"switch section ({inside['sections']:.0f} sections): first visit median "
        f"{inside['switch_first_median_ms']:.1f} ms, max {inside['switch_first_max_ms']:.1f} ms; "
        f"revisit median {inside['switch_median_ms']:.1f} ms, max {inside['switch_max_ms']:.1f} ms "
        f"(target <= {SWITCH_TARGET_MS:.0f} ms)"
    )
    print(
        f"longest event-loop turn after a switch (a page finishing in the background): "
        f"{inside['longest_block_ms']:.1f} ms; before the first switch, while the window "
        f"completes itself after its first paint: {inside['completing_ms']:.1f} ms"
    )
    print(
        f"switch section, window's own share (placeholder pages): median "
        f"{inside['shell_switch_median_ms']:.1f} ms, max {inside['shell_switch_max_ms']:.1f} ms"
    )
    print(
        f"clock tick: {inside['tick_ms'] * 1000:.0f} us; with the header repainted "
        f"{inside['tick_painted_ms'] * 1000:.0f} us (target <= {TICK_TARGET_MS:.0f} ms)"
    )
    print(
        f"the same in the UI thread's CPU time: first visit max "
        f"{inside['switch_first_max_cpu_ms']:.1f} ms; revisit median "
        f"{inside['switch_median_cpu_ms']:.1f} ms, max {inside['switch_max_cpu_ms']:.1f} ms; "
        f"longest turn after a switch {inside['longest_block_cpu_ms']:.1f} ms (completing "
        f"{inside['completing_cpu_ms']:.1f} ms); tick with the header repainted "
        f"{inside['tick_painted_cpu_ms'] * 1000:.0f} us"
    )
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        app.shutdown()  # tear Qt down before the interpreter does (avoids a crash at exit)
    return 0


if __name__ == "__main__":
    sys.exit(main())
