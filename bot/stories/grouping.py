"""Stories: each new article joins the story of its nearest stored near-duplicate, or starts one.

Run before matching (bot/alerts), so that one story gives a chat one alert, and after each
fetch or ingest, so that search shows stories at once. Signatures are CPU work: computed a
batch at a time off the event loop.
"""

from __future__ import annotations

import asyncio

from bot.stories.signatures import THRESHOLD, band_keys, signature, similarity
from storage import Article, ArticleTerms, StoryStore

BATCH = 200


def _signed(articles: list[ArticleTerms]) -> list[tuple[ArticleTerms, bytes, list[str]]]:
    out = []
    for terms in articles:
        sig = signature([*terms.title_stems, *terms.body_stems])
        out.append((terms, sig, band_keys(sig)))
    return out


async def assign_stories(stories: StoryStore) -> int:
    """Group every article not yet in a story; how many were grouped."""
    grouped = 0
    while pending := await stories.unassigned(BATCH):
        for terms, sig, bands in await asyncio.to_thread(_signed, pending):
            best, best_score = terms.id, -1.0
            for candidate in await stories.candidates(bands) if bands else ():
                score = similarity(sig, candidate.signature)
                if score >= THRESHOLD and score > best_score:  # the closest; the oldest on ties
                    best, best_score = candidate.story_id, score
            await stories.assign(terms.id, best, sig, bands)
            grouped += 1
    return grouped


async def also_reported_by(stories: StoryStore, article: Article) -> list[str]:
    """The other outlets of the article's story, oldest report first (its own outlet left out)."""
    if article.story_id is None:
        return []
    seen = {article.source} if article.source else set()
    others = []
    for member in await stories.members(article.story_id):
        if member.id != article.id and member.source and member.source not in seen:
            seen.add(member.source)
            others.append(member.source)
    return others
