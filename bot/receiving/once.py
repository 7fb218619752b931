"""Each Telegram update handled once, however often Telegram hands it out.

Telegram hands an update out until it is confirmed: to every process polling one bot, again to
a process restarted before it confirmed its last batch, and again by webhook when an answer came
too late. As updates arrive (a getUpdates batch: `drop_copies` in bot/receiving/updates.py; a
webhook POST) their ids are recorded in the store, one statement per batch, and the copies of
ids recorded before, by any process, go no further: a command is never answered twice, nor a
/subscribe replayed after the /unsubscribe that followed it. Ids are kept a day, as long as
Telegram keeps an update.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from bot.logs import log_failure
from storage import Store

log = logging.getLogger(__name__)

KEPT = 24 * 3600.0  # seconds an update's id is remembered

Fresh = Callable[[Sequence[int]], Awaitable[set[int]]]


async def fresh_updates(store: Store, bot_id: int, update_ids: Sequence[int]) -> set[int]:
    """Those of `update_ids` arriving for the first time. If the store cannot say, all of
    them: an answer given twice is better than none, and receiving must go on."""
    try:
        return await store.updates.take(bot_id, update_ids, time.time())
    except Exception as exc:  # noqa: BLE001 - whatever it is, updates keep being handled
        log_failure(log, f"recording {len(update_ids)} update(s) as taken", exc)
        return set(update_ids)


async def forget_old_updates(store: Store) -> int:
    """Forget the ids taken over a day ago (the scheduler's housekeeping)."""
    return await store.updates.forget_before(time.time() - KEPT)
