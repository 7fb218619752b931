"""Updates taken on PostgreSQL (`taken_updates`): each Telegram update is handled once by all
the processes on one database, whichever of them it was handed to (storage/sqlite/updates.py)."""

from __future__ import annotations

from storage.postgres.db import Database


class Updates:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def take(self, bot_id: int, update_id: int, now: float) -> bool:
        """True the first time `update_id` of `bot_id` is taken, False for any copy after."""
        status = await self.db.execute(
            "INSERT INTO taken_updates (bot_id, update_id, taken_at) VALUES ($1, $2, $3)"
            " ON CONFLICT (bot_id, update_id) DO NOTHING",
            (bot_id, update_id, now),
        )
        return status == "INSERT 0 1"

    async def forget_before(self, taken_before: float) -> int:
        """Forget the updates taken before `taken_before`; how many were forgotten."""
        status = await self.db.execute("DELETE FROM taken_updates WHERE taken_at < $1", (taken_before,))
        return int(status.rsplit(" ", 1)[-1])
