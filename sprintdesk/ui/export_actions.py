"""File → Export, Copy for GitHub, Print / PDF and File → Import, for the main window to call.

Each function opens its own short session on the store, shows its own dialogs and reports
problems in a message box: nothing here raises to the caller for bad input.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget
from sqlalchemy.exc import SQLAlchemyError

from sprintdesk.markdown.html import github_html
from sprintdesk.markdown.importer import (
    PlanImportError,
    apply_plan,
    decode,
    import_review,
    import_summary,
    parse_plan,
)
from sprintdesk.markdown.render import RenderedPlan, render_markdown_file, render_plan
from sprintdesk.plan.planning import PlanError, load_sprint
from sprintdesk.plan.templates import get_template
from sprintdesk.storage.store import Store, StoreError

MAX_IMPORT_BYTES = 20 * 1024 * 1024


def tr(text: str) -> str:
    return QCoreApplication.translate("ExportActions", text)


def rendered_plan(store: Store, sprint_id: int, template: str | None = None) -> RenderedPlan | None:
    with store.session() as session:
        try:
            sprint = load_sprint(session, sprint_id)
        except PlanError:
            return None
        return render_plan(sprint, get_template(template) if template else None)


def suggested_filename(title: str) -> str:
    """ "Sprint 4.12.0 1/2 - Nov 16 to Nov 27" -> "sprint-4.12.0-1-2-nov-16-to-nov-27.md": one
    dash between words (runs of dashes and spaces collapse), no slash."""
    slug = re.sub(r"[^\w.-]+", "-", title.lower())
    slug = re.sub(r"-{2,}", "-", slug).strip("-.") or "sprint-plan"
    return f"{slug}.md"


def print_doc_name(title: str) -> str:
    """The printer's document name, from which the print dialog makes the PDF file name: no
    dot (Qt's dialog keeps only what comes before the first one, so "Sprint 4.12.0 1/2" became
    "Sprint 4.pdf") and no slash (a folder)."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^\w-]+", "-", title)).strip("-") or "sprint-plan"


def write_atomically(path: Path, text: str) -> None:
    """Write next to the target, then rename over it: a crash never leaves half a file."""
    folder = path.parent
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def export_to_file(
    parent: QWidget | None, store: Store, sprint_id: int, *, unsaved: str | None = None
) -> Path | None:
    """Ask for a file name and write every part of the plan there as markdown (``unsaved``:
    the open plan's markdown with edits the database did not take, written instead)."""
    plan = rendered_plan(store, sprint_id)
    if plan is None:
        QMessageBox.warning(parent, tr("Export"), tr("That sprint no longer exists."))
        return None
    start = str(Path.home() / suggested_filename(plan.title))
    name, _filter = QFileDialog.getSaveFileName(
        parent, tr("Export the plan as markdown"), start, tr("Markdown (*.md);;All files (*)")
    )
    if not name:
        return None
    path = Path(name)
    if not path.suffix:
        path = path.with_suffix(".md")
    try:
        write_atomically(path, unsaved if unsaved is not None else render_markdown_file(plan))
    except OSError as exc:
        QMessageBox.critical(
            parent,
            tr("Export"),
            tr("Could not write %1: %2")
            .replace("%1", str(path))
            .replace("%2", exc.strerror or str(exc)),
        )
        return None
    return path


def copy_part(store: Store, sprint_id: int, key: str = "body") -> bool:
    """Copy one part's markdown (``"body"``, ``"team:<id>"``, ...) to the clipboard."""
    plan = rendered_plan(store, sprint_id)
    part = plan.part(key) if plan is not None else None
    if part is None:
        return False
    QGuiApplication.clipboard().setText(part.markdown)
    return True


