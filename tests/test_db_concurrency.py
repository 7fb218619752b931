"""Several processes on one store: they migrate it once between them, and writers wait for
each other instead of failing with "database is locked" (which deferred alerts by minutes)."""

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storage.sqlite.db import Database
from tests.support import ROOT
from tests.support.bot_process import bot_env, clean_env
from tests.support.generated_news import NOUNS
from tests.support.waiting import assert_quiet_async, await_until

CHATS = list(range(6101, 6121))
PER_INGEST, MATCHING_EVERY = 200, 8  # 25 matching articles in each ingest


def _environ(db: Path) -> dict:
    return clean_env(NEWSBOT_DB=str(db), PYTHONPATH=str(ROOT))


@pytest.mark.e2e
def test_processes_starting_together_on_a_fresh_store_migrate_it_once(tmp_path):
    for trial in range(10):
        db = tmp_path / f"fresh-{trial}.db"
        processes = [subprocess.Popen([sys.executable, "-m", "bot.cli", "search", "anything"], cwd=tmp_path,
                                      env=_environ(db), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True, start_new_session=True) for _ in range(5)]
        results = []
        for process in processes:
            try:
                _, err = process.communicate(timeout=60)
                results.append((process.returncode, err))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                results.append(("hung", process.communicate()[1]))
        failed = [(status, err[-400:]) for status, err in results if status != 0]
        assert not failed, f"trial {trial}: {failed}"
        with sqlite3.connect(db) as conn:
            counts = conn.execute("SELECT version, count(*) FROM schema_migrations GROUP BY version").fetchall()
        assert counts and all(n == 1 for _, n in counts), counts


