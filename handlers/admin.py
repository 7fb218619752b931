"""/stats: the bot's state at a glance, for its administrators."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsContext
from bot.render.admin import render_stats
from handlers.common import bot_admin, reply, ui_language


async def stats(update: Update, context: NewsContext) -> None:
    lang = await ui_language(update, context)
    if await bot_admin(update, context, lang):
        await reply(update, render_stats(await context.services.store.stats.summary(), lang))
