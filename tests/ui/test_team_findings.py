"""A team page's inline findings: a check about the team's plan shows on that team's page, in
words and with its severity, and never on another team's page."""

from __future__ import annotations

import pytest

from sprintdesk.plan.model import SectionKind
from tests.ui.pages_support import demo_doc_fixture, open_page  # noqa: F401

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_a_team_without_a_hero_sees_the_finding_on_its_page_only(qtbot, demo_doc):
    billing = open_page(qtbot, demo_doc, SectionKind.TEAM, "Billing")
    plan = billing.plan
    assert billing.hero.pick(None)
    qtbot.waitUntil(lambda: not billing.pending_work(), timeout=5000)
    labels = [lab for lab in billing.findings_box.labels() if lab.finding.code == "no-support-hero"]
    assert len(labels) == 1
    label = labels[0]
    assert label.isVisible() and billing.findings_box.isVisible()
    assert label.property("severity") == "warning"
    assert "Billing has no support hero" in label.text()
    billing_plan_id = label.finding.team_plan_id
    assert plan is not None and billing_plan_id == plan.id

    pipeline = open_page(qtbot, demo_doc, SectionKind.TEAM, "Pipeline")
    shown = [lab.finding for lab in pipeline.findings_box.labels()]
    assert all(f.team_plan_id != billing_plan_id for f in shown)
    assert "no-support-hero" not in [f.code for f in shown]

    demo_doc.undo_stack.undo()  # Billing has its hero back: the finding goes
    qtbot.waitUntil(lambda: not billing.pending_work(), timeout=5000)
    assert "no-support-hero" not in [lab.finding.code for lab in billing.findings_box.labels()]
