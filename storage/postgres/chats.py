"""Chats that follow topics (`alert_chats`) in PostgreSQL: settings, blocking, unblocking, moving.

A chat's state change that touches what waits for it (dropping its alerts on a block,
moving them on a migration) is one transaction with it; `migrate` locks both chats' rows,
so a topic added or an alert queued meanwhile by another process waits for it.
"""

from __future__ import annotations

from storage.postgres.db import Database, changed
from storage.rows import CHAT_COLUMNS, NEWEST_ARTICLE, chat_from_row
from storage.types import AlertChat


class Chats:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def get(self, chat_id: int) -> AlertChat | None:
        row = await self.db.fetchone(f"SELECT {CHAT_COLUMNS} FROM alert_chats WHERE chat_id = $1", (chat_id,))
        return chat_from_row(row) if row else None

    async def ensure(self, chat_id: int, chat_type: str, language: str) -> AlertChat:
        """The chat's row, created if new; its type and Telegram language follow the latest
        command (a language chosen with /language stays the chat's language). One upsert:
        two processes ensuring one chat at once both get it."""
        row = await self.db.fetchone(
            "INSERT INTO alert_chats (chat_id, chat_type, language) VALUES ($1, $2, $3)"
            " ON CONFLICT (chat_id) DO UPDATE SET chat_type = excluded.chat_type, language = excluded.language"
            f" RETURNING {CHAT_COLUMNS}",
            (chat_id, chat_type, language),
        )
        return chat_from_row(row)

    async def chosen_language(self, chat_id: int) -> str | None:
        """The language chosen with /language, or None (follow Telegram): one primary-key read."""
        return await self.db.fetchvalue("SELECT chosen_language FROM alert_chats WHERE chat_id = $1", (chat_id,))

    async def set_language(self, chat_id: int, chat_type: str, language: str | None) -> None:
        """Choose the chat's interface language (created if new); None: follow Telegram again."""
        await self.db.execute(
            "INSERT INTO alert_chats (chat_id, chat_type, chosen_language) VALUES ($1, $2, $3)"
            " ON CONFLICT (chat_id) DO UPDATE SET chosen_language = excluded.chosen_language",
            (chat_id, chat_type, language),
        )

    async def set_timezone(self, chat_id: int, timezone: str, digest_due_after: str | None) -> None:
        await self.db.execute(
            "UPDATE alert_chats SET timezone = $1, digest_due_after = coalesce($2, digest_due_after)"
            " WHERE chat_id = $3",
            (timezone, digest_due_after, chat_id),
        )

    async def set_digest(self, chat_id: int, digest_time: str | None, digest_due_after: str | None) -> None:
        """Switch the chat to a daily digest at `digest_time`, or (None) back to instant alerts.

        Items already waiting for a digest stay digest items: the next digest run sends them
        (at once when the digest was switched off).
        """
        await self.db.execute(
            "UPDATE alert_chats SET digest_time = $1, digest_due_after = $2 WHERE chat_id = $3",
            (digest_time, digest_due_after, chat_id),
        )

    async def with_digest(self) -> list[AlertChat]:
        """Active chats with a digest set, or with digest items left over from one."""
        rows = await self.db.fetchall(
            f"SELECT {CHAT_COLUMNS} FROM alert_chats c WHERE active = 1 AND (digest_time IS NOT NULL"
            " OR EXISTS (SELECT 1 FROM alert_outbox o WHERE o.chat_id = c.chat_id"
            " AND o.state = 'pending' AND o.kind = 'digest')) ORDER BY chat_id"
        )
        return [chat_from_row(r) for r in rows]

    async def deactivate(self, chat_id: int, reason: str) -> int:
        """403: stop alerting the chat; what was waiting for it is dropped with the reason.
        Returns how many alerts were dropped."""
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE alert_chats SET active = 0, inactive_reason = $1 WHERE chat_id = $2",
                               reason, chat_id)
            dropped = changed(await conn.execute(
                "UPDATE alert_outbox SET state = 'dropped', last_error = $1 WHERE chat_id = $2 AND state = 'pending'",
                reason, chat_id,
            ))
            await conn.execute(
                "UPDATE alert_digests SET state = 'dropped', last_error = $1 WHERE chat_id = $2 AND state = 'pending'",
                reason, chat_id,
            )
        return dropped

    async def reactivate(self, chat_id: int) -> bool:
        """/start after a block: alerts resume from now on (nothing from the silent time).
        False if the chat was not inactive."""
        async with self.db.transaction() as conn:
            status = await conn.execute(
                "UPDATE alert_chats SET active = 1, inactive_reason = NULL WHERE chat_id = $1 AND active = 0", chat_id
            )
            if changed(status) == 0:
                return False
            await conn.execute(f"UPDATE alert_topics SET since_article = {NEWEST_ARTICLE} WHERE chat_id = $1", chat_id)
        return True

    async def migrate(self, old_id: int, new_id: int) -> None:
        """A group became a supergroup: its settings, topics and waiting alerts move to `new_id`.

        Where the new chat already has the same topic or alert, the new chat's copy is kept.
        """
        async with self.db.transaction() as conn:
            # Both rows (as they exist) locked, in one order: topics.add and record_matches of either chat wait.
            await conn.execute("SELECT 1 FROM alert_chats WHERE chat_id IN ($1, $2) ORDER BY chat_id FOR UPDATE",
                               old_id, new_id)
            await conn.execute(
                "INSERT INTO alert_chats (chat_id, chat_type, language, chosen_language, active, timezone,"
                " digest_time, digest_due_after) SELECT $1, 'supergroup', language, chosen_language, 1, timezone,"
                " digest_time, digest_due_after"
                " FROM alert_chats WHERE chat_id = $2 ON CONFLICT (chat_id) DO NOTHING",
                new_id, old_id,
            )
            # SQLite's UPDATE OR IGNORE: rows the new chat already has stay behind (and go with the old chat).
            await conn.execute(
                "UPDATE alert_topics t SET chat_id = $1 WHERE t.chat_id = $2 AND NOT EXISTS ("
                " SELECT 1 FROM alert_topics n WHERE n.chat_id = $1 AND n.query = t.query)",
                new_id, old_id,
            )
            await conn.execute(
                "UPDATE alert_outbox o SET chat_id = $1 WHERE o.chat_id = $2 AND o.state = 'pending' AND NOT EXISTS ("
                " SELECT 1 FROM alert_outbox n WHERE n.chat_id = $1 AND n.article_id = o.article_id)",
                new_id, old_id,
            )
            await conn.execute(
                "UPDATE alert_outbox SET state = 'dropped', last_error = $1 WHERE chat_id = $2 AND state = 'pending'",
                f"chat migrated to {new_id}; already queued there", old_id,
            )
            await conn.execute("UPDATE alert_digests SET chat_id = $1 WHERE chat_id = $2 AND state = 'pending'",
                               new_id, old_id)
            await conn.execute("DELETE FROM alert_chats WHERE chat_id = $1", old_id)  # cascades leftovers
