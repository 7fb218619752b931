"""The alert tables and the Alerts service over a real store, on each backend in turn (the
`alerts_store` fixture): topics, matching, outbox."""

from datetime import UTC, datetime

from bot.alerts.schedule import last_slot, parse_clock, zone
from bot.config import Settings
from bot.services import Services
from storage import Match
from tests.support.articles import add_article, article_text

CHAT, OTHER, GROUP = 501, 502, -601


async def heads(store, now: float = 1e12):
    """Each chat's head as a sender takes it (`claim`), given back at once."""
    got = await store.outbox.claim("peek", now, 1000, 30.0)
    for head in got:
        await store.outbox.release("peek", head)
    return got


async def test_subscribe_caps_dedupes_and_refuses_empty_topics(alerts_store):
    _, alerts = alerts_store
    assert (await alerts.subscribe(CHAT, "private", "ar", "  سوريا   دمشق ")).status == "added"
    again = await alerts.subscribe(CHAT, "private", "ar", "سوريا دمشق")
    assert again.status == "exists" and again.topic.query == "سوريا دمشق"
    assert (await alerts.subscribe(CHAT, "private", "ar", "-روسيا")).status == "no_words"
    # stray syntax is read as plain words: this topic is the word "near"
    stray = await alerts.subscribe(CHAT, "private", "ar", '" * ( NEAR')
    assert stray.status == "added" and stray.topic.query == '" * ( NEAR'
    for n in range(10):
        await alerts.subscribe(CHAT, "private", "ar", f"كلمة{n}")
    topics = await alerts.topics(CHAT)
    assert len(topics) == 5 and (await alerts.subscribe(CHAT, "private", "ar", "جديد")).status == "full"
    assert (await alerts.find_topic(CHAT, "1")).query == "سوريا دمشق"
    assert (await alerts.find_topic(CHAT, "سوريا  دمشق")).id == topics[0].id
    assert await alerts.find_topic(CHAT, "99") is None
    assert await alerts.unsubscribe(OTHER, topics[0].id) is None  # not that chat's topic
    assert (await alerts.unsubscribe(CHAT, topics[0].id)).id == topics[0].id
    assert len(alerts.index) == 4


async def test_new_articles_from_another_connection_are_matched_once(alerts_store):
    services, alerts = alerts_store
    old = await add_article(services, article_text(1))
    await alerts.subscribe(CHAT, "private", "ar", "سوريا")
    await alerts.subscribe(CHAT, "private", "ar", "دمشق")   # same chat, second matching topic
    await alerts.subscribe(OTHER, "private", "en", "دمشق")
    await alerts.subscribe(GROUP, "group", "ar", "القاهرة")
    writer = await Services.open(Settings(NEWSBOT_DB=services.settings.db))  # as `newsbot ingest` would, elsewhere
    try:
        new = [await add_article(writer, article_text(n)) for n in (2, 3)]
    finally:
        await writer.close()
    assert await alerts.match_new() == 4
    assert await alerts.match_new() == 0  # the cursor moved with the rows
    rows = await services.store.outbox.items()
    assert sorted((r.chat_id, r.article_id) for r in rows) == sorted(
        (chat, a) for chat in (CHAT, OTHER) for a in new)
    assert old not in {r.article_id for r in rows}  # stored before anyone subscribed
    mine = [r for r in rows if r.chat_id == CHAT][0]
    assert [q for _, q in mine.topics] == ["سوريا", "دمشق"]


async def test_record_matches_is_idempotent_and_compare_and_set(alerts_store):
    services, alerts = alerts_store
    store = services.store
    article = await add_article(services, article_text(1))
    await store.chats.ensure(CHAT, "private", "ar")
    cursor = await store.matching.cursor()
    _, topic = await store.topics.add(CHAT, "سوريا", max_topics=5)
    match = Match(CHAT, article, ((topic.id, "سوريا"),))
    assert await store.matching.record_matches(cursor, article, [match]) == 1
    assert await store.matching.record_matches(cursor, article, [match]) is None  # cursor moved: nothing
    assert await store.matching.record_matches(article, article, [match]) == 0    # same row again: ignored
    assert len(await store.outbox.items()) == 1 and await store.matching.cursor() == article


async def test_heads_one_per_chat_oldest_first_and_marking(alerts_store):
    services, alerts = alerts_store
    store = services.store
    await alerts.subscribe(CHAT, "private", "ar", "سوريا")
    await alerts.subscribe(GROUP, "group", "en", "سوريا")
    ids = [await add_article(services, article_text(n)) for n in range(3)]
    await alerts.match_new()
    due = sorted(await heads(store), key=lambda h: -h.chat_id)
    assert [(h.chat_id, h.kind, h.chat_type, h.language) for h in due] == [
        (CHAT, "alert", "private", "ar"), (GROUP, "alert", "group", "en")]
    first = await store.outbox.get(due[0].id)
    assert first.article_id == ids[0]
    assert await store.outbox.mark_sent(first.id, 77) and not await store.outbox.mark_sent(first.id, 78)
    assert (await store.outbox.get(first.id)).state == "sent"
    await store.outbox.mark_retry(due[1].id, "TimedOut", next_attempt_at=2e12)
    # the group's first alert waits for its retry; the one behind it is not held up
    group_rows = sorted(r.id for r in await store.outbox.items(GROUP))
    assert len(group_rows) == 3 and group_rows[0] == due[1].id
    assert {h.chat_id: h.id for h in await heads(store)}[GROUP] == group_rows[1]
    assert await store.outbox.next_attempt_at() == 0


