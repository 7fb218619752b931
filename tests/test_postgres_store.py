"""PostgreSQL-specific guarantees of the alert, digest, source and story table groups: what
READ COMMITTED and several processes on one database would break without row locks and
compare-and-set. Two `Database` pools on one database stand for two processes."""

import asyncio
import re

import asyncpg
import pytest

from storage.postgres.chats import Chats
from storage.postgres.db import Database
from storage.postgres.digests import Digests
from storage.postgres.matching import Matching
from storage.postgres.outbox import Outbox
from storage.postgres.sources import Sources
from storage.postgres.stats import Stats
from storage.postgres.stories import Stories
from storage.postgres.topics import Topics
from storage.types import (
    Match,
    OutboxKind,
    OutboxState,
    PollResult,
    PollStatus,
    TopicAdded,
)


@pytest.fixture
async def two(postgres_location):
    """Two pools ("processes") on one fresh, migrated database."""
    first = await Database.open(postgres_location)
    second = await Database.open(postgres_location)
    try:
        yield first, second
    finally:
        await first.close()
        await second.close()


async def add_articles(db: Database, n: int, story_of=lambda i: i) -> list[int]:
    """`n` articles with terms, written with plain SQL; story_of(id) gives the story id (None:
    not grouped yet)."""
    ids = []
    for _ in range(n):
        async with db.transaction() as conn:
            article_id = await conn.fetchval(
                "INSERT INTO articles (content_hash, title, language, body) VALUES"
                " (md5(random()::text), 'عنوان', 'ar', 'نص') RETURNING id")
            await conn.execute("UPDATE articles SET story_id = $1 WHERE id = $2", story_of(article_id), article_id)
            await conn.execute(
                "INSERT INTO article_terms (article_id, title_words, body_words, title_stems, body_stems,"
                " sentences, search) VALUES ($1, 'عنوان', 'نص', 'عنو', 'نص', '[]', ''::tsvector)", article_id)
        ids.append(article_id)
    return ids


async def live_topic(db: Database, chat_id: int, query: str = "q") -> tuple[tuple[int, str]]:
    """A topic of `chat_id` (made if need be), as a Match's `topics`: matches name live topics."""
    _, topic = await Topics(db).add(chat_id, query, max_topics=50)
    return ((topic.id, query),)


async def test_concurrent_adds_from_two_processes_never_exceed_max_topics(two):
    first, second = two
    await Chats(first).ensure(1, "private", "ar")
    topics = (Topics(first), Topics(second))
    for attempt in range(3):  # several rounds: one lucky interleaving would not show a race
        results = await asyncio.gather(*(
            topics[i % 2].add(1, f"موضوع {attempt} {i}", max_topics=3 * (attempt + 1)) for i in range(16)))
        assert [r for r, _ in results].count(TopicAdded.ADDED) == 3
        assert [r for r, _ in results].count(TopicAdded.FULL) == 13
        assert len(await topics[0].of_chat(1)) == 3 * (attempt + 1)


async def test_concurrent_adds_of_one_query_store_it_once(two):
    first, second = two
    await Chats(first).ensure(1, "private", "ar")
    results = await asyncio.gather(*(Topics(db).add(1, "سوريا", max_topics=5) for db in (first, second) * 4))
    assert sorted(r for r, _ in results) == sorted([TopicAdded.ADDED] + [TopicAdded.EXISTS] * 7)
    assert len({t.id for _, t in results}) == 1
    assert [t.query for t in await Topics(second).of_chat(1)] == ["سوريا"]


async def test_record_matches_with_a_stale_cursor_writes_nothing(two):
    first, second = two
    ids = await add_articles(first, 3)
    await Chats(first).ensure(1, "private", "ar")
    await Chats(first).ensure(2, "private", "ar")
    _, topic = await Topics(first).add(1, "سوريا", max_topics=5)
    assert await Matching(first).record_matches(0, ids[0], [Match(1, ids[0], ((topic.id, "سوريا"),))]) == 1
    # A second matcher that read the cursor before the first moved it.
    assert await Matching(second).record_matches(0, ids[2], [Match(2, ids[1], ((topic.id, "سوريا"),))]) is None
    assert await Matching(second).cursor() == ids[0]
    assert [(i.chat_id, i.article_id) for i in await Outbox(second).items()] == [(1, ids[0])]


