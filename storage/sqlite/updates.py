"""Updates taken (`taken_updates`): each Telegram update is handled once across processes.

Telegram hands an update out until it is confirmed: to every process polling the same bot, to a
process restarted before it confirmed its last batch, and again by webhook when the answer came
too late. The first process to record an update's id takes it; every other copy is refused.
"""

from __future__ import annotations

from storage.sqlite.db import Database


class Updates:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def take(self, bot_id: int, update_id: int, now: float) -> bool:
        """True the first time `update_id` of `bot_id` is taken, False for any copy after."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "INSERT INTO taken_updates (bot_id, update_id, taken_at) VALUES (?, ?, ?)"
                " ON CONFLICT (bot_id, update_id) DO NOTHING",
                (bot_id, update_id, now),
            )
            return cur.rowcount == 1

    async def forget_before(self, taken_before: float) -> int:
        """Forget the updates taken before `taken_before`; how many were forgotten."""
        async with self.db.transaction() as conn:
            cur = await conn.execute("DELETE FROM taken_updates WHERE taken_at < ?", (taken_before,))
            return cur.rowcount
