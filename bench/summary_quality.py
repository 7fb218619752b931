"""Summary quality: ROUGE-1/2/L F1 of newsbot and baselines on EASC and BBC.

Usage:
    python -m bench.summary_quality [--easc DIR] [--bbc DIR] [--every K]

Budgets: every summary gets a word budget equal to its reference's length,
counted with `bot.summaries.summarizer.count_words` (bot.text word boundaries; BBC's glued
summaries such as `$10.9bn.For` still count `10.9bn` and `For` as two words,
because a `.` only joins digits). A sentence that would overflow the budget is
skipped and shorter ones further down the ranking may still fill it; every
algorithm, Lead included, uses that same rule (`bot.summaries.summarizer.fill_budget`)
and the same sentence splitter (`bot.text.split_sentences`).

References: EASC has five human summaries per article; each gets its own
summary at its own budget and the five F1 scores are averaged, then articles
are averaged (macro). BBC has one reference; titles (first line) are given to
newsbot as `title=` and are not part of any algorithm's text.

ROUGE: bench/_rouge.py (tokens of bot.text.normalize keys, so Arabic letters
count and alef forms fold; LCS over whole sequences for RL).
Prints JSON: {set: {algorithm: {R1, R2, RL}}, ...}.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench._baselines import STOCK, lead, stock_summarizer
from bench._evaldata import DEFAULT_EVAL, Article, bbc, easc
from bench._rouge import rouge_scores
from bot.summaries.summarizer import count_words, summarize

Algorithm = Callable[[Article, int], list[str]]


def newsbot(article: Article, budget: int) -> list[str]:
    """The product: language detected, title used when the set has one."""
    return summarize(article.text, title=article.title, words=budget).sentences


def algorithms() -> dict[str, Algorithm]:
    out: dict[str, Algorithm] = {"newsbot": newsbot, "lead": lambda a, b: lead(a.text, a.language, b)}
    for name in STOCK:
        run = stock_summarizer(name)
        out[f"sumy_{name}"] = lambda a, b, run=run: run(a.text, a.language, b)
    return out


def evaluate(articles: list[Article], algos: dict[str, Algorithm]) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for name, algo in algos.items():
        totals = {"R1": 0.0, "R2": 0.0, "RL": 0.0}
        started = time.perf_counter()
        for article in articles:
            for reference in article.references:
                summary = " ".join(algo(article, count_words(reference)))
                for key, value in rouge_scores(summary, reference).items():
                    totals[key] += value / len(article.references)
        table[name] = {k: round(v / len(articles), 4) for k, v in totals.items()}
        table[name]["seconds"] = round(time.perf_counter() - started, 1)
        print(f"{name}: {table[name]}", file=sys.stderr, flush=True)
    return table


def verdict(table: dict[str, dict[str, float]], rival: str) -> dict[str, object]:
    """Does newsbot beat `rival` on all of R1, R2 and RL?"""
    keys = ("R1", "R2", "RL")
    return {
        "rival": rival,
        "newsbot_wins_all": all(table["newsbot"][k] > table[rival][k] for k in keys),
        "margin": {k: round(table["newsbot"][k] - table[rival][k], 4) for k in keys},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="ROUGE of newsbot vs baselines")
    parser.add_argument("--easc", type=Path, default=DEFAULT_EVAL / "easc")
    parser.add_argument("--bbc", type=Path, default=DEFAULT_EVAL / "bbc")
    parser.add_argument("--every", type=int, default=1, help="use every K-th article (quick runs)")
    parser.add_argument("--sets", default="easc,bbc")
    args = parser.parse_args()
    readers = {"easc": (easc, args.easc), "bbc": (bbc, args.bbc)}
    algos = algorithms()
    report: dict[str, object] = {"every": args.every}
    for name in args.sets.split(","):
        reader, path = readers[name]
        articles = list(reader(path))[:: args.every]
        table = evaluate(articles, algos)
        stock = {k: v for k, v in table.items() if k.startswith("sumy_")}
        best_stock = max(stock, key=lambda k: stock[k]["R1"])
        report[name] = {
            "articles": len(articles),
            "references": sum(len(a.references) for a in articles),
            "table": table,
            "vs_lead": verdict(table, "lead"),
            "vs_best_stock_sumy": verdict(table, best_stock),
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
