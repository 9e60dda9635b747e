"""The page beside the GitHub preview at 1280 wide (issue 14, the confirming walk-through's
item 1). Under openbox the page column was squeezed to about 260 px: the preview's top row
(part label, a combo sized for 18 characters and its longest part title, the size label,
the copy button) wanted ~510 px once the first render had put "1,658 / 65,536 characters"
into the size label, and the dock grew to that minimum, taking it from the page. The test
that missed it looked right after the dock appeared, before the render. Here the preview has
rendered; the dock keeps the width it was given, and every page of the demo fits its column
without a horizontal scroll bar (the team page stacks its columns, goal cards put one field
on a row)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QBoxLayout

from sprintdesk.storage.store import Store
from sprintdesk.ui.main_window import MainWindow
from sprintdesk.views.goals import GoalsPage
from sprintdesk.views.preview import PreviewPage
from sprintdesk.views.team import TeamPage
from tests.clocks import FakeClock


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _window(qtbot, ui_settings: QSettings, store: Store, width: int, height: int) -> MainWindow:
    fake = FakeClock()
    window = MainWindow(store, monotonic=fake.monotonic, wall=fake.time, settings=ui_settings)
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.painted, timeout=30000)
    return window


def _open_preview(qtbot, window: MainWindow) -> PreviewPage:
    window.features.toggle_preview()
    dock = window.features.preview_dock
    assert dock is not None
    page = dock.widget()
    assert isinstance(page, PreviewPage)
    # The render fills the size label: what made the dock grow.
    qtbot.waitUntil(lambda: page.size_label.text() != "", timeout=30000)
    _settle()
    return page


def _show_each_page(qtbot, window: MainWindow):
    sprint = window.doc.sprint
    assert sprint is not None
    for section in list(sprint.sections):
        window.sections.show_section(section)
        page = window.pages.currentWidget()
        if hasattr(page, "pending_work"):
            qtbot.waitUntil(lambda page=page: not page.pending_work(), timeout=30000)
        _settle()
        yield section, page


# 1264×680: the window's inside under openbox on a 1280×720 screen.
@pytest.mark.parametrize(("width", "height"), [(1280, 720), (1264, 680)])
def test_the_page_keeps_its_width_beside_the_rendered_preview(
    qtbot, ui_settings: QSettings, demo_store: Store, width: int, height: int
) -> None:
    window = _window(qtbot, ui_settings, demo_store, width, height)
    preview = _open_preview(qtbot, window)
    dock = window.features.preview_dock
    assert dock is not None
    given = min(460, width * 3 // 10)
    assert preview.size_label.isVisible()
    assert dock.minimumSizeHint().width() <= given
    assert dock.width() <= given
    assert window.pages.width() >= 400
    seen = 0
    for section, page in _show_each_page(qtbot, window):
        scroll = getattr(page, "scroll_area", None)
        if scroll is None:
            continue
        seen += 1
        _settle()
        assert page.body.minimumSizeHint().width() <= scroll.viewport().width(), section.title
        assert not scroll.horizontalScrollBar().isVisible(), section.title
    assert seen >= 6
    assert dock.width() <= given


def test_pages_stack_beside_the_preview_and_spread_out_again_without_it(
    qtbot, ui_settings: QSettings, demo_store: Store
) -> None:
    window = _window(qtbot, ui_settings, demo_store, 1280, 720)

    def layouts() -> dict[str, bool]:
        stacked: dict[str, bool] = {}
        for _section, page in _show_each_page(qtbot, window):
            if isinstance(page, TeamPage):
                direction = page.columns.direction()
                stacked["team"] = direction == QBoxLayout.Direction.TopToBottom
            elif isinstance(page, GoalsPage):
                assert page.cards
                stacked["goals"] = all(card.narrow for card in page.cards)
                assert {card.narrow for card in page.cards} == {stacked["goals"]}
        return stacked

    assert layouts() == {"team": False, "goals": False}  # the room of 1280 wide, no preview
    _open_preview(qtbot, window)
    assert layouts() == {"team": True, "goals": True}
    window.features.toggle_preview()
    qtbot.waitUntil(lambda: not window.features.preview_dock.isVisible())
    assert layouts() == {"team": False, "goals": False}
