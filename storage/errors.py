"""Store failures, told apart from bugs, whatever the backend.

Each predicate asks every backend's own classifier, so code outside storage/ never names a
driver's exception classes.
"""

from __future__ import annotations

from pathlib import Path

from storage.postgres import errors as _postgres
from storage.sqlite import errors as _sqlite

_BACKENDS = (_sqlite, _postgres)


class StoreError(Exception):
    """The store cannot be used; the message says why, in words for the user."""


def describe_store_error(exc: BaseException, location: Path | str) -> str:
    """One line for the user: which store, what is wrong with it, and the driver's own words."""
    if isinstance(exc, StoreError):
        return str(exc)
    why = next((r for b in _BACKENDS if (r := b.reason(exc))), None) or "it cannot be used"
    return f"cannot use the store {shown_location(location)}: {why} ({str(exc) or type(exc).__name__})"


def is_postgres(location: Path | str) -> bool:
    """Whether `location` names a PostgreSQL database (a postgresql:// or postgres:// URL)."""
    return str(location).startswith(("postgresql://", "postgres://"))


def shown_location(location: Path | str) -> str:
    """`location` as it may be shown or logged: a PostgreSQL URL without its password."""
    text = str(location)
    if not is_postgres(text):
        return text
    scheme, _, rest = text.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return text
    return f"{scheme}://{credentials.split(':', 1)[0]}:***@{host}"


def is_store_failure(exc: BaseException) -> bool:
    """The store cannot be used (not a database, damaged, read-only, locked, ...), as opposed
    to a bug in our SQL (no such column, IntegrityError, ...), which deserves its traceback."""
    return isinstance(exc, StoreError) or any(b.is_store_failure(exc) for b in _BACKENDS)


def is_busy(exc: BaseException) -> bool:
    """Another connection holds the lock: waiting and trying again will do."""
    return any(b.is_busy(exc) for b in _BACKENDS)
