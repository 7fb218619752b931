"""How SQLite words its failures, and which of them are the file's fault rather than our SQL's.

The public predicates in `storage.errors` ask this module (and, later, every other backend's).
"""

from __future__ import annotations

import sqlite3

_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6

# The errors a user can meet, as sqlite words them, and what they mean for the user.
_REASONS = (
    ("file is not a database", "it is not an SQLite database"),
    ("database disk image is malformed", "the file is damaged (truncated or overwritten)"),
    ("readonly database", "it is read-only here"),
    ("unable to open database file", "the file cannot be opened or created"),
    ("disk i/o error", "reading or writing the file failed"),
    ("database or disk is full", "the disk is full"),
    ("database is locked", "another process kept it locked too long"),
)


def reason(exc: BaseException) -> str | None:
    """What is wrong with the file, in words for the user; None if sqlite did not say."""
    if not isinstance(exc, sqlite3.Error):
        return None
    detail = str(exc).lower()
    return next((why for words, why in _REASONS if words in detail), None)


def is_store_failure(exc: BaseException) -> bool:
    if type(exc) is sqlite3.DatabaseError:  # NOTADB, CORRUPT, ...
        return True
    return isinstance(exc, sqlite3.OperationalError) and reason(exc) is not None


def is_busy(exc: BaseException) -> bool:
    """SQLITE_BUSY / SQLITE_LOCKED and their extended codes."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)
