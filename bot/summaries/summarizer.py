"""Extractive summaries over bot.text, built on sumy's summarizers.

sumy supplies the document model and the rankers; bot.text supplies what sumy
does badly for Arabic: sentences (never cut at `،`), word keys and stems. The
default ranker is chosen per language with its parameters by cross-validation
(bot.summaries.weights): TextRank centrality (sumy, numpy matrix) or PacSum-style
directed centrality (bot.summaries.pacsum), plus lead and title signals, then a
redundancy check. Other sumy algorithms are available by name over the same
tokenizer and stemmer. Sentences come back in article order, exactly as written.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot.summaries.ranking import centrality, rank_stock
from bot.summaries.weights import SIMILARITY_PLURALS, Weights, weights_for
from bot.text import Sentence, content_stems, detect_language, split_sentences, tokenize

__all__ = [
    "ALGORITHMS",
    "Summary",
    "Weights",
    "count_words",
    "fill_budget",
    "summarize",
    "weights_for",
]

T = TypeVar("T")

ALGORITHMS = ("default", "textrank", "lexrank", "lsa", "luhn", "sumbasic", "kl", "lead")
DEFAULT_SENTENCES = 3
_MIN_WORDS = 4  # shorter lines (bylines, "Leave a reply") only as a last resort
_REPEAT = 0.999  # set cosine is exactly 1.0 only for the same stems: a repeated sentence


@dataclass(frozen=True, slots=True)
class Summary:
    language: str
    sentences: list[str]


def count_words(text: str) -> int:
    """Words in `text` as the budget counts them: bot.text word tokens."""
    return len(tokenize(text, "und"))


def fill_budget(
    ranked: Sequence[T],
    lengths: Sequence[int],
    budget: int | None,
    *,
    max_items: int | None = None,
    accept: Callable[[T, list[T]], bool] | None = None,
) -> list[T]:
    """Items in rank order whose lengths fit `budget` (None: no budget); overflowing ones are
    skipped. At most `max_items`; `accept(item, chosen)` may refuse one (a near-duplicate).

    If not even one fits, the best item alone is returned: an empty summary is
    never more useful than a slightly long one. Lead and every summarizer share this rule.
    """
    chosen: list[T] = []
    used = 0
    for item, length in zip(ranked, lengths):
        if max_items is not None and len(chosen) >= max_items:
            break
        if budget is not None and used + length > budget:
            continue
        if accept is not None and not accept(item, chosen):
            continue
        chosen.append(item)
        used += length
    if not chosen and ranked:
        chosen.append(ranked[0])
    return chosen


def _cosine(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def _rank_default(
    found: list[Sentence], content: list[list[str]], title_stems: list[str], weights: Weights
) -> list[float]:
    """Scores by the language's ranker (bot.summaries.weights), per sentence."""
    paragraphs = [s.paragraph for s in found]
    if weights.ranker == "pacsum":
        # Imported here: numpy loads on first use, as in bot.summaries.ranking.
        from bot.summaries.pacsum import pacsum_scores

        return pacsum_scores(content, paragraphs, title_stems, weights)
    scores = centrality([s.text for s in found], content, paragraphs)
    title_set = set(title_stems)
    for i, words in enumerate(content):
        scores[i] += weights.lead * math.exp(-i / weights.lead_scale)
        if title_set:
            scores[i] += weights.title * len(title_set & set(words)) / len(title_set)
    return scores


def _select(
    scores: list[float],
    lengths: list[int],
    content: list[set[str]],
    max_sentences: int | None,
    budget: int | None,
    redundancy: float,
) -> list[int]:
    """Indices to keep: best first, within the limits, none more similar than `redundancy`
    to a kept one, and never a repeat (cosine 1), even with the check off (1.0)."""
    ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    # Fragments (bylines, "Leave a reply") only when nothing else is there.
    order = [i for i in ranked if lengths[i] >= _MIN_WORDS] or ranked
    limit = min(redundancy, _REPEAT)
    chosen = fill_budget(
        order, [lengths[i] for i in order], budget,
        max_items=max_sentences,
        accept=lambda i, kept: all(_cosine(content[i], content[j]) <= limit for j in kept),
    )
    return sorted(chosen)


def _limits(
    total_words: int, sentences: int | None, words: int | None, ratio: float | None
) -> tuple[int | None, int | None]:
    """(max sentences, word budget); `ratio` is a share of the article's words."""
    budget = words
    if ratio is not None:
        by_ratio = max(1, round(total_words * min(max(ratio, 0.0), 1.0)))
        budget = by_ratio if budget is None else min(budget, by_ratio)
    max_sentences = sentences
    if max_sentences is None and budget is None:
        max_sentences = DEFAULT_SENTENCES
    if max_sentences is not None:
        max_sentences = max(0, max_sentences)
    return max_sentences, (max(0, budget) if budget is not None else None)


def summarize(
    text: str,
    *,
    title: str | None = None,
    language: str | None = None,
    sentences: int | None = None,
    words: int | None = None,
    ratio: float | None = None,
    algorithm: str = "default",
    weights: Weights | None = None,
) -> Summary:
    """Pick the article's most informative sentences, returned in article order, as written.

    Length: at most `sentences` sentences, at most `words` words, at most
    `ratio` of the article's words (all that are given apply; 3 sentences if
    none is). `algorithm` is "default" or a sumy algorithm name (ALGORITHMS).
    """
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {algorithm!r}; choose from {ALGORITHMS}")
    text = text or ""
    lang = language or detect_language(f"{title}\n{text}" if title else text)
    found = split_sentences(text, lang)
    if not found:
        return Summary(lang, [])
    analysed = [content_stems(s.text, lang, plurals=SIMILARITY_PLURALS) for s in found]
    content = [stems for stems, _ in analysed]
    lengths = [count for _, count in analysed]
    max_sentences, budget = _limits(sum(lengths), sentences, words, ratio)
    if max_sentences == 0:
        return Summary(lang, [])
    chosen_weights = weights or weights_for(lang)
    title_stems, _ = content_stems(title, lang, plurals=SIMILARITY_PLURALS) if title else ([], 0)
    if algorithm == "default":
        scores = _rank_default(found, content, title_stems, chosen_weights)
        redundancy = chosen_weights.redundancy
    else:
        scores = rank_stock(algorithm, found, lang)
        redundancy = 1.0
    if title_stems:
        # The headline is shown anyway: a sentence repeating it adds nothing.
        for i, stems in enumerate(content):
            if stems == title_stems and len(found) > 1:
                scores[i] = -math.inf
                lengths[i] = min(lengths[i], _MIN_WORDS - 1)
    sets = [set(stems) for stems in content]
    chosen = _select(scores, lengths, sets, max_sentences, budget, redundancy)
    return Summary(lang, [found[i].text for i in chosen])
