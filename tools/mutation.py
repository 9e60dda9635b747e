"""Mutation testing of SprintDesk's core with mutmut, one module at a time.

Each module is mutated in its own working folder (``build/mutation/<module>``: a copy of the
package, the tests and a ``pyproject.toml`` with a ``[tool.mutmut]`` table for that module
alone), and each mutant is run against the tests of that module only: the unit tests listed in
``MODULES`` (mutmut narrows them further to the tests that call the mutated function). A mutant
that no test reaches counts as a survivor in the score printed at the end.

    python tools/mutation.py                  # every module, one after the other
    python tools/mutation.py workdays meeting # some of them
    python tools/mutation.py --resume meeting # keep earlier results (after a test change,
                                              # only the functions whose code changed rerun)
    python tools/mutation.py --survivors meeting  # list the survivors of the last run

Runs use one worker process (``--jobs``) at low priority: it is slow, and it is not part of
``make test``. ``make mutation MODULES="workdays meeting"`` is the same.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "mutation"

UNIT = "tests/unit/"
PUBLISH_IN_PROCESS = [
    "tests/integration/test_publish.py",
    "tests/integration/test_publish_failures.py",
    "tests/integration/test_publish_pull.py",
    "tests/integration/test_publish_recovery.py",
    "tests/integration/test_publish_github_edits.py",
]


@dataclass(frozen=True)
class Module:
    """A module to mutate and the test files that exercise it."""

    path: str
    tests: tuple[str, ...]


def _unit(*names: str) -> tuple[str, ...]:
    return tuple(UNIT + name for name in names)


# module -> the tests that can kill its mutants. Unit tests plus, for publishing, the
# in-process publishing tests (PyGithub against the fake GitHub over real HTTP). Test files
# that do not exist (yet) are skipped.
MODULES: dict[str, Module] = {
    "workdays": Module(
        "sprintdesk/plan/workdays.py",
        _unit("test_workdays.py", "test_capacity.py", "test_rules_capacity.py"),
    ),
    "meeting": Module(
        "sprintdesk/plan/meeting.py",
        _unit(
            "test_meeting.py",
            "test_meeting_clock_edges.py",
            "test_meeting_reading.py",
            "test_meeting_following.py",
        ),
    ),
    "times": Module(
        "sprintdesk/plan/times.py",
        _unit(
            "test_times.py",
            "test_meeting.py",
            "test_meeting_clock_edges.py",
            "test_render_totals.py",
        ),
    ),
    "rules": Module(
        "sprintdesk/plan/rules.py",
        _unit("test_rules.py", "test_rules_capacity.py", "test_rules_placement.py"),
    ),
    "capacity": Module(
        "sprintdesk/plan/capacity.py",
        _unit(
            "test_capacity.py",
            "test_capacity_people.py",
            "test_rules_capacity.py",
            "test_rules.py",
        ),
    ),
    "planning": Module(
        "sprintdesk/plan/planning.py",
        _unit("test_planning.py", "test_planning_load.py", "test_history.py"),
    ),
    "render": Module(
        "sprintdesk/markdown/render.py",
        # test_markdown_props.py's round trip takes ~8 s a run: too slow to repeat per mutant.
        _unit(
            "test_render.py",
            "test_render_totals.py",
            "test_render_team.py",
            "test_render_kept_sections.py",
        ),
    ),
    "publishing": Module(
        "sprintdesk/github/publishing.py",
        (*_unit("test_publishing_plan.py"), *PUBLISH_IN_PROCESS),
    ),
    "conflicts": Module(
        "sprintdesk/storage/conflicts.py",
        # Who changed a row and when is stamped here too (schema 0005).
        _unit("test_conflicts.py", "test_who_changed.py"),
    ),
    "importer": Module(
        "sprintdesk/markdown/importer.py",
        # test_markdown_props.py's hypothesis round trips are too slow to repeat per mutant.
        _unit(
            "test_importer.py",
            "test_replace_plan.py",
            "test_corpus.py",
            "test_vocabulary.py",
            "test_render.py",
        ),
    ),
}

# pytest options for every mutant's run. Tests that run on SQLite and on PostgreSQL (the
# ``db_url`` fixture) run on SQLite only: every mutant runs in a fresh process, where the
# PostgreSQL variants would start a private cluster each time and double the rest, for rules
# that are the same on both engines (``make test`` still runs both).
PYTEST_ARGS = ["-p", "no:cacheprovider", "-p", "mutation_plugin", "-m", "not postgresql"]

KILLED = {"killed", "timeout", "caught by type check", "segfault"}


def _copy_tree(source: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(
        source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".hypothesis")
    )


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(item) for item in items) + "]"


def prepare(name: str, module: Module, *, resume: bool) -> Path:
    """Lay out the module's working folder; without ``resume`` earlier results are dropped."""
    folder = WORK / name
    folder.mkdir(parents=True, exist_ok=True)
    if not resume and (folder / "mutants").exists():
        shutil.rmtree(folder / "mutants")
    # copy2 keeps modification times: mutmut regenerates the mutants of a source file only
    # when the source is newer than its mutated copy.
    _copy_tree(ROOT / "sprintdesk", folder / "sprintdesk")
    _copy_tree(ROOT / "tests", folder / "tests")
    # The shipped files (the markdown vocabulary, templates) are found beside the package.
    _copy_tree(ROOT / "resources", folder / "resources")
    if (folder / "mutants" / "resources").exists():
        shutil.rmtree(folder / "mutants" / "resources")
    if (folder / "mutants" / "tests").exists():
        shutil.rmtree(folder / "mutants" / "tests")  # tests may have changed: copy them anew
    shutil.copy2(ROOT / "conftest.py", folder / "conftest.py")
    shutil.copy2(ROOT / "tools" / "mutation_plugin.py", folder / "mutation_plugin.py")
    tests = [test for test in module.tests if (ROOT / test).exists()]
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    config += (
        "\n[tool.mutmut]\n"
        'source_paths = ["sprintdesk"]\n'
        f"only_mutate = {_toml_list([module.path])}\n"
        'also_copy = ["conftest.py", "mutation_plugin.py", "resources"]\n'
        "pytest_add_cli_args = " + _toml_list(PYTEST_ARGS) + "\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(tests)}\n"
        "use_git_change_detection = false\n"
    )
    (folder / "pyproject.toml").write_text(config, encoding="utf-8")
    return folder


