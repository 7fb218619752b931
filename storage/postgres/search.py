"""Full-text search (`storage.ArticleSearch`), matched and ranked as SQLite matches and ranks.

Matching reads the postings (storage/postgres/migrations/0001_schema.sql) inside PostgreSQL
(window.py): the newest RANK_WINDOW matches with their weighted frequencies and lengths.
bm25 is FTS5's own (k1 1.2, b 0.75, title four times body), computed in FTS5's order of
operations: per phrase an IDF from how many articles hold it (a stem's from article_stems, a
phrase's counted) and its weighted frequency in the article. The tsvector and its GIN index
serve what needs no ranking over many articles: daily counts, exclusions of `newest`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from storage.postgres.db import Database
from storage.postgres.terms import (
    NEVER,
    any_of,
    match_query,
    phrase_keys,
    phrase_query,
    phrase_tokens,
)
from storage.postgres.window import (
    DAY,
    Params,
    Shape,
    filters,
    like_pattern,
    newest_matches,
    statistics,
)
from storage.types import Candidate, FtsQuery, Phrase

# As on SQLite: rank the newest RANK_WINDOW matches only, and count up to as many.
RANK_WINDOW = 1000
COUNT_CAP = RANK_WINDOW
K1, B = 1.2, 0.75
_PHRASE_CACHE = 4096


def _candidates(rows) -> list[Candidate]:
    return [Candidate(r[0], float(r[1]), r[2], r[3], r[4], r[5], [tuple(s) for s in json.loads(r[6])])
            for r in rows]


def _idf(docs: int, hits: int) -> float:
    idf = math.log((docs - hits + 0.5) / (hits + 0.5))
    return idf if idf > 0.0 else 1e-6


class Search:
    """Ranked lookups: BM25 over title and body, newest first on ties."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # Phrase document frequencies, valid while the totals they were counted at hold.
        self._phrase_hits: dict[str, int] = {}
        self._counted_at: tuple[int, int] | None = None

    async def _hits(self, phrases: Sequence[Phrase], totals: tuple[int, int], df: dict[str, int]) -> list[int]:
        """How many articles hold each phrase: a stem's from `df` (article_stems), a phrase's counted
        (and kept until an article is added or re-analysed: the totals change then)."""
        if totals != self._counted_at:
            self._phrase_hits, self._counted_at = {}, totals
        hits = []
        for phrase in phrases:
            words = phrase_tokens(phrase)
            if len(words) == 1:
                hits.append(df.get(words[0], 0))
            else:
                literal, keys = phrase_query(phrase), phrase_keys(words)
                if literal not in self._phrase_hits:
                    if len(self._phrase_hits) >= _PHRASE_CACHE:
                        self._phrase_hits.clear()
                    self._phrase_hits[literal] = await self.db.fetchvalue(
                        "SELECT count(*) FROM article_postings WHERE stem = $1", (keys[0],)
                    ) if len(keys) == 1 else await self.db.fetchvalue(
                        "SELECT count(*) FROM article_terms WHERE search @@ $1::tsquery", (literal,))
                hits.append(self._phrase_hits[literal])
        return hits

    async def candidates(self, query: FtsQuery, *, limit: int) -> tuple[list[Candidate], int]:
        """The `limit` best of the newest RANK_WINDOW matches by bm25, and how many match (up to
        COUNT_CAP). Matches, frequencies and lengths come from the postings (window.py)."""
        if match_query(query.clauses, query.excluded) in (None, NEVER):
            return [], 0
        shape = Shape.of(query)
        docs, tokens, df = await statistics(self.db, shape.stems)
        window = await newest_matches(self.db, query, shape, RANK_WINDOW, df)
        if not window.ids:
            return [], 0
        avgdl = tokens / docs if docs else 1.0
        ranked = [p for clause in query.clauses for p in clause if phrase_query(p) is not None]
        idfs = [_idf(docs, n) for n in await self._hits(ranked, (docs, tokens), df)]
        phrases = shape.phrases
        scored = []
        for article_id in window.ids:
            norm = K1 * (1 - B + B * window.length[article_id] / avgdl)
            score = 0.0
            for k, (keys, idf) in enumerate(zip(phrases, idfs)):
                if len(keys) == 1:
                    f = window.freq[keys[0]].get(article_id, 0.0)
                else:
                    f = window.counts.get((k, article_id), 0.0)
                score += idf * ((f * (K1 + 1.0)) / (f + norm))
            scored.append((-1.0 * score, -article_id))
        top = sorted(scored)[:limit]
        rows = {r[0]: r for r in await self.db.fetchall(
            f"SELECT a.id, 0.0, {DAY}, t.title_words, t.body_words, t.body_stems, t.sentences FROM articles a"
            " JOIN article_terms t ON t.article_id = a.id WHERE a.id = ANY($1::bigint[])", ([-i for _, i in top],))}
        found_rows = [(-i, score, *rows[-i][2:]) for score, i in top if -i in rows]
        return _candidates(found_rows), len(window.ids)

    async def newest(self, query: FtsQuery, *, limit: int) -> tuple[list[Candidate], int]:
        """Filters without words: the newest articles passing them (none of `excluded`), and how
        many (up to COUNT_CAP). Every bm25 is 0."""
        params = Params()
        where = filters(query, params)
        excluded = any_of(query.excluded)
        if excluded is not None:
            where += (f" AND NOT EXISTS (SELECT 1 FROM article_terms x WHERE x.article_id = a.id"
                      f" AND x.search @@ {params.add(excluded)}::tsquery)")
        count_params = list(params.values)
        rows = await self.db.fetchall(
            f"SELECT a.id, 0.0, {DAY}, t.title_words, t.body_words, t.body_stems, t.sentences"
            f" FROM articles a JOIN article_terms t ON t.article_id = a.id WHERE TRUE{where}"
            f" ORDER BY {DAY} DESC, a.id DESC LIMIT {params.add(limit)}",
            params.values,
        )
        found = _candidates(rows)
        total = len(found) if len(found) < limit else await self.db.fetchvalue(
            f"SELECT count(*) FROM (SELECT 1 FROM articles a WHERE TRUE{where} LIMIT {COUNT_CAP}) c", count_params)
        return found, total

    async def daily_counts(self, query: FtsQuery, since: str) -> list[tuple[str, int]]:
        """(YYYY-MM-DD, articles matching `query` dated that day) from `since` on, oldest first."""
        params = Params()
        match = match_query(query.clauses, query.excluded)
        if match == NEVER:
            return []
        source = "articles a WHERE TRUE"
        if match is not None:
            source = (f"article_terms t JOIN articles a ON a.id = t.article_id"
                      f" WHERE t.search @@ {params.add(match)}::tsquery")
        where = filters(query, params)
        day = f"substr({DAY}, 1, 10)"
        rows = await self.db.fetchall(
            f"SELECT {day} AS day, count(*) FROM {source}{where} AND {day} >= {params.add(since)}"
            " GROUP BY day ORDER BY day", params.values)
        return [(r[0], r[1]) for r in rows]

    async def exists(self, query: FtsQuery) -> bool:
        """Whether any article matches: the newest match, from the postings."""
        if match_query(query.clauses, query.excluded) in (None, NEVER):
            return False
        shape = Shape.of(query)
        df = (await statistics(self.db, shape.stems))[2]
        return bool((await newest_matches(self.db, query, shape, 1, df)).ids)

    async def words(self, prefix: str, min_chars: int, max_chars: int) -> list[tuple[str, int]]:
        """Indexed words with `prefix`, `min_chars` to `max_chars` long, with their document
        frequencies, in no order; compared byte-wise as SQLite does, over the prefix's range only."""
        if not prefix:
            return []
        end = prefix[:-1] + chr(min(ord(prefix[-1]) + 1, 0x10FFFF))
        rows = await self.db.fetchall(
            "SELECT word, df FROM article_words WHERE word ~>=~ $1 AND word ~<~ $2"
            " AND length(word) BETWEEN $3 AND $4",
            (prefix, end, min_chars, max_chars))
        return [(word, df) for word, df in rows]

    async def count_like(self, word: str) -> int:
        """Without the index: `ILIKE '%word%'` over every article, a benchmark baseline."""
        pattern = like_pattern(word)
        return await self.db.fetchvalue(
            "SELECT count(*) FROM articles WHERE body ILIKE $1 ESCAPE '\\' OR title ILIKE $1 ESCAPE '\\'", (pattern,))

    async def remember_query(self, chat_id: int, query: str) -> int:
        """Keep a query for its page buttons; those older than seven days go."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "DELETE FROM search_pages WHERE created_at <"
                " to_char(now() AT TIME ZONE 'UTC' - interval '7 days', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')")
            return await conn.fetchval("INSERT INTO search_pages (chat_id, query) VALUES ($1, $2) RETURNING id",
                                       chat_id, query)

    async def remembered_query(self, query_id: int, chat_id: int) -> str | None:
        return await self.db.fetchvalue("SELECT query FROM search_pages WHERE id = $1 AND chat_id = $2",
                                        (query_id, chat_id))
