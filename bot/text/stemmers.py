"""One stemmer per language, chosen by measurement (see bench/stemmer_eval.py).

Stemmers take a word's matching key (`normalize` output) and return its stem.
Arabic uses a light stemmer: it strips clitics and inflectional suffixes but,
unlike root extractors such as ISRI, keeps `كتاب` apart from `مكتب`, which is
what a reader searching news expects. Other languages use Snowball when it has
the language and the identity otherwise.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from bot.text.lexicon import arabic_lexicon
from bot.text.variants import fold_hamza_seats, fold_variant, word_key

__all__ = [
    "ArabicLightStemmer",
    "arabic_light_stem",
    "get_stemmer",
    "identity_stem",
    "SNOWBALL_NAMES",
    "SnowballStemmer",
]

# ISO 639-1 -> snowballstemmer algorithm name.
SNOWBALL_NAMES: dict[str, str] = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german",
    "el": "greek", "en": "english", "es": "spanish", "et": "estonian", "eu": "basque",
    "fa": "persian", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian",
    "lt": "lithuanian", "ne": "nepali", "nl": "dutch", "no": "norwegian", "pl": "polish",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sk": "czech", "sr": "serbian",
    "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}

# Proclitic chains that carry the article, longest first.
ARTICLE_PREFIXES = (
    "وبال", "وكال", "وفال", "فبال", "فكال", "ولل", "فلل",
    "وال", "فال", "بال", "كال", "لل", "ال",
)
# Suffixes in the order they are tried, each at most once. Normalised keys map
# ة to ه and ى to ي, so `ه` covers teh marbuta and the pronoun, `يه` covers `ية`.
# `ان` is left out: in news it ends names (لبنان، إيران، السودان) more often than
# it marks a dual; bench/stemmer_eval.py measures the difference. A teh marbuta
# written as ت before a pronoun goes with it (`حكومته` -> `حكوم`, as `حكومة`).
LIGHT_SUFFIXES = ("تهم", "تها", "تنا", "تكم", "ته", "ها", "هم", "هن", "كم", "نا", "ات", "ون", "ين", "يه", "ه", "ي")

# Frequent news stems that begin with the letter و itself, after suffix
# stripping: the conjunction is not stripped from these (`وزير` is not `و+زير`).
PROTECTED_WAW = frozenset(
    """
    وزير وزراء وزار وكال وكيل ولاي وسائل وسيل وقت وفا وفد وثيق واحد وحد ورق
    وظيف واشنطن وطن وطني وضع وصل وجه وجود وقف وقع واقع ولد وعد وصف ولي وسط
    واجه واجب ورد وزن وعي وفق وليد ويكيبيديا ويكي وقود وراث وحش وادي وزار
    """.split()
)


@dataclass(frozen=True, slots=True)
class ArabicLightStemmer:
    """Light stemmer over normalised Arabic keys (`والصور`, `وصورة` -> `صور`).

    Only the conjunction `و` is stripped as a bare one-letter proclitic: `ف`,
    `ب`, `ك`, `ل` begin too many stems (`فيلم`, `بيت`, `لبنان`) to strip
    without a dictionary; with the article they are safe (`بالصور`).
    """

    suffixes: tuple[str, ...] = LIGHT_SUFFIXES
    min_stem: int = 3
    protected: frozenset[str] = frozenset(fold_hamza_seats(w) for w in PROTECTED_WAW)
    lexicon: bool = True  # broken plurals, duals and bare proclitics by bot.text.lexicon

    def _strip_suffixes(self, word: str) -> str:
        for suffix in self.suffixes:
            if word.endswith(suffix) and len(word) - len(suffix) >= self.min_stem:
                word = word[: -len(suffix)]
        return word

    def __call__(self, word: str) -> str:
        """The stem, with the spelling variants of bot.text.variants made one.

        `word` is a normalised key, except that a final ة the text had may be kept (see
        bot.text.tokens): the key alone cannot tell `مكتبة` (library) from `مكتبه` (his office).
        """
        ta_marbuta = word.endswith("ة")
        if ta_marbuta:
            word = word[:-1] + "ه"
        word = fold_hamza_seats(word)
        key = word_key(word)
        if key is None:
            article = next((p for p in ARTICLE_PREFIXES if word.startswith(p)), None)
            key = word_key(word[len(article):], after_article=True) if article else None
        if key is not None:
            return key
        if not self.lexicon or word.endswith("الله"):
            return fold_variant(self._stem(word))
        lexicon = arabic_lexicon()
        base = lexicon.base(word, ta_marbuta=ta_marbuta)
        if base in lexicon.whole:
            return base  # `مكتبة`, `المكتبات`: not `مكتب`; `قانون`, not `قان`
        # A lexicon form has no proclitic left: `والد` is not `و` + `الد`.
        if base or word in lexicon.nouns:
            stem = self._strip_suffixes(base or word)
        else:
            stem = self._stem(word)
        if stem in lexicon.whole and stem + "ي" in word:
            return stem + "ي"  # `القانونية`: the adjective, not `قانون`
        return fold_variant(stem)

    def _stem(self, word: str) -> str:
        if word.endswith("الله"):
            return "الله"  # `والله`, `بالله`: the name, not `ال` + `له`
        for prefix in ARTICLE_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                return self._strip_suffixes(word[len(prefix):])
        stem = self._strip_suffixes(word)
        if (
            word.startswith("و")
            and len(word) > self.min_stem
            and stem not in self.protected
        ):
            return self._strip_suffixes(word[1:])
        return stem


arabic_light_stem = ArabicLightStemmer()


def identity_stem(word: str) -> str:
    """Stem for languages without a stemmer: the key itself."""
    return word


class SnowballStemmer:
    """A Snowball stemmer that any number of threads may call at once.

    A snowballstemmer (or PyStemmer) object keeps the word being stemmed and its
    cursors on itself, so two threads sharing one corrupt each other's stems
    (`brazil` -> `american`) or raise IndexError. Each thread gets its own object,
    made on its first call: no lock on the hot path.
    """

    __slots__ = ("name", "_local")

    def __init__(self, name: str) -> None:
        self.name = name
        self._local = threading.local()

    def __call__(self, word: str) -> str:
        try:
            stem_word = self._local.stem_word
        except AttributeError:
            import snowballstemmer

            stem_word = self._local.stem_word = snowballstemmer.stemmer(self.name).stemWord
        return stem_word(word)


@lru_cache(maxsize=None)
def get_stemmer(language: str, *, lexicon: bool = True) -> Callable[[str], str]:
    """Stemmer for an ISO 639-1 code; identity when none is known. Safe from any thread.

    `lexicon=False`: Arabic light stems alone, no plural or clitic lookups (what summaries
    measure sentence similarity with). The lru_cache in front is thread-safe itself and only
    wraps stemmers that are too.
    """
    if language == "ar":
        return lru_cache(maxsize=65536)(arabic_light_stem if lexicon else ArabicLightStemmer(lexicon=False))
    name = SNOWBALL_NAMES.get(language)
    if name is None:
        return identity_stem
    return lru_cache(maxsize=65536)(SnowballStemmer(name))
