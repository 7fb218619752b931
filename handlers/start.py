"""/start and /help."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsContext
from bot.render import replies, strings
from handlers.common import answer_search, reply, ui_language


async def start(update: Update, context: NewsContext) -> None:
    """Greet the user and show what the bot can do."""
    lang = await ui_language(update, context)
    await reply(update, replies.render_welcome(lang))


async def help_command(update: Update, context: NewsContext) -> None:
    """List the commands."""
    await reply(update, replies.render_text(await ui_language(update, context), "help"))


async def unknown_command(update: Update, context: NewsContext) -> None:
    """A command we do not have: point at /help rather than stay silent."""
    await reply(update, replies.render_text(await ui_language(update, context), "unknown_command"))


async def plain_text(update: Update, context: NewsContext) -> None:
    """Words without a command in a private chat (groups never get here): a search, answered
    as `/search <words>` is, since that is what someone typing words to a news bot wants."""
    await answer_search(update, context, update.effective_message.text.strip(), await ui_language(update, context))


async def unknown_button(update: Update, context: NewsContext) -> None:
    """A button press no handler claims (from an old version, or forged): answer, change nothing."""
    await update.callback_query.answer(strings.text(await ui_language(update, context), "page_expired"), show_alert=True)
