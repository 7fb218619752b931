"""Search at scale: ingest rate, query p50/p95, database size, and a LIKE scan as baseline.

Builds a store of N articles (default 100,000) by recombining sentences of the evaluation
sets in ../shared/eval (Arabic and English), ingests them through the same analysis and
store code the bot uses, then times a mix of queries against the FTS index and the same
one-word questions as a `LIKE '%word%'` scan, in the same run. Prints JSON.

    .venv/bin/python -m bench.search_scale [--articles 100000] [--eval ../shared/eval]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import sqlite3
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench._evaldata import DEFAULT_EVAL, bbc, easc
from bot.ingest.files import ParsedArticle
from bot.ingest.pipeline import ingest_files
from bot.search.engine import search_articles
from bot.text import normalize, split_sentences, strip_arabic_marks, tokenize
from storage import open_store


def sentence_pools(root: Path) -> dict[str, list[str]]:
    """Every sentence of every eval article, by language."""
    pools: dict[str, list[str]] = {"ar": [], "en": []}
    for article in list(easc(root / "easc")) + list(bbc(root / "bbc")):
        pools[article.language] += [s.text for s in split_sentences(article.text, article.language)]
    wiki_ar = root / "wikinews-ar" / "WikiNewsTruth.txt"
    if wiki_ar.exists():
        lines = [l for l in wiki_ar.read_text(encoding="utf-8").splitlines() if l and not l.startswith("# ")]
        pools["ar"] += [s.text for s in split_sentences("\n".join(lines), "ar")]
    wiki_en = root / "wikinews-en" / "articles.jsonl"
    if wiki_en.exists():
        for line in wiki_en.read_text(encoding="utf-8").splitlines():
            text = json.loads(line).get("text") or ""
            pools["en"] += [s.text for s in split_sentences(text, "en")]
    return {lang: [s for s in pool if 20 <= len(s) <= 600] for lang, pool in pools.items()}


def synthetic_articles(pools: dict[str, list[str]], count: int, rng: random.Random):
    """Articles of 6-14 sentences drawn from one language's pool; 60% Arabic."""
    sources = {"ar": ["بروكار برس", "الجزيرة", "وكالة سانا", "العربية"], "en": ["Reuters", "BBC", "AP", "AFP"]}
    for n in range(count):
        lang = "ar" if rng.random() < 0.6 else "en"
        sentences = rng.sample(pools[lang], rng.randint(6, 14))
        title = " ".join(sentences[0].split()[:10]).rstrip(".")
        day = f"20{rng.randint(15, 26):02d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        body = "\n".join(" ".join(sentences[i : i + 2]) for i in range(1, len(sentences), 2))
        yield ParsedArticle(title, body, rng.choice(sources[lang])), day


