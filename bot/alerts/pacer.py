"""Spacing sends under Telegram's flood limits, without bursts.

Telegram allows about 30 messages a second overall, one a second to a private chat and 20 a
minute to a group. Rather than a bucket that lets a burst through (and bursts again after a
pause), every send is given a slot: slots overall are 1/rate apart, and slots for one chat
are its interval apart. A 429 holds the chat (and everything) for `retry_after`; after it,
sending resumes at the same spacing.
"""

from __future__ import annotations

import time
from collections.abc import Callable

GROUP_TYPES = frozenset({"group", "supergroup", "channel"})


class Pacer:
    def __init__(self, rate: float, private_interval: float, group_interval: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.gap = 1.0 / rate
        self.private_interval = private_interval
        self.group_interval = group_interval
        self.clock = clock
        self._next_overall = 0.0
        self._next_chat: dict[int, float] = {}
        self._held_until = 0.0

    def ready_at(self, chat_id: int) -> float:
        """The earliest monotonic time a message to `chat_id` may go."""
        return max(self._next_overall, self._held_until, self._next_chat.get(chat_id, 0.0))

    def take(self, chat_id: int, chat_type: str) -> None:
        """A message to `chat_id` goes now: reserve the spacing after it."""
        now = self.clock()
        # A wake-up a little late does not shift every later slot: up to half a gap is
        # made up, which keeps the average rate without ever putting two sends closer
        # than half a gap.
        self._next_overall = max(self._next_overall, now - 0.5 * self.gap) + self.gap
        interval = self.group_interval if chat_type in GROUP_TYPES else self.private_interval
        self._next_chat[chat_id] = now + interval
        if len(self._next_chat) > 10_000:
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}

    def hold(self, chat_id: int, seconds: float) -> None:
        """Nothing to `chat_id` for `seconds` (a 429's retry_after)."""
        self._next_chat[chat_id] = max(self._next_chat.get(chat_id, 0.0), self.clock() + seconds)

    def hold_all(self, seconds: float) -> None:
        """Nothing to anyone for `seconds`: a 429 may be the bot's overall limit."""
        self._held_until = max(self._held_until, self.clock() + seconds)
