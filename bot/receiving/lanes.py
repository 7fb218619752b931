"""Updates handled concurrently across chats, in order within each chat.

PTB handles one update at a time unless told otherwise, so a reply waiting for its chat's
send slot (or a 429 of a flooding chat) held up every other user. `PerChatUpdates` gives each
chat its own lane: a chat's updates run one after another, in the order they came; different
chats' run side by side, at most `max_running` at once. Updates without a chat (inline
queries) are keyed by their user; those with neither run unkeyed.

A chat that sends faster than it can be answered (its replies are paced, bot/sending/budget.py) does
not grow a backlog without end: beyond `max_waiting` updates waiting in its lane, the next
ones are dropped (logged once per burst). Memory and the send budget spent on one chat stay
bounded, and everyone else is served meanwhile.

Handlers therefore run concurrently. They share the one store connection, whose
transactions belong to the task that began them (storage/sqlite/db.py), and per-chat state is only
ever touched by one handler at a time.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Hashable
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

log = logging.getLogger(__name__)

MAX_RUNNING = 64  # handlers running at once, across all chats
MAX_WAITING = 10  # updates one chat may have waiting behind the one being handled
MAX_ADMITTED = 4096  # updates PTB hands over at once (running, waiting, being dropped)


def lane_of(update: object) -> Hashable | None:
    """The chat an update belongs to; its user if it has no chat; None if neither."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


@dataclass
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    pending: int = 0  # the one running and those waiting
    dropped: int = 0  # in the current burst


class PerChatUpdates(BaseUpdateProcessor):
    """PTB's update processor, one ordered lane per chat (see the module docstring)."""

    def __init__(self, max_running: int = MAX_RUNNING, max_waiting: int = MAX_WAITING,
                 max_admitted: int = MAX_ADMITTED) -> None:
        super().__init__(max_admitted)
        self.max_running = max_running
        self.max_waiting = max_waiting
        self.dropped = 0
        self._running = asyncio.Semaphore(max_running)
        self._lanes: dict[Hashable, _Lane] = {}

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release: PTB waits for the updates being handled."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = lane_of(update)
        if key is None:
            async with self._running:
                await coroutine
            return
        lane = self._lanes.get(key)
        if lane is None:
            lane = self._lanes[key] = _Lane()
        if lane.pending > self.max_waiting:
            self._drop(key, lane, coroutine)
            return
        lane.pending += 1
        try:
            async with lane.lock, self._running:  # the lane's turn first, then a running slot
                await coroutine
        finally:
            lane.pending -= 1
            if lane.pending == 0:
                del self._lanes[key]
                if lane.dropped:
                    log.warning("chat %s: flood over, %d update(s) dropped", key, lane.dropped)

    def _drop(self, key: Hashable, lane: _Lane, coroutine: Awaitable[Any]) -> None:
        lane.dropped += 1
        self.dropped += 1
        if lane.dropped == 1:
            log.warning("chat %s sends faster than it can be answered: %d updates wait; dropping more "
                        "until they are handled", key, lane.pending)
        close = getattr(coroutine, "close", None)
        if close is not None:
            close()  # never awaited: say so, or Python warns about it
