"""Transactions on the one shared SQLite connection, as sqlite-utils runs them: a rollback only
while a transaction is open, a failed COMMIT rolled back, and no task reading another task's
uncommitted rows."""

import asyncio
import sqlite3

import pytest

from storage.sqlite import db as sqlite_db
from storage.sqlite.db import Database

INSERT = "INSERT INTO search_pages (chat_id, query) VALUES (?, ?)"
COUNT = "SELECT count(*) FROM search_pages"


@pytest.fixture
async def db(tmp_path):
    db = await Database.open(tmp_path / "tx.db")
    yield db
    await db.close()


async def _still_usable(db: Database) -> None:
    """Not left inside a transaction: the next BEGIN IMMEDIATE works and its write commits."""
    assert not db.conn.in_transaction
    async with db.transaction() as conn:
        await conn.execute(INSERT, (1, "after"))
    assert [tuple(r) for r in await db.fetchall("SELECT chat_id, query FROM search_pages")] == [(1, "after")]


@pytest.mark.parametrize("nested", [False, True])
async def test_an_error_that_ended_the_transaction_itself_is_the_error_raised(db, nested):
    """RAISE(ROLLBACK) (like SQLITE_FULL or an I/O error) ends the transaction inside the
    statement; a ROLLBACK TO / ROLLBACK after it must not raise and hide that error."""
    await db.conn.execute("CREATE TEMP TRIGGER refuse BEFORE INSERT ON search_pages WHEN new.chat_id = 666"
                          " BEGIN SELECT RAISE(ROLLBACK, 'refused by the trigger'); END")
    with pytest.raises(sqlite3.IntegrityError, match="refused by the trigger"):
        async with db.transaction() as conn:
            await conn.execute(INSERT, (2, "rolled back with the rest"))
            if nested:
                async with db.transaction() as inner:  # a savepoint, gone with the transaction
                    await inner.execute(INSERT, (666, "refused"))
            else:
                await conn.execute(INSERT, (666, "refused"))
    await _still_usable(db)


async def test_a_commit_refused_by_a_deferred_constraint_is_rolled_back(db):
    """A COMMIT that fails leaves SQLite's transaction open: it is rolled back, not left behind."""
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        async with db.transaction() as conn:
            await conn.execute(INSERT, (3, "rolled back with the topic"))
            await conn.execute("PRAGMA defer_foreign_keys = ON")  # checked at COMMIT, which fails
            await conn.execute("INSERT INTO alert_topics (chat_id, query, since_article) VALUES (404, 'q', 0)")
    assert await db.fetchvalue("SELECT count(*) FROM alert_topics") == 0
    await _still_usable(db)


@pytest.mark.parametrize("sqlite_rolled_back", [False, True])
async def test_a_commit_still_busy_after_its_retries_is_rolled_back(db, monkeypatch, sqlite_rolled_back):
    """The COMMIT retry loop gives up at LOCK_WAIT_S, and its last failure ends the transaction
    too. A busy COMMIT whose transaction SQLite already rolled back is not retried: the error
    raised is "locked", not "cannot commit - no transaction is active"."""
    monkeypatch.setattr(sqlite_db, "LOCK_WAIT_S", 0.3)
    execute = db.conn.execute
    commits = 0

    async def locked_commit(sql, *args):
        nonlocal commits
        if sql == "COMMIT" and db.conn.in_transaction:
            commits += 1
            if sqlite_rolled_back:
                await execute("ROLLBACK")
            raise sqlite3.OperationalError("database is locked")
        return await execute(sql, *args)

    monkeypatch.setattr(db.conn, "execute", locked_commit)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        async with db.transaction() as conn:
            await conn.execute(INSERT, (4, "never committed"))
    monkeypatch.setattr(db.conn, "execute", execute)
    assert commits == 1 if sqlite_rolled_back else commits > 1  # retried while there was something to commit
    await _still_usable(db)


async def test_reads_from_another_task_wait_for_an_open_transaction(db):
    """The owner reads its own writes; another task's fetchall/fetchone/fetchvalue wait for the
    end of the transaction and so never see rows that are then rolled back."""
    order: list[str] = []
    written = asyncio.Event()

    async def writer(commit: bool) -> None:
        async with db.transaction() as conn:
            await conn.execute(INSERT, (5, "uncommitted"))
            async with db.transaction() as inner:
                await inner.execute(INSERT, (5, "in a savepoint"))
                assert await db.fetchvalue(COUNT) == 2  # the owner sees its own writes
            written.set()
            await asyncio.sleep(0.2)  # the reader runs meanwhile
            order.append("writer ends")
            if not commit:
                raise RuntimeError("rolled back")

    async def reader() -> tuple:
        await written.wait()
        found = (await db.fetchvalue(COUNT), len(await db.fetchall("SELECT * FROM search_pages")),
                 (await db.fetchone(COUNT))[0])
        order.append("reader read")
        return found

    results = await asyncio.gather(writer(commit=False), reader(), return_exceptions=True)
    assert isinstance(results[0], RuntimeError) and results[1] == (0, 0, 0)
    written.clear()
    results = await asyncio.gather(writer(commit=True), reader())
    assert results[1] == (2, 2, 2)
    assert order == ["writer ends", "reader read"] * 2
