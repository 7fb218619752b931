"""Sentence splitting for news, with offsets into the original text.

Every line with text is a paragraph (news feeds use both blank lines and single
newlines between paragraphs), unless the line above leaves it unfinished: text
hard-wrapped at a fixed or ragged width (agency copy, e-mail) is rejoined, and
its sentences come back on one line, their offsets still those of the text.
Arabic and most other languages use the rules below: a sentence ends at `.` `!` `?` `؟` (and
their kin) followed by a space, a line end or, in Arabic, directly by the next
word (`التاسعة.فجاءت`), never at the comma `،`, a decimal point or a one-letter
abbreviation (`د.`, `أ. ب`). English adds abbreviations, initials and quotes:
the same rules settle the clear cases and pysbd settles a paragraph only when
one of its boundaries is ambiguous, because pysbd costs ~1 ms per paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from bot.text.scripts import ARABIC_LETTERS

__all__ = ["Sentence", "split_sentences", "paragraph_spans"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as a span of the original text; `text` is that span stripped, on one line
    (a hard-wrapped sentence's line breaks, with the spaces around them, become one space)."""

    start: int
    end: int
    text: str
    paragraph: int


_LINE = re.compile("[^\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+")
_TERMINATORS = ".!?؟…‼⁇⁈⁉。！？۔।॥"
_CLOSERS = "\"'”’»)]}›」』"
# A run of terminators, each optionally followed by closing quotes/brackets.
_BOUNDARY = re.compile(f"(?:[{re.escape(_TERMINATORS)}]+[{re.escape(_CLOSERS)}]*)+")
_ARABIC_LETTER = re.compile(f"[{ARABIC_LETTERS}]")
_WORD_BEFORE = re.compile(r"[\w\u0640\u064b-\u065f\u0670.'’-]*$")
_NEXT_CHAR = re.compile(r"\s*(\S?)")
_DIGIT_WORD = re.compile(r"^\W*[\d\u0660-\u0669\u06f0-\u06f9][\d\u0660-\u0669\u06f0-\u06f9.,]*$")

# Lower-cased English abbreviations that are usually followed by more sentence.
_EN_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon
    pres supt messrs jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed
    thu thur thurs fri sat sun inc ltd co corp plc bros dept univ assn est approx vs
    etc al eg ie cf fig no nos vol pp ed eds ca viz
    """.split()
)


_BREAK = re.compile("[ \t]*[\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+[ \t]*")
_FLAT = str.maketrans({ch: " " for ch in "\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85"})
# A line opening a list item (`- `, `• `, `1.`, `١)`) starts its own paragraph.
_LIST_ITEM = re.compile(r"(?:[-–—•·*▪◦●]\s|[\d\u0660-\u0669\u06f0-\u06f9]{1,3}[.)]\s)")
_OPENERS = "\"'“‘«([{‹「『"
_PAUSES = ",،;؛"  # a line ending in a comma never ends a paragraph
_HARD_BREAKS = "\u2029\x0c\x1c\x1d\x1e"  # paragraph and page separators
_MAX_WRAP = 200  # longer lines are paragraphs, not hard-wrapped lines
_MIN_WRAP = 40  # nobody wraps text narrower than this


def _wrap_width(lines: list[str]) -> int | None:
    """About how wide the text's hard-wrapped lines run (9 in 10 are no longer), or None."""
    lengths = sorted(len(line) for line in lines if len(line) <= _MAX_WRAP)
    return lengths[(9 * (len(lengths) - 1)) // 10] if len(lengths) >= 2 else None


def _line_ends(gap: str) -> int:
    return sum(gap.count(ch) for ch in "\n\r\u2028\x0b\x85") - gap.count("\r\n")


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS + " \t")[-1:] in _TERMINATORS + ":"


def _full(prev: str, line: str, width: int | None) -> bool:
    """Did `prev` run to the wrap width: would the next line's first word not have fitted?"""
    return (width is not None and _MIN_WRAP <= len(prev) <= _MAX_WRAP
            and len(prev) + 1 + len(line.split(None, 1)[0]) >= 0.85 * width)


