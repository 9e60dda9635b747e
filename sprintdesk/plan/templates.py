"""Plan templates: which sections a meeting has, in which order, their timeboxes and wording.

A template is code, not data in the database: a sprint stores the template's name and the
agenda built from it (``build_agenda``), which the facilitator can then reorder and retime.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sprintdesk.plan.model import AgendaSection, SectionKind, Sprint, TeamPlan


@dataclass(frozen=True)
class SectionSpec:
    kind: SectionKind
    title: str
    timebox_minutes: int
    heading: str = ""  # markdown heading used by the renderer; defaults to the title
    intro: str = ""  # a line of wording under the heading

    @property
    def markdown_heading(self) -> str:
        return self.heading or self.title


@dataclass(frozen=True)
class Template:
    name: str
    label: str
    description: str
    sections: tuple[SectionSpec, ...]  # a SectionKind.TEAM entry stands for every team
    team_style: str  # "classic" or "comments": how team parts are written
    team_timebox_minutes: int
    wording: dict[str, str] = field(default_factory=dict)

    def spec(self, kind: SectionKind) -> SectionSpec | None:
        return next((s for s in self.sections if s.kind == kind), None)

    def word(self, key: str) -> str:
        return self.wording.get(key, DEFAULT_WORDING[key])


STATUS_LEGEND = "🟢=finished 🟡=in progress 🔴=won't finish ⚪=not started"

DEFAULT_WORDING: dict[str, str] = {
    "global_heading": "Global Sprint Planning",
    "teams_heading": "Team sprint planning",
    "goals_intro": "Each goal should have a single owner. Owner can only be an engineer.",
    "support_hero": "Support hero",
    "time_off": "Time off",
    "retro": "Retro",
    "hangover": "Hang over items from previous sprint",
    "high": "High priority",
    "low": "Low priority / side quests",
    "okr": "OKR",
    "plan": "Plan",
    "impacted": "Are any other teams impacted?",
    "legend": STATUS_LEGEND,
}


def _outcomes() -> SectionSpec:
    """The retro of last sprint's outcomes, as both global-plan templates open."""
    return SectionSpec(
        SectionKind.OUTCOMES,
        "Outcomes of last sprint",
        10,
        heading="Retro: Status of Outcomes from Previous Sprint",
    )


def _proposed_goals(minutes: int) -> SectionSpec:
    """The proposed goals, with the one-owner rule as the section's intro."""
    return SectionSpec(
        SectionKind.GOALS,
        "Proposed goals",
        minutes,
        heading="Plan: Proposed Goals for Next Sprint",
        intro="Each goal should have a single owner. Owner can only be an engineer.",
    )


CLASSIC = Template(
    name="classic",
    label="Classic",
    description=(
        "Global plan (retro of outcomes, what to do better, priorities, proposed goals) "
        "in the issue body, then one section per team."
    ),
    sections=(
        _outcomes(),
        SectionSpec(
            SectionKind.RETRO,
            "What can we do better",
            10,
            heading="Retro: What can we do better next sprint?",
        ),
        SectionSpec(SectionKind.PRIORITIES, "Sprint priorities", 5),
        _proposed_goals(20),
        SectionSpec(SectionKind.TEAM, "Team", 10),
        SectionSpec(SectionKind.SUMMARY, "Summary", 5),
    ),
    team_style="classic",
    team_timebox_minutes=10,
)

TEAM_COMMENTS = Template(
    name="team-comments",
    label="Team comments",
    description=(
        "Short global plan; each team writes a rich comment: support hero, time off, status "
        "legend, retro in a collapsed block, hang-over decisions, OKRs, high/low priority."
    ),
    sections=(
        _outcomes(),
        SectionSpec(SectionKind.PRIORITIES, "Sprint priorities", 5),
        _proposed_goals(15),
        SectionSpec(SectionKind.TEAM, "Team", 15),
        SectionSpec(SectionKind.SUMMARY, "Summary", 5),
    ),
    team_style="comments",
    team_timebox_minutes=15,
)

PER_TEAM = Template(
    name="per-team",
    label="Per team (PostHog 2025)",
    description=(
        "Incidents and unscheduled action items at the top; each team in its own comment: "
        "support hero, who is off, quarter goals with 🟢🟡🔴 status, the retro of last "
        "sprint's tasks, high priority, low priority / side quests, other teams impacted."
    ),
    sections=(
        SectionSpec(SectionKind.TEAM, "Team", 10),
        SectionSpec(SectionKind.SUMMARY, "Summary", 5),
    ),
    team_style="per-team",
    team_timebox_minutes=10,
    wording={
        "global_heading": "List of incidents + any action items that haven't been scheduled yet",
        "teams_heading": "Team sprint planning",
        "time_off": "Off during the sprint",
        "okr": "Quarter goals",
        "plan": "Plan",
    },
)

TEMPLATES: dict[str, Template] = {t.name: t for t in (CLASSIC, TEAM_COMMENTS, PER_TEAM)}
DEFAULT_TEMPLATE = CLASSIC.name


class UnknownTemplateError(ValueError):
    pass


def get_template(name: str | None) -> Template:
    if not name:
        return TEMPLATES[DEFAULT_TEMPLATE]
    try:
        return TEMPLATES[name]
    except KeyError:
        known = ", ".join(sorted(TEMPLATES))
        raise UnknownTemplateError(f"Unknown template {name!r}; choose one of: {known}.") from None


def build_agenda(
    sprint: Sprint,
    team_plans: Iterable[TeamPlan],
    template: Template | None = None,
    *,
    attach: bool = True,
) -> list[AgendaSection]:
    """Create the sprint's agenda from its template: one TEAM section per team plan; with
    ``attach`` False the sections are returned without being given to the sprint (an importer
    writes them itself)."""
    template = template or get_template(sprint.template)
    sections: list[AgendaSection] = []
    plans = list(team_plans)
    for spec in template.sections:
        if spec.kind == SectionKind.TEAM:
            for plan in plans:
                sections.append(
                    AgendaSection(
                        kind=SectionKind.TEAM.value,
                        title=f"Team {plan.team.name}",
                        timebox_seconds=template.team_timebox_minutes * 60,
                        team_plan=plan,
                    )
                )
        else:
            sections.append(
                AgendaSection(
                    kind=spec.kind.value,
                    title=spec.title,
                    timebox_seconds=spec.timebox_minutes * 60,
                )
            )
    for position, section in enumerate(sections):
        section.position = position
    if attach:
        sprint.sections = sections
    return sections
