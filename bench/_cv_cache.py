"""Per-article caches for bench/summary_cv.py: everything a weight grid needs, computed once.

A `Cached` article holds its sentences (bot.text.split_sentences), content stems and word
counts (bot.text.content_stems), TextRank centrality (bot.summaries.ranking.centrality),
lead-prior and title-overlap inputs, the pairwise redundancy cosines, the references with
their word budgets (bench.summary_quality's rule: count_words(reference)), and the PacSum
signals from the shipped code (bot.summaries.pacsum.signals: TF-IDF sentence similarity,
similarity to the first paragraph, lead window and title) plus an inverted-pyramid signal.

`textrank_scores` and `pacsum_point_scores` replicate the two default rankers from those
pieces (same float operations in the same order), `select` the selection (same tie-break,
same `fill_budget`, same redundancy check); summary_cv verifies them against `summarize()`
and reports the agreement rate. The PacSum grid only re-weights cached signals, so it is
cheap; articles here stay under GRAPH_LIMIT sentences, where no shortlist applies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy

from bench._evaldata import Article
from bench._rouge import rouge_scores
from bot.summaries import pacsum
from bot.summaries.ranking import centrality
from bot.summaries.summarizer import count_words, fill_budget
from bot.summaries.weights import SIMILARITY_PLURALS
from bot.text import content_stems, detect_language, split_sentences

MIN_WORDS = 4  # bot.summaries.summarizer._MIN_WORDS
REPEAT = 0.999  # bot.summaries.summarizer._REPEAT: a repeat is skipped even at redundancy 1.0


@dataclass
class Cached:
    article: Article
    lang: str
    texts: list[str]
    paragraphs: list[int]
    content: list[list[str]]
    lengths: list[int]  # after the title-duplicate adjustment
    title_stems: list[str]
    cent: list[float]
    title_hits: list[int]  # |title stems ∩ sentence stems|
    forced: list[bool]  # sentence equals the title: score -inf
    cos: list[list[float]]  # set cosine, the redundancy check
    budgets: list[int]
    tfidf_sim: numpy.ndarray = field(default_factory=lambda: numpy.zeros((0, 0)))
    first_para_sim: numpy.ndarray = field(default_factory=lambda: numpy.zeros(0))
    title_sim: numpy.ndarray = field(default_factory=lambda: numpy.zeros(0))
    lead_sim: numpy.ndarray = field(default_factory=lambda: numpy.zeros(0))  # with the lead window
    pyramid: float = 0.0  # inverted-pyramid signal: lead window vs the rest
    _rouge: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.texts)

    def rouge(self, ref: int, chosen: tuple[int, ...]) -> tuple[float, float, float]:
        """ROUGE (R1, R2, RL) of the chosen sentences against reference `ref`, memoised."""
        key = (ref, chosen)
        hit = self._rouge.get(key)
        if hit is None:
            summary = " ".join(self.texts[i] for i in chosen)
            s = rouge_scores(summary, self.article.references[ref])
            hit = self._rouge[key] = (s["R1"], s["R2"], s["RL"])
        return hit

    def rouge_text(self, ref: int, sentences: list[str]) -> tuple[float, float, float]:
        s = rouge_scores(" ".join(sentences), self.article.references[ref])
        return (s["R1"], s["R2"], s["RL"])


def _set_cosine(a: set[str], b: set[str]) -> float:  # bot.summaries.summarizer._cosine
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def prepare(article: Article) -> Cached:
    text = article.text or ""
    title = article.title
    lang = detect_language(f"{title}\n{text}" if title else text)  # as summarize() does
    found = split_sentences(text, lang)
    analysed = [content_stems(s.text, lang, plurals=SIMILARITY_PLURALS) for s in found]
    content = [stems for stems, _ in analysed]
    lengths = [count for _, count in analysed]
    texts = [s.text for s in found]
    paragraphs = [s.paragraph for s in found]
    title_stems = content_stems(title, lang, plurals=SIMILARITY_PLURALS)[0] if title else []
    tset = set(title_stems)
    cent = centrality(texts, content, paragraphs) if found else []
    forced = [False] * len(found)
    if title_stems:
        for i, stems in enumerate(content):
            if stems == title_stems and len(found) > 1:
                forced[i] = True
                lengths[i] = min(lengths[i], MIN_WORDS - 1)
    sets = [set(c) for c in content]
    cos = [[_set_cosine(a, b) for b in sets] for a in sets]
    budgets = [count_words(r) for r in article.references]
    c = Cached(
        article, lang, texts, paragraphs, content, lengths, title_stems, cent,
        [len(tset & s) for s in sets], forced, cos, budgets,
    )
    # Idea signals (TF-IDF within the article), by the shipped ranker's own code.
    if found:
        sim, fp, lw, ts = pacsum.signals(content, paragraphs, title_stems)
        c.tfidf_sim = sim
        c.first_para_sim, c.lead_sim, c.title_sim = fp, lw, ts
        # Inverted pyramid: how well the lead window covers the rest of the article.
        _, window = pacsum.lead_parts(content, paragraphs)
        rest = [w for i, words in enumerate(content)
                if i >= pacsum.LEAD_WINDOW or paragraphs[i] != paragraphs[0] for w in words]
        _, (lw_vec, rest_vec) = pacsum.tfidf(content, [window, rest])
        c.pyramid = float(lw_vec @ rest_vec) if rest else 1.0
    return c


def textrank_scores(c: Cached, lead: float, lead_scale: float, title: float) -> list[float]:
    """bot.summaries.summarizer._rank_default's "textrank" ranker + the title-duplicate rule."""
    scores = list(c.cent)
    tl = len(set(c.title_stems))
    for i in range(c.n):
        scores[i] += lead * math.exp(-i / lead_scale)
        if tl:
            scores[i] += title * c.title_hits[i] / tl
    for i in range(c.n):
        if c.forced[i]:
            scores[i] = -math.inf
    return scores


