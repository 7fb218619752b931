"""/sources, /addsource, /removesource through the real Application (the console's request
stand-in): admins manage sources, everyone else gets a polite no; a paused source is told to
the admins once."""


import pytest

from bot.config import Settings
from bot.jobs import notify_paused
from tests.support.console_chat import console_chat
from tests.support.feed_server import static

ADMIN, OTHER = 7, 8
FEED = ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>وكالة الأنباء</title>"
        "<item><title>زلزال في الشمال</title><link>https://news.example/quake</link>"
        "<description>ضرب زلزال قوي المنطقة الشمالية فجر اليوم وشعر به سكان المدن المجاورة، "
        "وقالت هيئة الأرصاد إن فرق الإنقاذ انتشرت في القرى.</description></item></channel></rss>").encode()


@pytest.fixture
async def console(tmp_path):
    """(application, say, out): `await say(text, user=...)` is what the bot printed (English)."""
    settings = Settings(NEWSBOT_DB=str(tmp_path / "s.db"), NEWSBOT_SEEDS=str(tmp_path / "none"),
                        NEWSBOT_ADMIN_IDS=str(ADMIN), NEWSBOT_FETCH_ALLOW_PRIVATE=True, NEWSBOT_FETCH_TIMEOUT=2)
    async with console_chat(settings) as (application, say_raw, out):
        async def say(text: str, user: int = ADMIN) -> str:
            return await say_raw(text, user=user, language_code="en")

        yield application, say, out


async def test_only_admins_manage_sources(console, feed_server):
    application, say, _ = console
    feed_server.routes["/rss"] = static(FEED)
    for command in ("/sources", f"/addsource {feed_server.url('/rss')}", "/removesource 1"):
        assert "Only the bot's administrators" in await say(command, user=OTHER)
    assert await application.bot_data.store.sources.all() == []


async def test_an_admin_adds_lists_and_removes_a_source(console, feed_server):
    application, say, _ = console
    feed_server.routes["/rss"] = static(FEED)
    assert "Put the feed's URL" in await say("/addsource")
    added = await say(f"/addsource {feed_server.url('/rss')}")
    assert "وكالة الأنباء" in added and "1 entry, 1 new article." in added
    assert "زلزال" in await say("/search زلزال")
    listed = await say("/sources")
    assert "1. وكالة الأنباء" in listed and "— 1 article," in listed
    assert "already a source" in await say(f"/addsource {feed_server.url('/rss')}")
    assert "There is no source number 9" in await say("/removesource ٩")
    assert "Removed" in await say("/removesource 1")
    assert "No sources yet" in await say("/sources")
    assert await application.bot_data.articles.count() == 1  # its articles stay


async def test_a_source_that_is_not_a_feed_is_refused_with_the_reason(console, feed_server):
    _, say, _ = console
    feed_server.routes["/page"] = static(b"<!doctype html><html><body><p>Hello</p></body></html>",
                                         content_type="text/html")
    assert "an HTML page, not a feed" in await say(f"/addsource {feed_server.url('/page')}")
    assert "not an http(s) URL" in await say("/addsource ftp://example.com/feed")


async def test_admins_are_told_once_when_a_source_is_paused(console, feed_server):
    application, _, out = console
    services = application.bot_data
    source, _ = await services.store.sources.add(feed_server.url("/down"), "Down Daily")
    for _ in range(services.settings.fetch_pause_after):
        (report,) = await services.feeds.poll_due(every=True)
    assert report.paused

    class Context:  # what a job gets: the bot and the services
        bot = application.bot
        bot_data = services

    start = len(out.getvalue())
    await notify_paused(Context, source.id)
    await notify_paused(Context, source.id)
    told = out.getvalue()[start:]
    assert told.count("Down Daily") == 1 and told.count("/addsource") == 1  # once, with how to resume
    assert (await services.store.sources.get(source.id)).pause_notified


async def test_stats_for_admins_only(console, feed_server):
    application, say, _ = console
    feed_server.routes["/rss"] = static(FEED)
    await say(f"/addsource {feed_server.url('/rss')}")
    await application.bot_data.store.sources.add(feed_server.url("/missing"), "Missing Daily")
    await application.bot_data.feeds.poll_due(every=True)
    assert "Only the bot's administrators" in await say("/stats", user=OTHER)
    shown = await say("/stats")
    assert "Articles: 1 article in 1 story" in shown and "Sources: 2 (0 paused, 1 failing)" in shown
    assert "Missing Daily: HTTP 404" in shown
