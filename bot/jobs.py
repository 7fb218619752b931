"""Scheduled work of the running bot: matching new articles, building digests, the outbox sender.

* `start_alerts(application)` from post_init: the alert service's index loaded from the
  store; the matching and digest jobs; the sender, started by a job so that it runs only
  when the application runs (not in `newsbot console`), pacing itself by the bot's one send
  budget (`Services.budget`).
* `stop_alerts(application)` from post_shutdown, before the store closes: sends in flight
  finish and are marked.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot.context import NewsContext
from bot.sending.outbox import Sender
from bot.services import Services

log = logging.getLogger(__name__)


async def match_job(context: NewsContext) -> None:
    """Match articles stored since the last run (by any process) against every topic."""
    await context.alerts.match_new()


async def digest_job(context: NewsContext) -> None:
    """Build the daily digests that are due."""
    await context.alerts.run_digests()


async def sender_job(context: NewsContext) -> None:
    """Start the sender once the application runs."""
    services: Services = context.bot_data
    settings = services.settings
    request = HTTPXRequest(
        connection_pool_size=settings.alerts_in_flight + 2,
        read_timeout=settings.alerts_send_timeout,
        write_timeout=settings.alerts_send_timeout,
        connect_timeout=settings.alerts_send_timeout,
        pool_timeout=settings.alerts_send_timeout,
    )
    bot = Bot(settings.token, base_url=settings.api_base_url, request=request)
    sender = Sender(
        services.alerts, bot,
        budget=services.budget,  # the one the Application's replies are paced by: alerts share it
        rate=settings.alerts_rate,
        private_interval=settings.alerts_private_interval,
        group_interval=settings.alerts_group_interval,
        in_flight=settings.alerts_in_flight,
        max_attempts=settings.alerts_max_attempts,
        backoff=settings.alerts_backoff,
        backoff_max=settings.alerts_backoff_max,
    )
    services.alerts.sender = sender
    sender.start()


async def start_alerts(application: Application) -> None:
    services: Services = application.bot_data
    settings = services.settings
    await services.alerts.load()
    jobs = application.job_queue
    if jobs is None:
        return
    jobs.run_repeating(match_job, interval=settings.alerts_match_interval, first=0.2, name="alerts-match")
    jobs.run_repeating(digest_job, interval=settings.alerts_digest_interval, first=1.0, name="alerts-digest")
    if settings.token:
        jobs.run_once(sender_job, when=0.0, name="alerts-sender")


async def stop_alerts(application: Application) -> None:
    """Sends in flight finish (and are marked) before the store closes."""
    alerts = application.bot_data.alerts
    if alerts is not None and alerts.sender is not None:
        await alerts.sender.stop()
        await alerts.sender.bot.shutdown()
        alerts.sender = None
