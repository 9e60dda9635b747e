"""The proposed goals page: title, owner (engineers only), contributors with shares, why, target
and confidence per goal, with the plan checks' findings shown under each goal."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.model import Confidence, Goal, GoalContributor, Person
from sprintdesk.rules import Finding
from sprintdesk.ui.document import PlanDocument
from sprintdesk.views.base import SectionPage
from sprintdesk.views.editing import restore_list
from sprintdesk.views.widgets import (
    BoundLineEdit,
    ChoicePicker,
    FindingsBox,
    PersonPicker,
    active_people,
    card_frame,
    confidence_choices,
)

_SHARE = re.compile(r"^(?P<who>.+?)\s*[:=]?\s*(?P<share>\d{1,3})\s*%?$")


class ContributorError(ValueError):
    """The contributors text could not be read; the message is meant for the user."""


def format_contributors(goal: Goal) -> str:
    return ", ".join(f"{c.person.handle} {c.share}" for c in goal.contributors)


def find_person(who: str, people: Sequence[Person]) -> Person:
    key = who.strip().lstrip("@").strip().lower()
    if not key:
        raise ContributorError("A contributor has no name.")
    for person in people:
        if (person.github_login or "").lower() == key or person.name.lower() == key:
            return person
    matches = [
        p
        for p in people
        if p.name.lower().split()[0] == key
        or (p.github_login or "").lower().startswith(key)
        or p.name.lower().startswith(key)
    ]
    if len(matches) == 1:
        return matches[0]
    if matches:
        names = ", ".join(p.name for p in matches)
        raise ContributorError(f"“{who.strip()}” could be {names}: write more of the name.")
    raise ContributorError(f"Nobody called “{who.strip()}”.")


def parse_contributors(text: str, people: Sequence[Person]) -> list[tuple[Person, int]]:
    """``@ana 50, @bo 50`` → [(Ana, 50), (Bo, 50)]; ContributorError on bad input."""
    result: list[tuple[Person, int]] = []
    for token in re.split(r"[,;]", text):
        token = token.strip()
        if not token:
            continue
        match = _SHARE.match(token)
        if match is None:
            raise ContributorError(f"Give “{token}” a share, e.g. “{token} 50”.")
        person = find_person(match["who"], people)
        share = int(match["share"])
        if share > 100:
            raise ContributorError(f"{person.name}'s share {share} is more than 100.")
        if any(p is person for p, _ in result):
            raise ContributorError(f"{person.name} is listed twice.")
        result.append((person, share))
    return result


def _people_of(goal: Goal) -> set[int]:
    """The owner's and the contributors' ids: findings about them show on the goal."""
    ids = {c.person_id for c in goal.contributors if c.person_id is not None}
    if goal.owner_id is not None:
        ids.add(goal.owner_id)
    return ids


class GoalCard(QWidget):
    """One proposed goal."""

    def __init__(self, page: GoalsPage, goal: Goal) -> None:
        super().__init__(page.body)
        self.page = page
        self.doc = page.doc
        self.goal = goal
        self._memo: dict[int, GoalContributor] = {}
        self.setObjectName("goalCard")
        frame = card_frame(parent=self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        grid = QGridLayout(frame)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)

        top = QHBoxLayout()
        self.carried = QLabel("🔁", frame)
        self.carried.setObjectName("goalCarried")
        self.carried.setToolTip(self.tr("Carried over from the previous sprint"))
        top.addWidget(self.carried)
        self.title = BoundLineEdit(
            self.doc,
            "title",
            label=self.tr("Goal title"),
            placeholder=self.tr("Goal title"),
            parent=frame,
        )
        self.title.setObjectName("goalTitle")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        top.addWidget(self.title, 1)
        self.delete_button = QPushButton(self.tr("Remove"), frame)
        self.delete_button.setObjectName("goalDelete")
        self.delete_button.setAccessibleName(self.tr("Remove this goal"))
        self.delete_button.clicked.connect(self.remove)
        top.addWidget(self.delete_button)
        grid.addLayout(top, 0, 0, 1, 4)

        grid.addWidget(self._label(self.tr("Owner"), frame), 1, 0)
        self.owner = PersonPicker(
            engineers_only=True, none_label=self.tr("— no owner —"), parent=frame
        )
        self.owner.setObjectName("ownerPicker")
        self.owner.setAccessibleName(self.tr("Goal owner"))
        self.owner.valuePicked.connect(self._on_owner)
        self.owner.refused.connect(self._on_refused)
        grid.addWidget(self.owner, 1, 1)
        grid.addWidget(self._label(self.tr("Confidence"), frame), 1, 2)
        self.confidence = ChoicePicker(confidence_choices(), parent=frame)
        self.confidence.setObjectName("confidencePicker")
        self.confidence.setAccessibleName(self.tr("Confidence"))
        self.confidence.valuePicked.connect(self._on_confidence)
        grid.addWidget(self.confidence, 1, 3)

        grid.addWidget(self._label(self.tr("Contributors"), frame), 2, 0)
        self.contributors = QLineEdit(frame)
        self.contributors.setObjectName("contributors")
        self.contributors.setAccessibleName(self.tr("Contributors with shares"))
        self.contributors.setPlaceholderText(self.tr("@login 50, @login 50"))
        self.contributors.editingFinished.connect(self.commit_contributors)
        grid.addWidget(self.contributors, 2, 1, 1, 3)

        grid.addWidget(self._label(self.tr("Why"), frame), 3, 0)
        self.why = BoundLineEdit(
            self.doc,
            "why",
            label=self.tr("Why"),
            placeholder=self.tr("Why this goal matters"),
            parent=frame,
        )
        self.why.setObjectName("goalWhy")
        grid.addWidget(self.why, 3, 1, 1, 3)
        grid.addWidget(self._label(self.tr("Target"), frame), 4, 0)
        self.target = BoundLineEdit(
            self.doc,
            "target",
            label=self.tr("Target"),
            placeholder=self.tr("A measurable target"),
            parent=frame,
        )
        self.target.setObjectName("goalTarget")
        grid.addWidget(self.target, 4, 1, 1, 3)

        self.message = QLabel(frame)
        self.message.setObjectName("goalMessage")
        self.message.setProperty("severity", "error")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        grid.addWidget(self.message, 5, 0, 1, 4)
        self.findings = FindingsBox(parent=frame)
        self.findings.setObjectName("goalFindings")
        grid.addWidget(self.findings, 6, 0, 1, 4)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(3, 1)
        for field in (self.title, self.why, self.target):
            field.bind(goal)

    @staticmethod
    def _label(text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setProperty("role", "fieldLabel")
        return label

    # --- showing --------------------------------------------------------------------------

    def update_from_model(self, people: Sequence[Person], findings: Sequence[Finding]) -> None:
        goal = self.goal
        self.carried.setVisible(bool(goal.carried_over or goal.carried_from_id))
        for field in (self.title, self.why, self.target):
            field.update_from_model()
        self.owner.set_people(people)
        self.owner.set_value(goal.owner.id if goal.owner is not None else None)
        self.confidence.set_value(goal.confidence)
        if not self.contributors.hasFocus() or not self.message.isVisible():
            text = format_contributors(goal)
            if text != self.contributors.text() and not self.contributors.isModified():
                self.contributors.setText(text)
        self.findings.set_findings(findings)

    def set_presentation(self, on: bool) -> None:
        self.delete_button.setVisible(not on)
        for field in (self.title, self.why, self.target):
            field.set_presentation(on)
        self.contributors.setPlaceholderText("—" if on else self.tr("@login 50, @login 50"))
        self.contributors.setFrame(not on)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("QLabel { color: #d32f2f; font-weight: bold; }")
        self.message.setVisible(bool(text))

    # --- editing --------------------------------------------------------------------------

    def _on_owner(self, person_id: Any) -> None:
        self.set_owner(person_id)

    def set_owner(self, person_id: int | None) -> bool:
        """Make ``person_id`` the owner; refuses (False, with the reason shown) non-engineers."""
        person = self.doc.session.get(Person, person_id) if person_id is not None else None
        if person is not None and not person.is_engineer:
            self._on_refused(f"{person.name} is {person.role}: owners must be engineers.")
            self.owner.set_value(self.goal.owner.id if self.goal.owner is not None else None)
            return False
        self.show_message("")
        self.doc.set_attr(self.goal, "owner", person, self.tr("Set goal owner"))
        return True

    def _on_refused(self, reason: str) -> None:
        self.show_message(self.tr("Cannot choose this owner: {0}").format(reason))

    def _on_confidence(self, value: Any) -> None:
        self.doc.set_attr(
            self.goal, "confidence", Confidence(value).value, self.tr("Set confidence")
        )

    def commit_contributors(self) -> None:
        """Read the contributors text; a mistake is explained and the text kept as typed."""
        text = self.contributors.text()
        try:
            spec = parse_contributors(text, active_people(self.doc))
        except ContributorError as exc:
            self.show_message(str(exc))
            return
        self.show_message("")
        self.contributors.setModified(False)
        goal = self.goal
        old = [(c.person, c.share) for c in goal.contributors]
        if [(id(p), s) for p, s in old] == [(id(p), s) for p, s in spec]:
            return
        memo = self._memo

        def apply_spec(wanted: list[tuple[Person, int]]) -> None:
            new: list[GoalContributor] = []
            for position, (person, share) in enumerate(wanted):
                contributor = next(
                    (c for c in goal.contributors if c.person is person), None
                ) or memo.get(id(person))
                if contributor is None:
                    contributor = GoalContributor(person=person)
                memo[id(person)] = contributor
                contributor.share = share
                contributor.position = position
                new.append(contributor)
            restore_list(goal.contributors, new)

        self.doc.edit(
            self.tr("Set contributors"), lambda: apply_spec(spec), lambda: apply_spec(old)
        )
        self.contributors.setText(format_contributors(goal))

    def remove(self) -> None:
        sprint = self.doc.sprint
        if sprint is not None and self.goal in sprint.goals:
            self.doc.remove_row(sprint.goals, self.goal, self.tr("Remove goal"))


class GoalsPage(SectionPage):
    """All proposed goals of the sprint, plus a line to add one."""

    page_name = "goalsPage"

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent=parent)
        self.cards: list[GoalCard] = []
        self.general = FindingsBox(parent=self.body)
        self.general.setObjectName("generalFindings")
        self.body_layout.addWidget(self.general)
        self.cards_layout = QVBoxLayout()
        self.cards_layout.setSpacing(10)
        self.body_layout.addLayout(self.cards_layout)
        self.add_line = QLineEdit(self.body)
        self.add_line.setObjectName("goalAdd")
        self.add_line.setAccessibleName(self.tr("New goal title"))
        self.add_line.setPlaceholderText(self.tr("Type a goal title and press Enter to add…"))
        self.add_line.returnPressed.connect(self._on_add)
        self.body_layout.addWidget(self.add_line)
        self.body_layout.addStretch(1)
        self.chrome.append(self.add_line)

    def _on_add(self) -> None:
        text = self.add_line.text().strip()
        if text:
            self.add_goal(text)
            self.add_line.clear()

    def add_goal(self, title: str) -> Goal:
        sprint = self.sprint
        assert sprint is not None
        goal = Goal(
            title=title,
            description="",
            why="",
            target="",
            confidence=Confidence.LIKELY.value,
            carried_over=False,
        )
        self.doc.insert_row(sprint.goals, goal, None, self.tr("Add goal"))
        return goal

    def refresh(self) -> None:
        sprint = self.sprint
        assert sprint is not None
        goals = list(sprint.goals)
        if len(goals) != len(self.cards) or any(
            c.goal is not g for c, g in zip(self.cards, goals, strict=True)
        ):
            for card in self.cards:
                self.cards_layout.removeWidget(card)
                card.deleteLater()
            self.cards = []
            for goal in goals:
                card = GoalCard(self, goal)
                card.set_presentation(self.presentation)
                self.cards_layout.addWidget(card)
                self.cards.append(card)
        findings = self.findings()
        self.refresh_after_save = any(goal.id is None for goal in goals)
        people = active_people(self.doc)
        for card in self.cards:
            goal = card.goal
            mine = [
                f
                for f in findings
                if (goal.id is not None and f.goal_id == goal.id)
                or (
                    f.goal_id is None
                    and f.team_plan_id is None
                    and f.person_id is not None
                    and f.person_id in _people_of(goal)
                )
            ]
            card.update_from_model(people, mine)
        owners = {pid for goal in goals for pid in _people_of(goal)}
        self.general.set_findings(
            [
                f
                for f in findings
                if f.goal_id is None and f.team_plan_id is None and f.person_id not in owners
            ]
        )

    def apply_presentation(self) -> None:
        super().apply_presentation()
        for card in self.cards:
            card.set_presentation(self.presentation)

    def card_for(self, goal: Goal) -> GoalCard:
        return next(c for c in self.cards if c.goal is goal)
