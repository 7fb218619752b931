"""Spelling variants on the dev data: how often each spelling occurs, whether `/search` for one
spelling finds the articles written with the other, and what the folding merges besides.

Usage: python -m bench.spelling_variants [--eval ../shared/eval]

"before" is the analysis of ANALYSIS_VERSION 1 (the light stemmer without bot.text.variants),
"after" the current one; both run in this process over the same articles (EASC's 100 and the
Arabic Wikinews articles, marks kept as written), each through a temporary store and the real
search engine. Per variant pair: `articles` (dev articles holding each spelling, any proclitic),
`recall` (of the articles holding only the other spelling, the share `/search <spelling>`
finds). `over_merge`: distinct word types of the dev text that share a stem after but did not
before (every new merge, with examples), and those that no longer share one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import bot.text.normalize  # noqa: F401  (the module, shadowed by the function in bot.text)
from bench._evaldata import DEFAULT_EVAL, easc
from bot.config import Settings
from bot.ingest.files import ParsedArticle
from bot.ingest.pipeline import analyse
from bot.search.engine import search_articles
from bot.services import Services
from bot.text import stemmers, tokenize, tokens

normalize_module = sys.modules["bot.text.normalize"]

_P = "(?:وب|ول|وك|فب|فل|فك|و|ف|ب|ل|ك)?"
# (name, query A, query B, article holds A, article holds B): regexes over normalised words.
PAIRS = [
    ("syria", "سوريا", "سورية", rf"^{_P}سوريا$", rf"^{_P}سوريه$"),
    # the trade-off: bare `سورية` now means Syria, so it no longer finds `السوري` ... by itself
    ("syria_vs_adjective", "سورية", "السوري", rf"^{_P}سوري[اه]$", r"^(?:وال|فال|بال|لل|ال)سوري"),
    ("america", "أمريكا", "أميركا", rf"^{_P}امريكا$", rf"^{_P}اميركا$"),
    ("american", "الأمريكي", "الأميركي", r"امريكي", r"اميركي"),
    ("europe", "أوروبا", "أوربا", rf"^{_P}اوروبا$", rf"^{_P}اوربا$"),
    ("european", "الأوروبي", "الأوربي", r"اوروبي", r"اوربي"),
    ("official", "مسؤول", "مسئول", r"مسؤول", r"مسئول"),
    ("affairs", "شؤون", "شئون", r"شؤون", r"شئون"),
    ("heh_persian", "هذه", "ھذه", r"^هذه$", r"^ھذه$"),
]


def dev_articles(root: Path) -> list[ParsedArticle]:
    found = []
    for article in easc(root / "easc"):
        title, _, body = article.text.strip().partition("\n")
        found.append(ParsedArticle(title.strip(), body.strip() or title, None))
    wiki = root / "wikinews-ar" / "WikiNewsTruth.txt"
    if wiki.exists():
        title, body = None, []
        for line in wiki.read_text(encoding="utf-8").splitlines() + ["# end"]:
            line = line.strip()
            # a title is a short line without a full stop; a heading or the next title ends an article
            if line.startswith("# ") or (line and len(line) < 200 and not line.endswith(".")):
                if title and body:
                    found.append(ParsedArticle(title, "\n".join(body), None))
                title, body = (None if line.startswith("# ") else line), []
            elif line and title:
                body.append(line)
    return found


@contextmanager
def analysis(version: str) -> Iterator[None]:
    """Within: the analysis of 'before' (no variant folding) or 'after' (as shipped)."""
    cls = stemmers.ArabicLightStemmer
    shipped, shipped_fold = cls.__call__, normalize_module._LETTER_FOLD

    def clear() -> None:
        stemmers.get_stemmer.cache_clear()
        for cached in (tokens._key, tokens._analyse_word, tokens._analyse_surface):
            cached.cache_clear()

    if version == "before":
        cls.__call__ = lambda self, word: self._stem(word)
        normalize_module._LETTER_FOLD = {k: v for k, v in shipped_fold.items() if chr(k) not in "ھە"}
    clear()
    try:
        yield
    finally:
        cls.__call__, normalize_module._LETTER_FOLD = shipped, shipped_fold
        clear()


def arabic_stem(word: str) -> str:
    return tokenize(word, "ar")[0].stem


async def search_recall(articles: list[ParsedArticle], holders: dict[str, list[set[int]]]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        services = await Services.open(Settings(NEWSBOT_DB=f"{tmp}/b.db", NEWSBOT_SEEDS=f"{tmp}/none"))
        try:
            ids = []
            for parsed in articles:
                ids.append((await services.articles.add(analyse(parsed)))[0])
            out = {}
            for name, query_a, query_b, _, _ in PAIRS:
                has_a, has_b = holders[name]
                result = {}
                for query, only_other in ((query_a, has_b - has_a), (query_b, has_a - has_b)):
                    if not only_other:
                        result[query] = None
                        continue
                    page = await search_articles(services.index, services.articles, query, limit=1000)
                    hit = {a.id for a in page.articles}
                    found = sum(1 for i in only_other if ids[i] in hit)
                    result[query] = {"relevant": len(only_other), "found": found, "recall": round(found / len(only_other), 3)}
                out[name] = result
            return out
        finally:
            await services.close()


def over_merge(words: set[str]) -> dict:
    with analysis("before"):
        before = {w: arabic_stem(w) for w in words}
    after = {w: arabic_stem(w) for w in words}
    groups_after, groups_before = defaultdict(set), defaultdict(set)
    for w in words:
        groups_after[after[w]].add(w)
        groups_before[before[w]].add(w)
    merged, split = {}, {}
    for stem, group in groups_after.items():
        olds = {before[w] for w in group}
        if len(olds) > 1:
            merged[stem] = sorted(group)[:8]
    for stem, group in groups_before.items():
        news = {after[w] for w in group}
        if len(news) > 1:
            split[stem] = {s: sorted(w for w in group if after[w] == s)[:6] for s in news}
    newly_sharing = sum(len(g) for s, g in groups_after.items() if s in merged)
    return {"word_types": len(words), "stems_before": len(groups_before), "stems_after": len(groups_after),
            "stems_that_merge_words_of_several_old_stems": len(merged),
            "words_in_those_stems": newly_sharing, "merged": merged,
            "old_stems_now_split": len(split), "split": split}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", type=Path, default=DEFAULT_EVAL, help="the eval folder (easc/, wikinews-ar/)")
    args = parser.parse_args()
    articles = dev_articles(args.eval)
    norms = [{t.norm for t in tokenize(f"{a.title}\n{a.body}", "ar")} for a in articles]
    holders = {}
    counts = {}
    for name, query_a, query_b, rx_a, rx_b in PAIRS:
        has_a = {i for i, ws in enumerate(norms) if any(re.search(rx_a, w) for w in ws)}
        has_b = {i for i, ws in enumerate(norms) if any(re.search(rx_b, w) for w in ws)}
        holders[name] = [has_a, has_b]
        counts[name] = {query_a: len(has_a), query_b: len(has_b), "both": len(has_a & has_b)}
    with analysis("before"):
        before = asyncio.run(search_recall(articles, holders))
    after = asyncio.run(search_recall(articles, holders))
    words = {t.norm for a in articles for t in tokenize(f"{a.title}\n{a.body}", "ar") if not t.norm.isascii()}
    report = {
        "articles": len(articles),
        "pairs": {name: {"articles": counts[name], "recall_before": before[name], "recall_after": after[name]}
                  for name, *_ in PAIRS},
        "over_merge": over_merge(words),
    }
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
