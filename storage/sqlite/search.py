"""Full-text search over the FTS5 index (`storage.ArticleSearch`). User text never reaches
MATCH as syntax.

Callers hand over analysed keys (`FtsQuery`); this module alone turns them into an FTS5
expression, quoting every key as a string literal, so `AND`, `NEAR`, `*`, `"` or `(` typed
by a user are only ever searched for as words.
"""

from __future__ import annotations

import json

from storage.sqlite.db import Database
from storage.types import Candidate, FtsQuery, Phrase

# bm25 weights per FTS column (title_stems, body_stems): a title counts four times a body.
_BM25_WEIGHTS = "4.0, 1.0"
_STEMS = "{title_stems body_stems}"
# A very common word matches tens of thousands of articles, and bm25 costs the same per
# match: rank the newest RANK_WINDOW matches only (news is read newest first anyway), and
# count up to the same number ("1000+").
RANK_WINDOW = 1000
COUNT_CAP = RANK_WINDOW
# A length window up to this wide is sought length by length in article_words; a wider one
# (no caller asks for it) is read as one range of lengths.
_LENGTHS_SOUGHT = 32


def fts_string(keys: Phrase) -> str:
    """Keys as one FTS5 string literal (a phrase when several): quoted, quotes doubled."""
    return '"' + " ".join(k.replace('"', '""') for k in keys) + '"'


def match_expression(query: FtsQuery) -> str | None:
    """The MATCH text for `query`, or None when it has no positive clause."""
    clauses = [c for c in query.clauses if c]
    if not clauses:
        return None
    expression = " AND ".join(
        "(" + " OR ".join(f"{_STEMS} : {fts_string(p)}" for p in clause) + ")" for clause in clauses
    )
    if query.excluded:
        expression = f"({expression}) NOT ({' OR '.join(f'{_STEMS} : {fts_string(p)}' for p in query.excluded)})"
    return expression


