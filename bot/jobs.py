"""Scheduled work of the running bot: matching new articles, building digests, the outbox sender.

* `start_alerts(application)` from post_init: while this process holds the scheduler role,
  the alert service's index loaded from the store and following topic changes as they are
  announced (`TopicFollower`); the matching, digest and housekeeping jobs; with a
  token, the sender, started by a job so that it runs only when the application runs, pacing
  itself by the bot's one send budget (`Services.budget`).
* `start_sender(services, bot, budget)`: the outbox sender, for Telegram (that job) and
  for `newsbot console`, which gives it a bot over its own request and an unpaced budget.
  Where the store shares claims (`store.outbox.shared_claims`: PostgreSQL) every `sender`
  process sends, each claiming its items; else one at a time holds the `sender` role.
* `stop_alerts(application)` from post_shutdown, before the store closes: sends in flight
  finish and are marked.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.error import TelegramError
from telegram.ext import Application
from telegram.request import HTTPXRequest

from bot.alerts.service import Alerts
from bot.context import NewsContext
from bot.logs import log_failure
from bot.receiving.once import forget_old_updates
from bot.render.sources import render_paused
from bot.roles import SCHEDULER, SENDER, Duties, Leadership, process_name
from bot.sending.budget import SendBudget
from bot.sending.outbox import Sender
from bot.services import Services

log = logging.getLogger(__name__)

LEASE_MIN = 5.0  # seconds: the shortest claim of an outbox item
HOUSEKEEPING_EVERY = 300.0  # seconds between two prunings of the topic change log and taken updates
FOLLOW_WAIT = 30.0  # seconds the topic follower waits for an announcement before looking anyway
FOLLOW_RETRY = 2.0  # seconds it rests after the store failed it


class TopicFollower:
    """While this process matches: its topic index follows changes made by any process as the
    store announces them, so it is current within about a second even when no article
    arrives. Only a wake-up: each match pass still reads the changes first."""

    def __init__(self, alerts: Alerts) -> None:
        self.alerts = alerts
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="alerts-follow-topics")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.alerts.follow_announced(FOLLOW_WAIT)
            except Exception as exc:  # the match pass still follows; try again in a moment
                log_failure(log, "alerts: following topic changes", exc)
                await asyncio.sleep(FOLLOW_RETRY)


def _scheduling(context: NewsContext) -> bool:
    """Whether this process runs the scheduled work now (it holds the scheduler role)."""
    leadership = context.services.leadership
    return leadership is not None and leadership.holds(SCHEDULER)


async def match_job(context: NewsContext) -> None:
    """Match articles stored since the last run (by any process) against every topic."""
    if _scheduling(context):
        await context.alerts.match_new()


async def housekeeping_job(context: NewsContext) -> None:
    """Keep the store's logs bounded, once for all processes: the topic change log (only the
    matcher reads it) and the ids of updates taken a day ago."""
    if _scheduling(context):
        await context.alerts.prune_topic_changes()
        await forget_old_updates(context.services.store)


async def digest_job(context: NewsContext) -> None:
    """Build the daily digests that are due."""
    if _scheduling(context):
        await context.alerts.run_digests()


async def sender_job(context: NewsContext) -> None:
    """Start the sender once the application runs, over its own HTTP pool to Telegram."""
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
    # the budget the Application's replies are paced by: alerts share it
    start_sender(services, bot, services.budget)


def start_sender(services: Services, bot: Bot, budget: SendBudget | None,
                 only_chats: frozenset[int] | None = None) -> None:
    """The outbox sender, delivering through `bot` (to `only_chats`, or all); `stop_alerts` stops it."""
    settings = services.settings
    sender = Sender(
        services.alerts, bot,
        budget=budget,
        rate=settings.alerts_rate,
        private_interval=settings.alerts_private_interval,
        group_interval=settings.alerts_group_interval,
        in_flight=settings.alerts_in_flight,
        max_attempts=settings.alerts_max_attempts,
        backoff=settings.alerts_backoff,
        backoff_max=settings.alerts_backoff_max,
        only_chats=only_chats,
        # The console's sender delivers only to its own chat, which no bot process sends to;
        # where claims are shared (PostgreSQL) any number of senders send, else the role holder.
        may_send=None if only_chats is not None or services.store.outbox.shared_claims else _holds_sender(services),
        holder=services.leadership.name if services.leadership is not None else process_name(),
        lease=claim_lease(settings.alerts_send_timeout),
    )
    services.alerts.sender = sender
    sender.start()


async def feeds_job(context: NewsContext) -> None:
    """Poll the sources that are due; tell the admins once about a source that got paused."""
    if not _scheduling(context):
        return
    services: Services = context.bot_data
    for report in await services.feeds.poll_due():
        if report.paused:
            await notify_paused(context, report.source.id)


async def notify_paused(context: NewsContext, source_id: int) -> None:
    services: Services = context.bot_data
    source = await services.store.sources.get(source_id)
    if source is None or source.pause_notified:
        return
    for admin in sorted(services.settings.admin_ids):
        chat = await services.store.chats.get(admin)  # the language the admin last used, if known
        try:
            for text in render_paused(source, chat.language if chat else "ar"):
                await context.bot.send_message(admin, text, parse_mode="HTML", disable_web_page_preview=True)
        except TelegramError as exc:  # an admin who never started the bot, or blocked it
            log.warning("could not tell admin %s that source %d is paused: %s", admin, source.id, exc)
    await services.store.sources.mark_pause_notified(source.id)


def claim_lease(send_timeout: float) -> float:
    """How long a sender's claim lasts: a few send timeouts (a send plus its wait for a slot),
    so a killed sender's items go out again that long after it died."""
    return max(LEASE_MIN, 4 * send_timeout)


