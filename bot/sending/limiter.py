"""The Application's rate limiter: its messages paced by the bot's one SendBudget.

Failures of the Application's requests (the alert sender has its own, durable retries):
* 429: the chat is held for `retry_after` (everyone only on evidence of the bot-wide limit,
  see bot/sending/pacer.py), and the request is made again, up to `RETRY_AFTER_RETRIES` times.
* No answer, or a 5xx, to a request a user waits for (a message, an edit, the answer to a
  button or an inline query): retried with backoff for up to `NETWORK_RETRY_WINDOW` s, so
  a short outage delays a reply instead of losing it. Where the request may have reached
  Telegram (read timeout, connection dropped after sending) it is repeated at most once:
  a reply may then arrive twice, which beats never. Connect errors, pool timeouts and 5xx
  answers mean it did not arrive, and are retried freely within the window.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Coroutine, Hashable
from typing import Any

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import BaseRateLimiter

from bot.sending.budget import SendBudget, retry_after_seconds

log = logging.getLogger(__name__)

RETRY_AFTER_RETRIES = 3
NETWORK_RETRY_WINDOW = 15.0  # seconds of outage a reply survives
NETWORK_BACKOFF = 0.5  # first wait after a network error; doubles, at most 4 s
MAYBE_DELIVERED_REPEATS = 1
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


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
                    await self.budget.rate_limited(chat_id, seconds)
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
