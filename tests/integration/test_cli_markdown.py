"""``sprintdesk export`` and ``sprintdesk import`` in a subprocess: files, stdin/stdout, JSON
counts, the round trip, and one-line errors with exit 2 for bad input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "fixtures" / "samples"
MARKER = re.compile(r"sprintdesk:plan=[0-9a-f-]+")


def run(
    data_dir: Path, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    return subprocess.run(
        [sys.executable, "-m", "sprintdesk", "--data-dir", str(data_dir), *args],
        capture_output=True,
        timeout=60,
        env=env,
        input=stdin,
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("markdown-demo")
    assert run(folder, "demo").returncode == 0
    return folder


@pytest.mark.slow  # among the slowest of the suite: `make test-slow` runs it
def test_export_to_file_and_stdout_and_round_trip(demo_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    result = run(demo_dir, "export", "4", "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Sprint 4.12.0 2/2 - ")
    assert "\n---\n\n<!-- Team Pipeline -->\n\n# Team Pipeline\n" in text
    stdout = run(demo_dir, "export", "4.12.0 2/2")
    assert stdout.returncode == 0 and stdout.stdout.decode("utf-8") == text

    imported = run(demo_dir, "import", str(out), "--json")
    assert imported.returncode == 0, imported.stderr
    report = json.loads(imported.stdout)
    assert report["sprint_id"] == 5
    assert report["teams"] == 3 and report["goals"] == 2 and report["unrecognised"] == 0
    # The same database has a "4.12.0 2/2": the import gets a name of its own, and says so.
    assert report["name"] == "4.12.0 2/2 (2)"
    assert any("4.12.0 2/2 (2)" in problem for problem in report["problems"])
    again = run(demo_dir, "export", str(report["sprint_id"]))
    renamed = text.replace("# Sprint 4.12.0 2/2 - ", "# Sprint 4.12.0 2/2 (2) - ", 1)
    assert MARKER.sub("", again.stdout.decode("utf-8")) == MARKER.sub("", renamed)
    check = run(demo_dir, "check", "4.12.0 2/2")
    assert check.returncode in (0, 1) and b"use the id" not in check.stderr


def test_export_with_another_template(demo_dir: Path) -> None:
    result = run(demo_dir, "export", "4", "--template", "team-comments")
    assert result.returncode == 0
    text = result.stdout.decode("utf-8")
    assert "<summary>Retro</summary>" in text
    assert "template=team-comments" in text


def test_import_the_classic_sample_reports_counts(tmp_path: Path) -> None:
    result = run(tmp_path / "d", "import", str(SAMPLES / "classic_global_plan.md"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report == {
        "sprint_id": 1,
        "name": "4.12.0 1/2",
        "template": "classic",
        "outcomes": 4,
        "notes": 3,
        "priorities": 3,
        "goals": 3,
        "owners": 4,
        "teams": 0,
        "items": 0,
        "okrs": 0,
        "time_off": 0,
        "unrecognised": 1,
        "problems": [],
        # The sample's owner "@lena.k" (written before GitHub's rule was kept) is said.
        "no_login": [
            {"mention": "@lena.k", "person": "@lena.k", "reason": "dot", "suggestion": "lena-k"}
        ],
    }


def test_import_says_which_mentions_got_no_github_login(tmp_path: Path) -> None:
    # "@not.a.login" is no login GitHub would take: the person keeps it as a name, and the
    # import says so (in --json as a field, in the text by the mention).
    plan = tmp_path / "plan.md"
    plan.write_text(
        "# Sprint Dots - Mar 2 to Mar 13\n\n## Team Billing\n\n### High priority\n\n"
        "- Ship the dunning emails @not.a.login\n- Rotate the keys @ana-souza\n",
        encoding="utf-8",
    )
    result = run(tmp_path / "d", "import", str(plan), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["no_login"] == [
        {
            "mention": "@not.a.login",
            "person": "@not.a.login",
            "reason": "dot",
            "suggestion": "not-a-login",
        }
    ]
    text = run(tmp_path / "e", "import", str(plan)).stdout.decode("utf-8")
    assert "@not.a.login" in text and "@not-a-login" in text
    assert "ana-souza" not in text


@pytest.mark.slow  # among the slowest of the suite: `make test-slow` runs it
def test_import_from_stdin(tmp_path: Path) -> None:
    data = (SAMPLES / "team_comment_modern.md").read_bytes()
    result = run(tmp_path / "d", "import", "-", "--json", stdin=data)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["teams"], report["items"], report["okrs"], report["time_off"]) == (1, 9, 2, 2)
    text = run(tmp_path / "d", "import", "-", stdin=data).stdout.decode("utf-8")
    assert text.startswith("Imported sprint 2: Imported plan")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"\x00\x01\x02binary\x00", "binary file"),
        (b"# Sprint caf\xe9\n", "not UTF-8"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.md"
    path.write_bytes(content)
    result = run(tmp_path / "d", "import", str(path))
    assert result.returncode == 2
    err = result.stderr.decode("utf-8")
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_missing_file_unknown_sprint_and_template(demo_dir: Path, tmp_path: Path) -> None:
    for args in (
        ("import", str(tmp_path / "nope.md")),
        ("export", "999"),
        ("export", "4", "--template", "fancy"),
        ("export", "4", "-o", str(tmp_path)),
    ):
        result = run(demo_dir, *args)
        assert result.returncode == 2, args
        err = result.stderr.decode("utf-8")
        assert err.startswith("sprintdesk: ") and err.count("\n") == 1, err


def test_import_summary_names_every_kind_of_content(tmp_path: Path) -> None:
    classic = run(tmp_path / "d", "import", str(SAMPLES / "classic_global_plan.md"))
    assert classic.returncode == 0, classic.stderr
    assert classic.stdout.decode("utf-8") == (
        "Imported sprint 1: 4.12.0 1/2 — 4 outcomes, 3 retro notes, 3 priorities, 3 goals, "
        "0 teams, 0 team items, 0 OKRs, 0 time-off entries, 1 line kept as notes; @lena.k "
        "got no GitHub login (GitHub logins cannot contain a dot; did you mean @lena-k?): "
        "kept as the name “@lena.k”.\n"
    )
    team = run(tmp_path / "d", "import", str(SAMPLES / "team_comment_modern.md"))
    line = team.stdout.decode("utf-8")
    assert "1 team, 9 team items, 2 OKRs, 2 time-off entries" in line


def test_a_file_without_a_plan_is_refused_and_creates_nothing(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        "# acme-widgets\n\nA small widget library.\n\n## Installation\n\n    pip install acme\n",
        encoding="utf-8",
    )
    result = run(tmp_path / "d", "import", str(readme))
    assert result.returncode == 2
    err = result.stderr.decode("utf-8")
    assert err.startswith("sprintdesk: Found no sprint plan in README.md") and err.count("\n") == 1
    assert run(tmp_path / "d", "list").stdout.decode("utf-8").startswith("No sprints yet.")


def test_utf16_file_with_a_byte_order_mark_imports(tmp_path: Path) -> None:
    text = (SAMPLES / "classic_global_plan.md").read_text(encoding="utf-8")
    path = tmp_path / "windows.md"
    path.write_bytes(text.replace("\n", "\r\n").encode("utf-16"))  # BOM + UTF-16 LE
    result = run(tmp_path / "d", "import", str(path), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["name"], report["outcomes"], report["goals"]) == ("4.12.0 1/2", 4, 3)


@pytest.mark.slow  # among the slowest of the suite: `make test-slow` runs it
def test_import_refuses_a_plan_beyond_the_limits(tmp_path: Path) -> None:
    huge = tmp_path / "huge.md"
    huge.write_text(
        "# Sprint Huge\n\n## Sprint priorities\n\n"
        + "".join(f"{i}. Priority {i}\n" for i in range(1, 60_001)),
        encoding="utf-8",
    )
    result = run(tmp_path / "d", "import", str(huge))
    assert result.returncode == 2
    assert b"60,000 priorities" in result.stderr and b"at most 1,000" in result.stderr
    assert b"Traceback" not in result.stderr
    listed = run(tmp_path / "d", "list", "--json")
    assert json.loads(listed.stdout) == []
