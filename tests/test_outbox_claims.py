"""Claims on the outbox and the shared send limiter (issue 13, "outbox at scale"), on each
backend where both have them, on PostgreSQL where only it has them.

Two stores opened on one location are two processes: what one claims the other never gets
until the claim is marked, released, or its lease has run out.
"""

import asyncio
import itertools
import time

import pytest

from bot.sending.budget import SendBudget
from storage import Delivery, Match, open_store
from tests.support.articles import add_article, article_text, open_alerts

CHATS = list(range(701, 713))  # 12 private chats
ITEMS = 3  # alerts per chat


async def _queue(services, chats=CHATS, items=ITEMS) -> dict[int, list[int]]:
    """`items` alerts for each of `chats`: {chat: its outbox ids, oldest first}."""
    store = services.store
    articles = [await add_article(services, article_text(n)) for n in range(items)]
    matches = []
    for chat in chats:
        await store.chats.ensure(chat, "private", "ar")
        _, topic = await store.topics.add(chat, "سوريا", max_topics=5)
        matches += [Match(chat, a, ((topic.id, "سوريا"),)) for a in articles]
    cursor = await store.matching.cursor()
    assert await store.matching.record_matches(cursor, articles[-1], matches) == len(chats) * items
    return {chat: [r.id for r in await store.outbox.items(chat)] for chat in chats}


@pytest.fixture
async def two(store_location):
    """(services, a second store on the same location): two processes."""
    services, _ = await open_alerts(store_location)
    other = await open_store(store_location)
    yield services, other
    await other.close()
    await services.close()


async def test_two_stores_claiming_at_once_never_share_a_chat_or_an_item(two):
    services, other = two
    queued = await _queue(services)
    mine, theirs = await asyncio.gather(services.store.outbox.claim("a", time.time(), 8, 30.0),
                                        other.outbox.claim("b", time.time(), 8, 30.0))
    assert not {d.chat_id for d in mine} & {d.chat_id for d in theirs}
    assert len(mine) + len(theirs) == len(CHATS)  # 16 asked for, 12 chats
    for head in mine + theirs:  # each the oldest of its chat
        assert head.kind == Delivery.ALERT and head.id == queued[head.chat_id][0]
    # everything is claimed: nothing more for either, however often they ask
    assert await services.store.outbox.claim("a", time.time(), 8, 30.0) == []
    assert await other.outbox.claim("b", time.time(), 8, 30.0) == []


async def test_marks_end_claims_and_each_chat_keeps_its_order(two):
    services, other = two
    queued = await _queue(services, CHATS[:4])
    stores = {"a": services.store, "b": other}
    delivered: dict[int, list[int]] = {c: [] for c in CHATS[:4]}
    for _ in range(ITEMS * 4 + 2):
        for holder, store in stores.items():
            for head in await store.outbox.claim(holder, time.time(), 2, 30.0):
                delivered[head.chat_id].append(head.id)
                assert await store.outbox.mark_sent(head.id, 1)
    assert delivered == queued  # each once, oldest first
    assert await services.store.outbox.claim("a", time.time(), 10, 30.0) == []


async def test_other_marks_and_release_end_claims(two):
    services, other = two
    queued = await _queue(services, CHATS[:3], items=2)
    outbox = services.store.outbox
    heads = {d.chat_id: d for d in await outbox.claim("a", time.time(), 10, 30.0)}
    assert await other.outbox.claim("b", time.time(), 10, 30.0) == []
    first, second, third = CHATS[:3]
    await outbox.mark_retry(heads[first].id, "TimedOut", time.time() + 60)
    await outbox.mark_parked(heads[second].id, "Bad Request")
    await outbox.release("someone else", heads[third])  # not theirs to release: nothing happens
    again = {d.chat_id: d.id for d in await other.outbox.claim("b", time.time(), 10, 30.0)}
    assert again == {first: queued[first][1], second: queued[second][1]}
    await outbox.release("a", heads[third], hold=0.5)  # a 429: the chat waits for everyone
    assert await other.outbox.claim("b", time.time(), 10, 30.0) == []
    await asyncio.sleep(0.7)
    assert [d.id for d in await other.outbox.claim("b", time.time(), 10, 30.0)] == [queued[third][0]]


