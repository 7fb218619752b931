"""A result's best sentence from the original text, with the matched words in bold."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from bot.render import esc
from bot.text import term_starts, tokenize

SNIPPET_CHARS = 220
_MAX_HITS = 40  # matches looked at: enough to find the sentence that holds the most of them


def best_sentence(body: str, spans: Sequence[tuple[int, int, int]], body_stems: Sequence[str],
                  stems: frozenset[str]) -> tuple[int, int]:
    """The span of the sentence that holds the most distinct query stems (the first on ties).

    Works from the body's stored stems: only the words that match are located in the text,
    and no sentence is analysed again.
    """
    if not spans:
        return 0, len(body)
    hits = [i for i, stem in enumerate(body_stems) if stem in stems][:_MAX_HITS]
    if not hits:
        return spans[0][0], spans[0][1]
    starts = term_starts(body, hits[-1] + 1)
    sentence_starts = [start for start, _, _ in spans]
    found: dict[int, set[str]] = {}
    for i in hits:
        if i < len(starts):
            index = max(0, bisect_right(sentence_starts, starts[i]) - 1)
            found.setdefault(index, set()).add(body_stems[i])
    if not found:
        return spans[0][0], spans[0][1]
    best = max(sorted(found), key=lambda index: len(found[index]))  # the first of the best
    return spans[best][0], spans[best][1]


def snippet(body: str, spans: Sequence[tuple[int, int, int]], body_stems: Sequence[str], language: str,
            stems: frozenset[str], limit: int = SNIPPET_CHARS) -> str:
    """HTML: escaped text around the matches, matched words wrapped in <b>, cut at word ends."""
    start, end = best_sentence(body, spans, body_stems, stems)
    text = body[start:end]
    tokens = tokenize(text, language)
    hits = [t for t in tokens if t.stem in stems]
    lo, hi = 0, len(text)
    if len(text) > limit:
        first = hits[0].start if hits else 0
        lo = max(0, first - limit // 4)
        hi = min(len(text), lo + limit)
        lo = next((t.start for t in tokens if t.start >= lo), lo)  # begin and end on whole words
        hi = max((t.end for t in tokens if t.end <= hi), default=hi)
    pieces, cursor = [], lo
    for t in hits:
        if t.start < lo or t.end > hi:
            continue
        pieces.append(esc(text[cursor:t.start]) + "<b>" + esc(text[t.start:t.end]) + "</b>")
        cursor = t.end
    pieces.append(esc(text[cursor:hi]))
    return ("… " if lo > 0 else "") + "".join(pieces).strip() + (" …" if hi < len(text) else "")