def pacsum_point_scores(c: Cached, base: numpy.ndarray, pos: numpy.ndarray, p: dict) -> list[float]:
    """bot.summaries.pacsum.combine for grid point `p` on a cached base and lead prior `pos`
    (exp(-i / lead_scale)), + the title-duplicate rule."""
    scores = base + p["lead"] * pos + p["fp"] * c.first_para_sim + p["lw"] * c.lead_sim + p["title"] * c.title_sim
    return force(c, scores.tolist())


def force(c: Cached, scores: list[float]) -> list[float]:
    for i in range(c.n):
        if c.forced[i]:
            scores[i] = -math.inf
    return scores


def select(c: Cached, scores, budget: int, redundancy: float) -> tuple[int, ...]:
    """bot.summaries.summarizer._select with words=budget (no sentence limit)."""
    n = c.n
    if n == 0:
        return ()
    ranked = sorted(range(n), key=lambda i: (-scores[i], i))
    lengths = c.lengths
    order = [i for i in ranked if lengths[i] >= MIN_WORDS] or ranked
    cos = c.cos
    limit = min(redundancy, REPEAT)
    chosen = fill_budget(
        order, [lengths[i] for i in order], max(0, budget),
        accept=lambda i, kept: all(cos[i][j] <= limit for j in kept),
    )
    return tuple(sorted(chosen))


def article_score(c: Cached, scores, redundancy: float) -> tuple[float, float, float]:
    """Mean over the article's references of (R1, R2, RL), each at its own budget."""
    tot = [0.0, 0.0, 0.0]
    k = len(c.budgets)
    for r, b in enumerate(c.budgets):
        s = c.rouge(r, select(c, scores, b, redundancy))
        for m in range(3):
            tot[m] += s[m] / k
    return tuple(tot)
