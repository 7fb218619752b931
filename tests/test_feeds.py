"""Feeds (issue 11) through the bot's own entry points: `Feeds.add` / `poll_due` over a real
SQLite store, against feeds a local HTTP server serves on 127.0.0.1. Texts are the tests' own."""

import asyncio
import time

import pytest

from bot.config import Settings
from bot.feeds.fetch import FetchError
from bot.search.engine import search_articles
from bot.services import Services
from bot.stories.grouping import also_reported_by
from storage import PollStatus
from tests.support.feed_server import huge, never_answers, redirect, static, status

QUAKE = ("زلزال بقوة ست درجات يضرب شمال البلاد",
         ("ضرب زلزال بقوة ست درجات على مقياس ريختر المناطق الشمالية فجر اليوم، وشعر به سكان المدن "
         "المجاورة. وقالت هيئة الأرصاد إن مركز الزلزال كان على عمق عشرة كيلومترات، وإن فرق "
         "الإنقاذ انتشرت في القرى الجبلية لتفقد الأضرار. ولم تسجل حتى الآن إصابات، بحسب "
         "الدفاع المدني الذي دعا السكان إلى الابتعاد عن المباني المتصدعة."))
BUDGET = ("الحكومة تقر موازنة العام المقبل",
          ("أقر مجلس الوزراء مشروع الموازنة العامة للعام المقبل بعجز أقل من العام الحالي، وقال وزير "
          "المالية إن الإنفاق على التعليم والصحة سيرتفع، وإن الحكومة ستخفض الدعم تدريجياً. "
          "وأحال المجلس المشروع إلى البرلمان لمناقشته خلال الدورة المقبلة."))
HARBOUR = ("الميناء يستأنف العمل بعد الإصلاحات",
           ("أعلنت إدارة الميناء استئناف حركة السفن بعد شهرين من أعمال الإصلاح، وقالت إن السفن "
            "المنتظرة في عرض البحر ستدخل تباعاً خلال الأسبوع، وإن الرسوم لن ترتفع هذا العام."))
PAGE_TEXT = ("The city council voted on Monday night to approve a flood barrier along the eastern bank of "
             "the river, after three years of debate over its cost and its route through the old port.")


def item(title: str, text: str, link: str, guid: str | None = None, date: str = "Tue, 01 Dec 2026 09:30:00 +0300") -> str:
    guid_xml = f"<guid isPermaLink='false'>{guid}</guid>" if guid else ""
    return (f"<item><title>{title}</title><link>{link}</link>{guid_xml}"
            f"<description><![CDATA[<p>{text}</p>]]></description><pubDate>{date}</pubDate></item>")


def rss(title: str, items: list[str], ttl: int | None = None) -> bytes:
    ttl_xml = f"<ttl>{ttl}</ttl>" if ttl else ""
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>"
            f"<link>https://news.example/</link>{ttl_xml}{''.join(items)}</channel></rss>").encode()


def settings_for(tmp_path, location: str, **overrides) -> Settings:
    """Settings over the store at `location` (`store_location`: each backend in turn)."""
    values = {"NEWSBOT_DB": location, "NEWSBOT_SEEDS": str(tmp_path / "none"),
              "NEWSBOT_FETCH_ALLOW_PRIVATE": True, "NEWSBOT_FETCH_TIMEOUT": 2.0,
              "NEWSBOT_FETCH_MAX_BYTES": 1024 * 1024}
    return Settings(**{**values, **overrides})


@pytest.fixture
async def services(tmp_path, store_location):
    opened = await Services.open(settings_for(tmp_path, store_location))
    yield opened
    await opened.close()


async def titles_found(services: Services, query: str) -> list[str]:
    page = await search_articles(services.index, services.articles, query, limit=10)
    return [a.title for a in page.articles]


async def test_a_feed_becomes_articles_with_link_date_and_source(services, feed_server):
    feed_server.routes["/rss"] = static(rss("وكالة الأنباء", [
        item(*QUAKE, "https://news.example/quake?utm_source=rss&id=7#top"),
        item(*BUDGET, "https://news.example/budget"),
    ]), etag='"v1"')
    added = await services.feeds.add(feed_server.url("/rss"))
    assert added.created and added.source.label == "وكالة الأنباء"
    assert len(added.report.new) == 2
    assert await titles_found(services, "الزلازل") == [QUAKE[0]]  # a plural finds the singular
    (article,) = [await services.articles.get(i) for i, t in added.report.new if t == QUAKE[0]]
    assert article.url == "https://news.example/quake?id=7"  # trackers and fragment gone
    assert article.published_at == "2026-12-01T06:30:00Z"  # +0300 in UTC
    assert article.source == "وكالة الأنباء" and article.body.startswith("ضرب زلزال")


