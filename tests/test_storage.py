"""The store: migrations, deduplication, transactions, summary cache. What goes through
`open_store` runs on both backends (`store_location`); SQLite's own Database stays SQLite-only."""

import sqlite3

import pytest

from bot.ingest.files import parse_article
from bot.ingest.pipeline import analyse
from storage import open_store
from storage.sqlite.articles import Articles
from storage.sqlite.db import Database, migrate

ARTICLE = "عنوان الخبر الأول\nنص الخبر الأول عن سوريا والصور.\nوكالة الأنباء"


def _new(text=ARTICLE, url=None):
    return analyse(parse_article(text), url=url)


async def test_migrations_create_schema_on_an_empty_file(tmp_path):
    path = tmp_path / "fresh.db"
    db = await Database.open(path)
    await db.close()
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table')")}
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"articles", "article_terms", "article_fts", "summaries", "schema_migrations"} <= tables
    assert versions and versions == sorted(set(versions))


async def test_migrations_rerun_on_an_existing_file_keep_the_data(tmp_path):
    path = tmp_path / "store.db"
    db = await Database.open(path)
    article_id, _ = await Articles(db).add(_new())
    await db.close()

    db = await Database.open(path)  # opening migrates again
    assert await migrate(db) == []
    stored = await Articles(db).get(article_id)
    await db.close()
    assert stored.title == "عنوان الخبر الأول"


async def test_same_content_or_same_url_is_stored_once(store_location):
    db = await open_store(store_location)
    store = db.articles
    first, created = await store.add(_new(url="https://example.com/a"))
    assert created
    # Same words with vowel marks and extra spaces: the same article.
    again, created_again = await store.add(_new(ARTICLE.replace("الخبر", "الخَبَر  ")))
    assert (again, created_again) == (first, False)
    other_text = "عنوان آخر\nنص مختلف تماماً عن الخبر الأول.\nوكالة"
    same_url, created_url = await store.add(_new(other_text, url="https://example.com/a"))
    assert (same_url, created_url) == (first, False)
    assert await store.count() == 1
    await db.close()


async def test_a_failed_transaction_leaves_nothing_behind(tmp_path):
    db = await Database.open(tmp_path / "t.db")
    store = Articles(db)
    await store.add(_new())
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("DELETE FROM articles")
            async with db.transaction() as inner:  # nested: a savepoint
                await inner.execute("DELETE FROM summaries")
            raise RuntimeError("boom")
    assert await store.count() == 1
    await db.close()


async def test_summary_cache_round_trip(store_location):
    db = await open_store(store_location)
    store = db.articles
    article_id, _ = await store.add(_new())
    assert await store.cached_summary(article_id, "k") is None
    await store.cache_summary(article_id, "k", ["جملة أولى.", "جملة ثانية."])
    assert await store.cached_summary(article_id, "k") == ["جملة أولى.", "جملة ثانية."]
    await db.close()


async def test_sentence_spans_index_the_stored_body(store_location):
    db = await open_store(store_location)
    store = db.articles
    article_id, _ = await store.add(_new("عنوان\nالجملة الأولى، وفيها فاصلة. الجملة الثانية!\nفقرة ثانية هنا.\nمصدر"))
    article = await store.get(article_id)
    [[stored]] = [batch async for batch in store.iter_for_reanalysis()]
    spans = stored.sentences
    texts = [article.body[start:end] for start, end, _ in spans]
    await db.close()
    assert texts == ["الجملة الأولى، وفيها فاصلة.", "الجملة الثانية!", "فقرة ثانية هنا."]
    assert [p for _, _, p in spans] == [0, 0, 1]


async def test_concurrent_tasks_get_separate_transactions(tmp_path):
    """One task's rollback must not undo another task's committed work on the shared connection."""
    import asyncio

    db = await Database.open(tmp_path / "tasks.db")
    store = Articles(db)
    article_id, _ = await store.add(_new())
    inside = asyncio.Event()

    async def failing() -> None:
        async with db.transaction() as conn:
            await conn.execute("DELETE FROM summaries")
            inside.set()
            await asyncio.sleep(0.05)  # the other task runs meanwhile
            raise RuntimeError("rolled back")

    async def caching() -> None:
        await inside.wait()
        await store.cache_summary(article_id, "k", ["باقية."])

    results = await asyncio.gather(failing(), caching(), return_exceptions=True)
    assert isinstance(results[0], RuntimeError) and results[1] is None
    assert await store.cached_summary(article_id, "k") == ["باقية."]
    await db.close()


async def test_a_batch_deduplicates_against_the_store_and_itself(store_location):
    db = await open_store(store_location)
    store = db.articles
    stored, _ = await store.add(_new(url="https://example.com/old"))
    other = "عنوان ثان\nنص مختلف عن كل ما سبق في هذا الاختبار.\nوكالة"
    third = "عنوان ثالث\nنص ثالث لا يشبه غيره أبداً.\nوكالة"
    results = await store.add_many([
        _new(other),
        _new(ARTICLE),                                # same content as the stored one
        _new(other.replace("مختلف", "مُخْتَلِف")),      # same as the first of this batch
        _new(third, url="https://example.com/old"),   # same URL as the stored one
        _new(third, url="https://example.com/new"),
    ])
    await db.close()
    first_id = results[0][0]
    assert results == [(first_id, True), (stored, False), (first_id, False), (stored, False), (first_id + 1, True)]
