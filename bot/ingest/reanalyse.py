"""Re-derive every stored article's analysis from its stored text: `newsbot reanalyse`.

Stores written while analysis was wrong (stemmers shared between threads gave wrong
stems, and ingest skips an article already stored) are repaired in place: each batch
is re-analysed and written in one transaction, only the derived columns change, and a
rerun after an interruption simply redoes the pass (already repaired rows stay equal).
A finished pass records the analysis version (bot.text.ANALYSIS_VERSION) in the store,
so the bot's start-up (`Services.upgrade_analysis`) knows the store is up to date.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from bot.ingest.files import ParsedArticle
from bot.ingest.pipeline import BATCH, POOL_THRESHOLD, analysed_ahead
from bot.text import ANALYSIS_VERSION
from storage import ArticleStore, NewArticle, StoredAnalysis

__all__ = ["ReanalyseReport", "reanalyse_store", "differs"]


@dataclass
class ReanalyseReport:
    reanalysed: int = 0
    changed: int = 0


def differs(stored: StoredAnalysis, fresh: NewArticle) -> bool:
    """Does the fresh analysis change anything search or summaries read?"""
    return (
        stored.language != fresh.language
        or stored.title_words != fresh.title_words
        or stored.body_words != fresh.body_words
        or stored.title_stems != fresh.title_stems
        or stored.body_stems != fresh.body_stems
        or stored.sentences != [tuple(s) for s in fresh.sentences]
    )


async def reanalyse_store(
    store: ArticleStore,
    *,
    processes: int | None = None,
    batch: int = BATCH,
    on_progress: Callable[[int], None] | None = None,
) -> ReanalyseReport:
    """Re-analyse every stored article; rewrite those whose analysis changed.

    Cached summaries of every article re-analysed are dropped: they were computed with
    the same stemmers, so they may be wrong even where the stored stems are right. Once
    every article is done, the store records ANALYSIS_VERSION.
    """
    if processes is None:
        processes = (os.cpu_count() or 1) if await store.count() >= POOL_THRESHOLD else 0
    report = ReanalyseReport()

    async def batches() -> AsyncIterator[list[tuple[StoredAnalysis, ParsedArticle, dict]]]:
        async for rows in store.iter_for_reanalysis(batch):
            yield [(r, ParsedArticle(r.title, r.body, r.source), {"digest": r.content_hash}) for r in rows]

    async for items, fresh in analysed_ahead(batches(), processes=processes):
        rows = [row for row, _, _ in items]
        changed = [(row.id, new) for row, new in zip(rows, fresh) if differs(row, new)]
        await store.replace_analysis(changed, drop_summaries_of=[row.id for row in rows])
        report.reanalysed += len(rows)
        report.changed += len(changed)
        if on_progress:
            on_progress(len(rows))
    await store.set_analysis_version(ANALYSIS_VERSION)
    return report
