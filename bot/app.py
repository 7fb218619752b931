"""Application wiring: handlers, the store's lifetime, commands menu. Shared by run and console."""

from __future__ import annotations


from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import strings
from bot.alerts.wiring import register_alert_handlers, start_alerts, stop_alerts
from bot.config import Settings
from bot.defaults import MESSAGE_DEFAULTS
from bot.context import BotState, NewsContext
from bot.services import Services
from handlers import errors, inline, search, start, summary


# Retries after a 429 are the rate limiter's job: it waits `retry_after` and sends again.
RATE_LIMIT_RETRIES = 3


def register_handlers(application: Application) -> None:
    """Every update handler, in one place."""
    application.add_handler(CommandHandler("start", start.start))
    application.add_handler(CommandHandler("help", start.help_command))
    application.add_handler(CommandHandler("search", search.search))
    application.add_handler(CallbackQueryHandler(search.turn_page, pattern=r"^pg:"))
    application.add_handler(CommandHandler("latest", search.latest))
    application.add_handler(InlineQueryHandler(inline.inline_search))
    application.add_handler(CommandHandler("summary", summary.summary))
    application.add_handler(MessageHandler(filters.Regex(r"^/summary_\w+(@\w+)?(\s|$)"), summary.summary_shortcut))
    register_alert_handlers(application)
    # Catch-alls last: anything the handlers above did not claim.
    application.add_handler(CallbackQueryHandler(start.unknown_button))
    application.add_handler(MessageHandler(filters.COMMAND, start.unknown_command))
    application.add_handler(MessageHandler(filters.ChatType.PRIVATE & filters.TEXT, start.plain_text))
    application.add_error_handler(errors.on_error)


async def set_commands(application: Application) -> None:
    """The command menu, in Arabic and English, and Arabic for everyone else's default."""
    bot = application.bot
    for lang, commands in strings.COMMANDS.items():
        await bot.set_my_commands([BotCommand(c, d) for c, d in commands], language_code=lang)
    default = strings.COMMANDS[strings.DEFAULT_LANGUAGE]
    await bot.set_my_commands([BotCommand(c, d) for c, d in default])


def build_application(settings: Settings, *, request: BaseRequest | None = None, token: str | None = None) -> Application:
    """The one Application both `newsbot run` and `newsbot console` drive."""

    async def post_init(application: Application) -> None:
        state: BotState = application.bot_data
        state.settings = settings
        state.services = await Services.open(settings.db_path, settings.seeds_dir)
        await start_alerts(application)
        await set_commands(application)

    async def post_shutdown(application: Application) -> None:
        state: BotState = application.bot_data
        if state.services is not None:
            await stop_alerts(application)
            await state.services.close()
            state.services = None

    builder = (
        ApplicationBuilder()
        .token(token or settings.token or "")
        .base_url(settings.api_base_url)
        .context_types(ContextTypes(context=NewsContext, bot_data=BotState))
        .rate_limiter(AIORateLimiter(max_retries=RATE_LIMIT_RETRIES))
        .defaults(MESSAGE_DEFAULTS)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    application = builder.build()
    register_handlers(application)
    return application


def run_polling(settings: Settings) -> None:
    """Serve Telegram by long polling until interrupted."""
    application = build_application(settings)
    application.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
