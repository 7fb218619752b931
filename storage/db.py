"""The one long-lived SQLite connection, its pragmas, transactions and migrations."""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import aiosqlite

log = logging.getLogger(__name__)

# Short on purpose: SQLite's busy wait blocks aiosqlite's one thread, so every other task's
# query would queue behind it. Writers wait for the lock in `_retry_busy` instead, asynchronously.
BUSY_TIMEOUT_MS = 200
# How long a writer keeps retrying for the write lock (another process's long transaction).
LOCK_WAIT_S = 60.0

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


class StoreError(Exception):
    """The store cannot be used; the message says why, in words for the user."""


def describe_store_error(exc: BaseException, path: Path | str) -> str:
    """One line for the user: which file, what is wrong with it, and sqlite's own words."""
    if isinstance(exc, StoreError):
        return str(exc)
    reason = _reason(exc) or "it cannot be used"
    return f"cannot use the store {path}: {reason} ({str(exc) or type(exc).__name__})"


def _reason(exc: BaseException) -> str | None:
    detail = str(exc).lower()
    return next((why for words, why in _REASONS if words in detail), None)


def is_store_failure(exc: BaseException) -> bool:
    """The file cannot be used (not a database, damaged, read-only, locked, ...), as opposed to
    a bug in our SQL (no such column, IntegrityError, ...), which deserves its traceback."""
    if isinstance(exc, StoreError) or type(exc) is sqlite3.DatabaseError:  # NOTADB, CORRUPT, ...
        return True
    return isinstance(exc, sqlite3.OperationalError) and _reason(exc) is not None


def is_busy(exc: BaseException) -> bool:
    """Another connection holds the lock (SQLITE_BUSY / SQLITE_LOCKED and their extended codes)."""
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    return "locked" in str(exc) or "busy" in str(exc)


async def _retry_busy(statement: Callable[[], Awaitable[object]], wait: float = LOCK_WAIT_S) -> None:
    """Run `statement`, retrying with jittered backoff while the database is busy.

    busy_timeout alone does not cover this: a connection that still has a read snapshot gets
    SQLITE_BUSY(_SNAPSHOT) at once, without the busy handler; and a long busy wait would
    hold aiosqlite's thread. Sleeping here lets the connection's other tasks run meanwhile.
    """
    deadline = time.monotonic() + wait
    delay = 0.01
    while True:
        try:
            await statement()
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() >= deadline:
                raise
        await asyncio.sleep(delay * random.uniform(0.5, 1.5))
        delay = min(0.25, delay * 2)


class Database:
    """Owns the aiosqlite connection: open once at start-up, close at shutdown."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self._depth = 0
        # One connection, many tasks (handlers, jobs, the alert sender): a transaction belongs
        # to the task that began it; another task waits for it rather than nesting inside it.
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task | None = None

    @classmethod
    async def open(cls, path: Path | str) -> "Database":
        """Connect, set the pragmas, migrate. On failure the connection is closed again:
        aiosqlite's worker thread is not a daemon, and left running it keeps the process alive."""
        if str(path) != ":memory:":
            folder = Path(path).parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot use the store {path}: cannot create the folder {folder}"
                                 f" ({exc.strerror or exc})") from exc
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing is implicit.
        conn = await aiosqlite.connect(str(path), isolation_level=None)  # stops its thread on failure
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await _retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL"))
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            db = cls(conn)
            await migrate(db)
        except BaseException:
            try:
                await conn.close()
            except Exception:  # the original error is the one worth reporting
                log.debug("closing the failed connection failed too", exc_info=True)
            raise
        return db

    async def close(self) -> None:
        await self.conn.close()

    # Reads in one round trip to aiosqlite's thread (execute, fetch and close as one call):
    # about a third of the cost of `async with conn.execute(...)` plus fetches.
    async def fetchall(self, sql: str, params: Sequence[object] = ()) -> list[aiosqlite.Row]:
        return list(await self.conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Sequence[object] = ()) -> aiosqlite.Row | None:
        rows = await self.conn.execute_fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchvalue(self, sql: str, params: Sequence[object] = ()) -> object:
        """The first column of the first row, or None."""
        row = await self.fetchone(sql, params)
        return row[0] if row else None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction; nested calls become savepoints. Rolls back on any exception.

        Nesting is per task: a transaction begun by another task is waited for, never joined.
        Another process's write lock is waited for too (up to LOCK_WAIT_S), asynchronously.
        """
        task = asyncio.current_task()
        if self._depth > 0 and self._owner is task:
            async with self._savepoint() as conn:
                yield conn
            return
        async with self._lock:
            self._owner = task
            try:
                async with self._savepoint() as conn:
                    yield conn
            finally:
                self._owner = None

    @asynccontextmanager
    async def _savepoint(self) -> AsyncIterator[aiosqlite.Connection]:
        if self._depth == 0:
            await _retry_busy(lambda: self.conn.execute("BEGIN IMMEDIATE"))
            commit, rollback = ["COMMIT"], ["ROLLBACK"]
        else:
            name = f"sp{self._depth}"
            await self.conn.execute(f"SAVEPOINT {name}")
            commit, rollback = [f"RELEASE {name}"], [f"ROLLBACK TO {name}", f"RELEASE {name}"]
        self._depth += 1
        try:
            yield self.conn
        except BaseException:
            self._depth -= 1
            await self._run_all(rollback)
            raise
        self._depth -= 1
        try:
            for statement in commit:
                await _retry_busy(lambda: self.conn.execute(statement))
        except BaseException:
            await self._run_all(rollback)  # never leave the connection inside a transaction
            raise

    async def _run_all(self, statements: list[str]) -> None:
        """Roll back; a rollback SQLite already did itself (after some errors) is not an error."""
        for statement in statements:
            try:
                await self.conn.execute(statement)
            except sqlite3.OperationalError as exc:
                if "no transaction is active" not in str(exc):
                    raise


def _migration_scripts() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every `NNNN_name.sql` shipped in storage/migrations, in order."""
    found = []
    for entry in resources.files("storage.migrations").iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append((int(number), rest.removesuffix(".sql"), entry.read_text(encoding="utf-8")))
    return sorted(found)


async def _applied_versions(db: Database) -> set[int]:
    if not await db.fetchvalue("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"):
        return set()
    return {row[0] for row in await db.fetchall("SELECT version FROM schema_migrations")}


async def migrate(db: Database) -> list[int]:
    """Apply the migrations this file lacks, each in one transaction with the row that records it.

    Whether a version is applied is checked inside the write transaction that applies it
    (BEGIN IMMEDIATE first): two processes starting on a fresh file cannot both apply it.
    """
    scripts = _migration_scripts()
    if {version for version, _, _ in scripts} <= await _applied_versions(db):
        return []  # the usual start: nothing to do, no write lock taken
    applied = []
    for version, name, sql in scripts:
        async with db.transaction() as conn:
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))"
            )
            if await db.fetchvalue("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)):
                continue  # applied already, by us earlier or by another process just now
            # executescript would commit on its own; run the statements inside our transaction.
            for statement in _statements(sql):
                await conn.execute(statement)
            await conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (version, name)
            )
        log.info("applied migration %04d_%s", version, name)
        applied.append(version)
    return applied


def _statements(sql: str) -> list[str]:
    """Split a migration script into complete statements (trigger bodies kept whole)."""
    import sqlite3

    statements, current = [], ""
    for line in sql.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            if current.strip():
                statements.append(current.strip())
            current = ""
    if current.strip():
        raise ValueError(f"incomplete SQL statement in migration: {current[:80]!r}")
    return statements
