"""Leases (`leases`): one holder per role at a time, taken over once the holder stops renewing.

On SQLite they elect the one process of a store that runs scheduled work and the one that
sends: a lease not renewed by its expiry (the holder died or hung) is free for the next taker.
"""

from __future__ import annotations

import time

from storage.sqlite.db import Database
from storage.types import Lease


class Leases:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def acquire(self, name: str, holder: str, ttl: float) -> bool:
        """Take the lease `name` for `holder`, or renew it, for `ttl` seconds; False while
        another holder's lease runs."""
        now = time.time()
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO leases (name, holder, expires_at, taken_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at,"
                "   taken_at = CASE WHEN leases.holder = excluded.holder THEN leases.taken_at ELSE excluded.taken_at END"
                " WHERE leases.holder = excluded.holder OR leases.expires_at < ?",
                (name, holder, now + ttl, now, now),
            )
            return cur.rowcount == 1

    async def release(self, name: str, holder: str) -> None:
        """Give the lease up at once (a clean shutdown), if `holder` has it."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))

    async def holder(self, name: str) -> Lease | None:
        """Who holds `name` now, if anyone (an expired lease is no one's)."""
        row = await self.db.fetchone(
            "SELECT name, holder, expires_at, taken_at FROM leases WHERE name = ? AND expires_at >= ?",
            (name, time.time()),
        )
        return Lease(row[0], row[1], row[2], row[3]) if row else None