async def test_a_second_poll_is_a_304_and_an_entry_is_stored_once_across_feeds_and_restarts(tmp_path, store_location, feed_server):
    body = rss("وكالة الأنباء", [item(*QUAKE, "https://news.example/quake")])
    feed_server.routes["/a"] = static(body, etag='"v1"')
    feed_server.routes["/b"] = static(rss("مرآة", [item(*QUAKE, "https://news.example/quake?utm_medium=x")]))
    services = await Services.open(settings_for(tmp_path, store_location))
    try:
        first = await services.feeds.add(feed_server.url("/a"))
        assert len(first.report.new) == 1
        again = await services.feeds.poll(await services.store.sources.get(first.source.id))
        assert again.status == PollStatus.UNCHANGED and feed_server.last_headers("/a").get("if-none-match") == '"v1"'
        mirror = await services.feeds.add(feed_server.url("/b"))  # the same link, trackers aside
        assert mirror.report.new == [] and mirror.report.duplicates == 1
    finally:
        await services.close()
    feed_server.routes["/a"] = static(body, etag='"v2"')  # changed validators: read again
    services = await Services.open(settings_for(tmp_path, store_location))
    try:
        reports = await services.feeds.poll_due(every=True)
        assert [r.status for r in reports] == [PollStatus.NEW, PollStatus.NEW]
        assert all(r.new == [] for r in reports)  # seen entries are not read again after a restart
        assert await services.articles.count() == 1
    finally:
        await services.close()


async def test_a_teaser_is_completed_from_its_page_without_the_furniture(services, feed_server):
    page = (f"<html><head><title>Flood barrier</title></head><body><nav><a href='/'>Home</a> | "
            f"<a href='/sport'>Sport</a></nav><article><h1>City council approves new flood barrier plan</h1>"
            f"<p>{PAGE_TEXT}</p><p>Work starts in the spring and should take two years, the mayor said, "
            f"and the port road stays open while it lasts.</p></article><aside><h3>Related articles</h3>"
            f"<ul><li><a href='/x'>Bridge closed for repairs</a></li></ul></aside><section class='comments'>"
            f"<h3>Leave a comment</h3><p>Great news for the old port!</p></section>"
            f"<footer>Copyright Riverside Courier</footer></body></html>").encode()
    feed_server.routes["/page"] = static(page, content_type="text/html; charset=utf-8")
    teaser = item("City council approves new flood barrier plan",
                  "The city council voted on Monday night to approve a flood barrier...", feed_server.url("/page"))
    feed_server.routes["/teasers"] = static(rss("Riverside Courier", [teaser]))
    added = await services.feeds.add(feed_server.url("/teasers"))
    (article_id, _), = added.report.new
    body = (await services.articles.get(article_id)).body
    assert PAGE_TEXT in body and "the port road stays open" in body
    for furniture in ("Related articles", "Leave a comment", "Great news", "Copyright", "Sport"):
        assert furniture not in body


