"""Extractive summaries over bot.text, built on sumy's summarizers.

sumy supplies the document model and the rankers; bot.text supplies what sumy
does badly for Arabic: sentences (never cut at `،`), word keys and stems. The
default ranker is sumy's TextRank (its O(n²) matrix built with numpy) plus a
lead prior, title overlap and a redundancy check, weighted per language as
measured by bench/summary_quality.py. Other sumy algorithms are available by
name over the same tokenizer and stemmer. Sentences come back in article
order, exactly as written.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from bot.text import Sentence, content_stems, detect_language, get_stemmer, split_sentences, stop_words, tokenize

__all__ = [
    "Summary",
    "Weights",
    "ALGORITHMS",
    "summarize",
    "count_words",
    "fill_budget",
    "weights_for",
]

T = TypeVar("T")

ALGORITHMS = ("default", "textrank", "lexrank", "lsa", "luhn", "sumbasic", "kl", "lead")
DEFAULT_SENTENCES = 3
# Above this many sentences the quadratic graph only sees the best candidates
# of a linear centroid score: a 5,000-sentence text stays well under a second.
GRAPH_LIMIT = 300
_MIN_WORDS = 4  # shorter lines (bylines, "Leave a reply") only as a last resort


@dataclass(frozen=True, slots=True)
class Summary:
    language: str
    sentences: list[str]


@dataclass(frozen=True, slots=True)
class Weights:
    """How the default ranker mixes its signals (centrality weighs 1)."""

    lead: float = 0.3  # weight of the lead prior exp(-index / lead_scale)
    lead_scale: float = 8.0
    title: float = 0.0  # share of the title's content stems a sentence repeats
    redundancy: float = 0.7  # skip a sentence this similar (cosine) to a chosen one


# Measured on the evaluation sets (see bench/summary_quality.py and the report
# in the module docs of that script): human Arabic summaries (EASC) follow the
# article's lead far more than its lexical centre, English references (BBC)
# follow centrality. Languages without evaluation data take the middle road.
_WEIGHTS: dict[str, Weights] = {
    "ar": Weights(lead=3.0, title=0.2),
    "en": Weights(lead=0.0, title=0.2),
}
_OTHER = Weights(lead=1.0, title=0.2)


def weights_for(language: str) -> Weights:
    """Ranking weights for `language`."""
    return _WEIGHTS.get(language, _OTHER)


def count_words(text: str) -> int:
    """Words in `text` as the budget counts them: bot.text word tokens."""
    return len(tokenize(text, "und"))


def fill_budget(ranked: Sequence[T], lengths: Sequence[int], budget: int) -> list[T]:
    """Items in rank order whose lengths fit `budget`; overflowing ones are skipped.

    If not even one fits, the best item alone is returned: an empty summary is
    never more useful than a slightly long one.
    """
    chosen: list[T] = []
    used = 0
    for item, length in zip(ranked, lengths):
        if used + length <= budget:
            chosen.append(item)
            used += length
    if not chosen and ranked:
        chosen.append(ranked[0])
    return chosen


class _TokenizerAdapter:
    """sumy's tokenizer seam: our sentences are already split, words are our keys."""

    def __init__(self, words: dict[str, list[str]]) -> None:
        self._words = words

    def to_sentences(self, paragraph: str) -> list[str]:
        return [paragraph]

    def to_words(self, sentence: str) -> list[str]:
        return self._words.get(sentence, [])