async def test_a_claim_whose_lease_ran_out_is_taken_over(two):
    services, other = two
    queued = await _queue(services, CHATS[:2], items=2)
    dead = await services.store.outbox.claim("killed", time.time(), 10, 0.4)  # and never marked
    assert len(dead) == 2 and await other.outbox.claim("b", time.time(), 10, 30.0) == []
    await asyncio.sleep(0.6)
    taken = await other.outbox.claim("b", time.time(), 10, 30.0)
    assert sorted(d.id for d in taken) == sorted(d.id for d in dead) == sorted(q[0] for q in queued.values())
    # the dead holder's late mark does not end the new holder's claim of the next item
    for head in taken:
        assert await other.outbox.mark_sent(head.id, 1)
    nxt = await other.outbox.claim("b", time.time(), 10, 30.0)
    assert sorted(d.id for d in nxt) == sorted(q[1] for q in queued.values())
    await services.store.outbox.mark_sent(queued[CHATS[0]][0], 2)  # already sent: no effect on "b"'s claim
    assert await services.store.outbox.claim("c", time.time(), 10, 30.0) == []


async def test_skip_and_only_chats(two):
    services, _ = two
    await _queue(services, CHATS[:4], items=1)
    outbox = services.store.outbox
    got = await outbox.claim("a", time.time(), 10, 30.0, only_chats=CHATS[:3], skip_chats=[CHATS[0]])
    assert sorted(d.chat_id for d in got) == CHATS[1:3]


async def test_digest_parts_go_before_alerts_and_their_marks_end_claims(two):
    services, other = two
    queued = await _queue(services, CHATS[:1], items=1)
    chat = CHATS[0]
    store = services.store
    await store.outbox.mark_dropped(queued[chat][0], "for the test")
    await store.chats.set_digest(chat, "08:00", None)
    article = await add_article(services, article_text(50))
    topic = (await store.topics.of_chat(chat))[0]
    assert await store.matching.record_matches(await store.matching.cursor(), article,
                                               [Match(chat, article, ((topic.id, "سوريا"),))]) == 1
    waiting = await store.digests.waiting_items(chat)
    digest = await store.digests.create(chat, [w.id for w in waiting], ["one", "two"], None)
    heads = await store.outbox.claim("a", time.time(), 5, 30.0)
    assert [(h.kind, h.id) for h in heads] == [(Delivery.DIGEST, digest)]
    assert await other.outbox.claim("b", time.time(), 5, 30.0) == []
    await store.digests.mark_part_sent(digest, 0, False)
    assert [(h.kind, h.id) for h in await other.outbox.claim("b", time.time(), 5, 30.0)] == [
        (Delivery.DIGEST, digest)]


# ------------------------------------------------------------------ PostgreSQL only
async def test_postgres_racing_claimers_never_double_claim(postgres_location):
    services, _ = await open_alerts(postgres_location)
    stores = [await open_store(postgres_location) for _ in range(4)]
    try:
        queued = await _queue(services, list(range(801, 841)), items=2)
        claimed: list[tuple[str, int, int]] = []

        async def worker(name, store):
            for _ in range(30):
                heads = await store.outbox.claim(name, time.time(), 3, 30.0)
                claimed.extend((name, h.chat_id, h.id) for h in heads)
                for head in heads:
                    await asyncio.sleep(0.001)
                    assert await store.outbox.mark_sent(head.id, 1)

        await asyncio.gather(*(worker(f"w{n}", s) for n, s in enumerate(stores)))
        ids = [i for _, _, i in claimed]
        assert sorted(ids) == sorted(i for q in queued.values() for i in q)  # each once, none lost
        for chat, items in queued.items():  # in order within each chat
            assert [i for _, c, i in claimed if c == chat] == items
        assert len({n for n, _, _ in claimed}) > 1
    finally:
        for store in stores:
            await store.close()
        await services.close()


async def test_postgres_shared_capability(postgres_location, tmp_path):
    pg = await open_store(postgres_location)
    lite = await open_store(str(tmp_path / "one.db"))
    try:
        assert pg.outbox.shared_claims is True and lite.outbox.shared_claims is False
        assert await lite.pace.reserve(1, 1.0, 28.0) == 0.0
        await lite.pace.hold(None, 60.0)  # one process: its own pacer holds, nothing shared
        assert await lite.pace.reserve(1, 1.0, 28.0) == 0.0
    finally:
        await pg.close()
        await lite.close()


