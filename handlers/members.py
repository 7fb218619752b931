"""The bot's own membership of a chat (Telegram's `my_chat_member` updates)."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsContext


async def my_membership(update: Update, context: NewsContext) -> None:
    """Blocked or removed, the chat's alerts stop; unblocked or added back, they resume for new
    articles. Nothing is sent: a chat that blocked the bot would refuse it anyway."""
    change = update.my_chat_member
    if context.alerts is not None:
        await context.alerts.membership(change.chat.id, change.chat.type, change.new_chat_member.status)