def _continues(prev: str, line: str, width: int | None, wrapped: bool | None = None) -> bool:
    """Does `line` carry on the paragraph that `prev` (the line above it) leaves unfinished?

    Never after a sentence end or `:`, never from one list item into another. It does after a
    comma (`،`, `,`) or before a lowercase word. By length, only in text seen to be `wrapped`
    (None: still looking): when the next word would not have fitted within the wrap width, or
    when the line fills two thirds of it (ragged wraps leave room; a title-like line is short).
    """
    if _ends_sentence(prev) or _LIST_ITEM.match(prev) and _LIST_ITEM.match(line):
        return False
    wide = width is not None and _MIN_WRAP <= len(prev) <= _MAX_WRAP
    fits = _full(prev, line, width)
    if _LIST_ITEM.match(line):
        # A dash opening the line after a full line of wrapped text is the dash of ` - `.
        return bool(wrapped and fits and line[0] in "-–—" and not _LIST_ITEM.match(prev))
    if prev[-1] in _PAUSES or line.lstrip(_OPENERS)[:1].islower():
        return True
    if wrapped is None:
        return fits
    return wrapped and (fits or (wide and len(prev) >= 0.65 * width))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: a line with text, or hard-wrapped lines rejoined.

    Blank lines and single newlines both end paragraphs, except where a line is
    continued by the next one (`_continues`). In text that indents only its
    paragraphs' first lines, an indented line starts a paragraph.
    """
    lines = [m for m in _LINE.finditer(text) if not m.group().isspace()]
    stripped = [m.group().strip() for m in lines]
    width = _wrap_width(stripped)
    # Text is wrapped when two of its line ends look it (one wide list entry does not make it so).
    wrapped = sum(_continues(a, b, width, None) for a, b in pairwise(stripped)) >= 2
    indented = [m.group()[:1] in " \t" for m in lines]
    indents_mark = 0 < sum(indented[1:]) < 0.5 * len(lines)
    # An indented line under a short unindented one starts a paragraph (not under a list item:
    # it hangs there; not under a full line: a stray space in wrapped text).
    starts = [i > 0 and indents_mark and indented[i] and not indented[i - 1]
              and not _LIST_ITEM.match(stripped[i - 1]) and not _full(stripped[i - 1], stripped[i], width)
              for i in range(len(lines))]
    spans: list[tuple[int, int]] = []
    for i, m in enumerate(lines):
        gap = text[spans[-1][1] : m.start()] if spans else ""
        single_break = _line_ends(gap) <= 1 and not any(ch in gap for ch in _HARD_BREAKS)
        if (spans and single_break and not starts[i]
                and _continues(stripped[i - 1], stripped[i], width, wrapped)):
            spans[-1] = (spans[-1][0], m.end())
        else:
            spans.append(m.span())
    return spans


def _one_line(text: str) -> str:
    """`text` with each line break (and the spaces around it) turned into one space."""
    return _BREAK.sub(" ", text)


def _previous_word(text: str, end: int) -> str:
    match = _WORD_BEFORE.search(text, max(0, end - 40), end)
    return match.group() if match else ""


def _rule_boundaries(para: str, arabic: bool) -> tuple[list[int], list[int]]:
    """Sentence end offsets in `para` by the rules, and the candidates left undecided.

    Undecided candidates (`Mr. Smith`, `U.S. The`, `?" he asked`) are not
    boundaries by the rules; English asks pysbd about the sentence around them.
    """
    ends: list[int] = []
    undecided: list[int] = []
    for match in _BOUNDARY.finditer(para):
        run, end = match.group(), match.end()
        if end >= len(para):
            break
        nxt = para[end]
        stop = run.rstrip(_CLOSERS)
        dots_only = set(stop) == {"."}
        if stop[-1] in "。！？":
            ends.append(end)  # CJK full stops need no space after them
            continue
        before = para[max(0, match.start() - 60) : match.start()].rstrip()
        last = before.rsplit(None, 1)[-1] if before else ""
        if not nxt.isspace():
            # Glued: a boundary only in Arabic, before an Arabic word that follows
            # a word of two or more letters (`التاسعة.فجاءت`, `الخشب .فالعود`).
            if arabic and dots_only and _ARABIC_LETTER.match(nxt):
                if len(last) > 1 and _ARABIC_LETTER.match(last[-1]):
                    ends.append(end)
            continue
        if arabic and dots_only and len(stop) >= 2:
            continue  # `..` / `...` is a pause in Arabic news, not a full stop
        word = _previous_word(para, match.start()).strip(".")
        first = _NEXT_CHAR.match(para, end).group(1)
        if dots_only and len(word) == 1 and word.isalpha():
            # One-letter abbreviation (`د.`, `J.`) unless it follows a number:
            # `عام 1783 م.` ends a sentence.
            previous = before[: len(before) - len(word)].rstrip().rsplit(None, 1)[-1:] or [""]
            if not _DIGIT_WORD.match(previous[0]):
                undecided.append(end)
                continue
        if first.islower():
            undecided.append(end)  # `?" he asked`, `approx. three`
            continue
        if dots_only and not arabic and ("." in word or word.lower() in _EN_ABBREVIATIONS or len(stop) >= 2):
            undecided.append(end)  # `U.S. The`, `Mr. Smith`, `ended... Next`
            continue
        ends.append(end)
    return ends, undecided


def _spans_from_ends(para: str, ends: list[int]) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for end in [*ends, len(para)]:
        chunk = para[start:end]
        stripped = chunk.strip()
        if stripped:
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + lead + len(stripped)))
        start = end
    return spans


def _pysbd_spans(para: str) -> list[tuple[int, int]] | None:
    """pysbd's segmentation of `para` as spans, or None if it cannot be aligned."""
    import pysbd

    try:  # a Segmenter per call: never one shared between analysing threads
        segments = pysbd.Segmenter(language="en", clean=False).segment(para)
    except Exception:  # pysbd bug on odd input: the rules still give an answer
        return None
    spans = []
    cursor = 0
    for segment in segments:
        piece = segment.strip()
        if not piece:
            continue
        index = para.find(piece, cursor)
        if index < 0:
            return None
        spans.append((index, index + len(piece)))
        cursor = index + len(piece)
    return spans


