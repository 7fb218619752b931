"""What a user typed -> stems to look up -> a page of ranked articles."""

from __future__ import annotations

from dataclasses import dataclass

from bot.text import detect_language, tokenize
from storage.articles import Article
from storage.search import ArticleSearch

MAX_QUERY_TERMS = 12


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: str
    terms: tuple[str, ...]
    articles: list[Article]
    total: int
    offset: int
    truncated: bool = False


def query_terms(text: str) -> tuple[tuple[str, ...], bool]:
    """The distinct stems a query asks for (stop words dropped unless nothing else is left).

    Anything a user types is read as plain words; a paste longer than MAX_QUERY_TERMS
    words is cut, and the caller is told so it can say so.
    """
    tokens = tokenize(text, detect_language(text))
    content = [t for t in tokens if not t.is_stop] or tokens
    stems = tuple(dict.fromkeys(t.stem for t in content if t.stem))
    return stems[:MAX_QUERY_TERMS], len(stems) > MAX_QUERY_TERMS


async def search_articles(index: ArticleSearch, text: str, *, limit: int, offset: int = 0) -> SearchPage:
    terms, truncated = query_terms(text)
    articles, total = await index.search(terms, limit=limit, offset=offset)
    return SearchPage(text, terms, articles, total, offset, truncated)
