"""Full-text search over the FTS5 index. User text never reaches MATCH as syntax."""

from __future__ import annotations

from collections.abc import Sequence

from storage.articles import _ARTICLE_COLUMNS, Article, _article
from storage.db import Database

# bm25 weights per FTS column: title_stems, body_stems, title_words, body_words.
# Titles count more than bodies; exact (unstemmed) words count more than stems.
_BM25_WEIGHTS = "4.0, 1.0, 8.0, 2.0"
_STEM_COLUMNS = "{title_stems body_stems}"


def fts_string(term: str) -> str:
    """`term` as an FTS5 string literal: quoted, inner quotes doubled, so no operator survives."""
    return '"' + term.replace('"', '""') + '"'


def match_all(stems: Sequence[str]) -> str:
    """A MATCH expression requiring every stem, in title or body."""
    return " AND ".join(f"{_STEM_COLUMNS} : {fts_string(s)}" for s in dict.fromkeys(stems))


class ArticleSearch:
    """Ranked lookups: BM25 over title and body, newest first on ties."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def search(self, stems: Sequence[str], *, limit: int, offset: int = 0) -> tuple[list[Article], int]:
        """One page of articles matching every stem, and the total number of matches."""
        if not stems:
            return [], 0
        match = match_all(stems)
        conn = self.db.conn
        async with conn.execute(
            f"SELECT {', '.join('a.' + c.strip() for c in _ARTICLE_COLUMNS.split(','))}"
            " FROM article_fts JOIN articles a ON a.id = article_fts.rowid"
            " WHERE article_fts MATCH ?"
            f" ORDER BY bm25(article_fts, {_BM25_WEIGHTS}), coalesce(a.published_at, a.ingested_at) DESC, a.id DESC"
            " LIMIT ? OFFSET ?",
            (match, limit, offset),
        ) as cur:
            page = [_article(row) async for row in cur]
        async with conn.execute("SELECT count(*) FROM article_fts WHERE article_fts MATCH ?", (match,)) as cur:
            total = (await cur.fetchone())[0]
        return page, total
