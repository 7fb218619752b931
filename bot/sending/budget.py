"""One send budget for everything the bot sends: replies and alerts, under one pacer.

Telegram's limits (about 30 messages/s overall, 1/s per private chat, 20/min per group)
count every message of the bot, whichever code sent it. So there is one `SendBudget` per
bot (`Services.budget`): the Application's own requests take their slots through
`SendLimiter` (bot/sending/limiter.py) and the alert sender, which keeps its own
`telegram.Bot` so that 429s reach it, takes its slots from the same budget.

Where several processes send for one bot (a PostgreSQL store: web workers' replies, any
number of senders' alerts), each slot is also reserved in the store's shared limiter
(`Store.pace`, `share()`): the process then waits for its local slot and for the shared one,
so all of them together keep to the limits. A 429's hold (of its chat, or of everyone on
evidence of the bot-wide limit) is written there too: every process waits it out. The evidence
is shared as well: 429s for two chats, received by two processes, hold everyone.

Within the budget a reply goes first: a user waiting for /search matters more than an alert
a second later. An alert yields its slot while a reply is ready for it, but not for longer
than `ALERT_MAX_YIELD` at a time, so alerts still get through under heavy interactive load.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import time
import warnings
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from telegram.error import RetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.sending.pacer import BOT_WIDE_WINDOW, Pacer

log = logging.getLogger(__name__)

ALERT_MAX_YIELD = 2.0  # seconds an alert may be passed over for replies before it goes anyway


def retry_after_seconds(exc: RetryAfter) -> float:
    """`retry_after` in seconds, whether PTB gives it as an int (deprecated) or a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


@dataclass(eq=False)
class _Waiter:
    chat_id: Hashable | None
    interactive: bool
    ready_since: float | None = None  # since when only its turn held it back


class SendBudget:
    """The one pacer of a bot, shared by its replies and its alerts, replies first.

    Whoever waits for a slot is listed; when a slot is free it goes to the first listed
    sender whose chat may receive: an alert passed over for `max_yield` seconds, else a
    reply, else an alert (in the order they came). The others wait for the next slot."""

    def __init__(self, rate: float, private_interval: float, group_interval: float, *,
                 alert_rate: float | None = None, max_yield: float = ALERT_MAX_YIELD,
                 clock: Callable[[], float] | None = None) -> None:
        self.pacer = Pacer(rate, private_interval, group_interval, clock or time.monotonic)
        self.clock = self.pacer.clock
        self.alert_gap = 1.0 / alert_rate if alert_rate and alert_rate < rate else 0.0
        self.max_yield = max_yield
        self.stats: Counter[str] = Counter()
        self._next_alert = 0.0
        self.shared = None  # the store's PaceStore, once shared (one process alone: None)
        self._waiters: list[_Waiter] = []
        self._taken = asyncio.Event()

    @classmethod
    def from_settings(cls, settings) -> "SendBudget":
        return cls(settings.send_rate, settings.alerts_private_interval, settings.alerts_group_interval,
                   alert_rate=settings.alerts_rate)

    def share(self, pace) -> None:
        """Reserve every slot in `pace` (storage's PaceStore) too: the limiter all processes share."""
        self.shared = pace

    def held_chats(self) -> set[Hashable]:
        """The chats this process may not send to right now (their spacing, a 429)."""
        return self.pacer.held_chats()

    def ready_at(self, chat_id: Hashable | None, *, interactive: bool = False) -> float:
        """The earliest monotonic time a message to `chat_id` may go (ignoring priority)."""
        at = self.pacer.ready_at(chat_id)
        return at if interactive else max(at, self._next_alert)

    async def rate_limited(self, chat_id: Hashable | None, seconds: float) -> bool:
        """A 429 for `chat_id`: see Pacer.rate_limited, held in the shared limiter too, so
        every process waits. True if every chat now waits."""
        everyone = self.pacer.rate_limited(chat_id, seconds)
        # every 429 is counted for all processes: another may hold the other half of the evidence
        if self.shared is not None and await self._refused_everywhere(chat_id) and not everyone:
            self.pacer.hold_all(seconds)
            everyone = True
        self.stats["retry_after_all" if everyone else "retry_after_chat"] += 1
        if everyone:
            log.warning("429s for several chats: the bot's overall limit; every chat waits %.1f s", seconds)
        if self.shared is not None:
            for held in ([chat_id] if chat_id is not None else []) + ([None] if everyone else []):
                await self._hold_shared(held, seconds)
        return everyone

    async def acquire(self, chat_id: Hashable | None, chat_type: str, *, interactive: bool) -> None:
        """Wait until a message to `chat_id` may go and it is this sender's turn, then take
        the slot (with no await between the check and the taking)."""
        me = _Waiter(chat_id, interactive)
        self._waiters.append(me)
        try:
            while True:
                now = self.clock()
                at = self.ready_at(chat_id, interactive=interactive)
                if at > now:
                    await asyncio.sleep(at - now)
                elif self._first(now) is me:
                    break
                else:  # someone ahead takes this slot: look again once it has
                    taken = self._taken
                    try:
                        await asyncio.wait_for(taken.wait(), self.pacer.gap)
                    except TimeoutError:
                        pass
        finally:
            self._waiters.remove(me)
        self.pacer.take(chat_id, chat_type)
        if not interactive and self.alert_gap:
            self._next_alert = max(self._next_alert, now - 0.5 * self.alert_gap) + self.alert_gap
        self._taken.set()
        self._taken = asyncio.Event()
        if self.shared is not None:
            await self._reserve_shared(chat_id, chat_type)

    async def _reserve_shared(self, chat_id: Hashable | None, chat_type: str) -> None:
        """The slot in the shared limiter, waited for. A store that does not answer does not
        stop the bot from answering: its local pacing still holds."""
        try:
            delay = await self.shared.reserve(chat_id, self.pacer.interval(chat_type), 1.0 / self.pacer.gap)
        except Exception as exc:
            self.stats["shared_failed"] += 1
            log.warning("the shared send limiter did not answer (%s): paced by this process alone", exc,
                        exc_info=True)
            return
        if delay > 0:
            self.stats["shared_waits"] += 1
            await asyncio.sleep(delay)

    async def _refused_everywhere(self, chat_id: Hashable | None) -> bool:
        """Whether the 429s of every process together, this one counted, are evidence of the
        bot-wide limit (two chats within BOT_WIDE_WINDOW); False if the store cannot say."""
        try:
            return await self.shared.refused(chat_id, BOT_WIDE_WINDOW) >= 2
        except Exception as exc:
            self.stats["shared_failed"] += 1
            log.warning("the shared send limiter did not count a 429 (%s): judged by this process alone", exc)
            return False

    async def _hold_shared(self, chat_id: Hashable | None, seconds: float) -> None:
        """The hold in the shared limiter; a store that does not answer leaves it local."""
        try:
            await self.shared.hold(chat_id, seconds)
        except Exception as exc:
            self.stats["shared_failed"] += 1
            log.warning("the shared send limiter did not take a 429's hold (%s): held in this process alone",
                        exc, exc_info=True)

    def _first(self, now: float) -> _Waiter | None:
        """Whose turn it is among those whose chat may receive now (noting since when)."""
        reply = alert = None
        for waiter in self._waiters:
            if self.ready_at(waiter.chat_id, interactive=waiter.interactive) > now:
                continue
            if waiter.ready_since is None:
                waiter.ready_since = now
            if waiter.interactive:
                reply = reply or waiter
            elif now - waiter.ready_since >= self.max_yield:
                return waiter
            else:
                alert = alert or waiter
        return reply or alert
