"""Arabic plurals, duals and clitics for the light stemmer, by Arramooz's lexicon.

A light stemmer cannot see that `سجون` is the plural of `سجن` or `مدن` of `مدينة`: broken
plurals change the inside of the word. `ArabicLexicon.base(word)` takes a normalised word
with its clitics and gives the form to stem instead: the singular of a broken plural or a
dual, the word without a bare proclitic (`لمواطنين`, `بسيارة`) or a pronoun that the light
stemmer leaves on, or a word that must keep its ending (`قانون`, not `قان`). It answers None
when it knows nothing better, so the light stemmer keeps the last word.

The tables come from Arramooz (bot/text/arramooz.py, which also says how over-merging is
kept out); plurals it does not list are recognised by their pattern (`_PATTERNS`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from bot.text.arramooz import load_tables
from bot.text.stopwords import stop_words

__all__ = ["ArabicLexicon", "arabic_lexicon"]

# Proclitic chains, longest first; the article may end one. Pronoun suffixes as attached
# to nouns (never after the article).
_PROCLITICS = (
    "وبال", "فبال", "وكال", "فكال", "وفال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال",
    "وب", "ول", "وك", "فب", "فل", "فك", "و", "ف", "ب", "ل", "ك",
)
_PRONOUNS = ("هما", "كما", "هم", "هن", "كم", "كن", "ها", "نا", "ه")
_STOP_WORDS = stop_words("ar")

# Broken-plural patterns (C: a root letter) and the singulars they come from, for plurals
# the lexicon does not list. Imperfect verbs (`نقول`, `تعود`) look like `فعول`: not after ي ت ن ا.
# Not `فعلان` nor `فعال`: they are names (`حمدان`, `زيدان`, `حسان`) more often than plurals.
_C = "([^اويء])"
_PATTERNS = tuple(
    (re.compile(pattern.replace("C", _C) + "$"), templates)
    for pattern, templates in (
        ("اCCاC", (r"\1\2\3", r"\1ا\3", r"\1ا\2\3")),  # أفعال: أحماض، أطوال، أصحاب
        ("اC([وي])اC", (r"\1\2\3", r"\1ا\3")),  # أفعال of hollow roots: أحيان، أموال
        ("(?![يتنا])CCوC", (r"\1\2\3",)),  # فعول: عصور، حقول
        ("مCاCC", (r"م\1\2\3", r"م\1\2\3ه")),  # مفاعل: مصالح، مراكز
        ("مCاCيC", (r"م\1\2و\3", r"م\1\2ا\3")),  # مفاعيل: مشاريع، مفاتيح
        ("CواCC", (r"\1ا\2\3", r"\1ا\2\3ه")),  # فواعل: شوارع، قواعد
        ("CCاءC", (r"\1\2ي\3ه", r"\1\2ا\3ه", r"\1\2ي\3")),  # فعائل: رسائل، حقائق
        ("اCCCه", (r"\1\2ا\3", r"\1\2ي\3")),  # أفعلة: أجهزة، أسلحة
        ("CCCاء", (r"\1\2ي\3", r"\1ا\2\3")),  # فعلاء: وزراء، شعراء
        ("اCCCاء", (r"\1\2ي\3",)),  # أفعلاء: أصدقاء
        ("اCاCC", (r"ا\1\2\3",)),  # أفاعل: أقارب
        ("اCاCيC", (r"ا\1\2و\3",)),  # أفاعيل: أساليب
        ("CCاCي", (r"\1\2\3", r"\1\2\3ه")),  # فعالي: ليالي، أهالي
    )
)
# A pattern's singular must be at least this common a noun; a listed singular rarer than
# _RARE_SINGULAR gives way to a pattern's.
_PATTERN_MIN = 2000
_RARE_SINGULAR = 1000


@dataclass(frozen=True, slots=True)
class ArabicLexicon:
    """Lookups over normalised keys (`normalize`, hamza seats folded)."""

    singular_of: dict[str, str]  # broken plural -> its singular
    dualable: frozenset[str]  # singulars that take a dual
    whole: frozenset[str]  # stems as they are: `مكتبه` (not `مكتب`), `قانون`, `مساهم`, `اثبات`
    pronoun_first: frozenset[str]  # of those, `مكتبه` written with ه: "his office" before "library"
    nouns: frozenset[str]  # singular nouns
    known: frozenset[str]  # every noun, verb and corpus word as written alone
    singular_lemmas: frozenset[str]  # the lexicon's singular nouns and verbs
    listed: frozenset[str]  # every plural the lexicon lists, mapped or not
    noun_counts: dict[str, int]  # corpus count of each noun or adjective

    def base(self, word: str, *, ta_marbuta: bool = False) -> str | None:
        """The form to stem instead of `word`, or None: see the module docs.

        `ta_marbuta`: the final ه was written ة. Readings are tried from the most to the
        least likely: the word as it stands, a proclitic off (`لجهة` is `ل` + `جهة`), a
        pronoun off (`قوته`), both; among the splits, the commonest word wins.
        """
        found = self._lookup(word, bare_known=False, ta_marbuta=ta_marbuta)
        if found or word in self.known:
            return found  # `بيت`, `لبنان`: no clitic is split off a word the lexicon knows
        rests = [
            (word[len(prefix):], prefix.endswith("ال"))
            for prefix in _PROCLITICS
            if word.startswith(prefix) and len(word) - len(prefix) >= 2
        ]
        found = self._commonest(
            self._lookup(rest, bare_known=True, ta_marbuta=ta_marbuta)
            for rest, article in rests
            if article or word[0] == "و" or self._noun_like(rest)
        )
        if found or ta_marbuta:
            return found  # no pronoun follows ة
        return self._commonest(
            self._without_pronoun(rest)
            for rest in [word] + [rest for rest, article in rests if not article]
            if rest not in self.known
        )

    def _noun_like(self, rest: str) -> bool:
        """Whether `rest`, after a bare ب ك ل ف, reads as a noun (`بسيارة`, `لمواطنين`)."""
        if rest in _STOP_WORDS:
            return False  # `فتحت` is "she opened", not `ف` + `تحت`
        return (
            rest in self.singular_of or rest in self.whole
            or self.noun_counts.get(rest, 0) >= _PATTERN_MIN
            or (rest.endswith(("ين", "ون", "ات", "تين", "تان")) and self._lookup(rest, bare_known=False, ta_marbuta=False) is not None)
        )

    def _commonest(self, found: Iterable[str | None]) -> str | None:
        """The reading whose word is the commonest (`ولونها`: `لون`, not `ون`); the first on a tie."""
        best, best_count = None, -1
        for form in found:
            if form and self.noun_counts.get(form, 0) > best_count:
                best, best_count = form, self.noun_counts.get(form, 0)
        return best

    def _without_pronoun(self, form: str) -> str | None:
        for suffix in _PRONOUNS:
            if form.endswith(suffix) and len(form) - len(suffix) >= 2:
                stem = form[: -len(suffix)]
                if stem.endswith("ت") and stem[:-1] + "ه" in self.nouns:
                    # `قوته`: ة written ت
                    return self._lookup(stem[:-1] + "ه", bare_known=True, ta_marbuta=True)
                if found := self._lookup(stem, bare_known=True, ta_marbuta=False):
                    return found
        return None

    def _lookup(self, form: str, *, bare_known: bool, ta_marbuta: bool) -> str | None:
        """A plural's or dual's singular, a sound plural's singular, a whole stem, or
        (`bare_known`, after a clitic) any known word."""
        listed = self.singular_of.get(form)
        if len(form) > 3 and form.endswith("ات"):
            # A sound feminine plural, unless the lexicon lists the word as the broken plural
            # of a commoner noun (`قنوات` of `قناة`, not of `قنوة`).
            feminine, masculine = form[:-2] + "ه", form[:-2]
            counts = self.noun_counts
            if listed is None or counts.get(feminine, 0) >= counts.get(listed, 0):
                if feminine in self.whole or (feminine in self.nouns and masculine not in self.nouns):
                    return feminine  # `مكتبات` -> `مكتبه`, `لغات` -> `لغه`, `حريات` -> `حريه`
                if masculine in self.nouns:
                    return masculine  # `اثباتات` -> `اثبات`, `حمامات` -> `حمام`
        if listed is not None:
            if self.noun_counts.get(listed, 0) < _RARE_SINGULAR and (guess := self._by_pattern(form)):
                return guess  # `حرائق`: of `حريق`, not the rare `حريقة` the lexicon lists
            return listed
        if form in self.whole:
            if form in self.pronoun_first and not ta_marbuta:
                return form[:-1]  # `مكتبه`: "his office"
            return form
        if len(form) > 4 and form.endswith(("تين", "تان")) and form[:-3] + "ه" in self.nouns:
            return form[:-3] + "ه"  # `طائرتين` -> `طائره`
        if len(form) > 3 and form.endswith(("ين", "ون")) and form[:-2] in self.nouns:
            return form[:-2]  # `مساهمين` -> `مساهم`, `والدين` -> `والد`
        if len(form) > 4 and form.endswith("ان") and form[:-2] in self.dualable and form not in self.known:
            return form[:-2]  # `قطاعان` -> `قطاع`; not `لبنان`
        if bare_known and form in self.known:
            return form  # after و (the light stemmer's own), or a noun after ب ك ل ف
        if form not in self.singular_lemmas and form not in self.listed:
            return self._by_pattern(form)  # `آداب`, `أقارب`: plurals the lexicon names alone
        return None

    def _by_pattern(self, form: str) -> str | None:
        """The singular a broken-plural pattern of `form` points to, likeliest pattern first.

        For plurals the lexicon does not list (`عصور`, `أحماض`, `آداب`): the singular must be
        common in the corpus as a noun, and the word itself no singular noun or verb.
        """
        for pattern, templates in _PATTERNS:
            match = pattern.match(form)
            if match is None:
                continue
            for template in templates:
                candidate = match.expand(template)
                if candidate != form and self.noun_counts.get(candidate, 0) >= _PATTERN_MIN:
                    return candidate
        return None


_lock = threading.Lock()
_loaded: list[ArabicLexicon] = []


def arabic_lexicon() -> ArabicLexicon:
    """The lexicon, read once per process (about a second) on first use, from any thread."""
    if not _loaded:
        with _lock:
            if not _loaded:
                _loaded.append(ArabicLexicon(**load_tables()))
    return _loaded[0]
