"""The asyncpg pool: transactions bound to the task that opened them, and migrations.

The SQLite backend's `Database` has the same shape (fetchall / fetchone / fetchvalue /
transaction), so the table groups of both read alike. Here every statement outside a
transaction takes a pooled connection for itself, so readers never wait for writers; a
transaction keeps one connection for its task, and the task's reads inside it go there.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from importlib import resources

import asyncpg

from storage.errors import StoreError, shown_location

log = logging.getLogger(__name__)

POOL_MIN = 1
POOL_MAX = 10
# Any 64-bit key, the same in every process: it serialises migrations across processes.
MIGRATION_LOCK = 0x6E657773626F74  # "newsbot"

_current: contextvars.ContextVar[tuple[asyncio.Task | None, asyncpg.Connection] | None] = contextvars.ContextVar(
    "newsbot_pg_transaction", default=None)


class Database:
    """Owns the pool: opened once at start-up, closed at shutdown."""

    def __init__(self, pool: asyncpg.Pool, dsn: str) -> None:
        self.pool = pool
        self.dsn = dsn

    @classmethod
    async def open(cls, dsn: str, *, min_size: int = POOL_MIN, max_size: int = POOL_MAX) -> Database:
        """Connect and migrate; on failure nothing is left open."""
        try:
            pool = await asyncpg.create_pool(dsn, min_size=min_size, max_size=max_size,
                                             command_timeout=60, server_settings={"timezone": "UTC"})
        except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {shown_location(dsn)}: {exc}") from exc
        db = cls(pool, dsn)
        try:
            await migrate(db)
        except BaseException:
            await pool.close()
            raise
        return db

    async def close(self) -> None:
        await self.pool.close()

    def _own(self) -> asyncpg.Connection | None:
        """The connection of the transaction this task opened, if any."""
        current = _current.get()
        if current is not None and current[0] is asyncio.current_task():
            return current[1]
        return None

    # ------------------------------------------------------------------ statements
    async def fetchall(self, sql: str, params: Sequence[object] = ()) -> list[asyncpg.Record]:
        conn = self._own()
        return await (conn or self.pool).fetch(sql, *params)

    async def fetchone(self, sql: str, params: Sequence[object] = ()) -> asyncpg.Record | None:
        conn = self._own()
        return await (conn or self.pool).fetchrow(sql, *params)

    async def fetchvalue(self, sql: str, params: Sequence[object] = ()) -> object:
        """The first column of the first row, or None."""
        conn = self._own()
        return await (conn or self.pool).fetchval(sql, *params)

    async def execute(self, sql: str, params: Sequence[object] = ()) -> str:
        """A statement outside (or inside this task's) transaction; PostgreSQL's status line."""
        conn = self._own()
        return await (conn or self.pool).execute(sql, *params)

    # ------------------------------------------------------------------ transactions
    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[asyncpg.Connection]:
        """A transaction on one pooled connection; nested calls become savepoints. Rolls back
        on any exception. Tasks started inside it do not join it (they get their own)."""
        conn = self._own()
        if conn is not None:
            async with conn.transaction():
                yield conn
            return
        async with self.pool.acquire() as conn, conn.transaction():
            token = _current.set((asyncio.current_task(), conn))
            try:
                yield conn
            finally:
                _current.reset(token)


def changed(status: str) -> int:
    """The row count of a status line ("UPDATE 3", "INSERT 0 1", "DELETE 0")."""
    last = status.rpartition(" ")[2]
    return int(last) if last.isdigit() else 0


# ------------------------------------------------------------------ migrations
def _migration_scripts() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every `NNNN_name.sql` in storage/postgres/migrations, in order."""
    found = []
    for entry in resources.files("storage.postgres.migrations").iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append((int(number), rest.removesuffix(".sql"), entry.read_text(encoding="utf-8")))
    return sorted(found)


async def migrate(db: Database) -> list[int]:
    """Apply the migrations the database lacks, each in one transaction with the row that
    records it (the same `schema_migrations` as SQLite's). An advisory lock held for each
    transaction keeps two processes starting together from applying one twice."""
    scripts = _migration_scripts()
    applied: list[int] = []
    for version, name, sql in scripts:
        async with db.transaction() as conn:
            await conn.execute("SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK)
            await conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                " applied_at TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))"
            )
            if await conn.fetchval("SELECT 1 FROM schema_migrations WHERE version = $1", version):
                continue
            await conn.execute(sql)  # a script of several statements: the simple query protocol
            await conn.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", version, name)
        log.info("applied PostgreSQL migration %04d_%s", version, name)
        applied.append(version)
    return applied
