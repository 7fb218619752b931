"""Several processes on one store, on each backend: the topic index of the process that matches
follows topics changed by any other, no alert is queued or sent for a topic removed or paused
meanwhile, and leases give a role to one process at a time."""

import asyncio

from bot.config import Settings
from storage import OutboxState, open_store
from tests.support.articles import add_article, article_text, open_alerts

CHAT, OTHER = 701, 702


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


async def test_an_alert_queued_before_its_topic_was_paused_is_not_sent(store_location):
    (services, alerts) = await open_alerts(store_location)
    try:
        topic = (await alerts.subscribe(CHAT, "private", "ar", "سوريا")).topic
        await add_article(services, article_text(4))
        assert await alerts.match_new() == 1
        [item] = await services.store.outbox.items()
        assert await alerts.live_topics(item) == [(topic.id, "سوريا")]
        await alerts.set_paused(CHAT, topic.id, True)
        assert await alerts.live_topics(item) == []
        await services.store.outbox.mark_dropped(item.id, "its topics were removed or paused")
        [after] = await services.store.outbox.items()
        assert after.state == OutboxState.DROPPED and "removed" in after.last_error
        assert await services.store.outbox.mark_sent(item.id, 1) is False  # never sent after that
    finally:
        await services.close()


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
