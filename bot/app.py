"""The one module that wires the Application: services, handlers, jobs, sending and receiving.

Shared by `newsbot run` and `newsbot console`; the only module outside handlers/ that
imports handlers.
"""

from __future__ import annotations

import asyncio
import gc
from functools import partial

from telegram import BotCommand
from telegram.ext import Application, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest

import handlers
from bot.config import Settings
from bot.context import NewsContext
from bot.jobs import start_alerts, stop_alerts
from bot.receiving.lanes import PerChatUpdates
from bot.receiving.once import fresh_updates
from bot.receiving.polling import PollingGuard, quiet_invalid_token_tracebacks
from bot.receiving.updates import ALLOWED_UPDATES, UpdatesRequest
from bot.render import strings
from bot.render.defaults import MESSAGE_DEFAULTS
from bot.roles import Duties
from bot.sending.budget import SendBudget
from bot.sending.limiter import SendLimiter
from bot.services import Services
from bot.text import warm_up


async def set_commands(application: Application) -> None:
    """The command menu, in Arabic and English, and Arabic for everyone else's default."""
    bot = application.bot
    for lang in strings.LANGUAGES:
        await bot.set_my_commands([BotCommand(c, d) for c, d in strings.commands(lang)], language_code=lang)
    default = strings.commands(strings.DEFAULT_LANGUAGE)
    await bot.set_my_commands([BotCommand(c, d) for c, d in default])


def build_application(settings: Settings, *, request: BaseRequest | None = None, token: str | None = None,
                      guard: PollingGuard | None = None) -> Application:
    """The one Application both `newsbot run` and `newsbot console` drive (`guard`: run only)."""

    budget = SendBudget.from_settings(settings) if request is None else None
    updates_request = UpdatesRequest(connection_pool_size=1) if request is None else None

    async def post_init(application: Application) -> None:
        services: Services = application.bot_data
        await services.start(settings)
        services.budget = budget
        try:
            await services.upgrade_analysis()
            await services.seed()
            if Duties.of(settings.role).receives:  # before the first query, not during it
                await asyncio.to_thread(warm_up)
            await start_alerts(application)
            # The topic index is many long-lived objects: keep them out of the collector's
            # full passes, or each rescans them all (0.5 s pauses were seen).
            gc.freeze()
            await set_commands(application)
        except BaseException:
            await services.close()  # an open connection's thread would keep the process alive
            raise
        if updates_request is not None:  # from now on, a copy of an update taken before is dropped
            updates_request.fresh = partial(fresh_updates, services.store, application.bot.id)
        if guard is not None:
            guard.start(application)

    async def post_shutdown(application: Application) -> None:
        services: Services = application.bot_data
        if guard is not None:
            await guard.stop()
        if updates_request is not None:
            updates_request.fresh = None
        if services.store is not None:
            await stop_alerts(application)
            await services.close()

    builder = (
        ApplicationBuilder()
        .token(token or settings.token or "")
        .base_url(settings.api_base_url)
        .context_types(ContextTypes(context=NewsContext, bot_data=Services))
        # One send budget for replies and alerts (the outbox sender gets it as Services.budget);
        # the console's request is no Telegram, so nothing is paced there. Updates of different
        # chats are handled side by side, each chat's in order.
        .rate_limiter(SendLimiter(budget))
        .concurrent_updates(PerChatUpdates())
        .defaults(MESSAGE_DEFAULTS)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    else:
        builder = builder.get_updates_request(updates_request)
    application = builder.build()
    handlers.register(application)
    return application


def run_polling(settings: Settings) -> None:
    """Serve Telegram by long polling until interrupted. If Telegram refuses the token, at
    start or later, InvalidToken is raised once everything is shut down (the store closed)."""
    quiet_invalid_token_tracebacks()
    guard = PollingGuard()
    application = build_application(settings, guard=guard)
    application.run_polling(allowed_updates=list(ALLOWED_UPDATES), drop_pending_updates=False)
    guard.raise_if_stopped()


def run_webhook(settings: Settings) -> None:
    """Serve Telegram by webhook until SIGTERM / SIGINT (bot/receiving/webhook.py)."""
    import asyncio

    from bot.receiving.webhook import serve_webhook

    quiet_invalid_token_tracebacks()
    asyncio.run(serve_webhook(build_application(settings), settings))


def run_background(settings: Settings) -> None:
    """`--role sender` or `fetcher`: no updates received, only the role's work, until SIGTERM."""
    import asyncio
    import signal

    quiet_invalid_token_tracebacks()

    async def serve() -> None:
        application = build_application(settings)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await application.initialize()
        try:
            await application.post_init(application)
            await application.start()
            await stop.wait()
            await application.stop()
        finally:
            await application.post_shutdown(application)
            await application.shutdown()

    asyncio.run(serve())
