"""Rough speed of the PacSum-style ranker from bench/summary_cv.py vs stock LexRank and summarize().

Usage: python -m bench._cv_speed [--every K]

Times per article (EASC all, BBC every K-th): stock sumy LexRank (bench/_baselines.py), the
shipped summarize(), and a stand-alone PacSum-style summarize (split, content stems, TF-IDF
cosine, directed centrality, lead prior + lead-window similarity, selection with redundancy),
as the next session might implement it; and a 5,000-sentence article, where the O(n²) graph
only sees a shortlist like bot.summaries.ranking.GRAPH_LIMIT (centroid top 280 + first 20).
"""

from __future__ import annotations

import argparse
import json
import math
import time

import numpy

from bench._baselines import stock_summarizer
from bench._cv_cache import _set_cosine, _tfidf
from bench._evaldata import DEFAULT_EVAL, bbc, easc
from bot.summaries.ranking import GRAPH_LIMIT, _centroid_scores
from bot.summaries.summarizer import count_words, fill_budget, summarize
from bot.text import content_stems, detect_language, split_sentences


def pacsum_summarize(text: str, budget: int, *, beta=0.0, lam1=-0.5, lead=1.0, scale=8.0, lw=1.0,
                     redundancy=0.7) -> list[str]:
    lang = detect_language(text)
    found = split_sentences(text, lang)
    if not found:
        return []
    analysed = [content_stems(s.text, lang) for s in found]
    content = [a for a, _ in analysed]
    lengths = [b for _, b in analysed]
    n = len(found)
    index = list(range(n))
    scores = numpy.zeros(n)
    if n > GRAPH_LIMIT:
        cen = _centroid_scores(content)
        index = sorted(set(sorted(range(n), key=lambda i: -cen[i])[: GRAPH_LIMIT - 20]) | set(range(20)))
        scores = 0.01 * numpy.array(cen) - 10.0
    sub = [content[i] for i in index]
    window = [w for i in index[:2] for w in content[i]]
    mat, (lw_vec,) = _tfidf(sub, [window])
    sim = mat @ mat.T
    m = len(index)
    if m > 1:
        off = sim[~numpy.eye(m, dtype=bool)]
        lo, hi = float(off.min()), float(off.max())
        edges = numpy.clip(sim - (lo + beta * (hi - lo)), 0.0, None)
        numpy.fill_diagonal(edges, 0.0)
        raw = lam1 * numpy.tril(edges, -1).sum(1) + numpy.triu(edges, 1).sum(1)
        span = raw.max() - raw.min()
        base = (raw - raw.min()) / span if span > 0 else numpy.zeros(m)
    else:
        base = numpy.ones(m)
    pos = numpy.exp(-numpy.array(index) / scale)
    scores[index] = base + lead * pos + lw * (mat @ lw_vec)
    sets = [set(c) for c in content]
    ranked = sorted(range(n), key=lambda i: (-scores[i], i))
    order = [i for i in ranked if lengths[i] >= 4] or ranked
    chosen = fill_budget(order, [lengths[i] for i in order], budget,
                         accept=lambda i, kept: all(_set_cosine(sets[i], sets[j]) <= redundancy for j in kept))
    return [found[i].text for i in sorted(chosen)]


def _time(fn, items) -> float:
    started = time.perf_counter()
    for item in items:
        fn(*item)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=int, default=3)
    args = parser.parse_args()
    lexrank = stock_summarizer("lexrank")
    out = {}
    for name, articles in (("easc", list(easc(DEFAULT_EVAL / "easc"))),
                           ("bbc", list(bbc(DEFAULT_EVAL / "bbc"))[:: args.every])):
        jobs = [(a, count_words(a.references[0])) for a in articles]
        out[name] = {
            "articles": len(jobs),
            "sumy_lexrank_s": round(_time(lambda a, b: lexrank(a.text, a.language, b), jobs), 2),
            "shipped_summarize_s": round(_time(lambda a, b: summarize(a.text, title=a.title, words=b), jobs), 2),
            "pacsum_s": round(_time(lambda a, b: pacsum_summarize(a.text, b), jobs), 2),
        }
    base = list(bbc(DEFAULT_EVAL / "bbc"))[:40]
    sentences = [s.text for a in base for s in split_sentences(a.text, "en")]
    long_text = " ".join((sentences * math.ceil(5000 / len(sentences)))[:5000])
    n = len(split_sentences(long_text, "en"))
    t0 = time.perf_counter()
    summarize(long_text, words=200)
    t1 = time.perf_counter()
    pacsum_summarize(long_text, 200)
    t2 = time.perf_counter()
    out["long_article"] = {"sentences": n, "shipped_s": round(t1 - t0, 3), "pacsum_s": round(t2 - t1, 3)}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
