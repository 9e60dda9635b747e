"""The database errors the user is told about in plain words, for the local file and for a
team database on a server (each failure to connect has its own class, so the window and the
command line can say what to do)."""

from __future__ import annotations


class StoreError(Exception):
    """A problem with the database that the user must be told about in plain words."""


class NewerSchemaError(StoreError):
    pass


class CorruptDatabaseError(StoreError):
    pass


class ReadOnlyStoreError(StoreError):
    pass


class BadDatabaseUrlError(StoreError):
    """``--db`` is not a usable SQLAlchemy URL (bad input, not a broken database)."""


class DiskFullError(StoreError):
    pass


def storage_error(exc: BaseException, where: object) -> StoreError:
    """A message for a failed write (disk full, read-only, busy) that says what was kept."""
    orig = getattr(exc, "orig", None)
    message = str(orig if orig is not None else exc)
    lowered = message.lower()
    if "disk is full" in lowered or "no space" in lowered:
        return DiskFullError(
            f"The disk holding {where} is full, so the last change was not saved. Everything "
            "saved before it is safe; free some disk space and try again."
        )
    if "readonly" in lowered or "read-only" in lowered:
        return ReadOnlyStoreError(
            f"The database {where} is read-only, so the last change was not saved. Everything "
            "saved before it is safe; make the folder writable or choose another with --data-dir."
        )
    if "locked" in lowered or "busy" in lowered:
        return StoreError(
            f"The database {where} is busy (is another program using it?); the last change was "
            "not saved. Try again in a moment."
        )
    return StoreError(f"Could not save to the database {where}: {message}.")


class ServerUnreachableError(StoreError):
    """No database server answered at that host and port (down, wrong address, network)."""


class AuthenticationError(StoreError):
    """The server refused the user name or password."""


class DatabaseMissingError(StoreError):
    """The server answered, but has no database of that name."""


class PermissionDeniedError(StoreError):
    """The database role lacks a privilege (to connect, to create the tables, to write)."""
