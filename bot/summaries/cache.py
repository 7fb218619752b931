"""Article summaries on demand: computed off the event loop once, then served from the store."""

from __future__ import annotations

import asyncio

from bot.summaries import summarizer
from storage import Article, ArticleStore

# Bump when the summarizer's output changes, so cached summaries are recomputed.
SUMMARY_VERSION = 3
FULL_SENTENCES = 5
SHORT_WORDS = 45


class Summaries:
    def __init__(self, store: ArticleStore) -> None:
        self.store = store

    async def full(self, article: Article) -> list[str]:
        """The summary /summary shows."""
        return await self._get(article, sentences=FULL_SENTENCES)

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