async def test_postgres_pace_spaces_racing_processes(postgres_location):
    """Two processes reserving at once: slots 1/rate apart overall and the chat interval apart
    for one chat, whoever reserves."""
    stores = [await open_store(postgres_location) for _ in range(2)]
    rate = 20.0
    try:
        async def reserve(store, chat, interval):
            delay = await store.pace.reserve(chat, interval, rate)
            return time.time() + delay  # when the slot is, as the caller sees it

        async def process(n):  # 20 sends to 20 chats, one after another, as fast as it can
            return [await reserve(stores[n], 900 + 2 * k + n, 1.0) for k in range(20)]

        # both processes at once: slots 0.05 s apart overall, not per process
        slots = sorted(itertools.chain.from_iterable(await asyncio.gather(process(0), process(1))))
        gaps = [b - a for a, b in itertools.pairwise(slots)]
        assert min(gaps) > 0.05 * 0.8, gaps
        assert slots[-1] - slots[0] == pytest.approx(39 * 0.05, abs=0.15)
        # one chat, both processes: 1 s apart (its group interval 3 s when asked so)
        one = sorted(await asyncio.gather(*(reserve(stores[n % 2], 999, 1.0) for n in range(4))))
        assert [round(b - a, 1) for a, b in itertools.pairwise(one)] == [1.0, 1.0, 1.0]
        group = await reserve(stores[0], -5, 3.0)
        again = await reserve(stores[1], -5, 3.0)
        assert again - group == pytest.approx(3.0, abs=0.1)
    finally:
        for store in stores:
            await store.close()


@pytest.fixture
async def two_budgets(postgres_location):
    """Two SendBudgets, each on its own store of one database: two processes' budgets."""
    stores = [await open_store(postgres_location) for _ in range(2)]
    budgets = [SendBudget(20.0, 0.0, 0.0) for _ in stores]
    for budget, store in zip(budgets, stores):
        budget.share(store.pace)
    yield budgets
    for store in stores:
        await store.close()


async def _waited(budget: SendBudget, chat: int, since: float) -> float:
    """Seconds from `since` until `budget` had a slot for `chat`."""
    await budget.acquire(chat, "private", interactive=False)
    return time.monotonic() - since


async def test_a_bot_wide_429_in_one_process_holds_every_process(two_budgets):
    one, other = two_budgets
    held_at = time.monotonic()
    assert await one.rate_limited(1, 1.5) is False
    assert await one.rate_limited(2, 1.5) is True  # two chats within the window: bot-wide
    assert await _waited(other, 3, held_at) >= 1.5  # a chat neither process was told about
    assert other.stats["shared_waits"] == 1 and one.stats["shared_failed"] == 0


async def test_a_chats_429_in_one_process_holds_that_chat_only_in_another(two_budgets):
    one, other = two_budgets
    held_at = time.monotonic()
    assert await one.rate_limited(5, 1.5) is False
    assert await _waited(other, 6, held_at) < 0.5  # another chat goes at once
    assert await _waited(other, 5, held_at) >= 1.5


async def test_429s_for_two_chats_in_two_processes_are_evidence_of_the_bot_wide_limit(two_budgets):
    """Each process is refused once, for its own chat: neither alone has the evidence, together
    they have; every chat of both then waits."""
    one, other = two_budgets
    held_at = time.monotonic()
    assert await one.rate_limited(11, 1.5) is False
    assert await other.rate_limited(12, 1.5) is True  # the other half of the evidence
    assert await _waited(one, 13, held_at) >= 1.5  # a chat neither was refused for
    assert await _waited(other, 14, held_at) >= 1.5


async def test_refusals_are_counted_by_distinct_chat_across_processes_and_age_out(postgres_location, tmp_path):
    stores = [await open_store(postgres_location) for _ in range(2)]
    lite = await open_store(str(tmp_path / "one.db"))
    try:
        assert await stores[0].pace.refused(21, 3.0) == 1
        assert await stores[1].pace.refused(21, 3.0) == 1  # the same chat again: one source
        assert await stores[1].pace.refused(None, 3.0) == 2  # a refusal without a chat counts
        await asyncio.sleep(0.4)
        assert await stores[0].pace.refused(22, 0.3) == 1  # the others are older than the window
        assert await lite.pace.refused(21, 3.0) == 0  # one process: nothing shared
    finally:
        for store in stores:
            await store.close()
        await lite.close()