def plan_document(plan: RenderedPlan) -> QTextDocument:
    """The whole plan as a sanitised rich-text document, for printing."""
    document = QTextDocument()
    document.setDefaultStyleSheet(
        "body { font-family: 'DejaVu Sans', sans-serif; } "
        "table { border-collapse: collapse; } th, td { border: 1px solid #888; padding: 3px; }"
    )
    text = render_markdown_file(plan)
    # The markdown starts with the plan's own "# Sprint ..." heading: a title added above it
    # was printed twice. Only a plan without one gets its title as the heading.
    first = text.lstrip().split("\n", 1)[0]
    heading = "" if first.startswith("# ") else f"<h1>{_escape(plan.title)}</h1>"
    document.setHtml(heading + github_html(text))
    return document


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def print_plan(
    parent: QWidget | None, store: Store, sprint_id: int, *, printer: QPrinter | None = None
) -> bool:
    """Print the plan. With no ``printer`` the print dialog asks (PDF included); a given
    printer (for example one set to ``QPrinter.OutputFormat.PdfFormat``) prints directly."""
    plan = rendered_plan(store, sprint_id)
    if plan is None:
        QMessageBox.warning(parent, tr("Print"), tr("That sprint no longer exists."))
        return False
    if printer is None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(print_doc_name(plan.title))
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(tr("Print the plan"))
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
    plan_document(plan).print_(printer)
    return True


def import_from_file(
    parent: QWidget | None,
    store: Store,
    report: Callable[[str], None] | None = None,
    review: Callable[[list[str]], None] | None = None,
) -> int | None:
    """Ask for a markdown file and create a sprint from it; returns its id, or None.
    ``report`` receives what was recognised, in words; ``review`` the same section by section
    with the lines kept as notes (see :func:`show_import_review`)."""
    name, _filter = QFileDialog.getOpenFileName(
        parent,
        tr("Import a plan from markdown"),
        str(Path.home()),
        tr("Markdown (*.md *.markdown *.txt);;All files (*)"),
    )
    if not name:
        return None
    return import_path(parent, store, Path(name), report, review)


_UNBROKEN = re.compile(r"\S{40,}")


def breakable(text: str, every: int = 30) -> str:
    """``text`` with a zero-width space every ``every`` characters inside runs without a space
    (a 300-character name from a file): a label then wraps it instead of clipping it."""

    def split(match: re.Match[str]) -> str:
        run = match.group(0)
        return "\u200b".join(run[i : i + every] for i in range(0, len(run), every))

    return _UNBROKEN.sub(split, text)


def show_import_review(parent: QWidget | None, name: str, lines: list[str]) -> QMessageBox:
    """A window (not modal) listing what the import recognised per section and the lines kept
    as notes, so the user can fix the rest by hand while looking at the plan."""
    box = QMessageBox(parent)
    box.setObjectName("importReview")
    box.setWindowTitle(tr("Import review"))
    box.setIcon(QMessageBox.Icon.Information)
    box.setText(tr("Imported %1.").replace("%1", breakable(name)))
    box.setInformativeText(
        breakable("\n".join(line for line in lines if not line.startswith("  ")))
    )
    box.setDetailedText("\n".join(lines))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.show()
    return box


def import_path(
    parent: QWidget | None,
    store: Store,
    path: Path,
    report: Callable[[str], None] | None = None,
    review: Callable[[list[str]], None] | None = None,
) -> int | None:
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise PlanImportError(
                tr("%1 is larger than 20 MB; that is not a sprint plan.").replace("%1", path.name)
            )
        text = decode(path.read_bytes(), source=path.name)
        parsed = parse_plan(text, default_name=path.stem)
        with store.unit_of_work() as session:
            sprint = apply_plan(session, parsed, source=path.name)
            sprint_id = sprint.id
            name = sprint.name
    except PlanImportError as exc:
        QMessageBox.warning(parent, tr("Import"), str(exc))
        return None
    except OSError as exc:
        QMessageBox.warning(
            parent,
            tr("Import"),
            tr("Could not read %1: %2")
            .replace("%1", str(path))
            .replace("%2", exc.strerror or str(exc)),
        )
        return None
    except (StoreError, SQLAlchemyError) as exc:
        QMessageBox.critical(
            parent,
            tr("Import"),
            tr("The plan could not be saved: %1").replace("%1", str(exc).splitlines()[0]),
        )
        return None
    if review is not None:
        review(import_review(parsed))
    if report is not None:
        report(
            tr("Imported %1: %2.")
            .replace("%1", name)
            .replace("%2", import_summary(parsed.counts(), parsed.problems, parsed.no_login))
        )
    return sprint_id
