"""What a user typed -> a parsed query -> a page of ranked articles with highlighted snippets.

The index ranks by bm25 over stems; the best few are then re-ranked here so that articles
holding the words as typed (`بالصور`, `elections`) come before those holding only another
form of them. A query of filters alone (`source:reuters`) lists the newest that pass them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.search.query import Query, Term, parse_query, to_fts
from bot.search.snippets import Snippet, snippet
from bot.search.suggest import suggest
from storage import Article, ArticleSearch, ArticleStore, Candidate

# Re-rank this many matches beyond the page asked for.
RERANK_EXTRA = 15
# How much an exact form lifts a match's bm25: per query term found as typed, in the title
# or in the body (bm25 is negative: lower is better, so the score is multiplied up).
EXACT_TITLE_LIFT = 0.5
EXACT_BODY_LIFT = 0.25


@dataclass(frozen=True, slots=True)
class Hit:
    article: Article
    snippet: Snippet  # the best sentence, with the spans of the matched words


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: Query
    hits: list[Hit]
    total: int
    offset: int
    limit: int
    suggestion: str | None = None  # a corrected query that finds something, when this one found nothing

    @property
    def articles(self) -> list[Article]:
        return [hit.article for hit in self.hits]

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.hits) < self.total


def _exact_score(candidate: Candidate, terms: tuple[Term, ...]) -> float:
    """bm25 lifted for each query term that the article holds exactly as typed."""
    title = f" {candidate.title_words} "
    body = f" {candidate.body_words} "
    lift = 1.0
    for term in terms:
        form = " " + " ".join(term.words) + " "
        lift += EXACT_TITLE_LIFT * (form in title) + EXACT_BODY_LIFT * (form in body)
    return candidate.bm25 * lift


def rerank(candidates: list[Candidate], query: Query) -> list[Candidate]:
    """Best first: bm25 lifted by exact forms, then newest first on ties."""
    terms = query.terms
    by_date = sorted(candidates, key=lambda c: (c.date, c.id), reverse=True)
    return sorted(by_date, key=lambda c: _exact_score(c, terms))


async def search_articles(index: ArticleSearch, store: ArticleStore, query: Query | str, *,
                          limit: int, offset: int = 0) -> SearchPage:
    """One page of results for `query`; a page past the end is empty, never an error. A first
    page with no results carries a suggestion when a corrected spelling finds something."""
    if isinstance(query, str):
        query = parse_query(query)
    wanted = offset + limit + RERANK_EXTRA
    if query.clauses:
        candidates, total = await index.candidates(to_fts(query), limit=wanted)
    elif query.filtered:
        candidates, total = await index.newest(to_fts(query), limit=wanted)
    else:
        candidates, total = [], 0
    chosen = rerank(candidates, query)[offset : offset + limit]
    articles = {a.id: a for a in await store.get_many([c.id for c in chosen])}
    stems = query.stems
    hits = [
        Hit(a, snippet(a.body, c.sentences, c.body_stems.split(), a.language, stems))
        for c in chosen if (a := articles.get(c.id)) is not None
    ]
    suggestion = await suggest(index, query) if total == 0 and offset == 0 else None
    return SearchPage(query, hits, total, offset, limit, suggestion)