def _document(texts: Sequence[str], words: Sequence[list[str]], paragraphs: Sequence[int]):
    """sumy ObjectDocumentModel over our sentences, paragraphs kept."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence

    tokenizer = _TokenizerAdapter(dict(zip(texts, words)))
    grouped: dict[int, list[SumySentence]] = {}
    for text, paragraph in zip(texts, paragraphs):
        grouped.setdefault(paragraph, []).append(SumySentence(text, tokenizer))
    return ObjectDocumentModel([Paragraph(group) for group in grouped.values()])


@lru_cache(maxsize=None)
def _fast_textrank_class() -> type:
    """sumy's TextRank, fed our content stems, its O(n²·L²) matrix loops done by numpy."""
    import numpy
    from sumy.summarizers.text_rank import TextRankSummarizer

    class FastTextRank(TextRankSummarizer):
        """Same graph as sumy's (shared words / sum of log lengths), without self-loops.

        Words arrive already normalised, stemmed and stop-word filtered by
        bot.text, so sumy's per-word normalise/stem pass is skipped.
        """

        def _to_words_set(self, sentence):
            return list(sentence.words)

        def _create_matrix(self, document):
            sentences = [self._to_words_set(s) for s in document.sentences]
            return _textrank_matrix(sentences, self.damping, numpy)

    return FastTextRank


def _textrank_matrix(sentences: list[list[str]], damping: float, numpy) -> object:
    """TextRank transition matrix: shared distinct stems / (log|a| + log|b|), no self-loops."""
    n = len(sentences)
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, words in enumerate(sentences):
        for w in set(words):
            rows.append(i)
            cols.append(vocab.setdefault(w, len(vocab)))
    incidence = numpy.zeros((n, max(1, len(vocab))))
    if rows:
        incidence[rows, cols] = 1.0
    overlap = incidence @ incidence.T
    numpy.fill_diagonal(overlap, 0.0)
    logs = numpy.log(numpy.array([len(set(w)) for w in sentences], dtype=float) + 1.0)
    weights = overlap / numpy.maximum(logs[:, None] + logs[None, :], 1e-9)
    weights /= weights.sum(axis=1)[:, None] + 1e-7
    return numpy.full((n, n), (1.0 - damping) / n) + damping * weights


def _sumy_ratings(summarizer, document) -> list[float]:
    """Ratings of every sentence by a sumy summarizer, in document order.

    sumy passes its rated sentences, best first, to a callable count; capturing
    them gives the ranking of any sumy algorithm without touching its code.
    """
    captured: list = []

    def take_all(infos):
        captured.extend(infos)
        return infos

    summarizer(document, take_all)
    ratings = [0.0] * len(document.sentences)
    for rank, info in enumerate(captured):
        # Ratings are not comparable across algorithms; the rank is.
        ratings[info.order] = float(len(captured) - rank)
    return ratings


def _stock(name: str, language: str):
    """A sumy summarizer by name, with our stemmer and stop words plugged in."""
    from sumy.summarizers.kl import KLSummarizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.sum_basic import SumBasicSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    classes = {
        "textrank": TextRankSummarizer, "lexrank": LexRankSummarizer, "lsa": LsaSummarizer,
        "luhn": LuhnSummarizer, "sumbasic": SumBasicSummarizer, "kl": KLSummarizer,
    }
    summarizer = classes[name](get_stemmer(language))
    summarizer.stop_words = stop_words(language)
    return summarizer


def _centroid_scores(content: list[list[str]]) -> list[float]:
    """Cosine of each sentence's tf-idf vector with the document centroid: linear time."""
    n = len(content)
    df: dict[str, int] = {}
    for words in content:
        for w in set(words):
            df[w] = df.get(w, 0) + 1
    idf = {w: math.log((n + 1) / (d + 0.5)) for w, d in df.items()}
    centroid: dict[str, float] = {}
    vectors = []
    for words in content:
        vec: dict[str, float] = {}
        for w in words:
            vec[w] = vec.get(w, 0.0) + idf[w]
        vectors.append(vec)
        for w, x in vec.items():
            centroid[w] = centroid.get(w, 0.0) + x
    c_norm = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
    scores = []
    for vec in vectors:
        norm = math.sqrt(sum(x * x for x in vec.values())) or 1.0
        scores.append(sum(x * centroid[w] for w, x in vec.items()) / (norm * c_norm))
    return scores