def results(folder: Path, module: Module) -> dict[str, str]:
    """Mutant name -> mutmut's status, read from the module's ``.meta`` file."""
    from mutmut.stats import status_by_exit_code

    meta = folder / "mutants" / (module.path + ".meta")
    if not meta.exists():
        return {}
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {key: status_by_exit_code[code] for key, code in codes.items()}


def score(statuses: dict[str, str]) -> float:
    """Percent of the mutants killed (a mutant no test reaches is not)."""
    killed = sum(1 for status in statuses.values() if status in KILLED)
    return 100.0 * killed / len(statuses) if statuses else 0.0


def score_line(name: str, statuses: dict[str, str], seconds: float | None = None) -> str:
    counts = Counter(statuses.values())
    total = len(statuses)
    killed = sum(counts[status] for status in KILLED)
    percent = score(statuses)
    rest = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    took = f" in {seconds:.0f} s" if seconds is not None else ""
    return f"{name:<11} {killed:>4} / {total:<4} killed  {percent:5.1f}%{took}  ({rest})"


def run(
    name: str, module: Module, *, resume: bool, jobs: int, alive: bool = False
) -> tuple[dict[str, str], float]:
    # With ``alive``, the mutants the last run left alive (or did not reach) run again against
    # the current tests; the killed ones stay killed (adding tests cannot bring them back).
    before = _exit_codes(WORK / name, module) if alive else {}
    again = (
        sorted(k for k, v in results(WORK / name, module).items() if v not in KILLED)
        if alive
        else []
    )
    folder = prepare(name, module, resume=resume or alive)
    started = time.monotonic()
    command = [sys.executable, "-m", "mutmut", "run", "--max-children", str(jobs), *again]
    if hasattr(os, "nice"):
        command = ["nice", "-n", "15", *command]
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHONDONTWRITEBYTECODE="1",
        SPRINTDESK_MUTATION_DIR=str(folder),
    )
    log = folder / "mutmut.log"
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.call(command, cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.monotonic() - started
    if code != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        raise SystemExit(f"mutmut failed on {name} (exit {code}); end of {log}:\n{tail}")
    if alive:
        _keep_earlier_results(folder, module, before, again)
    return results(folder, module), seconds


def _meta(folder: Path, module: Module) -> Path:
    return folder / "mutants" / (module.path + ".meta")


def _exit_codes(folder: Path, module: Module) -> dict[str, int | None]:
    meta = _meta(folder, module)
    if not meta.exists():
        return {}
    codes: dict[str, int | None] = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return codes


def _keep_earlier_results(
    folder: Path, module: Module, before: dict[str, int | None], again: list[str]
) -> None:
    """mutmut forgets every result when the tests or their selection changed; after an
    ``--alive`` run the mutants it did not run again keep the result of the run before."""
    meta = _meta(folder, module)
    if not meta.exists():
        return
    data = json.loads(meta.read_text(encoding="utf-8"))
    codes = data["exit_code_by_key"]
    rerun = set(again)
    for key, code in before.items():
        if key in codes and key not in rerun and codes[key] is None:
            codes[key] = code
    meta.write_text(json.dumps(data), encoding="utf-8")


def survivors(name: str, module: Module) -> None:
    """Print the diff of every mutant the last run of ``name`` left alive."""
    folder = WORK / name
    statuses = results(folder, module)
    alive = sorted(
        key for key, status in statuses.items() if status not in KILLED | {"not checked"}
    )
    for key in alive:
        print(f"--- {key}: {statuses[key]}")
        shown = subprocess.run(
            [sys.executable, "-m", "mutmut", "show", key],
            cwd=folder,
            capture_output=True,
            text=True,
            check=False,
        )
        print(shown.stdout.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help=f"of: {' '.join(MODULES)} (default: all)")
    parser.add_argument("--resume", action="store_true", help="keep earlier results")
    parser.add_argument(
        "--alive", action="store_true", help="run again only the mutants the last run left alive"
    )
    parser.add_argument("--jobs", type=int, default=1, help="mutmut worker processes (1)")
    parser.add_argument("--survivors", action="store_true", help="show the last run's survivors")
    parser.add_argument(
        "--fail-under", type=float, metavar="PERCENT", help="exit 1 when a score is lower"
    )
    args = parser.parse_args(argv)
    unknown = [name for name in args.modules if name not in MODULES]
    if unknown:
        parser.error(f"unknown module(s) {' '.join(unknown)}; known: {' '.join(MODULES)}")
    names = args.modules or list(MODULES)
    if args.survivors:
        for name in names:
            survivors(name, MODULES[name])
        return 0
    lines = []
    low = []
    for name in names:
        statuses, seconds = run(
            name, MODULES[name], resume=args.resume, jobs=args.jobs, alive=args.alive
        )
        line = score_line(name, statuses, seconds)
        print(line, flush=True)
        lines.append(line)
        if args.fail_under is not None and score(statuses) < args.fail_under:
            low.append(name)
    if len(lines) > 1:
        print("\nMutation scores (mutants no test reaches count as survivors):")
        print("\n".join(lines))
    if low:
        print(f"Below {args.fail_under:g}%: {' '.join(low)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
