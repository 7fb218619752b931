"""What recording each update costs (bot/receiving/once.py), against the search it precedes.

Every update a running bot takes is first recorded in the store, so that a copy handed out
again is not handled twice. On each backend, with a day's worth of ids already recorded
(`--recorded`, 100,000: more than one update a second), this times `fresh_updates` for one new
id (a webhook POST), a copy, and a getUpdates batch of 100 new ids, and `/search سوريا` on the
seeded store (one article) in the same run, as the baseline: the ratio says what share of a
search's time the record adds. Prints JSON.

    .venv/bin/python -m bench.taken_updates [--recorded 100000] [--takes 2000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from bench._postgres import postgres_database
from bench.search_scale import percentile
from bot.ingest.pipeline import ingest_files
from bot.receiving.once import fresh_updates
from bot.search.engine import search_articles
from storage import open_store

REPO = Path(__file__).resolve().parents[1]
BOT = 123456


def _ms(timings: list[float]) -> dict:
    return {"p50": round(percentile(timings, 0.5), 3), "p95": round(percentile(timings, 0.95), 3)}


async def _timed(call, times: int) -> list[float]:
    timings = []
    for n in range(times):
        started = time.perf_counter()
        await call(n)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


async def measure(location: str, recorded: int, takes: int) -> dict:
    store = await open_store(location)
    try:
        await ingest_files(store.articles, [REPO / "seeds"])
        now = time.time()
        for start in range(0, recorded, 5000):  # a day of ids, spread over the day
            await store.updates.take(BOT, range(start, min(recorded, start + 5000)), now - 86_400 * start / recorded)
        new = await _timed(lambda n: fresh_updates(store, BOT, [recorded + n]), takes)
        copies = await _timed(lambda n: fresh_updates(store, BOT, [recorded + n]), takes)
        first = recorded + takes
        batches = await _timed(lambda n: fresh_updates(store, BOT, range(first + 100 * n, first + 100 * (n + 1))),
                               max(1, takes // 10))
        await search_articles(store.search, store.articles, "سوريا", limit=5)  # warm, as a running bot
        searches = await _timed(lambda n: search_articles(store.search, store.articles, "سوريا", limit=5), takes)
        return {"new_update_ms": _ms(new), "copy_ms": _ms(copies), "batch_of_100_ms": _ms(batches),
                "search_ms": _ms(searches),
                "new_over_search_p50": round(percentile(new, 0.5) / percentile(searches, 0.5), 3)}
    finally:
        await store.close()


async def run(args: argparse.Namespace, postgres_url: str) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        return {"recorded": args.recorded, "takes": args.takes,
                "sqlite": await measure(str(Path(folder) / "bench.db"), args.recorded, args.takes),
                "postgres": await measure(postgres_url, args.recorded, args.takes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recorded", type=int, default=100_000)
    parser.add_argument("--takes", type=int, default=2000)
    parser.add_argument("--postgres", help="an empty PostgreSQL database (default: a throwaway cluster)")
    args = parser.parse_args()
    with postgres_database(args.postgres) as url:
        result = asyncio.run(run(args, url))
    print(json.dumps(result, indent=2))

if __name__ == "__main__":
    main()
