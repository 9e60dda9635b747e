"""The log file, --verbose, and the redaction of GitHub tokens in every record."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from sprintdesk.system import logs
from sprintdesk.system.paths import default_data_dir

CLASSIC = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
FINE_GRAINED = (
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123"
)


@pytest.fixture(autouse=True)
def clean_logging() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    sprintdesk_level = logging.getLogger("sprintdesk").level
    yield
    logs.teardown_logging()
    logs.forget_secrets()
    root.setLevel(level)
    logging.getLogger("sprintdesk").setLevel(sprintdesk_level)


@pytest.mark.parametrize("prefix", ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"])
def test_every_github_token_prefix_is_redacted(prefix: str) -> None:
    token = prefix + "x9Y8z7W6v5U4t3S2r1Q0p9O8n7M6l5K4j3I2"
    text = logs.redact(f"token={token}, next")
    assert token not in text
    assert text == f"token={logs.REDACTED}, next"


def test_fine_grained_token_and_authorization_header_are_redacted() -> None:
    assert FINE_GRAINED not in logs.redact(f"using {FINE_GRAINED}")
    text = logs.redact("headers: {'Authorization: token s3cr3t-value-xyz'}")
    assert "s3cr3t-value-xyz" not in text


def test_registered_secret_of_any_shape_is_redacted() -> None:
    secret = "enterprise-token-0042-secret"
    assert logs.redact(f"value {secret}.") == f"value {secret}."
    logs.register_secret(secret)
    assert logs.redact(f"value {secret}.") == f"value {logs.REDACTED}."
    logs.register_secret("ab")  # too short to redact safely: ignored
    assert logs.redact("ab cab") == "ab cab"
    logs.forget_secrets()
    assert secret in logs.redact(secret)


def test_ordinary_text_is_untouched() -> None:
    text = "Published sprint 4.12.0 1/2 to octo/plans#42 (ghost_user, ghp short)"
    assert logs.redact(text) == text


def test_log_goes_under_the_data_dir_when_one_is_chosen(tmp_path: Path) -> None:
    path = logs.setup_logging(data_dir=tmp_path / "data")
    assert path == tmp_path / "data" / "logs" / "sprintdesk.log"
    logging.getLogger("sprintdesk.test").info("hello from the test")
    logs.teardown_logging()
    assert "hello from the test" in path.read_text(encoding="utf-8")


def test_default_data_dir_logs_to_the_platform_log_dir(tmp_path: Path) -> None:
    # conftest points XDG_STATE_HOME at tmp_path, so the platform log dir is in there too.
    folder = logs.default_log_dir(default_data_dir())
    assert folder != default_data_dir() / "logs"
    assert "SprintDesk" in folder.parts
    assert str(folder).startswith(str(tmp_path))


def test_tokens_never_reach_the_file(tmp_path: Path) -> None:
    path = logs.setup_logging(log_dir=tmp_path / "logs")
    registered = "plain-looking-secret-123456"
    logs.register_secret(registered)
    log = logging.getLogger("sprintdesk.github.client")
    log.info("publishing with %s", CLASSIC)
    log.warning("header Authorization: Bearer %s", registered)
    try:
        raise RuntimeError(f"401 for token {FINE_GRAINED} / {registered}")
    except RuntimeError:
        log.exception("publish failed")
    logging.getLogger("urllib3").error("third-party line with %s", CLASSIC)
    logs.teardown_logging()
    text = path.read_text(encoding="utf-8")
    for secret in (CLASSIC, FINE_GRAINED, registered):
        assert secret not in text
    assert text.count(logs.REDACTED) >= 5
    assert "Traceback (most recent call last)" in text
    assert "RuntimeError: 401 for token" in text


def test_verbose_logs_debug_and_default_does_not(tmp_path: Path) -> None:
    path = logs.setup_logging(log_dir=tmp_path / "quiet")
    logging.getLogger("sprintdesk.x").debug("detail one")
    logging.getLogger("sprintdesk.x").info("summary one")
    logs.teardown_logging()
    quiet = path.read_text(encoding="utf-8")
    assert "summary one" in quiet and "detail one" not in quiet

    path = logs.setup_logging(log_dir=tmp_path / "loud", verbose=True)
    logging.getLogger("sprintdesk.x").debug("detail two")
    logs.teardown_logging()
    assert "detail two" in path.read_text(encoding="utf-8")


def test_setup_twice_does_not_duplicate_lines(tmp_path: Path) -> None:
    logs.setup_logging(log_dir=tmp_path)
    path = logs.setup_logging(log_dir=tmp_path)
    logging.getLogger("sprintdesk.x").info("only once")
    logs.teardown_logging()
    assert path.read_text(encoding="utf-8").count("only once") == 1


def test_the_file_rotates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logs, "MAX_BYTES", 2_000)
    path = logs.setup_logging(log_dir=tmp_path)
    for i in range(100):
        logging.getLogger("sprintdesk.x").info("line %03d %s", i, "." * 40)
    logs.teardown_logging()
    rotated = sorted(p.name for p in tmp_path.iterdir())
    assert "sprintdesk.log.1" in rotated
    assert len(rotated) <= logs.BACKUP_COUNT + 1
    assert path.stat().st_size <= 2_000


def test_unwritable_log_folder_falls_back_to_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    path = logs.setup_logging(log_dir=blocker / "logs")
    logging.getLogger("sprintdesk.x").warning("still visible %s", CLASSIC)
    logs.teardown_logging()
    err = capsys.readouterr().err
    assert "still visible [REDACTED]" in err
    assert CLASSIC not in err
    assert not path.exists()
