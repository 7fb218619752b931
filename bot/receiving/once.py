"""Each Telegram update handled once, however often Telegram hands it out.

Telegram hands an update out until it is confirmed: to every process polling one bot, again to
a process restarted before it confirmed its last batch, and again by webhook when an answer came
too late. The first process to record the update's id in the store handles it; every copy after
is handled by no one, so a command is never answered twice nor a /subscribe replayed after the
/unsubscribe that followed it. Ids are kept a day: Telegram keeps an update no longer.
"""

from __future__ import annotations

import logging
import time

from storage import Store, is_store_failure

log = logging.getLogger(__name__)

KEPT = 24 * 3600.0  # seconds an update's id is remembered


async def first_delivery(store: Store, bot_id: int, update_id: int) -> bool:
    """Whether this is the first time the update is taken. A store that cannot say lets it be
    handled: an answer given twice is better than none."""
    try:
        return await store.updates.take(bot_id, update_id, time.time())
    except Exception as exc:
        if not is_store_failure(exc):
            raise
        log.warning("update %d: could not record it (%s); handling it anyway", update_id, exc)
        return True


async def forget_old_updates(store: Store) -> int:
    """Forget the ids taken over a day ago (the scheduler's housekeeping)."""
    return await store.updates.forget_before(time.time() - KEPT)
