"""Dates and rotas written in Spanish ("3 de marzo", "del 3 al 14 de marzo", "mar.",
"Semana 1: @x"): the month names, the small words of a date and the week word come from
resources/vocabulary/es.json, and a Spanish post's title, rota and time off are read."""

from __future__ import annotations

import json
from datetime import date

import pytest

from sprintdesk.markdown.parse import parse_post, without_dates
from sprintdesk.markdown.vocabulary import Vocabulary, vocabulary, vocabulary_dir

BODY = "## Prioridades\n\n1. Publicar el importador\n"
TODAY = date(2026, 2, 1)
POST = """# Planificación del sprint 12 — del 3 al 14 de marzo

## Héroe de soporte

Semana 1: @eva
Semana 2: @fer

## Prioridades

1. Publicar el importador

# Equipo Web

Héroe de soporte: @ana (semana 1), @ben (semana 2)

Vacaciones: @ben del 5 al 6 de marzo

@cy ausente del 27 de febrero al 4 de marzo

@dani de vacaciones 10 de mar.

### Alta prioridad

- Tarea uno @ana
"""


def test_a_spanish_post_gets_its_dates() -> None:
    plan = parse_post(POST, today=date(2026, 2, 20))
    assert (plan.start, plan.end) == (date(2026, 3, 3), date(2026, 3, 14))
    assert plan.duties == [(1, "@eva"), (2, "@fer")]  # the sprint's own rota, "Semana 1: …"
    (team,) = plan.teams
    assert team.name == "Web" and team.duties == [(1, "@ana"), (2, "@ben")]
    assert [(t.person, t.start, t.end) for t in team.time_off] == [
        ("@ben", date(2026, 3, 5), date(2026, 3, 6)),
        ("@cy", date(2026, 2, 27), date(2026, 3, 4)),
        ("@dani", date(2026, 3, 10), date(2026, 3, 10)),
    ]


@pytest.mark.parametrize(
    ("title", "name", "start", "end"),
    [
        ("Sprint 12 - del 3 al 14 de marzo", "12", date(2026, 3, 3), date(2026, 3, 14)),
        ("Sprint 12 (3 a 14 de mar.)", "12", date(2026, 3, 3), date(2026, 3, 14)),
        ("Sprint 5: 3 de marzo", "5", date(2026, 3, 3), None),
        (
            "Sprint 7 - del 28 de febrero al 10 de marzo de 2027",
            "7",
            date(2027, 2, 28),
            date(2027, 3, 10),
        ),
        # The year written once, at the end, across New Year: the start is the year before.
        (
            "Sprint 9 - del 22 de dic al 9 de enero de 2027",
            "9",
            date(2026, 12, 22),
            date(2027, 1, 9),
        ),
        # The year left out: the nearest to the day the post was written.
        ("Sprint 3 - 8 sept - 19 sept", "3", date(2025, 9, 8), date(2025, 9, 19)),
        ("Sprint 4 - 1 de agosto al 12 de agosto", "4", date(2026, 8, 1), date(2026, 8, 12)),
        # English as before.
        ("Sprint 4 - Mar 2 to Mar 13", "4", date(2026, 3, 2), date(2026, 3, 13)),
        ("Sprint 4 - 2 March - 13 March", "4", date(2026, 3, 2), date(2026, 3, 13)),
    ],
)
def test_titles_with_spanish_dates(title: str, name: str, start: date, end: date | None) -> None:
    plan = parse_post(BODY, title=title, today=date(2026, 2, 20))
    assert (plan.name, plan.start, plan.end) == (name, start, end)
    assert without_dates(title).removeprefix("Sprint ").strip(" -:") == name


def test_dates_that_do_not_exist_are_said_so() -> None:
    plan = parse_post(BODY, title="Sprint 8 - del 30 de febrero al 12 de marzo", today=TODAY)
    assert (plan.start, plan.end) == (None, None)
    assert any("not real dates" in p for p in plan.problems)


def test_month_names_come_from_the_vocabulary_files() -> None:
    data = json.loads((vocabulary_dir() / "es.json").read_text(encoding="utf-8"))
    assert "marzo" in data["months"][2] and "de" in data["date_words"]["of"]
    merged = vocabulary()
    assert [merged.month_number(n) for n in ("marzo", "Mar.", "dic", "sept", "enero")] == [
        3,
        3,
        12,
        9,
        1,
    ]
    # The mechanism, not a list in the code: a language's file adds its months.
    french = Vocabulary()
    french.merge({"language": "fr", "months": [["janvier", "janv"], ["février"]]})
    assert (french.month_number("Janv."), french.month_number("février")) == (1, 2)
    assert french.month_number("marzo") is None
