"""The GitHub token (one entry per API host) and team database passwords (one per server and
user) in the operating system's keyring.

The token lives with ``keyring`` under the service ``sprintdesk`` and the API host as user name
(``api.github.com``, ``github.example.com``, ...). It is never written anywhere else: when no
keyring backend works (headless Linux without a Secret Service raises ``NoKeyringError``,
``InitError`` or a plain ``RuntimeError``) the caller is told in plain words and may keep a token
for this session only, in memory. There is no plaintext fallback. On the command line
``GH_TOKEN`` and then ``GITHUB_TOKEN`` win over the keyring, as in GitHub's own tools.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

SERVICE = "sprintdesk"
DEFAULT_API_URL = "https://api.github.com"
ENV_VARS = ("GH_TOKEN", "GITHUB_TOKEN")

KEYRING_UNAVAILABLE = (
    "No keyring is available on this computer (no Secret Service, KWallet or system keychain "
    "answered), so SprintDesk cannot store the GitHub token safely. You can use a token for "
    "this session only; it is forgotten when SprintDesk closes."
)

# Tokens kept for this session only, when the keyring cannot store them. Never written to disk.
_session_tokens: dict[str, str] = {}


class KeyringUnavailableError(Exception):
    """No working keyring backend: the message says so in plain words."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(KEYRING_UNAVAILABLE)
        self.detail = detail


def host_of(api_url: str) -> str:
    """The keyring entry name for an API URL: its host (and port, when one is given)."""
    parts = urlsplit(api_url.strip() or DEFAULT_API_URL)
    host = (parts.hostname or "").lower()
    if not host:
        raise ValueError(f"Not an API URL: {api_url!r}")
    return f"{host}:{parts.port}" if parts.port else host


def _keyring_errors() -> tuple[type[BaseException], ...]:
    from keyring.errors import InitError, NoKeyringError

    return (NoKeyringError, InitError, RuntimeError)


def _check_backend() -> None:
    """Raise :class:`KeyringUnavailableError` when the selected backend cannot work at all."""
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring):
        raise KeyringUnavailableError("keyring.backends.fail")
    priority = getattr(type(backend), "priority", 1)
    try:
        if float(priority) <= 0:
            raise KeyringUnavailableError(type(backend).__name__)
    except (TypeError, ValueError):
        pass


def keyring_available() -> bool:
    """True when a keyring backend answers a read (nothing is written to find out)."""
    try:
        _check_backend()
        import keyring

        keyring.get_password(SERVICE, "__probe__")
    except KeyringUnavailableError:
        return False
    except _keyring_errors():
        return False
    return True


def _known(token: str | None) -> str | None:
    """Every token SprintDesk holds is redacted from the logs, whatever its format."""
    if token:
        from sprintdesk.system.logs import register_secret

        register_secret(token)
    return token


def get_stored_token(api_url: str = DEFAULT_API_URL) -> str | None:
    """The token for this API host: the session one first, then the keyring's."""
    host = host_of(api_url)
    if host in _session_tokens:
        return _session_tokens[host]
    import keyring

    try:
        _check_backend()
        return _known(keyring.get_password(SERVICE, host) or None)
    except _keyring_errors() as exc:
        raise KeyringUnavailableError(str(exc)) from None


def store_token(api_url: str, token: str) -> None:
    """Keep ``token`` in the keyring; raises :class:`KeyringUnavailableError` if none works."""
    token = token.strip()
    if not token:
        raise ValueError("The token is empty.")
    _known(token)
    host = host_of(api_url)
    import keyring

    try:
        _check_backend()
        keyring.set_password(SERVICE, host, token)
    except _keyring_errors() as exc:
        raise KeyringUnavailableError(str(exc)) from None
    _session_tokens.pop(host, None)


def set_session_token(api_url: str, token: str) -> None:
    """Keep ``token`` in memory for this session only (when no keyring works)."""
    token = token.strip()
    if not token:
        raise ValueError("The token is empty.")
    _session_tokens[host_of(api_url)] = _known(token) or token


def has_session_token(api_url: str) -> bool:
    return host_of(api_url) in _session_tokens


def delete_token(api_url: str) -> None:
    """Forget the token for this API host, in the keyring and in this session."""
    host = host_of(api_url)
    _session_tokens.pop(host, None)
    import keyring
    from keyring.errors import PasswordDeleteError

    try:
        _check_backend()
        keyring.delete_password(SERVICE, host)
    except (PasswordDeleteError, KeyringUnavailableError):
        pass  # nothing stored there, or no keyring that could hold it
    except _keyring_errors():
        pass


def clear_session_tokens() -> None:
    """Forget every session-only token (process-wide; tests and benchmarks start from none)."""
    _session_tokens.clear()


def cli_token(
    api_url: str = DEFAULT_API_URL, environ: Mapping[str, str] | None = None
) -> tuple[str | None, str]:
    """The token for the command line and where it came from: GH_TOKEN, GITHUB_TOKEN, keyring.

    Returns ``(None, reason)`` when there is none; a broken keyring is a reason, not an error.
    """
    env = os.environ if environ is None else environ
    for name in ENV_VARS:
        value = env.get(name, "").strip()
        if value:
            return _known(value) or value, name
    try:
        token = get_stored_token(api_url)
    except KeyringUnavailableError:
        return None, (
            f"no keyring is available to read the token from; set GH_TOKEN for {host_of(api_url)}"
        )
    if token:
        return token, "keyring"
    return None, (
        f"no GitHub token for {host_of(api_url)}: set GH_TOKEN or save one in "
        "SprintDesk's Settings → GitHub"
    )


# --- team database passwords ----------------------------------------------------------------


def db_password_key(host: str, port: int | None, user: str) -> str:
    """The keyring entry name for a database password: one per server and user."""
    return f"postgresql://{user}@{(host or 'localhost').lower()}:{port or 5432}"


def get_db_password(host: str, port: int | None, user: str) -> str | None:
    """The password typed in SprintDesk for this server and user, or None (also when no
    keyring works: libpq's own PGPASSWORD and ~/.pgpass still apply)."""
    import keyring

    try:
        _check_backend()
        return _known(keyring.get_password(SERVICE, db_password_key(host, port, user)) or None)
    except KeyringUnavailableError:
        return None
    except _keyring_errors():
        return None


def store_db_password(host: str, port: int | None, user: str, password: str) -> None:
    """Keep a database password in the keyring; raises :class:`KeyringUnavailableError`."""
    if not password:
        raise ValueError("The password is empty.")
    _known(password)
    import keyring

    try:
        _check_backend()
        keyring.set_password(SERVICE, db_password_key(host, port, user), password)
    except _keyring_errors() as exc:
        raise KeyringUnavailableError(str(exc)) from None
