"""bot.feeds.fetch through `Fetcher.fetch`, against the local FeedServer (and, where a public
address is needed offline, a fake resolver with httpx's MockTransport)."""

from __future__ import annotations

import asyncio
import logging
import socket
import time

import httpx
import pytest

from bot.feeds.fetch import Fetched, Fetcher, FetchError, FetchLimits, internal_kind
from tests.support.feed_server import (
    drip,
    gzip_bomb,
    gzipped,
    http_date,
    huge,
    never_answers,
    redirect,
    slow,
    static,
    status,
)
from tests.support.waiting import await_until

FEED = "<?xml version='1.0'?><rss version='2.0'><channel><title>أخبار</title></channel></rss>".encode()
LOCAL = FetchLimits(allow_private=True, timeout=5)


@pytest.fixture
async def fetcher():
    async with Fetcher(LOCAL) as fetcher:
        yield fetcher


async def failure(fetcher: Fetcher, url: str, **kwargs) -> FetchError:
    with pytest.raises(FetchError) as caught:
        await fetcher.fetch(url, **kwargs)
    return caught.value


FAKE_DNS = {"public.test": ["93.184.216.34"], "internal.test": ["10.0.0.7"], "mixed.test": ["93.184.216.34", "10.0.0.7"]}


async def fake_resolver(host: str, _port: int) -> list[str]:
    if host not in FAKE_DNS:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return FAKE_DNS[host]


# Conditional requests, User-Agent, cache hints


async def test_etag_gives_304_and_the_server_sees_if_none_match(feed_server, fetcher):
    feed_server.routes["/feed"] = static(FEED, etag='"v1"', headers={"Cache-Control": "public, max-age=900"})
    first = await fetcher.fetch(feed_server.url("/feed"))
    assert (first.status, first.body, first.etag, first.max_age) == (200, FEED, '"v1"', 900)
    assert first.content_type == "application/rss+xml; charset=utf-8"
    second = await fetcher.fetch(feed_server.url("/feed"), etag=first.etag)
    assert (second.status, second.body, second.etag) == (304, b"", '"v1"')
    assert feed_server.last_headers("/feed")["if-none-match"] == '"v1"'


async def test_last_modified_gives_304_and_the_server_sees_if_modified_since(feed_server, fetcher):
    stamp = http_date(time.time() - 3600)
    feed_server.routes["/feed"] = static(FEED, last_modified=stamp)
    first = await fetcher.fetch(feed_server.url("/feed"))
    assert (first.status, first.last_modified, first.etag, first.max_age) == (200, stamp, None, None)
    second = await fetcher.fetch(feed_server.url("/feed"), last_modified=stamp)
    assert (second.status, second.last_modified) == (304, stamp)
    assert feed_server.last_headers("/feed")["if-modified-since"] == stamp
    assert "if-none-match" not in feed_server.last_headers("/feed")


async def test_expires_gives_max_age(feed_server, fetcher):
    now = time.time()
    headers = {"Date": http_date(now), "Expires": http_date(now + 600)}
    feed_server.routes["/feed"] = static(FEED, headers=headers)
    assert (await fetcher.fetch(feed_server.url("/feed"))).max_age == 600


async def test_user_agent_names_the_bot(feed_server, fetcher):
    feed_server.routes["/feed"] = static(FEED)
    await fetcher.fetch(feed_server.url("/feed"))
    assert feed_server.last_headers("/feed")["user-agent"].startswith("newsbot/")
    assert "feed reader" in feed_server.last_headers("/feed")["user-agent"]


async def test_304_to_an_unconditional_request_is_an_error(feed_server, fetcher):
    feed_server.routes["/feed"] = status(304)
    assert (await failure(fetcher, feed_server.url("/feed"))).status == 304


# Size cap


@pytest.mark.parametrize("declare_length", [True, False], ids=["content-length", "chunked"])
async def test_50_mb_response_is_cut_off_unread(feed_server, fetcher, declare_length):
    feed_server.routes["/huge"] = huge(50 * 1024 * 1024, declare_length=declare_length)
    started = time.monotonic()
    error = await failure(fetcher, feed_server.url("/huge"))
    assert error.reason == "larger than 5 MB: cut off"
    assert time.monotonic() - started < 2
    await await_until(lambda: feed_server.in_flight("/huge") == 0, what="the server giving up")
    assert feed_server.bytes_sent["/huge"] < 20 * 1024 * 1024


async def test_a_smaller_cap_per_call(feed_server, fetcher):
    feed_server.routes["/page"] = static(b"x" * 2048, content_type="text/html")
    assert (await failure(fetcher, feed_server.url("/page"), max_bytes=1024)).reason == "larger than 1 KB: cut off"
    assert (await fetcher.fetch(feed_server.url("/page"), max_bytes=2048)).body == b"x" * 2048


