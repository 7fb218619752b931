"""Articles, their analysed terms and cached summaries, in PostgreSQL (`storage.ArticleStore`).

Beside each article's terms the writes keep, in the same transaction, what search reads
without scanning: the stems as a tsvector (storage/postgres/terms.py), the document
frequencies of words ("did you mean") and of stems (bm25), and the corpus totals.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator, Sequence

import asyncpg

from storage.postgres.db import Database
from storage.postgres.terms import distinct_tokens, postings, tsvector_literal
from storage.rows import ARTICLE_COLUMNS, article_from_row
from storage.types import Article, NewArticle, StoredAnalysis


def _sentences(article: NewArticle) -> str:
    return json.dumps([list(s) for s in article.sentences])


async def _adjust(conn: asyncpg.Connection, table: str, column: str, deltas: Counter) -> None:
    """Add `deltas` to the document frequencies in `table` (words or stems); a frequency that
    falls to zero goes. Keys in sorted order, so concurrent writers lock rows alike."""
    ups = sorted((k, d) for k, d in deltas.items() if d > 0)
    downs = sorted((k, d) for k, d in deltas.items() if d < 0)
    if downs:
        keys, values = [k for k, _ in downs], [d for _, d in downs]
        await conn.execute(
            f"DELETE FROM {table} t USING unnest($1::text[], $2::int[]) AS d (key, delta)"
            f" WHERE t.{column} = d.key AND t.df + d.delta <= 0", keys, values)
        await conn.execute(
            f"UPDATE {table} t SET df = t.df + d.delta FROM unnest($1::text[], $2::int[]) AS d (key, delta)"
            f" WHERE t.{column} = d.key", keys, values)
    if ups:
        await conn.execute(
            f"INSERT INTO {table} ({column}, df) SELECT * FROM unnest($1::text[], $2::int[])"
            f" ON CONFLICT ({column}) DO UPDATE SET df = {table}.df + excluded.df",
            [k for k, _ in ups], [d for _, d in ups])


class _Frequencies:
    """What a batch of term writes changes of the frequencies and the totals."""

    def __init__(self) -> None:
        self.words: Counter = Counter()
        self.stems: Counter = Counter()
        self.docs = 0
        self.tokens = 0

    def count(self, title_words: str, body_words: str, title_stems: str, body_stems: str, tokens: int,
              sign: int = 1) -> None:
        self.words.update(dict.fromkeys(distinct_tokens(title_words, body_words), sign))
        self.stems.update(dict.fromkeys(distinct_tokens(title_stems, body_stems), sign))
        self.docs += sign
        self.tokens += sign * tokens

    async def write(self, conn: asyncpg.Connection) -> None:
        await _adjust(conn, "article_words", "word", self.words)
        await _adjust(conn, "article_stems", "stem", self.stems)
        if self.docs or self.tokens:
            await conn.execute("UPDATE search_totals SET docs = docs + $1, tokens = tokens + $2 WHERE id = 1",
                               self.docs, self.tokens)


def _terms_rows(pairs: Sequence[tuple[int, NewArticle]], frequencies: _Frequencies,
                posted: list[tuple] | None = None) -> list[tuple]:
    """article_terms rows; the articles' postings go to `posted`."""
    rows = []
    for article_id, a in pairs:
        search, tokens = tsvector_literal(a.title_stems, a.body_stems)
        frequencies.count(a.title_words, a.body_words, a.title_stems, a.body_stems, tokens)
        rows.append((article_id, a.title_words, a.body_words, a.title_stems, a.body_stems, _sentences(a),
                     search, tokens))
        if posted is not None:
            posted.extend((stem, article_id, tf, tokens, at) for stem, tf, at in postings(a.title_stems, a.body_stems))
    return rows


async def _post(conn: asyncpg.Connection, posted: list[tuple]) -> None:
    if posted:
        await conn.copy_records_to_table(
            "article_postings", records=posted, columns=("stem", "article_id", "tf", "tokens", "positions"))


_TERMS_COLUMNS = "article_id, title_words, body_words, title_stems, body_stems, sentences, search, tokens"
_TERMS_VALUES = "$1, $2, $3, $4, $5, $6, $7::tsvector, $8"


