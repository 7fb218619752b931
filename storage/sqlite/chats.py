"""Chats that follow topics (`alert_chats`): their settings, and blocking, unblocking, moving.

A chat's state change that touches what waits for it (dropping its alerts on a block,
moving them on a migration) is one transaction with it.
"""

from __future__ import annotations

from storage.rows import CHAT_COLUMNS, NEWEST_ARTICLE, chat_from_row
from storage.sqlite.db import Database
from storage.types import AlertChat


class Chats:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, chat_id: int) -> AlertChat | None:
        row = await self.db.fetchone(f"SELECT {CHAT_COLUMNS} FROM alert_chats WHERE chat_id = ?", (chat_id,))
        return chat_from_row(row) if row else None

    async def ensure(self, chat_id: int, chat_type: str, language: str) -> AlertChat:
        """The chat's row, created if new; its type and Telegram language follow the latest
        command (a language chosen with /language stays the chat's language)."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO alert_chats (chat_id, chat_type, language) VALUES (?, ?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET chat_type = excluded.chat_type, language = excluded.language",
                (chat_id, chat_type, language),
            )
        return await self.get(chat_id)

    async def chosen_language(self, chat_id: int) -> str | None:
        """The language chosen with /language, or None (follow Telegram): one primary-key read."""
        return await self.db.fetchvalue("SELECT chosen_language FROM alert_chats WHERE chat_id = ?", (chat_id,))

    async def set_language(self, chat_id: int, chat_type: str, language: str | None) -> None:
        """Choose the chat's interface language (created if new); None: follow Telegram again."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO alert_chats (chat_id, chat_type, chosen_language) VALUES (?, ?, ?)"
                " ON CONFLICT (chat_id) DO UPDATE SET chosen_language = excluded.chosen_language",
                (chat_id, chat_type, language),
            )

    async def set_timezone(self, chat_id: int, timezone: str, digest_due_after: str | None) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE alert_chats SET timezone = ?, digest_due_after = coalesce(?, digest_due_after)"
                " WHERE chat_id = ?",
                (timezone, digest_due_after, chat_id),
            )

    async def set_digest(self, chat_id: int, digest_time: str | None, digest_due_after: str | None) -> None:
        """Switch the chat to a daily digest at `digest_time`, or (None) back to instant alerts.

        Items already waiting for a digest stay digest items: the next digest run sends them
        (at once when the digest was switched off).
        """
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE alert_chats SET digest_time = ?, digest_due_after = ? WHERE chat_id = ?",
                (digest_time, digest_due_after, chat_id),
            )

    async def with_digest(self) -> list[AlertChat]:
        """Active chats with a digest set, or with digest items left over from one."""
        rows = await self.db.fetchall(
            f"SELECT {CHAT_COLUMNS} FROM alert_chats c WHERE active = 1 AND (digest_time IS NOT NULL"
            " OR EXISTS (SELECT 1 FROM alert_outbox o WHERE o.chat_id = c.chat_id"
            " AND o.state = 'pending' AND o.kind = 'digest'))"
        )
        return [chat_from_row(r) for r in rows]

    async def deactivate(self, chat_id: int, reason: str) -> int:
        """403: stop alerting the chat; what was waiting for it is dropped with the reason.
        Returns how many alerts were dropped."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE alert_chats SET active = 0, inactive_reason = ? WHERE chat_id = ?", (reason, chat_id)
            )
            cur = await conn.execute(
                "UPDATE alert_outbox SET state = 'dropped', last_error = ? WHERE chat_id = ? AND state = 'pending'",
                (reason, chat_id),
            )
            dropped = cur.rowcount
            await conn.execute(
                "UPDATE alert_digests SET state = 'dropped', last_error = ? WHERE chat_id = ? AND state = 'pending'",
                (reason, chat_id),
            )
        return dropped

    async def reactivate(self, chat_id: int) -> bool:
        """/start after a block: alerts resume from now on (nothing from the silent time).
        False if the chat was not inactive."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE alert_chats SET active = 1, inactive_reason = NULL WHERE chat_id = ? AND active = 0",
                (chat_id,),
            )
            if cur.rowcount == 0:
                return False
            await conn.execute(
                f"UPDATE alert_topics SET since_article = {NEWEST_ARTICLE} WHERE chat_id = ?", (chat_id,)
            )
        return True

    async def migrate(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: its settings, topics and waiting alerts move to `new_id`.

        Where the new chat already has the same topic or alert, the new chat's copy is kept.
        """
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO alert_chats (chat_id, chat_type, language, chosen_language, active, timezone,"
                " digest_time, digest_due_after) SELECT ?, 'supergroup', language, chosen_language, 1, timezone,"
                " digest_time, digest_due_after"
                " FROM alert_chats WHERE chat_id = ? ON CONFLICT (chat_id) DO NOTHING",
                (new_id, old_id),
            )
            await conn.execute("UPDATE OR IGNORE alert_topics SET chat_id = ? WHERE chat_id = ?", (new_id, old_id))
            await conn.execute(
                "UPDATE OR IGNORE alert_outbox SET chat_id = ? WHERE chat_id = ? AND state = 'pending'",
                (new_id, old_id),
            )
            await conn.execute(
                "UPDATE alert_outbox SET state = 'dropped', last_error = ? WHERE chat_id = ? AND state = 'pending'",
                (f"chat migrated to {new_id}; already queued there", old_id),
            )
            await conn.execute(
                "UPDATE alert_digests SET chat_id = ? WHERE chat_id = ? AND state = 'pending'", (new_id, old_id)
            )
            await conn.execute("DELETE FROM alert_chats WHERE chat_id = ?", (old_id,))  # cascades leftovers
