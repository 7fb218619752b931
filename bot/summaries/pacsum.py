"""PacSum-style ranking: position-aware centrality plus similarity to the article's lead.

Human news summaries (EASC) copy the lead far more than the lexical centre; a directed graph
that favours sentences the rest of the article elaborates on (edges to later sentences weigh
1, to earlier ones lam1), plus similarity to the first paragraph and the first two sentences,
beat Lead on held-out topics where TextRank plus a lead prior did not (bench/summary_cv.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy

from bot.summaries.ranking import shortlist
from bot.summaries.weights import Weights

LEAD_WINDOW = 2  # sentences in the lead window (within the first paragraph)


def tfidf(content: Sequence[list[str]], extra: Sequence[list[str]] = ()) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Unit-length TF-IDF rows of `content` and of `extra` (idf over `content`'s sentences)."""
    vocab: dict[str, int] = {}
    cols = [[vocab.setdefault(w, len(vocab)) for w in words] for words in content]
    width = max(1, len(vocab))
    extra_cols = [[vocab[w] for w in words if w in vocab] for words in extra]

    def counts(rows: list[list[int]]) -> numpy.ndarray:
        flat = numpy.array([i * width + j for i, row in enumerate(rows) for j in row], dtype=numpy.int64)
        return numpy.bincount(flat, minlength=len(rows) * width).reshape(len(rows), width).astype(float)

    mat, more = counts(cols), counts(extra_cols)
    df = (mat > 0).sum(axis=0)
    idf = numpy.log((len(cols) + 1) / (df + 0.5))
    out = []
    for m in (mat, more):
        m *= idf
        norms = numpy.linalg.norm(m, axis=1)
        out.append(m / numpy.where(norms > 0, norms, 1.0)[:, None])
    return out[0], out[1]


def lead_parts(content: Sequence[list[str]], paragraphs: Sequence[int]) -> tuple[list[str], list[str]]:
    """Stems of the first paragraph and of the lead window (its first LEAD_WINDOW sentences)."""
    if not content:
        return [], []
    p0 = paragraphs[0]
    first = [w for words, p in zip(content, paragraphs) if p == p0 for w in words]
    window = [w for words, p in zip(content[:LEAD_WINDOW], paragraphs[:LEAD_WINDOW]) if p == p0 for w in words]
    return first, window


def directed_centrality(sim: numpy.ndarray, beta: float, lam1: float) -> numpy.ndarray:
    """lam1 * edges to earlier sentences + edges to later ones, rescaled to [0, 1].

    Edges below min + beta * (max - min) of the off-diagonal similarities are dropped.
    """
    n = len(sim)
    if n < 2:
        return numpy.ones(n)
    off = sim[~numpy.eye(n, dtype=bool)]
    lo, hi = float(off.min()), float(off.max())
    edges = numpy.clip(sim - (lo + beta * (hi - lo)), 0.0, None)
    numpy.fill_diagonal(edges, 0.0)
    score = lam1 * numpy.tril(edges, -1).sum(1) + numpy.triu(edges, 1).sum(1)
    span = score.max() - score.min()
    return (score - score.min()) / span if span > 0 else numpy.zeros(n)


def signals(
    content: Sequence[list[str]], paragraphs: Sequence[int], title_stems: list[str]
) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """(TF-IDF cosine matrix with a zero diagonal, cosine with the first paragraph, with the
    lead window, with the title), per sentence of `content`."""
    first, window = lead_parts(content, paragraphs)
    mat, (fp, lw, title) = tfidf(content, [first, window, title_stems])
    sim = mat @ mat.T
    numpy.fill_diagonal(sim, 0.0)
    return sim, mat @ fp, mat @ lw, mat @ title


def combine(base: numpy.ndarray, index: Sequence[int], fp, lw, title, w: Weights) -> numpy.ndarray:
    """base + lead prior + first paragraph + lead window + title, in that order (the CV replica's)."""
    pos = numpy.exp(-numpy.asarray(index) / w.lead_scale)
    return base + w.lead * pos + w.first_paragraph * fp + w.lead_window * lw + w.title * title


def pacsum_scores(
    content: list[list[str]], paragraphs: list[int], title_stems: list[str], w: Weights
) -> list[float]:
    """Per-sentence scores; past GRAPH_LIMIT sentences only the shortlist is ranked, the rest
    come after it in centroid order."""
    index, centroid = shortlist(content)
    sub = [content[i] for i in index]
    sim, fp, lw, title = signals(sub, [paragraphs[i] for i in index], title_stems)
    ranked = combine(directed_centrality(sim, w.beta, w.lam1), index, fp, lw, title, w)
    if len(index) == len(content):
        return ranked.tolist()
    floor = float(ranked.min()) - 1.0
    scores = [floor + 0.01 * c for c in centroid]
    for i, s in zip(index, ranked.tolist()):
        scores[i] = s
    return scores
