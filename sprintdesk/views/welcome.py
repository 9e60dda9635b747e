"""The welcome page, shown while the database has no sprint: add teams and people, start a
sprint from a template, or load the demo data, with a short guide to the first meeting.

Every button commits at once (a unit of work each), like the rest of SprintDesk. On a team
database the page reads and saves behind itself (``PlanDocument.read_later``/``write_later``):
a button waits while its save is on its way, and what was typed stays until it has landed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from sprintdesk.editing.document import PlanDocument
from sprintdesk.plan.model import Person, Role, Sprint, Team
from sprintdesk.plan.planning import PlanError, create_sprint, suggest_next_dates
from sprintdesk.plan.roster import add_person, clean_name
from sprintdesk.plan.roster import add_team as create_team
from sprintdesk.plan.templates import DEFAULT_TEMPLATE, TEMPLATES
from sprintdesk.views.dates import pydate, qdate
from sprintdesk.views.wording import tr_n


def _page_style() -> str:
    """Sizes for the page: larger than the rest of the app, to be read on a shared screen.

    A style sheet rather than setFont(): fonts set on a parent do not reach children once the
    application has a style sheet (the themes).
    """
    base = QGuiApplication.font().pointSizeF()
    size = max(base * 1.15 if base > 0 else 11.0, 10.5)
    return (
        f"#welcomePage QLabel, #welcomePage QLineEdit, #welcomePage QComboBox,"
        f" #welcomePage QDateEdit, #welcomePage QPushButton, #welcomePage QListWidget"
        f" {{ font-size: {size:.1f}pt; }}"
        f' #welcomePage QLabel[role="heading"] {{ font-size: {size * 1.3:.1f}pt;'
        f" font-weight: 600; }}"
        f" #welcomePage QLabel#welcomeTitle {{ font-size: {size * 1.9:.1f}pt; font-weight: 700; }}"
        f' #welcomePage QLabel[role="error"] {{ color: #D93025; }}'
    )


class _Card(QFrame):
    """A framed panel with a heading, painted with the palette's Base colour."""

    def __init__(self, title: str, *, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setProperty("card", True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(20, 16, 20, 20)
        self.layout_.setSpacing(10)
        heading = QLabel(title, self)
        heading.setProperty("role", "heading")
        heading.setAccessibleName(title)
        self.layout_.addWidget(heading)


class WelcomePage(QWidget):
    """First-run page.

    Signals:
        sprintCreated(int): a sprint was created (its id); show it.
        demoLoaded(): the demo data was written; show the newest sprint.
        peopleChanged(): a person or team was added.
    """

    sprintCreated = Signal(int)
    demoLoaded = Signal()
    peopleChanged = Signal()

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self._team_held = False  # a team added offline waits in the outbox
        doc.outboxChanged.connect(self._outbox_changed)
        self.setObjectName("welcomePage")
        self.setAccessibleName(self.tr("Welcome to SprintDesk"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(_page_style())
        self._build()
        self.refresh()

    # --- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = self.scroll_area = QScrollArea(self)
        scroll.setObjectName("welcomeScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        content = QWidget(scroll)
        content.setObjectName("welcomeContent")
        scroll.setWidget(content)
        column = QVBoxLayout(content)
        column.setContentsMargins(40, 32, 40, 32)
        column.setSpacing(20)
        column.addLayout(self._build_header(content))
        grid = QGridLayout()
        grid.setHorizontalSpacing(20)
        grid.setVerticalSpacing(20)
        grid.addWidget(self._build_people_card(content), 0, 0, 2, 1)
        grid.addWidget(self._build_sprint_card(content), 0, 1)
        grid.addWidget(self._build_demo_card(content), 1, 1)
        grid.addWidget(self._build_guide_card(content), 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        column.addLayout(grid)
        column.addStretch(1)
        self.setTabOrder(self.person_name, self.person_login)
        self.setTabOrder(self.person_login, self.person_role)
        self.setTabOrder(self.person_role, self.add_person_button)
        self.setTabOrder(self.add_person_button, self.team_name)
        self.setTabOrder(self.team_name, self.members)
        self.setTabOrder(self.members, self.add_team_button)
        self.setTabOrder(self.add_team_button, self.sprint_name)
        self.setTabOrder(self.sprint_name, self.sprint_start)
        self.setTabOrder(self.sprint_start, self.sprint_end)
        self.setTabOrder(self.sprint_end, self.template_combo)
        self.setTabOrder(self.template_combo, self.start_sprint_button)
        self.setTabOrder(self.start_sprint_button, self.demo_button)

    def _build_header(self, parent: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(18)
        from sprintdesk.system.paths import resource

        logo = QLabel(parent)
        logo.setObjectName("welcomeLogo")
        # A source checkout without resources still works, without the logo.
        with contextlib.suppress(FileNotFoundError):
            logo.setPixmap(QIcon(str(resource("icons", "sprintdesk.svg"))).pixmap(72, 72))
        logo.setAccessibleName(self.tr("SprintDesk logo"))
        row.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(4)
        title = QLabel(self.tr("Welcome to SprintDesk"), parent)
        title.setObjectName("welcomeTitle")
        subtitle = QLabel(
            self.tr(
                "Plan your sprints in one calm, timed meeting. Start by adding the people who "
                "plan with you, then start your first sprint — or look around with demo data."
            ),
            parent,
        )
        subtitle.setWordWrap(True)
        subtitle.setProperty("role", "hint")
        text.addWidget(title)
        text.addWidget(subtitle)
        row.addLayout(text, 1)
        return row

    def _build_people_card(self, parent: QWidget) -> _Card:
        card = _Card(self.tr("1. Your teams and people"), object_name="peopleCard", parent=parent)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.person_name = QLineEdit(card)
        self.person_name.setObjectName("personName")
        self.person_name.setPlaceholderText(self.tr("e.g. Ana Souza"))
        self.person_name.setAccessibleName(self.tr("Person's name"))
        self.person_login = QLineEdit(card)
        self.person_login.setObjectName("personLogin")
        self.person_login.setPlaceholderText(self.tr("optional, e.g. ana-souza"))
        self.person_login.setAccessibleName(self.tr("Person's GitHub login"))
        self.person_role = QComboBox(card)
        self.person_role.setObjectName("personRole")
        self.person_role.setAccessibleName(self.tr("Person's role"))
        for role, label in (
            (Role.ENGINEER, self.tr("Engineer")),
            (Role.DESIGNER, self.tr("Designer")),
            (Role.PRODUCT, self.tr("Product")),
            (Role.OTHER, self.tr("Other")),
        ):
            self.person_role.addItem(label, role.value)
        form.addRow(self.tr("&Name:"), self.person_name)
        form.addRow(self.tr("GitHub &login:"), self.person_login)
        form.addRow(self.tr("R&ole:"), self.person_role)
        card.layout_.addLayout(form)
        self.add_person_button = self._button(
            card, self.tr("&Add person"), "addPersonButton", self.tr("Add person"), self.add_person
        )
        self.person_name.returnPressed.connect(self.add_person)
        self.person_login.returnPressed.connect(self.add_person)
        # Right under the person's fields, where the user is looking (not below the team form,
        # which is below the fold on a 1280×720 screen).
        self.people_error = self._error_label(card, "peopleError")

        team_form = QFormLayout()
        team_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.team_name = QLineEdit(card)
        self.team_name.setObjectName("teamName")
        self.team_name.setPlaceholderText(self.tr("e.g. Billing"))
        self.team_name.setAccessibleName(self.tr("Team name"))
        self.team_name.returnPressed.connect(self.add_team)
        # Alt+T presses "Add team" and Alt+S "Start sprint": the fields take other letters.
        team_label = QLabel(self.tr("Team na&me:"), card)
        team_label.setBuddy(self.team_name)
        # Line the team field up with the person fields above (a separate form layout).
        labels = [form.labelForField(field) for field in (self.person_name, self.person_login)]
        team_label.setMinimumWidth(max(label.sizeHint().width() for label in labels if label))
        team_form.addRow(team_label, self.team_name)
        card.layout_.addLayout(team_form)
        members_label = QLabel(self.tr("Tick the team's members:"), card)
        members_label.setProperty("role", "hint")
        card.layout_.addWidget(members_label)
        self.members = QListWidget(card)
        self.members.setObjectName("teamMembers")
        self.members.setAccessibleName(self.tr("Team members"))
        self.members.setMinimumHeight(90)
        self.members.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        members_label.setBuddy(self.members)
        card.layout_.addWidget(self.members)
        self.add_team_button = self._button(
            card, self.tr("Add &team"), "addTeamButton", self.tr("Add team"), self.add_team
        )
        self.team_error = self._error_label(card, "teamError")
        # A team added while the team database is away: said quietly, it is not an error.
        self.team_waiting = self._hint_label(card, "teamWaiting")
        self.team_waiting.hide()
        self.people_summary = self._hint_label(card, "peopleSummary")
        return card

    def _build_sprint_card(self, parent: QWidget) -> _Card:
        card = _Card(self.tr("2. Start a sprint"), object_name="sprintCard", parent=parent)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.sprint_name = QLineEdit(self.tr("Sprint 1"), card)
        self.sprint_name.setObjectName("sprintName")
        self.sprint_name.setAccessibleName(self.tr("Sprint name"))
        self.sprint_name.returnPressed.connect(self.start_sprint)
        start, end = suggest_next_dates(None, None, today=date.today())
        self.sprint_start = QDateEdit(qdate(start), card)
        self.sprint_start.setObjectName("sprintStart")
        self.sprint_start.setCalendarPopup(True)
        self.sprint_start.setDisplayFormat("yyyy-MM-dd")
        self.sprint_start.setAccessibleName(self.tr("Sprint start date"))
        self.sprint_end = QDateEdit(qdate(end), card)
        self.sprint_end.setObjectName("sprintEnd")
        self.sprint_end.setCalendarPopup(True)
        self.sprint_end.setDisplayFormat("yyyy-MM-dd")
        self.sprint_end.setAccessibleName(self.tr("Sprint end date"))
        self._last_start = self.sprint_start.date()
        self.sprint_start.dateChanged.connect(self._start_changed)
        self.template_combo = QComboBox(card)
        self.template_combo.setObjectName("templateCombo")
        self.template_combo.setAccessibleName(self.tr("Plan template"))
        for template in TEMPLATES.values():
            self.template_combo.addItem(template.label, template.name)
        self.template_combo.setCurrentIndex(self.template_combo.findData(DEFAULT_TEMPLATE))
        self.template_combo.currentIndexChanged.connect(self._template_changed)
        form.addRow(self.tr("Spr&int name:"), self.sprint_name)
        form.addRow(self.tr("Sta&rts:"), self.sprint_start)
        form.addRow(self.tr("&Ends:"), self.sprint_end)
        form.addRow(self.tr("Tem&plate:"), self.template_combo)
        card.layout_.addLayout(form)
        self.template_description = self._hint_label(card, "templateDescription")
        self.teams_hint = self._hint_label(card, "sprintTeamsHint")
        self.start_sprint_button = self._button(
            card,
            self.tr("&Start sprint"),
            "startSprintButton",
            self.tr("Start sprint"),
            self.start_sprint,
        )
        self.start_sprint_button.setProperty("role", "primary")
        self.start_sprint_button.setDefault(True)
        self.sprint_error = self._error_label(card, "sprintError")
        self._template_changed()
        return card

    def _build_demo_card(self, parent: QWidget) -> _Card:
        card = _Card(self.tr("Or: look around first"), object_name="demoCard", parent=parent)
        text = QLabel(
            self.tr(
                "Load four sprints of a made-up company — three teams, eight people, goals, "
                "retro notes and team plans — to try every page before your real meeting. "
                "Use a separate data folder (--data-dir) if you want to keep it apart."
            ),
            card,
        )
        text.setWordWrap(True)
        text.setProperty("role", "hint")
        card.layout_.addWidget(text)
        self.demo_button = self._button(
            card,
            self.tr("Load &demo data"),
            "loadDemoButton",
            self.tr("Load demo data"),
            self.load_demo,
        )
        self.demo_hint = self._hint_label(card, "demoHint")
        self.demo_error = self._error_label(card, "demoError")
        card.layout_.addStretch(1)
        return card

    def _build_guide_card(self, parent: QWidget) -> _Card:
        card = _Card(self.tr("Your first meeting"), object_name="guideCard", parent=parent)
        guide = QLabel(
            self.tr(
                "<ol style='margin-left:0; -qt-list-indent:1'>"
                "<li>Share your screen and start the meeting: each section of the agenda has "
                "a timebox, and the clock shows what is left.</li>"
                "<li><b>Outcomes</b>: go through last sprint's goals and mark each one "
                "<span style='color:#2DB37A'>●</span> finished, "
                "<span style='color:#E0A800'>●</span> in progress, "
                "<span style='color:#E5533D'>●</span> won't finish or "
                "<span style='color:#9AA4AF'>●</span> not started.</li>"
                "<li><b>Retro and priorities</b>: note what to do better and agree on the "
                "sprint's priorities.</li>"
                "<li><b>Goals</b>: every goal gets a single owner, who is an engineer. "
                "SprintDesk warns about overloaded owners and missing support heroes.</li>"
                "<li><b>Teams</b>: each team plans its own items and picks a support hero.</li>"
                "<li>Everything is saved as you type. Publish the plan to GitHub as an issue "
                "when you are done — or copy it as markdown.</li>"
                "</ol>"
            ),
            card,
        )
        guide.setObjectName("firstMeetingGuide")
        guide.setTextFormat(Qt.TextFormat.RichText)
        guide.setWordWrap(True)
        guide.setAccessibleName(self.tr("Your first meeting guide"))
        card.layout_.addWidget(guide)
        card.layout_.addStretch(1)
        return card

    def _hint_label(self, card: _Card, name: str) -> QLabel:
        """A wrapped, quieter line of text under a card's controls."""
        label = QLabel(card)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setProperty("role", "hint")
        card.layout_.addWidget(label)
        return label

    def _button(
        self, card: _Card, text: str, name: str, accessible: str, slot: Callable[[], None]
    ) -> QPushButton:
        """A card's action button, right-aligned under its controls."""
        button = QPushButton(text, card)
        button.setObjectName(name)
        button.setAccessibleName(accessible)
        button.clicked.connect(slot)
        card.layout_.addWidget(button, 0, Qt.AlignmentFlag.AlignRight)
        return button

    def _error_label(self, card: _Card, name: str) -> QLabel:
        label = QLabel(card)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setProperty("role", "error")
        label.setAccessibleName(self.tr("Error"))
        label.hide()
        card.layout_.addWidget(label)
        return label

    # --- behaviour ---------------------------------------------------------------------------

    def _show_error(self, label: QLabel, message: str) -> None:
        label.setText(message)
        label.setVisible(bool(message))
        if message:
            # Scrolled into view once the label has its place (the next turn of the loop).
            QTimer.singleShot(0, label, lambda: self.scroll_area.ensureWidgetVisible(label, 0, 16))

    def _start_changed(self, value: QDate) -> None:
        # Moving the start moves the end along, so the sprint keeps its length.
        shift = self._last_start.daysTo(value)
        self._last_start = value
        self.sprint_end.setDate(self.sprint_end.date().addDays(shift))

    def _template_changed(self) -> None:
        template = TEMPLATES.get(self.template_combo.currentData() or DEFAULT_TEMPLATE)
        self.template_description.setText(template.description if template else "")

    def refresh(self) -> None:
        """Re-read people and teams (after an edit here or elsewhere); on a team database
        behind the window, the page showing what it read before until the answer lands."""
        self.doc.read_later(
            _read_people_and_teams,
            landed=self._show_people_and_teams,
            failed=lambda message: self._show_error(self.people_error, message),
            owner=self,
        )

    def _show_people_and_teams(self, read: object) -> None:
        assert isinstance(read, tuple)
        rows, team_rows, has_sprints = read
        checked = {
            self.members.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.members.count())
            if self.members.item(i).checkState() == Qt.CheckState.Checked
        }
        self.members.clear()
        for person_id, name, login, role in rows:
            label = f"{name}  (@{login})" if login else name
            if role != Role.ENGINEER.value:
                label += f" — {role}"
            item = QListWidgetItem(label, self.members)
            item.setData(Qt.ItemDataRole.UserRole, person_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if person_id in checked else Qt.CheckState.Unchecked
            )
        if not rows and not team_rows:
            summary = self.tr("No one yet. Add people first, then a team with its members.")
        else:
            teams_text = ", ".join(f"{name} ({size})" for name, size in team_rows) or self.tr(
                "none yet"
            )
            counted = tr_n("WelcomePage", "%n people", len(rows), one="%n person")
            summary = self.tr("{people}. Teams: {teams}.").format(people=counted, teams=teams_text)
        self.people_summary.setText(summary)
        self.teams_hint.setText(
            tr_n(
                "WelcomePage",
                "The sprint gets a team plan for each of your %n teams.",
                len(team_rows),
                one="The sprint gets a team plan for your team.",
            )
            if team_rows
            else self.tr("No teams yet: the sprint starts without team plans (add them later).")
        )
        empty = not rows and not team_rows and not has_sprints
        self.demo_button.setEnabled(empty)
        self.demo_hint.setText(
            ""
            if empty
            else self.tr("The demo needs an empty database; this one already has people in it.")
        )
        self.demo_hint.setVisible(not empty)

    def _save_later(
        self,
        button: QPushButton,
        error: QLabel,
        work: Callable[[Session], object],
        landed: Callable[[object], None],
        failed: Callable[[str], bool] | None = None,
    ) -> None:
        """Save behind the page on a team database: ``button`` waits until it lands; a
        failure is said under the card (unless ``failed`` took it: True), and what was typed
        stays, so trying again loses nothing."""

        def done(result: object) -> None:
            button.setEnabled(True)
            self._show_error(error, "")
            landed(result)

        def refused(message: str) -> None:
            button.setEnabled(True)
            if failed is None or not failed(message):
                self._show_error(error, message)

        button.setEnabled(False)
        self.doc.write_later(work, landed=done, failed=refused, owner=self)

    def add_person(self) -> None:
        name = self.person_name.text().strip()
        login = self.person_login.text().strip().lstrip("@") or None
        if not name:
            self._show_error(self.people_error, self.tr("A person needs a name."))
            self.person_name.setFocus()
            return
        role = self.person_role.currentData()
        typed = (self.person_name.text(), self.person_login.text())

        def landed(_result: object) -> None:
            if (self.person_name.text(), self.person_login.text()) == typed:
                self.person_name.clear()  # typed again meanwhile: that stays
                self.person_login.clear()
                # Most people are engineers: the next person must not silently get the last
                # role.
                self.person_role.setCurrentIndex(self.person_role.findData(Role.ENGINEER.value))
            self.person_name.setFocus()
            self.refresh()
            self.peopleChanged.emit()

        self._save_later(
            self.add_person_button,
            self.people_error,
            lambda session: add_person(session, name, login, role).id,
            landed,
        )

    def add_team(self) -> None:
        name = self.team_name.text()
        member_ids = [
            self.members.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.members.count())
            if self.members.item(i).checkState() == Qt.CheckState.Checked
        ]
        try:
            clean = clean_name(name, "A team")
        except PlanError as exc:
            self._show_error(self.team_error, str(exc))
            return
        # A team database that cannot be reached: the team waits in the offline outbox.
        if self.doc.hold_team(clean, member_ids):
            self._team_waiting(clean, member_ids)
            return

        def work(session: Session) -> None:
            members = [p for p in (session.get(Person, pid) for pid in member_ids) if p]
            create_team(session, clean, members)

        def landed(_result: object) -> None:
            self._team_added(name)
            self.refresh()
            self.peopleChanged.emit()

        def failed(_message: str) -> bool:
            # The server was found gone on the way (the document is offline now): it waits.
            if self.doc.hold_team(clean, member_ids):
                self._team_waiting(clean, member_ids)
                return True
            return False

        self._save_later(self.add_team_button, self.team_error, work, landed, failed)

    def _team_added(self, typed: str) -> None:
        if self.team_name.text() == typed:  # typed again meanwhile: that stays
            self.team_name.clear()
            for i in range(self.members.count()):
                self.members.item(i).setCheckState(Qt.CheckState.Unchecked)

    def _team_waiting(self, clean: str, member_ids: list[int]) -> None:
        self.team_name.clear()
        for i in range(self.members.count()):
            self.members.item(i).setCheckState(Qt.CheckState.Unchecked)
        waiting = tr_n(
            "WelcomePage",
            "Team %1 will be added with %n members once the team database is back.",
            len(member_ids),
            one="Team %1 will be added with %n member once the team database is back.",
        ).replace("%1", clean)
        self._team_held = True
        self._show_error(self.team_error, "")
        self._show_error(self.team_waiting, waiting)

    def _outbox_changed(self, count: int) -> None:
        if count == 0 and self._team_held:
            # The team that waited has landed: count it, and drop the waiting message.
            self._team_held = False
            self._show_error(self.team_waiting, "")
            self.refresh()
            self.peopleChanged.emit()

    def start_sprint(self) -> None:
        start = pydate(self.sprint_start.date())
        end = pydate(self.sprint_end.date())
        name, template = self.sprint_name.text(), self.template_combo.currentData()

        def work(session: Session) -> int:
            sprint = create_sprint(session, name, start, end, template=template)
            session.flush()
            return sprint.id

        def landed(sprint_id: object) -> None:
            assert isinstance(sprint_id, int)
            self.refresh()
            self.sprintCreated.emit(sprint_id)

        self._save_later(self.start_sprint_button, self.sprint_error, work, landed)

    def load_demo(self) -> None:
        from sprintdesk.plan.demo import load_demo

        not_empty = self.tr("The demo needs an empty database; this one has people in it.")
        today = date.today()

        def work(session: Session) -> None:
            if session.scalar(select(Person.id).limit(1)) is not None:
                raise PlanError(not_empty)
            load_demo(session, today=today)

        def landed(_result: object) -> None:
            self.refresh()
            self.demoLoaded.emit()

        self._save_later(self.demo_button, self.demo_error, work, landed)


def _read_people_and_teams(
    session: Session,
) -> tuple[list[tuple[int, str, str | None, str]], list[tuple[str, int]], bool]:
    """The people (id, name, login, role), the teams (name, size) and whether any sprint
    exists, as plain values (read on the writer thread on a team database)."""
    people = session.scalars(select(Person).order_by(Person.name))
    teams = session.scalars(select(Team).order_by(Team.position, Team.name))
    rows = [(p.id, p.name, p.github_login, p.role) for p in people]
    team_rows = [(t.name, len(t.members)) for t in teams]
    has_sprints = session.scalar(select(Sprint.id).limit(1)) is not None
    return rows, team_rows, has_sprints
