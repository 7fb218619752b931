"""The matcher's side of the store in PostgreSQL: its cursor over `articles`, the articles past
it with their stems, and queueing what matched together with moving the cursor."""

from __future__ import annotations

from collections.abc import Sequence

from storage.postgres.db import Database, changed
from storage.rows import MATCH_CURSOR, topics_json
from storage.types import ArticleTerms, Match

_NO_ID = 1 << 62  # above every article id: no article is waiting for its story


class Matching:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def cursor(self) -> int:
        """Every article with a greater id is still to be matched."""
        value = await self.db.fetchvalue("SELECT article_id FROM alert_cursor WHERE name = $1", (MATCH_CURSOR,))
        return value or 0

    async def articles_after(self, article_id: int, limit: int) -> list[ArticleTerms]:
        """Articles stored after `article_id`, oldest first, with their stems; none from the first
        article not yet in a story on (bot.stories.grouping runs first), so one story is one alert."""
        rows = await self.db.fetchall(
            "SELECT a.id, a.language, a.source, substr(coalesce(a.published_at, a.ingested_at), 1, 10),"
            " t.title_stems, t.body_stems"
            " FROM articles a JOIN article_terms t ON t.article_id = a.id"
            " WHERE a.id > $1 AND a.id < coalesce((SELECT min(id) FROM articles WHERE story_id IS NULL), $2)"
            " ORDER BY a.id LIMIT $3",
            (article_id, _NO_ID, limit),
        )
        return [ArticleTerms(r[0], r[1], r[2], r[3], tuple(r[4].split()), tuple(r[5].split())) for r in rows]

    async def article_terms(self, article_id: int) -> ArticleTerms | None:
        found = await self.articles_after(article_id - 1, 1)
        return found[0] if found and found[0].id == article_id else None

    async def recent_articles(self, limit: int) -> list[ArticleTerms]:
        """The newest articles with their stems: a sample for document frequencies."""
        newest = await self.db.fetchvalue("SELECT coalesce(max(id), 0) FROM articles")
        return await self.articles_after(max(0, newest - limit), limit)

    async def record_matches(self, expected_cursor: int, new_cursor: int, matches: Sequence[Match]) -> int | None:
        """Queue `matches` and move the cursor, in one transaction; idempotent per (chat, article),
        and one alert per (chat, story): an article of a story the chat was alerted to is not.

        The cursor moves only from `expected_cursor` (compare-and-set on its row: a second
        matcher waits for the first's row lock, then finds the cursor moved): if it moved
        nothing is written and None comes back. Inactive or unknown chats get nothing; chats
        on a digest get digest items. Topics removed or paused by any process since the
        matcher's index last looked are left out, in this same transaction. Each chat's row is read FOR SHARE, so a block or a
        migration committing meanwhile is waited for and seen. Returns how many were queued.
        """
        async with self.db.transaction() as conn:
            status = await conn.execute(
                "UPDATE alert_cursor SET article_id = $1 WHERE name = $2 AND article_id = $3",
                new_cursor, MATCH_CURSOR, expected_cursor,
            )
            if changed(status) != 1:
                return None
            wanted = sorted({t for m in matches for t, _ in m.topics})
            live = {r[0] for r in await conn.fetch(
                "SELECT id FROM alert_topics WHERE paused = 0 AND id = ANY($1::bigint[])", wanted)}
            queued = 0
            for match in matches:
                match = Match(match.chat_id, match.article_id, tuple(t for t in match.topics if t[0] in live))
                if not match.topics:
                    continue
                # One alert per story: not when the chat already has one for an article of it.
                status = await conn.execute(
                    "INSERT INTO alert_outbox (chat_id, article_id, topics, kind, thread_id)"
                    " SELECT chat_id, $1, $2, CASE WHEN digest_time IS NULL THEN 'instant' ELSE 'digest' END,"
                    "   (SELECT thread_id FROM alert_topics WHERE id = $3)"
                    " FROM alert_chats c WHERE c.chat_id = $4 AND c.active = 1 AND NOT EXISTS ("
                    "   SELECT 1 FROM alert_outbox o JOIN articles a ON a.id = o.article_id"
                    "   WHERE o.chat_id = c.chat_id AND a.story_id = (SELECT story_id FROM articles WHERE id = $1))"
                    " FOR SHARE OF c"
                    " ON CONFLICT (chat_id, article_id) DO NOTHING",
                    match.article_id, topics_json(match.topics), match.topics[0][0], match.chat_id,
                )
                queued += changed(status)
        return queued
