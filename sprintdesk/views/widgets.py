"""Widgets shared by the section pages: pickers, bound text fields and inline findings
(editable tables are in :mod:`sprintdesk.views.tables`).

Every widget here edits through the :class:`~sprintdesk.editing.document.PlanDocument`, so what it
changes is undoable and autosaved; ``update_from_model``-style methods refresh what is shown
without stealing the user's cursor.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.breaks import breakable
from sprintdesk.plan.model import (
    OKR_EMOJI,
    STATUS_EMOJI,
    Confidence,
    Decision,
    OkrStatus,
    Person,
    Role,
    Status,
    Team,
)
from sprintdesk.plan.rules import Finding, Severity
from sprintdesk.plan.vocabulary import STATUS_WORDS
from sprintdesk.views.models import SEVERITY_LABEL, Choice

# --- labels for the enumerations -----------------------------------------------------------

STATUS_LABELS: dict[Status, str] = STATUS_WORDS
OKR_LABELS: dict[OkrStatus, str] = {
    OkrStatus.GREEN: "on track",
    OkrStatus.YELLOW: "at risk",
    OkrStatus.RED: "off track",
    OkrStatus.UNKNOWN: "status unknown",
}
CONFIDENCE_LABELS: dict[Confidence, str] = {
    Confidence.MOONSHOT: "🌙 moonshot",
    Confidence.LIKELY: "👍 likely",
    Confidence.CERTAIN: "✅ certain",
}
DECISION_LABELS: dict[Decision | None, str] = {
    None: "❔ undecided",
    Decision.PRIORITISE: "⬆ prioritise",
    Decision.DEPRIORITISE: "⬇ deprioritise",
}


def status_text(value: str | None) -> str:
    if not value:
        return ""
    status = Status(value)
    return f"{STATUS_EMOJI[status]} {STATUS_LABELS[status]}"


def okr_text(value: str | None) -> str:
    if not value:
        return ""
    status = OkrStatus(value)
    return f"{OKR_EMOJI[status]} {OKR_LABELS[status]}"


def status_choices() -> list[Choice]:
    return [Choice(s.value, status_text(s.value)) for s in Status]


def okr_choices() -> list[Choice]:
    return [Choice(s.value, okr_text(s.value)) for s in OkrStatus]


def confidence_choices() -> list[Choice]:
    return [Choice(c.value, CONFIDENCE_LABELS[c]) for c in Confidence]


def decision_choices() -> list[Choice]:
    return [Choice(d.value if d else None, label) for d, label in DECISION_LABELS.items()]


def person_text(person: Person | None) -> str:
    return person.name if person is not None else ""


def owner_refusal(person: Person) -> str:
    """Why a person cannot own a goal ("" when they can)."""
    if person.is_engineer:
        return ""
    role = person.role if person.role in {r.value for r in Role} else "not an engineer"
    return f"{role}, owners must be engineers"


def person_choices(
    people: Sequence[Person], *, engineers_only: bool = False, none_label: str = "— nobody —"
) -> list[Choice]:
    choices = [Choice(None, none_label)]
    for person in people:
        reason = owner_refusal(person) if engineers_only else ""
        label = f"{person.name} — {reason}" if reason else person.name
        choices.append(Choice(person.id, label, reason))
    return choices


# --- pickers -------------------------------------------------------------------------------


class ChoiceList(QObject):
    """The entries of one or more :class:`ChoicePicker` s: a list of :class:`Choice` and the
    item model the combo boxes show. Pages share one list between the pickers of all their
    cards, so 200 goal cards hold one model of people instead of 200.

    Signals:
        aboutToChange(): the entries are about to be replaced.
        changed(): the entries were replaced.
    """

    aboutToChange = Signal()
    changed = Signal()

    def __init__(self, choices: Sequence[Choice] = (), *, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = QStandardItemModel(self)
        self.choices: list[Choice] = []
        self.width_chars = 0
        self.set_choices(choices)

    def set_choices(self, choices: Sequence[Choice]) -> bool:
        """Replace the entries; False (and nothing happens) when they are the same."""
        new = list(choices)
        if [(c.value, c.label, c.disabled_reason) for c in new] == [
            (c.value, c.label, c.disabled_reason) for c in self.choices
        ]:
            return False
        self.aboutToChange.emit()
        self.model.clear()
        self.choices = new
        for choice in new:
            item = QStandardItem(choice.label)
            item.setData(choice.value, Qt.ItemDataRole.UserRole)
            if not choice.enabled:
                item.setEnabled(False)
                item.setToolTip(choice.disabled_reason)
            self.model.appendRow(item)
        # Pickers sharing the list size themselves from this instead of measuring every entry
        # (the popup still widens to show the longest one).
        self.width_chars = min(max((len(c.label) for c in new), default=0), 26)
        self.changed.emit()
        return True


def search_words(label: str) -> str:
    """What typing matches in a choice's label: the text from its first letter or digit on
    ("🟢 Finished" → "finished"), in lower case. Qt's own search matches the label's start,
    and a label that starts with an emoji could never be reached by typing."""
    start = next((i for i, ch in enumerate(label) if ch.isalnum()), len(label))
    return label[start:].casefold()


class _SearchListView(QListView):
    """The picker's pop-up list: typing finds an entry by its words, emoji or not."""

    def keyboardSearch(self, search: str) -> None:
        picker = self.parent()
        while picker is not None and not isinstance(picker, ChoicePicker):
            picker = picker.parent()
        if picker is None:
            super().keyboardSearch(search)
            return
        row = picker.search_row(search, self.currentIndex().row())
        if row >= 0:
            self.setCurrentIndex(self.model().index(row, 0))


