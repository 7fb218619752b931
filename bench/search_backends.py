"""Search on both backends: the same N-article store in SQLite and in PostgreSQL, the same
queries through `bot.search.engine.search_articles`, and how far the answers agree.

Articles and queries are bench/search_scale.py's (sentences of ../shared/eval recombined).
Reports per backend the ingest rate and query p50/p95, and across them the share of
queries whose top-10 article ids are the same set (and in the same order) and the mean
Jaccard of the top-10 sets. PostgreSQL is a throwaway cluster (tests/support/postgres.py)
unless --postgres names a database. Given --sqlite FILE and --postgres URL holding the
same build of an earlier run (same --articles and --seed), only the queries are measured.
Prints JSON.

    .venv/bin/python -m bench.search_backends [--articles 100000] [--postgres URL --sqlite FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from pathlib import Path

from bench._evaldata import DEFAULT_EVAL
from bench._postgres import postgres_database
from bench.search_scale import percentile, query_mix, sentence_pools, synthetic_articles
from bot.ingest.pipeline import ingest_files
from bot.search.engine import search_articles
from storage import open_store

TOP = 10


async def _build(location: str, folder: Path, count: int) -> tuple[object, dict | None]:
    store = await open_store(location)
    if await store.articles.count():  # built before (--sqlite and --postgres given): queries only
        return store, None
    started = time.perf_counter()
    report = await ingest_files(store.articles, [folder])
    seconds = time.perf_counter() - started
    return store, {"articles_per_second": round(count / seconds, 1), "seconds": round(seconds, 1),
                   "added": len(report.added)}


async def _answers(store, queries: list[str]) -> tuple[list[list[int]], list[float]]:
    for query in queries:  # warm caches, as in a running bot
        await search_articles(store.search, store.articles, query, limit=TOP)
    tops, timings = [], []
    for query in queries:
        t0 = time.perf_counter()
        page = await search_articles(store.search, store.articles, query, limit=TOP)
        timings.append((time.perf_counter() - t0) * 1000)
        tops.append([hit.article.id for hit in page.hits])
    return tops, timings


def _latency(timings: list[float]) -> dict:
    return {"p50": round(percentile(timings, 0.5), 2), "p95": round(percentile(timings, 0.95), 2)}


async def _analyze(store) -> None:
    """What autovacuum does on a running server after a bulk insert: planner statistics, and the
    visibility map that lets the postings be read from their index alone."""
    db = getattr(store, "db", None)
    if db is not None and hasattr(db, "pool"):
        await db.execute("VACUUM ANALYZE")


async def run(args: argparse.Namespace, postgres_url: str) -> dict:
    rng = random.Random(args.seed)
    pools = sentence_pools(Path(args.eval))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "articles"
        folder.mkdir()
        for n, (parsed, _day) in enumerate(synthetic_articles(pools, args.articles, rng)):
            (folder / f"{n:06d}.txt").write_text(f"{parsed.title}\n{parsed.body}\n{parsed.source}\n", encoding="utf-8")
        mix = query_mix(pools, rng, args.queries)
        queries = [q for kind in mix.values() for q in kind]
        kinds = [kind for kind, qs in mix.items() for _ in qs]
        results, ingest, latency = {}, {}, {}
        sqlite_path = args.sqlite or str(Path(tmp) / "store.db")
        for name, location in (("sqlite", sqlite_path), ("postgres", postgres_url)):
            store, ingest[name] = await _build(location, folder, args.articles)
            try:
                await _analyze(store)
                tops, timings = await _answers(store, queries)
            finally:
                await store.close()
            results[name] = tops
            latency[name] = {"all": _latency(timings),
                             **{k: _latency([t for t, kk in zip(timings, kinds) if kk == k]) for k in mix}}
    pairs = list(zip(results["sqlite"], results["postgres"]))
    same_set = [set(a) == set(b) for a, b in pairs]
    same_order = [a == b for a, b in pairs]
    jaccard = [len(set(a) & set(b)) / len(set(a) | set(b)) if (a or b) else 1.0 for a, b in pairs]
    differing = [{"query": q, "sqlite": a, "postgres": b} for q, (a, b), s in zip(queries, pairs, same_set) if not s]
    return {
        "articles": args.articles,
        "queries": len(queries),
        "agreement": {
            "same_top10_set": round(sum(same_set) / len(pairs), 4),
            "same_top10_order": round(sum(same_order) / len(pairs), 4),
            "mean_jaccard": round(sum(jaccard) / len(pairs), 4),
            "per_kind_same_set": {k: round(sum(s for s, kk in zip(same_set, kinds) if kk == k)
                                           / kinds.count(k), 4) for k in mix},
            "first_differences": differing[:5],
        },
        "ingest": ingest,
        "query_ms": latency,
        "goals": {"same_top10_set_at_least": 0.9, "postgres_p95_ms_below": 20},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100, help="queries per kind")
    parser.add_argument("--eval", default=str(DEFAULT_EVAL))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", help="a PostgreSQL database to use instead of a throwaway cluster")
    parser.add_argument("--sqlite", help="the SQLite file to build (or, built before, to query)")
    args = parser.parse_args()
    with postgres_database(args.postgres) as url:
        result = asyncio.run(run(args, url))
    print(json.dumps(result, ensure_ascii=False, indent=2))

if __name__ == "__main__":
    main()
