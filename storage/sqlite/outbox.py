"""The durable outbox (`alert_outbox`): one row per (chat, article) that matched, drained by
the sender, which marks a row sent only after Telegram accepted it.

`claim` and `next_attempt_at` look at the digests too: the sender drains both as one
queue. Senders claim heads (storage/sqlite/claims.py); every mark ends its item's claim.
"""

from __future__ import annotations

from collections.abc import Collection

from storage.rows import ERROR_CHARS, OUTBOX_ITEM_COLUMNS, item_from_row
from storage.sqlite import claims
from storage.sqlite.db import Database
from storage.types import Delivery, Due, OutboxItem, OutboxState

_KINDS = {"alert_outbox": Delivery.ALERT, "alert_digests": Delivery.DIGEST}


async def mark_retry(db: Database, table: str, item_id: int, error: str, next_attempt_at: float) -> int:
    """A failed attempt on a row of `table` (a fixed name, never user input); attempts so far."""
    async with db.transaction() as conn:
        await claims.end_claim(conn, _KINDS[table], item_id)
        await conn.execute(
            f"UPDATE {table} SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?"
            " WHERE id = ? AND state = 'pending'",
            (error[:ERROR_CHARS], next_attempt_at, item_id),
        )
    return await db.fetchvalue(f"SELECT attempts FROM {table} WHERE id = ?", (item_id,)) or 0


async def mark_parked(db: Database, table: str, item_id: int, error: str) -> None:
    async with db.transaction() as conn:
        await claims.end_claim(conn, _KINDS[table], item_id)
        await conn.execute(
            f"UPDATE {table} SET state = 'parked', attempts = attempts + 1, last_error = ?"
            " WHERE id = ? AND state = 'pending'",
            (error[:ERROR_CHARS], item_id),
        )


class Outbox:
    shared_claims = False  # one sender per file: the `sender` role (bot/roles.py)

    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(self, holder: str, now: float, limit: int, lease: float,
                    only_chats: Collection[int] | None = None, skip_chats: Collection[int] = ()) -> list[Due]:
        """The heads of up to `limit` chats nobody holds, each `holder`'s for `lease` seconds."""
        return await claims.claim(self.db, holder, now, limit, lease, only_chats, skip_chats)

    async def release(self, holder: str, item: Due, hold: float = 0.0) -> None:
        """`holder` is done with `item` without marking it; `hold` > 0 keeps the chat for that long."""
        await claims.release(self.db, holder, item, hold)

    async def next_attempt_at(self) -> float | None:
        """When the earliest alert or digest held back by a backoff becomes due."""
        return await self.db.fetchvalue(
            "SELECT min(t) FROM (SELECT min(next_attempt_at) AS t FROM alert_outbox"
            " WHERE state = 'pending' AND kind = 'instant'"
            " UNION ALL SELECT min(next_attempt_at) FROM alert_digests WHERE state = 'pending')"
        )

    async def get(self, item_id: int) -> OutboxItem | None:
        row = await self.db.fetchone(f"SELECT {OUTBOX_ITEM_COLUMNS} FROM alert_outbox WHERE id = ?", (item_id,))
        return item_from_row(row) if row else None

    async def mark_sent(self, item_id: int, message_id: int | None) -> bool:
        """Telegram accepted the alert: it is done. False if it was not pending (never resent)."""
        async with self.db.transaction() as conn:
            await claims.end_claim(conn, Delivery.ALERT, item_id)
            cur = await conn.execute(
                "UPDATE alert_outbox SET state = 'sent', message_id = ?, attempts = attempts + 1,"
                " sent_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), last_error = NULL"
                " WHERE id = ? AND state = 'pending'",
                (message_id, item_id),
            )
        return cur.rowcount == 1

    async def mark_retry(self, item_id: int, error: str, next_attempt_at: float) -> int:
        """A failed attempt to try again at `next_attempt_at`; returns the attempts made so far."""
        return await mark_retry(self.db, "alert_outbox", item_id, error, next_attempt_at)

    async def mark_parked(self, item_id: int, error: str) -> None:
        """Failed for a permanent reason: kept with the reason, never retried."""
        await mark_parked(self.db, "alert_outbox", item_id, error)

    async def mark_dropped(self, item_id: int, reason: str) -> None:
        """Not to be sent after all (every topic it matched was removed or paused): kept with why."""
        async with self.db.transaction() as conn:
            await claims.end_claim(conn, Delivery.ALERT, item_id)
            await conn.execute(
                "UPDATE alert_outbox SET state = 'dropped', last_error = ? WHERE id = ? AND state = 'pending'",
                (reason[:ERROR_CHARS], item_id),
            )

    async def counts(self) -> dict[OutboxState, int]:
        """How many items are in each state (states without any left out)."""
        rows = await self.db.fetchall("SELECT state, count(*) FROM alert_outbox GROUP BY state")
        return {OutboxState(state): n for state, n in rows}

    async def items(self, chat_id: int | None = None) -> list[OutboxItem]:
        """Every item (of one chat), oldest first: for reports and tests."""
        if chat_id is None:
            rows = await self.db.fetchall(f"SELECT {OUTBOX_ITEM_COLUMNS} FROM alert_outbox ORDER BY id")
        else:
            rows = await self.db.fetchall(f"SELECT {OUTBOX_ITEM_COLUMNS} FROM alert_outbox WHERE chat_id = ? ORDER BY id",
                                          (chat_id,))
        return [item_from_row(r) for r in rows]
