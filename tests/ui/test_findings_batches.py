"""Findings added in batches from the event loop (a large sprint's summary has hundreds): every
label shows, and a batch lays the page out once, not once per label (Qt lays out every visible
ancestor again when a child is shown, and the page's body measures all its wrapped text then;
a label at a time blocked the window for a second on the large sprint)."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QScrollArea

from sprintdesk.plan.rules import Finding, Severity
from sprintdesk.views.base import PageBody, PageLayout
from sprintdesk.views.widgets import FINDINGS_PER_COLUMN, FindingsBox


class _CountingLayout(PageLayout):
    """The page body's own layout, counting how often its minimum is worked out."""

    asked = 0

    def minimumSize(self) -> QSize:  # noqa: N802 - a Qt override
        type(self).asked += 1
        return super().minimumSize()


def _findings(count: int) -> list[Finding]:
    return [
        Finding(Severity.WARNING, "check", f"Finding {n}: something about the plan to look at")
        for n in range(count)
    ]


def test_a_batch_of_findings_lays_the_page_out_once(qtbot) -> None:
    area = QScrollArea()
    area.setWidgetResizable(True)
    body = PageBody()  # as a page's scrolling body is set up (SectionPage)
    layout = _CountingLayout(body)
    layout.setSizeConstraint(PageLayout.SizeConstraint.SetMinimumSize)
    box = FindingsBox(at_once=5, parent=body)
    layout.addWidget(box)
    layout.addStretch(1)
    area.setWidget(body)
    qtbot.addWidget(area)
    area.resize(600, 400)
    area.show()
    qtbot.waitExposed(area)

    count = 85
    _CountingLayout.asked = 0
    box.set_findings(_findings(count))  # 5 now, then eight batches of ten from the event loop
    qtbot.waitUntil(lambda: not box.pending())
    labels = box.labels()
    qtbot.waitUntil(lambda: all(label.isVisible() for label in labels))
    assert [label.finding.message for label in labels] == [f.message for f in _findings(count)]
    # A few times a batch (hiding the box, showing it), not two or three times a label.
    assert _CountingLayout.asked < count, _CountingLayout.asked


def test_hundreds_of_findings_show_a_column_of_a_few_dozen_at_a_time(qtbot) -> None:
    """Showing one hidden column of all the large sprint's 280 findings held the event loop
    over 100 ms: they show in columns of FINDINGS_PER_COLUMN, in order, each once it is full."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    body = PageBody()
    layout = PageLayout(body)
    layout.setSizeConstraint(PageLayout.SizeConstraint.SetMinimumSize)
    box = FindingsBox(at_once=5, parent=body)
    layout.addWidget(box)
    layout.addStretch(1)
    area.setWidget(body)
    qtbot.addWidget(area)
    area.resize(600, 400)
    area.show()
    qtbot.waitExposed(area)

    count = 5 + 3 * FINDINGS_PER_COLUMN + 7
    box.set_findings(_findings(count))
    qtbot.waitUntil(lambda: not box.pending())
    labels = box.labels()
    assert [label.finding.message for label in labels] == [f.message for f in _findings(count)]
    columns = Counter(id(label.parentWidget()) for label in labels[5:])
    assert sorted(columns.values()) == [7] + [FINDINGS_PER_COLUMN] * 3
    qtbot.waitUntil(lambda: all(label.isVisible() for label in labels))