async def test_a_writer_waits_for_another_process_lock_while_its_reads_go_on(tmp_path):
    """The lock is waited for asynchronously: the waiting connection still answers reads."""
    path = tmp_path / "shared.db"
    db = await Database.open(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holds the write lock for 2 s
    begins = _count_begins(db)
    try:
        writer = asyncio.create_task(_write_once(db))
        # a second BEGIN: the first found the lock taken, the writer is in its wait
        await await_until(lambda: len(begins) >= 2, 5, "the writer to try the lock twice")
        started = time.monotonic()
        assert await asyncio.wait_for(db.fetchvalue("SELECT count(*) FROM articles"), 5) == 0
        read_took = time.monotonic() - started
        assert read_took < 0.5, f"a read waited {read_took:.2f} s behind the lock wait"
        await assert_quiet_async(writer.done, 1.5, "the writer finished while the lock was held elsewhere")
        assert not writer.done()
        other.execute("COMMIT")
        await asyncio.wait_for(writer, 5)
    finally:
        other.close()
        await db.close()


def _count_begins(db: Database) -> list[str]:
    """The BEGIN statements `db` sends from now on (a spy on its connection's `execute`)."""
    begins: list[str] = []
    execute = db.conn.execute

    def spy(sql, *args, **kwargs):
        if sql.lstrip().upper().startswith("BEGIN"):
            begins.append(sql)
        return execute(sql, *args, **kwargs)

    db.conn.execute = spy
    return begins


async def _write_once(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO search_pages (chat_id, query) VALUES (1, 'q')")


def _articles(folder: Path, batch: int) -> int:
    """Generated articles; every MATCHING_EVERY-th one mentions the harbour. Returns how many do."""
    folder.mkdir()
    matching = 0
    for n in range(PER_INGEST):
        topic = "harbour" if n % MATCHING_EVERY == 0 else f"orchard{batch}x{n}"
        matching += topic == "harbour"
        words = random.Random(f"{batch}-{n}").sample(NOUNS, 24)  # each its own story (bot/stories)
        (folder / f"{n:04d}.txt").write_text(
            f"Batch {batch} report {n} about the {topic}\n"
            f"Officials said the {topic} plan number {n} of batch {batch} moves ahead this week. "
            f"Residents of district {n * 7 + batch} asked for details about item {n}. "
            f"It covers the {', the '.join(words)}.\nWire", encoding="utf-8")
    return matching


UNPACED = {"private_rate": None, "overall_rate": None}


@pytest.mark.e2e
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
@pytest.mark.parametrize("standin", [UNPACED], indirect=True)
def test_two_ingests_and_the_bot_on_one_store_deliver_alerts_in_seconds(standin, bot, tmp_path):
    # Unpaced, so that the sender reads and writes the store as fast as it can while the ingests
    # write it; backoff_max is the default: a store error must not defer an alert that long.
    bot.start(NEWSBOT_ALERTS_BACKOFF_MAX="300", NEWSBOT_SEND_RATE="1000", NEWSBOT_ALERTS_RATE="1000",
              NEWSBOT_ALERTS_PRIVATE_INTERVAL="0", NEWSBOT_ALERTS_IN_FLIGHT="16")
    ingests, outputs = [], []
    try:
        for chat in CHATS:
            standin.push_message(chat, "/subscribe harbour", language_code="en")
        for chat in CHATS:
            standin.wait_for_messages(chat, 1, timeout=30)
        matching = sum(_articles(tmp_path / f"batch{b}", b) for b in (1, 2))
        started = time.monotonic()
        ingests = [subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", str(tmp_path / f"batch{b}")],
                                    cwd=tmp_path, env=bot_env(standin, bot.db), stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, text=True) for b in (1, 2)]
        outputs = [p.communicate(timeout=120)[0] for p in ingests]
        ingested = time.monotonic() - started
        for process, output in zip(ingests, outputs):
            assert process.returncode == 0, output[-2000:]
            assert f"{PER_INGEST} added" in output, output[-2000:]
        for chat in CHATS:  # within 30 s of the ingests' end, unless something was deferred
            standin.wait_for_messages(chat, 1 + matching, timeout=max(1.0, started + ingested + 30 - time.monotonic()))
        delivered = time.monotonic() - started
    finally:
        for process in ingests:
            if process.poll() is None:
                process.kill()
        bot.stop()
    log = bot.read_log()
    for text in [log, *outputs]:
        assert "database is locked" not in text and "store is busy" not in text, text[-3000:]
    assert "Traceback" not in log, log[-3000:]
    for chat in CHATS:
        alerts = standin.messages_for(chat)[1:]
        assert len(alerts) == matching and all("harbour" in a.plain_text for a in alerts)
    print(f"\n{2 * PER_INGEST} articles ingested by two processes in {ingested:.1f} s;"
          f" {matching * len(CHATS)} alerts delivered {delivered:.1f} s after the ingests began")


HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


@pytest.mark.e2e
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_writers_wait_out_another_process_holding_the_lock_longer_than_the_busy_timeout(standin, bot, tmp_path):
    """A long write transaction elsewhere (a bulk job) outlasting SQLite's busy timeout: the
    ingest and the bot wait for it, and the alerts follow within seconds of its end."""
    bot.start(NEWSBOT_ALERTS_BACKOFF_MAX="300")
    holder = ingest = None
    try:
        standin.push_message(CHATS[0], "/subscribe harbour", language_code="en")
        standin.wait_for_messages(CHATS[0], 1, timeout=30)
        folder = tmp_path / "batch"
        folder.mkdir()
        for n in range(20):
            topic = "harbour" if n % 4 == 0 else f"orchard{n}"
            (folder / f"{n:02d}.txt").write_text(f"Report {n} about the {topic}\nThe {topic} plan {n} moves ahead "
                                                 f"this week, officials said.\nWire", encoding="utf-8")
        holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(bot.db), "12"], stdout=subprocess.PIPE, text=True)
        assert holder.stdout.readline().strip() == "held"
        ingest = subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", str(folder)], cwd=tmp_path,
                                  env=bot_env(standin, bot.db), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        standin.push_message(CHATS[1], "/search harbour", language_code="en")
        holder.wait(timeout=30)
        released = time.monotonic()
        output = ingest.communicate(timeout=90)[0]
        assert ingest.returncode == 0 and "20 added" in output, output[-2000:]
        alerts = standin.wait_for_messages(CHATS[0], 1 + 5, timeout=20)[1:]
        arrived = time.monotonic() - released
        reply = standin.wait_for_messages(CHATS[1], 1, timeout=10)[0]
    finally:
        for process in (holder, ingest):
            if process is not None and process.poll() is None:
                process.kill()
        bot.stop()
    assert all("harbour" in a.plain_text for a in alerts)
    assert "Something went wrong" not in reply.plain_text
    log = bot.read_log()
    for text in (log, output):
        assert "database is locked" not in text, text[-3000:]
    assert "Traceback" not in log, log[-3000:]
    print(f"\n5 alerts arrived {arrived:.1f} s after a 12 s lock was released")