def _centrality(texts: list[str], content: list[list[str]], paragraphs: list[int]) -> list[float]:
    """TextRank centrality in [0, 1]; long texts rank a centroid-chosen shortlist only."""
    n = len(texts)
    if n == 1:
        return [1.0]
    index = list(range(n))
    scores = [0.0] * n
    if n > GRAPH_LIMIT:
        centroid = _centroid_scores(content)
        shortlist = sorted(range(n), key=lambda i: -centroid[i])[: GRAPH_LIMIT - 20]
        index = sorted(set(shortlist) | set(range(20)))
        for i in range(n):
            scores[i] = 0.01 * centroid[i]  # outside the graph: far below any member
    try:
        import numpy  # noqa: F401  (sumy's TextRank needs it)
    except ImportError:
        ranks = _centroid_scores([content[i] for i in index])
    else:
        # Unique texts: sumy keys ratings by sentence text.
        picked = [texts[i] for i in index]
        document = _document(picked, [content[i] for i in index], [paragraphs[i] for i in index])
        ratings = _fast_textrank_class()().rate_sentences(document)
        from sumy.models.dom import Sentence as SumySentence

        tok = _TokenizerAdapter({})
        ranks = [float(ratings.get(SumySentence(t, tok), 0.0)) for t in picked]
    top = max(ranks, default=0.0) or 1.0
    for i, r in zip(index, ranks):
        scores[i] = r / top
    return scores


def _cosine(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / math.sqrt(len(a) * len(b))


def _rank_default(
    found: list[Sentence], content: list[list[str]], title_stems: set[str], language: str, weights: Weights
) -> list[float]:
    """Centrality + lead prior + title overlap, per sentence."""
    scores = _centrality([s.text for s in found], content, [s.paragraph for s in found])
    for i, words in enumerate(content):
        scores[i] += weights.lead * math.exp(-i / weights.lead_scale)
        if title_stems:
            scores[i] += weights.title * len(title_stems & set(words)) / len(title_stems)
    return scores


def _rank_stock(name: str, found: list[Sentence], language: str) -> list[float]:
    """Ratings by a sumy algorithm fed our word keys (sumy stems them with our stemmer)."""
    if name == "lead":
        return [float(len(found) - i) for i in range(len(found))]
    texts = [s.text for s in found]
    words = [[t.norm for t in tokenize(text, language)] for text in texts]
    document = _document(texts, words, [s.paragraph for s in found])
    return _sumy_ratings(_stock(name, language), document)


def _select(
    scores: list[float],
    lengths: list[int],
    content: list[set[str]],
    max_sentences: int | None,
    budget: int | None,
    redundancy: float,
) -> list[int]:
    """Indices to keep: best first, within the limits, no near-duplicates."""
    ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    # Fragments (bylines, "Leave a reply") only when nothing else is there.
    order = [i for i in ranked if lengths[i] >= _MIN_WORDS] or ranked
    chosen: list[int] = []
    used = 0
    for i in order:
        if max_sentences is not None and len(chosen) >= max_sentences:
            break
        if budget is not None and used + lengths[i] > budget:
            continue
        if any(_cosine(content[i], content[j]) > redundancy for j in chosen):
            continue
        chosen.append(i)
        used += lengths[i]
    if not chosen and order:
        chosen.append(order[0])
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
    analysed = [content_stems(s.text, lang) for s in found]
    content = [stems for stems, _ in analysed]
    lengths = [count for _, count in analysed]
    max_sentences, budget = _limits(sum(lengths), sentences, words, ratio)
    if max_sentences == 0:
        return Summary(lang, [])
    chosen_weights = weights or weights_for(lang)
    title_stems, _ = content_stems(title, lang) if title else ([], 0)
    if algorithm == "default":
        scores = _rank_default(found, content, set(title_stems), lang, chosen_weights)
        redundancy = chosen_weights.redundancy
    else:
        scores = _rank_stock(algorithm, found, lang)
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
