"""A team database on a PostgreSQL server: connecting the way libpq users expect, and telling
what went wrong in plain words.

libpq's own conventions apply unchanged (psycopg 3 is libpq): ``PGPASSWORD``, ``~/.pgpass``,
``PGSSLMODE`` and ``sslmode=``/``sslrootcert=`` in the URL's query. A password typed in
SprintDesk is kept in the keyring (one entry per server and user) and handed to the driver at
connect time only when neither the URL nor ``PGPASSWORD`` gives one; it is never part of a URL
that is shown, logged or remembered (:func:`display_url` masks one given on the command line).
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from sprintdesk.storage.errors import (
    AuthenticationError,
    DatabaseMissingError,
    PermissionDeniedError,
    ServerUnreachableError,
    StoreError,
)

if TYPE_CHECKING:
    from sqlalchemy import URL, Connection

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key held while migrating: two SprintDesks starting at once on an empty
# database migrate it once ("Sprt" in ASCII).
MIGRATION_LOCK_KEY = 0x53707274
CONNECT_TIMEOUT_SECONDS = 10


def parse(url: str) -> URL:
    from sqlalchemy.engine import make_url

    return make_url(url)


def is_server_url(url: str) -> bool:
    """True for a database on a server (PostgreSQL), False for SQLite."""
    return parse(url).get_backend_name() != "sqlite"


def display_url(url: str) -> str:
    """``url`` as it may be shown or logged: any password replaced by ``***``."""
    try:
        return parse(url).render_as_string(hide_password=True)
    except Exception:  # not a URL at all: there is nothing to hide in what cannot be parsed
        return url


def describe(url: str) -> str:
    """Short words for a team database in messages: ``sprints on db.example.com:5432``."""
    parsed = parse(url)
    return f"{parsed.database or '?'} on {parsed.host or 'localhost'}:{parsed.port or 5432}"


def connect_args(url: str) -> dict[str, Any]:
    """Extra driver arguments for a PostgreSQL URL: the keyring's password (when the URL and
    PGPASSWORD give none; ~/.pgpass is libpq's and still applies otherwise), a connect timeout
    and the application name the server shows in pg_stat_activity."""
    parsed = parse(url)
    args: dict[str, Any] = {"application_name": "SprintDesk"}
    if "connect_timeout" not in parsed.query:
        args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    if parsed.password is None and not os.environ.get("PGPASSWORD"):
        from sprintdesk.system.secrets import get_db_password

        user = parsed.username or os.environ.get("PGUSER") or _login_name()
        password = get_db_password(parsed.host or "localhost", parsed.port, user)
        if password:
            args["password"] = password
    return args


def role_name(url: str) -> str:
    """The database role a URL connects as, the way libpq picks it: the URL's user, else
    ``PGUSER``, else the login name. SprintDesk names people on a team database by it (who is
    here, who changed what): it is the identity the server checked, the same on every computer."""
    return parse(url).username or os.environ.get("PGUSER") or _login_name() or "someone"


def changer_name(url: str) -> str:
    """Who a store's edits are written by (the rows' ``changed_by``): the database role on a
    team database (:func:`role_name`), the login name on a local file."""
    if is_server_url(url):
        return role_name(url)
    return _login_name() or "someone"


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:
        return ""


def explain(exc: BaseException, url: str) -> StoreError:
    """The plain-words error for a failed connection or statement on a team database."""
    orig = getattr(exc, "orig", None) or exc
    message = " ".join(str(orig).split())
    lowered = message.lower()
    parsed = parse(url)
    where = describe(url)
    user = parsed.username or os.environ.get("PGUSER") or _login_name()
    sqlstate = getattr(orig, "sqlstate", None) or ""
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return AuthenticationError(
            f"The team database server refused user {user!r}: wrong password (or none given). "
            "Check the password in Settings → Database, PGPASSWORD or ~/.pgpass."
        )
    if 'role "' in lowered and "does not exist" in lowered:
        return AuthenticationError(
            f"The team database server has no user {user!r}. Check the user name, or ask the "
            "database's administrator to create it."
        )
    if sqlstate == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return DatabaseMissingError(
            f"The server has no database {parsed.database!r}. Check the name, or ask the "
            "administrator to create it (createdb)."
        )
    if sqlstate == "42501" or "permission denied" in lowered or "must be owner" in lowered:
        return PermissionDeniedError(
            f"User {user!r} is not allowed to do this in the team database {where} ({message}). "
            "Ask the database's administrator for the permission."
        )
    if sqlstate == "25006" or "read-only transaction" in lowered:
        return PermissionDeniedError(
            f"The team database {where} only allows reading here ({message}); nothing was changed."
        )
    reason = next((words for phrase, words in _UNREACHABLE if phrase in lowered), None)
    if reason is not None:
        # One plain sentence: libpq's own run-on text ("…connections?") stays in the log.
        log.debug("Team database %s unreachable: %s", where, message)
        return ServerUnreachableError(
            f"Cannot reach the team database server {parsed.host or 'localhost'}:"
            f"{parsed.port or 5432} ({reason}); check that it runs and that this computer "
            "can reach it (network, VPN, firewall)."
        )
    if "ssl" in lowered or "certificate" in lowered:
        return ServerUnreachableError(
            f"Could not open a secure connection to {where}: {_short(message)}. Check the TLS "
            "mode (sslmode) and the server's certificate."
        )
    return StoreError(f"The team database {where} failed: {_short(message)}.")


# libpq's words for an unreachable server, and what SprintDesk says instead (first match wins).
_UNREACHABLE = (
    ("connection refused", "the server refused the connection"),
    ("failed to resolve host", "the host name is unknown"),
    ("could not translate host name", "the host name is unknown"),
    ("timeout expired", "no answer in time"),
    ("timed out", "no answer in time"),
    ("no route to host", "no route to the host"),
    ("network is unreachable", "the network is unreachable"),
    ("the database system is shutting down", "the server is shutting down"),
    ("the database system is starting up", "the server is starting up"),
    ("server closed the connection", "the server closed the connection"),
    ("connection is lost", "the connection was lost"),
    ("connection is closed", "the connection was closed"),
    ("terminating connection", "the server ended the connection"),
    ("consuming input failed", "the connection was lost"),
    ("could not connect", "no connection"),
)


def _short(message: str) -> str:
    # psycopg prefixes "connection failed: connection to server at "h", port p failed: FATAL:"
    for marker in ("FATAL:", "ERROR:"):
        if marker in message:
            message = message.split(marker, 1)[1]
    return message.strip().rstrip(".")


def lock_for_migration(conn: Connection) -> None:
    """Hold the migration lock until the transaction ends: a second SprintDesk starting now
    waits here, then finds the schema already at head."""
    from sqlalchemy import text

    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