async def test_every_bad_source_gives_its_reason_and_none_holds_up_the_others(services, feed_server):
    cases = {
        "/good": static(rss("وكالة الأنباء", [item(*QUAKE, "https://news.example/quake")])),
        "/huge": huge(50 * 1024 * 1024),
        "/loop": redirect("/loop"),
        "/silent": never_answers,
        "/html": static(b"<!doctype html><html><head><title>Home</title></head><body><p>Hi</p></body></html>",
                        content_type="text/html"),
        "/empty": static(b""),
        "/gone": status(404),
        "/cp1256": static(rss("الأخبار", [item(*BUDGET, "https://news.example/budget")])
                          .decode().replace("utf-8", "windows-1256").encode("cp1256")),
        # cut inside the channel after its only item: the item is read, the break reported
        "/broken": static(rss("مكسور", [item(*HARBOUR, "https://news.example/harbour")])[:-40]),
    }
    feed_server.routes.update(cases)
    for path in cases:
        await services.store.sources.add(feed_server.url(path))
    reports = await asyncio.wait_for(services.feeds.poll_due(), timeout=30)
    by_path = {r.source.url.rsplit("/", 1)[1]: r for r in reports}
    assert len(by_path["good"].new) == 1 and len(by_path["cp1256"].new) == 1
    assert "larger than" in by_path["huge"].error and "redirect loop" in by_path["loop"].error
    assert "timed out" in by_path["silent"].error and "HTML page" in by_path["html"].error
    assert "empty" in by_path["empty"].error and "404" in by_path["gone"].error
    assert by_path["broken"].status == PollStatus.NEW and len(by_path["broken"].new) == 1
    assert "broken XML" in by_path["broken"].warning
    assert await titles_found(services, "الموازنة") == [BUDGET[0]]  # windows-1256 read as Arabic
    assert await services.articles.count() == 3
    sources = {s.url.rsplit("/", 1)[1]: s for s in await services.store.sources.all()}
    assert sources["silent"].failures == 1 and sources["silent"].next_poll_at > time.time()
    assert sources["good"].failures == 0 and sources["good"].last_status == "new"


async def test_a_failing_source_backs_off_then_is_paused_once(tmp_path, store_location, feed_server):
    feed_server.routes["/down"] = status(503, headers={"Retry-After": "120"})
    services = await Services.open(settings_for(tmp_path, store_location, NEWSBOT_FETCH_PAUSE_AFTER=3))
    try:
        source, _ = await services.store.sources.add(feed_server.url("/down"))
        paused = []
        for _ in range(4):
            (report,) = await services.feeds.poll_due(every=True)
            paused.append(report.paused)
            assert report.status == PollStatus.FAILED and "503" in report.error
        source = await services.store.sources.get(source.id)
        assert paused == [False, False, True, False] and source.paused and source.failures == 4
        assert source.next_poll_at >= time.time() + 100  # Retry-After honoured
        assert await services.store.sources.due(time.time() + 10**9) == []  # paused: never due
        resumed = await services.store.sources.resume(source.id)
        assert not resumed.paused and resumed.failures == 0
    finally:
        await services.close()


async def test_private_addresses_are_refused_unless_allowed(tmp_path, store_location, feed_server):
    feed_server.routes["/rss"] = static(rss("x", [item(*QUAKE, "https://news.example/q")]))
    services = await Services.open(settings_for(tmp_path, store_location, NEWSBOT_FETCH_ALLOW_PRIVATE=False))
    try:
        with pytest.raises(FetchError, match="loopback"):
            await services.feeds.add(feed_server.url("/rss"))
        assert await services.store.sources.all() == [] and feed_server.requests.get("/rss", 0) == 0
    finally:
        await services.close()


async def test_the_same_story_from_two_outlets_is_one_story_and_one_alert(services, feed_server):
    title, text = QUAKE
    edited = (text.replace("فجر اليوم", "صباح اليوم").replace("بحسب الدفاع المدني", "وفق الدفاع المدني")
              + " وتابعت السلطات المحلية الوضع عن كثب.")
    feed_server.routes["/agency"] = static(rss("وكالة الأنباء", [item(title, text, "https://agency.example/1")]))
    feed_server.routes["/paper"] = static(rss("صحيفة المساء", [
        item("زلزال قوي يهز الشمال", edited, "https://paper.example/quake"),
        item(*BUDGET, "https://paper.example/budget"),
    ]))
    await services.alerts.subscribe(42, "private", "ar", "زلزال")
    await services.alerts.subscribe(42, "private", "ar", "الموازنة")
    await services.feeds.add(feed_server.url("/agency"))
    await services.feeds.add(feed_server.url("/paper"))
    assert await services.alerts.match_new() == 2  # the quake once, the budget once
    found = (await search_articles(services.index, services.articles, "زلزال", limit=10)).articles
    assert len(found) == 2 and found[0].story == found[1].story
    (budget,) = (await search_articles(services.index, services.articles, "الموازنة", limit=10)).articles
    assert budget.story != found[0].story
    paper = next(a for a in found if a.source == "صحيفة المساء")
    assert await also_reported_by(services.store.stories, paper) == ["وكالة الأنباء"]
