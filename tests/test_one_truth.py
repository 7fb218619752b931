"""Several processes on one store, on each backend: the topic index of the process that matches
follows topics changed by any other, no alert is queued or sent for a topic removed or paused
meanwhile, and leases give a role to one process at a time."""

import asyncio
import time

from bot.config import Settings
from bot.jobs import TopicFollower
from bot.roles import SCHEDULER, Leadership
from storage import open_store
from tests.support.articles import add_article, article_text, open_alerts

CHAT, OTHER = 701, 702
FOLLOWED_WITHIN = 2.0  # seconds: the "within seconds"
DEADLINE = 10.0  # seconds one step may take on a loaded machine before it counts as failed


async def _two_processes(location):
    """(matcher, web): two services on one store, each with its own Alerts and index."""
    matcher = await open_alerts(location, max_topics=20)
    web = await open_alerts(location, max_topics=20)
    return matcher, web


async def test_a_topic_followed_through_another_process_is_matched(store_location):
    (matcher, m_alerts), (web, w_alerts) = await _two_processes(store_location)
    try:
        assert len(m_alerts.index) == 0
        await w_alerts.subscribe(CHAT, "private", "ar", "سوريا")  # only the web process knows, in memory
        article = await add_article(web, article_text(1))
        assert await m_alerts.match_new() == 1
        assert [(i.chat_id, i.article_id) for i in await matcher.store.outbox.items()] == [(CHAT, article)]
    finally:
        await matcher.close()
        await web.close()


async def test_no_alert_for_a_topic_removed_or_paused_through_another_process(store_location):
    (matcher, m_alerts), (web, w_alerts) = await _two_processes(store_location)
    try:
        removed = (await w_alerts.subscribe(CHAT, "private", "ar", "سوريا")).topic
        paused = (await w_alerts.subscribe(OTHER, "private", "ar", "سوريا")).topic
        await m_alerts.load()
        assert len(m_alerts.index) == 2  # the matcher's index has both
        await w_alerts.unsubscribe(CHAT, removed.id)
        await w_alerts.set_paused(OTHER, paused.id, True)
        await add_article(web, article_text(2))
        assert await m_alerts.match_new() == 0
        assert await matcher.store.outbox.items() == []
        assert len(m_alerts.index) == 1 and next(iter(m_alerts.index)).paused
    finally:
        await matcher.close()
        await web.close()


async def test_a_stale_index_cannot_queue_for_a_removed_topic(store_location):
    """Even when the index missed the change (a race), the store refuses a gone topic."""
    (matcher, m_alerts), (web, w_alerts) = await _two_processes(store_location)
    try:
        topic = (await w_alerts.subscribe(CHAT, "private", "ar", "سوريا")).topic
        await m_alerts.load()
        await w_alerts.unsubscribe(CHAT, topic.id)
        m_alerts._seen_change = 10**9  # as if the change had not been seen yet
        await add_article(web, article_text(3))
        assert await m_alerts.match_new() == 0
    finally:
        await matcher.close()
        await web.close()


async def _until(check, deadline: float = DEADLINE) -> float:
    """Seconds until `check()` held; fails past `deadline`."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < deadline, "not followed in time"
        await asyncio.sleep(0.05)
    return time.monotonic() - start


def _indexed(alerts) -> dict[int, bool]:
    """The matcher's index: topic id -> paused."""
    return {topic.id: topic.paused for topic in alerts.index}