def query_mix(pools: dict[str, list[str]], rng: random.Random, per_kind: int) -> dict[str, list[str]]:
    """One-word, multi-word, phrase and Arabic-variant queries from the corpus' own words."""
    counts: dict[str, Counter] = {}
    for lang, pool in pools.items():
        counter = Counter()
        for sentence in rng.sample(pool, min(4000, len(pool))):
            counter.update(t.surface for t in tokenize(sentence, lang) if not t.is_stop and len(t.norm) > 3)
        counts[lang] = counter
    words = {lang: [w for w, _ in c.most_common(3000)[50:]] for lang, c in counts.items()}
    bare_ar = [strip_arabic_marks(w) for w in words["ar"] if re.fullmatch(r"[\u0621-\u064a]+", strip_arabic_marks(w))]
    mix: dict[str, list[str]] = {"one_word": [], "multi_word": [], "phrase": [], "arabic_variant": []}
    for _ in range(per_kind):
        lang = rng.choice(["ar", "en"])
        mix["one_word"].append(rng.choice(words[lang]))
        mix["multi_word"].append(" ".join(rng.sample(words[lang], rng.randint(2, 3))))
        sentence = rng.choice(pools[lang]).split()
        start = rng.randrange(max(1, len(sentence) - 2))
        mix["phrase"].append('"' + " ".join(sentence[start : start + 2]) + '"')
        word = rng.choice(bare_ar)
        mix["arabic_variant"].append(rng.choice(["ال", "بال", "وال", "و", "لل"]) + word.removeprefix("ال"))
    return mix


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def run(args: argparse.Namespace) -> dict:
    rng = random.Random(args.seed)
    pools = sentence_pools(Path(args.eval))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db) if args.db else Path(tmp) / "scale.db"
        reuse = path.exists()
        opened = await open_store(path)
        store, index = opened.articles, opened.search
        ingest = None
        if reuse:  # --db given and built before: measure queries only
            args.articles = await store.count()
            for _ in synthetic_articles(pools, args.articles, rng):
                pass  # keep the random stream where a fresh build would leave it
        else:
            # Article files on disk, ingested the way `newsbot ingest FOLDER` does it.
            folder = Path(tmp) / "articles"
            folder.mkdir()
            for n, (parsed, _day) in enumerate(synthetic_articles(pools, args.articles, rng)):
                text = f"{parsed.title}\n{parsed.body}\n{parsed.source}\n"
                (folder / f"{n:06d}.txt").write_text(text, encoding="utf-8")
            started = time.perf_counter()
            report = await ingest_files(store, [folder])
            seconds = time.perf_counter() - started
            ingest = {
                "articles_per_second": round(args.articles / seconds, 1),
                "seconds": round(seconds, 1),
                "added": len(report.added),
                "skipped_as_duplicates": len(report.skipped),
                "refused": len(report.refused),
                "worker_processes": os.cpu_count(),
            }
        with contextlib.closing(sqlite3.connect(path)) as conn:  # the file's size without its WAL
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = path.stat().st_size

        mix = query_mix(pools, rng, args.queries)
        # Steady state: every query once untimed, so that timings are of a warm page cache
        # (as in a running bot), not of the first read of each page from disk.
        for queries in mix.values():
            for query in queries:
                await search_articles(index, store, query, limit=5)
        timings: dict[str, list[float]] = {}
        for kind, queries in mix.items():
            for query in queries:
                t0 = time.perf_counter()
                await search_articles(index, store, query, limit=5)
                timings.setdefault(kind, []).append((time.perf_counter() - t0) * 1000)
        like_ms, fts_ms = [], []
        for word in mix["one_word"][: args.like_queries]:
            key = normalize(word)
            t0 = time.perf_counter()
            await index.count_like(key)
            like_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            await search_articles(index, store, word, limit=5)
            fts_ms.append((time.perf_counter() - t0) * 1000)
        await opened.close()

    everything = [ms for values in timings.values() for ms in values]
    return {
        "articles": args.articles,
        "ingest": ingest,
        "database_bytes": size,
        "database_mib": round(size / 2**20, 1),
        "query_ms": {
            "all": {"p50": round(percentile(everything, 0.5), 2), "p95": round(percentile(everything, 0.95), 2),
                    "count": len(everything)},
            **{kind: {"p50": round(percentile(v, 0.5), 2), "p95": round(percentile(v, 0.95), 2)}
               for kind, v in timings.items()},
        },
        "like_baseline": {
            "queries": len(like_ms),
            "like_p50_ms": round(percentile(like_ms, 0.5), 2),
            "fts_p50_ms_same_queries": round(percentile(fts_ms, 0.5), 2),
            "ratio_p50": round(percentile(like_ms, 0.5) / percentile(fts_ms, 0.5), 1),
        },
        "goals": {"p95_ms_below": 20, "ingest_per_second_above": 500, "like_ratio_at_least": 100},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=100, help="queries per kind")
    parser.add_argument("--like-queries", type=int, default=20)
    parser.add_argument("--eval", default=str(DEFAULT_EVAL))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", help="keep the built store here; if it exists, reuse it and time queries only")
    print(json.dumps(asyncio.run(run(parser.parse_args())), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
