"""The importer's vocabulary: read from one data file per language, merged, and used by the
parser (a Spanish plan imports like an English one)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from sprintdesk.markdown.parse import parse_plan
from sprintdesk.markdown.vocabulary import Vocabulary, vocabulary, vocabulary_dir
from sprintdesk.plan.model import ItemKind, RetroKind, Status

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"


def test_every_language_file_is_read_english_first() -> None:
    names = sorted(p.stem for p in vocabulary_dir().glob("*.json"))
    assert {"en", "es"} <= set(names)
    assert vocabulary().languages[0] == "en"
    assert set(vocabulary().languages) == set(names)


def test_heading_synonyms_follow_the_file() -> None:
    words = Vocabulary()
    words.merge(
        {
            "language": "xx",
            "sections": {"outcomes": ["^ergebnis"], "priorities": ["prio", "!hoch"]},
            "team_sections": {"high": ["=hoch"]},
        }
    )
    assert words.section_of("ergebnisse des sprints") == "outcomes"
    assert words.section_of("die ergebnisse") is None  # '^' needs the start
    assert words.section_of("prios") == "priorities"
    assert words.section_of("hoch prio") is None  # excluded
    assert words.team_section_of("hoch") == "high"
    assert words.team_section_of("sehr hoch") is None  # '=' needs the whole heading


def test_english_file_holds_the_headings_the_parser_knew() -> None:
    words = vocabulary()
    assert words.section_of("retro: status of outcomes from previous sprint") == "outcomes"
    assert words.section_of("retro: what can we do better next sprint?") == "retro"
    assert words.section_of("high priorities") is None
    assert words.team_section_of("hang over items from previous sprint") == "hangover"
    data = json.loads((vocabulary_dir() / "en.json").read_text(encoding="utf-8"))
    assert "outcome" in data["sections"]["outcomes"]


def test_a_spanish_plan_imports_like_an_english_one() -> None:
    text = (SAMPLES / "spanish_plan.md").read_text(encoding="utf-8")
    plan = parse_plan(text, today=date(2026, 1, 10))
    assert plan.name == "7"
    assert [(o.title, o.owner, o.status) for o in plan.outcomes] == [
        ("Pagos con tarjeta", "@ana-g", Status.IN_PROGRESS),
        ("Buscador nuevo", "@luis", Status.FINISHED),
    ]
    assert [(n.kind, n.text) for n in plan.retro_notes] == [
        (RetroKind.WENT_WELL, "Las demos del viernes"),
        (RetroKind.TO_IMPROVE, "Revisar antes los cambios grandes"),
    ]
    assert plan.priorities == ["Estabilidad"]
    assert [(g.title, g.owner, g.why) for g in plan.goals] == [
        ("Exportar a PDF", "@ana-g", "lo piden los clientes")
    ]
    (team,) = plan.teams
    assert team.name == "Plataforma"
    assert team.support_hero == "@luis"
    assert [(t.person, t.start, t.end) for t in team.time_off] == [
        ("@ana-g", date(2026, 3, 9), date(2026, 3, 10))
    ]
    assert [(i.kind, i.title, i.owner) for i in team.items] == [
        (ItemKind.HIGH, "Migrar la base de datos", "@luis"),
        (ItemKind.LOW, "Limpiar los registros", None),
    ]
    assert not plan.notes and not team.notes


def test_the_sprints_own_support_rota_imports_and_exports(store) -> None:
    from sprintdesk.markdown.importer import apply_plan
    from sprintdesk.markdown.render import render_plan

    text = (
        "# Sprint 9 - Mar 2 to Mar 13, 2026\n\n## Support hero this sprint\n\n"
        "Week 1: Raquel\nWeek 2: @marius\n\n# Team Web\n\n**Support hero:** @ana\n"
    )
    plan = parse_plan(text, today=date(2026, 1, 10))
    assert plan.duties == [(1, "Raquel"), (2, "@marius")]
    assert plan.teams[0].support_hero == "@ana" and not plan.teams[0].duties
    with store.unit_of_work() as session:
        sprint = apply_plan(session, plan)
        rota = sorted((d.week, d.person.name, d.team) for d in sprint.support_duties)
        assert rota == [(1, "Raquel", None), (2, "marius", None)]
        body, team = (p.markdown for p in render_plan(sprint).parts)
    assert "**Support hero:** Raquel (week 1), @marius (week 2)" in body
    assert "marius" not in team
    again = parse_plan(body, today=date(2026, 1, 10))
    assert again.duties == plan.duties
