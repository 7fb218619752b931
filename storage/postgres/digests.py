"""Digests (`alert_digests`) in PostgreSQL: the outbox items of a chat on a daily digest,
rendered once into parts and delivered part by part, so that a restart resumes at the next part."""

from __future__ import annotations

import json
from collections.abc import Sequence

from storage.postgres import claims, outbox
from storage.postgres.db import Database, changed
from storage.rows import OUTBOX_ITEM_COLUMNS, item_from_row
from storage.types import Delivery, Digest, DigestState, OutboxItem


class _Conflict(Exception):
    """Raised inside a transaction to roll it back when a compare-and-set failed."""


class Digests:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def waiting_items(self, chat_id: int, limit: int = 200) -> list[OutboxItem]:
        """The chat's outbox items waiting for its next digest, oldest first."""
        rows = await self.db.fetchall(
            f"SELECT {OUTBOX_ITEM_COLUMNS} FROM alert_outbox WHERE chat_id = $1 AND state = 'pending'"
            " AND kind = 'digest' ORDER BY id LIMIT $2",
            (chat_id, limit),
        )
        return [item_from_row(r) for r in rows]

    async def create(self, chat_id: int, item_ids: Sequence[int], parts: Sequence[str],
                     digest_due_after: str | None) -> int | None:
        """The rendered digest, its items marked as carried by it, and the slot marked done.

        All or nothing: if any item is no longer pending, nothing changes and None comes back
        (another process digesting the same items at once: its row locks are waited for, then
        the items are no longer pending). No items: only the slot is marked (and None comes
        back); no parts (every article gone): the digest is stored as sent.
        """
        try:
            return await self._create(chat_id, item_ids, parts, digest_due_after)
        except _Conflict:
            return None

    async def _create(self, chat_id: int, item_ids: Sequence[int], parts: Sequence[str],
                      digest_due_after: str | None) -> int | None:
        async with self.db.transaction() as conn:
            digest_id = None
            if item_ids:
                digest_id = await conn.fetchval(
                    "INSERT INTO alert_digests (chat_id, parts, state) VALUES ($1, $2, $3) RETURNING id",
                    chat_id, json.dumps(list(parts), ensure_ascii=False),
                    str(DigestState.PENDING if parts else DigestState.SENT),
                )
                status = await conn.execute(
                    "UPDATE alert_outbox SET state = 'digested', digest_id = $1 WHERE chat_id = $2"
                    " AND state = 'pending' AND kind = 'digest' AND id = ANY($3::bigint[])",
                    digest_id, chat_id, list(item_ids),
                )
                if changed(status) != len(item_ids):
                    raise _Conflict
            if digest_due_after is not None:
                await conn.execute("UPDATE alert_chats SET digest_due_after = $1 WHERE chat_id = $2",
                                   digest_due_after, chat_id)
        return digest_id

    async def get(self, digest_id: int) -> Digest | None:
        row = await self.db.fetchone(
            "SELECT id, chat_id, parts, parts_sent, attempts, state FROM alert_digests WHERE id = $1", (digest_id,)
        )
        if row is None:
            return None
        return Digest(row[0], row[1], tuple(json.loads(row[2])), row[3], row[4], DigestState(row[5]))

    async def mark_part_sent(self, digest_id: int, part: int, last: bool) -> None:
        """Part `part` was accepted; the digest is sent with its `last` part. Only once per part."""
        async with self.db.transaction():  # the claim ends as the mark commits
            await claims.end_claim(self.db, Delivery.DIGEST, digest_id)
            await self.db.execute(
                "UPDATE alert_digests SET parts_sent = $1, attempts = 0, last_error = NULL,"
                " state = CASE WHEN $2::boolean THEN 'sent' ELSE state END,"
                " sent_at = CASE WHEN $2::boolean THEN utc_now_text_ms() ELSE sent_at END"
                " WHERE id = $3 AND state = 'pending' AND parts_sent = $4",
                (part + 1, bool(last), digest_id, part),
            )

    async def mark_retry(self, digest_id: int, error: str, next_attempt_at: float) -> int:
        """A failed attempt to try again at `next_attempt_at`; returns the attempts made so far."""
        return await outbox.mark_retry(self.db, "alert_digests", digest_id, error, next_attempt_at)

    async def mark_parked(self, digest_id: int, error: str) -> None:
        """Failed for a permanent reason: kept with the reason, never retried."""
        await outbox.mark_parked(self.db, "alert_digests", digest_id, error)
