"""The sprint-plan domain as SQLAlchemy 2 typed mappings.

A :class:`Sprint` holds everything one planning meeting produces: the agenda, the review of the
previous sprint's outcomes, retro notes, priorities, proposed goals and one :class:`TeamPlan` per
team. People and teams live across sprints. Enumerations are stored as their string values so the
database stays readable with the ``sqlite3`` shell.
"""

from __future__ import annotations

import uuid as uuid_mod
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

# The words are defined once, for the start-up reader too; the model's users import them here.
from sprintdesk.plan.vocabulary import STATUS_EMOJI as STATUS_EMOJI
from sprintdesk.plan.vocabulary import ItemKind as ItemKind
from sprintdesk.plan.vocabulary import RetroKind as RetroKind
from sprintdesk.plan.vocabulary import SectionKind as SectionKind
from sprintdesk.plan.vocabulary import SprintState as SprintState
from sprintdesk.plan.vocabulary import Status as Status

# Stable constraint names so Alembic batch migrations on SQLite can address them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Versioned:
    """An editable row with a version counter (optimistic concurrency, schema 0003) and who
    changed it last (schema 0005).

    Every UPDATE or DELETE of the row checks the version it was read at and raises
    ``StaleDataError`` when somebody else changed it since; ``storage.conflicts`` then keeps
    both people's edits to different fields and asks about the same field.
    """

    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default=text("1"))
    # Who changed the row last, and when (schema 0005): written on every commit by the store's
    # sessions (storage.conflicts.stamp_changes); None for rows not changed since.
    changed_by: Mapped[str | None] = mapped_column(String(200), default=None)
    changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805 - a declared class attribute
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


# --- enumerations -------------------------------------------------------------------------


class Role(StrEnum):
    ENGINEER = "engineer"
    DESIGNER = "designer"
    PRODUCT = "product"
    OTHER = "other"


class Confidence(StrEnum):
    MOONSHOT = "moonshot"
    LIKELY = "likely"
    CERTAIN = "certain"


class Decision(StrEnum):
    PRIORITISE = "prioritise"
    DEPRIORITISE = "deprioritise"


