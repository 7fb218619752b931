"""Each Telegram update is taken once across the processes of one store (bot/receiving/once.py),
on each backend. Two stores opened on one location are two processes."""

import asyncio
import json
import sqlite3
import time
from functools import partial

import pytest

from bot.receiving.once import KEPT, forget_old_updates, fresh_updates
from bot.receiving.updates import drop_copies
from storage import open_store

BOT = 123456


@pytest.fixture
async def two(store_location):
    first, second = await open_store(store_location), await open_store(store_location)
    yield first, second
    await second.close()
    await first.close()


def _batch(*update_ids: int) -> bytes:
    """A getUpdates response, as Telegram sends it."""
    return json.dumps({"ok": True, "result": [
        {"update_id": u, "message": {"message_id": u, "date": 1, "text": "/help",
                                     "chat": {"id": 1, "type": "private"}}} for u in update_ids]}).encode()


async def test_an_update_is_taken_the_first_time_only_and_per_bot(two):
    store, _ = two
    assert await fresh_updates(store, BOT, [100_000_001, 100_000_002]) == {100_000_001, 100_000_002}
    assert await fresh_updates(store, BOT, [100_000_002, 100_000_003]) == {100_000_003}
    assert await fresh_updates(store, BOT, [100_000_001]) == set()
    assert await fresh_updates(store, BOT + 1, [100_000_001]) == {100_000_001}  # another bot's
    assert await fresh_updates(store, BOT, []) == set()


async def test_two_processes_taking_overlapping_batches_at_once_take_each_update_once(two):
    """Two pollers handed the same unconfirmed batches, a few updates at a time."""
    batches = [list(range(start, start + 5)) for start in range(1, 400, 3)]  # each overlaps the next

    async def take_all(store):
        taken = []
        for batch in batches:
            taken += await fresh_updates(store, BOT, batch)
        return taken

    mine, theirs = await asyncio.gather(*(take_all(s) for s in two))
    every = {u for batch in batches for u in batch}
    assert sorted(mine + theirs) == sorted(every)  # each by exactly one of them, none lost


async def test_a_batch_keeps_its_new_updates_and_cuts_copies_to_their_ids(two):
    store, other = two
    first = json.loads(await drop_copies(_batch(1, 2), partial(fresh_updates, store, BOT)))
    assert [u["message"]["text"] for u in first["result"]] == ["/help", "/help"]
    again = json.loads(await drop_copies(_batch(1, 2, 3), partial(fresh_updates, other, BOT)))
    assert again["result"][:2] == [{"update_id": 1}, {"update_id": 2}]  # confirmed, handled by no one
    assert again["result"][2]["message"]["text"] == "/help"
    not_updates = b'{"ok": false, "error_code": 409, "description": "Conflict"}'
    assert await drop_copies(not_updates, partial(fresh_updates, store, BOT)) == not_updates
    assert await drop_copies(b"<html>", partial(fresh_updates, store, BOT)) == b"<html>"


async def test_ids_are_forgotten_after_a_day_and_only_then(two):
    store, other = two
    now = time.time()
    assert await store.updates.take(BOT, [1], now - KEPT - 60) == {1}  # taken a day and a minute ago
    assert await store.updates.take(BOT, [2], now - 60) == {2}
    assert await forget_old_updates(other) == 1
    assert await fresh_updates(store, BOT, [1, 2]) == {1}  # Telegram hands out no update that old


async def test_a_store_that_cannot_record_lets_the_updates_be_handled(tmp_path, monkeypatch, caplog):
    """Another process keeps the file locked past the wait (shortened here): the updates are
    handled all the same, and the log says why they could not be recorded."""
    import storage.sqlite.db

    monkeypatch.setattr(storage.sqlite.db, "LOCK_WAIT_S", 0.3)
    path = tmp_path / "locked.db"
    store = await open_store(path)
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        assert await fresh_updates(store, BOT, [7, 8]) == {7, 8}
        assert "recording 2 update(s) as taken failed" in caplog.text and "locked" in caplog.text
        other.execute("ROLLBACK")
        assert await fresh_updates(store, BOT, [7]) == {7}  # nothing was recorded: now it is
        assert await fresh_updates(store, BOT, [7]) == set()
    finally:
        other.close()
        await store.close()
