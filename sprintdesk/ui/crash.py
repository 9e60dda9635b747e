"""What happens on an uncaught exception: the traceback goes to the log (tokens redacted), a
dialog says what happened and where the log is, and SprintDesk keeps running.

Exceptions raised in a slot or an event handler reach ``sys.excepthook`` (PySide6 prints them
through it); exceptions in worker threads reach ``threading.excepthook`` and are shown on the
GUI thread through a queued signal. The dialog is not modal, so it never blocks the event loop.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from sprintdesk.system.logs import redact

log = logging.getLogger("sprintdesk.crash")

DIALOG_OBJECT_NAME = "crashDialog"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


class CrashHandler(QObject):
    """Installs itself as ``sys.excepthook`` and ``threading.excepthook``.

    Signals:
        crashed(str): the one-line summary of an uncaught exception (redacted).
    """

    crashed = Signal(str)
    _report = Signal(str, str)  # summary, details: crosses from worker threads to the GUI

    def __init__(
        self,
        *,
        log_path: Path | None = None,
        window: Callable[[], QWidget | None] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self._window = window
        self._previous_hook: Callable[..., object] | None = None
        self._previous_thread_hook: Callable[..., object] | None = None
        self.dialog: QMessageBox | None = None
        self.count = 0
        self._report.connect(self._show, Qt.ConnectionType.QueuedConnection)

    # --- installing --------------------------------------------------------------------------

    def install(self) -> CrashHandler:
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self._excepthook
        threading.excepthook = self._thread_excepthook
        return self

    def uninstall(self) -> None:
        if sys.excepthook == self._excepthook and self._previous_hook is not None:
            sys.excepthook = self._previous_hook
        if (
            threading.excepthook == self._thread_excepthook
            and self._previous_thread_hook is not None
        ):
            threading.excepthook = self._previous_thread_hook

    # --- hooks -------------------------------------------------------------------------------

    def _excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt) and self._previous_hook is not None:
            self._previous_hook(exc_type, exc, tb)
            return
        self.handle((exc_type, exc, tb), where="the main thread")

    def _thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a worker thread"
        self.handle((args.exc_type, args.exc_value, args.exc_traceback), where=f"thread {name}")

    def handle(self, exc_info: ExcInfo, *, where: str = "the main thread") -> None:
        """Log the exception and show the dialog (from any thread)."""
        exc_type, exc, tb = exc_info
        self.count += 1
        log.critical("Uncaught exception in %s", where, exc_info=exc_info)
        summary = redact(f"{exc_type.__name__}: {exc}".strip().rstrip(":"))
        details = redact("".join(traceback.format_exception(exc_type, exc, tb)))
        self._report.emit(summary, details)

    # --- the dialog --------------------------------------------------------------------------

    def message(self, summary: str) -> str:
        where = (
            self.tr("The details are in the log file:\n{path}").format(path=self.log_path)
            if self.log_path is not None
            else self.tr("The details could not be written to a log file.")
        )
        return self.tr(
            "SprintDesk hit an unexpected problem:\n{summary}\n\n"
            "Your work is safe: every change is saved as you make it. You can keep working; if "
            "something looks wrong, restart SprintDesk.\n\n{where}"
        ).format(summary=summary, where=where)

    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        self.crashed.emit(summary)
        if QApplication.instance() is None:
            return
        if self.dialog is not None and self.dialog.isVisible():
            # One dialog at a time: a crash loop must not bury the window under dialogs.
            self.dialog.setInformativeText(
                self.tr("{count} problems so far; the newest: {summary}").format(
                    count=self.count, summary=summary
                )
            )
            return
        parent = self._window() if self._window is not None else None
        dialog = QMessageBox(parent)
        dialog.setObjectName(DIALOG_OBJECT_NAME)
        dialog.setAccessibleName(self.tr("SprintDesk problem report"))
        dialog.setIcon(QMessageBox.Icon.Warning)
        dialog.setWindowTitle(self.tr("SprintDesk: unexpected problem"))
        dialog.setText(self.message(summary))
        dialog.setDetailedText(details)
        dialog.setStandardButtons(QMessageBox.StandardButton.Close)
        if self.log_path is not None:
            open_button = dialog.addButton(
                self.tr("Open log folder"), QMessageBox.ButtonRole.ActionRole
            )
            open_button.setObjectName("openLogFolderButton")
            open_button.setAccessibleName(self.tr("Open log folder"))
            open_button.clicked.connect(self.open_log_folder)
        dialog.setWindowModality(Qt.WindowModality.NonModal)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.destroyed.connect(self._forget_dialog)
        self.dialog = dialog
        dialog.show()

    def _forget_dialog(self) -> None:
        self.dialog = None

    def open_log_folder(self) -> None:
        if self.log_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.log_path.parent)))


def install_crash_handler(
    *,
    log_path: Path | None = None,
    window: Callable[[], QWidget | None] | None = None,
    parent: QObject | None = None,
) -> CrashHandler:
    """Create and install the handler; keep the returned object alive while the app runs."""
    return CrashHandler(log_path=log_path, window=window, parent=parent).install()