async def test_the_follower_applies_topic_changes_of_another_process_without_a_match_pass(store_location):
    (matcher, m_alerts), (web, w_alerts) = await _two_processes(store_location)
    follower = TopicFollower(m_alerts)
    follower.start()
    try:
        topic = (await w_alerts.subscribe(CHAT, "private", "ar", "سوريا")).topic
        took = [await _until(lambda: _indexed(m_alerts) == {topic.id: False})]
        await w_alerts.set_paused(CHAT, topic.id, True)
        took.append(await _until(lambda: _indexed(m_alerts) == {topic.id: True}))
        await w_alerts.set_paused(CHAT, topic.id, False)
        took.append(await _until(lambda: _indexed(m_alerts) == {topic.id: False}))
        await w_alerts.unsubscribe(CHAT, topic.id)
        took.append(await _until(lambda: _indexed(m_alerts) == {}))
        assert sorted(took)[len(took) // 2] < FOLLOWED_WITHIN, took  # typically: each step, at worst DEADLINE
        await add_article(web, article_text(5))  # matching after the removal sends nothing for it
        assert await m_alerts.match_new() == 0
        assert await matcher.store.outbox.items() == []
    finally:
        await follower.stop()
        await matcher.close()
        await web.close()


async def test_a_follower_behind_the_pruned_log_reloads_the_whole_index(store_location):
    (matcher, m_alerts), (web, w_alerts) = await _two_processes(store_location)
    follower = TopicFollower(m_alerts)
    try:
        gone = (await w_alerts.subscribe(CHAT, "private", "ar", "سوريا")).topic
        await m_alerts.load()
        assert _indexed(m_alerts) == {gone.id: False}
        # While the matcher does not follow: a topic added, one removed, one added and paused…
        added = (await w_alerts.subscribe(CHAT, "private", "ar", "دمشق")).topic
        await w_alerts.unsubscribe(CHAT, gone.id)
        paused = (await w_alerts.subscribe(OTHER, "private", "ar", "حلب")).topic
        await w_alerts.set_paused(OTHER, paused.id, True)
        # …and the log pruned to its newest change, which names `paused` only.
        assert await web.store.topics.prune_changes(1) >= 4
        _, since = await web.store.topics.changes(m_alerts._seen_change)
        assert since is None  # the log no longer reaches back to what the matcher saw
        follower.start()
        await _until(lambda: _indexed(m_alerts) == {added.id: False, paused.id: True})
    finally:
        await follower.stop()
        await matcher.close()
        await web.close()


async def test_the_change_log_stays_bounded_and_says_when_it_was_pruned(store_location):
    (services, alerts) = await open_alerts(store_location, max_topics=20)
    try:
        start, _ = await services.store.topics.changes(None)
        topics = [(await alerts.subscribe(CHAT, "private", "ar", word)).topic
                  for word in ("سوريا", "دمشق", "حلب", "حمص", "درعا")]
        latest, changed = await services.store.topics.changes(start)
        assert changed == [t.id for t in topics]
        assert await services.store.topics.prune_changes(2) == 3
        assert await services.store.topics.prune_changes(2) == 0
        # Kept: the last two; a reader that saw the one before them misses nothing.
        assert await services.store.topics.changes(latest - 2) == (latest, [t.id for t in topics[-2:]])
        assert await services.store.topics.changes(latest - 3) == (latest, None)  # it missed one
        assert await services.store.topics.prune_changes(0) == 1  # the newest is always kept
        assert await services.store.topics.changes(latest) == (latest, [])
        assert await alerts.prune_topic_changes() == 0
    finally:
        await services.close()


async def test_the_follower_runs_only_while_the_scheduler_role_is_held(store_location, monkeypatch):
    (services, alerts) = await open_alerts(store_location)
    follower = TopicFollower(alerts)

    async def gained(role):
        follower.start()

    async def lost(role):
        await follower.stop()

    leadership = Leadership(services.store.leases, (SCHEDULER,), on_gained=gained, on_lost=lost)
    try:
        await leadership.start()
        assert leadership.holds(SCHEDULER) and follower._task is not None
        with monkeypatch.context() as patch:  # another process took the role over
            async def taken(*_args):
                return False
            patch.setattr(services.store.leases, "acquire", taken)
            await leadership.renew()
        assert not leadership.holds(SCHEDULER) and follower._task is None
        await leadership.renew()
        assert leadership.holds(SCHEDULER) and follower._task is not None
        await leadership.stop()  # shutting down gives it up
        assert not leadership.holds(SCHEDULER) and follower._task is None
    finally:
        await follower.stop()
        await services.close()


async def test_postgresql_listens_and_falls_back_to_the_log_while_its_listener_is_down(postgres_location):
    (matcher, m_alerts), (web, w_alerts) = await _two_processes(postgres_location)
    topics = matcher.store.topics
    follower = TopicFollower(m_alerts)
    follower.start()
    try:
        await _until(lambda: topics._listener.connected)
        first = (await w_alerts.subscribe(CHAT, "private", "ar", "سوريا")).topic
        await _until(lambda: first.id in _indexed(m_alerts))
        # The listener's connection killed: changes are still followed, then it listens again.
        await web.store.db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                                   " WHERE application_name = 'newsbot-listen-topic_changes'")
        await _until(lambda: not topics._listener.connected)
        second = (await w_alerts.subscribe(OTHER, "private", "ar", "دمشق")).topic
        await _until(lambda: second.id in _indexed(m_alerts))
        await _until(lambda: topics._listener.connected)
        third = (await w_alerts.subscribe(OTHER, "private", "ar", "حلب")).topic
        await _until(lambda: third.id in _indexed(m_alerts))
    finally:
        await follower.stop()
        await matcher.close()
        await web.close()


