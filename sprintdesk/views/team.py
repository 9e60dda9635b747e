"""A team's page: support hero, time off, the retro of the team's last items with their status,
hang-over decisions, high and low priority with owners, OKRs and other teams impacted, with the
plan checks' findings for the team and its people (a member or the support hero over-allocated).
In an agenda without a priorities page (the per-team template) the first team's page also holds
the sprint-wide support rota (:mod:`sprintdesk.views.rota`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sprintdesk.editing.document import PlanDocument
from sprintdesk.editing.lists import snapshot_edit
from sprintdesk.plan.model import (
    Decision,
    ItemKind,
    Okr,
    OkrStatus,
    Person,
    Status,
    TeamItem,
    TeamPlan,
)
from sprintdesk.plan.planning import decide_hangover, refresh_hangovers
from sprintdesk.plan.rules import findings_for_team_plan
from sprintdesk.views.base import Batcher, SectionPage
from sprintdesk.views.models import Column
from sprintdesk.views.rota import SprintRotaEditor, rota_home
from sprintdesk.views.tables import EditableTable, collection_table, person_column
from sprintdesk.views.widgets import (
    DECISION_LABELS,
    BoundLineEdit,
    FindingsBox,
    PersonPicker,
    active_people,
    decision_choices,
    okr_choices,
    okr_text,
    section_heading,
    set_text_and_owner,
    split_owner,
    status_choices,
    status_text,
)

# Two columns side by side only when each has room for its tables (about 40 characters).
TWO_COLUMNS_CHARACTERS = 80

# A page coming on screen (its first show, or back from another page with another team) has Qt
# lay out each table and measure each wrapped row in the switch's one turn: for a team of 50
# items, five tables, 60-100 ms. A team with more rows than this then shows its tables in the
# turns after that first paint, one table a turn (a table shows once it has its rows). A switch
# between teams while the page is on screen fills them at once (Qt measures in the next turn).
ROWS_AT_FIRST_SHOW = 20


def _item_title(item: TeamItem) -> str:
    return f"🔁 {item.title}" if item.carried_over else item.title


def describe_time_off(entry: Any) -> str:
    start, end = entry.start, entry.end
    span = (
        start.strftime("%a %d %b")
        if start == end
        else f"{start.strftime('%a %d %b')} – {end.strftime('%a %d %b')}"
    )
    if entry.half_day:
        span += " (½ day)"
    note = f" — {entry.note}" if entry.note else ""
    return f"{entry.person.name}: {span}{note}"


class TeamPage(SectionPage):
    """The page of one :class:`TeamPlan` (``section.team_plan``)."""

    page_name = "teamPage"

    def __init__(self, doc: PlanDocument, *, parent: QWidget | None = None) -> None:
        super().__init__(doc, parent=parent)
        self.plan: TeamPlan | None = None
        self._people: list[Person] = []
        self.tables: dict[str, EditableTable] = {}
        self._tables_plan: TeamPlan | None = None  # the team whose rows the tables hold
        self._fills = Batcher(budget_ms=0, parent=self)  # tables filled after the first paint

        self.findings_box = FindingsBox(parent=self.body)
        self.findings_box.setObjectName("teamFindings")
        self.body_layout.addWidget(self.findings_box)

        columns = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.columns = columns
        columns.setSpacing(20)
        left = QVBoxLayout()
        right = QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        self._halves = (left, right)
        self._stacked = False
        self.body_layout.addLayout(columns)
        self.body_layout.addStretch(1)

        # --- support hero and time off ------------------------------------------------------
        grid = QGridLayout()
        grid.addWidget(QLabel(self.tr("🦸 Support hero"), self.body), 0, 0)
        self.hero = PersonPicker(none_label=self.tr("— nobody yet —"), parent=self.body)
        self.hero.setObjectName("supportHero")
        self.hero.setAccessibleName(self.tr("Support hero"))
        self.hero.valuePicked.connect(self._on_hero)
        grid.addWidget(self.hero, 0, 1)
        self.duties = QLabel(self.body)
        self.duties.setObjectName("supportDuties")
        self.duties.setWordWrap(True)
        grid.addWidget(self.duties, 1, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        left.addLayout(grid)
        self.rota = SprintRotaEditor(doc, parent=self.body)
        self.rota.setVisible(False)  # see refresh: on the rota's home section only
        left.addWidget(self.rota)

        left.addWidget(section_heading(self.tr("🌴 Time off"), parent=self.body))
        self.time_off = QLabel(self.body)
        self.time_off.setObjectName("timeOffList")
        self.time_off.setWordWrap(True)
        left.addWidget(self.time_off)
        self.time_off_note = BoundLineEdit(
            doc,
            "time_off_note",
            label=self.tr("Time off note"),
            placeholder=self.tr("Other time off…"),
            parent=self.body,
        )
        self.time_off_note.setObjectName("timeOffNote")
        left.addWidget(self.time_off_note)

        # --- retro and hang-over ------------------------------------------------------------
        left.addWidget(
            section_heading(self.tr("🔎 Retro of last sprint's items"), parent=self.body)
        )
        retro = collection_table(
            doc,
            name="teamRetro",
            columns=[
                Column(
                    self.tr("List"),
                    display=lambda i: (
                        self.tr("high") if i.kind == ItemKind.RETRO_HIGH else self.tr("low")
                    ),
                ),
                Column(self.tr("Item"), display=_item_title, stretch=True),
                Column(self.tr("Owner"), display=lambda i: i.owner.name if i.owner else ""),
                Column(
                    self.tr("Status"),
                    display=lambda i: status_text(i.status),
                    edit_value=lambda i: i.status,
                    commit=self.set_retro_status,
                    editor="choice",
                    choices=status_choices,
                ),
            ],
            collection=self._items,
            keep=lambda i: i.kind in (ItemKind.RETRO_HIGH, ItemKind.RETRO_LOW),
            movable=False,
            removable=False,
            empty_text=self.tr("No items from the last sprint."),
            parent=self.body,
        )
        self.tables["retro"] = retro
        left.addWidget(retro)

        left.addWidget(section_heading(self.tr("⏳ Hang-over"), parent=self.body))
        hangover = collection_table(
            doc,
            name="teamHangover",
            columns=[
                Column(self.tr("Item"), display=lambda i: i.title, stretch=True),
                Column(self.tr("Owner"), display=lambda i: i.owner.name if i.owner else ""),
                Column(
                    self.tr("Decision"),
                    display=lambda i: DECISION_LABELS[Decision(i.decision) if i.decision else None],
                    edit_value=lambda i: i.decision,
                    commit=lambda item, value: (
                        self.decide(item, Decision(value)) if value else None
                    ),
                    editor="choice",
                    choices=lambda: [c for c in decision_choices() if c.value is not None],
                ),
            ],
            collection=self._items,
            keep=lambda i: i.kind == ItemKind.HANGOVER,
            movable=False,
            removable=False,
            empty_text=self.tr("Nothing left over."),
            parent=self.body,
        )
        self.tables["hangover"] = hangover
        left.addWidget(hangover)
        buttons = QHBoxLayout()
        self.prioritise_button = QPushButton(self.tr("⬆ Prioritise"), self.body)
        self.prioritise_button.setObjectName("prioritise")
        self.prioritise_button.clicked.connect(lambda: self._decide_selected(Decision.PRIORITISE))
        self.deprioritise_button = QPushButton(self.tr("⬇ Deprioritise"), self.body)
        self.deprioritise_button.setObjectName("deprioritise")
        self.deprioritise_button.clicked.connect(
            lambda: self._decide_selected(Decision.DEPRIORITISE)
        )
        buttons.addWidget(self.prioritise_button)
        buttons.addWidget(self.deprioritise_button)
        buttons.addStretch(1)
        self.decision_buttons = QWidget(self.body)
        self.decision_buttons.setLayout(buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.decision_buttons)
        self.chrome.append(self.decision_buttons)
        left.addStretch(1)

        # --- this sprint's lists --------------------------------------------------------------
        for kind, key, title in (
            (ItemKind.HIGH, "high", self.tr("🔥 High priority")),
            (ItemKind.LOW, "low", self.tr("🧊 Low priority")),
        ):
            right.addWidget(section_heading(title, parent=self.body))
            table = self._item_table(kind, key)
            self.tables[key] = table
            right.addWidget(table)

        right.addWidget(section_heading(self.tr("📈 OKRs"), parent=self.body))
        okrs = collection_table(
            doc,
            name="teamOkrs",
            columns=[
                Column(
                    self.tr("OKR"),
                    display=lambda o: o.title,
                    commit=lambda o, v: doc.set_attr(o, "title", v, "Edit OKR"),
                    stretch=True,
                ),
                Column(
                    self.tr("Status"),
                    display=lambda o: okr_text(o.status),
                    edit_value=lambda o: o.status,
                    commit=lambda o, v: doc.set_attr(
                        o, "status", OkrStatus(v).value, "Set OKR status"
                    ),
                    editor="choice",
                    choices=okr_choices,
                ),
                Column(
                    self.tr("Note"),
                    display=lambda o: o.note,
                    commit=lambda o, v: doc.set_attr(o, "note", v, "Edit OKR note"),
                ),
            ],
            collection=lambda: self.plan.okrs if self.plan is not None else [],
            factory=lambda text: Okr(title=text, status=OkrStatus.GREEN.value, note=""),
            what="OKR",
            add_placeholder=self.tr("Type an OKR and press Enter to add…"),
            empty_text=self.tr("No OKRs."),
            parent=self.body,
        )
        self.tables["okrs"] = okrs
        right.addWidget(okrs)

        right.addWidget(section_heading(self.tr("🤝 Other teams impacted"), parent=self.body))
        self.other_teams = BoundLineEdit(
            doc,
            "other_teams_impacted",
            label=self.tr("Other teams impacted"),
            placeholder=self.tr("Which teams does this plan affect?"),
            parent=self.body,
        )
        self.other_teams.setObjectName("otherTeams")
        right.addWidget(self.other_teams)
        right.addStretch(1)

    def _items(self) -> list[TeamItem]:
        return self.plan.items if self.plan is not None else []

    def _item_table(self, kind: ItemKind, key: str) -> EditableTable:
        doc = self.doc
        return collection_table(
            doc,
            name=f"team{key.capitalize()}",
            columns=[
                Column(
                    self.tr("Item"),
                    display=_item_title,
                    edit_value=lambda i: i.title,
                    # "Rotate the keys @priya_s": a trailing @login of a known person is
                    # the owner, as the importer and the retro's actions take it.
                    commit=lambda i, v: set_text_and_owner(
                        doc, i, "title", v, self._people_now(), "Edit item"
                    ),
                    stretch=True,
                ),
                person_column(doc, lambda: self._people),
            ],
            collection=self._items,
            keep=lambda i: i.kind == kind.value,
            factory=lambda text: self._new_item(kind, text),
            what=f"{key} priority item",
            add_placeholder=self.tr("Type an item and press Enter to add…"),
            empty_text=self.tr("Nothing yet."),
            remove_rows=self.remove_items if kind == ItemKind.HIGH else None,
            parent=self.body,
        )

    def _people_now(self) -> list[Person]:
        if not self._people:
            self._people = active_people(self.doc)
        return self._people

    def _new_item(self, kind: ItemKind, text: str) -> TeamItem:
        title, owner = split_owner(text, self._people_now())
        return TeamItem(kind=kind.value, title=title, owner=owner, note="", carried_over=False)

    # --- showing --------------------------------------------------------------------------

    def section_changed(self) -> None:
        self.plan = self.section.team_plan if self.section is not None else None
        for field in (self.time_off_note, self.other_teams):
            field.bind(self.plan)
        self._stop_fills()

    def pending_work(self) -> bool:
        return super().pending_work() or self._fills.pending()

    def finish_pending(self) -> None:
        super().finish_pending()
        self._fills.finish()

    def stop_background(self) -> None:
        super().stop_background()
        self._stop_fills()

    def _stop_fills(self) -> None:
        self._fills.cancel()
        for table in self.tables.values():
            table.held = False  # refreshed in full by the next refresh

    def _hold_tables(self, plan: TeamPlan) -> None:
        """A large team coming on screen with the page: the tables wait, and are filled one a
        turn from the event loop (see :data:`ROWS_AT_FIRST_SHOW`)."""
        if self.isVisible() or self._fills.pending() or plan is self._tables_plan:
            return
        if len(plan.items) + len(plan.okrs) <= ROWS_AT_FIRST_SHOW:
            return
        for table in self.tables.values():
            table.hold()
        self._fills.schedule([table.refresh for table in self.tables.values()])

    def refresh(self) -> None:
        plan = self.plan
        sprint = self.sprint
        if plan is None or sprint is None:
            return
        self._people = active_people(self.doc)
        self.hero.set_people(self._people)
        self.hero.set_value(plan.support_hero.id if plan.support_hero is not None else None)
        duties = [d for d in sprint.support_duties if d.team_id == plan.team_id]
        self.duties.setText(
            "  ·  ".join(self.tr("week {0}: {1}").format(d.week, d.person.name) for d in duties)
        )
        self.duties.setVisible(bool(duties))
        home = rota_home(sprint) is self.section
        if home:
            self.rota.refresh()
        self.rota.setVisible(home)
        members = {p.id for p in plan.team.members}
        entries = [t for t in sprint.time_off if t.person_id in members]
        self.time_off.setText(
            "\n".join(describe_time_off(t) for t in entries)
            or self.tr("Nobody in the team has time off entered.")
        )
        self.time_off_note.update_from_model()
        self.time_off_note.setVisible(not self.presentation or bool(plan.time_off_note))
        self.other_teams.update_from_model()
        if self._switching:
            self._hold_tables(plan)
        for table in self.tables.values():
            if not table.held:
                table.refresh()
        self._tables_plan = plan
        self.findings_box.set_findings(findings_for_team_plan(self.findings(), plan))

    def apply_presentation(self) -> None:
        super().apply_presentation()
        for table in self.tables.values():
            table.set_presentation(self.presentation)
        self.time_off_note.set_presentation(self.presentation)
        self.time_off_note.setVisible(
            not self.presentation or (self.plan is not None and bool(self.plan.time_off_note))
        )
        self.other_teams.set_presentation(self.presentation)
        self._set_direction()

    def fit_width(self, width: int) -> None:
        left, right = self._halves
        need = left.minimumSize().width() + self.columns.spacing() + right.minimumSize().width()
        comfortable = self.fontMetrics().averageCharWidth() * TWO_COLUMNS_CHARACTERS
        stacked = width < max(need, comfortable)
        if stacked != self._stacked:
            self._stacked = stacked
            self._set_direction()

    def _set_direction(self) -> None:
        # Two columns are too narrow for the large presentation font, or beside the preview.
        self.columns.setDirection(
            QBoxLayout.Direction.TopToBottom
            if self.presentation or self._stacked
            else QBoxLayout.Direction.LeftToRight
        )

    # --- editing --------------------------------------------------------------------------

    def _on_hero(self, person_id: Any) -> None:
        if self.plan is None:
            return
        person = self.doc.session.get(Person, person_id) if person_id is not None else None
        self.doc.set_attr(self.plan, "support_hero", person, self.tr("Set support hero"))

    def set_retro_status(self, item: TeamItem, value: Any) -> None:
        """A retro item's status; an unfinished one gets its hang-over entry (one undo step)."""
        plan = self.plan
        if plan is None or item.status == value:
            return
        status = Status(value).value

        def mutate() -> None:
            item.status = status
            refresh_hangovers(plan)

        snapshot_edit(self.doc, self.tr("Set status"), plan.items, mutate, attrs=[(item, "status")])

    def decide(self, item: TeamItem, decision: Decision) -> None:
        """Prioritise (adds the 🔁 high-priority item) or deprioritise a hang-over, undoably."""
        plan = self.plan
        if plan is None or item.decision == decision.value:
            return
        snapshot_edit(
            self.doc,
            self.tr("Prioritise “{0}”").format(item.title)
            if decision == Decision.PRIORITISE
            else self.tr("Deprioritise “{0}”").format(item.title),
            plan.items,
            lambda: decide_hangover(plan, item, decision),
            attrs=[(item, "decision")],
        )

    def remove_items(self, items: list[TeamItem]) -> None:
        """Delete high-priority items, undoably in one step. Deleting the 🔁 item a prioritised
        hang-over added takes the decision back too (to undecided): the plan must not say
        "prioritised" for an item that is no longer in high priority."""
        plan = self.plan
        if plan is None:
            return
        items = [item for item in items if item in plan.items]
        if not items:
            return
        hangovers = [
            item.carried_from
            for item in items
            if item.carried_over
            and item.carried_from is not None
            and item.carried_from.kind == ItemKind.HANGOVER
            and item.carried_from in plan.items
            and item.carried_from.decision == Decision.PRIORITISE.value
        ]

        def mutate() -> None:
            for item in items:
                plan.items.remove(item)
            for hangover in hangovers:
                hangover.decision = None
            for position, item in enumerate(plan.items):
                if item.position != position:
                    item.position = position

        text = (
            self.tr("Delete “{0}”").format(items[0].title)
            if len(items) == 1
            else self.tr("Delete {0} items").format(len(items))
        )
        snapshot_edit(
            self.doc, text, plan.items, mutate, attrs=[(h, "decision") for h in hangovers]
        )

    def _decide_selected(self, decision: Decision) -> None:
        table = self.tables["hangover"]
        selection = table.view.selectionModel()
        rows = sorted({i.row() for i in selection.selectedRows()}) if selection else []
        if not rows and table.view.currentIndex().isValid():
            rows = [table.view.currentIndex().row()]
        items = [table.model.object_at(r) for r in rows]
        if len(items) > 1:
            self.doc.undo_stack.beginMacro(self.tr("Decide hang-overs"))
        try:
            for item in items:
                self.decide(item, decision)
        finally:
            if len(items) > 1:
                self.doc.undo_stack.endMacro()
