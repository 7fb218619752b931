"""The sender against the stand-in Bot API over HTTP: pacing, 429, 403, migration, timeouts, 400s."""

import time
from datetime import UTC, datetime

import pytest
from telegram import Bot
from telegram.request import HTTPXRequest

from bot.render.html import MESSAGE_LIMIT, RLM, utf16_len
from bot.sending.outbox import Sender
from tests.support.articles import add_article, article_text
from tests.support.waiting import assert_quiet_async, await_until

# e2e: a real HTTP server (the stand-in) and real pacing, seconds per test
pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]

CHATS = [7001, 7002, 7003]
GROUP, SUPERGROUP = -7101, -1007101


@pytest.fixture
async def harness(alerts_store, standin):
    services, alerts = alerts_store
    senders = []

    def make(timeout: float = 5.0, **overrides) -> Sender:
        params = dict(rate=28.0, private_interval=1.0, group_interval=3.0, in_flight=4,
                      max_attempts=3, backoff=0.2, backoff_max=1.0)
        params.update(overrides)
        request = HTTPXRequest(read_timeout=timeout, write_timeout=timeout, connect_timeout=timeout,
                               pool_timeout=timeout)
        sender = Sender(alerts, Bot(standin.token, base_url=standin.base_url, request=request), **params)
        sender.start()
        senders.append(sender)
        return sender

    yield services, alerts, make
    for sender in senders:
        await sender.stop()
        await sender.bot.shutdown()


async def subscribe(alerts, standin, chat_id: int, topic: str = "سوريا", chat_type: str = "private") -> None:
    standin.add_chat(chat_id, chat_type)
    assert (await alerts.subscribe(chat_id, chat_type, "ar", topic)).status == "added"


async def test_each_alert_once_paced_with_title_summary_link_and_why(harness, standin):
    services, alerts, make = harness
    for chat in CHATS:
        await subscribe(alerts, standin, chat)
    await alerts.subscribe(CHATS[0], "private", "ar", "دمشق")  # a second topic: still one alert
    for n in range(3):
        await add_article(services, article_text(n))
    await alerts.match_new()
    make()
    for chat in CHATS:
        got = await standin.await_messages(chat, 3, timeout=10)
        assert len(got) == 3
    first = standin.messages_for(CHATS[0])[0]
    assert first.text.startswith(RLM) and "<b>خبر رقم 0 عن سوريا دمشق</b>" in first.text
    assert "وكالة الأنباء" in first.text and "/summary_" in first.text
    assert "<b>سوريا</b>" in first.text and "<b>دمشق</b>" in first.text  # why it matched
    assert utf16_len(first.plain_text) <= MESSAGE_LIMIT
    datas = [b["callback_data"] for row in first.reply_markup["inline_keyboard"] for b in row]
    assert datas[0].startswith("al:more:") and sum(d.startswith("al:mute:") for d in datas) == 2
    for chat in CHATS:  # one a second per private chat
        times = standin.accepted_times(chat)
        assert all(b - a >= 0.95 for a, b in zip(times, times[1:]))
    assert standin.rate_limited == []
    async def all_marked() -> bool:  # marked right after acceptance, which the stand-in saw first
        return await services.store.outbox.counts() == {"sent": 9}

    await await_until(all_marked, 2, "all nine alerts marked sent")


async def test_429_waits_retry_after_and_resends_the_same_alert(harness, standin):
    services, alerts, make = harness
    await subscribe(alerts, standin, CHATS[0])
    await add_article(services, article_text(1))
    await alerts.match_new()
    standin.fail_next("sendMessage", CHATS[0], error_code=429, description="Too Many Requests: retry after 2",
                      parameters={"retry_after": 2})
    started = time.monotonic()
    sender = make()
    got = await standin.await_messages(CHATS[0], 1, timeout=10)
    assert time.monotonic() - started >= 2.0
    assert len(got) == 1 and sender.stats["retry_after"] == 1
    # once it is marked sent, the sender has nothing left to send: what arrived is all there is
    await await_until(lambda: _state(services, CHATS[0], "sent"), 5, "the alert marked sent")
    assert len(standin.messages_for(CHATS[0])) == 1
    assert [c.error_code for c in standin.calls if c.method == "sendMessage" and c.chat_id == str(CHATS[0])] == [
        429, None]  # refused once, then the same alert once


