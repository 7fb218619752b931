"""Offline language identification: writing system first, then stop words.

The script settles most languages (Arabic, Greek, Hebrew, Thai, CJK); inside a
script shared by several languages (Latin, Cyrillic, Arabic/Persian) the share
of each language's stop words decides. Works on a title or a whole article.
"""

from __future__ import annotations

import re
from functools import lru_cache

from bot.text.scripts import ARABIC_LETTERS
from bot.text.stopwords import stop_words

__all__ = ["detect_language", "LATIN_LANGUAGES"]

# Runs of letters per script; a run is roughly a word for spaced scripts.
_SCRIPTS: dict[str, re.Pattern[str]] = {
    "arabic": re.compile(f"[{ARABIC_LETTERS}]+"),
    "latin": re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]+"),
    "cyrillic": re.compile("[\u0400-\u04ff]+"),
    "greek": re.compile("[\u0370-\u03ff\u1f00-\u1fff]+"),
    "hebrew": re.compile("[\u05d0-\u05ea]+"),
    "devanagari": re.compile("[\u0900-\u097f]+"),
    "hangul": re.compile("[\uac00-\ud7af\u1100-\u11ff]+"),
}
# Scripts written without spaces count characters, scaled to rough words.
_CHAR_SCRIPTS: dict[str, tuple[re.Pattern[str], float]] = {
    "han": (re.compile("[\u3400-\u4dbf\u4e00-\u9fff]"), 1.5),
    "kana": (re.compile("[\u3040-\u30ff]"), 1.5),
    "thai": (re.compile("[\u0e01-\u0e4e]"), 5.0),
}
_SINGLE: dict[str, str] = {
    "greek": "el", "hebrew": "he", "devanagari": "hi", "hangul": "ko", "thai": "th",
}
# Latin-script languages with both a sumy stop-word list and a stemmer.
LATIN_LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "sv", "cs", "sk", "pl")
_PERSIAN_LETTERS = re.compile("[پچژگکی]")
_UKRAINIAN_LETTERS = re.compile("[іїєґІЇЄҐ]")
_RUSSIAN_LETTERS = re.compile("[ыэъёЫЭЪЁ]")
_WORD = re.compile(r"[^\W\d_]+")
_SAMPLE_CHARS = 1500
# Letters that only some Latin-script languages use: half a stop word of evidence
# each, enough to break ties on short titles.
_LETTER_HINTS: dict[str, tuple[str, ...]] = {
    "ñ": ("es",), "¿": ("es",), "¡": ("es",), "ã": ("pt",), "õ": ("pt",),
    "ç": ("fr", "pt"), "ß": ("de",), "ä": ("de", "sv"), "ö": ("de", "sv"), "ü": ("de",),
    "å": ("sv",), "ř": ("cs",), "ě": ("cs",), "ů": ("cs",), "ľ": ("sk",), "ĺ": ("sk",),
    "ł": ("pl",), "ą": ("pl",), "ę": ("pl",), "ż": ("pl",), "ś": ("pl",), "ń": ("pl",),
    "œ": ("fr",), "î": ("fr",), "û": ("fr",), "è": ("fr", "it"), "ù": ("fr", "it"),
    "ê": ("fr", "pt"), "â": ("fr", "pt"),
}


def _script_scores(text: str) -> dict[str, float]:
    scores = {name: float(len(rx.findall(text))) for name, rx in _SCRIPTS.items()}
    for name, (rx, chars_per_word) in _CHAR_SCRIPTS.items():
        scores[name] = len(rx.findall(text)) / chars_per_word
    return scores


@lru_cache(maxsize=None)
def _stop_index(languages: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Stop word -> the languages that list it (one dictionary probe per word)."""
    index: dict[str, list[str]] = {}
    for lang in languages:
        for word in stop_words(lang):
            index.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in index.items()}


def _by_stop_words(text: str, languages: tuple[str, ...], fallback: str) -> str:
    """Language whose stop words cover most words of `text`; `fallback` on no evidence."""
    # A few hundred words settle it; Latin-script keys only need case folding.
    words = [w.casefold() for w in _WORD.findall(text, 0, _SAMPLE_CHARS)]
    index = _stop_index(languages)
    hits = dict.fromkeys(languages, 0.0)
    for word in words:
        for lang in index.get(word, ()):
            hits[lang] += 1.0
    for char in set(text.casefold()) & _LETTER_HINTS.keys():
        for lang in _LETTER_HINTS[char]:
            if lang in hits:
                hits[lang] += 0.5 * text.casefold().count(char)
    best = max(hits.values(), default=0.0)
    # One stray hit ("ad" is Italian) must not outvote the fallback on a title.
    if best < hits.get(fallback, 0.0) + 1.5:
        return fallback
    return next(lang for lang in languages if hits[lang] == best)


def detect_language(text: str, default: str = "en") -> str:
    """ISO 639-1 code of the text's language ('ar', 'en', ...); `default` without letters."""
    if not text:
        return default
    text = text[:_SAMPLE_CHARS]  # the opening of an article settles its language
    scores = _script_scores(text)
    script = max(scores, key=lambda name: scores[name])
    if scores[script] == 0:
        return default
    if script == "arabic":
        arabic_letters = sum(len(run) for run in _SCRIPTS["arabic"].findall(text))
        persian = len(_PERSIAN_LETTERS.findall(text))
        return "fa" if persian >= max(3, 0.02 * arabic_letters) else "ar"
    if script == "latin":
        fallback = default if default in LATIN_LANGUAGES else "en"
        return _by_stop_words(text, LATIN_LANGUAGES, fallback)
    if script == "cyrillic":
        ukrainian = len(_UKRAINIAN_LETTERS.findall(text))
        return "uk" if ukrainian > len(_RUSSIAN_LETTERS.findall(text)) else "ru"
    if script in ("han", "kana"):
        return "ja" if scores["kana"] > 0 else "zh"
    return _SINGLE[script]