async def test_forbidden_deactivates_and_start_brings_back_only_new_news(alerts_store):
    services, alerts = alerts_store
    store = services.store
    await alerts.subscribe(CHAT, "private", "ar", "سوريا")
    await add_article(services, article_text(1))
    await alerts.match_new()
    await alerts.deactivate(CHAT, "Forbidden: bot was blocked by the user")
    assert {r.state for r in await store.outbox.items(CHAT)} == {"dropped"}
    await add_article(services, article_text(2))
    await alerts.match_new()
    assert len(await store.outbox.items(CHAT)) == 1  # nothing queued for a blocked chat
    assert await alerts.reactivate(CHAT) and not await alerts.reactivate(CHAT)
    third = await add_article(services, article_text(3))
    await alerts.match_new()
    assert [r.article_id for r in await store.outbox.items(CHAT) if r.state == "pending"] == [third]


async def test_migration_moves_topics_and_pending_alerts(alerts_store):
    services, alerts = alerts_store
    store = services.store
    new_id = -1000601
    await alerts.subscribe(GROUP, "group", "ar", "سوريا")
    await alerts.subscribe(GROUP, "group", "ar", "دمشق")
    await alerts.subscribe(new_id, "supergroup", "ar", "دمشق")  # already there: kept once
    await add_article(services, article_text(1))
    await alerts.match_new()
    await alerts.migrate(GROUP, new_id)
    assert await store.chats.get(GROUP) is None and await alerts.topics(GROUP) == []
    assert sorted(t.query for t in await alerts.topics(new_id)) == ["دمشق", "سوريا"]
    states = {(r.chat_id, r.state) for r in await store.outbox.items()}
    assert (new_id, "pending") in states and (GROUP, "pending") not in states
    second = await add_article(services, article_text(2))
    await alerts.match_new()
    assert [r.chat_id for r in await store.outbox.items() if r.article_id == second] == [new_id]
    assert {t.chat_id for t in alerts.index} == {new_id}


async def test_pause_and_resume_skip_what_came_while_paused(alerts_store):
    services, alerts = alerts_store
    topic = (await alerts.subscribe(CHAT, "private", "ar", "سوريا")).topic
    await alerts.set_paused(CHAT, topic.id, True)
    await add_article(services, article_text(1))
    await alerts.match_new()
    await alerts.set_paused(CHAT, topic.id, False)
    await add_article(services, article_text(2))
    await alerts.match_new()
    assert len(await services.store.outbox.items(CHAT)) == 1


async def test_digest_collects_items_and_builds_once_per_slot(alerts_store):
    services, alerts = alerts_store
    store = services.store
    await alerts.subscribe(CHAT, "private", "en", "سوريا")
    await alerts.set_timezone(CHAT, "private", "en", "Asia/Damascus")
    await alerts.set_digest(CHAT, "private", "en", "08:00")
    for n in range(3):
        await add_article(services, article_text(n))
    await alerts.match_new()
    assert {(r.kind, r.state) for r in await store.outbox.items(CHAT)} == {("digest", "pending")}
    assert await heads(store) == []  # digest items are not sent one by one
    chat = await store.chats.get(CHAT)
    before = datetime.fromisoformat(chat.digest_due_after)
    assert await alerts.run_digests(now=before) == 0  # that slot was handled when it was set
    later = datetime.fromtimestamp(before.timestamp() + 86_400 + 60, UTC)
    assert await alerts.run_digests(now=later) == 1
    assert await alerts.run_digests(now=later) == 0
    assert {r.state for r in await store.outbox.items(CHAT)} == {"digested"}
    [head] = await heads(store)
    assert (head.kind, head.chat_id) == ("digest", CHAT)
    digest = await store.digests.get(head.id)
    assert len(digest.parts) == 1 and "News digest: 3" in digest.parts[0]


def test_clock_zone_and_slots():
    assert parse_clock("8:00") == "08:00" and parse_clock("23:59") == "23:59"
    assert parse_clock("24:00") is None and parse_clock("8") is None and parse_clock("²:٠٠") is None
    assert parse_clock("٨:٠٠") == "08:00" and parse_clock("۰۸:۳۰") == "08:30"  # Arabic-Indic, Persian digits
    assert zone("Asia/Damascus") is not None and zone("Mars/Base") is None and zone("../etc/passwd") is None
    now = datetime(2024, 5, 1, 4, 30, tzinfo=UTC)  # 07:30 in Damascus (UTC+3)
    assert last_slot(now, "Asia/Damascus", "08:00") == datetime(2024, 4, 30, 5, 0, tzinfo=UTC)
    assert last_slot(now, "Asia/Damascus", "07:00") == datetime(2024, 5, 1, 4, 0, tzinfo=UTC)
