"""Sentence rankings over sumy: TextRank centrality (numpy matrix, long-text shortlist), stock sumy.

sumy supplies the document model and the rankers; bot.text supplies sentences, word keys
and stems, plugged in through sumy's tokenizer and stemmer seams.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from bot.text import Sentence, get_stemmer, stop_words, tokenize

# Above this many sentences the quadratic graph only sees the best candidates
# of a linear centroid score: a 5,000-sentence text stays well under a second.
GRAPH_LIMIT = 300


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


@cache
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
    """Cosine of each sentence's tf-idf vector with the document centroid: linear time (numpy)."""
    import numpy

    n = len(content)
    vocab: dict[str, int] = {}
    rows = [i for i, words in enumerate(content) for _ in words]
    cols = [vocab.setdefault(w, len(vocab)) for words in content for w in words]
    if not cols:
        return [0.0] * n
    width = len(vocab)
    keys, counts = numpy.unique(numpy.array(rows) * width + numpy.array(cols), return_counts=True)
    sentence, word = keys // width, keys % width
    idf = numpy.log((n + 1) / (numpy.bincount(word, minlength=width) + 0.5))
    x = counts * idf[word]  # tf-idf of each (sentence, word)
    centroid = numpy.bincount(word, weights=x, minlength=width)
    c_norm = float(numpy.sqrt(centroid @ centroid)) or 1.0
    norms = numpy.sqrt(numpy.bincount(sentence, weights=x * x, minlength=n))
    dots = numpy.bincount(sentence, weights=x * centroid[word], minlength=n)
    return (dots / (numpy.where(norms > 0, norms, 1.0) * c_norm)).tolist()


def shortlist(content: list[list[str]]) -> tuple[list[int], list[float]]:
    """Sentences the quadratic graph sees (all up to GRAPH_LIMIT; else the first 20 and the
    centroid's best), in article order, and the centroid scores (zeros when all are seen)."""
    n = len(content)
    if n <= GRAPH_LIMIT:
        return list(range(n)), [0.0] * n
    centroid = _centroid_scores(content)
    best = sorted(range(n), key=lambda i: -centroid[i])[: GRAPH_LIMIT - 20]
    return sorted(set(best) | set(range(20))), centroid


def centrality(texts: list[str], content: list[list[str]], paragraphs: list[int]) -> list[float]:
    """TextRank centrality in [0, 1]; long texts rank a centroid-chosen shortlist only."""
    n = len(texts)
    if n == 1:
        return [1.0]
    index, centroid = shortlist(content)
    scores = [0.01 * c for c in centroid]  # outside the graph: far below any member
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


def rank_stock(name: str, found: list[Sentence], language: str) -> list[float]:
    """Ratings by a sumy algorithm fed our word keys (sumy stems them with our stemmer)."""
    if name == "lead":
        return [float(len(found) - i) for i in range(len(found))]
    texts = [s.text for s in found]
    words = [[t.norm for t in tokenize(text, language)] for text in texts]
    document = _document(texts, words, [s.paragraph for s in found])
    return _sumy_ratings(_stock(name, language), document)
