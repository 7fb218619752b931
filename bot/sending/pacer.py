"""Spacing sends under Telegram's flood limits, without bursts.

Telegram allows about 30 messages a second overall, one a second to a private chat and 20 a
minute to a group. Rather than a bucket that lets a burst through (and bursts again after a
pause), every send is given a slot: slots overall are 1/rate apart, and slots for one chat
are its interval apart. After a hold, sending resumes at the same spacing.

A 429 holds its chat for `retry_after`. It holds every chat only on evidence that the limit
hit is the bot's overall one: 429s for two different chats within `BOT_WIDE_WINDOW` seconds.
One chat answered 429 again and again (a chat-level limit we cannot see, or a stuck chat)
therefore slows that chat alone. "A 429 although we kept the chat's interval" is not taken as
evidence: that is exactly what such a chat looks like. Since the pacer keeps every chat to
its interval and everything to `rate`, two chats limited at once means the budget itself was
exceeded (another process on the same token, a lower limit than assumed): then all wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable

GROUP_TYPES = frozenset({"group", "supergroup", "channel"})
BOT_WIDE_WINDOW = 3.0  # seconds: 429s for two distinct chats this close mean the overall limit


class Pacer:
    def __init__(self, rate: float, private_interval: float, group_interval: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.gap = 1.0 / rate
        self.private_interval = private_interval
        self.group_interval = group_interval
        self.clock = clock
        self._next_overall = 0.0
        self._next_chat: dict[Hashable, float] = {}
        self._held_until = 0.0
        self._recent_429: dict[Hashable, float] = {}

    def chat_ready_at(self, chat_id: Hashable | None) -> float:
        """The earliest monotonic time the chat's own spacing (and any hold of all) allows."""
        own = 0.0 if chat_id is None else self._next_chat.get(chat_id, 0.0)
        return max(self._held_until, own)

    def overall_ready_at(self) -> float:
        """The earliest monotonic time the overall spacing allows a send to anyone."""
        return max(self._next_overall, self._held_until)

    def ready_at(self, chat_id: Hashable | None) -> float:
        """The earliest monotonic time a message to `chat_id` may go."""
        return max(self.overall_ready_at(), self.chat_ready_at(chat_id))

    def take(self, chat_id: Hashable | None, chat_type: str) -> None:
        """A message to `chat_id` goes now: reserve the spacing after it."""
        now = self.clock()
        # A wake-up a little late does not shift every later slot: up to half a gap is
        # made up, which keeps the average rate without ever putting two sends closer
        # than half a gap.
        self._next_overall = max(self._next_overall, now - 0.5 * self.gap) + self.gap
        if chat_id is None:  # e.g. an inline message: only the overall limit applies
            return
        interval = self.interval(chat_type)
        self._next_chat[chat_id] = max(self._next_chat.get(chat_id, 0.0), now + interval)
        if len(self._next_chat) > 10_000:
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}

    def interval(self, chat_type: str) -> float:
        """The spacing of messages to one chat of this type."""
        return self.group_interval if chat_type in GROUP_TYPES else self.private_interval

    def held_chats(self) -> set[Hashable]:
        """The chats their own spacing (or a 429) keeps from receiving right now."""
        now = self.clock()
        return {chat for chat, at in self._next_chat.items() if at > now}

    def hold(self, chat_id: Hashable, seconds: float) -> None:
        """Nothing to `chat_id` for `seconds` (a 429's retry_after)."""
        self._next_chat[chat_id] = max(self._next_chat.get(chat_id, 0.0), self.clock() + seconds)

    def hold_all(self, seconds: float) -> None:
        """Nothing to anyone for `seconds`: the bot's overall limit was hit."""
        self._held_until = max(self._held_until, self.clock() + seconds)

    def rate_limited(self, chat_id: Hashable | None, seconds: float) -> bool:
        """Telegram answered 429 for `chat_id`: hold that chat, and everyone if it is bot-wide.

        A 429 without a chat (an inline query's answer) holds nobody by itself but counts as
        a distinct source. True when every chat is held (the rule in the module docstring)."""
        now = self.clock()
        if chat_id is not None:
            self.hold(chat_id, seconds)
        recent = {c: t for c, t in self._recent_429.items() if now - t <= BOT_WIDE_WINDOW}
        recent[chat_id] = now
        self._recent_429 = recent
        if len(recent) >= 2:
            self.hold_all(seconds)
            return True
        return False