async def test_gzip_body_is_decoded(feed_server, fetcher):
    feed_server.routes["/feed.gz"] = gzipped(FEED)
    fetched = await fetcher.fetch(feed_server.url("/feed.gz"))
    assert fetched.body == FEED
    assert "gzip" in feed_server.last_headers("/feed.gz")["accept-encoding"]


async def test_gzip_bomb_is_cut_off_on_decoded_size(feed_server, fetcher):
    feed_server.routes["/bomb"] = gzip_bomb(16 * 1024 * 1024)
    assert (await failure(fetcher, feed_server.url("/bomb"))).reason == "larger than 5 MB: cut off"


async def test_empty_body_is_an_error(feed_server, fetcher):
    feed_server.routes["/empty"] = status(200)
    error = await failure(fetcher, feed_server.url("/empty"))
    assert (error.reason, error.status) == ("empty response", 200)


# Redirects


@pytest.mark.parametrize(("code", "permanent"), [(301, True), (308, True), (302, False), (307, False)])
async def test_redirect_is_followed_and_the_final_url_reported(feed_server, fetcher, code, permanent):
    feed_server.routes["/old"] = redirect("/feed", code)
    feed_server.routes["/feed"] = static(FEED)
    fetched = await fetcher.fetch(feed_server.url("/old"))
    assert (fetched.url, fetched.body, fetched.moved_permanently) == (feed_server.url("/feed"), FEED, permanent)


async def test_redirect_loop_is_refused(feed_server, fetcher):
    feed_server.routes["/a"] = redirect(feed_server.url("/b"))
    feed_server.routes["/b"] = redirect("/a")
    assert (await failure(fetcher, feed_server.url("/a"))).reason == "redirect loop"
    assert feed_server.requests == {"/a": 1, "/b": 1}


async def test_more_than_five_redirects_are_refused_five_are_followed(feed_server, fetcher):
    for hop in range(6):
        feed_server.routes[f"/r{hop}"] = redirect(f"/r{hop + 1}")
    feed_server.routes["/r6"] = static(FEED)
    assert (await failure(fetcher, feed_server.url("/r0"))).reason == "more than 5 redirects"
    assert (await fetcher.fetch(feed_server.url("/r1"))).url == feed_server.url("/r6")


async def test_redirect_to_another_scheme_is_refused(feed_server, fetcher):
    feed_server.routes["/ftp"] = redirect("ftp://example.com/feed")
    assert (await failure(fetcher, feed_server.url("/ftp"))).reason == "redirected to a non-http(s) URL"


# Hanging sources


async def test_server_that_never_answers_times_out_without_holding_up_others(feed_server):
    feed_server.routes["/hang"] = never_answers
    feed_server.routes["/feed"] = static(FEED)
    finished: list[str] = []

    async def fetch(fetcher: Fetcher, path: str) -> Fetched | FetchError:
        try:
            return await fetcher.fetch(feed_server.url(path))
        except FetchError as error:
            return error
        finally:
            finished.append(path)

    async with Fetcher(FetchLimits(allow_private=True, timeout=1)) as fetcher:
        started = time.monotonic()
        hung, good = await asyncio.gather(fetch(fetcher, "/hang"), fetch(fetcher, "/feed"))
        elapsed = time.monotonic() - started
    assert finished == ["/feed", "/hang"]
    assert isinstance(good, Fetched) and good.body == FEED
    assert isinstance(hung, FetchError) and hung.reason == "timed out after 1 s"
    assert 0.9 < elapsed < 2


async def test_dripping_body_is_bounded_by_the_timeout(feed_server):
    feed_server.routes["/drip"] = drip([b"<rss>"] * 100, interval=0.1)
    async with Fetcher(FetchLimits(allow_private=True, timeout=0.5)) as fetcher:
        started = time.monotonic()
        assert (await failure(fetcher, feed_server.url("/drip"))).reason == "timed out after 0.5 s"
    assert time.monotonic() - started < 1.5


async def test_per_host_limit_holds_at_the_server_and_queueing_is_not_timed(feed_server):
    """Three rounds of 0.15 s take longer than the 0.4 s timeout: only the requests are timed."""
    feed_server.routes["/slow"] = slow(0.15, FEED)
    async with Fetcher(FetchLimits(allow_private=True, per_host=2, timeout=0.4)) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(feed_server.url("/slow")) for _ in range(6)))
    assert [fetched.body for fetched in results] == [FEED] * 6
    assert feed_server.max_in_flight_by_path["/slow"] == 2


async def test_per_host_limit_is_per_host(feed_server):
    feed_server.routes["/slow"] = slow(0.3, FEED)
    other_host = feed_server.url("/slow").replace("127.0.0.1", "localhost")
    async with Fetcher(FetchLimits(allow_private=True, per_host=1, timeout=5)) as fetcher:
        await asyncio.gather(fetcher.fetch(feed_server.url("/slow")), fetcher.fetch(other_host))
    assert feed_server.max_in_flight == 2


