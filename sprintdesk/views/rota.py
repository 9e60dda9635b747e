"""The sprint-wide support rota: who is support hero each week for the whole sprint (no team),
as imported from "Week 1: A / Week 2: B" under a plan's "Support hero" heading.

A small grid, one row per week (its number and dates) with a person picker; every change goes
through the :class:`~sprintdesk.editing.document.PlanDocument` (undoable, autosaved). Tab moves
from week to week; the pickers' arrow keys choose. Shown on the priorities page, beside the
sprint's other sprint-wide settings; an agenda without one (the per-team template) shows it on
the page of its first team section instead (:func:`rota_home`), so every sprint can edit it.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QWidget
from sqlalchemy.orm import Session

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan import roster
from sprintdesk.plan.model import AgendaSection, Person, SectionKind, Sprint, SupportDuty
from sprintdesk.plan.workdays import week_count

NOBODY = "—"


def rota_weeks(sprint: Sprint) -> int:
    """How many weeks the rota shows: the sprint's, or as many as the rota already names (a
    sprint without dates, an imported rota longer than the dates say), and at least one."""
    named = max((d.week for d in sprint.support_duties if d.team_id is None and d.team is None),
                default=0)  # fmt: skip
    return max(week_count(sprint), named, 1)


def sprint_duty(sprint: Sprint, week: int) -> SupportDuty | None:
    """The sprint-wide (team-less) duty of ``week``, if anybody has it."""
    return next(
        (
            d
            for d in sprint.support_duties
            if d.week == week and d.team is None and d.team_id is None
        ),
        None,
    )


def rota_home(sprint: Sprint) -> AgendaSection | None:
    """The agenda section whose page holds the sprint-wide rota: the priorities section, or in
    an agenda without one the first team section (where a per-team sprint's meeting opens);
    None when the agenda has neither."""
    sections = list(sprint.sections)
    for kind in (SectionKind.PRIORITIES, SectionKind.TEAM):
        found = next((s for s in sections if s.kind == kind.value), None)
        if found is not None:
            return found
    return None


def _week_dates(sprint: Sprint, week: int) -> tuple[date, date] | None:
    if sprint.start is None:
        return None
    first = sprint.start + timedelta(days=7 * (week - 1))
    last = first + timedelta(days=6)
    if sprint.end is not None:
        last = min(last, sprint.end)
    return (first, last) if first <= last else None


def _active_people(session: Session) -> list[tuple[int, str]]:
    """Everyone who may be support hero (id, name), read beside the plan."""
    return [(p.id, p.name) for p in roster.people(session, include_archived=False)]


class SprintRotaEditor(QGroupBox):
    """One person picker per week of the sprint; no signals of its own (edits go through the
    document, whose ``changed`` refreshes every view)."""

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.setObjectName("sprintRota")
        self.setTitle(self.tr("Support rota (whole sprint)"))
        self.setAccessibleName(self.tr("Support rota for the whole sprint"))
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(2, 1)
        self.hint = QLabel(self)
        self.hint.setObjectName("sprintRotaHint")
        self.hint.setWordWrap(True)
        self.boxes: list[QComboBox] = []
        self.labels: list[QLabel] = []
        self._people: list[tuple[int, str]] = []  # who may be chosen, as last read
        self._built: list[tuple[int, str]] | None = None  # whom the pickers list
        self._filling = False

    # --- showing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Show the open sprint's rota. Who may be chosen (everyone active) is read beside the
        plan, behind the window on a team database: the pickers keep the people they list
        until the answer lands."""
        if self.doc.sprint is None:
            return
        calling = [True]  # an answer during the call: this computer's database, read at once

        def landed(people: object) -> None:
            assert isinstance(people, list)
            if calling[0]:
                self._people = people  # shown just below
            elif people != self._people:
                self._people = people
                self._show()

        self.doc.read_later(_active_people, landed=landed, failed=lambda _m: None, owner=self)
        calling[0] = False
        self._show()

    def _show(self) -> None:
        sprint = self.doc.sprint
        if sprint is None:
            return
        people = self._people
        weeks = rota_weeks(sprint)
        if len(self.boxes) != weeks or people != self._built:
            self._build(weeks, people)
        self._filling = True
        try:
            for week, (label, box) in enumerate(zip(self.labels, self.boxes, strict=True), 1):
                label.setText(self._week_text(sprint, week))
                duty = sprint_duty(sprint, week)
                chosen = duty.person if duty is not None else None
                while box.count() > len(people) + 1:  # an archived one, listed before
                    box.removeItem(len(people) + 1)
                index = box.findData(chosen.id) if chosen is not None else 0
                if index < 0:  # an archived person still on the rota
                    box.addItem(
                        chosen.name if chosen is not None else "?", chosen.id if chosen else None
                    )
                    index = box.count() - 1
                box.setCurrentIndex(index)
        finally:
            self._filling = False
        self.hint.setText(
            self.tr("The sprint has no dates yet: the rota's weeks follow its dates once set.")
            if sprint.start is None or sprint.end is None
            else self.tr("A team's own support hero for a week comes before this rota.")
        )

    def _week_text(self, sprint: Sprint, week: int) -> str:
        dates = _week_dates(sprint, week)
        text = self.tr("Week %1").replace("%1", str(week))
        if dates is None:
            return text
        first, last = dates
        return f"{text}  ({first:%b} {first.day} – {last:%b} {last.day})"

    def _build(self, weeks: int, people: list[tuple[int, str]]) -> None:
        for widget in [*self.labels, *self.boxes]:
            self.grid.removeWidget(widget)
            widget.deleteLater()
        self.grid.removeWidget(self.hint)
        self.labels, self.boxes, self._built = [], [], list(people)
        for week in range(1, weeks + 1):
            label = QLabel(self)
            box = QComboBox(self)
            box.setObjectName(f"sprintRotaWeek{week}")
            box.setAccessibleName(self.tr("Support hero, week %1").replace("%1", str(week)))
            box.addItem(NOBODY, None)
            for person_id, name in people:
                box.addItem(name, person_id)
            label.setBuddy(box)
            box.currentIndexChanged.connect(lambda _i, wk=week, b=box: self._chosen(wk, b))
            self.grid.addWidget(label, week - 1, 0)
            self.grid.addWidget(box, week - 1, 1)
            self.labels.append(label)
            self.boxes.append(box)
        self.grid.addWidget(self.hint, weeks, 0, 1, 3)
        for before, after in zip(self.boxes, self.boxes[1:], strict=False):
            QWidget.setTabOrder(before, after)

    # --- editing ---------------------------------------------------------------------------

    def _chosen(self, week: int, box: QComboBox) -> None:
        if self._filling:
            return
        person_id = box.currentData()
        person = self.doc.session.get(Person, person_id) if person_id is not None else None
        self.set_week(week, person)

    def set_week(self, week: int, person: Person | None) -> None:
        """``person`` is support hero for the whole sprint in ``week`` (None: nobody), as one
        undoable edit."""
        sprint = self.doc.sprint
        if sprint is None:
            return
        duty = sprint_duty(sprint, week)
        text = self.tr("Support rota, week %1").replace("%1", str(week))
        if duty is None:
            if person is not None:
                self.doc.insert_row(
                    sprint.support_duties,
                    SupportDuty(team=None, week=week, person=person),
                    text=text,
                )
        elif person is None:
            self.doc.remove_row(sprint.support_duties, duty, text=text)
        elif duty.person is not person:
            self.doc.set_attr(duty, "person", person, text)