class OkrStatus(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    # Written without a status (imported plans): never shown as a made-up green.
    UNKNOWN = "unknown"


OKR_EMOJI: dict[OkrStatus, str] = {
    OkrStatus.GREEN: "🟢",
    OkrStatus.YELLOW: "🟡",
    OkrStatus.RED: "🔴",
    OkrStatus.UNKNOWN: "⚪",
}


def _enum(enum_cls: type[StrEnum], length: int = 20) -> String:
    # Stored as the plain value; the Python side converts with enum_cls(value).
    del enum_cls
    return String(length)


def new_uuid() -> str:
    return str(uuid_mod.uuid4())


# --- people and teams --------------------------------------------------------------------

team_members = Table(
    "team_members",
    Base.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
)


class Person(Versioned, Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    github_login: Mapped[str | None] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(_enum(Role), default=Role.ENGINEER.value)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    teams: Mapped[list[Team]] = relationship(
        secondary=team_members, back_populates="members", order_by="Team.position"
    )

    @property
    def handle(self) -> str:
        """``@login`` when the person has a GitHub login, else the display name."""
        return f"@{self.github_login}" if self.github_login else self.name

    @property
    def is_engineer(self) -> bool:
        return self.role == Role.ENGINEER

    def __repr__(self) -> str:
        return f"Person({self.id!r}, {self.name!r})"


class Team(Versioned, Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    members: Mapped[list[Person]] = relationship(
        secondary=team_members, back_populates="teams", order_by="Person.name"
    )

    def __repr__(self) -> str:
        return f"Team({self.id!r}, {self.name!r})"


# --- the sprint --------------------------------------------------------------------------


class Sprint(Versioned, Base):
    __tablename__ = "sprints"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    name: Mapped[str] = mapped_column(String(200))
    start: Mapped[date | None] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("sprints.id", ondelete="SET NULL"))
    template: Mapped[str] = mapped_column(String(50), default="classic")
    state: Mapped[str] = mapped_column(_enum(SprintState), default=SprintState.DRAFT.value)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=datetime.now)
    # Private to the facilitator: hidden in presentation mode, never rendered or published.
    facilitator_notes: Mapped[str] = mapped_column(Text, default="")

    # The meeting clock (see sprintdesk.plan.meeting). Accumulated time per section lives in
    # AgendaSection.actual_seconds; a running section is measured from a wall-clock epoch so the
    # state survives a crash or a restart.
    # The current section's id (no foreign key: sections and sprints would point at each other).
    meeting_section_id: Mapped[int | None] = mapped_column(Integer)
    meeting_running_since: Mapped[float | None] = mapped_column(Float)
    meeting_started_at: Mapped[datetime | None] = mapped_column(DateTime)
    meeting_ended_at: Mapped[datetime | None] = mapped_column(DateTime)

    # The publish record.
    publish_api_url: Mapped[str | None] = mapped_column(String(300))
    publish_repo: Mapped[str | None] = mapped_column(String(200))
    publish_issue_number: Mapped[int | None] = mapped_column(Integer)
    publish_issue_url: Mapped[str | None] = mapped_column(String(500))
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    publish_pending: Mapped[bool] = mapped_column(Boolean, default=False)
    publish_error: Mapped[str | None] = mapped_column(Text)
    # When the GitHub issue this sprint was imported from was last edited there (history import).
    source_updated_at: Mapped[datetime | None] = mapped_column(DateTime)

    previous: Mapped[Sprint | None] = relationship(remote_side=[id], foreign_keys=[previous_id])
    sections: Mapped[list[AgendaSection]] = relationship(
        back_populates="sprint",
        order_by="AgendaSection.position",
        cascade="all, delete-orphan",
    )
    outcomes: Mapped[list[OutcomeReview]] = relationship(
        back_populates="sprint", order_by="OutcomeReview.position", cascade="all, delete-orphan"
    )
    retro_notes: Mapped[list[RetroNote]] = relationship(
        back_populates="sprint", order_by="RetroNote.position", cascade="all, delete-orphan"
    )
    priorities: Mapped[list[Priority]] = relationship(
        back_populates="sprint", order_by="Priority.position", cascade="all, delete-orphan"
    )
    goals: Mapped[list[Goal]] = relationship(
        back_populates="sprint", order_by="Goal.position", cascade="all, delete-orphan"
    )
    team_plans: Mapped[list[TeamPlan]] = relationship(
        back_populates="sprint", order_by="TeamPlan.position", cascade="all, delete-orphan"
    )
    notes: Mapped[list[PlanNote]] = relationship(
        back_populates="sprint", order_by="PlanNote.position", cascade="all, delete-orphan"
    )
    allocations: Mapped[list[Allocation]] = relationship(
        back_populates="sprint", cascade="all, delete-orphan"
    )
    time_off: Mapped[list[TimeOff]] = relationship(
        back_populates="sprint", order_by="TimeOff.start", cascade="all, delete-orphan"
    )
    support_duties: Mapped[list[SupportDuty]] = relationship(
        back_populates="sprint", order_by="SupportDuty.week", cascade="all, delete-orphan"
    )
    published_parts: Mapped[list[PublishedPart]] = relationship(
        back_populates="sprint", order_by="PublishedPart.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"Sprint({self.id!r}, {self.name!r})"


class AgendaSection(Versioned, Base):
    __tablename__ = "agenda_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(_enum(SectionKind))
    title: Mapped[str] = mapped_column(String(200))
    timebox_seconds: Mapped[int] = mapped_column(Integer, default=300)
    # Time added during the meeting (+1 min, +5 min); the planned timebox stays as it was.
    extension_seconds: Mapped[int] = mapped_column(Integer, default=0)
    actual_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    visited: Mapped[bool] = mapped_column(Boolean, default=False)
    team_plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_plans.id", ondelete="CASCADE")
    )

    sprint: Mapped[Sprint] = relationship(back_populates="sections")
    team_plan: Mapped[TeamPlan | None] = relationship()

    def __repr__(self) -> str:
        return f"AgendaSection({self.id!r}, {self.kind!r}, {self.title!r})"


class OutcomeReview(Versioned, Base):
    """One of the previous sprint's goals, reviewed: status, note, carried over or not."""

    __tablename__ = "outcome_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    target: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(_enum(Status), default=Status.NOT_STARTED.value)
    note: Mapped[str] = mapped_column(Text, default="")
    carry_over: Mapped[bool] = mapped_column(Boolean, default=False)
    # The goal this reviews (in the previous sprint), when SprintDesk made the plan.
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id", ondelete="SET NULL"))
    # 🔁 on the goal being reviewed: it had itself been carried over.
    was_carried: Mapped[bool] = mapped_column(Boolean, default=False)

    sprint: Mapped[Sprint] = relationship(back_populates="outcomes")
    owner: Mapped[Person | None] = relationship()
    goal: Mapped[Goal | None] = relationship(foreign_keys=[goal_id])


class RetroNote(Versioned, Base):
    __tablename__ = "retro_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(_enum(RetroKind), default=RetroKind.TO_IMPROVE.value)
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))

    sprint: Mapped[Sprint] = relationship(back_populates="retro_notes")
    owner: Mapped[Person | None] = relationship()