class ChoicePicker(QComboBox):
    """A combo box of :class:`Choice` entries; disabled entries can never become current.

    Typing chooses the first enabled entry whose words start with what was typed, whether or
    not its label starts with an emoji ("🟢 Finished": type "f"); typing the same letter again
    goes on to the next such entry.

    The entries come from a :class:`ChoiceList`, its own or one ``shared`` with other pickers.

    Signals:
        valuePicked(object): the user chose an enabled entry (its value).
        refused(str): something tried to choose a disabled entry; the reason.
    """

    valuePicked = Signal(object)
    refused = Signal(str)

    def __init__(
        self,
        choices: Sequence[Choice] = (),
        *,
        shared: ChoiceList | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._list = shared if shared is not None else ChoiceList(choices, parent=self)
        self._kept: Any = None
        self._last = -1
        if shared is None:
            self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        else:
            self.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            self.setMinimumContentsLength(shared.width_chars)
        self.setView(_SearchListView(self))
        self.setModel(self._list.model)
        self._typed = ""
        self._typed_at = 0.0
        self._list.aboutToChange.connect(self._before_change)
        self._list.changed.connect(self._after_change)
        self.set_value(None)
        self.currentIndexChanged.connect(self._guard)
        self.activated.connect(self._on_activated)

    @property
    def _choices(self) -> list[Choice]:
        return self._list.choices

    def sizeHint(self) -> QSize:
        # Colour emoji are drawn wider than the metrics Qt measures the entries with: leave room.
        hint = super().sizeHint()
        return QSize(hint.width() + self.fontMetrics().height(), hint.height())

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(hint.width() + self.fontMetrics().height(), hint.height())

    def set_choices(self, choices: Sequence[Choice]) -> None:
        """Replace the entries (of every picker sharing them), keeping the shown value."""
        self._list.set_choices(choices)

    def _before_change(self) -> None:
        self._kept = self.value()
        self.blockSignals(True)

    def _after_change(self) -> None:
        self.blockSignals(False)
        if self.sizeAdjustPolicy() != QComboBox.SizeAdjustPolicy.AdjustToContents:
            self.setMinimumContentsLength(self._list.width_chars)
        self.set_value(self._kept)

    def choices(self) -> list[Choice]:
        return list(self._choices)

    def value(self) -> Any:
        row = self.currentIndex()
        return self._choices[row].value if 0 <= row < len(self._choices) else None

    def index_of(self, value: Any) -> int:
        for row, choice in enumerate(self._choices):
            if choice.value == value:
                return row
        return -1

    def set_value(self, value: Any) -> None:
        """Show ``value`` (no signal): a stored value is shown even when it is disabled."""
        row = self.index_of(value)
        if row == self.currentIndex() and row == self._last:
            return
        self.blockSignals(True)
        self.setCurrentIndex(row)
        self._last = row
        self.blockSignals(False)

    def pick(self, value: Any) -> bool:
        """Choose ``value`` as the user would; False (and nothing changes) when refused."""
        row = self.index_of(value)
        if row < 0:
            return False
        choice = self._choices[row]
        if not choice.enabled:
            self.refused.emit(choice.disabled_reason)
            return False
        self.set_value(value)
        self.valuePicked.emit(value)
        return True

    def search_row(self, text: str, after: int) -> int:
        """The first enabled entry after ``after`` (wrapping) whose words start with ``text``;
        -1 if none."""
        wanted = text.casefold()
        count = len(self._choices)
        for step in range(1, count + 1):
            row = (after + step) % count
            choice = self._choices[row]
            if choice.enabled and search_words(choice.label).startswith(wanted):
                return row
        return -1

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        plain = not event.modifiers() & (
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
        )
        if plain and text and text.isprintable() and not text.isspace():
            now = time.monotonic()
            fresh = now - self._typed_at > QApplication.keyboardInputInterval() / 1000
            self._typed = text if fresh else self._typed + text
            self._typed_at = now
            current = self.currentIndex()
            if len(set(self._typed.casefold())) == 1:
                # "f", or "f" typed again: the next entry with that letter, round and round.
                search, start = text, current
            else:
                # A word being typed: the current entry may still match it.
                search, start = self._typed, current - 1
            row = self.search_row(search, start)
            if row >= 0 and row != self.currentIndex():
                self.setCurrentIndex(row)
                self._on_activated(row)  # chosen by the user, as with the mouse
            event.accept()
            return
        super().keyPressEvent(event)

    def _guard(self, row: int) -> None:
        # Keyboard search, wheel or a programmatic setCurrentIndex must not land on a disabled
        # entry either.
        if 0 <= row < len(self._choices) and not self._choices[row].enabled:
            reason = self._choices[row].disabled_reason
            self.blockSignals(True)
            self.setCurrentIndex(self._last)
            self.blockSignals(False)
            self.refused.emit(reason)
            return
        self._last = row

    def _on_activated(self, row: int) -> None:
        if 0 <= row < len(self._choices) and self._choices[row].enabled:
            self.valuePicked.emit(self._choices[row].value)


class PersonPicker(ChoicePicker):
    """Choose a person; with ``engineers_only`` the others are listed disabled with the reason
    (``Marco Rossi — designer, owners must be engineers``)."""

    def __init__(
        self,
        *,
        engineers_only: bool = False,
        none_label: str = "— nobody —",
        shared: ChoiceList | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__((), shared=shared, parent=parent)
        self.engineers_only = engineers_only
        self.none_label = none_label

    def set_people(self, people: Sequence[Person]) -> None:
        self.set_choices(
            person_choices(people, engineers_only=self.engineers_only, none_label=self.none_label)
        )


# --- bound text fields ---------------------------------------------------------------------


class BoundLineEdit(QLineEdit):
    """A line edit bound to ``obj.attr``: typing is an undoable edit (merged per word run)."""

    def __init__(
        self,
        doc: PlanDocument,
        attr: str,
        *,
        label: str,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.attr = attr
        self.obj: Any = None
        self.edit_label = label
        self._placeholder = placeholder
        self.setPlaceholderText(placeholder)
        self.setAccessibleName(label)
        self.textEdited.connect(self._on_edited)

    def set_presentation(self, on: bool) -> None:
        # An empty field reads "—" on the shared screen instead of an editing hint.
        self.setPlaceholderText("—" if on else self._placeholder)
        if self.hasFrame() == on:
            self.setFrame(not on)

    def bind(self, obj: Any) -> None:
        self.obj = obj
        self.update_from_model()

    def update_from_model(self) -> None:
        value = "" if self.obj is None else (getattr(self.obj, self.attr) or "")
        if value != self.text():
            cursor = self.cursorPosition()
            self.setText(value)
            self.setCursorPosition(min(cursor, len(value)))

    def _on_edited(self, text: str) -> None:
        if self.obj is not None:
            self.doc.set_attr(self.obj, self.attr, text, self.edit_label)


class BoundTextEdit(QPlainTextEdit):
    """A multi-line text bound to ``obj.attr`` (notes), undoable like :class:`BoundLineEdit`."""

    def __init__(
        self,
        doc: PlanDocument,
        attr: str,
        *,
        label: str,
        placeholder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.attr = attr
        self.obj: Any = None
        self.edit_label = label
        self._updating = False
        self._placeholder = placeholder
        self.setPlaceholderText(placeholder)
        self.setAccessibleName(label)
        self.setTabChangesFocus(True)
        # The editor's own undo would fight the document's Ctrl+Z.
        self.setUndoRedoEnabled(False)
        self.textChanged.connect(self._on_changed)

    def bind(self, obj: Any) -> None:
        self.obj = obj
        self.update_from_model()

    def update_from_model(self) -> None:
        value = "" if self.obj is None else (getattr(self.obj, self.attr) or "")
        if value != self.toPlainText():
            cursor = self.textCursor().position()
            self._updating = True
            self.setPlainText(value)
            self._updating = False
            text_cursor = self.textCursor()
            text_cursor.setPosition(min(cursor, len(value)))
            self.setTextCursor(text_cursor)

    def _on_changed(self) -> None:
        if self.obj is not None and not self._updating:
            self.doc.set_attr(self.obj, self.attr, self.toPlainText(), self.edit_label)


# --- findings ------------------------------------------------------------------------------


class FindingLabel(QLabel):
    """One finding, its severity said in words and in colour (property ``severity``; the
    colours come from the page body's style sheet, see :data:`sprintdesk.views.base.BODY_QSS`).
    """

    def __init__(
        self,
        finding: Finding,
        *,
        wording: Callable[[Finding], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("finding")
        self.setWordWrap(True)
        self._wording = wording
        self.finding = finding
        self.setProperty("severity", finding.severity.value)
        self._show(finding)

    def set_finding(self, finding: Finding) -> None:
        if finding == self.finding:
            return
        if finding.severity != self.finding.severity:
            self.setProperty("severity", finding.severity.value)
            # A changed property only restyles after a re-polish.
            self.style().unpolish(self)
            self.style().polish(self)
        self.finding = finding
        self._show(finding)

    def _show(self, finding: Finding) -> None:
        message = self._wording(finding) if self._wording is not None else finding.message
        text = f"{self.tr(SEVERITY_LABEL[finding.severity])}: {message}"
        self.setText(breakable(text))  # a long unbroken name wraps, not widens the page
        self.setAccessibleName(text)


# Findings added from the event loop are shown a column of this many at a time.
FINDINGS_PER_COLUMN = 40


class FindingsBox(QWidget):
    """A column of :class:`FindingLabel` s (errors first), hidden when there is nothing to say.

    Labels are reused when the findings change, so a refresh creates no widgets. With
    ``at_once`` set, only that many new labels are made at once and the rest in small batches
    from the event loop (a large sprint has hundreds of findings), into a column of their own
    that shows when the last batch is in: a label shown in a visible box has Qt lay the whole
    page out again (measuring every wrapped line on it), which, label by label, blocked the
    window for over a second. ``wording`` gives the text shown for a finding (by default its
    message).
    """

    def __init__(
        self,
        *,
        at_once: int | None = None,
        wording: Callable[[Finding], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._wording = wording
        from sprintdesk.views.base import Batcher

        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(2)
        self._findings: list[Finding] = []
        self._labels: list[FindingLabel] = []
        # Columns of labels added in batches, in order after the box's own labels.
        self._tails: list[QWidget] = []
        self.at_once = at_once
        self.batcher = Batcher(parent=self)
        self.setVisible(False)

    def pending(self) -> bool:
        return self.batcher.pending()

    def finish(self) -> None:
        self.batcher.finish()

    def set_findings(self, findings: Sequence[Finding]) -> None:
        new = list(findings)
        if new == self._findings:
            return
        self._findings = new
        self.batcher.cancel()
        for tail in self._tails:  # a cancelled batch's labels show now
            tail.setVisible(True)
        ordered = sorted(new, key=lambda f: f.severity != Severity.ERROR)
        for label, finding in zip(self._labels, ordered, strict=False):
            label.set_finding(finding)
        missing = ordered[len(self._labels) :]
        now = len(missing) if self.at_once is None else self.at_once
        column = self._tails[-1] if self._tails else self
        self._add_labels(column, missing[:now])
        later = missing[now:]
        fillings: list[QWidget] = []
        steps: list[Callable[[], None]] = []
        # Hidden columns of a few dozen labels, each shown once full: showing one lays the page
        # out once (a column per batch of ten would lay it out, at the full size of the page,
        # once per batch), and no single show holds the event loop long (one column of all
        # the large sprint's 280 findings took a turn of over 100 ms to show).
        for start in range(0, len(later), FINDINGS_PER_COLUMN):
            part = later[start : start + FINDINGS_PER_COLUMN]
            filling = QWidget(self)
            filling.setVisible(False)
            column_layout = QVBoxLayout(filling)
            column_layout.setContentsMargins(0, 0, 0, 0)
            column_layout.setSpacing(self._layout.spacing())
            self._layout.addWidget(filling)
            self._tails.append(filling)
            fillings.append(filling)
            batch = 10
            steps += [
                partial(self._add_labels, filling, part[i : i + batch])
                for i in range(0, len(part), batch)
            ]
            steps.append(partial(filling.setVisible, True))
        self.batcher.schedule(steps)
        for label in self._labels[len(ordered) :]:
            holder = label.parentWidget()
            layout = holder.layout() if holder is not None else None
            if layout is not None:
                layout.removeWidget(label)
            label.deleteLater()
        del self._labels[len(ordered) :]
        holders = {id(label.parentWidget()) for label in self._labels}
        for tail in list(self._tails):  # columns left empty go
            if not any(tail is f for f in fillings) and id(tail) not in holders:
                self._layout.removeWidget(tail)
                tail.deleteLater()
                self._tails.remove(tail)
        self.setVisible(bool(new))

    def _add_labels(self, column: QWidget, findings: Sequence[Finding]) -> None:
        layout = column.layout()
        assert layout is not None
        for finding in findings:
            label = FindingLabel(finding, wording=self._wording, parent=column)
            layout.addWidget(label)
            self._labels.append(label)

    def labels(self) -> list[FindingLabel]:
        return list(self._labels)


# --- small helpers ---------------------------------------------------------------------------


def section_heading(text: str, *, parent: QWidget | None = None) -> QLabel:
    """A bold heading whose size follows the application font (the themes scale it)."""
    label = QLabel(text, parent)
    label.setObjectName("sectionHeading")
    label.setProperty("role", "heading")
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * 1.15 if font.pointSizeF() > 0 else font.pointSizeF())
    label.setFont(font)
    return label


def active_people(doc: PlanDocument) -> list[Person]:
    """Everyone active, by name: who a page's pickers offer. On a team database they are
    taken from what the open sprint's load read into the document (everyone, up front:
    ``planning.load_sprint``; somebody else's changes come in as ``storage.refresh`` applies
    them), with no query: a page refreshes on every change, and every statement would be a
    round trip on the UI thread. On this computer's database, read as before."""
    from sqlalchemy import select

    held = _held(doc, Person, {"id", "name", "active"})
    if held is not None:
        return sorted((p for p in held if p.active), key=lambda p: (p.name, p.id))
    return list(
        doc.session.scalars(select(Person).where(Person.active.is_(True)).order_by(Person.name))
    )


def active_teams(doc: PlanDocument) -> list[Team]:
    """Every active team in the agenda's order: on a team database from what the sprint's
    load read, with no query (as :func:`active_people`); on this computer's, read."""
    from sqlalchemy import select

    held = _held(doc, Team, {"id", "name", "position", "active"})
    if held is not None:
        return sorted((t for t in held if t.active), key=lambda t: (t.position, t.name, t.id))
    return list(
        doc.session.scalars(
            select(Team).where(Team.active.is_(True)).order_by(Team.position, Team.name)
        )
    )


def _held(doc: PlanDocument, cls: type[Any], needs: set[str]) -> list[Any] | None:
    """On a team database with a sprint loaded, every ``cls`` row the document's session
    holds (``planning.load_sprint`` reads all people and teams up front; ``storage.refresh``
    brings in somebody else's); None where a query is the answer: this computer's database,
    or rows expired by a rollback (each would be read again: one query is shorter)."""
    from sqlalchemy import inspect

    session = doc.session
    if not doc.store.is_server or "roster" not in session.info:
        return None
    held = [obj for obj in session.identity_map.values() if isinstance(obj, cls)]
    if not all(needs <= inspect(obj).dict.keys() for obj in held):
        return None
    return held


def team_choices(teams: Sequence[Team], *, none_label: str = "— no team —") -> list[Choice]:
    return [Choice(None, none_label), *(Choice(team.id, team.name) for team in teams)]


# Role names as the roster and its dialogs show them (translated where shown).
ROLE_LABELS = {
    Role.ENGINEER: "Engineer",
    Role.DESIGNER: "Designer",
    Role.PRODUCT: "Product",
    Role.OTHER: "Other",
}


def show_message(label: QLabel, text: str, *, error: bool) -> None:
    """A message under a form: bold red for errors."""
    label.setText(text)
    label.setStyleSheet("color: #b3261e; font-weight: bold;" if error else "")


# --- a trailing @login as the owner (retro actions, team items) ---------------------------

# "Write the runbook @ana-souza." -> ("Write the runbook", "ana-souza")
_TRAILING_LOGIN = re.compile(r"\s+@(?P<login>[\w][\w.-]*?)[.,;]?\s*$")


def split_owner(text: str, people: Sequence[Person]) -> tuple[str, Person | None]:
    """The text without a trailing ``@login`` and the person it names; the text unchanged and
    None when there is no such ending or nobody has that login."""
    match = _TRAILING_LOGIN.search(text)
    if match is None:
        return text, None
    login = match["login"].casefold()
    person = next((p for p in people if (p.github_login or "").casefold() == login), None)
    if person is None:
        return text, None
    return text[: match.start()].rstrip(), person


def set_text_and_owner(
    doc: PlanDocument, row: Any, attr: str, value: Any, people: Sequence[Person], label: str
) -> None:
    """Edit ``row.<attr>``; a trailing ``@login`` of a known person becomes ``row.owner``
    instead of staying in the text (text and owner change in one undoable step), so the owner
    is never written twice ("… @lena-k @lena-k")."""
    text, owner = split_owner(str(value), people)
    if owner is None:
        doc.set_attr(row, attr, value, label)
        return
    before = (getattr(row, attr), row.owner)

    def apply() -> None:
        setattr(row, attr, text)
        row.owner = owner

    def revert() -> None:
        setattr(row, attr, before[0])
        row.owner = before[1]

    doc.edit(label, apply, revert)
