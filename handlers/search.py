"""/search with page buttons, and /latest."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest

from bot.context import NewsContext
from bot.render import articles, callbacks, keyboards, replies, strings
from handlers.common import (
    answer_search,
    command_argument,
    reply,
    search_page,
    ui_language,
)

log = logging.getLogger(__name__)


async def search(update: Update, context: NewsContext) -> None:
    """Best matches for the words after /search, each with a short summary and a snippet; the
    newest articles for filters alone (`/search source:reuters`)."""
    lang = await ui_language(update, context)
    text = command_argument(update)
    if not text:
        await reply(update, replies.render_text(lang, "search_usage"))
        return
    await answer_search(update, context, text, lang)


async def turn_page(update: Update, context: NewsContext) -> None:
    """A previous/next button: show that page in place of the current one."""
    callback = update.callback_query
    lang = await ui_language(update, context)
    press = callbacks.parse_page(callback.data)
    text = None
    if press and callback.message is not None and press.offset % context.settings.page_size == 0:
        text = await context.index.remembered_query(press.query_id, callback.message.chat.id)
    page = None
    if text is not None:
        page, messages = await search_page(context, text, press.offset, lang)
    if page is None or not page.hits:  # forged, foreign, expired or past the end: change nothing
        await callback.answer(strings.text(lang, "page_expired"), show_alert=True)
        return
    await callback.answer()
    markup = keyboards.page_keyboard(page, press.query_id, lang)
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
    lang = await ui_language(update, context)
    found = await context.articles.latest(context.settings.latest_count)
    shorts = {a.id: await context.summaries.short(a) for a in found}
    await reply(update, articles.render_latest(found, shorts, lang))