def _like_pattern(value: str) -> str:
    """`%value%` for LIKE ... ESCAPE '\\', with the user's own wildcards escaped."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filters(query: FtsQuery) -> tuple[str, list]:
    sql, params = [], []
    if query.language:
        sql.append("a.language = ?")
        params.append(query.language)
    if query.source:
        sql.append("a.source_key LIKE ? ESCAPE '\\'")
        params.append(_like_pattern(query.source))
    if query.since:
        sql.append("coalesce(a.published_at, a.ingested_at) >= ?")
        params.append(query.since)
    return "".join(f" AND {s}" for s in sql), params


class Search:
    """Ranked lookups: BM25 over title and body, newest first on ties."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def candidates(self, query: FtsQuery, *, limit: int) -> tuple[list[Candidate], int]:
        """The `limit` best matches by bm25 over stems, and how many match (up to COUNT_CAP).

        Only the newest RANK_WINDOW matches are ranked: FTS5 walks its doclists newest first
        to find where that window starts, and the ranking query seeks past it.
        """
        match = match_expression(query)
        if match is None:
            return [], 0
        where, params = _filters(query)
        joined = " JOIN articles a ON a.id = article_fts.rowid" if where else ""  # filters need the row
        cutoff = await self.db.fetchvalue(
            f"SELECT article_fts.rowid FROM article_fts{joined}"
            f" WHERE article_fts MATCH ?{where} ORDER BY article_fts.rowid DESC LIMIT 1 OFFSET ?",
            (match, *params, RANK_WINDOW - 1),
        )
        window, window_params = (" AND article_fts.rowid >= ?", [cutoff]) if cutoff is not None else ("", [])
        rows = await self.db.fetchall(
            f"WITH top AS (SELECT article_fts.rowid AS id, bm25(article_fts, {_BM25_WEIGHTS}) AS score"
            f"  FROM article_fts{joined} WHERE article_fts MATCH ?{where}{window}"
            "  ORDER BY score, article_fts.rowid DESC LIMIT ?)"
            " SELECT top.id, top.score, coalesce(a.published_at, a.ingested_at),"
            "  t.title_words, t.body_words, t.body_stems, t.sentences"
            " FROM top JOIN articles a ON a.id = top.id JOIN article_terms t ON t.article_id = top.id"
            " ORDER BY top.score, top.id DESC",
            (match, *params, *window_params, limit),
        )
        found = [Candidate(*r[:6], [tuple(s) for s in json.loads(r[6])]) for r in rows]
        if cutoff is not None:
            total = COUNT_CAP
        elif len(found) < limit:
            total = len(found)
        else:
            total = await self.db.fetchvalue(
                f"SELECT count(*) FROM (SELECT 1 FROM article_fts{joined} WHERE article_fts MATCH ?{where} LIMIT ?)",
                (match, *params, COUNT_CAP),
            )
        return found, total

    async def newest(self, query: FtsQuery, *, limit: int) -> tuple[list[Candidate], int]:
        """A query with filters and no words: the newest articles passing them (none of
        `excluded`), and how many there are (up to COUNT_CAP). Every bm25 is 0."""
        where, params = _filters(query)
        if query.excluded:
            where += " AND a.id NOT IN (SELECT rowid FROM article_fts WHERE article_fts MATCH ?)"
            params.append(" OR ".join(f"{_STEMS} : {fts_string(p)}" for p in query.excluded))
        rows = await self.db.fetchall(
            "SELECT a.id, 0.0, coalesce(a.published_at, a.ingested_at),"
            "  t.title_words, t.body_words, t.body_stems, t.sentences"
            f" FROM articles a JOIN article_terms t ON t.article_id = a.id WHERE 1{where}"
            " ORDER BY coalesce(a.published_at, a.ingested_at) DESC, a.id DESC LIMIT ?",
            (*params, limit),
        )
        found = [Candidate(*r[:6], [tuple(s) for s in json.loads(r[6])]) for r in rows]
        total = len(found) if len(found) < limit else await self.db.fetchvalue(
            f"SELECT count(*) FROM (SELECT 1 FROM articles a WHERE 1{where} LIMIT ?)", (*params, COUNT_CAP)
        )
        return found, total

    async def daily_counts(self, query: FtsQuery, since: str) -> list[tuple[str, int]]:
        """(YYYY-MM-DD, articles matching `query` dated that day) from `since` on, oldest first."""
        where, params = _filters(query)
        match = match_expression(query)
        day = "substr(coalesce(a.published_at, a.ingested_at), 1, 10)"
        source = "articles a WHERE 1"
        if match is not None:
            source = "article_fts JOIN articles a ON a.id = article_fts.rowid WHERE article_fts MATCH ?"
            params = [match, *params]
        rows = await self.db.fetchall(
            f"SELECT {day} AS day, count(*) FROM {source}{where} AND {day} >= ? GROUP BY day ORDER BY day",
            (*params, since),
        )
        return [(r[0], r[1]) for r in rows]

    async def exists(self, query: FtsQuery) -> bool:
        """Whether anything matches `query`: cheaper than `candidates` when only that counts."""
        match = match_expression(query)
        if match is None:
            return False
        where, params = _filters(query)
        joined = " JOIN articles a ON a.id = article_fts.rowid" if where else ""
        return bool(await self.db.fetchvalue(
            f"SELECT 1 FROM article_fts{joined} WHERE article_fts MATCH ?{where} LIMIT 1", (match, *params)
        ))

    async def words(self, prefix: str, min_chars: int, max_chars: int) -> list[tuple[str, int]]:
        """Indexed words (normalised keys) that start with `prefix` and are `min_chars` to
        `max_chars` long, with how many articles hold each: candidates for "did you mean".

        `article_words` is keyed (chars, word): a window of a few lengths is one seek into
        the prefix's range per length, never a walk over every word with the prefix."""
        if not prefix:
            return []
        end = prefix[:-1] + chr(min(ord(prefix[-1]) + 1, 0x10FFFF))
        low, high = max(min_chars, len(prefix)), max_chars  # a word holding `prefix` is that long
        if high < low:
            return []
        if high - low < _LENGTHS_SOUGHT:
            lengths = list(range(low, high + 1))
            chars, params = f"chars IN ({','.join('?' * len(lengths))})", lengths
        else:
            chars, params = "chars BETWEEN ? AND ?", [low, high]
        rows = await self.db.fetchall(
            f"SELECT word, df FROM article_words WHERE {chars} AND word >= ? AND word < ?",
            (*params, prefix, end),
        )
        return [(word, df) for word, df in rows]

    async def count_like(self, word: str) -> int:
        """The same question without the index: `LIKE '%word%'` over every article, a benchmark baseline."""
        pattern = _like_pattern(word)
        return await self.db.fetchvalue(
            "SELECT count(*) FROM articles WHERE body LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\'", (pattern, pattern)
        )

    async def remember_query(self, chat_id: int, query: str) -> int:
        """Keep a query for its page buttons (a button carries only this id); old ones expire."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "DELETE FROM search_pages WHERE created_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-7 days')"
            )
            cur = await conn.execute("INSERT INTO search_pages (chat_id, query) VALUES (?, ?)", (chat_id, query))
            return cur.lastrowid

    async def remembered_query(self, query_id: int, chat_id: int) -> str | None:
        """The query behind a page button, if it exists and belongs to this chat."""
        return await self.db.fetchvalue("SELECT query FROM search_pages WHERE id = ? AND chat_id = ?", (query_id, chat_id))
