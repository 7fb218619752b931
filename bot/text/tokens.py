"""Word tokens with matching keys, stems, stop-word flags and exact offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from bot.text.normalize import ARABIC_MARKS, normalize
from bot.text.scripts import in_arabic_script
from bot.text.stemmers import get_stemmer
from bot.text.stopwords import stop_words

__all__ = ["Token", "tokenize", "analyze_terms", "content_stems", "word_spans"]


@dataclass(frozen=True, slots=True)
class Token:
    """A word with its matching key (`norm`), stem and span in the original text."""

    surface: str
    norm: str
    stem: str
    start: int
    end: int
    is_stop: bool


# Word characters: letters and digits plus the combining marks that `\w` leaves
# out (Arabic harakat, Latin/Hebrew/Indic/Thai marks) and ZWNJ/ZWJ, which join
# parts of one Persian word.
_MARKS = (
    ARABIC_MARKS
    + "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    + "\u0900-\u0963\u0966-\u0d7f\u0e31\u0e34-\u0e3a\u0e47-\u0e4e"
    + "\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u200c\u200d"
)
_CHAR = rf"(?:[^\W_]|[{_MARKS}])"
# Apostrophes join letters (`don't`); `.` `,` and the Arabic separators join digits.
_WORD = re.compile(rf"{_CHAR}+(?:['’]{_CHAR}+|(?<=\d)[.,٫٬](?=\d){_CHAR}+)*")
# Han and kana carry a word's worth of meaning per character: one token each.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_SPLIT = re.compile(f"[{_CJK}]|[^{_CJK}]+")
_HAS_CJK = re.compile(f"[{_CJK}]")


def word_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every word in `text`."""
    if not _HAS_CJK.search(text):
        return [m.span() for m in _WORD.finditer(text)]
    spans = []
    for match in _WORD.finditer(text):
        if _HAS_CJK.search(match.group()):
            base = match.start()
            spans.extend((base + m.start(), base + m.end()) for m in _CJK_SPLIT.finditer(match.group()))
        else:
            spans.append(match.span())
    return spans


@lru_cache(maxsize=1 << 16)
def _key(surface: str) -> str:
    """Matching key of one word; NFKC may expand ligatures into spaced words."""
    return normalize(surface).replace(" ", "")


def _is_stop(norm: str, language: str, stops: frozenset[str]) -> bool:
    if norm in stops:
        return True
    # Arabic writes `و`/`ف` onto the next word: `وفي` is `و` + `في`.
    return language == "ar" and len(norm) > 2 and norm[0] in "وف" and norm[1:] in stops


# Languages written in the Latin script among those the engine knows.
_LATIN_SCRIPT = frozenset(
    "en fr de es it pt nl sv da no fi ca cs sk pl ro hu tr id et eu ga lt sl hr".split()
)
_ARABIC_SCRIPT = frozenset(("ar", "fa", "ur"))


def _word_language(norm: str, language: str) -> str:
    """The language whose stemmer fits this word's script.

    An English name in an Arabic article is stemmed as English, an Arabic word in an
    English one as Arabic: so `elections` indexes alike whichever article it stands in,
    and a query matches it whatever language the query looks like.
    """
    first = norm[0]
    if in_arabic_script(first):
        return language if language in _ARABIC_SCRIPT else "ar"
    if first.isascii() and first.isalpha() or "\u00c0" <= first <= "\u024f":
        return language if language in _LATIN_SCRIPT else "en"
    return language


@lru_cache(maxsize=1 << 18)
def _analyse_word(norm: str, language: str, ta_marbuta: bool = False, lexicon: bool = True) -> tuple[str, bool]:
    """(stem, is stop word) of one matching key in a text of `language`.

    `ta_marbuta`: the word was written with a final ة, which the key folds into ه. The Arabic
    stemmer is then given the ة back: `مكتبة` is the library, `مكتبه` "his office".
    """
    word_language = _word_language(norm, language)
    stop = _is_stop(norm, word_language, stop_words(word_language))
    stemmer = get_stemmer(word_language, lexicon=lexicon)
    return stemmer(norm[:-1] + "ة" if ta_marbuta else norm), stop


_FINAL_TA_MARBUTA = re.compile(f"ة[{ARABIC_MARKS}]*$")


@lru_cache(maxsize=1 << 18)
def _analyse_surface(surface: str, language: str, lexicon: bool = True) -> tuple[str, str, bool] | None:
    """(matching key, stem, is stop word) of one word as written; None when nothing is a letter."""
    norm = _key(surface)
    if not norm:
        return None
    ta_marbuta = norm[-1] == "ه" and _FINAL_TA_MARBUTA.search(surface) is not None
    return (norm, *_analyse_word(norm, language, ta_marbuta, lexicon))


def tokenize(text: str, language: str) -> list[Token]:
    """Word tokens of `text` with normalised keys, stems and offsets."""
    tokens = []
    for start, end in word_spans(text):
        surface = text[start:end]
        analysed = _analyse_surface(surface, language)
        if analysed is not None:
            norm, stem, stop = analysed
            tokens.append(Token(surface, norm, stem, start, end, stop))
    return tokens


def content_stems(text: str, language: str, *, plurals: bool = True) -> tuple[list[str], int]:
    """(stems of the non-stop words, number of words) of `text`.

    What a summarizer needs from `tokenize`, without building Token objects:
    five times faster on long articles. `plurals=False`: Arabic light stems, without the
    lexicon's plural and clitic lookups (see bot.summaries.weights for why summaries do).
    """
    stems = []
    count = 0
    for start, end in word_spans(text):
        analysed = _analyse_surface(text[start:end], language, plurals)
        if analysed is not None:
            count += 1
            if not analysed[2]:
                stems.append(analysed[1])
    return stems, count


def term_starts(text: str, count: int | None = None) -> list[int]:
    """Where each word that `analyze_terms` returns starts in `text`, position-aligned with it
    (the first `count` of them only, when given)."""
    if _HAS_CJK.search(text):
        starts = (start for start, end in word_spans(text) if _key(text[start:end]))
    else:
        starts = (m.start() for m in _WORD.finditer(text) if _key(m.group()))
    return list(islice(starts, count))


def analyze_terms(text: str, language: str) -> tuple[list[str], list[str]]:
    """Index terms of `text`: (normalised words, stems), position-aligned.

    The ingest hot path: no Token objects, one cache probe per word as written.
    """
    words = _WORD.findall(text) if not _HAS_CJK.search(text) else [text[s:e] for s, e in word_spans(text)]
    norms, stems = [], []
    for word in words:
        analysed = _analyse_surface(word, language)
        if analysed is not None:
            norms.append(analysed[0])
            stems.append(analysed[1])
    return norms, stems


def warm_up() -> None:
    """Read the tables analysis loads on first use (the Arabic lexicon takes about a second),
    so that no user's first query after a start is the one that waits for them."""
    tokenize("الزلازل في سوريا", "ar")
    tokenize("Earthquakes in Syria", "en")
