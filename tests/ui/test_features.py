"""The main window's feature actions end to end: new and next sprint, import/export, the
GitHub preview dock, restore from backup, keys without clashes, accessible names."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget
from sqlalchemy import select

from sprintdesk.plan.model import Priority, Sprint
from sprintdesk.storage.backups import daily_backup
from sprintdesk.storage.store import Store
from sprintdesk.ui.main_window import MainWindow
from sprintdesk.ui.sprint_dialog import SprintDialog
from tests.ui.accessibility import unnamed_interactive_widgets
from tests.ui.window_support import open_in

CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


@pytest.fixture
def window(qtbot, demo_store: Store, tmp_path: Path) -> Iterator[MainWindow]:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(demo_store, settings=settings)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


def action(win: MainWindow, name: str) -> QAction:
    found = win.findChild(QAction, name)
    assert found is not None, name
    return found


def sprint_names(store: Store) -> list[str]:
    with store.session() as session:
        return list(session.scalars(select(Sprint.name).order_by(Sprint.id)))


def test_every_action_has_a_distinct_key_and_a_menu(window: MainWindow) -> None:
    seen: dict[str, str] = {}
    for act in window.findChildren(QAction):
        for key in act.shortcuts():
            text = key.toString()
            # Also a key bound twice to the same action: Qt finds it ambiguous and does nothing.
            assert text not in seen, f"{text} is used by {seen[text]} and {act.objectName()}"
            seen[text] = act.objectName()
    in_menus = {a.objectName() for menu in window.menus.values() for a in menu.actions()}
    for name in (
        "newSprint",
        "nextSprint",
        "importMarkdown",
        "exportMarkdown",
        "printPlan",
        "restoreBackup",
        "settings",
        "publish",
        "previewToggle",
        "roster",
        "availability",
        "capacity",
        "history",
    ):
        assert name in in_menus


def test_main_window_widgets_have_accessible_names(window: MainWindow) -> None:
    assert unnamed_interactive_widgets(window) == []


def test_start_the_next_sprint_from_the_open_one(
    window: MainWindow, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def accept_suggestion(dialog: SprintDialog) -> int:
        assert dialog.name.text() == "4.13.0 1/2"
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(SprintDialog, "exec", accept_suggestion)
    action(window, "nextSprint").trigger()
    assert sprint_names(demo_store)[-1] == "4.13.0 1/2"
    assert window.doc.sprint is not None and window.doc.sprint.name == "4.13.0 1/2"
    assert window.windowTitle() == "SprintDesk — 4.13.0 1/2"
    assert window.sprint_picker.currentText().startswith("4.13.0 1/2")
    assert len(window.doc.sprint.outcomes) == 2  # the previous sprint's goals, to review


def test_new_sprint_dialog_keeps_bad_input_and_explains(
    window: MainWindow, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    def fill(dialog: SprintDialog) -> int:
        dialog.name.setText("   ")
        dialog.accept()  # refused: stays open with a message
        seen.append(dialog.error.text())
        assert dialog.result() != QDialog.DialogCode.Accepted
        dialog.name.setText("Hackathon week")
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(SprintDialog, "exec", fill)
    action(window, "newSprint").trigger()
    assert "needs a name" in seen[0]
    assert sprint_names(demo_store)[-1] == "Hackathon week"
    assert window.doc.sprint is not None and window.doc.sprint.name == "Hackathon week"


def test_import_then_export_from_the_menus(
    window: MainWindow, demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = SAMPLES / "classic_global_plan.md"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sample), ""))
    action(window, "importMarkdown").trigger()
    assert window.doc.sprint is not None
    # The demo has a "4.12.0 1/2" already: the import gets a name of its own, and says so.
    assert window.doc.sprint.name == "4.12.0 1/2 (2)"
    assert len(window.doc.sprint.goals) == 3
    told = window.statusBar().currentMessage()
    assert "Imported 4.12.0 1/2 (2)" in told and "4 outcomes" in told and "3 goals" in told
    assert "exists already" in told
    target = tmp_path / "out.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    action(window, "exportMarkdown").trigger()
    text = target.read_text(encoding="utf-8")
    assert "Onboarding checklist" in text and "sprintdesk:plan=" in text


def test_preview_dock_follows_edits_and_hides_when_presenting(qtbot, window: MainWindow) -> None:
    from sprintdesk.views.preview import PreviewPage

    action(window, "previewToggle").trigger()
    dock = window.features.preview_dock
    assert dock is not None and dock.isVisible()
    page = dock.widget()
    assert isinstance(page, PreviewPage)
    sprint = window.doc.sprint
    assert sprint is not None
    with qtbot.waitSignal(page.rendered, timeout=5000):
        window.doc.insert_row(sprint.priorities, Priority(text="Ship the preview dock"))
    qtbot.waitUntil(lambda: "Ship the preview dock" in page.browser.toPlainText(), timeout=5000)
    window.set_presentation(True)
    assert not dock.isVisible()
    window.set_presentation(False)


def test_restore_from_backup_brings_back_the_old_plan(
    qtbot,
    window: MainWindow,
    demo_store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sprintdesk.ui.restore_dialog import RestoreDialog

    assert demo_store.path is not None
    window.doc.save_now()
    backup = daily_backup(demo_store.path)
    assert backup is not None
    sprint = window.doc.sprint
    assert sprint is not None
    window.doc.set_attr(sprint, "name", "Renamed after the backup")
    window.doc.save_now()

    def choose_first(dialog: RestoreDialog) -> int:
        item = dialog.list.topLevelItem(0)
        assert item is not None
        dialog.list.setCurrentItem(item)
        dialog.restore_button.click()  # asks QMessageBox.question, patched to Yes
        return int(dialog.result())

    monkeypatch.setattr(RestoreDialog, "exec", choose_first)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    action(window, "restoreBackup").trigger()
    assert window.store is not demo_store
    restored = window.doc.sprint
    assert restored is not None and restored.name == "4.12.0 2/2"
    # The restored plan is live: edits are saved to the restored file.
    window.doc.set_attr(restored, "name", "After restore")
    assert window.doc.save_now()
    assert window.store is not None
    assert sprint_names(window.store)[-1] == "After restore"


def test_publish_opens_for_the_open_sprint_and_pull_needs_a_published_one(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sprintdesk.ui.publish_dialog import PublishDialog

    opened: list[int] = []

    def capture(dialog: PublishDialog) -> int:
        opened.append(dialog.sprint_id)
        return 0

    monkeypatch.setattr(PublishDialog, "exec", capture)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a: told.append(text))
    sprint = window.doc.sprint
    assert sprint is not None
    action(window, "publish").trigger()
    assert opened == [sprint.id]
    action(window, "pull").trigger()
    assert "not been published" in told[0] and opened == [sprint.id]


def test_closing_while_a_large_page_is_still_building_is_clean(
    qtbot,
    store: Store,
    tmp_path: Path,
) -> None:
    """Close the window while the goals page is still adding cards: nothing may run on the
    closed plan afterwards (it raised DetachedInstanceError into the crash dialog)."""
    import sys

    from bench.large_sprint import build_large_sprint
    from sprintdesk.plan.model import SectionKind
    from sprintdesk.views.base import Batcher

    with store.unit_of_work() as session:
        build_large_sprint(session, people=12, teams=2, items_per_team=5, goals=120)
    settings = QSettings(str(tmp_path / "ui2.ini"), QSettings.Format.IniFormat)
    win = MainWindow(store, settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    sprint = win.doc.sprint
    assert sprint is not None
    goals = next(s for s in sprint.sections if s.kind == SectionKind.GOALS)
    win.show_section(goals)
    qtbot.waitUntil(lambda: any(b.pending() for b in win.findChildren(Batcher)), timeout=3000)
    errors: list[BaseException] = []
    previous = sys.excepthook
    sys.excepthook = lambda _t, exc, _tb: errors.append(exc)
    try:
        win.close()
        qtbot.wait(300)
    finally:
        sys.excepthook = previous
    assert errors == []
    assert not any(b.pending() for b in win.findChildren(Batcher))


def test_one_meeting_at_a_time(
    window: MainWindow, demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    yes, cancel = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.Cancel
    answers = [cancel, yes, cancel, yes, yes]
    asked: list[str] = []

    def answer(_parent, _title, text, *_args):
        asked.append(text)
        return answers.pop(0)

    def states() -> dict[str, str]:
        window.doc.save_now()
        with demo_store.session() as session:
            return dict(session.execute(select(Sprint.name, Sprint.state)).all())

    monkeypatch.setattr(QMessageBox, "question", answer)
    first = window.doc.sprint
    assert first is not None
    window.start_meeting()  # a draft: nothing to ask
    assert first.state == "in_meeting" and asked == []
    with demo_store.session() as session:
        other_id = session.scalar(select(Sprint.id).where(Sprint.name == "4.12.0 1/2"))
    assert other_id is not None
    window.open_sprint(other_id)
    window.start_meeting()  # its meeting ended: reopen? no
    assert "has ended" in asked[0]
    assert states()["4.12.0 1/2"] == "planned"
    window.start_meeting()  # reopen: yes; but another meeting runs: end it? no
    assert "still running" in asked[2] and "4.12.0 2/2" in asked[2]
    assert states() == {**states(), "4.12.0 2/2": "in_meeting", "4.12.0 1/2": "planned"}
    window.start_meeting()  # yes and yes: the other meeting ends, this one reopens
    now = states()
    assert now["4.12.0 2/2"] == "planned" and now["4.12.0 1/2"] == "in_meeting"
    assert answers == []


def test_tab_leaves_the_agenda(qtbot, window: MainWindow) -> None:
    from PySide6.QtCore import Qt

    window.agenda_view.setFocus()
    qtbot.waitUntil(window.agenda_view.hasFocus)
    qtbot.keyClick(window.agenda_view, Qt.Key.Key_Tab)
    assert not window.agenda_view.hasFocus()


def test_a_damaged_database_offers_its_backups_at_start(
    qtbot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QPushButton

    from sprintdesk.plan.demo import load_demo
    from sprintdesk.storage.store import open_store
    from sprintdesk.ui.restore_dialog import RestoreDialog

    db = tmp_path / "plans" / "sprintdesk.db"
    url = f"sqlite:///{db}"
    store = open_store(url)
    with store.unit_of_work() as session:
        load_demo(session)
    assert daily_backup(db) is not None
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    damaged = b"\x00this file was damaged" * 500
    db.write_bytes(damaged)

    def click_restore(box: QMessageBox) -> int:
        assert "cannot be read" in box.text()
        button = next(b for b in box.findChildren(QPushButton) if "Restore" in b.text())
        button.click()
        return 0

    def choose_first(dialog: RestoreDialog) -> int:
        item = dialog.list.topLevelItem(0)
        assert item is not None
        dialog.list.setCurrentItem(item)
        dialog.restore_button.click()
        return int(dialog.result())

    monkeypatch.setattr(QMessageBox, "exec", click_restore)
    monkeypatch.setattr(RestoreDialog, "exec", choose_first)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    settings = QSettings(str(tmp_path / "ui3.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    assert open_in(win, url)
    assert win.doc.sprint is not None and win.doc.sprint.name == "4.12.0 2/2"
    kept = list((db.parent / "backups").glob("sprintdesk-damaged-*.db"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
    win.close()


def test_the_timebox_editor_only_takes_minutes_the_agenda_accepts(
    qtbot,
    window: MainWindow,
) -> None:
    from PySide6.QtWidgets import QSpinBox

    from sprintdesk.ui.agenda_model import COL_TIMEBOX, MAX_TIMEBOX_MINUTES

    view = window.agenda_view
    view.setCurrentIndex(window.agenda_model.index(0, COL_TIMEBOX))
    window.sections.edit_selected_timebox()
    editor = view.findChild(QSpinBox, "timeboxEditor")
    assert editor is not None
    assert (editor.minimum(), editor.maximum()) == (1, MAX_TIMEBOX_MINUTES)
    assert editor.value() == 10


def test_the_window_opens_on_the_latest_sprint_by_date(
    qtbot,
    demo_store: Store,
    tmp_path: Path,
) -> None:
    from datetime import date

    from sprintdesk.plan.planning import create_sprint

    with demo_store.unit_of_work() as session:  # an old plan, entered after the others
        create_sprint(session, "3.9.0 1/2", date(2024, 1, 8), date(2024, 1, 19))
        create_sprint(session, "Undated ideas")
    settings = QSettings(str(tmp_path / "ui4.ini"), QSettings.Format.IniFormat)
    win = MainWindow(demo_store, settings=settings)
    qtbot.addWidget(win)
    assert win.doc.sprint is not None and win.doc.sprint.name == "4.12.0 2/2"
    names = [
        win.sprint_picker.itemText(i).split(" · ")[0] for i in range(win.sprint_picker.count())
    ]
    assert names[0] == "4.12.0 2/2" and names[-2:] == ["3.9.0 1/2", "Undated ideas"]
    win.close()


def test_import_from_markdown_opens_the_review_of_what_was_recognised(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = SAMPLES / "tricky_handwritten.md"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(sample), ""))
    action(window, "importMarkdown").trigger()
    review = window.findChild(QMessageBox, "importReview")
    assert review is not None and review.isVisible() and not review.isModal()
    assert review.informativeText().startswith("Plan: ")
    review.close()


def test_the_import_review_names_a_mention_that_got_no_login(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    plan = tmp_path / "dots.md"
    plan.write_text(
        "# Sprint Dots - Mar 2 to Mar 13\n\n## Team Billing\n\n### High priority\n\n"
        "- Ship the dunning emails @not.a.login\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(plan), ""))
    action(window, "importMarkdown").trigger()
    review = window.findChild(QMessageBox, "importReview")
    assert review is not None and review.isVisible()
    # In the text shown at once, not only in the details.
    assert "@not.a.login" in review.informativeText().replace("\u200b", "")
    assert "@not.a.login" in window.statusBar().currentMessage()
    review.close()


def test_import_history_from_github_menu_opens_the_dialog(window: MainWindow) -> None:
    from sprintdesk.ui.history_import_dialog import HistoryImportDialog

    in_file = {a.objectName() for a in window.menus["file"].actions()}
    assert "importHistory" in in_file
    action(window, "importHistory").trigger()
    dialog = window.findChild(HistoryImportDialog, "historyImportDialog")
    assert dialog is not None and dialog.isVisible()
    assert dialog.label.text() == "sprint"
    dialog.reject()


def test_a_key_given_twice_to_one_action_is_bound_once_and_works(qtbot, window: MainWindow) -> None:
    fired: list[bool] = []
    # The quit action's case: the platform's standard key (Ctrl+Q on KDE and GNOME; nothing
    # offscreen) given together with the same key spelled out.
    act = window.commands.action(
        "twice", "Twice", lambda: fired.append(True), [QKeySequence("Ctrl+Alt+J"), "Ctrl+Alt+J"]
    )
    assert [k.toString() for k in act.shortcuts()] == ["Ctrl+Alt+J"]
    qtbot.keyClick(window, Qt.Key.Key_J, CTRL_ALT)
    assert fired == [True]


def test_menu_features_and_window_actions_bind_a_standard_key_alike(window: MainWindow) -> None:
    """One action builder for the window's actions and the features' menu entries: a
    platform's standard key binds every one of its sequences (Undo is also Alt+Backspace),
    each once, whoever builds the action."""

    def keys(name: str) -> list[str]:
        return [k.toString() for k in action(window, name).shortcuts()]

    def standard(key: QKeySequence.StandardKey) -> list[str]:
        return [k.toString() for k in QKeySequence.keyBindings(key)]

    assert keys("undo") == standard(QKeySequence.StandardKey.Undo)
    assert keys("newSprint") == standard(QKeySequence.StandardKey.New)
    assert keys("importMarkdown") == standard(QKeySequence.StandardKey.Open)
    assert len(standard(QKeySequence.StandardKey.Undo)) > 1  # the case that tells them apart


def test_ctrl_q_quits(qtbot, window: MainWindow) -> None:
    quit_action = action(window, "quit")
    assert [k.toString() for k in quit_action.shortcuts()].count("Ctrl+Q") == 1
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


@pytest.mark.parametrize("typed", ["0", "-3"])
def test_a_timebox_under_one_minute_is_refused_with_a_reason(
    qtbot, window: MainWindow, typed: str
) -> None:
    from PySide6.QtWidgets import QSpinBox

    from sprintdesk.ui.agenda_model import COL_TIMEBOX

    view = window.agenda_view
    section = window.agenda_model.section_at(0)
    assert section is not None
    before = section.timebox_seconds
    view.setCurrentIndex(window.agenda_model.index(0, COL_TIMEBOX))
    window.sections.edit_selected_timebox()
    editor = view.findChild(QSpinBox, "timeboxEditor")
    assert editor is not None
    editor.selectAll()
    qtbot.keyClicks(editor, typed)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert "at least 1 minute" in window.statusBar().currentMessage()
    assert view.findChild(QSpinBox, "timeboxEditor") is editor and editor.isVisible()
    assert section.timebox_seconds == before  # neither dropped silently nor made 3 minutes
    assert editor.value() != 3


@pytest.mark.parametrize(
    ("action_name", "window_name"),
    [("history", "historyWindow"), ("capacity", "capacityWindow"), ("roster", "rosterWindow")],
)
@pytest.mark.parametrize("key", ["Esc", "Ctrl+W"])
def test_tool_windows_close_with_esc_and_ctrl_w(
    qtbot, window: MainWindow, action_name: str, window_name: str, key: str
) -> None:
    from PySide6.QtWidgets import QApplication

    action(window, action_name).trigger()
    tool = window.findChild(QWidget, window_name)
    assert tool is not None
    qtbot.waitExposed(tool)
    tool.activateWindow()
    qtbot.waitUntil(tool.isActiveWindow)
    target = QApplication.focusWidget() or tool
    sequence = QKeySequence(key)[0]  # type: ignore[index]  # the stub lacks __getitem__
    qtbot.keyClick(target, sequence.key(), sequence.keyboardModifiers())
    qtbot.waitUntil(lambda: not tool.isVisible())


def test_settings_from_the_menu_show_the_sprints_own_api_url(
    qtbot, window: MainWindow, demo_store: Store, monkeypatch
) -> None:
    from sprintdesk.ui.settings_dialog import SettingsDialog

    sprint = window.doc.sprint
    assert sprint is not None
    window.doc.set_attr(sprint, "publish_api_url", "https://ghe.example.com/api/v3", "Publish")
    shown: list[str] = []

    def exec_(self: SettingsDialog) -> int:
        shown.append(self.github.api_url.text())
        return 0

    monkeypatch.setattr(SettingsDialog, "exec", exec_)
    action(window, "settings").trigger()
    assert shown == ["https://ghe.example.com/api/v3"]


def test_a_status_message_after_a_restore_does_not_overlap_the_publish_state(
    qtbot, window: MainWindow
) -> None:
    bar = window.statusBar()
    label = window.features.publish_state
    label.setText("Published to acme/plans#12")
    label.show()
    bar.showMessage("Backup restored. The database as it was is kept as /tmp/x.db", 20000)
    window.features.update_status()
    qtbot.waitUntil(lambda: bar.currentMessage() != "")
    assert label.isVisible()  # shown beside the message, not under it
    message_width = bar.fontMetrics().horizontalAdvance(bar.currentMessage())
    assert label.geometry().left() >= min(message_width, bar.width() // 2)