async def test_two_matchers_racing_from_one_cursor_queue_once(two):
    first, second = two
    ids = await add_articles(first, 2)
    for chat in range(1, 21):
        await Chats(first).ensure(chat, "private", "ar")
    topics = await live_topic(first, 1)
    matches = [Match(chat, ids[0], topics) for chat in range(1, 21)]
    results = await asyncio.gather(Matching(first).record_matches(0, ids[0], matches),
                                   Matching(second).record_matches(0, ids[1], matches))
    assert sorted(results, key=lambda r: r is None) == [20, None]
    assert len(await Outbox(first).items()) == 20
    assert await Matching(first).cursor() == (ids[0] if results[0] is not None else ids[1])


async def test_one_alert_per_chat_and_story_and_digest_chats_get_digest_items(two):
    first, _ = two
    ids = await add_articles(first, 3, story_of=lambda i: None)
    for article_id in ids:  # all three one story: the first's
        await first.execute("UPDATE articles SET story_id = $1 WHERE id = $2", (ids[0], article_id))
    chats = Chats(first)
    await chats.ensure(1, "private", "ar")
    await chats.ensure(2, "group", "en")
    await chats.set_digest(2, "08:00", "2026-01-01T05:00:00Z")
    await chats.ensure(3, "private", "ar")
    await chats.deactivate(3, "blocked")
    topics = await live_topic(first, 1)
    matches = [Match(c, a, topics) for a in ids for c in (1, 2, 3, 4)]
    assert await Matching(first).record_matches(0, ids[-1], matches) == 2
    items = await Outbox(first).items()
    assert [(i.chat_id, i.article_id, i.kind) for i in items] == [(1, ids[0], OutboxKind.INSTANT),
                                                                  (2, ids[0], OutboxKind.DIGEST)]
    assert items[0].topics == topics


async def test_concurrent_ensure_of_one_chat(two):
    first, second = two
    results = await asyncio.gather(*(Chats(db).ensure(42, "group", lang)
                                     for db, lang in zip((first, second) * 6, ["ar", "en"] * 6, strict=True)))
    assert {r.chat_id for r in results} == {42}
    assert await first.fetchvalue("SELECT count(*) FROM alert_chats WHERE chat_id = 42") == 1
    assert (await Chats(second).get(42)).language in {"ar", "en"}


async def _migration_fixture(db: Database) -> dict:
    ids = await add_articles(db, 3)
    chats, topics = Chats(db), Topics(db)
    await chats.ensure(-1, "group", "ar")
    await chats.set_language(-1, "group", "en")
    await chats.set_digest(-1, "09:30", "2026-01-01T06:30:00Z")
    await chats.ensure(-100, "supergroup", "ar")
    _, kept = await topics.add(-1, "سوريا", max_topics=5)
    await topics.add(-1, "لبنان", max_topics=5)
    await topics.add(-100, "لبنان", max_topics=5)  # the new chat's copy wins
    matches = [Match(-1, ids[0], ((kept.id, "سوريا"),)), Match(-1, ids[1], ((kept.id, "سوريا"),)),
               Match(-100, ids[1], ((kept.id, "سوريا"),))]
    await Matching(db).record_matches(0, ids[-1], matches)
    digest = await Digests(db).create(-1, [(await Outbox(db).items(-1))[0].id], ["<b>x</b>"], None)
    return {"ids": ids, "digest": digest}


async def _snapshot(db: Database) -> tuple:
    return (await db.fetchall("SELECT chat_id, chat_type, chosen_language, digest_time FROM alert_chats ORDER BY 1"),
            await db.fetchall("SELECT id, chat_id, query FROM alert_topics ORDER BY id"),
            await db.fetchall("SELECT id, chat_id, state, last_error FROM alert_outbox ORDER BY id"),
            await db.fetchall("SELECT id, chat_id, state FROM alert_digests ORDER BY id"))


