"""Topic alerts in the Application: the service in bot_data, jobs and the sender.

* `start_alerts(application)` from post_init: the service over the open store, its index
  loaded; the matching and digest jobs; the sender, started by a job so that it runs only
  when the application runs (not in `newsbot console`), pacing itself by the send budget of
  the Application's rate limiter.
* `stop_alerts(application)` from post_shutdown, before the store closes: sends in flight
  finish and are marked.
"""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot.alerts.sender import Sender
from bot.alerts.service import Alerts
from bot.context import BotState, NewsContext

log = logging.getLogger(__name__)


async def match_job(context: NewsContext) -> None:
    """Match articles stored since the last run (by any process) against every topic."""
    await context.alerts.match_new()


async def digest_job(context: NewsContext) -> None:
    """Build the daily digests that are due."""
    await context.alerts.run_digests()


async def sender_job(context: NewsContext) -> None:
    """Start the sender once the application runs."""
    state: BotState = context.bot_data
    settings = state.settings
    request = HTTPXRequest(
        connection_pool_size=settings.alerts_in_flight + 2,
        read_timeout=settings.alerts_send_timeout,
        write_timeout=settings.alerts_send_timeout,
        connect_timeout=settings.alerts_send_timeout,
        pool_timeout=settings.alerts_send_timeout,
    )
    bot = Bot(settings.token, base_url=settings.api_base_url, request=request)
    # The budget the Application's replies are paced by (bot/sending.py): alerts share it.
    budget = getattr(context.application.bot.rate_limiter, "budget", None)
    sender = Sender(
        state.alerts, bot,
        budget=budget,
        rate=settings.alerts_rate,
        private_interval=settings.alerts_private_interval,
        group_interval=settings.alerts_group_interval,
        in_flight=settings.alerts_in_flight,
        max_attempts=settings.alerts_max_attempts,
        backoff=settings.alerts_backoff,
        backoff_max=settings.alerts_backoff_max,
    )
    state.alerts.sender = sender
    sender.start()


async def start_alerts(application: Application) -> None:
    state: BotState = application.bot_data
    settings = state.settings
    alerts = Alerts(state.services.alerts, state.services.articles, state.services.summaries,
                    max_topics=settings.alerts_max_topics)
    await alerts.load()
    state.alerts = alerts
    jobs = application.job_queue
    if jobs is None:
        return
    jobs.run_repeating(match_job, interval=settings.alerts_match_interval, first=0.2, name="alerts-match")
    jobs.run_repeating(digest_job, interval=settings.alerts_digest_interval, first=1.0, name="alerts-digest")
    if settings.token:
        jobs.run_once(sender_job, when=0.0, name="alerts-sender")


async def stop_alerts(application: Application) -> None:
    state: BotState = application.bot_data
    alerts = state.alerts
    if alerts is None:
        return
    if alerts.sender is not None:
        await alerts.sender.stop()
        await alerts.sender.bot.shutdown()
        alerts.sender = None
    state.alerts = None
