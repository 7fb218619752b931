"""The document frequencies of the index's words ("did you mean"), kept by the article writes.

Every write of `article_terms` (storage/sqlite/articles.py) counts the distinct words of the
articles it adds (+1) and of the analyses it replaces (-1) in a `WordCounts`, and writes the
sum in the same transaction: a few statements per batch, not per word. The words are the
tokens FTS5 would index of `title_words || ' ' || body_words` (storage/tokens.py), as the
fts5vocab table this replaces listed them (migration 0012). Rows are keyed (chars, word):
`words()` seeks each length it asks for instead of reading every word with the prefix.
"""

from __future__ import annotations

from collections import Counter

import aiosqlite

from storage.tokens import distinct_tokens


class WordCounts:
    """What a batch of article_terms writes changes of `article_words`."""

    def __init__(self) -> None:
        self.deltas: Counter = Counter()

    def count(self, title_words: str, body_words: str, sign: int = 1) -> None:
        """One article's words, counted in (+1) or out (-1)."""
        self.deltas.update(dict.fromkeys(distinct_tokens(title_words, body_words), sign))

    async def write(self, conn: aiosqlite.Connection) -> None:
        """Add the counts up; a word whose frequency falls to zero goes (deleted before the
        update, which the table's `df > 0` check would refuse)."""
        ups = [(len(w), w, d) for w, d in self.deltas.items() if d > 0]
        downs = [(len(w), w, d) for w, d in self.deltas.items() if d < 0]
        if downs:
            await conn.executemany(
                "DELETE FROM article_words WHERE chars = ? AND word = ? AND df + ? <= 0", downs)
            await conn.executemany(
                "UPDATE article_words SET df = df + ?3 WHERE chars = ?1 AND word = ?2", downs)
        if ups:
            await conn.executemany(
                "INSERT INTO article_words (chars, word, df) VALUES (?, ?, ?)"
                " ON CONFLICT (chars, word) DO UPDATE SET df = df + excluded.df", ups)
        self.deltas.clear()