async def test_a_chat_answered_429_forever_holds_only_itself(harness, standin):
    services, alerts, make = harness
    stuck, others = CHATS[0], [7010 + n for n in range(6)]
    for chat in (stuck, *others):
        await subscribe(alerts, standin, chat)
    for n in range(2):
        await add_article(services, article_text(n))
    await alerts.match_new()
    standin.fail_next("sendMessage", stuck, error_code=429, description="Too Many Requests: retry after 10",
                      parameters={"retry_after": 10}, times=10**6)
    started = time.monotonic()
    sender = make()
    for chat in others:
        await standin.await_messages(chat, 2, timeout=6)
    assert time.monotonic() - started < 3.5  # two alerts a chat, 1 s apart: nobody waited 10 s
    assert sender.stats["retry_after"] == 1 and sender.budget.stats["retry_after_all"] == 0  # held 10 s
    assert standin.messages_for(stuck) == []


async def test_429s_for_two_chats_at_once_hold_every_chat(harness, standin):
    services, alerts, make = harness
    for chat in CHATS:
        await subscribe(alerts, standin, chat)
    await add_article(services, article_text(1))
    await alerts.match_new()
    # the first two sends (two chats: never two at once to one chat) are refused: the overall limit
    standin.fail_next("sendMessage", error_code=429, description="Too Many Requests: retry after 2",
                      parameters={"retry_after": 2}, times=2)
    started = time.monotonic()
    sender = make(in_flight=2)
    for chat in CHATS:
        await standin.await_messages(chat, 1, timeout=10)
    assert sender.budget.stats["retry_after_all"] == 1
    assert all(standin.accepted_times(chat)[0] - started >= 1.9 for chat in CHATS)  # the third one too


async def test_403_deactivates_the_chat_and_start_brings_it_back(harness, standin):
    services, alerts, make = harness
    blocked, fine = CHATS[0], CHATS[1]
    await subscribe(alerts, standin, blocked)
    await subscribe(alerts, standin, fine)
    standin.block(blocked)
    for n in range(2):
        await add_article(services, article_text(n))
    await alerts.match_new()
    sender = make()
    await standin.await_messages(fine, 2, timeout=10)
    await await_until(lambda: _inactive(services, blocked), 10, "the blocked chat deactivated")
    assert {r.state for r in await services.store.outbox.items(blocked)} == {"dropped"}
    assert sender.stats["forbidden"] == 1
    assert len([c for c in standin.calls if c.method == "sendMessage" and c.chat_id == str(blocked)]) == 1
    standin.unblock(blocked)
    await alerts.reactivate(blocked)  # what /start does
    await add_article(services, article_text(9))
    await alerts.match_new()
    got = await standin.await_messages(blocked, 1, timeout=10)
    assert "خبر رقم 9" in got[0].plain_text


async def _inactive(services, chat_id) -> bool:
    chat = await services.store.chats.get(chat_id)
    return chat is not None and not chat.active


async def test_chat_migration_moves_topics_and_delivers_to_the_supergroup(harness, standin):
    services, alerts, make = harness
    await subscribe(alerts, standin, GROUP, chat_type="group")
    standin.migrate_chat(GROUP, SUPERGROUP)
    await add_article(services, article_text(1))
    await alerts.match_new()
    sender = make(group_interval=0.5)
    got = await standin.await_messages(SUPERGROUP, 1, timeout=10)
    assert "خبر رقم 1" in got[0].plain_text and sender.stats["migrated"] == 1
    assert [t.chat_id for t in await alerts.topics(SUPERGROUP)] == [SUPERGROUP]
    await add_article(services, article_text(2))
    await alerts.match_new()
    await standin.await_messages(SUPERGROUP, 2, timeout=10)
    assert standin.messages_for(GROUP) == []


async def test_a_timeout_is_retried_with_backoff_and_a_dropped_request_sent_once(harness, standin):
    services, alerts, make = harness
    await subscribe(alerts, standin, CHATS[0])
    await add_article(services, article_text(1))
    await alerts.match_new()
    standin.delay_next("sendMessage", 2.0, chat_id=CHATS[0], deliver=False)  # never reaches Telegram
    sender = make(timeout=0.5)
    got = await standin.await_messages(CHATS[0], 1, timeout=10)
    assert len(got) == 1 and sender.stats["transient"] == 1
    await await_until(lambda: _state(services, CHATS[0], "sent"), 2, "the alert marked sent")
    item = (await services.store.outbox.items(CHATS[0]))[0]
    assert item.state == "sent" and item.attempts == 2


