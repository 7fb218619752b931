"""The one long-lived SQLite connection: its pragmas, transactions and migrations.

One connection serves every task of the process (handlers, jobs, the alert sender), so this
module is where their work is kept apart: a transaction belongs to the task that began it,
another task's writes wait for it, and so do its reads, which would otherwise see rows that
may still be rolled back.
"""

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

from storage.errors import StoreError
from storage.sqlite.errors import is_busy

log = logging.getLogger(__name__)

# Short on purpose: SQLite's busy wait blocks aiosqlite's one thread, so every other task's
# query would queue behind it. Writers wait for the lock in `_retry_busy` instead, asynchronously.
BUSY_TIMEOUT_MS = 200
# How long a writer keeps retrying for the write lock (another process's long transaction).
LOCK_WAIT_S = 60.0


async def _retry_busy(statement: Callable[[], Awaitable[object]], wait: float | None = None,
                      still_open: Callable[[], bool] | None = None) -> None:
    """Run `statement`, retrying with jittered backoff while the database is busy.

    busy_timeout alone does not cover this: a connection that still has a read snapshot gets
    SQLITE_BUSY(_SNAPSHOT) at once, without the busy handler; and a long busy wait would
    hold aiosqlite's thread. Sleeping here lets the connection's other tasks run meanwhile.
    `still_open`: a COMMIT is retried only while its transaction is still there to commit.
    """
    deadline = time.monotonic() + (LOCK_WAIT_S if wait is None else wait)
    delay = 0.01
    while True:
        try:
            await statement()
            return
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() >= deadline or (still_open and not still_open()):
                raise
        await asyncio.sleep(delay * random.uniform(0.5, 1.5))
        delay = min(0.25, delay * 2)


class Database:
    """Owns the aiosqlite connection: open once at start-up, close at shutdown."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.conn = conn
        self._depth = 0  # open levels (transaction, savepoints) of the owner's transaction
        self._lock = asyncio.Lock()  # held by a transaction's owner from BEGIN to its end
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
            # A file that cannot be opened fails here, before aiosqlite starts its thread: on a
            # failed connect it queues the thread's stop without waiting, and a thread outliving
            # the event loop dies with a traceback on stderr.
            await asyncio.to_thread(lambda: sqlite3.connect(path).close())
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing is implicit.
        conn = await aiosqlite.connect(str(path), isolation_level=None)
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

    # ------------------------------------------------------------------ reads
    # One round trip to aiosqlite's thread each (execute, fetch and close as one call): about
    # a third of the cost of `async with conn.execute(...)` plus fetches, and no cursor left
    # open across awaits (a stale read snapshot makes another task's BEGIN IMMEDIATE fail).
    async def fetchall(self, sql: str, params: Sequence[object] = ()) -> list[aiosqlite.Row]:
        """The rows; from outside an open transaction, what was committed, never its writes."""
        if self._depth and self._owner is not asyncio.current_task():
            async with self._lock:  # another task's transaction is open: read after its end
                return list(await self.conn.execute_fetchall(sql, params))
        # No await between the check and the queueing: a transaction begun after this read
        # was queued runs its statements after it, on aiosqlite's one thread.
        return list(await self.conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Sequence[object] = ()) -> aiosqlite.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchvalue(self, sql: str, params: Sequence[object] = ()) -> object:
        """The first column of the first row, or None."""
        row = await self.fetchone(sql, params)
        return row[0] if row else None

    # ------------------------------------------------------------------ transactions
    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction; nested calls become savepoints. Rolls back on any exception.

        Nesting is per task: a transaction begun by another task is waited for, never joined.
        Another process's write lock is waited for too (up to LOCK_WAIT_S), asynchronously.
        The owner must not wait inside it for another task that uses the store.
        """
        task = asyncio.current_task()
        if self._depth > 0 and self._owner is task:
            async with self._level() as conn:
                yield conn
            return
        async with self._lock:
            self._owner = task
            try:
                async with self._level() as conn:
                    yield conn
            finally:
                self._owner = None

    @asynccontextmanager
    async def _level(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN ... COMMIT at the top, SAVEPOINT ... RELEASE inside; undone on any exception."""
        if self._depth == 0:
            await _retry_busy(lambda: self.conn.execute("BEGIN IMMEDIATE"))
            end, undo = "COMMIT", ("ROLLBACK",)
        else:
            name = f"sp{self._depth}"
            await self.conn.execute(f"SAVEPOINT {name}")
            end, undo = f"RELEASE {name}", (f"ROLLBACK TO {name}", f"RELEASE {name}")
        # Counted as open until it has ended: other tasks' reads wait meanwhile, COMMIT retries too.
        self._depth += 1
        try:
            try:
                yield self.conn
            except BaseException:
                await self._undo(undo)
                raise
            try:
                await _retry_busy(lambda: self.conn.execute(end), still_open=lambda: self.conn.in_transaction)
            except BaseException:
                await self._undo(undo)  # a failed COMMIT leaves the transaction open: end it
                raise
        finally:
            self._depth -= 1

    async def _undo(self, statements: Sequence[str]) -> None:
        """Roll back what is still open, as sqlite-utils does: only `if conn.in_transaction`.

        Some errors end the transaction themselves (SQLITE_FULL, IOERR, a trigger's
        RAISE(ROLLBACK)); a ROLLBACK or ROLLBACK TO after them would raise in turn and hide
        the error that matters.
        """
        if not self.conn.in_transaction:
            return
        for statement in statements:
            try:
                await self.conn.execute(statement)
            except sqlite3.OperationalError as exc:  # ended meanwhile (a cancelled COMMIT ran)
                if "no transaction is active" not in str(exc):
                    raise


# ------------------------------------------------------------------ migrations
def _migration_scripts() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every `NNNN_name.sql` in storage/sqlite/migrations, in order."""
    found = []
    for entry in resources.files("storage.sqlite.migrations").iterdir():
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
