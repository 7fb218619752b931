"""Telegram update handlers: thin functions that call bot/ logic and render its answers.

`register` adds every handler, in one place; the handler modules share helpers only through
handlers/common.py and never import each other.
"""

from __future__ import annotations

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
)

from bot.render import callbacks
from handlers import (
    admin,
    errors,
    filters,
    inline,
    language,
    members,
    search,
    sources,
    start,
    summary,
    topics,
    trend,
)

# /start's second handler (alerts come back after a block) runs in this group, before the first.
RESTART_GROUP = -1

COMMANDS = (
    ("start", start.start), ("help", start.help_command), ("search", search.search),
    ("latest", search.latest), ("summary", summary.summary), ("read", summary.read),
    ("subscribe", topics.subscribe), ("topics", topics.topics), ("unsubscribe", topics.unsubscribe),
    ("digest", topics.digest), ("timezone", topics.timezone),
    ("sources", sources.list_sources), ("addsource", sources.add_source), ("removesource", sources.remove_source),
    ("stats", admin.stats), ("trend", trend.trend),
    ("language", language.language),
)


def register(application: Application) -> None:
    """Every update handler. Only new messages are handled (see handlers/filters.py)."""
    new = filters.NEW_MESSAGES
    for name, callback in COMMANDS:
        application.add_handler(CommandHandler(name, callback, filters=new))
    application.add_handler(CommandHandler("start", topics.restart_alerts, filters=new), group=RESTART_GROUP)
    application.add_handler(MessageHandler(filters.SUMMARY_SHORTCUT, summary.summary_shortcut))
    application.add_handler(CallbackQueryHandler(search.turn_page, pattern=callbacks.PAGE_PATTERN))
    application.add_handler(CallbackQueryHandler(topics.button, pattern=callbacks.ALERT_PATTERN))
    application.add_handler(CallbackQueryHandler(summary.button, pattern=callbacks.ARTICLE_PATTERN))
    application.add_handler(CallbackQueryHandler(language.button, pattern=callbacks.LANGUAGE_PATTERN))
    application.add_handler(InlineQueryHandler(inline.inline_search))
    application.add_handler(ChatMemberHandler(members.my_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    # Catch-alls last: anything the handlers above did not claim.
    application.add_handler(CallbackQueryHandler(start.unknown_button))
    application.add_handler(MessageHandler(filters.UNKNOWN_COMMAND, start.unknown_command))
    application.add_handler(MessageHandler(filters.PLAIN_TEXT, start.plain_text))
    application.add_error_handler(errors.on_error)
