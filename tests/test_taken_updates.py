"""Each Telegram update is taken once across the processes of one store (bot/receiving/once.py),
on each backend. Two stores opened on one location are two processes."""

import asyncio
import sqlite3
import time

import pytest

from bot.receiving.once import KEPT, first_delivery, forget_old_updates
from storage import open_store

BOT = 123456


@pytest.fixture
async def two(store_location):
    first, second = await open_store(store_location), await open_store(store_location)
    yield first, second
    await second.close()
    await first.close()


async def test_an_update_is_taken_the_first_time_only_and_per_bot(two):
    store, _ = two
    assert await first_delivery(store, BOT, 100_000_001)
    assert not await first_delivery(store, BOT, 100_000_001)
    assert await first_delivery(store, BOT + 1, 100_000_001)  # another bot's update of that id
    assert await first_delivery(store, BOT, 100_000_002)


async def test_two_processes_taking_the_same_updates_at_once_take_each_once(two):
    ids = range(1, 201)

    async def take_all(store):
        return [u for u in ids if await first_delivery(store, BOT, u)]

    mine, theirs = await asyncio.gather(*(take_all(s) for s in two))
    assert sorted(mine + theirs) == list(ids)  # each by exactly one of them
    assert not set(mine) & set(theirs)


async def test_ids_are_forgotten_after_a_day_and_only_then(two):
    store, other = two
    now = time.time()
    assert await store.updates.take(BOT, 1, now - KEPT - 60)  # taken a day and a minute ago
    assert await store.updates.take(BOT, 2, now - 60)
    assert await forget_old_updates(other) == 1
    assert await first_delivery(store, BOT, 1)  # Telegram no longer hands out an update that old
    assert not await first_delivery(store, BOT, 2)


async def test_a_store_that_cannot_record_lets_the_update_be_handled(tmp_path, monkeypatch, caplog):
    """Another process keeps the file locked past the wait (shortened here): the update is
    answered all the same, and the log says why it could not be recorded."""
    import storage.sqlite.db

    monkeypatch.setattr(storage.sqlite.db, "LOCK_WAIT_S", 0.3)
    path = tmp_path / "locked.db"
    store = await open_store(path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        assert await first_delivery(store, BOT, 7)
        assert "update 7: could not record it" in caplog.text and "locked" in caplog.text
        other.execute("ROLLBACK")
        assert await first_delivery(store, BOT, 7)  # nothing was recorded: now it is
        assert not await first_delivery(store, BOT, 7)
    finally:
        other.close()
        await store.close()
