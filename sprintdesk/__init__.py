"""SprintDesk: run sprint-planning meetings, keep the plan, publish it to GitHub."""

__version__ = "0.1.0"