def _holds_sender(services: Services):
    def may_send() -> bool:
        return services.leadership is not None and services.leadership.holds(SENDER)
    return may_send


async def start_alerts(application: Application) -> None:
    """The scheduled work and the sender, as far as this process's role has them, each behind
    the shared role that keeps it to one process at a time (bot/roles.py)."""
    services: Services = application.bot_data
    settings = services.settings
    duties = Duties.of(settings.role)
    follower = TopicFollower(services.alerts)

    async def gained(role: str) -> None:
        # Only the scheduler matches, so only it needs the topic index: built when the role is
        # taken (at start for a single process), fresh after another process held it, and
        # following changes from then on.
        if role == SCHEDULER:
            await services.alerts.load()
            follower.start()

    async def lost(role: str) -> None:
        if role == SCHEDULER:
            await follower.stop()

    # One sender at a time only where the store cannot keep senders apart by claims (SQLite).
    single_sender = duties.sends and not services.store.outbox.shared_claims
    roles = ((SCHEDULER,) if duties.schedules else ()) + ((SENDER,) if single_sender else ())
    if services.budget is not None:  # replies and alerts of every process under one limiter
        services.budget.share(services.store.pace)
    services.leadership = Leadership(services.store.leases, roles, on_gained=gained, on_lost=lost)
    await services.leadership.start()
    jobs = application.job_queue
    if jobs is None:
        return
    if duties.schedules:
        jobs.run_repeating(match_job, interval=settings.alerts_match_interval, first=0.2, name="alerts-match")
        jobs.run_repeating(digest_job, interval=settings.alerts_digest_interval, first=1.0, name="alerts-digest")
        jobs.run_repeating(housekeeping_job, interval=HOUSEKEEPING_EVERY, first=HOUSEKEEPING_EVERY,
                           name="housekeeping")
        jobs.run_repeating(feeds_job, interval=settings.fetch_check_interval, first=1.0, name="feeds-poll")
    if settings.token and duties.sends:
        jobs.run_once(sender_job, when=0.0, name="alerts-sender")


async def stop_alerts(application: Application) -> None:
    """Sends in flight finish (and are marked) before the store closes; roles are given up."""
    services: Services = application.bot_data
    if services.leadership is not None:
        await services.leadership.stop()
        services.leadership = None
    alerts = services.alerts
    if alerts is not None and alerts.sender is not None:
        await alerts.sender.stop()
        await alerts.sender.bot.shutdown()
        alerts.sender = None
