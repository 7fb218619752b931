"""Topics (`alert_topics`) in PostgreSQL: queries chats follow, kept as typed.

`add` locks the chat's row first, so two processes adding at once cannot both pass the
max_topics check (or both insert one query). The change log's trigger announces each change on
the `topic_changes` channel; `wait_for_change` listens for it on a connection of its own. A
notification only wakes the follower: what changed is always read from the log.
"""

from __future__ import annotations

import asyncio

from storage.postgres.db import Database, changed
from storage.postgres.listener import Listener
from storage.rows import NEWEST_ARTICLE, TOPIC_COLUMNS, topic_from_row
from storage.types import Topic, TopicAdded

POLL_EVERY = 0.5  # seconds between two looks at the log while the listener is down


class Topics:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._listener = Listener(db.dsn, "topic_changes")  # started by the first wait_for_change
        self._latest: int | None = None  # the newest change `changes` has seen

    async def close(self) -> None:
        await self._listener.close()

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

    async def changes(self, after: int | None) -> tuple[int, list[int] | None]:
        """(latest change number, topics changed after `after`, None if the log was pruned past
        it), from the triggers' log (whose `seq` order is commit order); `after=None`: only the
        latest number, a starting point."""
        self._listener.heard.clear()  # before reading: what commits from now on is heard again
        try:
            return await self._read(after)
        except BaseException:
            self._listener.heard.set()  # not read after all: the next caller must
            raise

    async def _read(self, after: int | None) -> tuple[int, list[int] | None]:
        if after is None:
            return self._saw(await self._newest()), []
        rows = await self.db.fetchall("SELECT seq, topic_id FROM topic_changes WHERE seq > $1 ORDER BY seq", (after,))
        if not rows:
            return max(after, self._saw(await self._newest())), []
        self._saw(rows[-1][0])
        if rows[0][0] > after + 1 and await self.db.fetchvalue("SELECT min(seq) FROM topic_changes") > after + 1:
            return rows[-1][0], None  # changes after `after` were pruned
        return rows[-1][0], list(dict.fromkeys(r[1] for r in rows))

    async def wait_for_change(self, timeout: float) -> bool:
        """True once a change is announced (or, while the listener is down, is in the log)."""
        self._listener.start()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while (left := deadline - loop.time()) > 0:
            if self._listener.connected:
                try:  # a short wait: a listener that drops meanwhile is noticed within it
                    await asyncio.wait_for(self._listener.heard.wait(), min(left, POLL_EVERY))
                    return True
                except TimeoutError:
                    continue
            if self._latest is None or await self._newest() > self._latest:
                return True
            await asyncio.sleep(min(left, POLL_EVERY))
        return False

    async def prune_changes(self, keep: int) -> int:
        """Forget all but the newest `keep` changes (the newest is always kept); how many went."""
        return changed(await self.db.execute(
            "DELETE FROM topic_changes WHERE seq <= (SELECT max(seq) FROM topic_changes) - $1", (max(keep, 1),)))

    def _saw(self, seq: int) -> int:
        self._latest = max(seq, self._latest or 0)
        return seq

    async def _newest(self) -> int:
        return await self.db.fetchvalue("SELECT coalesce(max(seq), 0) FROM topic_changes")

    async def set_paused(self, chat_id: int, topic_id: int, paused: bool) -> Topic | None:
        """Pause or resume; a resumed topic fires for articles arriving from now on only."""
        row = await self.db.fetchone(
            "UPDATE alert_topics SET paused = $1,"
            f" since_article = CASE WHEN $2::boolean THEN since_article ELSE {NEWEST_ARTICLE} END"
            f" WHERE id = $3 AND chat_id = $4 RETURNING {TOPIC_COLUMNS}",
            (int(paused), bool(paused), topic_id, chat_id),
        )
        return topic_from_row(row) if row else None
