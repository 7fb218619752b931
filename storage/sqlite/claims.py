"""Claims on the outbox of an SQLite store, and its (trivial) shared send limiter.

The same claims as PostgreSQL's (storage/postgres/claims.py): a sender claims chats, each
claimed chat's head (its oldest deliverable item, a digest part before an alert) is the
sender's until the lease runs out or the item is marked. SQLite has one writer at a time, so
the claiming transaction (BEGIN IMMEDIATE) needs no row locks. One process sends on a file
(the `sender` role, bot/roles.py); claims keep even two senders on it apart.

`Pace.reserve` is 0 and `Pace.hold` does nothing: that one process paces itself and holds
its own 429s (bot/sending/budget.py).
"""

from __future__ import annotations

import json
import time
from collections.abc import Collection

from storage.sqlite.db import Database
from storage.types import Delivery, Due

_HEADS = (
    "SELECT 'digest' AS kind, min(id) AS id, chat_id FROM alert_digests"
    " WHERE state = 'pending' AND next_attempt_at <= :now{chats} GROUP BY chat_id"
    " UNION ALL SELECT 'alert', min(id), chat_id FROM alert_outbox"
    " WHERE state = 'pending' AND kind = 'instant' AND next_attempt_at <= :now{chats} GROUP BY chat_id"
)

_CLAIMABLE = (
    f"WITH heads AS ({_HEADS.format(chats='')})"
    " SELECT c.chat_id, c.chat_type, coalesce(c.chosen_language, c.language) FROM alert_chats c"
    " JOIN (SELECT chat_id, min(id) AS first FROM heads GROUP BY chat_id) h ON h.chat_id = c.chat_id"
    " WHERE c.active = 1 AND (c.claimed_until IS NULL OR c.claimed_until <= :now)"
    " AND (:only IS NULL OR c.chat_id IN (SELECT value FROM json_each(:only)))"
    " AND c.chat_id NOT IN (SELECT value FROM json_each(:skip))"
    " ORDER BY h.first LIMIT :limit"
)

_FREE = "claimed_by = NULL, claimed_until = NULL, claimed_kind = NULL, claimed_id = NULL"


async def claim(db: Database, holder: str, now: float, limit: int, lease: float,
                only_chats: Collection[int] | None, skip_chats: Collection[int]) -> list[Due]:
    if limit <= 0:
        return []
    only = None if only_chats is None else json.dumps(list(only_chats))
    async with db.transaction() as conn:
        cur = await conn.execute(_CLAIMABLE, {"now": now, "limit": limit, "only": only,
                                              "skip": json.dumps(list(skip_chats))})
        chats = list(await cur.fetchall())
        if not chats:
            return []
        head: dict[int, tuple[str, int]] = {}
        cur = await conn.execute(_HEADS.format(chats=" AND chat_id IN (SELECT value FROM json_each(:chats))"),
                                 {"now": now, "chats": json.dumps([r[0] for r in chats])})
        for kind, item_id, chat_id in sorted(await cur.fetchall(), key=lambda r: r[0] != "digest"):
            head.setdefault(chat_id, (kind, item_id))
        claimed = [(chat_id, chat_type, language) for chat_id, chat_type, language in chats if chat_id in head]
        await conn.executemany(
            "UPDATE alert_chats SET claimed_by = ?, claimed_until = ?, claimed_kind = ?, claimed_id = ?"
            " WHERE chat_id = ?",
            [(holder, now + lease, head[c][0], head[c][1], c) for c, _, _ in claimed],
        )
    return [Due(Delivery(head[c][0]), head[c][1], c, chat_type, language) for c, chat_type, language in claimed]


async def release(db: Database, holder: str, item: Due, hold: float) -> None:
    """End `holder`'s claim of `item`; `hold` > 0: nobody claims the chat for that long."""
    now = time.time()
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE alert_chats SET claimed_kind = NULL, claimed_id = NULL,"
            " claimed_by = CASE WHEN :hold > 0 THEN claimed_by END,"
            " claimed_until = CASE WHEN :hold > 0 THEN :now + :hold END"
            " WHERE chat_id = :chat AND claimed_by = :holder AND claimed_kind = :kind AND claimed_id = :id",
            {"hold": hold, "now": now, "chat": item.chat_id, "holder": holder, "kind": str(item.kind),
             "id": item.id},
        )


async def end_claim(conn, kind: Delivery, item_id: int) -> None:
    """The item was marked (inside the marking transaction, on its connection): its claim ends."""
    await conn.execute(f"UPDATE alert_chats SET {_FREE} WHERE claimed_id = ? AND claimed_kind = ?",
                       (item_id, str(kind)))


class Pace:
    """No limiter shared between processes: one process sends on a file, pacing itself."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def reserve(self, chat_id: int | None, chat_interval: float, rate: float) -> float:
        return 0.0

    async def hold(self, chat_id: int | None, seconds: float) -> None:
        """Nothing to share: the process's own pacer holds the 429."""

    async def refused(self, chat_id: int | None, window: float) -> int:
        """Nothing shared: the process's own pacer counts the 429s it received."""
        return 0
