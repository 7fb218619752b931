"""Feeds at scale: 200 local feeds of 50 items each, a first full poll and a second one.

Usage: python -m bench.feeds [--feeds 200] [--items 50] [--eval ../shared/eval]

Items are real text from ../shared/eval (sentences of EASC, Arabic Wikinews and BBC articles,
recombined into distinct ones), served as RSS 2.0 with ETags by the tests' local server (tests/support/feed_server.py)
on 127.0.0.1. Like real outlets, feeds overlap: 10% of the items of a feed also appear in
another feed under the same link (with a tracking parameter), and 10% are agency copies
re-published by another feed under their own link with small edits (a changed word, a credit
line). The bot's own `Feeds.poll_due(every=True)` polls them (the concurrency and limits of
`newsbot fetch --all`), into a fresh SQLite store.

Prints JSON: seconds, articles/s and the process's peak RSS after each poll; how many were
stored, skipped as already stored (same link or text) and grouped into stories; the second
poll's 304s (all of them, since nothing changed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from bench._evaldata import DEFAULT_EVAL, bbc, easc
from bot.config import Settings
from bot.services import Services
from bot.text import split_sentences
from tests.support.feed_server import FeedServer, static


def _sentence_pool(root: Path) -> list[tuple[str, str]]:
    """(language, sentence) of the eval articles: EASC and Arabic Wikinews, BBC."""
    texts = [(a.language, a.text) for a in list(easc(root / "easc")) + list(bbc(root / "bbc"))]
    wikinews = root / "wikinews-ar" / "WikiNewsTruth.txt"
    if wikinews.exists():
        texts += [("ar", line) for line in wikinews.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    pool = []
    for lang, text in texts:
        pool += [(lang, s.text.strip()) for s in split_sentences(text, lang) if len(s.text.split()) >= 8]
    return list(dict.fromkeys(pool))  # each sentence once


STRIDES = ((1, 0), (7, 101), (13, 211), (29, 307), (53, 401))


def _items(feeds: int, per_feed: int, pool: list[tuple[str, str]], rng: random.Random) -> list[list[dict]]:
    """Per feed, its items; a tenth repeated from another feed by link, a tenth edited copies.

    Each item is five sentences of its language (shuffled once) picked by five strides, so
    that two items rarely share one: distinct stories, as the eval sets hold too few whole
    articles for 10,000 items."""
    by_language = {lang: [p for lg, p in pool if lg == lang] for lang in ("ar", "en")}
    for paras in by_language.values():
        rng.shuffle(paras)
    cursor = {"ar": 0, "en": 0}
    made = []
    for f in range(feeds):
        lang = "ar" if f % 2 == 0 else "en"
        paras = by_language[lang]
        items = []
        for i in range(per_feed):
            t = cursor[lang]
            cursor[lang] += 1
            size = len(paras)  # sentences by coprime strides: two items rarely share one
            body = " ".join(paras[(t * stride + offset) % size] for stride, offset in STRIDES)
            title = " ".join(body.split()[:8])
            items.append({"title": title, "body": body, "link": f"https://outlet{f}.example/{i}", "guid": f"{f}-{i}"})
        made.append(items)
    for f, items in enumerate(made):
        other = made[(f + 2) % feeds]  # a feed of the same language
        for i in range(0, per_feed, 10):  # the same article, another feed, a tracking parameter
            src = other[i + 1]
            items[i] = {**src, "link": src["link"] + "?utm_source=feed", "guid": f"copy-{f}-{i}"}
        for i in range(5, per_feed, 10):  # agency copy re-published with small edits
            src = other[i + 1]
            words = src["body"].split(" ")
            words[len(words) // 2] = "(وكالات)" if f % 2 == 0 else "(Reuters)"
            items[i] = {"title": src["title"], "body": " ".join(words) + " — agency copy",
                        "link": f"https://outlet{f}.example/copy-{i}", "guid": f"edit-{f}-{i}"}
    return made


def _rss(name: str, items: list[dict]) -> bytes:
    """Full-text RSS 2.0 (content:encoded), as most agency feeds: no page needs fetching."""
    xml = "".join(
        f"<item><title>{escape(it['title'])}</title><link>{escape(it['link'])}</link>"
        f"<guid isPermaLink='false'>{it['guid']}</guid>"
        f"<content:encoded>{escape('<p>' + it['body'].replace(chr(10), '</p><p>') + '</p>')}</content:encoded>"
        "<pubDate>Tue, 01 Dec 2026 09:30:00 +0000</pubDate></item>"
        for it in items
    )
    return ("<?xml version='1.0' encoding='utf-8'?><rss version='2.0' "
            "xmlns:content='http://purl.org/rss/1.0/modules/content/'>"
            f"<channel><title>{name}</title><link>https://example.org/</link>{xml}</channel></rss>").encode()


def _outlet(url: str) -> int:
    return int(url.split("outlet", 1)[1].split(".", 1)[0])


def _stories_check(stored, feeds: int) -> dict:
    """Per language: edited copies grouped into their source's story (recall), and distinct
    items grouped into another distinct item's story (false merges, an upper bound: Arabic
    items reuse sentences, the Arabic eval text holding about 1,900 of them)."""
    by_url = {a.url: a for a in stored}
    by_id = {a.id: a for a in stored}
    out = {}
    for lang in ("ar", "en"):
        mine = [a for a in stored if a.language == lang and a.url]
        copies = [a for a in mine if "/copy-" in a.url]
        joined = 0
        for copy in copies:
            i = int(copy.url.rsplit("copy-", 1)[1])
            source = by_url.get(f"https://outlet{(_outlet(copy.url) + 2) % feeds}.example/{i + 1}")
            joined += source is not None and source.story == copy.story
        distinct = [a for a in mine if "/copy-" not in a.url]
        merged = sum(a.story != a.id and "/copy-" not in (by_id[a.story].url or "") for a in distinct)
        out[lang] = {"edited_copies": len(copies), "grouped_with_their_source": joined,
                     "distinct_items": len(distinct), "grouped_with_another_distinct_item": merged}
    return out


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


async def _run(args: argparse.Namespace) -> dict:
    rng = random.Random(11)
    feeds = _items(args.feeds, args.items, _sentence_pool(args.eval), rng)
    with FeedServer() as server, tempfile.TemporaryDirectory() as tmp:
        for n, items in enumerate(feeds):
            server.routes[f"/feed{n}.xml"] = static(_rss(f"Outlet {n}", items), etag=f'"{n}"')
        settings = Settings(NEWSBOT_DB=str(Path(tmp) / "feeds.db"), NEWSBOT_SEEDS=str(Path(tmp) / "none"),
                            NEWSBOT_FETCH_ALLOW_PRIVATE=True)
        services = await Services.open(settings)
        try:
            for n in range(len(feeds)):
                await services.store.sources.add(server.url(f"/feed{n}.xml"))
            report: dict = {"feeds": len(feeds), "items_per_feed": args.items, "peak_rss_mib_before": _peak_mib()}
            for phase in ("first_poll", "second_poll"):
                started = time.perf_counter()
                polled = await services.feeds.poll_due(every=True)
                seconds = time.perf_counter() - started
                new = sum(len(r.new) for r in polled)
                report[phase] = {
                    "seconds": round(seconds, 2), "articles_stored": new,
                    "articles_per_second": round(new / seconds, 1) if new else 0.0,
                    "already_stored": sum(r.duplicates for r in polled),
                    "unchanged_304": sum(r.status == "unchanged" for r in polled),
                    "failed": sum(r.status == "failed" for r in polled),
                    "peak_rss_mib": _peak_mib(),
                }
            total = await services.articles.count()
            stored = await services.articles.get_many(list(range(1, total + 1)))
            stories = len({a.story for a in stored})
            report["stories_check"] = _stories_check(stored, len(feeds))
            report["database_mib"] = round(Path(settings.db).stat().st_size / 2**20, 1)
            report["stored_articles"] = total
            report["stories"] = stories
            report["grouped_into_another_story"] = total - stories
            report["expected"] = {"distinct_items": len(feeds) * args.items * 8 // 10,
                                  "same_link_copies": len(feeds) * (args.items // 10),
                                  "edited_copies": len(feeds) * (args.items // 10)}
            return report
        finally:
            await services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    args = parser.parse_args()
    json.dump(asyncio.run(_run(args)), sys.stdout, ensure_ascii=False, indent=2)
    print()


if __name__ == "__main__":
    main()
