"""Application wiring: handlers, the store's lifetime, commands menu. Shared by run and console."""

from __future__ import annotations


from telegram import BotCommand
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
)
from telegram.request import BaseRequest

from bot import strings
from bot.alerts.wiring import start_alerts, stop_alerts
from bot.config import Settings
from bot.defaults import MESSAGE_DEFAULTS
from bot.per_chat_updates import PerChatUpdates
from bot.sending import SendBudget, SendLimiter
from bot.context import BotState, NewsContext
from bot.polling import PollingGuard, quiet_invalid_token_tracebacks
from bot.services import Services
from bot.updates import ALLOWED_UPDATES, UpdatesRequest
from handlers import errors, inline, search, start, summary, topics
from handlers import filters as filters_


# /start's second handler (alerts come back after a block) runs in this group.
RESTART_GROUP = -1


def register_handlers(application: Application) -> None:
    """Every update handler, in one place. Only new messages are handled (see handlers/filters.py)."""
    new = filters_.NEW_MESSAGES
    for name, callback in (
        ("start", start.start), ("help", start.help_command), ("search", search.search),
        ("latest", search.latest), ("summary", summary.summary),
        ("subscribe", topics.subscribe), ("topics", topics.topics), ("unsubscribe", topics.unsubscribe),
        ("digest", topics.digest), ("timezone", topics.timezone),
    ):
        application.add_handler(CommandHandler(name, callback, filters=new))
    # /start also reactivates a chat's alerts: in its own group, beside start.start.
    application.add_handler(CommandHandler("start", topics.restart_alerts, filters=new), group=RESTART_GROUP)
    application.add_handler(MessageHandler(filters_.SUMMARY_SHORTCUT, summary.summary_shortcut))
    application.add_handler(CallbackQueryHandler(search.turn_page, pattern=r"^pg:"))
    application.add_handler(CallbackQueryHandler(topics.button, pattern=r"^al:"))
    application.add_handler(InlineQueryHandler(inline.inline_search))
    # Catch-alls last: anything the handlers above did not claim.
    application.add_handler(CallbackQueryHandler(start.unknown_button))
    application.add_handler(MessageHandler(filters_.UNKNOWN_COMMAND, start.unknown_command))
    application.add_handler(MessageHandler(filters_.PLAIN_TEXT, start.plain_text))
    application.add_error_handler(errors.on_error)


async def set_commands(application: Application) -> None:
    """The command menu, in Arabic and English, and Arabic for everyone else's default."""
    bot = application.bot
    for lang, commands in strings.COMMANDS.items():
        await bot.set_my_commands([BotCommand(c, d) for c, d in commands], language_code=lang)
    default = strings.COMMANDS[strings.DEFAULT_LANGUAGE]
    await bot.set_my_commands([BotCommand(c, d) for c, d in default])


def build_application(settings: Settings, *, request: BaseRequest | None = None, token: str | None = None,
                      guard: PollingGuard | None = None) -> Application:
    """The one Application both `newsbot run` and `newsbot console` drive (`guard`: run only)."""

    async def post_init(application: Application) -> None:
        state: BotState = application.bot_data
        state.settings = settings
        state.services = await Services.open(settings.db_path, settings.seeds_dir)
        await start_alerts(application)
        await set_commands(application)
        if guard is not None:
            guard.start(application)

    async def post_shutdown(application: Application) -> None:
        state: BotState = application.bot_data
        if guard is not None:
            await guard.stop()
        if state.services is not None:
            await stop_alerts(application)
            await state.services.close()
            state.services = None

    builder = (
        ApplicationBuilder()
        .token(token or settings.token or "")
        .base_url(settings.api_base_url)
        .context_types(ContextTypes(context=NewsContext, bot_data=BotState))
        # One send budget for replies and alerts (the sender takes it from the limiter); the
        # console's request is no Telegram, so nothing is paced there. Updates of different
        # chats are handled side by side, each chat's in order.
        .rate_limiter(SendLimiter(SendBudget.from_settings(settings) if request is None else None))
        .concurrent_updates(PerChatUpdates())
        .defaults(MESSAGE_DEFAULTS)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.get_updates_request(UpdatesRequest(connection_pool_size=1))
    application = builder.build()
    register_handlers(application)
    return application


def run_polling(settings: Settings) -> None:
    """Serve Telegram by long polling until interrupted. If Telegram refuses the token, at
    start or later, InvalidToken is raised once everything is shut down (the store closed)."""
    quiet_invalid_token_tracebacks()
    guard = PollingGuard()
    application = build_application(settings, guard=guard)
    application.run_polling(allowed_updates=list(ALLOWED_UPDATES), drop_pending_updates=False)
    guard.raise_if_stopped()
