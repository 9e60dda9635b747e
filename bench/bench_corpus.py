"""The corpus score: how many of the hand-written facts of 46 real sprint posts the importer
recognises (``tests/fixtures/corpus``), overall and per kind of fact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sprintdesk.markdown.facts import FACT_KINDS, Score, plan_facts, score, year_date
from sprintdesk.markdown.parse import parse_post

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "corpus"


def corpus_posts() -> list[tuple[Path, dict[str, Any]]]:
    """Each post's markdown file and its key."""
    return [
        (path, json.loads(path.with_suffix(".json").read_text(encoding="utf-8")))
        for path in sorted(CORPUS.glob("[0-9][0-9]_*.md"))
    ]


def corpus_score(*, verbose: bool = False) -> Score:
    total = Score()
    for path, key in corpus_posts():
        text = path.read_text(encoding="utf-8")
        parsed = parse_post(
            text,
            title=key["title"],
            comment=key["form"] == "team-comment",
            today=year_date(int(key["year"])),
        )
        result = score(key["expected"], plan_facts(parsed))
        if verbose:
            print(f"{path.stem}: {result.total_found}/{result.total_expected}")
            for fact in result.missed:
                print("   missed", fact)
        total.add(result)
    return total


def main(verbose: bool = False) -> int:
    total = corpus_score(verbose=verbose)
    print(
        f"corpus: {total.total_found}/{total.total_expected} facts recognised "
        f"({total.ratio():.0%}) in {len(corpus_posts())} posts"
    )
    for kind in FACT_KINDS:
        expected = total.expected[kind]
        if expected:
            print(
                f"  {kind:<11} {total.found[kind]:>3}/{expected:<3} "
                f"{total.found[kind] / expected:.0%}"
            )
    return 0


if __name__ == "__main__":
    import sys

    main(verbose="-v" in sys.argv)
