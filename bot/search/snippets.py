"""A result's best sentence from the original text, and where in it the matched words are.

Plain values: the text and the spans of the matches. How they look (bold in Telegram HTML,
plain in the CLI) is bot/render's business."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from bot.text import term_starts, tokenize

SNIPPET_CHARS = 220
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]")
_MAX_HITS = 40  # matches looked at: enough to find the sentence that holds the most of them


@dataclass(frozen=True, slots=True)
class Snippet:
    """`text` from the article; `marks` the (start, end) of each matched word in it; `cut_before`
    / `cut_after` when the sentence goes on beyond the text."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()
    cut_before: bool = False
    cut_after: bool = False

    @property
    def plain(self) -> str:
        return ("… " if self.cut_before else "") + self.text + (" …" if self.cut_after else "")


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
            stems: frozenset[str], limit: int = SNIPPET_CHARS) -> Snippet:
    """The text around the matches, cut at word ends, with the spans of the matched words."""
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
    piece = _LINE_BREAKS.sub(" ", text[lo:hi])  # one line, as sentences are shown (same length: marks stay)
    strip = len(piece) - len(piece.lstrip())
    shown = piece.strip()
    marks = tuple((t.start - lo - strip, t.end - lo - strip) for t in hits
                  if t.start >= lo and t.end <= hi)
    return Snippet(shown, marks, cut_before=lo > 0, cut_after=hi < len(text))
