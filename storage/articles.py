"""Articles, their analysed terms and cached summaries."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from storage.db import Database


@dataclass(frozen=True, slots=True)
class NewArticle:
    """An article ready to store, with what analysis derived from it."""

    title: str
    body: str
    language: str
    content_hash: str
    title_words: str
    body_words: str
    title_stems: str
    body_stems: str
    sentences: Sequence[tuple[int, int, int]]
    source: str | None = None
    source_key: str | None = None
    url: str | None = None
    published_at: str | None = None
    origin: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    id: int
    title: str
    body: str
    language: str
    source: str | None
    url: str | None
    published_at: str | None
    ingested_at: str

    @property
    def date(self) -> str:
        """The day the article is dated: its publication date, else when it was stored."""
        return (self.published_at or self.ingested_at)[:10]


_ARTICLE_COLUMNS = "id, title, body, language, source, url, published_at, ingested_at"


def article_from_row(row) -> Article:
    return Article(*row)


class ArticleStore:
    """Reads and writes articles; deduplicates by URL and by content hash."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def find_duplicate(self, content_hash: str, url: str | None = None) -> int | None:
        """Id of an article already stored with this content or URL."""
        async with self.db.conn.execute(
            "SELECT id FROM articles WHERE content_hash = ? OR (url IS NOT NULL AND url = ?) LIMIT 1",
            (content_hash, url),
        ) as cur:
            row = await cur.fetchone()
        return row[0] if row else None

    async def add(self, article: NewArticle) -> tuple[int, bool]:
        """Store `article` with its terms in one transaction: (id, True), or (existing id, False)."""
        return (await self.add_many([article]))[0]

    async def add_many(self, articles: Sequence[NewArticle]) -> list[tuple[int, bool]]:
        """Store a batch in one transaction (one commit, not one per article); duplicates skipped."""
        results = []
        async with self.db.transaction() as conn:
            for article in articles:
                existing = await self.find_duplicate(article.content_hash, article.url)
                if existing is not None:
                    results.append((existing, False))
                    continue
                cur = await conn.execute(
                    "INSERT INTO articles"
                    " (url, content_hash, title, source, source_key, published_at, language, body, origin)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (article.url, article.content_hash, article.title, article.source, article.source_key,
                     article.published_at, article.language, article.body, article.origin),
                )
                await conn.execute(
                    "INSERT INTO article_terms"
                    " (article_id, title_words, body_words, title_stems, body_stems, sentences)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (cur.lastrowid, article.title_words, article.body_words, article.title_stems,
                     article.body_stems, json.dumps([list(s) for s in article.sentences])),
                )
                results.append((cur.lastrowid, True))
        return results

    async def get(self, article_id: int) -> Article | None:
        async with self.db.conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
        ) as cur:
            row = await cur.fetchone()
        return article_from_row(row) if row else None

    async def latest(self, limit: int) -> list[Article]:
        async with self.db.conn.execute(
            f"SELECT {_ARTICLE_COLUMNS} FROM articles"
            " ORDER BY coalesce(published_at, ingested_at) DESC, id DESC LIMIT ?",
            (limit,),
        ) as cur:
            return [article_from_row(row) async for row in cur]

    async def count(self) -> int:
        async with self.db.conn.execute("SELECT count(*) FROM articles") as cur:
            return (await cur.fetchone())[0]

    async def sentence_spans(self, article_id: int) -> list[tuple[int, int, int]]:
        async with self.db.conn.execute(
            "SELECT sentences FROM article_terms WHERE article_id = ?", (article_id,)
        ) as cur:
            row = await cur.fetchone()
        return [tuple(s) for s in json.loads(row[0])] if row else []

    async def cached_summary(self, article_id: int, setting: str) -> list[str] | None:
        async with self.db.conn.execute(
            "SELECT sentences FROM summaries WHERE article_id = ? AND setting = ?",
            (article_id, setting),
        ) as cur:
            row = await cur.fetchone()
        return json.loads(row[0]) if row else None

    async def cache_summary(self, article_id: int, setting: str, sentences: list[str]) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO summaries (article_id, setting, sentences) VALUES (?, ?, ?)",
                (article_id, setting, json.dumps(sentences, ensure_ascii=False)),
            )