async def test_a_lease_has_one_holder_and_passes_on_when_released_or_expired(store_location):
    first, second = await open_store(store_location), await open_store(store_location)
    try:
        assert await first.leases.acquire("jobs", "a", ttl=5)
        assert await first.leases.acquire("jobs", "a", ttl=5)  # renewing
        assert not await second.leases.acquire("jobs", "b", ttl=5)
        assert (await second.leases.holder("jobs")).holder == "a"
        assert await second.leases.acquire("sender", "b", ttl=5)  # another role is free
        await first.leases.release("jobs", "a")
        assert await second.leases.acquire("jobs", "b", ttl=5)
        assert not await first.leases.acquire("jobs", "a", ttl=5)
    finally:
        await first.close()
        await second.close()
    # The holder gone without releasing, as a killed process is:
    third, fourth = await open_store(store_location), await open_store(store_location)
    try:
        assert await third.leases.acquire("solo", "c", ttl=0.5)
        assert not await fourth.leases.acquire("solo", "d", ttl=5)
        if store_location.startswith("postgresql://"):  # its connection dies, and the lock with it
            await fourth.db.execute("SELECT pg_terminate_backend(pid) FROM pg_locks"
                                    " WHERE locktype = 'advisory' AND pid <> pg_backend_pid()")
            await asyncio.sleep(0.2)
        else:
            await asyncio.sleep(0.6)  # SQLite: the lease runs out unrenewed
        assert await fourth.leases.acquire("solo", "d", ttl=5)
        assert not await third.leases.acquire("solo", "c", ttl=5)  # and the old holder knows it
    finally:
        await third.close()
        await fourth.close()


async def test_settings_take_a_postgresql_url_and_never_show_its_password():
    settings = Settings(NEWSBOT_DB="postgresql://bot:s3cret@db.example:5432/news", _env_file=None)
    from storage import describe_store_error, shown_location

    assert settings.db == "postgresql://bot:s3cret@db.example:5432/news"
    assert shown_location(settings.db) == "postgresql://bot:***@db.example:5432/news"
    assert "s3cret" not in describe_store_error(OSError("refused"), settings.db)


async def test_an_unreachable_postgresql_is_one_clear_error():
    from storage import StoreError

    try:
        await open_store("postgresql://bot:s3cret@127.0.0.1:1/news")
    except StoreError as exc:
        assert "cannot connect to PostgreSQL" in str(exc) and "s3cret" not in str(exc)
    else:
        raise AssertionError("opened a store on a closed port")


def test_the_cli_on_an_unreachable_postgresql_says_so_in_one_line_without_the_password(tmp_path):
    import subprocess
    import sys

    from tests.support.bot_process import clean_env

    done = subprocess.run([sys.executable, "-m", "bot.cli", "search", "--db",
                           "postgresql://bot:s3cret@127.0.0.1:1/news", "سوريا"],
                          cwd=tmp_path, env=clean_env(NEWSBOT_LOG_LEVEL="DEBUG"), capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert "cannot connect to PostgreSQL" in done.stderr and "Traceback" not in done.stderr
    assert "s3cret" not in done.stderr + done.stdout
