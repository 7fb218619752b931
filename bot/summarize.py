"""Extractive summaries over bot.text (INTERFACE STUB until the text engine lands)."""

from __future__ import annotations

from dataclasses import dataclass

from bot.text import detect_language, split_sentences


@dataclass(frozen=True, slots=True)
class Summary:
    language: str
    sentences: list[str]


def summarize(
    text: str,
    *,
    title: str | None = None,
    language: str | None = None,
    sentences: int | None = None,
    words: int | None = None,
    ratio: float | None = None,
    algorithm: str = "default",
) -> Summary:
    """Pick the article's most informative sentences, returned in article order, as written."""
    lang = language or detect_language(text)
    picked = [s.text for s in split_sentences(text, lang)][: sentences or 3]
    return Summary(lang, picked)
