"""The proposed goals page: title, owner (engineers only), team, contributors with shares, why,
target and confidence per goal, with the plan checks' findings shown under each goal. Goals move
with Alt+Up/Down or the ▲/▼ buttons.

A large sprint has hundreds of goals: the first screenful of cards is built at once and the rest
in small batches from the event loop, and cards are kept (and reordered) across refreshes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.editing.document import PlanDocument
from sprintdesk.editing.lists import restore_list
from sprintdesk.plan.model import Confidence, Goal, GoalContributor, Person, Team
from sprintdesk.plan.rules import Finding
from sprintdesk.views.base import SectionPage
from sprintdesk.views.cards import Card, CardColumn
from sprintdesk.views.widgets import (
    BoundLineEdit,
    ChoiceList,
    ChoicePicker,
    FindingsBox,
    PersonPicker,
    active_people,
    active_teams,
    confidence_choices,
    person_choices,
    team_choices,
)

# Goal cards built in a switch's turn: four of 150 px cover what a 1280×800 window shows (539
# px); the six of the other card pages cost that turn two cards out of sight, over 100 ms on
# the large sprint.
CARDS_AT_ONCE = 4

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


def card_wording(finding: Finding, goal: Goal) -> str:
    """A finding as said inside the goal's own card, which shows the title already:
    "Goal “X” has no why." -> "This goal has no why.", "Goal “X”: owner …" -> "Owner …"."""
    message = finding.message
    prefix = f"Goal “{goal.title}”"
    if finding.goal_id is None or finding.goal_id != goal.id or not message.startswith(prefix):
        return message
    rest = message[len(prefix) :]
    if rest.startswith(": ") and len(rest) > 2:
        return rest[2].upper() + rest[3:]
    if rest.startswith(" "):
        return f"This goal{rest}"
    return message


def _people_of(goal: Goal) -> set[int]:
    """The owner's and the contributors' ids: findings about them show on the goal."""
    ids = {c.person_id for c in goal.contributors if c.person_id is not None}
    if goal.owner_id is not None:
        ids.add(goal.owner_id)
    return ids


class GoalCard(Card):
    """One proposed goal. Its pickers share the page's lists of people, teams and confidences."""

    def __init__(self, page: GoalsPage, goal: Goal) -> None:
        super().__init__(page.body)
        self.page = page
        self.doc = page.doc
        self.goal = goal
        self._memo: dict[int, GoalContributor] = {}
        self.setObjectName("goalCard")
        grid = self.framed_grid()
        frame = self.frame
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
        self.up_button = QToolButton(frame)
        self.up_button.setText("▲")
        self.up_button.setObjectName("goalMoveUp")
        self.up_button.setAccessibleName(self.tr("Move this goal up"))
        self.up_button.setToolTip(self.tr("Move up (Alt+Up)"))
        self.up_button.clicked.connect(lambda: self.move_goal(-1))
        top.addWidget(self.up_button)
        self.down_button = QToolButton(frame)
        self.down_button.setText("▼")
        self.down_button.setObjectName("goalMoveDown")
        self.down_button.setAccessibleName(self.tr("Move this goal down"))
        self.down_button.setToolTip(self.tr("Move down (Alt+Down)"))
        self.down_button.clicked.connect(lambda: self.move_goal(1))
        top.addWidget(self.down_button)
        self.delete_button = QPushButton(self.tr("Remove"), frame)
        self.delete_button.setObjectName("goalDelete")
        self.delete_button.setAccessibleName(self.tr("Remove this goal"))
        self.delete_button.clicked.connect(self.remove)
        top.addWidget(self.delete_button)
        grid.addLayout(top, 0, 0, 1, 4)

        owner_label = self._label(self.tr("Owner"), frame)
        self.owner = PersonPicker(
            engineers_only=True,
            none_label=self.tr("— no owner —"),
            shared=page.owner_list,
            parent=frame,
        )
        self.owner.setObjectName("ownerPicker")
        self.owner.setAccessibleName(self.tr("Goal owner"))
        self.owner.valuePicked.connect(self._on_owner)
        self.owner.refused.connect(self._on_refused)
        confidence_label = self._label(self.tr("Confidence"), frame)
        self.confidence = ChoicePicker(shared=page.confidence_list, parent=frame)
        self.confidence.setObjectName("confidencePicker")
        self.confidence.setAccessibleName(self.tr("Confidence"))
        self.confidence.valuePicked.connect(self._on_confidence)
        team_label = self._label(self.tr("Team"), frame)
        self.team = ChoicePicker(shared=page.team_list, parent=frame)
        self.team.setObjectName("teamPicker")
        self.team.setAccessibleName(self.tr("Goal team"))
        self.team.valuePicked.connect(self._on_team)
        contributors_label = self._label(self.tr("Contributors"), frame)
        self.contributors = QLineEdit(frame)
        self.contributors.setObjectName("contributors")
        self.contributors.setAccessibleName(self.tr("Contributors with shares"))
        self.contributors.setPlaceholderText(self.tr("@login 50, @login 50"))
        self.contributors.editingFinished.connect(self.commit_contributors)
        why_label = self._label(self.tr("Why"), frame)
        self.why = BoundLineEdit(
            self.doc,
            "why",
            label=self.tr("Why"),
            placeholder=self.tr("Why this goal matters"),
            parent=frame,
        )
        self.why.setObjectName("goalWhy")
        target_label = self._label(self.tr("Target"), frame)
        self.target = BoundLineEdit(
            self.doc,
            "target",
            label=self.tr("Target"),
            placeholder=self.tr("A measurable target"),
            parent=frame,
        )
        self.target.setObjectName("goalTarget")

        self.message = QLabel(frame)
        self.message.setObjectName("goalMessage")
        self.message.setProperty("severity", "error")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self.findings = FindingsBox(wording=lambda f: card_wording(f, self.goal), parent=frame)
        self.findings.setObjectName("goalFindings")
        # Side by side (two fields a row) when the card has the room, one field a row when it
        # has not (beside the GitHub preview at 1280 wide): see fit().
        pairs: list[tuple[QWidget, QWidget, QWidget, QWidget]] = [
            (owner_label, self.owner, confidence_label, self.confidence),
            (team_label, self.team, contributors_label, self.contributors),
        ]
        wide: list[tuple[QWidget, int, int, int]] = []
        narrow: list[tuple[QWidget, int, int, int]] = []
        for row, (label, picker, other_label, other_picker) in enumerate(pairs, start=1):
            wide += [(label, row, 0, 1), (picker, row, 1, 1)]
            wide += [(other_label, row, 2, 1), (other_picker, row, 3, 1)]
            narrow += [(label, 2 * row - 1, 0, 1), (picker, 2 * row - 1, 1, 3)]
            narrow += [(other_label, 2 * row, 0, 1), (other_picker, 2 * row, 1, 3)]
        for placements, first in ((wide, 3), (narrow, 5)):
            placements += [(why_label, first, 0, 1), (self.why, first, 1, 3)]
            placements += [(target_label, first + 1, 0, 1), (self.target, first + 1, 1, 3)]
            placements += [(self.message, first + 2, 0, 4), (self.findings, first + 3, 0, 4)]
        self._grid = grid
        self._placements = {False: wide, True: narrow}
        self.narrow = False
        self._wide_width = 0
        self._place(narrow=False)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        for field in (self.title, self.why, self.target):
            field.bind(goal)

    def fit(self, width: int) -> None:
        """Lay the fields out for a card ``width`` pixels wide: two a row, or one a row when
        two would not fit (and the page would scroll sideways)."""
        if not self.narrow:
            self._wide_width = self.minimumSizeHint().width()
        narrow = width < self._wide_width
        if narrow != self.narrow:
            self._place(narrow=narrow)

    def _place(self, *, narrow: bool) -> None:
        grid = self._grid
        placements = self._placements[narrow]
        for widget, *_where in placements:
            grid.removeWidget(widget)
        for widget, row, column, span in placements:
            grid.addWidget(widget, row, column, 1, span)
        self.narrow = narrow

    @staticmethod
    def _label(text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setProperty("role", "fieldLabel")
        return label

    # --- showing --------------------------------------------------------------------------

    def update_from_model(self, findings: Sequence[Finding]) -> None:
        goal = self.goal
        carried = bool(goal.carried_over or goal.carried_from_id)
        if self.carried.isVisibleTo(self) != carried:
            self.carried.setVisible(carried)
        for field in (self.title, self.why, self.target):
            field.update_from_model()
        self.owner.set_value(goal.owner_id if goal.owner is not None else None)
        self.team.set_value(goal.team.id if goal.team is not None else None)
        self.confidence.set_value(goal.confidence)
        if not self.contributors.hasFocus() or not self.message.isVisible():
            text = format_contributors(goal)
            if text != self.contributors.text() and not self.contributors.isModified():
                self.contributors.setText(text)
        self.findings.set_findings(findings)

    def set_presentation(self, on: bool) -> None:
        for button in (self.up_button, self.down_button, self.delete_button):
            if button.isHidden() != on:  # showing a widget is costly: only when it changes
                button.setVisible(not on)
        for field in (self.title, self.why, self.target):
            field.set_presentation(on)
        self.contributors.setPlaceholderText("—" if on else self.tr("@login 50, @login 50"))
        if self.contributors.hasFrame() == on:
            self.contributors.setFrame(not on)

    def tab_stops(self) -> list[QWidget]:
        stops: list[QWidget] = [
            self.title,
            self.up_button,
            self.down_button,
            self.delete_button,
            self.owner,
            self.confidence,
            self.team,
            self.contributors,
            self.why,
            self.target,
        ]
        return [w for w in stops if not w.isHidden() and w.isEnabled()]

    def show_message(self, text: str) -> None:
        if text != self.message.text():
            self.message.setText(text)
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

    def _on_team(self, team_id: Any) -> None:
        self.set_team(team_id)

    def set_team(self, team_id: int | None) -> None:
        """The team the goal belongs to (None: no team), as an undoable edit."""
        team = self.doc.session.get(Team, team_id) if team_id is not None else None
        self.doc.set_attr(self.goal, "team", team, self.tr("Set goal team"))

    def move_goal(self, delta: int) -> None:
        """Move the goal up (-1) or down (+1) in the sprint's list, undoably."""
        sprint = self.doc.sprint
        if sprint is None or self.goal not in sprint.goals:
            return
        old = sprint.goals.index(self.goal)
        self.doc.move_row(sprint.goals, old, old + delta, self.tr("Move goal"))
        self.page.scroll_area.ensureWidgetVisible(self)

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


class _FindingIndex:
    """The findings of one refresh, indexed by goal and by person (one pass, not one per card)."""

    def __init__(self, findings: Sequence[Finding], goals: Sequence[Goal]) -> None:
        self.by_goal: dict[int, list[tuple[int, Finding]]] = {}
        self.by_person: dict[int, list[tuple[int, Finding]]] = {}
        for i, f in enumerate(findings):
            if f.goal_id is not None:
                self.by_goal.setdefault(f.goal_id, []).append((i, f))
            elif f.team_plan_id is None and f.person_id is not None:
                self.by_person.setdefault(f.person_id, []).append((i, f))
        owners = {pid for goal in goals for pid in _people_of(goal)}
        self.general = [
            f
            for f in findings
            if f.goal_id is None and f.team_plan_id is None and f.person_id not in owners
        ]

    def of(self, goal: Goal) -> list[Finding]:
        mine = list(self.by_goal.get(goal.id, ())) if goal.id is not None else []
        for person_id in _people_of(goal):
            mine.extend(self.by_person.get(person_id, ()))
        mine.sort(key=lambda pair: pair[0])
        return [f for _, f in mine]


class GoalsPage(SectionPage):
    """All proposed goals of the sprint, plus a line to add one.

    ``cards`` lists the cards built so far, in the goals' order (see
    :class:`~sprintdesk.views.cards.CardColumn`); ``finish_pending()`` builds the rest at once.
    """

    page_name = "goalsPage"

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent=parent)
        self._index = _FindingIndex([], [])
        self.owner_list = ChoiceList(parent=self)
        self.team_list = ChoiceList(parent=self)
        self.confidence_list = ChoiceList(confidence_choices(), parent=self)
        self.general = FindingsBox(parent=self.body)
        self.general.setObjectName("generalFindings")
        self.body_layout.addWidget(self.general)
        self.cards_layout = QVBoxLayout()
        self.cards_layout.setSpacing(10)
        self.body_layout.addLayout(self.cards_layout)
        self.column: CardColumn[GoalCard] = CardColumn(
            self.scroll_area,
            self.cards_layout,
            make=self._make_card,
            update=lambda card: card.update_from_model(self._index.of(card.goal)),
            at_once=CARDS_AT_ONCE,
            parent=self,
        )
        self.add_line = QLineEdit(self.body)
        self.add_line.setObjectName("goalAdd")
        self.add_line.setAccessibleName(self.tr("New goal title"))
        self.add_line.setPlaceholderText(self.tr("Type a goal title and press Enter to add…"))
        self.add_line.returnPressed.connect(self._on_add)
        self.body_layout.addWidget(self.add_line)
        self.body_layout.addStretch(1)
        self.chrome.append(self.add_line)
        for keys, delta in (("Alt+Up", -1), ("Alt+Down", 1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda delta=delta: self.move_focused(delta))

    @property
    def cards(self) -> list[GoalCard]:
        return self.column.cards

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

    # --- keyboard ---------------------------------------------------------------------------

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802 - a Qt override
        """Tab walks the cards in the order they are shown, then the add line.

        Qt's own focus chain follows the order widgets were made in: cards built later (in
        batches, after an undo) or moved would be visited out of order, and the add line, made
        before any card, would come first instead of last."""
        target = self.column.tab_target(QApplication.focusWidget(), next, after=self.add_line)
        if target is None:
            return super().focusNextPrevChild(next)
        reason = Qt.FocusReason.TabFocusReason if next else Qt.FocusReason.BacktabFocusReason
        target.setFocus(reason)
        self.scroll_area.ensureWidgetVisible(target)
        return True

    def move_focused(self, delta: int) -> None:
        """Alt+Up/Down: move the goal whose card holds the keyboard focus."""
        focus = QApplication.focusWidget()
        card = next(
            (c for c in self.column.cards if focus is not None and c.isAncestorOf(focus)), None
        )
        if card is not None:
            card.move_goal(delta)

    # --- refreshing -----------------------------------------------------------------------

    def refresh(self) -> None:
        sprint = self.sprint
        assert sprint is not None
        goals = list(sprint.goals)
        self.refresh_after_save = any(goal.id is None for goal in goals)
        self.owner_list.set_choices(
            person_choices(
                active_people(self.doc),
                engineers_only=True,
                none_label=self.tr("— no owner —"),
            )
        )
        teams = active_teams(self.doc)
        for goal in goals:  # a goal keeps showing a team that was made inactive
            if goal.team is not None and goal.team not in teams:
                teams.append(goal.team)
        self.team_list.set_choices(team_choices(teams, none_label=self.tr("— no team —")))
        self._index = _FindingIndex(self.findings(), goals)
        self.general.set_findings(self._index.general)
        self.column.set_objects(goals)

    def _make_card(self, goal: Goal) -> GoalCard:
        card = GoalCard(self, goal)
        card.set_presentation(self.presentation)
        card.fit(self._card_width())
        return card

    def _card_width(self) -> int:
        margins = self.body_layout.contentsMargins()
        return self.viewport_width() - margins.left() - margins.right()

    def fit_width(self, width: int) -> None:
        for card in self.cards:
            card.fit(self._card_width())
