"""The status bar's "who is here" label on a team database: the other people with this sprint
open, the section each of them is on, and who runs the meeting's clock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from PySide6.QtWidgets import QLabel, QWidget

from sprintdesk.views.wording import tr_n


class Seat(Protocol):
    """One window with the sprint open, as shown (``storage.presence.Seat``; views read
    through the document, never the store)."""

    @property
    def client(self) -> str: ...

    @property
    def name(self) -> str: ...

    @property
    def section_id(self) -> int | None: ...


class WhoIsHere(QLabel):
    """Hidden while nobody else has the sprint open."""

    def __init__(self, *, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whoIsHere")
        self.setAccessibleName(self.tr("Who is here"))
        self.seats: list[Seat] = []
        self.hide()

    def show_seats(
        self,
        seats: Sequence[Seat],
        sections: Mapping[int, str],
        *,
        facilitator: Seat | None = None,
        me: str = "",
    ) -> None:
        """``seats``: the others; ``sections``: section titles by id; ``facilitator``: the
        seat that drives the clock (``me``: this window's client id)."""
        self.seats = list(seats)
        people = []
        for seat in self.seats:
            where = sections.get(seat.section_id) if seat.section_id is not None else None
            person = (
                seat.name
                if not where
                else self.tr("{name} ({section})").format(name=seat.name, section=where)
            )
            people.append(person)
        if not people:
            self.clear()
            self.setToolTip("")
            self.hide()
            return
        text = tr_n(
            "WhoIsHere", "%n others here: {people}", len(people), one="Also here: {people}"
        ).replace("{people}", ", ".join(people))
        if facilitator is not None and facilitator.client == me:
            text += " · " + self.tr("you run the clock")
        elif facilitator is not None:
            text += " · " + self.tr("{name} runs the clock").format(name=facilitator.name)
        self.setText(text)
        self.setToolTip("\n".join(people))
        self.show()