class Priority(Versioned, Base):
    __tablename__ = "priorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)

    sprint: Mapped[Sprint] = relationship(back_populates="priorities")


class Goal(Versioned, Base):
    __tablename__ = "goals"

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    why: Mapped[str] = mapped_column(Text, default="")
    target: Mapped[str] = mapped_column(Text, default="")
    confidence: Mapped[str] = mapped_column(_enum(Confidence), default=Confidence.LIKELY.value)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id", ondelete="SET NULL"))
    # 🔁 also for imported plans, where the goal it came from is not in the database.
    carried_over: Mapped[bool] = mapped_column(Boolean, default=False)

    sprint: Mapped[Sprint] = relationship(back_populates="goals")
    owner: Mapped[Person | None] = relationship()
    team: Mapped[Team | None] = relationship()
    carried_from: Mapped[Goal | None] = relationship(remote_side=[id])
    # A goal deleted takes its contributors with it in the database (ON DELETE CASCADE since
    # schema 0001; SQLite's foreign keys are on): not read first to be deleted one by one.
    contributors: Mapped[list[GoalContributor]] = relationship(
        back_populates="goal",
        order_by="GoalContributor.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    def __repr__(self) -> str:
        return f"Goal({self.id!r}, {self.title!r})"


class GoalContributor(Versioned, Base):
    """A person working on a goal with a share in percent (the 50 of a 50:50 split)."""

    __tablename__ = "goal_contributors"
    __table_args__ = (UniqueConstraint("goal_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    share: Mapped[int] = mapped_column(Integer, default=0)
    position: Mapped[int] = mapped_column(Integer, default=0)

    goal: Mapped[Goal] = relationship(back_populates="contributors")
    person: Mapped[Person] = relationship()


class TeamPlan(Versioned, Base):
    __tablename__ = "team_plans"
    __table_args__ = (UniqueConstraint("sprint_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    support_hero_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    time_off_note: Mapped[str] = mapped_column(Text, default="")
    other_teams_impacted: Mapped[str] = mapped_column(Text, default="")

    sprint: Mapped[Sprint] = relationship(back_populates="team_plans")
    team: Mapped[Team] = relationship()
    support_hero: Mapped[Person | None] = relationship()
    items: Mapped[list[TeamItem]] = relationship(
        back_populates="team_plan", order_by="TeamItem.position", cascade="all, delete-orphan"
    )
    okrs: Mapped[list[Okr]] = relationship(
        back_populates="team_plan", order_by="Okr.position", cascade="all, delete-orphan"
    )

    def items_of(self, kind: ItemKind) -> list[TeamItem]:
        return [item for item in self.items if item.kind == kind]


class TeamItem(Versioned, Base):
    """An entry in one of a team plan's lists (see :class:`ItemKind`)."""

    __tablename__ = "team_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_plan_id: Mapped[int] = mapped_column(
        ForeignKey("team_plans.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(_enum(ItemKind))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    status: Mapped[str | None] = mapped_column(_enum(Status))  # retro items
    decision: Mapped[str | None] = mapped_column(_enum(Decision))  # hang-over items
    note: Mapped[str] = mapped_column(Text, default="")
    carried_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_items.id", ondelete="SET NULL")
    )
    carried_over: Mapped[bool] = mapped_column(Boolean, default=False)

    team_plan: Mapped[TeamPlan] = relationship(back_populates="items")
    owner: Mapped[Person | None] = relationship()
    carried_from: Mapped[TeamItem | None] = relationship(remote_side=[id])


class Okr(Versioned, Base):
    __tablename__ = "okrs"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_plan_id: Mapped[int] = mapped_column(
        ForeignKey("team_plans.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(_enum(OkrStatus), default=OkrStatus.GREEN.value)
    note: Mapped[str] = mapped_column(Text, default="")

    team_plan: Mapped[TeamPlan] = relationship(back_populates="okrs")


class PlanNote(Versioned, Base):
    """Free text kept in a section: a line the importer did not understand, or a remark.

    ``section`` is a :class:`SectionKind` value, or an :class:`ItemKind` value for notes inside a
    team plan's list; ``team_plan_id`` is set for notes in a team's part.
    """

    __tablename__ = "plan_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    team_plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("team_plans.id", ondelete="CASCADE")
    )
    section: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)

    sprint: Mapped[Sprint] = relationship(back_populates="notes")
    team_plan: Mapped[TeamPlan | None] = relationship()


# --- availability ------------------------------------------------------------------------


class Allocation(Versioned, Base):
    """A person's part-time share in a sprint (1.0 = full time), with a note."""

    __tablename__ = "allocations"
    __table_args__ = (UniqueConstraint("sprint_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    share: Mapped[float] = mapped_column(Float, default=1.0)
    note: Mapped[str] = mapped_column(Text, default="")

    sprint: Mapped[Sprint] = relationship(back_populates="allocations")
    person: Mapped[Person] = relationship()


class TimeOff(Versioned, Base):
    """Days off for a person in a sprint: an inclusive date range, or half a day."""

    __tablename__ = "time_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    half_day: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    sprint: Mapped[Sprint] = relationship(back_populates="time_off")
    person: Mapped[Person] = relationship()


class SupportDuty(Versioned, Base):
    """Who is support hero for a team in one week of the sprint (week 1, 2, ...)."""

    __tablename__ = "support_duties"
    __table_args__ = (UniqueConstraint("sprint_id", "team_id", "week"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    # None: the sprint's own rota, a hero for every team.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    week: Mapped[int] = mapped_column(Integer, default=1)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))

    sprint: Mapped[Sprint] = relationship(back_populates="support_duties")
    team: Mapped[Team | None] = relationship()
    person: Mapped[Person] = relationship()


# --- publishing --------------------------------------------------------------------------


class PublishedPart(Base):
    """One published part of a plan: the issue body (``comment_id`` None) or a comment."""

    __tablename__ = "published_parts"
    __table_args__ = (UniqueConstraint("sprint_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))  # "body", "team:<team id>", "team:<id>#2"
    position: Mapped[int] = mapped_column(Integer, default=0)
    comment_id: Mapped[int | None] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    # Hash of the text GitHub held right after our last write: a different remote text means
    # someone edited it on GitHub since.
    remote_hash: Mapped[str | None] = mapped_column(String(64))
    published_at: Mapped[datetime | None] = mapped_column(DateTime)

    sprint: Mapped[Sprint] = relationship(back_populates="published_parts")


# --- settings ----------------------------------------------------------------------------


class Setting(Base):
    """Application settings that belong with the data (never the GitHub token)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


# --- planning together -------------------------------------------------------------------


class Presence(Base):
    """One window with a sprint open on a team database (schema 0004): who, on which section,
    and whether it drives the meeting's clock. The row lives as long as its heartbeat: the
    server compares ``heartbeat_at`` with its own ``now()``, so nobody's laptop clock matters,
    and a window that stopped beating (closed, crashed, asleep) is gone within a minute."""

    __tablename__ = "presence"

    client: Mapped[str] = mapped_column(String(32), primary_key=True)
    sprint_id: Mapped[int] = mapped_column(ForeignKey("sprints.id", ondelete="CASCADE"), index=True)
    user_name: Mapped[str] = mapped_column(String(200), default="")
    section_id: Mapped[int | None] = mapped_column(Integer)
    # The one window whose clock the others follow (a lease: it lapses with the heartbeat).
    facilitator: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    heartbeat_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=text("CURRENT_TIMESTAMP")
    )
