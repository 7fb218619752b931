"""Inline mode: `@bot words` in any chat offers matching articles to share, with their summaries."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import InlineQueryLimit

from bot.context import NewsContext
from bot.render import articles
from bot.search.engine import search_articles
from bot.search.query import parse_query
from handlers.common import ui_language

INLINE_PAGE = 10  # results per answer (Telegram allows 50); more come with next_offset
MAX_OFFSET = 500
_DESCRIPTION_CHARS = 200


async def inline_search(update: Update, context: NewsContext) -> None:
    """Answer an inline query with articles; an empty query offers the newest ones."""
    inline = update.inline_query
    lang = await ui_language(update, context)
    offset = int(inline.offset) if inline.offset.isascii() and inline.offset.isdigit() and int(inline.offset) <= MAX_OFFSET else 0
    text = inline.query.strip()
    query = parse_query(text) if text else None
    if query is not None and (query.clauses or query.filtered):  # words, or filters alone: the newest matching
        page = await search_articles(context.index, context.articles, query, limit=INLINE_PAGE, offset=offset)
        found = [(hit.article, hit.snippet.plain) for hit in page.hits]
        next_offset = str(offset + INLINE_PAGE) if page.has_next and offset + INLINE_PAGE <= MAX_OFFSET else ""
    else:
        found = [(a, "") for a in await context.articles.latest(INLINE_PAGE)] if offset == 0 else []
        next_offset = ""
    results = []
    for article, snippet in found[: InlineQueryLimit.RESULTS]:
        messages = articles.render_summary(article, await context.summaries.full(article), lang)
        if len(messages) > 1:  # one shared message: fall back to the short summary
            messages = articles.render_summary(article, await context.summaries.short(article), lang)
        description = snippet or " ".join(await context.summaries.short(article))
        results.append(
            InlineQueryResultArticle(
                id=str(article.id),
                title=article.title[:256],
                description=f"{article.source or ''} · {article.date} — {description}"[:_DESCRIPTION_CHARS],
                input_message_content=InputTextMessageContent(messages[0]),
            )
        )
    # No more results: leave next_offset out. (An empty string would not do: with the application's
    # Defaults, PTB's ExtBot copies it as a sequence and sends "[]", which clients echo back.)
    await inline.answer(results, cache_time=30, is_personal=False, next_offset=next_offset or None)
