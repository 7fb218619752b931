"""Topics (`alert_topics`) in PostgreSQL: queries chats follow, kept as typed.

`add` locks the chat's row first, so two processes adding at once cannot both pass the
max_topics check (or both insert one query).
"""

from __future__ import annotations

from storage.postgres.db import Database
from storage.rows import NEWEST_ARTICLE, TOPIC_COLUMNS, topic_from_row
from storage.types import Topic, TopicAdded


class Topics:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def of_chat(self, chat_id: int) -> list[Topic]:
        """The chat's topics, oldest first (their numbers in /topics)."""
        rows = await self.db.fetchall(f"SELECT {TOPIC_COLUMNS} FROM alert_topics WHERE chat_id = $1 ORDER BY id",
                                      (chat_id,))
        return [topic_from_row(r) for r in rows]

    async def all(self) -> list[Topic]:
        """Every topic of every chat: what the in-memory index is built from."""
        return [topic_from_row(r) for r in await self.db.fetchall(f"SELECT {TOPIC_COLUMNS} FROM alert_topics ORDER BY id")]

    async def get(self, topic_id: int) -> Topic | None:
        row = await self.db.fetchone(f"SELECT {TOPIC_COLUMNS} FROM alert_topics WHERE id = $1", (topic_id,))
        return topic_from_row(row) if row else None

    async def add(self, chat_id: int, query: str, *, max_topics: int,
                  thread_id: int | None = None) -> tuple[TopicAdded, Topic | None]:
        """(ADDED, topic) | (EXISTS, topic) | (FULL, None). The chat row must exist."""
        async with self.db.transaction() as conn:
            # Serialises adds to one chat across processes (READ COMMITTED would let two
            # concurrent counts both see room for one more).
            await conn.execute("SELECT 1 FROM alert_chats WHERE chat_id = $1 FOR UPDATE", chat_id)
            existing = await conn.fetchrow(
                f"SELECT {TOPIC_COLUMNS} FROM alert_topics WHERE chat_id = $1 AND query = $2", chat_id, query
            )
            if existing:
                return TopicAdded.EXISTS, topic_from_row(existing)
            count = await conn.fetchval("SELECT count(*) FROM alert_topics WHERE chat_id = $1", chat_id)
            if count >= max_topics:
                return TopicAdded.FULL, None
            topic_id = await conn.fetchval(
                f"INSERT INTO alert_topics (chat_id, query, since_article, thread_id)"
                f" VALUES ($1, $2, {NEWEST_ARTICLE}, $3) RETURNING id",
                chat_id, query, thread_id,
            )
        return TopicAdded.ADDED, await self.get(topic_id)

    async def remove(self, chat_id: int, topic_id: int) -> Topic | None:
        """The removed topic; None if the chat has no such topic."""
        row = await self.db.fetchone(
            f"DELETE FROM alert_topics WHERE id = $1 AND chat_id = $2 RETURNING {TOPIC_COLUMNS}", (topic_id, chat_id)
        )
        return topic_from_row(row) if row else None

    async def changes(self, after: int | None) -> tuple[int, list[int]]:
        """(latest change number, topics changed after `after`), from the triggers' log (whose
        `seq` order is commit order); `after=None`: only the latest number, a starting point."""
        if after is None:
            return await self.db.fetchvalue("SELECT coalesce(max(seq), 0) FROM topic_changes"), []
        rows = await self.db.fetchall("SELECT seq, topic_id FROM topic_changes WHERE seq > $1 ORDER BY seq", (after,))
        if not rows:
            latest = await self.db.fetchvalue("SELECT coalesce(max(seq), 0) FROM topic_changes")
            return max(after, latest), []
        return rows[-1][0], list(dict.fromkeys(r[1] for r in rows))

    async def set_paused(self, chat_id: int, topic_id: int, paused: bool) -> Topic | None:
        """Pause or resume; a resumed topic fires for articles arriving from now on only."""
        row = await self.db.fetchone(
            "UPDATE alert_topics SET paused = $1,"
            f" since_article = CASE WHEN $2::boolean THEN since_article ELSE {NEWEST_ARTICLE} END"
            f" WHERE id = $3 AND chat_id = $4 RETURNING {TOPIC_COLUMNS}",
            (int(paused), bool(paused), topic_id, chat_id),
        )
        return topic_from_row(row) if row else None
