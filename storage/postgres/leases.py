"""Leases on PostgreSQL: a session advisory lock per role, on a connection of its own.

The lock lives exactly as long as its holder's connection, so a killed process frees its role
at once (the server sees the socket close; TCP keepalives cover a lost machine) and the next
taker gets it on its next try. The `leases` table only says who holds what, for messages.
"""

from __future__ import annotations

import time
import zlib

import asyncpg

from storage.postgres.db import Database
from storage.types import Lease

# Keepalives on the lock's connection: a holder whose machine vanished is noticed in ~15 s.
_KEEPALIVES = {"tcp_keepalives_idle": "5", "tcp_keepalives_interval": "2", "tcp_keepalives_count": "5"}


def _key(name: str) -> int:
    return 0x4E42_0000_0000 | zlib.crc32(name.encode())  # stable across processes


class Leases:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._held: dict[str, asyncpg.Connection] = {}

    async def acquire(self, name: str, holder: str, ttl: float) -> bool:
        """Hold the role `name` (renewing: still holding it); False while another process does.
        `ttl` only dates the `leases` row: the lock itself lasts while the connection does."""
        conn = self._held.get(name)
        if conn is not None and not conn.is_closed():
            try:
                await conn.execute("UPDATE leases SET expires_at = $2 WHERE name = $1", name, time.time() + ttl)
                return True
            except (asyncpg.PostgresError, asyncpg.InterfaceError, OSError):
                await self._drop(name)  # the connection broke: the lock went with it
                return False
        conn = await asyncpg.connect(self.db.dsn, server_settings=_KEEPALIVES)
        try:
            if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", _key(name)):
                await conn.close()
                return False
            now = time.time()
            await conn.execute(
                "INSERT INTO leases (name, holder, expires_at, taken_at) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (name) DO UPDATE SET holder = $2, expires_at = $3, taken_at = $4",
                name, holder, now + ttl, now,
            )
        except BaseException:
            await conn.close()
            raise
        self._held[name] = conn
        return True

    async def release(self, name: str, holder: str) -> None:
        if name in self._held:
            try:
                await self._held[name].execute("DELETE FROM leases WHERE name = $1 AND holder = $2", name, holder)
            finally:
                await self._drop(name)

    async def holder(self, name: str) -> Lease | None:
        row = await self.db.fetchone(
            "SELECT name, holder, expires_at, taken_at FROM leases WHERE name = $1 AND expires_at >= $2",
            (name, time.time()),
        )
        return Lease(row[0], row[1], row[2], row[3]) if row else None

    async def close(self) -> None:
        for name in list(self._held):
            await self._drop(name)

    async def _drop(self, name: str) -> None:
        conn = self._held.pop(name, None)
        if conn is not None and not conn.is_closed():
            await conn.close()
