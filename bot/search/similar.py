"""An article's most distinctive words, and the articles like it (the article view's buttons)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from bot.search.engine import SearchPage, search_articles
from bot.text.tokens import tokenize
from storage import Article, ArticleSearch, ArticleStore

BODY_CHARS = 6000  # the opening of the body is where news says what it is about
TITLE_BONUS = 3  # a word of the title counts as this many body mentions
LIKE_WORDS = 5  # words "more like this" searches for (any of them)
TOPIC_WORDS = 2  # words a topic made from an article follows (all of them)
MIN_CHARS = 3


def distinctive_words(article: Article, count: int) -> list[str]:
    """Up to `count` words of the article, as written, that say most what it is about: content
    words of the title and the body's opening, by how often their stem appears (title first)."""
    language = article.language
    title = [t for t in tokenize(article.title or "", language) if _content(t.norm, t.is_stop)]
    body = [t for t in tokenize((article.body or "")[:BODY_CHARS], language) if _content(t.norm, t.is_stop)]
    score = Counter(t.stem for t in body)
    for token in title:
        score[token.stem] += TITLE_BONUS
    surface: dict[str, str] = {}
    order: dict[str, int] = {}
    for position, token in enumerate(title + body):
        surface.setdefault(token.stem, token.surface)
        order.setdefault(token.stem, position)
    ranked = sorted(score, key=lambda stem: (-score[stem], order[stem]))
    return [surface[stem] for stem in ranked[:count]]


def _content(norm: str, is_stop: bool) -> bool:
    return not is_stop and len(norm) >= MIN_CHARS and not norm.isdigit()


def like_query(article: Article) -> str:
    """The search "more like this" runs: any of the article's distinctive words, best first."""
    return " OR ".join(distinctive_words(article, LIKE_WORDS))


def topic_query(article: Article) -> str:
    """A short topic to follow made from the article: its two most distinctive words."""
    return " ".join(distinctive_words(article, TOPIC_WORDS))


async def similar_page(index: ArticleSearch, store: ArticleStore, article: Article, *, limit: int) -> SearchPage:
    """The first page of articles like `article`, without it."""
    page = await search_articles(index, store, like_query(article), limit=limit + 1)
    hits = [hit for hit in page.hits if hit.article.id != article.id][:limit]
    left_out = len(page.hits) - len([hit for hit in page.hits if hit.article.id != article.id])
    return replace(page, hits=hits, total=max(0, page.total - left_out), limit=limit)
