"""Stories (near-duplicate groups of articles) and their signatures, in SQLite (`storage.StoryStore`)."""

from __future__ import annotations

from collections.abc import Sequence

from storage.rows import ARTICLE_COLUMNS, article_from_row
from storage.sqlite.db import Database
from storage.types import Article, ArticleTerms, StoryCandidate

_IN_CHUNK = 500


class Stories:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def unassigned(self, limit: int) -> list[ArticleTerms]:
        rows = await self.db.fetchall(
            "SELECT a.id, a.language, a.source, substr(coalesce(a.published_at, a.ingested_at), 1, 10),"
            " t.title_stems, t.body_stems"
            " FROM articles a JOIN article_terms t ON t.article_id = a.id"
            " WHERE a.story_id IS NULL ORDER BY a.id LIMIT ?",
            (limit,),
        )
        return [ArticleTerms(r[0], r[1], r[2], r[3], tuple(r[4].split()), tuple(r[5].split())) for r in rows]

    async def candidates(self, bands: Sequence[str]) -> list[StoryCandidate]:
        found: dict[int, StoryCandidate] = {}
        for start in range(0, len(bands), _IN_CHUNK):
            chunk = list(bands[start : start + _IN_CHUNK])
            rows = await self.db.fetchall(
                "SELECT DISTINCT a.id, a.story_id, s.signature FROM story_bands b"
                " JOIN articles a ON a.id = b.article_id JOIN story_signatures s ON s.article_id = a.id"
                f" WHERE b.band IN ({','.join('?' * len(chunk))}) AND a.story_id IS NOT NULL",
                chunk,
            )
            found.update({r[0]: StoryCandidate(r[0], r[1], bytes(r[2])) for r in rows})
        return sorted(found.values(), key=lambda c: c.article_id)

    async def assign(self, article_id: int, story_id: int, signature: bytes | None, bands: Sequence[str]) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE articles SET story_id = ? WHERE id = ?", (story_id, article_id))
            if signature is not None:
                await conn.execute(
                    "INSERT OR REPLACE INTO story_signatures (article_id, signature) VALUES (?, ?)",
                    (article_id, signature),
                )
                await conn.executemany(
                    "INSERT INTO story_bands (band, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    [(band, article_id) for band in bands],
                )

    async def members(self, story_id: int) -> list[Article]:
        rows = await self.db.fetchall(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE story_id = ? ORDER BY id", (story_id,)
        )
        return [article_from_row(r) for r in rows]
