"""Updates taken (`taken_updates`): each Telegram update is handled once across processes.

Telegram hands an update out until it is confirmed: to every process polling the same bot, to a
process restarted before it confirmed its last batch, and again by webhook when the answer came
too late. The first process to record an update's id takes it; every other copy is refused.
"""

from __future__ import annotations

from collections.abc import Sequence

from storage.sqlite.db import Database


class Updates:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def take(self, bot_id: int, update_ids: Sequence[int], now: float) -> set[int]:
        """Those of `update_ids` (of `bot_id`) taken now, for the first time; the rest were
        taken before. The write transaction keeps two processes from both taking one."""
        wanted = sorted(set(update_ids))
        if not wanted:
            return set()
        async with self.db.transaction() as conn:
            marks = ", ".join("?" * len(wanted))
            cur = await conn.execute(
                f"SELECT update_id FROM taken_updates WHERE bot_id = ? AND update_id IN ({marks})",
                (bot_id, *wanted))
            fresh = set(wanted) - {row[0] for row in await cur.fetchall()}
            await conn.executemany("INSERT INTO taken_updates (bot_id, update_id, taken_at) VALUES (?, ?, ?)",
                                   [(bot_id, update_id, now) for update_id in sorted(fresh)])
            return fresh

    async def forget_before(self, taken_before: float) -> int:
        """Forget the updates taken before `taken_before`; how many were forgotten."""
        async with self.db.transaction() as conn:
            cur = await conn.execute("DELETE FROM taken_updates WHERE taken_at < ?", (taken_before,))
            return cur.rowcount
