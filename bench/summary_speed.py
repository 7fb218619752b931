"""Summary speed: ms per article for newsbot and stock sumy LexRank, same run.

Usage:
    python -m bench.summary_speed [--easc DIR] [--bbc DIR] [--every K]

Every article of both sets is summarized end to end (text in, sentences out:
sentence splitting and tokenising included) at its first reference's word
budget, by newsbot and by stock sumy LexRank (same splitter, sumy's stemmer and
stop words). Then a synthetic 5,000-sentence article, made by cycling the
sentences of the BBC set in 1,000 five-sentence paragraphs, is summarized
once (modules already imported, word caches cold for the unseen ordering).
Prints JSON: median and p95 ms per article, and seconds for the long one.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from itertools import cycle, islice
from pathlib import Path

from bench._baselines import stock_summarizer
from bench._evaldata import DEFAULT_EVAL, Article, bbc, easc
from bot.summaries.summarizer import count_words, summarize
from bot.text import split_sentences


def timings(articles: list[Article], run: Callable[[Article, int], object]) -> list[float]:
    out = []
    for article in articles:
        budget = count_words(article.references[0])
        started = time.perf_counter()
        run(article, budget)
        out.append((time.perf_counter() - started) * 1000)
    return out


def stats(ms: list[float]) -> dict[str, float]:
    ordered = sorted(ms)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
        "articles": len(ordered),
    }


def synthetic(articles: list[Article], sentences: int = 5000) -> str:
    pool = [s.text for a in articles for s in split_sentences(a.text, a.language)]
    picked = list(islice(cycle(pool[::-1]), sentences))
    return "\n\n".join(" ".join(picked[i : i + 5]) for i in range(0, sentences, 5))


def main() -> None:
    parser = argparse.ArgumentParser(description="Summary speed, newsbot vs stock LexRank")
    parser.add_argument("--easc", type=Path, default=DEFAULT_EVAL / "easc")
    parser.add_argument("--bbc", type=Path, default=DEFAULT_EVAL / "bbc")
    parser.add_argument("--every", type=int, default=1)
    args = parser.parse_args()
    sets = {"easc": list(easc(args.easc))[:: args.every], "bbc": list(bbc(args.bbc))[:: args.every]}
    lexrank = stock_summarizer("lexrank")
    runners: dict[str, Callable[[Article, int], object]] = {
        "newsbot": lambda a, b: summarize(a.text, title=a.title, words=b),
        "sumy_lexrank": lambda a, b: lexrank(a.text, a.language, b),
    }
    report: dict[str, object] = {}
    everything = [a for group in sets.values() for a in group]
    for name, run in runners.items():
        run(everything[0], 50)  # imports (sumy, numpy, pysbd) are not per-article work
        per_set = {key: timings(group, run) for key, group in sets.items()}
        report[name] = {"all": stats([ms for group in per_set.values() for ms in group])}
        report[name].update({key: stats(ms) for key, ms in per_set.items()})
    long_text = synthetic(sets["bbc"])
    started = time.perf_counter()
    summary = summarize(long_text, words=150)
    report["synthetic_5000_sentences"] = {
        "sentences_found": len(split_sentences(long_text, "en")),
        "chars": len(long_text),
        "seconds": round(time.perf_counter() - started, 3),
        "summary_sentences": len(summary.sentences),
    }
    report["newsbot_median_le_lexrank"] = (
        report["newsbot"]["all"]["median_ms"] <= report["sumy_lexrank"]["all"]["median_ms"]
    )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
