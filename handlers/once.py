"""Before every other handler: a copy of an update already taken (by another process, or by
this one before a restart) goes no further (bot/receiving/once.py)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ApplicationHandlerStop

from bot.context import NewsContext
from bot.receiving.once import first_delivery


async def skip_copies(update: Update, context: NewsContext) -> None:
    if not await first_delivery(context.services.store, context.bot.id, update.update_id):
        raise ApplicationHandlerStop
