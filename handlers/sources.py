"""/sources, /addsource <url>, /removesource <n>: the news sources, for the bot's administrators."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsContext
from bot.feeds.fetch import FetchError
from bot.feeds.parse import NotAFeed
from bot.render import replies, sources
from bot.text import ascii_digits
from handlers.common import bot_admin, command_argument, reply, ui_language


async def list_sources(update: Update, context: NewsContext) -> None:
    lang = await ui_language(update, context)
    if await bot_admin(update, context, lang):
        await reply(update, sources.render_sources(await context.services.store.sources.all(), lang))


async def add_source(update: Update, context: NewsContext) -> None:
    lang = await ui_language(update, context)
    if not await bot_admin(update, context, lang):
        return
    url = (command_argument(update) or "").split()
    if not url:
        await reply(update, replies.render_text(lang, "addsource_usage"))
        return
    try:
        added = await context.services.feeds.add(url[0])
    except (FetchError, NotAFeed) as exc:
        await reply(update, sources.render_refused(url[0], exc.reason, lang))
        return
    await reply(update, sources.render_added(added, lang))


async def remove_source(update: Update, context: NewsContext) -> None:
    lang = await ui_language(update, context)
    if not await bot_admin(update, context, lang):
        return
    words = (command_argument(update) or "").split()
    value = ascii_digits(words[0].lstrip("#")) if words else ""
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        await reply(update, replies.render_text(lang, "removesource_usage"))
        return
    removed = await context.services.store.sources.remove(int(value))
    if removed is None:
        await reply(update, replies.render_text(lang, "removesource_not_found", id=int(value)))
        return
    name = replies.echo_query(removed.label)
    await reply(update, replies.render_text(lang, "removesource_done", name=name, articles=removed.articles))