def _english_spans(para: str, ends: list[int], undecided: list[int]) -> list[tuple[int, int]]:
    """Rule spans, with pysbd re-splitting only the stretches holding undecided candidates."""
    spans = []
    pending = iter(sorted(undecided))
    next_undecided = next(pending, None)
    for start, end in _spans_from_ends(para, ends):
        has_undecided = False
        while next_undecided is not None and next_undecided <= end:
            has_undecided = has_undecided or next_undecided > start
            next_undecided = next(pending, None)
        pieces = _pysbd_spans(para[start:end]) if has_undecided else None
        if pieces:
            spans.extend((start + a, start + b) for a, b in pieces)
        else:
            spans.append((start, end))
    return spans


def _merge_punctuation_only(para: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Glue spans with no letter or digit (a stray `.` or `”`) onto the previous one."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and not any(ch.isalnum() for ch in para[start:end]):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def split_sentences(text: str, language: str) -> list[Sentence]:
    """Sentences of `text` in order, never cut at the Arabic comma; exact offsets."""
    sentences: list[Sentence] = []
    english = language == "en"
    arabic = language in ("ar", "fa", "ur")
    for index, (p_start, p_end) in enumerate(paragraph_spans(text)):
        para = text[p_start:p_end].translate(_FLAT)  # same offsets, no line breaks
        ends, undecided = _rule_boundaries(para, arabic)
        if english and undecided:
            spans = _english_spans(para, ends, undecided)
        else:
            spans = _spans_from_ends(para, ends)
        for start, end in _merge_punctuation_only(para, spans):
            a, b = p_start + start, p_start + end
            sentences.append(Sentence(a, b, _one_line(text[a:b]), index))
    return sentences
