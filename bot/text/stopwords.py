"""Stop words per language, from sumy's lists, as matching keys."""

from __future__ import annotations

from functools import lru_cache

__all__ = ["stop_words", "SUMY_STOPWORD_NAMES"]

# ISO 639-1 -> name of sumy's stop-word file (sumy/data/stopwords/<name>.txt).
SUMY_STOPWORD_NAMES: dict[str, str] = {
    "ar": "arabic", "cs": "czech", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "fr": "french", "he": "hebrew", "it": "italian", "ja": "japanese",
    "ko": "korean", "pl": "polish", "pt": "portuguese", "sk": "slovak", "sv": "swedish",
    "th": "thai", "uk": "ukrainian", "zh": "chinese",
}


@lru_cache(maxsize=None)
def stop_words(language: str) -> frozenset[str]:
    """Normalised stop words of `language` (empty when sumy has none)."""
    import pkgutil

    from bot.text.normalize import normalize

    name = SUMY_STOPWORD_NAMES.get(language)
    if name is None:
        return frozenset()
    data = pkgutil.get_data("sumy", f"data/stopwords/{name}.txt") or b""
    words = (normalize(w.strip()) for w in data.decode("utf-8").splitlines())
    return frozenset(w for w in words if w)
