"""The sender: drains the outbox into Telegram, paced, marking each alert sent once accepted.

Delivery guarantee. An alert is marked sent in the store right after Telegram accepted it,
and only then. A process killed at any moment therefore loses nothing (whatever was not
marked is sent again after restart) and repeats at most the alerts that were in flight:
accepted by Telegram but not yet marked. At most `in_flight` sends run at once, never two
to the same chat, so that is the most a kill can repeat.

Claims. The sender takes its work by claiming chats' heads in the store
(`OutboxStore.claim`, for `lease` seconds: a few times the send timeout); marking an item
ends its claim. Any number of senders on a store with shared claims (PostgreSQL) thus never
send one item twice, a chat never gets two at once, and a killed sender's claims are taken
over when their lease runs out. Where claims are not shared (SQLite) one process sends,
holding the `sender` role (`may_send`, bot/roles.py). A claim held too long in the send
budget (a hold for everyone) is given back unsent rather than risk a second sender.

The sender talks to Telegram through its own `telegram.Bot`, without the application's
rate limiter: a 429 reaches this code instead of being retried out of sight. Its slots come
from the bot's one `SendBudget` (bot/sending/budget.py), shared with the interactive replies, which
go first: everything the bot sends stays under one overall rate and one spacing per chat.

Failures, by kind:
* 429 RetryAfter: the chat waits `retry_after`; the same alert is then sent again. Nothing
  is counted against it. Other chats go on: every chat waits only when 429s for two chats
  within a few seconds show the bot's overall limit (bot/sending/pacer.py). Either hold is
  also written to the shared limiter, so every process waits it out.
* 403 Forbidden (blocked, kicked): the chat is deactivated, its waiting alerts dropped with
  the reason; /start brings it back.
* ChatMigrated: topics and waiting alerts move to the supergroup, and delivery goes on there.
* 400 BadRequest: retried with backoff, then parked with the reason after `max_attempts`.
* Timeouts and network errors: retried with exponential backoff (with jitter), durably:
  the next attempt time is in the store. A timeout can hide an accepted send, so this is the
  one other way an alert can repeat.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import Counter
from collections.abc import Callable

from telegram import Bot
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    RetryAfter,
    TelegramError,
)

from bot.alerts.service import Alerts
from bot.render.alerts import highlight, render_alert
from bot.render.defaults import MESSAGE_DEFAULTS
from bot.render.keyboards import alert_keyboard
from bot.sending.budget import SendBudget, retry_after_seconds
from storage import (
    Delivery,
    DigestState,
    Due,
    OutboxState,
    is_busy,
)

log = logging.getLogger(__name__)

IDLE_POLL = 1.0
LEASE_SAFE = 0.5  # the part of its lease a claimed item may wait for its slot before it goes
BUSY_POLL = 0.05  # chats wait only for their spacing or a send to finish: look again soon


class _LeaseRunOut(Exception):
    """The claim of the item about to be sent may have run out: it is not sent."""


class Sender:
    """`budget`: the bot's shared SendBudget; without one (a sender on its own, as in the
    benchmarks) it paces itself at `rate` with the given per-chat intervals. `only_chats`: the
    chats it delivers to (the console's own), None for all."""

    def __init__(self, alerts: Alerts, bot: Bot, *, in_flight: int, max_attempts: int, backoff: float,
                 backoff_max: float, budget: SendBudget | None = None, rate: float = 28.0,
                 private_interval: float = 1.0, group_interval: float = 3.0,
                 only_chats: frozenset[int] | None = None, may_send: Callable[[], bool] | None = None,
                 holder: str = "sender", lease: float = 60.0) -> None:
        self.only_chats = only_chats
        self.holder = holder  # who claims, as other senders see it (bot/roles.py process_name)
        self.lease = lease
        self.may_send = may_send  # None: always; else whether this process holds the sending role now
        self.alerts = alerts
        self.store = alerts.store
        self.bot = bot
        self.budget = budget or SendBudget(rate, private_interval, group_interval)
        self.in_flight = in_flight
        self.max_attempts = max_attempts
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.stats: Counter[str] = Counter()
        self._busy: set[int] = set()
        self._reported = (0, 0)
        self._claimed_at: dict[int, float] = {}  # chat: when its claim was taken (budget clock)
        self._tasks: set[asyncio.Task] = set()
        self._stopping = False
        self._runner: asyncio.Task | None = None

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        self._runner = asyncio.get_running_loop().create_task(self.run(), name="alerts-sender")

    async def stop(self, timeout: float = 10.0) -> None:
        """Finish the sends in flight (so they get marked), then stop."""
        self._stopping = True
        self.alerts.outbox_changed.set()
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=timeout)
        if self._runner is not None:
            self._runner.cancel()
            try:
                await self._runner
            except asyncio.CancelledError:
                pass
        for task in set(self._tasks):
            task.cancel()

    async def run(self) -> None:
        while not self._stopping:
            try:
                await self.bot.initialize()
                break
            except TelegramError as exc:
                log.warning("alerts sender cannot reach Telegram yet: %s", exc)
                await asyncio.sleep(self.backoff)
        while not self._stopping:
            try:
                delay = await self._step()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("alerts sender step failed")
                delay = IDLE_POLL
            if delay > 0 and not self._stopping:
                try:
                    await asyncio.wait_for(self.alerts.outbox_changed.wait(), delay)
                except TimeoutError:
                    pass

    async def _step(self) -> float:
        """Start the next send if one is due and allowed; else say how long to wait."""
        self.alerts.outbox_changed.clear()
        if self.may_send is not None and not self.may_send():
            return IDLE_POLL  # another process sends (bot/roles.py); take over if it stops
        free = self.in_flight - len(self._tasks)
        if free <= 0:
            return IDLE_POLL  # a finishing send sets outbox_changed
        wait = self.budget.ready_at(None) - self.budget.clock()
        if wait > 0:  # no slot for any alert yet: claim nothing that would only wait
            return wait
        heads = await self.store.outbox.claim(self.holder, time.time(), free, self.lease,
                                              only_chats=self.only_chats,
                                              skip_chats=self._busy | self.budget.held_chats())
        if not heads:
            self._report()
            upcoming = await self.store.outbox.next_attempt_at()
            if upcoming is None:
                return IDLE_POLL
            return min(IDLE_POLL, max(BUSY_POLL, upcoming - time.time()))
        for head in heads:
            self._busy.add(head.chat_id)
            task = asyncio.get_running_loop().create_task(self._deliver(head, self.budget.clock()))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return 0.0

    def _report(self) -> None:
        """Once nothing more is to be claimed: what this sender delivered so far, if that changed."""
        done = (self.stats["sent"], self.stats["digest_parts"])
        if done != self._reported and not self._tasks:
            self._reported = done
            log.info("alerts sender %s: %d alerts and %d digest parts sent so far", self.holder, *done)

    # ------------------------------------------------------------------ one delivery
    async def _deliver(self, head: Due, claimed_at: float) -> None:
        self._claimed_at[head.chat_id] = claimed_at
        try:
            if head.kind == Delivery.ALERT:
                await self._send_alert(head)
            else:
                await self._send_digest_part(head)
        except _LeaseRunOut:
            self.stats["lease_run_out"] += 1
            log.warning("alerts: %s %s waited longer than its claim lasts: given back unsent", head.kind, head.id)
        except Exception as exc:  # a bug or a store error: back off this item, keep going
            # A busy store (another process writing) passes in seconds: retry soon, not minutes later.
            busy = is_busy(exc)
            if busy:
                log.warning("alerts: delivering %s %s: the store is busy (%s); retrying", head.kind, head.id, exc)
            else:
                log.exception("alerts: delivering %s %s failed", head.kind, head.id)
            delay = self._backoff(1) if busy else self.backoff_max
            try:
                await self._queue(head).mark_retry(head.id, repr(exc), time.time() + delay)
            except Exception:
                log.exception("alerts: could not record the failure")
        finally:
            try:  # a marked item's claim has ended already: then this changes nothing
                await self.store.outbox.release(self.holder, head)
            except Exception as exc:  # the lease runs out by itself
                log.warning("alerts: could not give back the claim of %s %s: %s", head.kind, head.id, exc,
                            exc_info=True)
            self._busy.discard(head.chat_id)
            self._claimed_at.pop(head.chat_id, None)
            self.alerts.outbox_changed.set()

    def _queue(self, head: Due):
        """Where a due item lives: the outbox (an alert) or the digests."""
        return self.store.outbox if head.kind == Delivery.ALERT else self.store.digests

    async def _send(self, head: Due, chat_id: int, text: str, markup=None, thread_id: int | None = None):
        """Wait for the chat's slot (behind any reply waiting for one), take it, send."""
        await self.budget.acquire(head.chat_id, head.chat_type, interactive=False)
        if self.budget.clock() - self._claimed_at.get(head.chat_id, self.budget.clock()) > LEASE_SAFE * self.lease:
            raise _LeaseRunOut  # another sender may have it by now
        return await self.bot.send_message(
            chat_id=chat_id, text=text, reply_markup=markup, message_thread_id=thread_id,
            parse_mode=MESSAGE_DEFAULTS.parse_mode, link_preview_options=MESSAGE_DEFAULTS.link_preview_options,
        )

    async def _send_alert(self, head: Due) -> None:
        item = await self.store.outbox.get(head.id)
        if item is None or item.state != OutboxState.PENDING:
            return
        if not await self.alerts.live_topics(item):  # unfollowed meanwhile, maybe by another process
            await self.store.outbox.mark_dropped(item.id, "its topics were removed or paused")
            self.stats["dropped"] += 1
            return
        content = await self.alerts.alert_content(item)
        if content is None:
            await self.store.outbox.mark_parked(item.id, "the article is no longer stored")
            self.stats["parked"] += 1
            return
        why = [highlight(query, stems, stems) for _, query, stems in content.topics]
        text = render_alert(content.article, content.summary, why, head.language)
        markup = alert_keyboard(item.id, [(topic_id, query) for topic_id, query, _ in content.topics], head.language)
        try:
            message = await self._send(head, item.chat_id, text, markup, item.thread_id)
        except TelegramError as exc:
            await self._failed(head, item.attempts, exc)
            return
        await self.store.outbox.mark_sent(item.id, message.message_id)  # a busy store is waited for there
        self.stats["sent"] += 1

    async def _send_digest_part(self, head: Due) -> None:
        digest = await self.store.digests.get(head.id)
        if digest is None or digest.state != DigestState.PENDING:
            return
        part = digest.parts_sent
        try:
            await self._send(head, digest.chat_id, digest.parts[part])
        except TelegramError as exc:
            await self._failed(head, digest.attempts, exc)
            return
        await self.store.digests.mark_part_sent(digest.id, part, part + 1 == len(digest.parts))
        self.stats["digest_parts"] += 1

    def _backoff(self, attempts: int) -> float:
        return min(self.backoff_max, self.backoff * 2 ** max(0, attempts - 1)) * random.uniform(1.0, 1.1)

    async def _failed(self, head: Due, attempts: int, exc: TelegramError) -> None:
        chat_id = head.chat_id
        if isinstance(exc, RetryAfter):
            seconds = retry_after_seconds(exc)
            everyone = await self.budget.rate_limited(chat_id, seconds)
            await self.store.outbox.release(self.holder, head, hold=seconds)  # no sender tries sooner
            self.stats["retry_after"] += 1
            log.warning("alerts: 429 for chat %s, waiting %.1f s%s", chat_id, seconds,
                        " (and every chat)" if everyone else "")
        elif isinstance(exc, ChatMigrated):
            self.stats["migrated"] += 1
            await self.alerts.migrate(chat_id, exc.new_chat_id)
        elif isinstance(exc, Forbidden):
            self.stats["forbidden"] += 1
            await self.alerts.deactivate(chat_id, exc.message)
        elif isinstance(exc, BadRequest) and attempts + 1 >= self.max_attempts:
            self.stats["parked"] += 1
            log.error("alerts: %s %s parked after %d attempts: %s", head.kind, head.id, attempts + 1, exc.message)
            await self._queue(head).mark_parked(head.id, exc.message)
        else:  # BadRequest below the limit, timeouts, network errors, 5xx
            self.stats["bad_request" if isinstance(exc, BadRequest) else "transient"] += 1
            delay = self._backoff(attempts + 1)
            log.warning("alerts: %s %s to chat %s failed (%s: %s); retry in %.1f s",
                        head.kind, head.id, chat_id, type(exc).__name__, exc.message, delay)
            await self._queue(head).mark_retry(head.id, f"{type(exc).__name__}: {exc.message}",
                                        time.time() + delay)
