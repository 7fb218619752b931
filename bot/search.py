"""What a user typed -> a parsed query -> a page of ranked articles with highlighted snippets."""

from __future__ import annotations

from dataclasses import dataclass

from bot.query import Query, parse_query
from bot.snippets import snippet
from bot.text import normalize
from storage.articles import Article, ArticleStore
from storage.search import ArticleSearch, FtsQuery


@dataclass(frozen=True, slots=True)
class Hit:
    article: Article
    snippet: str  # HTML, matched words in <b>


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: Query
    hits: list[Hit]
    total: int
    offset: int
    limit: int

    @property
    def articles(self) -> list[Article]:
        return [hit.article for hit in self.hits]

    @property
    def has_previous(self) -> bool:
        return self.offset > 0

    @property
    def has_next(self) -> bool:
        return self.offset + len(self.hits) < self.total


def to_fts(query: Query) -> FtsQuery:
    """The storage-level form: stems to match, exact words to rank by, filters."""
    exact = tuple(dict.fromkeys(term.words for term in query.terms if term.words != term.stems))
    return FtsQuery(
        clauses=[[term.stems for term in clause] for clause in query.clauses],
        excluded=[term.stems for term in query.excluded],
        exact=exact,
        language=query.language,
        source=normalize(query.source) if query.source else None,
        since=query.since.isoformat() if query.since else None,
    )


async def search_articles(index: ArticleSearch, store: ArticleStore, query: Query | str, *,
                          limit: int, offset: int = 0) -> SearchPage:
    """One page of results for `query`; a page past the end is empty, never an error."""
    if isinstance(query, str):
        query = parse_query(query)
    articles, total = await index.search(to_fts(query), limit=limit, offset=offset)
    stems = query.stems
    hits = []
    for article in articles:
        spans = await store.sentence_spans(article.id)
        hits.append(Hit(article, snippet(article.body, spans, article.language, stems)))
    return SearchPage(query, hits, total, offset, limit)
