"""Article summaries on demand: computed off the event loop once, then served from the store."""

from __future__ import annotations

import asyncio

from bot.summaries import summarizer
from bot.text.sentences import split_sentences
from storage import Article, ArticleStore

# Bump when the summarizer's output changes, so cached summaries are recomputed.
SUMMARY_VERSION = 3
FULL_SENTENCES = 5
SHORT_WORDS = 45
# The summary lengths the article view's shorter / longer buttons step through (sentences).
LEVELS = (2, 3, 5, 8, 12)
_COUNTS_KEPT = 2048  # articles whose sentence count is remembered


def levels_for(sentence_count: int) -> tuple[int, ...]:
    """The levels worth showing for an article of `sentence_count` sentences: each shows more
    than the one before, the last shows them all (or is the longest level)."""
    shown = tuple(level for level in LEVELS if level < sentence_count)
    longer = [level for level in LEVELS if level >= sentence_count]
    return shown + (longer[0],) if longer else shown


class Summaries:
    def __init__(self, store: ArticleStore) -> None:
        self.store = store
        self._counts: dict[int, int] = {}

    async def full(self, article: Article) -> list[str]:
        """The summary /summary shows."""
        return await self._get(article, sentences=FULL_SENTENCES)

    async def of_length(self, article: Article, sentences: int) -> list[str]:
        """A summary of at most `sentences` sentences (the article view's shorter / longer)."""
        return await self._get(article, sentences=sentences)

    async def sentence_count(self, article: Article) -> int:
        """How many sentences the article's body has (remembered for recent articles)."""
        if article.id not in self._counts:
            if len(self._counts) >= _COUNTS_KEPT:
                self._counts.clear()
            found = await asyncio.to_thread(split_sentences, article.body or "", article.language)
            self._counts[article.id] = len(found)
        return self._counts[article.id]

    async def levels(self, article: Article) -> tuple[int, ...]:
        """The summary lengths this article offers, shortest first (see `levels_for`)."""
        return levels_for(await self.sentence_count(article))

    async def short(self, article: Article) -> list[str]:
        """A line or two, for lists of results."""
        return await self._get(article, words=SHORT_WORDS)

    async def _get(self, article: Article, *, sentences: int | None = None, words: int | None = None) -> list[str]:
        setting = f"v{SUMMARY_VERSION}:s{sentences}:w{words}"
        cached = await self.store.cached_summary(article.id, setting)
        if cached is not None:
            return cached
        summary = await asyncio.to_thread(
            summarizer.summarize,
            article.body,
            title=article.title,
            language=article.language,
            sentences=sentences,
            words=words,
        )
        await self.store.cache_summary(article.id, setting, summary.sentences)
        return summary.sentences
