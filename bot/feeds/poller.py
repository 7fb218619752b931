"""Polling sources: fetch, read, store new entries as articles, and keep each source's state.

One `Feeds` per process (in `Services`), with one HTTP client. A poll of a source:
conditional GET (ETag, Last-Modified) -> feed entries -> the ones not seen before of this
source -> teaser entries completed from their page (size and time budget; the teaser kept
when that fails) -> the same analysis and store as article files (so search and alerts see
them like any article; an article already stored by link or text is not stored twice) ->
stories -> the source's next poll: its own ttl or cache hints within the configured bounds,
backing off after failures and paused after `fetch_pause_after` of them in a row.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import time
from dataclasses import dataclass, field

from bot.config import Settings
from bot.feeds.fetch import Fetched, Fetcher, FetchError, FetchLimits
from bot.feeds.pages import extract_article
from bot.feeds.parse import FeedEntry, NotAFeed, ParsedFeed, parse_feed
from bot.ingest.files import MAX_TITLE_CHARS, ParsedArticle
from bot.ingest.pipeline import store_parsed
from bot.stories.grouping import assign_stories
from storage import PollResult, PollStatus, Source, Store, is_store_failure

log = logging.getLogger(__name__)

PAGE_BYTES = 2 * 1024 * 1024  # a linked page is cut off beyond this
PAGE_SECONDS = 10.0  # fetch and extraction of one page
PAGES_PER_POLL = 20  # teasers completed from their pages in one poll of a source
CONCURRENT_SOURCES = 8


@dataclass
class PollReport:
    """What one poll of one source did, for `newsbot fetch`, `/sources` and logs."""

    source: Source
    status: PollStatus
    new: list[tuple[int, str]] = field(default_factory=list)  # (article id, title)
    duplicates: int = 0  # entries new to this source whose article was already stored
    error: str | None = None
    paused: bool = False  # this poll paused the source
    warning: str | None = None


@dataclass
class Added:
    """What adding a source did: `created`, or `resumed` (it was paused), or neither (it exists)."""

    source: Source
    feed: ParsedFeed | None = None
    report: PollReport | None = None
    created: bool = False
    resumed: bool = False


class Feeds:
    """Sources, polled with one shared HTTP client; `aclose` when done."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.fetcher = Fetcher(FetchLimits(
            timeout=settings.fetch_timeout, max_bytes=settings.fetch_max_bytes,
            allow_private=settings.fetch_allow_private,
        ))

    async def aclose(self) -> None:
        await self.fetcher.aclose()

    async def preview(self, url: str) -> tuple[str, ParsedFeed]:
        """Fetch and read `url` without storing anything: (final URL, feed), or FetchError/NotAFeed."""
        fetched = await self.fetcher.fetch(url)
        return fetched.url, parse_feed(fetched.body, url=fetched.url, content_type=fetched.content_type)

    async def add(self, url: str, name: str | None = None) -> Added:
        """Fetch `url` now and, if it is a feed, add it and store its entries; a paused source
        with that URL is resumed. FetchError or NotAFeed (nothing added) when it cannot be read."""
        existing = await self.store.sources.by_url(url)
        if existing is not None and not existing.paused:
            return Added(existing)
        _, feed = await self.preview(url)
        if existing is not None:
            source, created, resumed = await self.store.sources.resume(existing.id), False, True
        else:
            (source, created), resumed = await self.store.sources.add(url, name), False
        report = await self.poll(source)
        if report.new:
            await assign_stories(self.store.stories)
        return Added(await self.store.sources.get(source.id), feed, report, created, resumed)

    async def poll_due(self, now: float | None = None, *, every: bool = False) -> list[PollReport]:
        """Poll the sources that are due (`every`: all of them, paused ones too), side by side."""
        sources = await (self.store.sources.all() if every else self.store.sources.due(now or time.time()))
        gate = asyncio.Semaphore(CONCURRENT_SOURCES)

        async def one(source: Source) -> PollReport:
            async with gate:
                return await self.poll(source)

        reports = await asyncio.gather(*(one(s) for s in sources))
        if any(r.new for r in reports):
            await assign_stories(self.store.stories)
        return list(reports)

    async def poll(self, source: Source) -> PollReport:
        """Poll one source now; never raises for the source's own faults."""
        started = time.time()
        try:
            fetched = await self.fetcher.fetch(source.url, etag=source.etag, last_modified=source.last_modified)
            if fetched.status == 304:
                report = PollReport(source, PollStatus.UNCHANGED)
                result = self._success(PollStatus.UNCHANGED, source, fetched, None)
            else:
                feed = parse_feed(fetched.body, url=fetched.url, content_type=fetched.content_type)
                report = await self._store_entries(source, feed)
                report.warning = feed.warning
                result = self._success(PollStatus.NEW, source, fetched, feed)
        except (FetchError, NotAFeed) as exc:
            report, result = self._failed(source, exc.reason, getattr(exc, "retry_after", None))
            log.info("source %d (%s) failed: %s", source.id, source.label, exc.reason)
        except Exception as exc:  # a bug met on one feed must not stop the others
            if is_store_failure(exc):
                raise
            log.exception("source %d (%s): unexpected error", source.id, source.label)
            report, result = self._failed(source, f"internal error ({type(exc).__name__})", None)
        await self.store.sources.record_poll(source.id, result, polled_at=started)
        return report

    # ------------------------------------------------------------------ entries
    async def _store_entries(self, source: Source, feed: ParsedFeed) -> PollReport:
        report = PollReport(source, PollStatus.NEW)
        keyed = {}
        for entry in feed.entries:
            keyed.setdefault(_entry_key(entry), entry)
        seen = await self.store.sources.seen(source.id, list(keyed))
        fresh = [(key, entry) for key, entry in keyed.items() if key not in seen]
        label = source.name or feed.title or source.title or source.url
        pages = 0
        items = []
        for key, entry in fresh:
            text = entry.text
            if entry.teaser and entry.link and pages < PAGES_PER_POLL:
                pages += 1
                text = await self._page_text(entry) or text
            if not text.strip():
                text = entry.title  # a headline-only entry still says what happened
            parsed = ParsedArticle(
                title=entry.title[:MAX_TITLE_CHARS] or text[:80], body=text, source=label,
                url=entry.link, published_at=entry.published,
            )
            items.append((key, parsed, {"origin": f"feed:{source.id}"}))
        records: list[tuple[str, int | None]] = []
        async for key, article, article_id, created in store_parsed(self.store.articles, items):
            records.append((key, article_id))
            if created:
                report.new.append((article_id, article.title))
            else:
                report.duplicates += 1
        if records:
            await self.store.sources.record_seen(source.id, records)
        return report

    async def _page_text(self, entry: FeedEntry) -> str | None:
        """The article's text from its page, within PAGE_BYTES and PAGE_SECONDS; None if not."""
        try:
            async with asyncio.timeout(PAGE_SECONDS):
                fetched = await self.fetcher.fetch(entry.link, max_bytes=PAGE_BYTES)
                text = await asyncio.to_thread(
                    extract_article, fetched.body, url=fetched.url, content_type=fetched.content_type,
                    teaser=entry.text,
                )
        except (FetchError, TimeoutError) as exc:
            log.info("page of %r not read: %s", entry.title[:60], getattr(exc, "reason", "timed out"))
            return None
        if text is None:
            return None
        first, _, rest = text.partition("\n")
        return rest.strip() if first.strip() == entry.title.strip() and rest.strip() else text  # the page's <h1>

    # ------------------------------------------------------------------ scheduling
    def _interval(self, hint: float | None) -> float:
        s = self.settings
        return min(max(hint or s.fetch_interval, s.fetch_min_interval), s.fetch_max_interval)

    def _success(self, status: PollStatus, source: Source, fetched: Fetched, feed: ParsedFeed | None) -> PollResult:
        ttl = feed.ttl_seconds if feed else None
        hint = ttl or fetched.max_age or source.ttl_seconds
        return PollResult(
            status=status, etag=fetched.etag, last_modified=fetched.last_modified,
            title=feed.title if feed else None, ttl_seconds=ttl,
            next_poll_at=time.time() + self._interval(hint), failures=0, paused=False,
        )

    def _failed(self, source: Source, reason: str, retry_after: float | None) -> tuple[PollReport, PollResult]:
        """Back off exponentially (or as the server asked); pause after fetch_pause_after in a row."""
        failures = source.failures + 1
        wait = min(self._interval(None) * 2 ** (failures - 1), self.settings.fetch_max_interval)
        if retry_after:
            wait = max(wait, min(retry_after, self.settings.fetch_max_interval))
        result = PollResult(
            status=PollStatus.FAILED, error=reason, next_poll_at=time.time() + wait,
            failures=failures, paused=failures >= self.settings.fetch_pause_after,
        )
        report = PollReport(source, PollStatus.FAILED, error=reason, paused=result.paused and not source.paused)
        return report, result


def _entry_key(entry: FeedEntry) -> str:
    """What makes an entry the same one at the next poll: its GUID, else its link, else its text."""
    if entry.guid:
        return entry.guid
    if entry.link:
        return entry.link
    return "sha256:" + hashlib.sha256(f"{entry.title}\n{entry.text}".encode()).hexdigest()
