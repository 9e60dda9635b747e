"""The clock header at the widths that matter (issue 14, item 10): with the GitHub preview
docked beside it at 1280 wide (and narrower still), the clock's buttons wrap onto another row
instead of being elided, and nothing in the header overlaps the countdown or another control."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from sprintdesk.storage.store import Store
from sprintdesk.ui.main_window import MainWindow
from tests.clocks import FakeClock


@pytest.fixture
def window(qtbot, ui_settings: QSettings, demo_store: Store) -> Iterator[MainWindow]:
    fake = FakeClock()
    made = MainWindow(demo_store, monotonic=fake.monotonic, wall=fake.time, settings=ui_settings)
    qtbot.addWidget(made)
    made.show()
    qtbot.waitExposed(made)
    yield made
    if made.mini_timer is not None:
        made.mini_timer.close()


def _in_header(window: MainWindow, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(window.header, QPoint(0, 0)), widget.size())


def _settle(window: MainWindow) -> None:
    for _ in range(3):
        QApplication.processEvents()
        window.header.layout().activate()


def _assert_header_fits(window: MainWindow) -> None:
    header = window.header
    _settle(window)
    buttons = [b for b in header.controls.findChildren(QAbstractButton) if b.isVisible()]
    assert len(buttons) >= 2
    assert header.meeting_button in buttons
    clock = _in_header(window, header.countdown)
    texts = [header.mode_label, header.section_title, header.meeting_elapsed]
    boxes = [(b.text(), _in_header(window, b)) for b in buttons]
    boxes += [(w.objectName(), _in_header(window, w)) for w in texts if w.isVisible()]
    for name, box in boxes:
        assert header.rect().contains(box), name
        assert not box.intersects(clock), f"{name} {box} under the clock {clock}"
    for i, (name, box) in enumerate(boxes):
        for other, other_box in boxes[i + 1 :]:
            assert not box.intersects(other_box), f"{name} overlaps {other}"
    for button in buttons:  # full labels: a button narrower than its size hint is elided
        assert button.width() >= button.sizeHint().width(), button.text()
    # The countdown shows its whole text.
    assert header.countdown.width() >= header.countdown.sizeHint().width()


@pytest.mark.parametrize(
    ("width", "height", "preview"),
    [
        (1280, 720, True),
        (1280, 720, False),
        (1920, 1080, True),
        (1024, 700, True),
        (760, 600, False),
    ],
)
def test_the_header_reflows_instead_of_eliding_or_overlapping(
    qtbot, window: MainWindow, width: int, height: int, preview: bool
) -> None:
    window.resize(width, height)
    if preview:
        window.features.toggle_preview()
        qtbot.waitUntil(lambda: window.features.preview_dock.isVisible())
    _assert_header_fits(window)  # a draft: "Start meeting" is the last control
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.clock is not None and window.clock.in_meeting
    _assert_header_fits(window)  # in the meeting: Pause, Previous section ... End meeting


def test_a_narrow_header_puts_the_buttons_on_more_rows(qtbot, window: MainWindow) -> None:
    window.resize(1920, 1080)
    _settle(window)
    header = window.header
    one_row = header.controls.height()
    window.resize(1280, 720)
    window.features.toggle_preview()
    qtbot.waitUntil(lambda: window.features.preview_dock.isVisible())
    _settle(window)
    assert header.controls.height() > one_row
    window.features.toggle_preview()
    qtbot.waitUntil(lambda: not window.features.preview_dock.isVisible())
    window.resize(1920, 1080)
    _settle(window)
    assert header.controls.height() == one_row
