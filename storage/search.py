"""Full-text search over the FTS5 index. User text never reaches MATCH as syntax.

Callers hand over analysed keys (`FtsQuery`); this module alone turns them into an FTS5
expression, quoting every key as a string literal, so `AND`, `NEAR`, `*`, `"` or `(` typed
by a user are only ever searched for as words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from storage.articles import Article, article_from_row
from storage.db import Database

# bm25 weights per FTS column: title_stems, body_stems, title_words, body_words.
# Titles count more than bodies; exact (unstemmed) forms add on top of their stems.
_BM25_WEIGHTS = "4.0, 1.0, 8.0, 2.0"
_STEMS = "{title_stems body_stems}"
_WORDS = "{title_words body_words}"
_COLUMNS = "a.id, a.title, a.body, a.language, a.source, a.url, a.published_at, a.ingested_at"
# Counting every match of a very common word costs as much as ranking them: stop at this.
COUNT_CAP = 1000

Phrase = Sequence[str]  # one key, or several in order


@dataclass(frozen=True, slots=True)
class FtsQuery:
    """What to match, as analysed keys: every clause (any of its phrases), none of `excluded`."""

    clauses: Sequence[Sequence[Phrase]]
    excluded: Sequence[Phrase] = ()
    exact: Sequence[Phrase] = ()  # the same terms unstemmed: they only lift the rank
    language: str | None = None
    source: str | None = None
    since: str | None = None  # ISO date


def fts_string(keys: Phrase) -> str:
    """Keys as one FTS5 string literal (a phrase when several): quoted, quotes doubled."""
    return '"' + " ".join(k.replace('"', '""') for k in keys) + '"'


def match_expression(query: FtsQuery) -> str | None:
    """The MATCH text for `query`, or None when it has no positive clause."""
    clauses = [c for c in query.clauses if c]
    if not clauses:
        return None
    ors = ["(" + " OR ".join(f"{_STEMS} : {fts_string(p)}" for p in clause) + ")" for clause in clauses]
    expression = " AND ".join(ors)
    if query.exact:
        # Always true given the first clause, so it changes no result, only bm25's sum.
        boost = [ors[0]] + [f"{_WORDS} : {fts_string(p)}" for p in query.exact]
        expression = f"{expression} AND ({' OR '.join(boost)})"
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


class ArticleSearch:
    """Ranked lookups: BM25 over title and body, newest first on ties."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def search(self, query: FtsQuery, *, limit: int, offset: int = 0) -> tuple[list[Article], int]:
        """One page of matching articles, and how many match (counted up to COUNT_CAP)."""
        match = match_expression(query)
        if match is None:
            return [], 0
        where, params = _filters(query)
        conn = self.db.conn
        async with conn.execute(
            f"SELECT {_COLUMNS} FROM article_fts JOIN articles a ON a.id = article_fts.rowid"
            f" WHERE article_fts MATCH ?{where}"
            f" ORDER BY bm25(article_fts, {_BM25_WEIGHTS}), coalesce(a.published_at, a.ingested_at) DESC, a.id DESC"
            " LIMIT ? OFFSET ?",
            (match, *params, limit, offset),
        ) as cur:
            page = [article_from_row(row) async for row in cur]
        if offset == 0 and len(page) < limit:
            return page, len(page)
        async with conn.execute(
            "SELECT count(*) FROM (SELECT 1 FROM article_fts JOIN articles a ON a.id = article_fts.rowid"
            f" WHERE article_fts MATCH ?{where} LIMIT ?)",
            (match, *params, COUNT_CAP),
        ) as cur:
            total = (await cur.fetchone())[0]
        return page, total

    async def count_like(self, word: str) -> int:
        """The same question without the index: `LIKE '%word%'` over every article, a benchmark baseline."""
        pattern = _like_pattern(word)
        async with self.db.conn.execute(
            "SELECT count(*) FROM articles WHERE body LIKE ? ESCAPE '\\' OR title LIKE ? ESCAPE '\\'",
            (pattern, pattern),
        ) as cur:
            return (await cur.fetchone())[0]

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
        async with self.db.conn.execute(
            "SELECT query FROM search_pages WHERE id = ? AND chat_id = ?", (query_id, chat_id)
        ) as cur:
            row = await cur.fetchone()
        return row[0] if row else None