class Articles:
    """Reads and writes articles; deduplicates by URL and by content hash."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def known(self, *, content_hashes: Sequence[str] = (), urls: Sequence[str] = ()) -> dict[str, int]:
        """{content hash or URL: id} for those already stored: one query per kind for a batch."""
        found: dict[str, int] = {}
        for column, values in (("content_hash", content_hashes), ("url", urls)):
            if values:
                rows = await self.db.fetchall(
                    f"SELECT {column}, id FROM articles WHERE {column} = ANY($1::text[])", [list(values)])
                found.update({key: article_id for key, article_id in rows})
        return found

    async def add(self, article: NewArticle) -> tuple[int, bool]:
        return (await self.add_many([article]))[0]

    async def add_many(self, articles: Sequence[NewArticle]) -> list[tuple[int, bool]]:
        """Store a batch in one transaction: (id, created) per article, duplicates (of the store
        or of an earlier article of the batch) naming the article they duplicate."""
        async with self.db.transaction() as conn:
            known = await self.known(
                content_hashes=[a.content_hash for a in articles], urls=[a.url for a in articles if a.url]
            )
            fresh: list[NewArticle] = []
            first_of: list[str] = []
            is_fresh: list[bool] = []
            holder: dict[str, str] = {}
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
            new_ids: dict[str, int] = {}
            if fresh:
                rows = await conn.fetch(
                    "INSERT INTO articles"
                    " (url, content_hash, title, source, source_key, published_at, language, body, origin)"
                    " SELECT u, h, t, s, k, p, l, b, o FROM unnest($1::text[], $2::text[], $3::text[],"
                    " $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])"
                    " WITH ORDINALITY AS n (u, h, t, s, k, p, l, b, o, i) ORDER BY i RETURNING id, content_hash",
                    *[list(column) for column in zip(*[
                        (a.url, a.content_hash, a.title, a.source, a.source_key, a.published_at, a.language,
                         a.body, a.origin) for a in fresh])],
                )
                new_ids = {h: i for i, h in rows}
                frequencies, posted = _Frequencies(), []
                await conn.executemany(
                    f"INSERT INTO article_terms ({_TERMS_COLUMNS}) VALUES ({_TERMS_VALUES})",
                    _terms_rows([(new_ids[a.content_hash], a) for a in fresh], frequencies, posted),
                )
                await _post(conn, posted)
                await frequencies.write(conn)
        return [(known[key] if key in known else new_ids[key], created) for key, created in zip(first_of, is_fresh)]

    async def get(self, article_id: int) -> Article | None:
        row = await self.db.fetchone(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = $1", (article_id,))
        return article_from_row(row) if row else None

    async def get_many(self, ids: Sequence[int]) -> list[Article]:
        if not ids:
            return []
        rows = await self.db.fetchall(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ANY($1::bigint[])",
                                      [list(ids)])
        by_id = {row[0]: article_from_row(row) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    async def latest(self, limit: int) -> list[Article]:
        rows = await self.db.fetchall(
            f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY coalesce(published_at, ingested_at) DESC, id DESC"
            " LIMIT $1", (limit,))
        return [article_from_row(row) for row in rows]

    async def count(self) -> int:
        return await self.db.fetchvalue("SELECT count(*) FROM articles")

    async def cached_summary(self, article_id: int, setting: str) -> list[str] | None:
        value = await self.db.fetchvalue(
            "SELECT sentences FROM summaries WHERE article_id = $1 AND setting = $2", (article_id, setting))
        return json.loads(value) if value is not None else None

    async def cache_summary(self, article_id: int, setting: str, sentences: list[str]) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO summaries (article_id, setting, sentences) VALUES ($1, $2, $3)"
                " ON CONFLICT (article_id, setting) DO UPDATE SET sentences = excluded.sentences",
                article_id, setting, json.dumps(sentences, ensure_ascii=False))

    async def iter_for_reanalysis(self, batch: int = 64) -> AsyncIterator[list[StoredAnalysis]]:
        """Every stored article with its derived columns, `batch` at a time in id order."""
        after = 0
        while True:
            rows = await self.db.fetchall(
                "SELECT a.id, a.title, a.body, a.source, a.content_hash, a.language, t.title_words,"
                " t.body_words, t.title_stems, t.body_stems, t.sentences"
                " FROM articles a LEFT JOIN article_terms t ON t.article_id = a.id"
                " WHERE a.id > $1 ORDER BY a.id LIMIT $2", (after, batch))
            if not rows:
                return
            yield [StoredAnalysis(*row[:10], [tuple(s) for s in json.loads(row[10])] if row[10] else None)
                   for row in rows]
            after = rows[-1][0]

    async def replace_analysis(self, analyses: Sequence[tuple[int, NewArticle]],
                               drop_summaries_of: Sequence[int] = ()) -> None:
        """Rewrite the derived columns of stored articles in one transaction; the tsvector, the
        frequencies and the totals follow (the old terms counted out, the new ones in)."""
        analyses = list(dict(analyses).items())  # an article named twice: its last analysis
        async with self.db.transaction() as conn:
            await conn.executemany("UPDATE articles SET language = $1 WHERE id = $2",
                                   [(a.language, i) for i, a in analyses])
            ids = [i for i, _ in analyses]
            frequencies = _Frequencies()
            old = await conn.fetch(
                "SELECT title_words, body_words, title_stems, body_stems, tokens, article_id FROM article_terms"
                " WHERE article_id = ANY($1::bigint[]) FOR UPDATE", ids)
            gone: list[tuple[str, int]] = []  # the old postings, by their key
            for row in old:
                frequencies.count(*row[:5], sign=-1)
                gone.extend((key, row[5]) for key, _, _ in postings(row[2], row[3]))
            existing = {r[0] for r in await conn.fetch("SELECT id FROM articles WHERE id = ANY($1::bigint[])", ids)}
            if gone:
                await conn.execute(
                    "DELETE FROM article_postings p USING unnest($1::text[], $2::bigint[]) AS g (stem, id)"
                    " WHERE p.stem = g.stem AND p.article_id = g.id", [g[0] for g in gone], [g[1] for g in gone])
            posted: list[tuple] = []
            await conn.executemany(
                f"INSERT INTO article_terms ({_TERMS_COLUMNS}) VALUES ({_TERMS_VALUES})"
                " ON CONFLICT (article_id) DO UPDATE SET title_words = excluded.title_words,"
                " body_words = excluded.body_words, title_stems = excluded.title_stems,"
                " body_stems = excluded.body_stems, sentences = excluded.sentences,"
                " search = excluded.search, tokens = excluded.tokens",
                _terms_rows([(i, a) for i, a in analyses if i in existing], frequencies, posted),
            )
            await _post(conn, posted)
            await frequencies.write(conn)
            if drop_summaries_of:
                await conn.execute("DELETE FROM summaries WHERE article_id = ANY($1::bigint[])",
                                   list(drop_summaries_of))

    async def analysis_version(self) -> int:
        value = await self.db.fetchvalue("SELECT value FROM store_meta WHERE key = 'analysis_version'")
        return int(value) if value is not None else 1

    async def set_analysis_version(self, version: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO store_meta (key, value) VALUES ('analysis_version', $1)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value", str(version))
