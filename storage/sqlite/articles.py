"""Articles, their analysed terms and cached summaries, in SQLite (`storage.ArticleStore`).

The FTS index follows `article_terms` through its triggers; the words' document frequencies
("did you mean") are counted here, in the same transaction (storage/sqlite/words.py).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Sequence

from storage.rows import ARTICLE_COLUMNS, article_from_row
from storage.sqlite.db import Database
from storage.sqlite.words import WordCounts
from storage.types import Article, NewArticle, StoredAnalysis

_IN_CHUNK = 500  # values per `IN (...)` list


class Articles:
    """Reads and writes articles; deduplicates by URL and by content hash."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def known(self, *, content_hashes: Sequence[str] = (), urls: Sequence[str] = ()) -> dict[str, int]:
        """{content hash or URL: id} for those already stored: one query for a whole batch."""
        found: dict[str, int] = {}
        for column, values in (("content_hash", content_hashes), ("url", urls)):
            for start in range(0, len(values), _IN_CHUNK):
                chunk = list(values[start : start + _IN_CHUNK])
                marks = ",".join("?" * len(chunk))
                rows = await self.db.fetchall(f"SELECT {column}, id FROM articles WHERE {column} IN ({marks})", chunk)
                found.update({key: article_id for key, article_id in rows})
        return found

    async def add(self, article: NewArticle) -> tuple[int, bool]:
        """Store `article` with its terms in one transaction: (id, True), or (existing id, False)."""
        return (await self.add_many([article]))[0]

    async def add_many(self, articles: Sequence[NewArticle]) -> list[tuple[int, bool]]:
        """Store a batch in one transaction and a handful of statements: (id, created) per article.

        An article whose content hash or URL is already stored, or comes earlier in the same
        batch, is not stored again; its result names the article it duplicates.
        """
        async with self.db.transaction() as conn:
            known = await self.known(
                content_hashes=[a.content_hash for a in articles], urls=[a.url for a in articles if a.url]
            )
            fresh: list[NewArticle] = []
            first_of: list[str] = []  # per article: the content hash of the article that holds it
            is_fresh: list[bool] = []
            holder: dict[str, str] = {}  # hash or URL in this batch -> hash of its first article
            for article in articles:
                keys = [article.content_hash] + ([article.url] if article.url else [])
                if any(k in known for k in keys):
                    first_of.append(next(k for k in keys if k in known))
                    is_fresh.append(False)
                    continue
                first = next((holder[k] for k in keys if k in holder), None)
                is_fresh.append(first is None)
                if first is None:
                    fresh.append(article)
                    first = article.content_hash
                    holder.update(dict.fromkeys(keys, first))
                first_of.append(first)
            await conn.executemany(
                "INSERT INTO articles"
                " (url, content_hash, title, source, source_key, published_at, language, body, origin)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(a.url, a.content_hash, a.title, a.source, a.source_key, a.published_at, a.language, a.body,
                  a.origin) for a in fresh],
            )
            new_ids = await self.known(content_hashes=[a.content_hash for a in fresh])
            await conn.executemany(
                "INSERT INTO article_terms"
                " (article_id, title_words, body_words, title_stems, body_stems, sentences)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(new_ids[a.content_hash], a.title_words, a.body_words, a.title_stems, a.body_stems,
                  json.dumps([list(s) for s in a.sentences])) for a in fresh],
            )
            words = WordCounts()
            for a in fresh:
                words.count(a.title_words, a.body_words)
            await words.write(conn)
        return [(known[key] if key in known else new_ids[key], created) for key, created in zip(first_of, is_fresh)]

    async def get(self, article_id: int) -> Article | None:
        row = await self.db.fetchone(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        return article_from_row(row) if row else None

    async def get_many(self, ids: Sequence[int]) -> list[Article]:
        """The articles with these ids, in the order given (missing ones left out)."""
        if not ids:
            return []
        rows = await self.db.fetchall(
            f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({','.join('?' * len(ids))})", list(ids)
        )
        by_id = {row[0]: article_from_row(row) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    async def latest(self, limit: int) -> list[Article]:
        rows = await self.db.fetchall(
            f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY coalesce(published_at, ingested_at) DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [article_from_row(row) for row in rows]

    async def count(self) -> int:
        return await self.db.fetchvalue("SELECT count(*) FROM articles")

    async def cached_summary(self, article_id: int, setting: str) -> list[str] | None:
        value = await self.db.fetchvalue(
            "SELECT sentences FROM summaries WHERE article_id = ? AND setting = ?", (article_id, setting)
        )
        return json.loads(value) if value is not None else None

    async def cache_summary(self, article_id: int, setting: str, sentences: list[str]) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT OR REPLACE INTO summaries (article_id, setting, sentences) VALUES (?, ?, ?)",
                (article_id, setting, json.dumps(sentences, ensure_ascii=False)),
            )

    async def iter_for_reanalysis(self, batch: int = 64) -> AsyncIterator[list[StoredAnalysis]]:
        """Every stored article with its derived columns, `batch` at a time in id order.

        Read by id ranges, so writes between batches (`replace_analysis`) are safe.
        """
        after = 0
        while True:
            rows = await self.db.fetchall(
                "SELECT a.id, a.title, a.body, a.source, a.content_hash, a.language, t.title_words,"
                " t.body_words, t.title_stems, t.body_stems, t.sentences"
                " FROM articles a LEFT JOIN article_terms t ON t.article_id = a.id"
                " WHERE a.id > ? ORDER BY a.id LIMIT ?",
                (after, batch),
            )
            if not rows:
                return
            yield [StoredAnalysis(*row[:10], [tuple(s) for s in json.loads(row[10])] if row[10] else None)
                   for row in rows]
            after = rows[-1][0]

    async def replace_analysis(self, analyses: Sequence[tuple[int, NewArticle]],
                               drop_summaries_of: Sequence[int] = ()) -> None:
        """Rewrite the derived columns of stored articles, in one transaction.

        Each `(id, article)` sets that article's language, words, stems and sentences (the
        FTS index follows through the article_terms triggers, the words' frequencies count the
        old words out and the new ones in); text, source, URL and dates stay as stored. An
        article named twice gets its last analysis. Cached summaries of `drop_summaries_of`
        are dropped.
        """
        analyses = list(dict(analyses).items())
        async with self.db.transaction() as conn:
            words = WordCounts()
            ids = [i for i, _ in analyses]
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                for title_words, body_words in await self.db.fetchall(
                    "SELECT title_words, body_words FROM article_terms"
                    f" WHERE article_id IN ({','.join('?' * len(chunk))})", chunk,
                ):
                    words.count(title_words, body_words, sign=-1)
            for _, a in analyses:
                words.count(a.title_words, a.body_words)
            await conn.executemany(
                "UPDATE articles SET language = ? WHERE id = ?", [(a.language, i) for i, a in analyses]
            )
            # An upsert, not INSERT OR REPLACE: REPLACE's implicit delete would skip the FTS trigger.
            await conn.executemany(
                "INSERT INTO article_terms"
                " (article_id, title_words, body_words, title_stems, body_stems, sentences)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET"
                " title_words = excluded.title_words, body_words = excluded.body_words,"
                " title_stems = excluded.title_stems, body_stems = excluded.body_stems,"
                " sentences = excluded.sentences",
                [(i, a.title_words, a.body_words, a.title_stems, a.body_stems,
                  json.dumps([list(s) for s in a.sentences])) for i, a in analyses],
            )
            await words.write(conn)
            ids = list(drop_summaries_of)
            for start in range(0, len(ids), _IN_CHUNK):
                chunk = ids[start : start + _IN_CHUNK]
                await conn.execute(f"DELETE FROM summaries WHERE article_id IN ({','.join('?' * len(chunk))})", chunk)

    async def analysis_version(self) -> int:
        """The analysis version of the stored terms; 1 for a store that never recorded one."""
        value = await self.db.fetchvalue("SELECT value FROM store_meta WHERE key = 'analysis_version'")
        return int(value) if value is not None else 1

    async def set_analysis_version(self, version: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO store_meta (key, value) VALUES ('analysis_version', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(version),),
            )
