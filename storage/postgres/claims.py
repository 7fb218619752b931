"""Claims on the outbox, and the one send limiter, in PostgreSQL: any number of senders.

A sender claims chats: each claimed chat's head (its oldest deliverable item, a digest part
before an alert) is the sender's until the lease runs out or the item is marked (every mark
ends the claim of its item). The chat row is locked with
`FOR UPDATE SKIP LOCKED` while claiming and the heads are read again after the locks, in the
same transaction: two senders racing never claim one chat, and a chat's next item is never
out while another is. Leases are kept by the database's clock, so machines' clocks do not
matter; `now` (the caller's) is only compared with `next_attempt_at`, which callers set.

`Pace.reserve` is the limiter every process shares (the `reserve_send` function of
migration 0003): one round trip takes the next overall slot and the chat's next slot.
`Pace.hold` writes a 429 into it (`hold_send`, migration 0004), so every process waits.
"""

from __future__ import annotations

from collections.abc import Collection

from storage.postgres.db import Database
from storage.types import Delivery, Due

DB_NOW = "extract(epoch FROM clock_timestamp())"

_HEADS = (
    "SELECT 'digest'::text AS kind, min(id) AS id, chat_id FROM alert_digests"
    " WHERE state = 'pending' AND next_attempt_at <= $1{chats} GROUP BY chat_id"
    " UNION ALL SELECT 'alert', min(id), chat_id FROM alert_outbox"
    " WHERE state = 'pending' AND kind = 'instant' AND next_attempt_at <= $1{chats} GROUP BY chat_id"
)

# Chats with something due, no live claim, and (by the shared limiter) ready for a message.
_CLAIMABLE = (
    f"WITH heads AS ({_HEADS.format(chats='')})"
    " SELECT c.chat_id, c.chat_type, coalesce(c.chosen_language, c.language) FROM alert_chats c"
    " JOIN (SELECT chat_id, min(id) AS first FROM heads GROUP BY chat_id) h ON h.chat_id = c.chat_id"
    " LEFT JOIN send_pace p ON p.key = 'chat:' || c.chat_id"
    f" WHERE c.active = 1 AND (c.claimed_until IS NULL OR c.claimed_until <= {DB_NOW})"
    f" AND (p.tat IS NULL OR p.tat <= {DB_NOW})"
    " AND ($3::bigint[] IS NULL OR c.chat_id = ANY($3::bigint[])) AND NOT (c.chat_id = ANY($4::bigint[]))"
    " ORDER BY h.first LIMIT $2 FOR UPDATE OF c SKIP LOCKED"
)

_FREE = "claimed_by = NULL, claimed_until = NULL, claimed_kind = NULL, claimed_id = NULL"


async def claim(db: Database, holder: str, now: float, limit: int, lease: float,
                only_chats: Collection[int] | None, skip_chats: Collection[int]) -> list[Due]:
    if limit <= 0:
        return []
    async with db.transaction() as conn:
        chats = await conn.fetch(_CLAIMABLE, float(now), limit,
                                 None if only_chats is None else list(only_chats), list(skip_chats))
        if not chats:
            return []
        # A new statement, a new snapshot: the heads as they are now that the chats are ours.
        rows = await conn.fetch(_HEADS.format(chats=" AND chat_id = ANY($2::bigint[])"),
                                float(now), [r[0] for r in chats])
        head: dict[int, tuple[str, int]] = {}
        for kind, item_id, chat_id in sorted(rows, key=lambda r: r[0] != "digest"):
            head.setdefault(chat_id, (kind, item_id))
        claimed = [(chat_id, chat_type, language) for chat_id, chat_type, language in chats if chat_id in head]
        if not claimed:
            return []
        await conn.execute(
            f"UPDATE alert_chats c SET claimed_by = $1, claimed_until = {DB_NOW} + $2,"
            " claimed_kind = u.kind, claimed_id = u.id"
            " FROM unnest($3::bigint[], $4::text[], $5::bigint[]) AS u(chat_id, kind, id) WHERE c.chat_id = u.chat_id",
            holder, float(lease), [c for c, _, _ in claimed], [head[c][0] for c, _, _ in claimed],
            [head[c][1] for c, _, _ in claimed],
        )
    return [Due(Delivery(head[c][0]), head[c][1], c, chat_type, language) for c, chat_type, language in claimed]


async def release(db: Database, holder: str, item: Due, hold: float) -> None:
    """End `holder`'s claim of `item`; `hold` > 0: nobody claims the chat for that long."""
    await db.execute(
        "UPDATE alert_chats SET claimed_kind = NULL, claimed_id = NULL,"
        " claimed_by = CASE WHEN $4::float8 > 0 THEN claimed_by END,"
        f" claimed_until = CASE WHEN $4::float8 > 0 THEN {DB_NOW} + $4::float8 END"
        " WHERE chat_id = $1 AND claimed_by = $2 AND claimed_kind = $3 AND claimed_id = $5",
        (item.chat_id, holder, str(item.kind), float(hold), item.id),
    )


async def end_claim(db: Database, kind: Delivery, item_id: int) -> None:
    """The item was marked: whoever claimed it (if its claim is still on) is done with it."""
    await db.execute(f"UPDATE alert_chats SET {_FREE} WHERE claimed_id = $1 AND claimed_kind = $2",
                     (item_id, str(kind)))


class Pace:
    """The send limiter all processes share: Telegram counts the bot's messages, not a process's."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def reserve(self, chat_id: int | None, chat_interval: float, rate: float) -> float:
        """Take the next slot overall (1/rate apart) and `chat_id`'s next (`chat_interval`
        apart): the seconds to wait before sending."""
        key = None if chat_id is None else f"chat:{chat_id}"
        delay = await self.db.fetchvalue("SELECT reserve_send($1, $2, $3)",
                                         (key, float(chat_interval), 1.0 / float(rate)))
        return max(0.0, float(delay or 0.0))

    async def hold(self, chat_id: int | None, seconds: float) -> None:
        """No slot for `chat_id` (None: anyone) sooner than `seconds` from now, in every process."""
        key = "*" if chat_id is None else f"chat:{chat_id}"
        await self.db.execute("SELECT hold_send($1, $2)", (key, float(seconds)))

    async def refused(self, chat_id: int | None, window: float) -> int:
        """A 429 for `chat_id` (None: without a chat): how many distinct chats (a refusal
        without one counting as one) every process had refused in the last `window` seconds."""
        key = "none" if chat_id is None else f"chat:{chat_id}"
        return int(await self.db.fetchvalue("SELECT refuse_send($1, $2)", (key, float(window))))
