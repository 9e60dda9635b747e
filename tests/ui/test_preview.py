"""The preview page and the export actions: GitHub-like rendering, nothing fetched, only
http(s) links opened, debounced refresh, Copy for GitHub, export, print to PDF and import."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QObject, QUrl, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication, QTextDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox
from sqlalchemy import select

from sprintdesk.markdown.render import render_markdown_file, render_plan
from sprintdesk.plan.model import PlanNote, Priority, Sprint
from sprintdesk.storage.store import Store
from sprintdesk.ui import export_actions
from sprintdesk.views.preview import REFRESH_DELAY_MS, PreviewPage

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


def latest_id(store: Store) -> int:
    with store.session() as session:
        return int(session.scalars(select(Sprint.id).order_by(Sprint.id.desc())).first() or 0)


@pytest.fixture
def page(doc_for, qtbot: Any, demo_store: Store) -> Iterator[PreviewPage]:
    widget = PreviewPage(doc_for(demo_store))
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    with qtbot.waitSignal(widget.rendered, timeout=10000):
        widget.show_sprint(latest_id(demo_store))
    yield widget
    widget.close()  # as the window closes it: waits for the render in flight


class CountingHandler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        CountingHandler.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    CountingHandler.hits = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


class UrlRecorder(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def handle(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_parts_titles_and_github_like_rendering(page: PreviewPage, demo_store: Store) -> None:
    selector = page.part_selector
    titles = [selector.itemText(i) for i in range(selector.count())]
    assert titles == ["Issue body", "Team Pipeline", "Team Billing", "Team Onboarding"]
    assert page.title_label.text().startswith("Sprint 4.12.0 2/2 - ")
    html = page.browser.toHtml()
    assert "Global Sprint Planning" in html
    assert page.browser.document().toPlainText().count("Why?") == 2
    # Nested sub-items are a nested list, not text.
    assert "<ul" in html and "<ol" in html
    assert page.size_label.text().endswith("/ 65,536 characters")


def test_selecting_a_team_and_copy_for_github(
    page: PreviewPage, qtbot: Any, demo_store: Store
) -> None:
    with qtbot.waitSignal(page.rendered, timeout=10000):
        page.part_selector.setCurrentIndex(1)
    assert page.selected_key().startswith("team:")
    text = page.browser.document().toPlainText()
    assert "Support hero:" in text and "☐" not in text
    qtbot.mouseClick(page.copy_button, _left())
    with demo_store.session() as session:
        sprint = session.get(Sprint, latest_id(demo_store))
        assert sprint is not None
        expected = render_plan(sprint).parts[1].markdown
    assert QGuiApplication.clipboard().text() == expected
    assert page.copy_button.objectName() == "copyForGitHub"
    assert page.copy_button.accessibleName()


def _left() -> Any:
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_team_comment_task_lists_render_as_boxes(doc_for, qtbot: Any, store: Store) -> None:
    sprint_id = export_actions.import_path(None, store, SAMPLES / "team_comment_modern.md")
    assert sprint_id is not None
    widget = PreviewPage(doc_for(store))
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.rendered, timeout=10000):
        widget.show_sprint(sprint_id)
    with qtbot.waitSignal(widget.rendered, timeout=10000):
        widget.part_selector.setCurrentIndex(1)
    text = widget.browser.document().toPlainText()
    assert "☑ 🟢 Backfill the events table" in text
    assert "☐ 🟡 Replay tool for the dead-letter queue" in text
    assert "▸ Retro" in text  # the collapsed block's summary
    widget.close()  # as the window closes it: waits for the render in flight


XSS = [
    "<script>document.title='pwned'</script>",
    '<img src="{server}/tracker.png" alt="tracker">',
    '<iframe src="{server}/frame"></iframe>',
    "[click me](javascript:alert(1))",
    '<a href="file:///etc/passwd">local file</a>',
    '<div style="background-image: url({server}/bg.png)">styled</div>',
    "![remote]({server}/md-image.png)",
]


def test_hostile_plan_text_is_inert_and_nothing_is_fetched(
    doc_for, qtbot: Any, store: Store, server: str
) -> None:
    from datetime import date

    from sprintdesk.plan.planning import create_sprint

    with store.unit_of_work() as session:
        sprint = create_sprint(
            session, "Hostile 1/2", date(2026, 3, 2), date(2026, 3, 13), teams=[]
        )
        sprint.priorities = [
            Priority(text=x.format(server=server), position=i) for i, x in enumerate(XSS)
        ]
        sprint.notes = [
            PlanNote(section="other", text=x.format(server=server), position=i)
            for i, x in enumerate(XSS)
        ]
        session.flush()
        sprint_id = sprint.id
    widget = PreviewPage(doc_for(store))
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    with qtbot.waitSignal(widget.rendered, timeout=10000):
        widget.show_sprint(sprint_id)
    assert not widget.grab().isNull()  # lays out and paints the document
    qtbot.wait(200)
    html = widget.browser.toHtml().lower()
    for needle in (
        "<script",
        "pwned",
        "<iframe",
        "javascript:",
        "file:",
        "<img",
        "background-image",
    ):
        assert needle not in html, needle
    text = widget.browser.document().toPlainText()
    assert "click me" in text and "local file" in text and "[image: tracker]" in text
    assert "styled" in text
    # Nothing asked for a resource, and asking gets nothing.
    assert widget.browser.resource_requests == []
    assert (
        widget.browser.loadResource(
            int(QTextDocument.ResourceType.ImageResource), QUrl(f"{server}/direct.png")
        )
        is None
    )
    assert (
        widget.browser.loadResource(
            int(QTextDocument.ResourceType.ImageResource), QUrl("file:///etc/hostname")
        )
        is None
    )
    assert CountingHandler.hits == []
    widget.close()  # as the window closes it: waits for the render in flight


def test_only_http_links_are_opened(page: PreviewPage) -> None:
    recorder = UrlRecorder()
    schemes = ("http", "https", "javascript", "file", "ftp")
    for scheme in schemes:
        # PySide6 takes the slot's name as str; its stub says bytes.
        QDesktopServices.setUrlHandler(scheme, recorder, "handle")  # type: ignore[arg-type]
    refused: list[str] = []
    page.browser.linkRefused.connect(lambda url: refused.append(url.toString()))
    try:
        for url in (
            "https://github.com/org/repo/issues/1",
            "http://example.com/x",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "ftp://example.com/f",
            "relative/path.md",
        ):
            page.browser.anchorClicked.emit(QUrl(url))
    finally:
        for scheme in schemes:
            QDesktopServices.unsetUrlHandler(scheme)
    assert recorder.urls == ["https://github.com/org/repo/issues/1", "http://example.com/x"]
    assert len(refused) == 4


def test_edits_refresh_within_the_debounce(
    page: PreviewPage, qtbot: Any, demo_store: Store
) -> None:
    assert page.timer.isSingleShot() and REFRESH_DELAY_MS <= 300
    sprint_id = latest_id(demo_store)
    with demo_store.unit_of_work() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        sprint.priorities[0].text = "Typed just now"
    count = 0

    def bump() -> None:
        nonlocal count
        count += 1

    page.rendered.connect(bump)
    for _ in range(5):  # a burst of keystrokes coalesces into one refresh
        page.schedule_refresh()
    assert "Typed just now" not in page.browser.document().toPlainText()
    qtbot.waitUntil(lambda: "Typed just now" in page.browser.document().toPlainText(), timeout=5000)
    qtbot.wait(REFRESH_DELAY_MS + 100)
    assert count == 1


def test_export_to_file_writes_every_part(
    qtbot: Any, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "plan"
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(target), "Markdown (*.md)")),
    )
    sprint_id = latest_id(demo_store)
    written = export_actions.export_to_file(None, demo_store, sprint_id)
    assert written == folder / "plan.md"
    with demo_store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None
        expected = render_markdown_file(render_plan(sprint))
    assert written.read_text(encoding="utf-8") == expected
    assert [p.name for p in folder.iterdir()] == ["plan.md"]  # no temp file left
    assert export_actions.copy_part(demo_store, sprint_id, "body")
    assert QGuiApplication.clipboard().text().startswith("# Sprint 4.12.0 2/2")
    assert not export_actions.copy_part(demo_store, sprint_id, "team:999")


def test_print_to_pdf(qtbot: Any, demo_store: Store, tmp_path: Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    pdf = tmp_path / "plan.pdf"
    printer.setOutputFileName(str(pdf))
    assert export_actions.print_plan(None, demo_store, latest_id(demo_store), printer=printer)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000


def test_import_from_file_and_bad_file(
    qtbot: Any, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = [str(SAMPLES / "classic_global_plan.md")]
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (chosen[0], ""))
    )
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", staticmethod(lambda parent, title, text, *a: warnings.append(text))
    )
    sprint_id = export_actions.import_from_file(None, store)
    assert sprint_id is not None
    with store.session() as session:
        sprint = session.get(Sprint, sprint_id)
        assert sprint is not None and sprint.name == "4.12.0 1/2" and len(sprint.goals) == 3
    bad = tmp_path / "photo.md"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    chosen[0] = str(bad)
    assert export_actions.import_from_file(None, store) is None
    assert warnings == ["photo.md is a binary file, not markdown text."]
    chosen[0] = ""
    assert export_actions.import_from_file(None, store) is None


def test_browser_itself_refuses_resources_even_for_raw_html(qtbot: Any, server: str) -> None:
    from sprintdesk.views.preview import SafeTextBrowser

    browser = SafeTextBrowser()
    qtbot.addWidget(browser)
    browser.resize(400, 300)
    browser.setHtml(f'<p>x</p><img src="{server}/raw.png"><img src="file:///etc/hostname">')
    browser.grab()
    requested = {url.toString() for url in browser.resource_requests}
    assert f"{server}/raw.png" in requested and "file:///etc/hostname" in requested
    qtbot.wait(100)
    assert CountingHandler.hits == []


def test_a_render_that_fails_says_why_in_the_page(
    page: PreviewPage, qtbot: Any, demo_store: Store
) -> None:
    # A real failure on the worker: the plan's priorities table is gone from the file.
    import sqlite3

    from sprintdesk.storage.opening import database_file

    path = database_file(demo_store.url)
    assert path is not None
    demo_store.engine.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE priorities")
    with qtbot.waitSignal(page.rendered, timeout=10000):
        page.show_sprint(latest_id(demo_store))
    text = page.browser.toPlainText()
    assert text.startswith("The preview could not be rendered: "), text
    assert "priorities" in text


def test_import_review_window_lists_sections_and_kept_notes(
    qtbot: Any, store: Store, tmp_path: Path
) -> None:
    plan = tmp_path / "plan.md"
    plan.write_text(
        "# Sprint 3\n\n## Sprint priorities\n\n1. Speed\n\nWe argued.\n\n"
        "# Team Web\n\n**Support hero:** @ana\n\n### High priority\n\n- Ship it @bo\n",
        encoding="utf-8",
    )
    lines: list[list[str]] = []
    sprint_id = export_actions.import_path(None, store, plan, review=lines.append)
    assert sprint_id is not None
    (review,) = lines
    box = export_actions.show_import_review(None, "3", review)
    qtbot.addWidget(box)
    assert box.isVisible() and not box.isModal()
    assert "Plan: 0 outcomes, 0 retro notes, 1 priority, 0 goals." in box.informativeText()
    assert "Team Web: support hero @ana" in box.informativeText()
    assert "Priorities: “We argued.”" in box.detailedText()
    box.close()
