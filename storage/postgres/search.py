"""Full-text search over the stems' tsvector (`storage.ArticleSearch`), ranked as SQLite ranks.

The tsquery is built from the analysed keys by storage/postgres/terms.py, every lexeme
quoted, and travels as a parameter: user text is never SQL and never tsquery syntax. Ranking
is FTS5's own bm25 (k1 1.2, b 0.75, title four times body), computed the way FTS5 computes
it: per phrase an IDF from how many articles hold it (a stem's from article_stems, a
phrase's counted) and a frequency from the phrase's occurrences in the article; ts_rank_cd of
one phrase with weights {A: 1, B: 0.25} is exactly that frequency over four.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from storage.postgres.db import Database
from storage.postgres.terms import NEVER, any_of, match_query, phrase_query, phrase_tokens
from storage.types import Candidate, FtsQuery, Phrase

# As on SQLite: rank the newest RANK_WINDOW matches only, and count up to as many.
RANK_WINDOW = 1000
COUNT_CAP = RANK_WINDOW
K1, B = 1.2, 0.75
TITLE_WEIGHT = 4.0
_RANK_WEIGHTS = "'{0.1, 0.1, 0.25, 1.0}'::float4[]"  # D, C, B (body: 1/4), A (title)
_PHRASE_CACHE = 4096
_COMMON_SHARE = 0.05  # of the articles: a query matching more walks the newest first
_DAY = "coalesce(a.published_at, a.ingested_at)"


class _Params:
    """Positional parameters: `add(value)` gives its `$n`."""

    def __init__(self) -> None:
        self.values: list[object] = []

    def add(self, value: object) -> str:
        self.values.append(value)
        return f"${len(self.values)}"


def _like_pattern(value: str) -> str:
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filters(query: FtsQuery, params: _Params) -> str:
    sql = []
    if query.language:
        sql.append(f"a.language = {params.add(query.language)}")
    if query.source:
        # SQLite's LIKE ignores ASCII case; source keys are normalised (lower case) already.
        sql.append(f"a.source_key ILIKE {params.add(_like_pattern(query.source))} ESCAPE '\\'")
    if query.since:
        sql.append(f"{_DAY} >= {params.add(query.since)}")
    return "".join(f" AND {s}" for s in sql)


def _candidates(rows) -> list[Candidate]:
    return [Candidate(r[0], float(r[1]), r[2], r[3], r[4], r[5], [tuple(s) for s in json.loads(r[6])])
            for r in rows]


def _estimate(query: FtsQuery, hits: dict[tuple, int]) -> int:
    """Roughly how many articles match: the rarest clause's phrases together."""
    return min((sum(hits.get(tuple(p), 0) for p in clause) for clause in query.clauses if clause), default=0)


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

    async def _hits(self, phrases: Sequence[Phrase], totals: tuple[int, int]) -> list[int]:
        """How many articles hold each phrase: a stem's from article_stems, a phrase's counted
        (and kept until an article is added or re-analysed: the totals change then)."""
        if totals != self._counted_at:
            self._phrase_hits, self._counted_at = {}, totals
        singles = sorted({t[0] for p in phrases if len(t := phrase_tokens(p)) == 1})
        known = dict(await self.db.fetchall(
            "SELECT stem, df FROM article_stems WHERE stem = ANY($1::text[])", [singles])) if singles else {}
        hits = []
        for phrase in phrases:
            words = phrase_tokens(phrase)
            if len(words) == 1:
                hits.append(known.get(words[0], 0))
            else:
                literal = phrase_query(phrase)
                if literal not in self._phrase_hits:
                    if len(self._phrase_hits) >= _PHRASE_CACHE:
                        self._phrase_hits.clear()
                    self._phrase_hits[literal] = await self.db.fetchvalue(
                        "SELECT count(*) FROM article_terms WHERE search @@ $1::tsquery", (literal,))
                hits.append(self._phrase_hits[literal])
        return hits

    async def _bm25(self, query: FtsQuery, params: _Params) -> tuple[str, str, bool]:
        """(the SQL of each phrase's frequency in `t.search`, of the article's bm25 from them:
        negative, lower is better; whether the query matches many articles)."""
        phrases = [p for clause in query.clauses for p in clause if phrase_query(p) is not None]
        docs, tokens = await self.db.fetchone("SELECT docs, tokens FROM search_totals WHERE id = 1")
        avgdl = tokens / docs if docs else 1.0
        hits = await self._hits(phrases, (docs, tokens))
        common = _estimate(query, dict(zip(map(tuple, phrases), hits))) >= _COMMON_SHARE * max(1, docs)
        freqs, terms = [], []
        for i, (phrase, n) in enumerate(zip(phrases, hits)):
            freqs.append(f"({TITLE_WEIGHT} * ts_rank_cd({_RANK_WEIGHTS}, t.search,"
                         f" {params.add(phrase_query(phrase))}::tsquery, 0))::float8 AS f{i}")
            terms.append(
                f"{params.add(_idf(docs, n))}::float8 * ((r.f{i} * {params.add(K1 + 1.0)}::float8)"
                f" / (r.f{i} + {params.add(K1)}::float8 * ({params.add(1 - B)}::float8"
                f" + {params.add(B)}::float8 * t.tokens / {params.add(avgdl)}::float8)))")
        if not terms:
            return "SELECT", "0.0::float8", common
        # OFFSET 0 keeps the subquery whole: each frequency is computed once per article.
        return f"SELECT {', '.join(freqs)} OFFSET 0", "-1.0::float8 * (0.0::float8 + " + " + ".join(terms) + ")", common

    async def candidates(self, query: FtsQuery, *, limit: int) -> tuple[list[Candidate], int]:
        """The `limit` best of the newest RANK_WINDOW matches by bm25, and how many match (up to
        COUNT_CAP)."""
        match = match_query(query.clauses, query.excluded)
        if match is None or match == NEVER:
            return [], 0
        params = _Params()
        match_at = params.add(match)
        where = _filters(query, params)
        joined = " JOIN articles a ON a.id = t.article_id" if where else ""
        freqs, score, common = await self._bm25(query, params)
        async with self.db.transaction() as conn:
            await conn.execute("SET LOCAL plan_cache_mode = force_custom_plan")  # plans per query's lexemes
            # The planner does not know that testing a tsvector costs far more than reading an id:
            # walk the newest articles only when matches are common, else go through the GIN index.
            await conn.execute(f"SET LOCAL {'enable_bitmapscan' if common else 'enable_indexscan'} = off")
            rows = await conn.fetch(
                f"WITH win AS MATERIALIZED (SELECT t.article_id FROM article_terms t{joined}"
                f"  WHERE t.search @@ {match_at}::tsquery{where} ORDER BY t.article_id DESC LIMIT {RANK_WINDOW}),"
                f" top AS (SELECT t.article_id AS id, {score} AS score, count(*) OVER () AS total"
                f"  FROM win JOIN article_terms t USING (article_id) CROSS JOIN LATERAL ({freqs}) r"
                f"  ORDER BY score, t.article_id DESC LIMIT {params.add(limit)})"
                f" SELECT top.id, top.score, {_DAY}, t.title_words, t.body_words, t.body_stems, t.sentences,"
                "  top.total FROM top JOIN articles a ON a.id = top.id JOIN article_terms t ON t.article_id = top.id"
                " ORDER BY top.score, top.id DESC",
                *params.values,
            )
        return _candidates(rows), (min(rows[0][7], COUNT_CAP) if rows else 0)

    async def newest(self, query: FtsQuery, *, limit: int) -> tuple[list[Candidate], int]:
        """Filters without words: the newest articles passing them (none of `excluded`), and how
        many (up to COUNT_CAP). Every bm25 is 0."""
        params = _Params()
        where = _filters(query, params)
        excluded = any_of(query.excluded)
        if excluded is not None:
            where += (f" AND NOT EXISTS (SELECT 1 FROM article_terms x WHERE x.article_id = a.id"
                      f" AND x.search @@ {params.add(excluded)}::tsquery)")
        count_params = list(params.values)
        rows = await self.db.fetchall(
            f"SELECT a.id, 0.0, {_DAY}, t.title_words, t.body_words, t.body_stems, t.sentences"
            f" FROM articles a JOIN article_terms t ON t.article_id = a.id WHERE TRUE{where}"
            f" ORDER BY {_DAY} DESC, a.id DESC LIMIT {params.add(limit)}",
            params.values,
        )
        found = _candidates(rows)
        total = len(found) if len(found) < limit else await self.db.fetchvalue(
            f"SELECT count(*) FROM (SELECT 1 FROM articles a WHERE TRUE{where} LIMIT {COUNT_CAP}) c", count_params)
        return found, total

    async def daily_counts(self, query: FtsQuery, since: str) -> list[tuple[str, int]]:
        """(YYYY-MM-DD, articles matching `query` dated that day) from `since` on, oldest first."""
        params = _Params()
        match = match_query(query.clauses, query.excluded)
        if match == NEVER:
            return []
        source = "articles a WHERE TRUE"
        if match is not None:
            source = (f"article_terms t JOIN articles a ON a.id = t.article_id"
                      f" WHERE t.search @@ {params.add(match)}::tsquery")
        where = _filters(query, params)
        day = f"substr({_DAY}, 1, 10)"
        rows = await self.db.fetchall(
            f"SELECT {day} AS day, count(*) FROM {source}{where} AND {day} >= {params.add(since)}"
            " GROUP BY day ORDER BY day", params.values)
        return [(r[0], r[1]) for r in rows]

    async def exists(self, query: FtsQuery) -> bool:
        match = match_query(query.clauses, query.excluded)
        if match is None or match == NEVER:
            return False
        params = _Params()
        match_at = params.add(match)
        where = _filters(query, params)
        joined = " JOIN articles a ON a.id = t.article_id" if where else ""
        return bool(await self.db.fetchvalue(
            f"SELECT 1 FROM article_terms t{joined} WHERE t.search @@ {match_at}::tsquery{where} LIMIT 1",
            params.values))

    async def words(self, prefix: str, min_chars: int, max_chars: int) -> list[tuple[str, int]]:
        """Indexed words with `prefix`, `min_chars` to `max_chars` long, with their document
        frequencies; compared byte-wise as SQLite does, over the prefix's range only."""
        if not prefix:
            return []
        end = prefix[:-1] + chr(min(ord(prefix[-1]) + 1, 0x10FFFF))
        rows = await self.db.fetchall(
            "SELECT word, df FROM article_words WHERE word ~>=~ $1 AND word ~<~ $2"
            " AND length(word) BETWEEN $3 AND $4 ORDER BY word COLLATE \"C\"",
            (prefix, end, min_chars, max_chars))
        return [(word, df) for word, df in rows]

    async def count_like(self, word: str) -> int:
        """Without the index: `ILIKE '%word%'` over every article, a benchmark baseline."""
        pattern = _like_pattern(word)
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
