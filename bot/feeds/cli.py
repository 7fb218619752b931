"""`newsbot sources ...` and `newsbot fetch`: feeds from the command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from bot.config import Settings
from bot.feeds.fetch import FetchError
from bot.feeds.opml import read_opml, write_opml
from bot.feeds.parse import NotAFeed
from bot.feeds.poller import PollReport
from bot.services import Services
from storage import Source

NEWEST_SHOWN = 5


def add_commands(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    sources = sub.add_parser("sources", parents=[common], help="the feeds the bot polls")
    verbs = sources.add_subparsers(dest="verb", required=True)
    add = verbs.add_parser("add", parents=[common], help="fetch a feed now and add it")
    add.add_argument("url", help="the feed's URL (RSS or Atom)")
    add.add_argument("--name", help="what to call it (default: the feed's title)")
    listing = verbs.add_parser("list", parents=[common], help="every source and how its last poll went")
    listing.add_argument("--json", action="store_true", help="print JSON")
    remove = verbs.add_parser("remove", parents=[common], help="stop polling a source (its articles stay)")
    remove.add_argument("source", metavar="ID|URL", help="the source's number (see list) or its URL")
    imported = verbs.add_parser("import", parents=[common], help="add every feed of an OPML file")
    imported.add_argument("file", type=Path, help="an OPML file, as feed readers export")
    verbs.add_parser("export", parents=[common], help="print the sources as OPML")
    sources.set_defaults(func=cmd_sources)

    fetch = sub.add_parser("fetch", parents=[common], help="poll the sources that are due, now, once")
    fetch.add_argument("--all", action="store_true", help="every source, due or not (paused ones too)")
    fetch.add_argument("--json", action="store_true", help="print JSON")
    fetch.set_defaults(func=cmd_fetch)


def _run(settings: Settings, work) -> int:
    async def main() -> int:
        services = await Services.open(settings)
        try:
            return await work(services)
        finally:
            await services.close()

    return asyncio.run(main())


def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    verb = {"add": _add, "list": _list, "remove": _remove, "import": _import, "export": _export}[args.verb]
    return _run(settings, lambda services: verb(services, args))


async def _add(services: Services, args: argparse.Namespace) -> int:
    try:
        added = await services.feeds.add(args.url, args.name)
    except (FetchError, NotAFeed) as exc:
        hint = f" (it points to a feed: {exc.alternate})" if getattr(exc, "alternate", None) else ""
        print(f"refused: {args.url}: {exc.reason}{hint}", file=sys.stderr)
        return 1
    source = added.source
    if added.feed is None:
        print(f"already a source: [{source.id}] {source.label}")
        return 0
    verb = "resumed" if added.resumed else "added"
    print(f"{verb} [{source.id}] {source.label}: {len(added.feed.entries)} entries, "
          f"{len(added.report.new)} new articles")
    for entry in added.feed.entries[:NEWEST_SHOWN]:
        print(f"  {entry.published or '-':20}  {entry.title}")
    if added.feed.warning:
        print(f"  warning: {added.feed.warning}")
    return 0


def _source_json(source: Source) -> dict:
    return {"id": source.id, "url": source.url, "name": source.label, "title": source.title,
            "articles": source.articles, "last_status": source.last_status, "last_error": source.last_error,
            "failures": source.failures, "paused": source.paused, "next_poll_at": source.next_poll_at}


async def _list(services: Services, args: argparse.Namespace) -> int:
    sources = await services.store.sources.all()
    if args.json:
        print(json.dumps([_source_json(s) for s in sources], ensure_ascii=False))
        return 0
    if not sources:
        print("no sources: add one with `newsbot sources add URL`")
    for s in sources:
        state = "paused" if s.paused else (s.last_status or "not polled yet")
        error = f" ({s.last_error})" if s.last_error and s.last_status == "failed" else ""
        print(f"[{s.id}] {s.label}  {s.url}\n     {s.articles} articles, {state}{error}")
    return 0


async def _find(services: Services, key: str) -> Source | None:
    return await (services.store.sources.get(int(key)) if key.isdigit() else services.store.sources.by_url(key))


async def _remove(services: Services, args: argparse.Namespace) -> int:
    source = await _find(services, args.source)
    if source is None:
        print(f"no source {args.source}", file=sys.stderr)
        return 1
    await services.store.sources.remove(source.id)
    print(f"removed [{source.id}] {source.label} (its {source.articles} articles stay)")
    return 0


async def _import(services: Services, args: argparse.Namespace) -> int:
    try:
        feeds = read_opml(args.file.read_bytes())
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    if not feeds:
        print(f"no feeds in {args.file}", file=sys.stderr)
        return 1
    added = 0
    for url, title in feeds:
        _, created = await services.store.sources.add(url, title)
        added += created
    print(f"{added} added, {len(feeds) - added} already sources; `newsbot fetch` polls them")
    return 0


async def _export(services: Services, args: argparse.Namespace) -> int:
    sys.stdout.write(write_opml(await services.store.sources.all()))
    return 0


def cmd_fetch(args: argparse.Namespace, settings: Settings) -> int:
    async def work(services: Services) -> int:
        reports = await services.feeds.poll_due(every=args.all)
        if args.json:
            print(json.dumps([_report_json(r) for r in reports], ensure_ascii=False))
        else:
            for r in reports:
                print(_report_line(r))
            if not reports:
                print("no source is due")
        return 0

    return _run(settings, work)


def _report_json(r: PollReport) -> dict:
    return {"source": r.source.id, "name": r.source.label, "status": r.status, "new": len(r.new),
            "duplicates": r.duplicates, "error": r.error, "paused": r.paused, "warning": r.warning}


def _report_line(r: PollReport) -> str:
    if r.status == "failed":
        paused = " — paused after repeated failures" if r.paused else ""
        return f"[{r.source.id}] {r.source.label}: failed ({r.error}){paused}"
    if r.status == "unchanged":
        return f"[{r.source.id}] {r.source.label}: unchanged (304)"
    extra = f", {r.duplicates} already stored" if r.duplicates else ""
    return f"[{r.source.id}] {r.source.label}: {len(r.new)} new{extra}"
