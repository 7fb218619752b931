"""Text analysis shared by summaries, search and alerts.

One job per module: `normalize` (matching keys), `language` (offline language
id), `sentences` (news sentence splitting with exact offsets), `tokens` (words
with keys, stems and stop flags), `stemmers` and `stopwords` (per-language tables),
`variants` (spellings made one in stems, and ANALYSIS_VERSION: bump it when stems change).
"""

from __future__ import annotations

from bot.text.language import detect_language
from bot.text.normalize import ascii_digits, normalize, strip_arabic_marks
from bot.text.sentences import Sentence, paragraph_spans, split_sentences
from bot.text.stemmers import get_stemmer
from bot.text.stopwords import stop_words
from bot.text.tokens import (
    Token,
    analyze_terms,
    content_stems,
    term_starts,
    tokenize,
    warm_up,
    word_spans,
)
from bot.text.variants import ANALYSIS_VERSION

__all__ = [
    "ANALYSIS_VERSION",
    "ascii_digits",
    "Sentence",
    "Token",
    "normalize",
    "strip_arabic_marks",
    "detect_language",
    "split_sentences",
    "paragraph_spans",
    "tokenize",
    "warm_up",
    "word_spans",
    "term_starts",
    "content_stems",
    "analyze_terms",
    "get_stemmer",
    "stop_words",
]
