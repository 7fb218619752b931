"""Topics (`alert_topics`): queries in the search language that chats follow, kept as typed.

Nothing announces a change between processes on SQLite: `wait_for_change` polls the change
log's newest number (its primary key's end: one cheap lookup) instead.
"""

from __future__ import annotations

import asyncio
import time

from storage.rows import NEWEST_ARTICLE, TOPIC_COLUMNS, topic_from_row
from storage.sqlite.db import Database
from storage.types import Topic, TopicAdded

POLL_EVERY = 0.5  # seconds between two looks at the change log


class Topics:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._latest: int | None = None  # the newest change `changes` has seen

    async def of_chat(self, chat_id: int) -> list[Topic]:
        """The chat's topics, oldest first (their numbers in /topics)."""
        rows = await self.db.fetchall(f"SELECT {TOPIC_COLUMNS} FROM alert_topics WHERE chat_id = ? ORDER BY id", (chat_id,))
        return [topic_from_row(r) for r in rows]

    async def all(self) -> list[Topic]:
        """Every topic of every chat: what the in-memory index is built from."""
        return [topic_from_row(r) for r in await self.db.fetchall(f"SELECT {TOPIC_COLUMNS} FROM alert_topics ORDER BY id")]

    async def get(self, topic_id: int) -> Topic | None:
        row = await self.db.fetchone(f"SELECT {TOPIC_COLUMNS} FROM alert_topics WHERE id = ?", (topic_id,))
        return topic_from_row(row) if row else None

    async def add(self, chat_id: int, query: str, *, max_topics: int,
                  thread_id: int | None = None) -> tuple[TopicAdded, Topic | None]:
        """(ADDED, topic) | (EXISTS, topic) | (FULL, None). The chat row must exist."""
        async with self.db.transaction() as conn:
            existing = await self.db.fetchone(
                f"SELECT {TOPIC_COLUMNS} FROM alert_topics WHERE chat_id = ? AND query = ?", (chat_id, query)
            )
            if existing:
                return TopicAdded.EXISTS, topic_from_row(existing)
            count = await self.db.fetchvalue("SELECT count(*) FROM alert_topics WHERE chat_id = ?", (chat_id,))
            if count >= max_topics:
                return TopicAdded.FULL, None
            cur = await conn.execute(
                f"INSERT INTO alert_topics (chat_id, query, since_article, thread_id)"
                f" VALUES (?, ?, {NEWEST_ARTICLE}, ?)",
                (chat_id, query, thread_id),
            )
            topic_id = cur.lastrowid
        return TopicAdded.ADDED, await self.get(topic_id)

    async def remove(self, chat_id: int, topic_id: int) -> Topic | None:
        """The removed topic; None if the chat has no such topic."""
        async with self.db.transaction() as conn:
            topic = await self.db.fetchone(
                f"SELECT {TOPIC_COLUMNS} FROM alert_topics WHERE id = ? AND chat_id = ?", (topic_id, chat_id)
            )
            if topic is None:
                return None
            await conn.execute("DELETE FROM alert_topics WHERE id = ?", (topic_id,))
        return topic_from_row(topic)

    async def changes(self, after: int | None) -> tuple[int, list[int] | None]:
        """(latest change number, topics changed after `after`, None if the log was pruned past
        it), from the triggers' log; `after=None`: only the latest number, a starting point."""
        if after is None:
            return self._saw(await self._newest()), []
        rows = await self.db.fetchall(
            "SELECT seq, topic_id FROM topic_changes WHERE seq > ? ORDER BY seq", (after,))
        if not rows:
            return max(after, self._saw(await self._newest())), []
        self._saw(rows[-1][0])
        if rows[0][0] > after + 1 and await self.db.fetchvalue("SELECT min(seq) FROM topic_changes") > after + 1:
            return rows[-1][0], None  # changes after `after` were pruned
        return rows[-1][0], list(dict.fromkeys(r[1] for r in rows))

    async def wait_for_change(self, timeout: float) -> bool:
        """True once the log has a change newer than `changes` last saw."""
        deadline = time.monotonic() + timeout
        while True:
            if self._latest is None or await self._newest() > self._latest:
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            await asyncio.sleep(min(left, POLL_EVERY))

    async def prune_changes(self, keep: int) -> int:
        """Forget all but the newest `keep` changes (the newest is always kept); how many went."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM topic_changes WHERE seq <= (SELECT max(seq) FROM topic_changes) - ?", (max(keep, 1),))
            return cur.rowcount

    def _saw(self, seq: int) -> int:
        self._latest = max(seq, self._latest or 0)
        return seq

    async def _newest(self) -> int:
        return await self.db.fetchvalue("SELECT coalesce(max(seq), 0) FROM topic_changes")

    async def set_paused(self, chat_id: int, topic_id: int, paused: bool) -> Topic | None:
        """Pause or resume; a resumed topic fires for articles arriving from now on only."""
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "UPDATE alert_topics SET paused = ?,"
                f" since_article = CASE WHEN ? THEN since_article ELSE {NEWEST_ARTICLE} END"
                " WHERE id = ? AND chat_id = ?",
                (int(paused), int(paused), topic_id, chat_id),
            )
            if cur.rowcount == 0:
                return None
        return await self.get(topic_id)
