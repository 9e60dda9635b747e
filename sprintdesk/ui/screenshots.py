"""``make screenshots``: render the README's pictures from the demo data, offscreen.

Writes ``draft-editing.png``, ``meeting.png``, ``overrun.png``, ``presentation.png`` (1280x720)
and ``mini-timer.png`` into ``docs/screenshots/`` (or the folder given as the first argument).
A fake clock drives the meeting, so the pictures are the same on every run.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


class _FakeClock:
    def __init__(self) -> None:
        self.mono = 100.0
        self.wall = 1_800_000_000.0

    def monotonic(self) -> float:
        return self.mono

    def time(self) -> float:
        return self.wall

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall += seconds


def render(out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication, QWidget

    from sprintdesk.plan.demo import load_demo
    from sprintdesk.plan.model import SectionKind
    from sprintdesk.storage.store import open_store
    from sprintdesk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="sprintdesk-shots-") as tmp:
        store = open_store(f"sqlite:///{Path(tmp) / 'sprintdesk.db'}")
        with store.unit_of_work() as session:
            load_demo(session)
        clock = _FakeClock()
        settings = QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat)
        window = MainWindow(store, monotonic=clock.monotonic, wall=clock.time, settings=settings)
        window.act_chime.setChecked(False)
        window.resize(1280, 800)
        window.show()

        def settle() -> None:
            for _ in range(5):
                app.processEvents()

        def shoot(widget: QWidget, name: str) -> None:
            window.doc.save_now()  # the status bar shows the saved state
            settle()
            path = out_dir / name
            widget.grab().save(str(path))
            written.append(path)

        settle()
        sprint = window.doc.sprint
        assert sprint is not None
        goals = next(s for s in sprint.sections if s.kind == SectionKind.GOALS.value)
        window.show_section(goals)
        shoot(window, "draft-editing.png")

        # A meeting in progress: two sections done (one overran), goals under way.
        window.start_meeting()
        clock.advance(9 * 60 + 12)
        window.next_section()
        clock.advance(11 * 60 + 40)
        window.next_section()
        clock.advance(4 * 60 + 5)
        window.next_section()
        clock.advance(7 * 60 + 23)
        window.tick()
        shoot(window, "meeting.png")

        clock.advance(13 * 60 + 49)
        window.tick()
        shoot(window, "overrun.png")

        window.toggle_mini_timer()
        mini = window.mini_timer
        assert mini is not None
        mini.move(900, 40)
        window.tick()
        shoot(mini, "mini-timer.png")
        mini.hide()

        window.restart_section()  # back inside the timebox, amber: 3:10 left of 20 minutes
        clock.advance(16 * 60 + 50)
        window.tick()
        window.set_presentation(True)
        # The offscreen screen is not 1280x720: show the theme at a screen share's size.
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.resize(1280, 720)
        window.tick()
        shoot(window, "presentation.png")

        window.close()
        store.close()
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else DEFAULT_OUT
    from sprintdesk.views.screenshots import render_capacity_and_history_screenshots

    for path in [*render(out_dir), *render_capacity_and_history_screenshots(out_dir)]:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
