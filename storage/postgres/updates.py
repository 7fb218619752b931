"""Updates taken on PostgreSQL (`taken_updates`): each Telegram update is handled once by all
the processes on one database, whichever of them it was handed to (storage/sqlite/updates.py)."""

from __future__ import annotations

from collections.abc import Sequence

from storage.postgres.db import Database


class Updates:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def take(self, bot_id: int, update_ids: Sequence[int], now: float) -> set[int]:
        """Those of `update_ids` (of `bot_id`) taken now, for the first time; the rest were
        taken before (by this process or another: the primary key decides)."""
        wanted = sorted(set(update_ids))
        if not wanted:
            return set()
        rows = await self.db.fetchall(
            "INSERT INTO taken_updates (bot_id, update_id, taken_at)"
            " SELECT $1, id, $3 FROM unnest($2::bigint[]) AS id"
            " ON CONFLICT (bot_id, update_id) DO NOTHING RETURNING update_id",
            (bot_id, wanted, now),
        )
        return {row[0] for row in rows}

    async def forget_before(self, taken_before: float) -> int:
        """Forget the updates taken before `taken_before`; how many were forgotten."""
        status = await self.db.execute("DELETE FROM taken_updates WHERE taken_at < $1", (taken_before,))
        return int(status.rsplit(" ", 1)[-1])