async def test_migrate_moves_settings_topics_and_waiting_alerts(two):
    first, second = two
    made = await _migration_fixture(first)
    await Chats(first).migrate(-1, -100)
    assert await Chats(second).get(-1) is None
    new = await Chats(second).get(-100)
    assert (new.chat_type, new.language, new.digest_time) == ("supergroup", "ar", None)  # its own settings kept
    assert sorted(t.query for t in await Topics(second).of_chat(-100)) == ["سوريا", "لبنان"]
    items = {(i.chat_id, i.article_id): i.state for i in await Outbox(second).items()}
    assert items[(-100, made["ids"][1])] == OutboxState.PENDING
    assert items[(-1, made["ids"][1])] == OutboxState.DROPPED  # already queued there
    assert (await Digests(second).get(made["digest"])).chat_id == -100


async def test_migrate_is_all_or_nothing_and_invisible_until_committed(two):
    first, second = two
    await _migration_fixture(first)
    before = await _snapshot(second)
    # A failure at its last statement (deleting the old chat) must undo every earlier one.
    await first.execute(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no'; END $$")
    await first.execute("CREATE TRIGGER refuse BEFORE DELETE ON alert_chats FOR EACH ROW EXECUTE FUNCTION refuse()")
    with pytest.raises(asyncpg.RaiseError):
        await Chats(first).migrate(-1, -100)
    assert await _snapshot(second) == before
    await first.execute("DROP TRIGGER refuse ON alert_chats")

    # Blocked half-way (another process holds a digest row): nothing of it is visible yet.
    async with second.pool.acquire() as holder, holder.transaction():
        await holder.execute("SELECT 1 FROM alert_digests WHERE chat_id = -1 FOR UPDATE")
        moving = asyncio.create_task(Chats(first).migrate(-1, -100))
        for _ in range(100):
            waiting = await second.fetchvalue(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
            if waiting:
                break
            await asyncio.sleep(0.02)
        assert waiting, "migrate never reached the locked digest"
        assert await _snapshot(second) == before
    await moving
    assert await Chats(second).get(-1) is None
    assert {t.chat_id for t in await Topics(second).all()} == {-100}


async def test_migrate_and_topic_adds_racing_keep_max_topics(two):
    first, second = two
    chats = Chats(first)
    await chats.ensure(-1, "group", "ar")
    await chats.ensure(-100, "supergroup", "ar")
    for n in range(2):
        await Topics(first).add(-1, f"قديم {n}", max_topics=3)
    results = await asyncio.gather(chats.migrate(-1, -100),
                                   *(Topics(second).add(-100, f"جديد {n}", max_topics=3) for n in range(4)),
                                   return_exceptions=True)
    assert not [r for r in results if isinstance(r, BaseException)]
    # Adds serialise with the move on the new chat's row: never more than three from adds after it.
    added = [r for r, _ in results[1:]].count(TopicAdded.ADDED)
    assert len(await Topics(first).of_chat(-100)) == 2 + added
    assert added <= 3


async def test_digest_create_is_all_or_nothing_across_processes(two):
    first, second = two
    ids = await add_articles(first, 3)
    await Chats(first).ensure(5, "private", "ar")
    await Chats(first).set_digest(5, "07:00", None)
    topics = await live_topic(first, 5)
    await Matching(first).record_matches(0, ids[-1], [Match(5, a, topics) for a in ids])
    items = [i.id for i in await Digests(first).waiting_items(5)]
    assert len(items) == 3
    results = await asyncio.gather(Digests(first).create(5, items, ["a"], "2026-01-02T07:00:00Z"),
                                   Digests(second).create(5, items[1:], ["b"], "2026-01-03T07:00:00Z"))
    winner = [r for r in results if r is not None]
    assert len(winner) == 1
    assert await first.fetchvalue("SELECT count(*) FROM alert_digests") == 1
    assert {i.state for i in await Outbox(first).items(5)} == {OutboxState.DIGESTED}
    assert await Digests(first).create(5, items[:1], ["c"], None) is None  # no longer waiting


async def test_digest_parts_retries_and_heads(two):
    first, _ = two
    ids = await add_articles(first, 2)
    await Chats(first).ensure(5, "private", "ar")
    await Chats(first).set_digest(5, "07:00", None)
    topics = await live_topic(first, 5)
    await Matching(first).record_matches(0, ids[-1], [Match(5, a, topics) for a in ids])
    digest_id = await Digests(first).create(5, [i.id for i in await Digests(first).waiting_items(5)], ["١", "٢"], None)
    outbox, digests = Outbox(first), Digests(first)
    [head] = await outbox.claim("peek", 0.0, 10, 30.0)  # the sender's way to the heads
    assert (head.kind, head.id) == ("digest", digest_id)
    await outbox.release("peek", head)
    assert await digests.mark_retry(digest_id, "x" * 600, 100.0) == 1
    assert await outbox.claim("peek", 99.0, 10, 30.0) == [] and await outbox.next_attempt_at() == 100.0
    await digests.mark_part_sent(digest_id, 0, False)
    await digests.mark_part_sent(digest_id, 0, False)  # only once per part
    await digests.mark_part_sent(digest_id, 1, True)
    got = await digests.get(digest_id)
    assert (got.parts, got.parts_sent, got.attempts, got.state) == (("١", "٢"), 2, 0, "sent")
    sent_at = await first.fetchvalue("SELECT sent_at FROM alert_digests WHERE id = $1", (digest_id,))
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", sent_at), sent_at


async def test_sources_stories_and_stats_values(two):
    first, _ = two
    ids = await add_articles(first, 3, story_of=lambda i: None)
    sources = Sources(first)
    source, created = await sources.add("https://example.com/feed", "مثال")
    assert created and (await sources.add("https://example.com/feed"))[1] is False
    await sources.record_seen(source.id, [("g1", ids[0]), ("g2", None), ("g1", ids[1])])
    assert await sources.seen(source.id, ["g1", "g3", "g2"]) == {"g1", "g2"}
    await sources.record_poll(source.id, PollResult(PollStatus.FAILED, error="boom", failures=3, paused=True,
                                                    next_poll_at=50.0), polled_at=10.0)
    got = await sources.get(source.id)
    assert (got.paused, got.failures, got.last_status, got.articles, await sources.due(100.0)) == (
        True, 3, "failed", 1, [])
    assert (await sources.resume(source.id)).paused is False
    stories = Stories(first)
    await stories.assign(ids[0], ids[0], b"\x01\x02", ["b1", "b2"])
    await stories.assign(ids[1], ids[0], b"\x03", ["b2"])
    assert [(c.article_id, c.story_id, c.signature) for c in await stories.candidates(["b2", "zz"])] == [
        (ids[0], ids[0], b"\x01\x02"), (ids[1], ids[0], b"\x03")]
    assert [a.id for a in await stories.members(ids[0])] == ids[:2]
    assert [t.id for t in await stories.unassigned(10)] == [ids[2]]
    await Chats(first).ensure(9, "private", "ar")
    await Matching(first).record_matches(0, ids[1], [Match(9, ids[0], await live_topic(first, 9))])
    item = (await Outbox(first).items())[0]
    await Outbox(first).mark_parked(item.id, "bad request")
    stats = await Stats(first).summary()
    assert (stats.articles, stats.stories, stats.sources, stats.chats_active, stats.outbox) == (
        3, 2, 1, 1, {"parked": 1})
    assert stats.recent_errors == ["alert to 9: bad request", "مثال: boom"]  # newest first


async def test_topic_changes_and_removed_topics_seen_across_processes(two):
    first, second = two
    ids = await add_articles(first, 1)
    await Chats(first).ensure(1, "private", "ar")
    start, _ = await Topics(first).changes(None)
    (kept, _), = await live_topic(first, 1, "سوريا")
    (gone, _), = await live_topic(first, 1, "لبنان")
    await Topics(second).remove(1, gone)  # by the other process, after the matcher's index looked
    latest, changed_ids = await Topics(first).changes(start)
    assert latest > start and changed_ids == [kept, gone]
    assert await Topics(first).changes(latest) == (latest, [])
    queued = await Matching(first).record_matches(0, ids[0], [Match(1, ids[0], ((kept, "سوريا"), (gone, "لبنان")))])
    assert queued == 1
    assert [i.topics for i in await Outbox(first).items()] == [((kept, "سوريا"),)]
    await Outbox(second).mark_dropped((await Outbox(first).items())[0].id, "topic removed")
    assert [(i.state, i.last_error) for i in await Outbox(first).items()] == [("dropped", "topic removed")]