async def test_a_timeout_after_delivery_may_repeat_that_one_alert(harness, standin):
    """Telegram has no idempotency key: "timed out but sent" is the documented repeat."""
    services, alerts, make = harness
    await subscribe(alerts, standin, CHATS[0])
    await add_article(services, article_text(1))
    await add_article(services, article_text(2))
    await alerts.match_new()
    standin.delay_next("sendMessage", 1.0, chat_id=CHATS[0], deliver=True)
    make(timeout=0.4)
    await standin.await_messages(CHATS[0], 3, timeout=10)
    await await_until(lambda: _state(services, CHATS[0], "sent", count=2), 5, "both alerts marked sent")
    texts = [m.plain_text.split("\n")[0] for m in standin.messages_for(CHATS[0])]
    assert len(texts) == 3 and len(set(texts)) == 2  # the timed-out one twice, the other once


async def test_a_permanent_error_is_parked_with_its_reason_after_n_attempts(harness, standin):
    services, alerts, make = harness
    await subscribe(alerts, standin, CHATS[0])
    await add_article(services, article_text(1))
    await alerts.match_new()
    standin.fail_next("sendMessage", CHATS[0], error_code=400, description="Bad Request: something is wrong",
                      times=10)
    sender = make(max_attempts=3, backoff=0.1)
    await await_until(lambda: _state(services, CHATS[0], "parked"), 10, "the alert parked")
    item = (await services.store.outbox.items(CHATS[0]))[0]
    assert item.attempts == 3 and item.last_error == "Something is wrong"  # PTB strips the "Bad Request: " prefix
    await assert_quiet_async(lambda: len([c for c in standin.calls if c.method == "sendMessage"]) > 3, 0.5,
                             "a parked alert was attempted again")
    assert len([c for c in standin.calls if c.method == "sendMessage"]) == 3 and sender.stats["parked"] == 1


async def _state(services, chat_id, state, count: int = 1) -> bool:
    return [r.state for r in await services.store.outbox.items(chat_id)] == [state] * count


async def test_an_alert_queued_before_its_topic_was_paused_is_dropped_not_sent(harness, standin):
    services, alerts, make = harness
    paused, live = CHATS[0], CHATS[1]
    for chat in (paused, live):
        await subscribe(alerts, standin, chat)
    await add_article(services, article_text(4))
    assert await alerts.match_new() == 2
    [topic] = await services.store.topics.of_chat(paused)
    await alerts.set_paused(paused, topic.id, True)  # after the match: its alert is queued
    sender = make()
    await standin.await_messages(live, 1, timeout=10)  # the sender runs: the live chat's alert goes
    await await_until(lambda: _state(services, paused, "dropped"), 5, "the paused chat's alert dropped")
    [item] = await services.store.outbox.items(paused)
    assert "removed or paused" in item.last_error and sender.stats["dropped"] == 1
    assert [c for c in standin.calls if c.chat_id == str(paused)] == []  # nothing at all to that chat
    assert await services.store.outbox.mark_sent(item.id, 1) is False  # and never sent after that


async def _digest_sent(services, digest_id) -> bool:
    return (await services.store.digests.get(digest_id)).state == "sent"


async def test_a_digest_goes_out_as_grouped_messages_split_at_the_limit(harness, standin):
    services, alerts, make = harness
    chat = CHATS[0]
    await subscribe(alerts, standin, chat)
    await alerts.set_digest(chat, "private", "en", "08:00")
    for n in range(40):
        await add_article(services, article_text(n, "سوريا " + "وتفاصيل طويلة " * 15))
    await alerts.match_new()
    assert await alerts.run_digests(now=datetime.fromtimestamp(time.time() + 86_400 + 60, UTC)) == 1
    [digest] = await services.store.outbox.claim("test", time.time(), 1, 30.0)  # the sender's way to it
    await services.store.outbox.release("test", digest)
    make()
    parts = len((await services.store.digests.get(digest.id)).parts)
    assert parts >= 2
    got = await standin.await_messages(chat, parts, timeout=15)
    assert "News digest: 40" in got[0].plain_text and all(utf16_len(m.plain_text) <= MESSAGE_LIMIT for m in got)
    body = "\n".join(m.plain_text for m in got)
    assert all(f"خبر رقم {n} عن" in body for n in range(40))
    await await_until(lambda: _digest_sent(services, digest.id), 5, "the digest marked sent")
    assert len(standin.messages_for(chat)) == parts
