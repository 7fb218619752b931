"""Topic matching at scale: the term index against a scan of every topic, in the same run.

Usage: python -m bench.alerts_match [--topics 100000] [--articles 1000] [--scan-articles 100]
                                    [--eval ../shared/eval] [--seed 1] [--max-df 0.05]

Articles are real (EASC Arabic and BBC English from ../shared/eval, analysed as ingestion
does; synthetic text if the folder is missing). Topics are built from the articles' own
words as users would type them (not generic words: see --max-df): one to three words, some "phrases" (adjacent words), some
`A OR B`, some `-excluded` words and `lang:`/`source:`/`since:` filters, a few paused or
created after some articles. The scan checks every topic for each of the first
`--scan-articles` articles (it is the slow baseline); on those the two answers must be
identical. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import time
from collections import Counter
from pathlib import Path

from bench._evaldata import DEFAULT_EVAL, bbc, easc
from bot.alerts.matcher import (
    AnalysedArticle,
    TopicIndex,
    compile_topic,
    document_frequencies,
)
from bot.ingest.files import Refused, parse_article
from bot.ingest.pipeline import analyse
from bot.text import stop_words
from storage import ArticleTerms, Topic


def load_articles(root: Path, count: int, rng: random.Random) -> tuple[list[ArticleTerms], list[list[str]]]:
    """(articles as matching sees them, each article's words in order)."""
    texts: list[str] = []
    if root.is_dir():
        for article in easc(root / "easc"):
            first = article.text.strip().split("\n")[0]  # EASC has no titles: the first words
            texts.append(" ".join(first.split()[:10]) + "\n" + article.text.strip() + "\nوكالة الأنباء")
        for article in bbc(root / "bbc"):
            texts.append(f"{article.title}\n{article.text.strip()}\nSource: BBC")
            if len(texts) >= count:
                break
    while len(texts) < count:  # synthetic fallback: words recombined
        words = [f"w{rng.randint(0, 20000)}" for _ in range(300)]
        texts.append(" ".join(words[:8]) + "\n" + " ".join(words[8:]) + ".\nSource: Synthetic")
    rng.shuffle(texts)
    articles, words = [], []
    for text in texts:
        if len(articles) == count:
            break
        try:
            new = analyse(parse_article(text))
        except Refused:
            continue
        n = len(articles) + 1
        date = "2024-01-15" if n % 3 else "2024-06-15"
        articles.append(ArticleTerms(n, new.language, new.source, date,
                                     tuple(new.title_stems.split()), tuple(new.body_stems.split())))
        words.append((new.title_words + " " + new.body_words).split())
    return articles, words


def make_query(rng: random.Random, words: list[list[str]], content: list[list[str]], vocab: list[str]) -> str:
    """Words people follow: content words of a real article (a phrase: two adjacent words)."""
    pick = rng.randrange(len(words))
    doc, content_words = words[pick], content[pick]
    parts = []
    for _ in range(rng.choice((1, 1, 2, 2, 2, 3))):
        roll = rng.random()
        if roll < 0.15 and len(doc) > 2:
            i = rng.randrange(len(doc) - 1)
            parts.append(f'"{doc[i]} {doc[i + 1]}"')
        elif roll < 0.3:
            parts.append(f"{rng.choice(vocab)} OR {rng.choice(vocab)}")
        else:
            parts.append(rng.choice(content_words) if rng.random() < 0.5 else rng.choice(vocab))
    if rng.random() < 0.1:
        parts.append("-" + rng.choice(vocab))
    if rng.random() < 0.05:
        parts.append(rng.choice(("lang:ar", "lang:en", "source:bbc", "since:2024-03-01")))
    return " ".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--topics", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--scan-articles", type=int, default=100)
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-df", type=float, default=0.05,
                        help="leave out of topics words found in more than this share of articles")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    t0 = time.perf_counter()
    articles, words = load_articles(args.eval, args.articles, rng)
    stops = stop_words("ar") | stop_words("en")
    # Topic words: content words that are not generic. People follow names, places and
    # subjects, not "said" or "year": words in more than --max-df of the articles are left out.
    word_df = Counter(w for doc in words for w in set(doc))
    limit = max(2, int(args.max_df * len(words)))
    content = [sorted({w for w in doc if w not in stops and len(w) > 2 and not w.isdigit()
                       and word_df[w] <= limit}) or doc for doc in words]
    vocab = sorted({w for doc in content for w in doc})
    load_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    index = TopicIndex(document_frequencies(articles))
    for topic_id in range(1, args.topics + 1):
        query = make_query(rng, words, content, vocab)
        since_article = rng.randrange(args.articles) if rng.random() < 0.05 else 0
        index.put(compile_topic(Topic(topic_id, rng.randrange(20_000), query, rng.random() < 0.03, since_article),
                                index.df))
    build_s = time.perf_counter() - t0
    gc.freeze()  # as the bot does once the index is built (bot/app.py)

    analysed = [AnalysedArticle.of(a) for a in articles]
    indexed_ms, matched, candidates = [], 0, 0
    results = {}
    for article in analysed:
        t = time.perf_counter()
        found = index.match(article)
        indexed_ms.append((time.perf_counter() - t) * 1000)
        results[article.id] = [topic.id for topic in found]
        matched += len(found)
    for article in analysed[:50]:
        candidates += len(list(index.candidates(article)))

    scan_ms, identical = [], True
    for article in analysed[: args.scan_articles]:
        fresh = AnalysedArticle.of(articles[article.id - 1])  # no phrase positions cached by the indexed run
        t = time.perf_counter()
        found = index.scan(fresh)
        scan_ms.append((time.perf_counter() - t) * 1000)
        identical &= [topic.id for topic in found] == results[article.id]

    indexed_mean = statistics.fmean(indexed_ms)
    scan_mean = statistics.fmean(scan_ms)
    report = {
        "topics": args.topics,
        "articles": len(articles),
        "languages": {lang: sum(a.language == lang for a in articles) for lang in {a.language for a in articles}},
        "topic_vocabulary": len(vocab),
        "topic_word_max_df": limit,
        "index_keys": len(index._by_key) + len(index._exact_by_key),
        "load_and_analyse_s": round(load_s, 2),
        "index_build_s": round(build_s, 2),
        "indexed_ms_per_article": {
            "mean": round(indexed_mean, 3),
            "p50": round(statistics.median(indexed_ms), 3),
            "p95": round(sorted(indexed_ms)[int(0.95 * len(indexed_ms)) - 1], 3),
            "max": round(max(indexed_ms), 3),
        },
        "candidates_per_article_mean": round(candidates / min(50, len(analysed)), 1),
        "matches_per_article_mean": round(matched / len(analysed), 2),
        "scan_articles": len(scan_ms),
        "scan_ms_per_article": {"mean": round(scan_mean, 2), "p50": round(statistics.median(scan_ms), 2)},
        "speedup_mean": round(scan_mean / indexed_mean, 1),
        "identical_results": identical,
        "goal": {"under_2_ms": indexed_mean < 2.0, "speedup_at_least_50x": scan_mean / indexed_mean >= 50},
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
