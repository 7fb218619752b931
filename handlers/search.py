"""/search with page buttons, and /latest."""

from __future__ import annotations

import logging
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot import render, strings
from bot.context import NewsContext, user_language
from bot.query import Query, parse_query
from bot.search import SearchPage, search_articles
from handlers.reply import command_argument, reply

log = logging.getLogger(__name__)

PAGE_CALLBACK = re.compile(r"^pg:(\d{1,12}):(\d{1,5})$")


def page_buttons(page: SearchPage, query_id: int, lang: str) -> InlineKeyboardMarkup | None:
    """Previous/next buttons; each carries `pg:<query id>:<offset>`, far below 64 bytes."""
    row = []
    if page.has_previous:
        row.append(InlineKeyboardButton(strings.text(lang, "page_previous"),
                                        callback_data=f"pg:{query_id}:{max(0, page.offset - page.limit)}"))
    if page.has_next:
        row.append(InlineKeyboardButton(strings.text(lang, "page_next"),
                                        callback_data=f"pg:{query_id}:{page.offset + page.limit}"))
    return InlineKeyboardMarkup([row]) if row else None


async def render_page(context: NewsContext, query: Query | str, offset: int, lang: str) -> tuple[SearchPage, list[str]]:
    """One page of results for `query`, rendered as a single message (so buttons can turn it)."""
    page = await search_articles(context.search, context.articles, query,
                                 limit=context.settings.page_size, offset=offset)
    shorts = {a.id: await context.summaries.short(a) for a in page.articles}
    messages = render.render_search(page, shorts, lang)
    if len(messages) > 1:  # a page is one message, so that buttons can turn it in place
        messages = render.render_search(page, {}, lang)
    return page, messages


async def search(update: Update, context: NewsContext) -> None:
    """Best matches for the words after /search, each with a short summary and a snippet."""
    lang = user_language(update)
    text = command_argument(update)
    if not text:
        await reply(update, render.render_text(lang, "search_usage"))
        return
    query = parse_query(text)
    if not query.clauses:
        key = "search_only_excluded" if query.excluded else "search_no_words"
        await reply(update, render.render_text(lang, key))
        return
    page, messages = await render_page(context, query, 0, lang)
    markup = None
    if page.has_next:
        query_id = await context.search.remember_query(update.effective_chat.id, text)
        markup = page_buttons(page, query_id, lang)
    await reply(update, messages, markup)


async def turn_page(update: Update, context: NewsContext) -> None:
    """A previous/next button: show that page in place of the current one."""
    callback = update.callback_query
    lang = user_language(update)
    match = PAGE_CALLBACK.match(callback.data or "")
    text = None
    if match and callback.message is not None and int(match.group(2)) % context.settings.page_size == 0:
        text = await context.search.remembered_query(int(match.group(1)), callback.message.chat.id)
    page = None
    if text is not None:
        page, messages = await render_page(context, text, int(match.group(2)), lang)
    if page is None or not page.hits:  # forged, foreign, expired or past the end: change nothing
        await callback.answer(strings.text(lang, "page_expired"), show_alert=True)
        return
    await callback.answer()
    markup = page_buttons(page, int(match.group(1)), lang)
    try:
        await callback.edit_message_text(messages[0], reply_markup=markup)
    except BadRequest as exc:
        if "not modified" in exc.message.lower():  # a double tap: the page is already shown
            return
        # Too old to edit, or deleted: the page still reaches the user, as a new message.
        log.info("search page not edited (%s); sent anew", exc.message)
        await reply(update, messages, markup)


async def latest(update: Update, context: NewsContext) -> None:
    """The newest stored articles."""
    lang = user_language(update)
    articles = await context.articles.latest(context.settings.latest_count)
    shorts = {a.id: await context.summaries.short(a) for a in articles}
    await reply(update, render.render_latest(articles, shorts, lang))
