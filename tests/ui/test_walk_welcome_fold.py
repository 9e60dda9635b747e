"""The welcome page on a 1280×720 screen (issue 14 walk-through, finding 9): the message for a
refused person shows where the user is looking, next to the person's fields and scrolled into
view, so "Add person" never seems to do nothing."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QLabel

from sprintdesk.storage.store import Store
from sprintdesk.views.welcome import WelcomePage

pytestmark = pytest.mark.qt_log_ignore("does not support propagateSizeHints")


def _on_screen(page: WelcomePage, label: QLabel) -> bool:
    viewport = page.scroll_area.viewport()
    top_left = label.mapTo(viewport, label.rect().topLeft())
    return viewport.rect().contains(QRect(top_left, label.size()))


@pytest.mark.parametrize("height", [620, 420])  # the page's room in a 1280×720 window, less
def test_a_refused_login_is_explained_in_view(qtbot, doc_for, store: Store, height: int) -> None:
    page = WelcomePage(doc_for(store))
    qtbot.addWidget(page)
    page.resize(1280, height)
    page.show()
    qtbot.waitExposed(page)
    # The user scrolled down to the person's fields and typed a login GitHub refuses.
    page.scroll_area.ensureWidgetVisible(page.add_person_button)
    qtbot.keyClicks(page.person_name, "Lena Kowalski")
    qtbot.keyClicks(page.person_login, "lena.k")
    qtbot.mouseClick(page.add_person_button, Qt.MouseButton.LeftButton)
    label = page.people_error
    assert label.isVisible() and "cannot contain a dot" in label.text()
    qtbot.waitUntil(lambda: _on_screen(page, label))
    # Next to the person's fields: between "Add person" and the team form.
    y = label.mapTo(page, label.rect().topLeft()).y()
    assert page.add_person_button.mapTo(page, page.add_person_button.rect().topLeft()).y() < y
    assert y < page.team_name.mapTo(page, page.team_name.rect().topLeft()).y()
    assert page.person_login.text() == "lena.k"  # nothing typed is lost
