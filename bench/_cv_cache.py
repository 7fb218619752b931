"""Per-article caches for bench/summary_cv.py: everything a weight grid needs, computed once.

A `Cached` article holds its sentences (bot.text.split_sentences), content stems and word
counts (bot.text.content_stems), TextRank centrality (bot.summaries.ranking.centrality),
lead-prior and title-overlap inputs, the pairwise redundancy cosines, the references with
their word budgets (bench.summary_quality's rule: count_words(reference)), and extra
signals for the ideas (TF-IDF sentence similarity for PacSum-style directed centrality,
similarity to the first paragraph, an inverted-pyramid signal).

`select(...)` replicates bot.summaries.summarizer's default ranking and selection from its
public pieces (same float operations in the same order, same tie-break, same
`fill_budget` with the same redundancy check); summary_cv verifies it against
`summarize()` and reports the agreement rate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy

from bench._evaldata import Article
from bench._rouge import rouge_scores
from bot.summaries.ranking import centrality
from bot.summaries.summarizer import count_words, fill_budget
from bot.text import content_stems, detect_language, split_sentences

MIN_WORDS = 4  # bot.summaries.summarizer._MIN_WORDS
LEAD_WINDOW = 2  # sentences in the lead window (idea signals)


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
    tfidf_sim: numpy.ndarray | None = None
    first_para_sim: list[float] = field(default_factory=list)
    title_sim: list[float] = field(default_factory=list)
    lead_sim: list[float] = field(default_factory=list)  # TF-IDF cosine with the lead window
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


def _tfidf(content: list[list[str]], extra: list[list[str]] = ()) -> tuple[numpy.ndarray, list[numpy.ndarray]]:
    """Row-normalised TF-IDF vectors (idf over the article's sentences) of `content` and `extra`."""
    n = len(content)
    vocab: dict[str, int] = {}
    df: dict[str, int] = {}
    for words in content:
        for w in set(words):
            vocab.setdefault(w, len(vocab))
            df[w] = df.get(w, 0) + 1
    idf = numpy.zeros(max(1, len(vocab)))
    for w, j in vocab.items():
        idf[j] = math.log((n + 1) / (df[w] + 0.5))

    def vec(words):
        v = numpy.zeros(max(1, len(vocab)))
        for w in words:
            j = vocab.get(w)
            if j is not None:
                v[j] += 1.0
        v *= idf
        norm = numpy.linalg.norm(v)
        return v / norm if norm else v

    mat = numpy.array([vec(w) for w in content]) if n else numpy.zeros((0, 1))
    return mat, [vec(w) for w in extra]


def prepare(article: Article) -> Cached:
    text = article.text or ""
    title = article.title
    lang = detect_language(f"{title}\n{text}" if title else text)  # as summarize() does
    found = split_sentences(text, lang)
    analysed = [content_stems(s.text, lang) for s in found]
    content = [stems for stems, _ in analysed]
    lengths = [count for _, count in analysed]
    texts = [s.text for s in found]
    paragraphs = [s.paragraph for s in found]
    title_stems = content_stems(title, lang)[0] if title else []
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
    # Idea signals (TF-IDF within the article).
    if found:
        p0 = paragraphs[0]
        first_para = [w for words, p in zip(content, paragraphs) if p == p0 for w in words]
        # EASC: 39 of 100 articles are one paragraph, so also a lead window of the first
        # LEAD_WINDOW sentences (within the first paragraph).
        window = [i for i, p in enumerate(paragraphs[:LEAD_WINDOW]) if p == p0]
        lead_words = [w for i in window for w in content[i]]
        rest = [w for i, words in enumerate(content) if i not in window for w in words]
        mat, (fp_vec, lw_vec, title_vec, rest_vec) = _tfidf(content, [first_para, lead_words, title_stems, rest])
        sim = mat @ mat.T
        numpy.fill_diagonal(sim, 0.0)
        c.tfidf_sim = sim
        c.first_para_sim = list(mat @ fp_vec)
        c.lead_sim = list(mat @ lw_vec)
        c.title_sim = list(mat @ title_vec)
        # Inverted pyramid: how well the lead window covers the rest of the article.
        c.pyramid = float(lw_vec @ rest_vec) if rest else 1.0
    return c


def shipped_scores(c: Cached, lead: float, lead_scale: float, title: float) -> list[float]:
    """bot.summaries.summarizer._rank_default + the title-duplicate rule, same float ops."""
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
    chosen = fill_budget(
        order, [lengths[i] for i in order], max(0, budget),
        accept=lambda i, kept: all(cos[i][j] <= redundancy for j in kept),
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
