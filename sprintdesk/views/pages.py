"""The page class for each kind of agenda section: the contract the main window relies on.

``PAGE_CLASSES[section.kind](doc, parent=...)`` builds a page; ``page.show_section(section)``
shows it (TEAM pages follow ``section.team_plan``) and ``page.set_presentation(on)`` hides the
editing chrome for screen sharing.
"""

from __future__ import annotations

from sprintdesk.plan.model import SectionKind
from sprintdesk.views.base import SectionPage
from sprintdesk.views.goals import GoalsPage
from sprintdesk.views.notes import NotesPage
from sprintdesk.views.outcomes import OutcomesPage
from sprintdesk.views.priorities import PrioritiesPage
from sprintdesk.views.retro import RetroPage
from sprintdesk.views.summary import SummaryPage
from sprintdesk.views.team import TeamPage

PAGE_CLASSES: dict[SectionKind, type[SectionPage]] = {
    SectionKind.OUTCOMES: OutcomesPage,
    SectionKind.RETRO: RetroPage,
    SectionKind.PRIORITIES: PrioritiesPage,
    SectionKind.GOALS: GoalsPage,
    SectionKind.TEAM: TeamPage,
    SectionKind.SUMMARY: SummaryPage,
    SectionKind.OTHER: NotesPage,
}

__all__ = ["PAGE_CLASSES", "SectionPage"]
