"""One send budget for everything the bot sends: replies and alerts, under one pacer.

Telegram's limits (about 30 messages/s overall, 1/s per private chat, 20/min per group)
count every message of the bot, whichever code sent it. So there is one `SendBudget` per
Application: the Application's own requests go through `SendLimiter` (PTB's rate limiter
hook, in place of AIORateLimiter) and the alert sender, which keeps its own `telegram.Bot`
so that 429s reach it, takes its slots from the same budget (bot/alerts/sender.py).

Within the budget a reply goes first: a user waiting for /search matters more than an alert
a second later. An alert yields its slot while a reply is ready for it, but not for longer
than `ALERT_MAX_YIELD` at a time, so alerts still get through under heavy interactive load.

Failures of the Application's requests (the alert sender has its own, durable retries):
* 429: the chat is held for `retry_after` (everyone only on evidence of the bot-wide limit,
  see bot/alerts/pacer.py), and the request is made again, up to `RETRY_AFTER_RETRIES` times.
* No answer, or a 5xx, to a request a user waits for (a message, an edit, the answer to a
  button or an inline query): retried with backoff for up to `NETWORK_RETRY_WINDOW` s, so
  a short outage delays a reply instead of losing it. Where the request may have reached
  Telegram (read timeout, connection dropped after sending) it is repeated at most once:
  a reply may then arrive twice, which beats never. Connect errors, pool timeouts and 5xx
  answers mean it did not arrive, and are retried freely within the window.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import logging
import random
import time
import warnings
from collections import Counter
from collections.abc import Callable, Coroutine, Hashable
from dataclasses import dataclass
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

from bot.alerts.pacer import Pacer

log = logging.getLogger(__name__)

ALERT_MAX_YIELD = 2.0  # seconds an alert may be passed over for replies before it goes anyway
RETRY_AFTER_RETRIES = 3
NETWORK_RETRY_WINDOW = 15.0  # seconds of outage a reply survives
NETWORK_BACKOFF = 0.5  # first wait after a network error; doubles, at most 4 s
MAYBE_DELIVERED_REPEATS = 1
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def retry_after_seconds(exc: RetryAfter) -> float:
    """`retry_after` in seconds, whether PTB gives it as an int (deprecated) or a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def chat_of(data: dict[str, Any]) -> tuple[Hashable | None, str]:
    """The chat a request goes to and its kind, from `chat_id` alone: users are positive,
    groups negative, `@name` is a channel."""
    raw = data.get("chat_id")
    if raw is None:
        return None, "private"
    try:
        chat_id = int(raw)
    except (TypeError, ValueError):
        return str(raw), "channel"
    return chat_id, "private" if chat_id > 0 else "group"


def is_paced(endpoint: str) -> bool:
    """Requests that put a message in a chat count against the flood limits; answers to
    callback and inline queries, lookups and chat actions do not."""
    name = endpoint.lower()
    return name.startswith(("send", "edit", "copy", "forward")) and name != "sendchataction"


def is_reply(endpoint: str) -> bool:
    """Requests a user waits for, retried through a short outage; start-up calls (getMe,
    setMyCommands) are not, so an unreachable Bot API is reported at once."""
    return is_paced(endpoint) or endpoint.lower().startswith("answer")


def maybe_delivered(exc: NetworkError) -> bool:
    """Whether a request that failed this way may still have reached Telegram."""
    cause = exc.__cause__
    if isinstance(cause, _NOT_SENT):
        return False
    if isinstance(exc, TimedOut):
        return True
    return cause is not None  # None: an HTTP error answer (5xx), so Telegram did not take it


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
        self._waiters: list[_Waiter] = []
        self._taken = asyncio.Event()

    @classmethod
    def from_settings(cls, settings) -> "SendBudget":
        return cls(settings.send_rate, settings.alerts_private_interval, settings.alerts_group_interval,
                   alert_rate=settings.alerts_rate)

    def ready_at(self, chat_id: Hashable | None, *, interactive: bool = False) -> float:
        """The earliest monotonic time a message to `chat_id` may go (ignoring priority)."""
        at = self.pacer.ready_at(chat_id)
        return at if interactive else max(at, self._next_alert)

    def rate_limited(self, chat_id: Hashable | None, seconds: float) -> bool:
        """A 429 for `chat_id`: see Pacer.rate_limited. True if every chat now waits."""
        everyone = self.pacer.rate_limited(chat_id, seconds)
        self.stats["retry_after_all" if everyone else "retry_after_chat"] += 1
        if everyone:
            log.warning("429s for several chats: the bot's overall limit; every chat waits %.1f s", seconds)
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


class SendLimiter(BaseRateLimiter[int]):
    """The Application's rate limiter: its messages paced by the shared budget, a 429 held
    per chat and retried, a short network outage retried (see the module docstring).

    Without a budget (`newsbot console`, which talks to no Telegram) nothing is paced."""

    def __init__(self, budget: SendBudget | None, *, retries: int = RETRY_AFTER_RETRIES,
                 network_window: float = NETWORK_RETRY_WINDOW, backoff: float = NETWORK_BACKOFF) -> None:
        self.budget = budget
        self.retries = retries
        self.network_window = network_window
        self.backoff = backoff

    async def initialize(self) -> None:
        """Nothing to set up: the budget lives as long as the Application."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        budget = self.budget if is_paced(endpoint) else None
        chat_id, chat_type = chat_of(data)
        loop = asyncio.get_running_loop()
        started = loop.time()
        retries = rate_limit_args if rate_limit_args is not None else self.retries
        limited = repeats = failures = 0
        while True:
            if budget is not None:
                await budget.acquire(chat_id, chat_type, interactive=True)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as exc:
                seconds = retry_after_seconds(exc)
                if self.budget is not None:
                    self.budget.rate_limited(chat_id, seconds)
                if limited >= retries:
                    log.warning("%s to chat %s: still 429 after %d retries", endpoint, chat_id, limited)
                    raise
                limited += 1
                log.info("%s to chat %s: 429, again in %.1f s", endpoint, chat_id, seconds)
                if budget is None or chat_id is None:  # otherwise acquire() waits out the hold
                    await asyncio.sleep(seconds)
            except BadRequest:  # a NetworkError subclass, but final
                raise
            except NetworkError as exc:
                if not is_reply(endpoint):
                    raise
                failures += 1
                delay = min(4.0, self.backoff * 2 ** (failures - 1)) * random.uniform(1.0, 1.2)
                doubtful = maybe_delivered(exc)
                if (doubtful and repeats >= MAYBE_DELIVERED_REPEATS
                        or loop.time() - started + delay > self.network_window):
                    raise
                repeats += doubtful
                log.warning("%s to chat %s failed (%s: %s); again in %.1f s", endpoint, chat_id,
                            type(exc).__name__, exc.message, delay)
                await asyncio.sleep(delay)
