"""Logging: a rotating log file in the user's log directory, and a filter that keeps GitHub
tokens out of every log line, traceback and crash report.

The log folder is the platform's (``platformdirs.user_log_dir``) unless the data directory was
chosen with ``--data-dir`` or ``SPRINTDESK_DATA_DIR``; then it is ``<data dir>/logs`` so that a
test or a second SprintDesk set-up keeps everything in one place. No Qt here.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
from pathlib import Path

from sprintdesk.system.paths import APP_NAME, default_data_dir

LOG_FILENAME = "sprintdesk.log"
LOG_DIRNAME = "logs"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
REDACTED = "[REDACTED]"
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"

# GitHub's token formats: classic/OAuth/user-to-server/server-to-server/refresh tokens
# (ghp_, gho_, ghu_, ghs_, ghr_) and fine-grained personal access tokens (github_pat_).
# Shorter bodies than GitHub issues are matched on purpose: a cut-off token is still secret.
_TOKEN_PATTERNS = (
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{10,}"),
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{10,}"),
    # Whatever follows an Authorization header, whatever the token looks like.
    re.compile(r"(?i)(?<=authorization: )(?:token|bearer|basic) [^\s'\"]+"),
)
# Registered values shorter than this are ignored: redacting "a" would wreck every line.
_MIN_SECRET_LENGTH = 6

_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_installed: list[logging.Handler] = []


def register_secret(value: str | None) -> None:
    """Redact ``value`` wherever it appears in a log record or a crash report from now on."""
    if value and len(value.strip()) >= _MIN_SECRET_LENGTH:
        with _secrets_lock:
            _secrets.add(value.strip())


def forget_secrets() -> None:
    """Drop every registered value. The list lives as long as the process; tests reset it.
    (Deleting a token in Settings keeps it here: it may still be valid on GitHub.)"""
    with _secrets_lock:
        _secrets.clear()


def redact(text: str) -> str:
    """``text`` with every GitHub token and registered secret replaced by ``[REDACTED]``."""
    with _secrets_lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    for pattern in _TOKEN_PATTERNS:
        text = pattern.sub(REDACTED, text)
    return text


class RedactingFilter(logging.Filter):
    """Rewrites a record's message, traceback and stack so that no secret reaches a handler.

    Attach it to handlers (not loggers): a logger's filters do not see records that propagate
    up from child loggers.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
            # The formatter would render exc_info again only when exc_text is empty; the
            # traceback objects stay for handlers that want them.
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def default_log_dir(data_dir: Path | None = None) -> Path:
    """Where the log goes for a given data directory (see the module docstring)."""
    if data_dir is not None and data_dir.expanduser().resolve() != _platform_data_dir():
        return data_dir / LOG_DIRNAME
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def _platform_data_dir() -> Path:
    return default_data_dir().expanduser().resolve()


def setup_logging(
    *, data_dir: Path | None = None, log_dir: Path | None = None, verbose: bool = False
) -> Path:
    """Send SprintDesk's logging to a rotating file; returns the log file's path.

    ``verbose`` logs DEBUG (else INFO) and also echoes to stderr. Calling it again replaces the
    handlers it installed before. If the log folder cannot be created (read-only disk), logging
    goes to stderr only and the intended path is still returned.
    """
    folder = log_dir if log_dir is not None else default_log_dir(data_dir)
    path = folder / LOG_FILENAME
    teardown_logging()
    root = logging.getLogger()
    level = logging.DEBUG if verbose else logging.INFO
    formatter = logging.Formatter(LOG_FORMAT)
    handlers: list[logging.Handler] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8", delay=True
            )
        )
        file_ok = True
    except OSError:
        file_ok = False
    if verbose or not file_ok:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setLevel(level)
        handler.setFormatter(formatter)
        handler.addFilter(RedactingFilter())
        root.addHandler(handler)
        _installed.append(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.getLogger("sprintdesk").setLevel(level)
    if not file_ok:
        logging.getLogger(__name__).warning(
            "Cannot write the log folder %s; logging to stderr.", folder
        )
    return path


def teardown_logging() -> None:
    """Remove and close the handlers :func:`setup_logging` installed."""
    root = logging.getLogger()
    while _installed:
        handler = _installed.pop()
        root.removeHandler(handler)
        handler.close()
