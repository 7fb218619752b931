"""Full-text search (`storage.ArticleSearch`), matched and ranked as SQLite matches and ranks.

Ranking reads the postings (storage/postgres/migrations/0001_schema.sql), never the tsvector:
each query key's articles (a stem's, a two-word phrase's) newest first with their weighted
frequencies and lengths, from the postings' index alone; the rarest clause drives, the other
keys are read for the articles it admits when those are far fewer; the positions of pairs
verify longer phrases on the candidates only, the articles are read only for filters. bm25 is FTS5's own (k1 1.2, b 0.75, title four times body), computed in
FTS5's order of operations: per phrase an IDF from how many articles hold it (a stem's from
article_stems, a phrase's counted) and its weighted frequency in the article. The tsvector
and its GIN index serve the unranked lookups (exists, daily counts, exclusions of `newest`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

from storage.postgres.db import Database
from storage.postgres.terms import (
    NEVER,
    any_of,
    holds,
    match_query,
    phrase_keys,
    phrase_query,
    phrase_tokens,
)
from storage.types import Candidate, FtsQuery, Phrase

# As on SQLite: rank the newest RANK_WINDOW matches only, and count up to as many.
RANK_WINDOW = 1000
COUNT_CAP = RANK_WINDOW
K1, B = 1.2, 0.75
TITLE_WEIGHT = 4.0
_PHRASE_CACHE = 4096
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

    async def _postings(self, stems: list[str], cap: int | None,
                        within: list[int] | None = None) -> dict[str, dict[int, tuple[float, int]]]:
        """{stem: {article id: (weighted frequency, article length)}}, the newest `cap` per stem
        (all with None) or those of the articles `within`, from the postings' index alone."""
        if within is not None:
            rows = await self.db.fetchall(
                "SELECT stem, array_agg(article_id), array_agg(tf), array_agg(tokens) FROM article_postings"
                " WHERE stem = ANY($1::text[]) AND article_id = ANY($2::bigint[]) GROUP BY stem", (stems, within))
            found = {r[0]: dict(zip(r[1], zip(r[2], r[3]))) for r in rows}
            return {stem: found.get(stem, {}) for stem in stems}
        rows = await self.db.fetchall(
            "SELECT s.stem, x.ids, x.tfs, x.lens FROM unnest($1::text[]) AS s (stem) CROSS JOIN LATERAL"
            " (SELECT array_agg(q.article_id) AS ids, array_agg(q.tf) AS tfs, array_agg(q.tokens) AS lens"
            "  FROM (SELECT p.article_id, p.tf, p.tokens FROM article_postings p WHERE p.stem = s.stem"
            "   ORDER BY p.article_id DESC LIMIT $2) q) x", (stems, cap))
        return {r[0]: dict(zip(r[1], zip(r[2], r[3]))) if r[1] else {} for r in rows}

    async def _driven(self, clauses: list, stems: list[str]) -> dict[str, dict[int, tuple[float, int]]]:
        """All the postings of the rarest clause's keys; of another key, those of the articles
        that clause admits when they are far fewer than the key's (enough: a match is one)."""
        parts = sorted({w for key in stems for w in key.split(" ")})
        df = dict(await self.db.fetchall("SELECT stem, df FROM article_stems WHERE stem = ANY($1::text[])", (parts,)))
        size = {key: min(df.get(w, 0) for w in key.split(" ")) for key in stems}  # a pair's: at most
        driver = min(clauses, key=lambda clause: sum(min(size[k] for k in keys) for keys in clause))
        post = await self._postings(sorted({k for keys in driver for k in keys}), None)
        admitted = set().union(*(set.intersection(*(set(post[k]) for k in keys)) for keys in driver))
        rest = [k for k in stems if k not in post]
        full = [k for k in rest if size[k] <= 4 * len(admitted)]
        probed = [k for k in rest if k not in full]
        if full:
            post.update(await self._postings(full, None))
        if probed:
            post.update(await self._postings(probed, None, sorted(admitted)))
        return post

    async def _exact(self, ids: list[int], query: FtsQuery, stems: list[str]) -> tuple[set[int], dict]:
        """Of `ids`, those passing the filters, and {(stem, id): positions} of `stems` there."""
        passing = set(ids)
        params = _Params()
        where = _filters(query, params)
        if where:
            at = params.add(ids)
            passing = {r[0] for r in await self.db.fetchall(
                f"SELECT a.id FROM articles a WHERE a.id = ANY({at}::bigint[]){where}", params.values)}
        positions = {}
        if stems and passing:
            positions = {(r[0], r[1]): r[2] for r in await self.db.fetchall(
                "SELECT stem, article_id, positions FROM article_postings"
                " WHERE stem = ANY($1::text[]) AND article_id = ANY($2::bigint[])", (stems, sorted(passing)))}
        return passing, positions

    async def candidates(self, query: FtsQuery, *, limit: int) -> tuple[list[Candidate], int]:
        """The `limit` best of the newest RANK_WINDOW matches by bm25, and how many match (up to
        COUNT_CAP). Matches, frequencies and lengths come from the postings; only multi-word
        phrases read positions, only filters read the articles."""
        if match_query(query.clauses, query.excluded) in (None, NEVER):
            return [], 0
        # A phrase as its postings keys: one (a stem, a pair of stems) is exact from its postings.
        clauses = [[phrase_keys(phrase_tokens(p)) for p in clause if phrase_query(p) is not None]
                   for clause in query.clauses if clause]
        excluded = [phrase_keys(phrase_tokens(p)) for p in query.excluded if phrase_query(p) is not None]
        phrases = [words for clause in clauses for words in clause]
        stems = sorted({w for words in phrases + excluded for w in words})
        long_stems = sorted({w for words in phrases + excluded if len(words) > 1 for w in words})
        filtered = bool(query.language or query.source or query.since)
        simple = len(clauses) == 1 and not excluded and not long_stems and not filtered
        post = await (self._postings(stems, RANK_WINDOW) if simple else self._driven(clauses, stems))
        # Every clause (a phrase: all its stems), none of the one-stem excluded phrases.
        found: set[int] | None = None
        for clause in clauses:
            held = set().union(*(set.intersection(*(set(post[w]) for w in words)) for words in clause))
            found = held if found is None else found & held
        for words in excluded:
            if len(words) == 1:
                found -= set(post[words[0]])
        order = sorted(found, reverse=True)
        counts: dict[tuple[int, int], float] = {}  # (phrase, id): a multi-word phrase's weighted hits
        if long_stems or filtered:
            window, start, step = [], 0, 2 * RANK_WINDOW
            while len(window) < RANK_WINDOW and start < len(order):
                chunk = order[start:start + step]
                start, step = start + step, 2 * step
                passing, positions = await self._exact(chunk, query, long_stems)
                for article_id in chunk:
                    if article_id in passing and holds(article_id, clauses, excluded, post, positions, counts):
                        window.append(article_id)
            window = window[:RANK_WINDOW]
        else:
            window = order[:RANK_WINDOW]
        if not window:
            return [], 0
        docs, tokens = await self.db.fetchone("SELECT docs, tokens FROM search_totals WHERE id = 1")
        avgdl = tokens / docs if docs else 1.0
        ranked = [p for clause in query.clauses for p in clause if phrase_query(p) is not None]
        idfs = [_idf(docs, n) for n in await self._hits(ranked, (docs, tokens))]
        length = {i: n for words in phrases for w in words for i, (_, n) in post[w].items()}
        scored = []
        for article_id in window:
            norm = K1 * (1 - B + B * length[article_id] / avgdl)
            score = 0.0
            for k, (words, idf) in enumerate(zip(phrases, idfs)):
                if len(words) == 1:
                    f = post[words[0]].get(article_id, (0.0, 0))[0]
                else:
                    f = counts.get((k, article_id), 0.0)
                score += idf * ((f * (K1 + 1.0)) / (f + norm))
            scored.append((-1.0 * score, -article_id))
        top = sorted(scored)[:limit]
        rows = {r[0]: r for r in await self.db.fetchall(
            f"SELECT a.id, 0.0, {_DAY}, t.title_words, t.body_words, t.body_stems, t.sentences FROM articles a"
            " JOIN article_terms t ON t.article_id = a.id WHERE a.id = ANY($1::bigint[])", ([-i for _, i in top],))}
        found_rows = [(-i, score, *rows[-i][2:]) for score, i in top if -i in rows]
        return _candidates(found_rows), len(window)

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
