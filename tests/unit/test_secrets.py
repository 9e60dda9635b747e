"""The GitHub token in the keyring: per-host entries, no-keyring handling, CLI precedence.

The ``keyring_real`` tests run against a real Secret Service (``make test-keyring`` starts
gnome-keyring in a private D-Bus session) and are skipped unless SPRINTDESK_REAL_KEYRING=1.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail
from keyring.errors import InitError, NoKeyringError

from sprintdesk.system import secrets

GHE = "https://github.example.com/api/v3"


@pytest.fixture(autouse=True)
def _forget_session_tokens() -> Iterator[None]:
    secrets.clear_session_tokens()
    yield
    secrets.clear_session_tokens()


def test_one_entry_per_api_host(memory_keyring):
    secrets.store_token(secrets.DEFAULT_API_URL, "tok-public")
    secrets.store_token(GHE, "tok-enterprise")
    secrets.store_token("http://127.0.0.1:8123/api/v3", "tok-local")
    assert memory_keyring.passwords == {
        ("sprintdesk", "api.github.com"): "tok-public",
        ("sprintdesk", "github.example.com"): "tok-enterprise",
        ("sprintdesk", "127.0.0.1:8123"): "tok-local",
    }
    assert secrets.get_stored_token(GHE + "/") == "tok-enterprise"
    secrets.delete_token(GHE)
    assert secrets.get_stored_token(GHE) is None
    assert secrets.get_stored_token() == "tok-public"
    secrets.delete_token(GHE)  # deleting twice is fine


def test_empty_token_is_refused(memory_keyring):
    with pytest.raises(ValueError, match="empty"):
        secrets.store_token(secrets.DEFAULT_API_URL, "   ")
    assert memory_keyring.passwords == {}


def test_host_of():
    assert secrets.host_of("https://api.github.com/") == "api.github.com"
    assert secrets.host_of("https://GHE.example.com/api/v3") == "ghe.example.com"
    assert secrets.host_of("") == "api.github.com"
    with pytest.raises(ValueError):
        secrets.host_of("not a url")


class _Raising(KeyringBackend):
    priority = 1

    def __init__(self, error: BaseException) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


@pytest.mark.parametrize(
    "backend",
    [
        fail.Keyring(),
        _Raising(NoKeyringError("No recommended backend was available.")),
        _Raising(InitError("Failed to unlock the collection!")),
        _Raising(RuntimeError("org.freedesktop.DBus.Error.ServiceUnknown")),
    ],
    ids=["fail-backend", "NoKeyringError", "InitError", "RuntimeError"],
)
def test_no_working_keyring_offers_a_session_token(backend, tmp_path):
    keyring.set_keyring(backend)
    assert not secrets.keyring_available()
    with pytest.raises(secrets.KeyringUnavailableError) as caught:
        secrets.store_token(secrets.DEFAULT_API_URL, "tok-123")
    assert "No keyring is available" in str(caught.value)
    assert "this session only" in str(caught.value)
    with pytest.raises(secrets.KeyringUnavailableError):
        secrets.get_stored_token()
    secrets.set_session_token(secrets.DEFAULT_API_URL, "tok-123")
    assert secrets.get_stored_token() == "tok-123"
    assert secrets.has_session_token(secrets.DEFAULT_API_URL)
    secrets.delete_token(secrets.DEFAULT_API_URL)
    assert not secrets.has_session_token(secrets.DEFAULT_API_URL)
    # Never a plaintext fallback: nothing was written anywhere.
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_cli_token_precedence(memory_keyring):
    secrets.store_token(secrets.DEFAULT_API_URL, "from-keyring")
    env = {"GH_TOKEN": "from-gh", "GITHUB_TOKEN": "from-github"}
    assert secrets.cli_token(environ=env) == ("from-gh", "GH_TOKEN")
    assert secrets.cli_token(environ={"GITHUB_TOKEN": "from-github"}) == (
        "from-github",
        "GITHUB_TOKEN",
    )
    assert secrets.cli_token(environ={"GH_TOKEN": "  "}) == ("from-keyring", "keyring")
    token, reason = secrets.cli_token(GHE, environ={})
    assert token is None and "github.example.com" in reason and "GH_TOKEN" in reason


def test_cli_token_without_keyring_is_a_reason_not_a_crash():
    keyring.set_keyring(fail.Keyring())
    token, reason = secrets.cli_token(environ={})
    assert token is None and "no keyring is available" in reason


# --- against a real Secret Service (make test-keyring) -------------------------------------

real = pytest.mark.skipif(
    os.environ.get("SPRINTDESK_REAL_KEYRING") != "1",
    reason="needs a real Secret Service: make test-keyring",
)


@pytest.fixture
def real_keyring(memory_keyring) -> Iterator[KeyringBackend]:
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    keyring.set_keyring(backend)
    yield backend
    with contextlib.suppress(Exception):  # already gone
        backend.delete_password(secrets.SERVICE, "real-test.example.com")


@real
@pytest.mark.keyring_real
def test_real_secret_service_round_trip(real_keyring, tmp_path):
    url = "https://real-test.example.com/api/v3"
    assert secrets.keyring_available()
    secrets.store_token(url, "ghp_real_keyring_token_42")
    assert secrets.get_stored_token(url) == "ghp_real_keyring_token_42"
    # Another process reads the same entry: it is in the Secret Service, not in our memory.
    code = (
        "import keyring; from keyring.backends import SecretService; "
        "keyring.set_keyring(SecretService.Keyring()); "
        "print(keyring.get_password('sprintdesk', 'real-test.example.com'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=30, check=True
    )
    assert out.stdout.strip() == "ghp_real_keyring_token_42"
    secrets.delete_token(url)
    assert secrets.get_stored_token(url) is None


@real
@pytest.mark.keyring_real
def test_real_secret_service_feeds_the_cli(real_keyring):
    url = "https://real-test.example.com/api/v3"
    secrets.store_token(url, "ghp_cli_from_keyring")
    code = (
        f"from sprintdesk.system.secrets import cli_token; print(cli_token({url!r}, environ={{}}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in secrets.ENV_VARS}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
        env=env,
    )
    assert out.stdout.strip() == "('ghp_cli_from_keyring', 'keyring')"


def test_every_token_in_use_is_redacted_from_logs(memory_keyring, monkeypatch):
    """Tokens of any format (Enterprise, fine-grained, from the environment) never reach a log."""
    from sprintdesk.system import secrets
    from sprintdesk.system.logs import forget_secrets, redact

    forget_secrets()
    odd = "enterprise-token-0123456789abcdef"
    memory_keyring.set_password("sprintdesk", "ghe.example.com", odd)
    assert odd in redact(f"value {odd}")  # not known yet: nothing to hide it by
    assert secrets.get_stored_token("https://ghe.example.com/api/v3") == odd
    assert odd not in redact(f"value {odd}")
    env_token = "env-token-fedcba9876543210"
    monkeypatch.setenv("GH_TOKEN", env_token)
    assert secrets.cli_token()[0] == env_token
    assert env_token not in redact(f"failed with {env_token}")
    session_token = "session-token-1122334455"
    secrets.set_session_token("https://api.github.com", session_token)
    assert session_token not in redact(session_token)
    secrets.clear_session_tokens()
    forget_secrets()
