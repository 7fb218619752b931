"""Text analysis shared by summaries, search and alerts.

INTERFACE STUB: the signatures below are the contract other modules rely on;
the implementations are placeholders until the text engine lands.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "Sentence",
    "Token",
    "normalize",
    "detect_language",
    "split_sentences",
    "tokenize",
    "analyze_terms",
]


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as a span of the original text; `text` is that span stripped."""

    start: int
    end: int
    text: str
    paragraph: int


@dataclass(frozen=True, slots=True)
class Token:
    """A word with its matching key (`norm`), stem and span in the original text."""

    surface: str
    norm: str
    stem: str
    start: int
    end: int
    is_stop: bool


_MARKS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_WORD = re.compile(r"\w+")


def normalize(text: str) -> str:
    """Matching key for `text`: marks, tatweel, letter variants and case folded away."""
    text = unicodedata.normalize("NFKC", text)
    text = _MARKS.sub("", text)
    text = re.sub("[أإآٱ]", "ا", text).replace("ى", "ي").replace("ة", "ه")
    return text.casefold()


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the text's language ('ar', 'en', ...)."""
    arabic = len(re.findall(r"[\u0600-\u06ff]", text))
    latin = len(re.findall(r"[A-Za-z]", text))
    if not arabic and not latin:
        return default
    return "ar" if arabic >= latin else "en"


def split_sentences(text: str, language: str) -> list[Sentence]:
    """Sentences of `text` in order, never cut at the Arabic comma."""
    out: list[Sentence] = []
    for paragraph, match in enumerate(re.finditer(r"[^\n]+", text)):
        for s in re.finditer(r"[^.!?؟]+[.!?؟]*", match.group()):
            chunk = s.group().strip()
            if chunk:
                start = match.start() + s.start() + (len(s.group()) - len(s.group().lstrip()))
                out.append(Sentence(start, start + len(chunk), chunk, paragraph))
    return out


def tokenize(text: str, language: str) -> list[Token]:
    """Word tokens of `text` with normalised keys, stems and offsets."""
    tokens = []
    for m in _WORD.finditer(text):
        norm = normalize(m.group())
        if norm:
            tokens.append(Token(m.group(), norm, norm, m.start(), m.end(), False))
    return tokens


def analyze_terms(text: str, language: str) -> tuple[list[str], list[str]]:
    """Index terms of `text`: (normalised words, stems), position-aligned."""
    tokens = tokenize(text, language)
    return [t.norm for t in tokens], [t.stem for t in tokens]
