"""/search and /latest."""

from __future__ import annotations

from telegram import Update

from bot import render
from bot.context import NewsContext, user_language
from bot.search import query_terms, search_articles
from handlers.reply import command_argument, reply


async def search(update: Update, context: NewsContext) -> None:
    """Best matches for the words after /search, each with a short summary."""
    lang = user_language(update)
    query = command_argument(update)
    if not query:
        await reply(update, render.render_text(lang, "search_usage"))
        return
    if not query_terms(query)[0]:
        await reply(update, render.render_text(lang, "search_no_words"))
        return
    page = await search_articles(context.search, query, limit=context.settings.page_size)
    shorts = {a.id: await context.summaries.short(a) for a in page.articles}
    await reply(update, render.render_search(page, shorts, lang))


async def latest(update: Update, context: NewsContext) -> None:
    """The newest stored articles."""
    lang = user_language(update)
    articles = await context.articles.latest(context.settings.latest_count)
    shorts = {a.id: await context.summaries.short(a) for a in articles}
    await reply(update, render.render_latest(articles, shorts, lang))
