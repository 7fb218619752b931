"""How asyncpg and PostgreSQL word their failures, and which are the server's or the network's
fault rather than our SQL's (asked by the public predicates in `storage.errors`)."""

from __future__ import annotations

import asyncio

import asyncpg

# SQLSTATE classes that mean "the server or the connection", not a bug in a statement.
_FAILURE_CLASSES = {
    "08": "the connection to PostgreSQL failed",
    "28": "PostgreSQL refused the credentials",
    "3D": "the database does not exist",
    "53": "the PostgreSQL server is out of resources (disk, memory or connections)",
    "57": "the PostgreSQL server is shutting down or cancelled the statement",
    "58": "the PostgreSQL server failed to read or write its files",
    "25": "the database is read-only here",
}
_BUSY = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available


def reason(exc: BaseException) -> str | None:
    if isinstance(exc, asyncpg.PostgresError):
        state = getattr(exc, "sqlstate", None) or ""
        return _FAILURE_CLASSES.get(state[:2])
    if isinstance(exc, (asyncpg.InterfaceError, ConnectionError, asyncio.TimeoutError)):
        return "the connection to PostgreSQL failed"
    return None


def is_store_failure(exc: BaseException) -> bool:
    if isinstance(exc, asyncpg.PostgresError):
        return (getattr(exc, "sqlstate", None) or "")[:2] in _FAILURE_CLASSES
    return isinstance(exc, (asyncpg.exceptions.ConnectionDoesNotExistError, ConnectionError))


def is_busy(exc: BaseException) -> bool:
    """A conflict that trying again resolves: serialization failure, deadlock, lock timeout."""
    return isinstance(exc, asyncpg.PostgresError) and getattr(exc, "sqlstate", None) in _BUSY
