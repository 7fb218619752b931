"""A result's best sentence from the original text, with the matched words in bold."""

from __future__ import annotations

from collections.abc import Sequence

from bot.render import esc
from bot.text import tokenize

SNIPPET_CHARS = 220


def best_sentence(body: str, spans: Sequence[tuple[int, int, int]], language: str, stems: frozenset[str]) -> tuple[int, int]:
    """The span of the sentence that holds the most distinct query stems (the first on ties)."""
    best, best_score = (spans[0][0], spans[0][1]) if spans else (0, len(body)), 0
    for start, end, _ in spans:
        found = {t.stem for t in tokenize(body[start:end], language)} & stems
        if len(found) > best_score:
            best, best_score = (start, end), len(found)
            if best_score == len(stems):
                break
    return best


def snippet(body: str, spans: Sequence[tuple[int, int, int]], language: str, stems: frozenset[str],
            limit: int = SNIPPET_CHARS) -> str:
    """HTML: escaped text around the matches, matched words wrapped in <b>, cut at word ends."""
    start, end = best_sentence(body, spans, language, stems)
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