# HTTP errors and unreachable sources


@pytest.mark.parametrize(("code", "reason"), [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error")])
async def test_http_errors_carry_the_status(feed_server, fetcher, code, reason):
    feed_server.routes["/feed"] = status(code, b"oops")
    error = await failure(fetcher, feed_server.url("/feed"))
    assert (error.reason, error.status, error.retry_after) == (reason, code, None)


async def test_429_gives_retry_after(feed_server, fetcher):
    feed_server.routes["/seconds"] = status(429, headers={"Retry-After": "120"})
    feed_server.routes["/date"] = status(503, headers={"Retry-After": http_date(time.time() + 300)})
    error = await failure(fetcher, feed_server.url("/seconds"))
    assert (error.reason, error.status, error.retry_after) == ("HTTP 429 Too Many Requests", 429, 120)
    assert 290 < (await failure(fetcher, feed_server.url("/date"))).retry_after <= 300


async def test_closed_port_is_unreachable(fetcher):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert (await failure(fetcher, f"http://127.0.0.1:{port}/feed")).reason == "unreachable: connection refused"


@pytest.mark.parametrize("url", ["ftp://example.com/feed", "file:///etc/passwd", "example.com/feed", "javascript:x"])
async def test_only_http_urls(fetcher, url):
    assert (await failure(fetcher, url)).reason == "not an http(s) URL"


# No way into the host's network


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("127.0.0.1", "refused: 127.0.0.1 is a loopback address"),
        ("localhost", "refused: localhost resolves to a loopback address (127.0.0.1)"),
        ("[::1]", "refused: ::1 is a loopback address"),
        ("[::ffff:127.0.0.1]", "refused: ::ffff:127.0.0.1 is a loopback address"),
        ("10.1.2.3", "refused: 10.1.2.3 is a private address"),
        ("192.168.1.1", "refused: 192.168.1.1 is a private address"),
        ("169.254.169.254", "refused: 169.254.169.254 is a link-local address"),
        ("0.0.0.0", "refused: 0.0.0.0 is an unspecified address"),
    ],
)
async def test_internal_addresses_are_refused(feed_server, host, reason):
    feed_server.routes["/feed"] = static(FEED)
    async with Fetcher(FetchLimits()) as fetcher:
        assert (await failure(fetcher, feed_server.url("/feed").replace("127.0.0.1", host))).reason == reason
    assert feed_server.requests == {}


@pytest.mark.parametrize(
    ("host", "reason"),
    [
        ("internal.test", "refused: internal.test resolves to a private address (10.0.0.7)"),
        ("mixed.test", "refused: mixed.test resolves to a private address (10.0.0.7)"),
        ("nowhere.test", "unreachable: cannot resolve nowhere.test"),
    ],
)
async def test_names_are_judged_by_every_address_they_resolve_to(host, reason):
    async with Fetcher(FetchLimits(), resolver=fake_resolver) as fetcher:
        assert (await failure(fetcher, f"https://{host}/feed")).reason == reason


async def test_redirect_from_a_public_host_to_loopback_is_refused(feed_server):
    """public.test answers through a mock transport; the hop to 127.0.0.1 must never connect."""
    feed_server.routes["/feed"] = static(FEED)
    seen: list[str] = []

    def public_test(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": feed_server.url("/feed")})

    limits = FetchLimits()
    async with Fetcher(limits, resolver=fake_resolver, transport=httpx.MockTransport(public_test)) as fetcher:
        error = await failure(fetcher, "http://public.test/feed")
    assert error.reason == "refused: 127.0.0.1 is a loopback address"
    assert seen == ["http://public.test/feed"]
    assert feed_server.requests == {}


async def test_logs_never_show_credentials_or_query(feed_server, fetcher, caplog):
    feed_server.routes["/private"] = status(403)
    secret_url = feed_server.url("/private?token=s3cr3t").replace("http://", "http://reader:pa55@")
    with caplog.at_level(logging.DEBUG, logger="bot.feeds.fetch"):
        error = await failure(fetcher, secret_url)
    assert error.status == 403
    assert "/private" in caplog.text
    assert "s3cr3t" not in caplog.text and "pa55" not in caplog.text and "reader" not in caplog.text


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("93.184.216.34", None),
        ("2606:4700:4700::1111", None),
        ("::ffff:93.184.216.34", None),
        ("100.64.0.1", "private"),
        ("172.16.0.1", "private"),
        ("fd00::1", "private"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("::", "unspecified"),
        ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
        ("64:ff9b::a00:7", "private"),  # NAT64 around 10.0.0.7
    ],
)
def test_internal_kind(address, kind):
    assert internal_kind(address) == kind
