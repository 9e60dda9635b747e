"""``sprintdesk publish`` / ``pull`` in a subprocess against the fake GitHub, a real kill, and
a search of every file the app wrote for the token."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from sprintdesk.github import client as github
from sprintdesk.github import publishing
from sprintdesk.plan.settings import put
from sprintdesk.storage.store import Store
from tests.conftest import FAKE_REPO, rendered_of, sprint_row
from tests.fakegithub import FakeGitHub

COMMENTS = rf"/repos/{FAKE_REPO}/issues/\d+/comments"


def cli_env(fake: FakeGitHub | None, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("QT_QPA_PLATFORM", None)
    if fake is not None:
        env["GH_TOKEN"] = fake.token
    env.update(extra)
    return env


def cli(data_dir: Path, *args: str, env: dict[str, str]) -> list[str]:
    return [sys.executable, "-m", "sprintdesk", "--data-dir", str(data_dir), *args]


def run(data_dir: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cli(data_dir, *args, env=env), capture_output=True, text=True, timeout=60, env=env
    )


@pytest.fixture
def cli_store(demo_store: Store) -> Store:
    with demo_store.unit_of_work() as session:
        put(session, github.SETTING_WRITE_INTERVAL, "0")
        put(session, github.SETTING_TIMEOUT, "2")
    return demo_store


def test_publish_prints_the_url_and_is_idempotent(cli_store, gh_sprint_id, fake_github, data_dir):
    env = cli_env(fake_github)
    args = (
        "publish",
        str(gh_sprint_id),
        "--repo",
        FAKE_REPO,
        "--api-url",
        fake_github.api_url,
        "--label",
        "sprint",
        "--label",
        "planning",
    )
    result = run(data_dir, *args, env=env)
    assert result.returncode == 0, result.stderr
    issue = fake_github.issues()[0]
    assert result.stdout.strip() == issue["html_url"]
    assert [label["name"] for label in issue["labels"]] == ["sprint", "planning"]
    writes = len(fake_github.writes)
    assert writes == len(rendered_of(cli_store, gh_sprint_id).parts)

    again = run(data_dir, "publish", str(gh_sprint_id), env=env)  # repo and API remembered
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == issue["html_url"]
    assert "nothing was sent" in again.stderr
    assert len(fake_github.writes) == writes
    with cli_store.session() as session:
        assert github.recent_repos(session) == [FAKE_REPO]


def test_publish_failure_is_one_line_exit_1(cli_store, gh_sprint_id, fake_github, data_dir):
    result = run(
        data_dir,
        "publish",
        str(gh_sprint_id),
        "--repo",
        "acme/missing",
        "--api-url",
        fake_github.api_url,
        env=cli_env(fake_github),
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "acme/missing was not found" in result.stderr


def test_publish_bad_input_exit_2(cli_store, gh_sprint_id, fake_github, data_dir):
    result = run(
        data_dir, "publish", str(gh_sprint_id), "--repo", "not a repo", env=cli_env(fake_github)
    )
    assert result.returncode == 2
    assert "owner/name" in result.stderr and "Traceback" not in result.stderr
    result = run(data_dir, "publish", str(gh_sprint_id), env=cli_env(fake_github))
    assert result.returncode == 2 and "--repo" in result.stderr
    result = run(
        data_dir,
        "publish",
        str(gh_sprint_id),
        "--repo",
        FAKE_REPO,
        "--api-url",
        "ftp://example.com",
        env=cli_env(fake_github),
    )
    assert result.returncode == 2 and "not an API URL" in result.stderr


def test_publish_without_token_or_keyring(cli_store, gh_sprint_id, fake_github, data_dir):
    env = cli_env(None, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    result = run(
        data_dir,
        "publish",
        str(gh_sprint_id),
        "--repo",
        FAKE_REPO,
        "--api-url",
        fake_github.api_url,
        env=env,
    )
    assert result.returncode == 1
    assert "no keyring is available" in result.stderr and "GH_TOKEN" in result.stderr
    assert fake_github.requests == []


def test_github_token_env_is_used_when_gh_token_is_absent(
    cli_store, gh_sprint_id, fake_github, data_dir
):
    env = cli_env(None, GITHUB_TOKEN=fake_github.token)
    result = run(
        data_dir,
        "publish",
        str(gh_sprint_id),
        "--repo",
        FAKE_REPO,
        "--api-url",
        fake_github.api_url,
        env=env,
    )
    assert result.returncode == 0, result.stderr


def test_killed_mid_publish_the_next_publish_finishes(
    cli_store, gh_sprint_id, fake_github, data_dir
):
    """SIGKILL while GitHub is creating the second comment: the next run adds only the rest."""
    rendered = rendered_of(cli_store, gh_sprint_id)
    assert len(rendered.parts) >= 3
    held = fake_github.fail(
        "POST", COMMENTS, mode="respond", perform=True, status=201, after=1, gate=threading.Event()
    )
    env = cli_env(fake_github)
    args = ("publish", str(gh_sprint_id), "--repo", FAKE_REPO, "--api-url", fake_github.api_url)
    proc = subprocess.Popen(
        cli(data_dir, *args, env=env), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert held.reached.wait(30), "the second comment never arrived"
        deadline = time.monotonic() + 10
        while len(fake_github.comments_of(1)) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
        assert held.gate is not None
        held.gate.set()
    # GitHub created two comments; the database knows only the first.
    assert len(fake_github.comments_of(1)) == 2
    sprint = sprint_row(cli_store, gh_sprint_id)
    assert sprint.publish_pending
    assert len(sprint.published_parts) == 2

    result = run(data_dir, *args, env=env)
    assert result.returncode == 0, result.stderr
    assert len(fake_github.issues()) == 1
    keys = [publishing.find_part_marker(c["body"]) for c in fake_github.comments_of(1)]
    assert keys == [p.key for p in rendered.parts[1:]]
    sprint = sprint_row(cli_store, gh_sprint_id)
    assert not sprint.publish_pending
    assert len(sprint.published_parts) == len(rendered.parts)


def test_token_is_in_no_file_the_app_wrote(
    cli_store, gh_sprint_id, fake_github, data_dir, tmp_path, memory_keyring
):
    from sprintdesk.system import secrets

    secrets.store_token(fake_github.api_url, fake_github.token)
    env = cli_env(fake_github, SPRINTDESK_LOG_LEVEL="DEBUG")
    args = (
        "--verbose",
        "publish",
        str(gh_sprint_id),
        "--repo",
        FAKE_REPO,
        "--api-url",
        fake_github.api_url,
    )
    assert run(data_dir, *args, env=env).returncode == 0
    fake_github.token = "rejected"  # a failing publish writes an error into the database
    assert (
        run(
            data_dir,
            "publish",
            str(gh_sprint_id),
            "--repo",
            "acme/other",
            "--api-url",
            fake_github.api_url,
            env=env,
        ).returncode
        == 1
    )
    secret = env["GH_TOKEN"].encode()
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.name.endswith(".db") for p in written)
    for path in written:
        assert secret not in path.read_bytes(), path


def test_pull_shows_then_applies(cli_store, gh_sprint_id, fake_github, data_dir, gh_publish):
    gh_publish()  # in-process: only the pull runs as a command here
    env = cli_env(fake_github)
    comment = fake_github.comments_of(1)[0]
    body = comment["body"]
    at = body.index("<!-- sprintdesk:part=")
    fake_github.edit_comment(
        comment["id"], body[:at] + "\n- Fix the flaky deploy @jun\n\n" + body[at:]
    )
    fake_github.reset_counts()
    shown = run(data_dir, "pull", str(gh_sprint_id), env=env)
    assert shown.returncode == 0, shown.stderr
    assert "added “Fix the flaky deploy”" in shown.stdout and "--apply" in shown.stderr
    applied = run(data_dir, "pull", str(gh_sprint_id), "--apply", env=env)
    assert applied.returncode == 0 and "Pulled 1 team section" in applied.stdout
    assert fake_github.writes == []  # pulling never writes to GitHub
    from sprintdesk.github.pull import pull_preview

    with github.GitHubClient(
        fake_github.token, fake_github.api_url, timeout=1, seconds_between_requests=None
    ) as client:
        assert pull_preview(cli_store, gh_sprint_id, client).changes == []


def test_overwrite_makes_github_match_the_plan(cli_store, gh_sprint_id, fake_github, data_dir):
    env = cli_env(fake_github)
    first = run(
        data_dir, "publish", str(gh_sprint_id), "--repo", FAKE_REPO, "--api-url",
        fake_github.api_url, env=env,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    body = fake_github.issues()[0]["body"]
    fake_github.edit_issue_body(1, body + "\n\nEdited on GitHub")

    plain = run(data_dir, "publish", str(gh_sprint_id), env=env)
    assert plain.returncode == 0 and "were not checked: --overwrite" in plain.stderr
    assert "Edited on GitHub" in fake_github.issues()[0]["body"]

    forced = run(data_dir, "publish", str(gh_sprint_id), "--overwrite", env=env)
    assert forced.returncode == 0, forced.stderr
    assert "GitHub now matches the plan: 1 request sent." in forced.stderr
    assert fake_github.issues()[0]["body"] == body

    with cli_store.unit_of_work() as session:  # a local change, and the body edited again
        from sqlalchemy import select

        from sprintdesk.plan.model import Goal

        goal = session.scalars(select(Goal).where(Goal.sprint_id == gh_sprint_id)).first()
        assert goal is not None
        goal.title = "A sharper goal"
    fake_github.edit_issue_body(1, body + "\n\nEdited again")
    refused = run(data_dir, "publish", str(gh_sprint_id), env=env)
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert "cannot be pulled" in refused.stderr
    assert refused.stderr.rstrip().endswith("(use --overwrite)")
