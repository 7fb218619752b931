"""The one error handler: log with the traceback, tell the user something went wrong; another
process polling the same bot is one line now and then, not a traceback each time."""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import NewsContext
from bot.receiving.polling import is_polling_conflict, report_polling_conflict
from bot.render import replies
from handlers.common import reply, ui_language

log = logging.getLogger(__name__)


async def on_error(update: object, context: NewsContext) -> None:
    """Log the failure; if a user is waiting for an answer, apologise instead of staying silent."""
    if is_polling_conflict(update, context.error):
        report_polling_conflict(context.error)
        return
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat:
        try:
            await reply(update, replies.render_text(await ui_language(update, context), "error"))
        except Exception:  # the chat itself may be the problem (blocked, gone): nothing more to do
            log.warning("could not tell the user about the error", exc_info=True)
