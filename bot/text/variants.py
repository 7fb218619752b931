"""Spelling variants that the Arabic stemmer maps to one stem, and the analysis version.

Only variants that news really writes both ways, each checked on the dev data
(`python -m bench.spelling_variants` measures what they merge):

- Place names with two standard spellings. `سوريا` / `سورية` (Syria: Syrian
  outlets write `سورية`, most others `سوريا`), bare or with a proclitic that is not
  the article (`وسورية`, `بسوريا`, `لسورية`, `فسوريا`, `وبسورية`). With the article,
  `السورية` is the adjective "Syrian" and keeps its stem. Also `مائة` / `مئة` (hundred). Most `-يا` countries are
  *not* variants of their `-ية` form: `بريطانية`, `روسية`, `أفريقية`, `كورية` are
  adjectives, and `عربيا` / `عربية`, `سياسيا` / `سياسية` are different words.
- Name stems spelled two ways inside every form: `أميركا` / `أمريكا` (and
  `الأميركية` / `الأمريكية`, ...), `أوربا` / `أوروبا` (and `الأوربي` / `الأوروبي`).
- Hamza seats: `مسؤول` / `مسئول`, `شؤون` / `شئون`, `رؤوس` / `رءوس`, `شيئ` / `شيء`: the
  seats ؤ and ئ fold to the bare hamza ء in stems. Folding them to و and ي instead would
  merge different words (`فئة` with `فيه`, `يؤم` with `يوم`).

Matching keys (`normalize`) keep these spellings apart, so exact-form ranking still
prefers the spelling typed and content hashes of stored articles do not change.
"""

from __future__ import annotations

__all__ = ["ANALYSIS_VERSION", "STEM_SPELLINGS", "WORD_SPELLINGS", "fold_hamza_seats", "fold_variant", "word_key"]

# The version of the analysis (normalisation, stemming, variants, sentence splitting) that
# stored articles were analysed with. Bump it whenever a change gives a stored article other
# words, stems, sentences or language: at start-up the bot re-analyses a store recorded with
# an older version (`Services.upgrade_analysis`, with bot/ingest/reanalyse.py).
#   1: light stemmer (no version recorded)
#   2: place-name and hamza-seat variants, Persian heh forms, in stems
#   3: broken plurals, duals, bare proclitics and whole-word endings by the Arramooz lexicon
#      (bot/text/lexicon.py); a final ة read apart from the pronoun ه
ANALYSIS_VERSION = 3

# Normalised spelling, hamza seats folded -> the one stem of the word.
WORD_SPELLINGS: dict[str, str] = {
    "سوريا": "سوريا",
    "سوريه": "سوريا",  # `سورية`, as normalised (ة -> ه)
    # `مائة` / `مئة` (hundred): both standard; and `مائة` must not fold into `ماء` (water)
    "ماءه": "مءه",
    "مءه": "مءه",
}
# Those that also take the article (`بالمائة`, `المئة`); `السورية` is the adjective.
WITH_ARTICLE = frozenset({"ماءه", "مءه"})

# Proclitic chains that may stand before these words (never the article).
_PLACE_PROCLITICS = ("وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك")

# Part of a stem -> its one spelling, replaced wherever it stands in the stem.
STEM_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("اميرك", "امريك"),  # أميركا / أمريكا
    ("اورب", "اوروب"),  # أوربا / أوروبا
)

_HAMZA_SEATS = str.maketrans({"ؤ": "ء", "ئ": "ء"})


def fold_hamza_seats(key: str) -> str:
    """`مسئول`, `مسؤول` -> `مسءول`: the hamza without its seat."""
    return key.translate(_HAMZA_SEATS)


def word_key(word: str, *, after_article: bool = False) -> str | None:
    """The stem of a curated word in any of its spellings and proclitic forms, else None.

    `after_article`: `word` is what follows the article, which only WITH_ARTICLE words take.
    """
    if after_article:
        return WORD_SPELLINGS[word] if word in WITH_ARTICLE else None
    found = WORD_SPELLINGS.get(word)
    if found is not None:
        return found
    for prefix in _PLACE_PROCLITICS:
        if word.startswith(prefix):
            found = WORD_SPELLINGS.get(word[len(prefix):])
            if found is not None:
                return found
    return None


# Whole stems written two ways: `فلم` is how the lexicon spells `فيلم` (and `أفلام`'s singular).
WHOLE_STEM_SPELLINGS = {"فلم": "فيلم"}


def fold_variant(stem: str) -> str:
    """One spelling for stems written two ways (`اميرك` -> `امريك`, `فلم` -> `فيلم`)."""
    for variant, canonical in STEM_SPELLINGS:
        if variant in stem:
            stem = stem.replace(variant, canonical)
    return WHOLE_STEM_SPELLINGS.get(stem, stem)
