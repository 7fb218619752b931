"""/trend <words>: a chart of matching articles per day over the last weeks, sent as a photo."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.context import NewsContext
from bot.render import replies, strings
from bot.render.charts import trend_png
from bot.render.strings import counted
from bot.trends.counts import DAYS, daily_trend
from handlers.common import command_argument, reply, thread_of, ui_language


async def trend(update: Update, context: NewsContext) -> None:
    lang = await ui_language(update, context)
    text = command_argument(update)
    found = await daily_trend(context.index, text, days=DAYS) if text else None
    if found is None:
        await reply(update, replies.render_text(lang, "trend_usage"))
        return
    query = replies.echo_query(found.query)
    if found.total == 0:
        await reply(update, replies.render_text(lang, "trend_none", query=query, days=counted(lang, DAYS, "day")))
        return
    png = await asyncio.to_thread(trend_png, found, lang)
    caption = strings.text(lang, "trend_caption", query=query, total=counted(lang, found.total, "article"),
                           days=counted(lang, DAYS, "day"))
    await update.effective_chat.send_photo(png, caption=caption, message_thread_id=thread_of(update))
