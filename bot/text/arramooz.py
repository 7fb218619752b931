"""Arramooz's nouns, verbs and word frequencies, read into the tables of bot.text.lexicon.

Arramooz (arramooz-pysqlite, GPL, SQLite files installed from PyPI and read here without its
Python API) lists the broken plurals of 30,000 nouns, which nouns take a dual, and how often
37,000 words occur in a large corpus, each with its vowels.

Over-merging is what a lexicon gets wrong: `كتاب` is "book" and a plural of `كاتب`
(writer), `اعلام` is "media" and "flags". A plural is mapped to its singular only when the
corpus rarely reads its letters as another word (the vowels tell the readings apart); a ة noun
whose letters without ة are another word (`مكتبة` / `مكتب`) is kept whole.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from importlib.resources import files

from bot.text.normalize import fold_arabic_letters, strip_arabic_marks
from bot.text.scripts import INVISIBLE
from bot.text.variants import fold_hamza_seats

__all__ = ["load_tables"]

# Endings that the light stemmer strips as inflection (pronouns, sound plurals) but that
# close many singular nouns: such a noun is kept whole.
_INFLECTION_LOOKALIKES = ("هم", "ها", "هن", "كم", "نا", "ات", "ون", "ين")
# A plural is mapped to its singular only when the corpus reads its letters as another word
# (a singular noun, a verb) less often than this share of the singular's count: `مدن` "to
# civilise" beside `مدينة`, `مُصالِح` "reconciler" beside `مصلحة` are rare enough; `إعمار`
# "rebuilding" beside `عمر`, `كَتَبَ` "wrote" beside `كتاب` are not.
_RARER = 0.05
_FLOOR = 1000  # ... and a reading rarer than this never blocks (the corpus misses many nouns)

_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_MARKS = "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652"  # tanween, short vowels, shadda, sukun

_HARAKAT = re.compile(f"[{_MARKS}\u0670\u0640]")
_PAREN = re.compile(r"\(.*?\)|\S*:\S*|مثناها\s+\S+")
_LIST_SEPARATORS = re.compile(r"[;,،\s]+")

Reading = tuple[tuple[str, str], ...]


def _key(word: str) -> str:
    """`normalize` + hamza seats folded, for the lexicon's plain Arabic words (tested equal)."""
    return fold_hamza_seats(fold_arabic_letters(strip_arabic_marks(_INVISIBLE.sub("", word)))).replace(" ", "")


def _reading(vocalized: str) -> Reading:
    """Each letter with its marks; the last letter's (case endings) and a fatha before alef dropped."""
    letters: list[list[str]] = []
    for ch in vocalized.replace("\u0640", ""):
        if ch in _MARKS:
            if letters:
                letters[-1][1] += ch
        elif ch != "\u0670":
            letters.append([ch, ""])
    for i, (ch, marks) in enumerate(letters[:-1]):
        if letters[i + 1][0] == "ا":
            letters[i][1] = marks.replace("\u064e", "")
    if letters:
        letters[-1][1] = ""
    return tuple((ch, "".join(sorted(marks))) for ch, marks in letters)


def _same_reading(a: Reading, b: Reading) -> bool:
    """Same letters, and no letter vocalised differently where both are vocalised."""
    return len(a) == len(b) and all(
        x == y and (m == n or not m or not n) for (x, m), (y, n) in zip(a, b)
    )


def _plural_list(field: str) -> list[str]:
    """The vocalized forms in Arramooz's `broken_plural` / `single` field."""
    cleaned = _PAREN.sub(" ", field or "")
    return [p for p in _LIST_SEPARATORS.split(cleaned) if p and not p.startswith("جج")]



def _other_readings(
    plural: str,
    plural_readings: list[Reading],
    others: dict[str, list[Reading]],
    verbs: dict[str, list[Reading]],
    readings: dict[str, list[tuple[Reading, int]]],
) -> tuple[int, int]:
    """How often the corpus reads the plural's letters as another word (a singular noun, a
    verb), and as the plural itself.

    Corpus counts that fit both the plural and another entry (`حَمَلة` "carriers" and `حَمْلة`
    "campaign" when unvocalised) are counted for the other reading: only a rare one is risked.
    A plural on `فعلة` (`رفضه`) is also a verb with the pronoun `ه` ("he refused it") once ة
    is normalised to ه: the verb's count counts against it too.
    """
    other = plural_count = 0
    for reading, freq in readings.get(plural, ()):
        if not any(_same_reading(reading, r) for r in plural_readings) or any(
            _same_reading(reading, r) for r in others.get(plural, ())
        ):
            other += freq
        else:
            plural_count += freq
    if plural.endswith("ه"):
        verb = plural[:-1]
        for reading, freq in readings.get(verb, ()):
            if any(_same_reading(reading, r) for r in verbs.get(verb, ())):
                other += freq
    return other, plural_count


def _shared_letters(a: str, b: str) -> int:
    """Length of the longest common subsequence of two words."""
    row = [0] * (len(b) + 1)
    for x in a:
        previous = 0
        for j, y in enumerate(b):
            previous, row[j + 1] = row[j + 1], previous + 1 if x == y else max(row[j + 1], row[j])
    return row[-1]


def _best_singular(
    plural: str,
    singulars: dict[str, list[Reading]],
    readings: dict[str, list[tuple[Reading, int]]],
    noun_counts: dict[str, int],
) -> str:
    """Of several listed singulars, one that shares letters with the plural (`أولاد` of `ولد`,
    not `جدي`), then the one whose plural reading the corpus counts most, then the commonest
    (`حقائق` of `حقيقة`, not `حقيق`), then the one listed most often."""

    def plural_count(singular: str) -> int:
        return sum(
            freq for reading, freq in readings.get(plural, ())
            if any(_same_reading(reading, r) for r in singulars[singular])
        )

    return min(
        singulars,
        key=lambda s: (_shared_letters(plural, s) < 2, -plural_count(s), -noun_counts.get(s, 0),
                       -len(singulars[s]), len(s), s),
    )


def load_tables() -> dict[str, object]:
    """The keyword arguments of bot.text.lexicon.ArabicLexicon."""
    data = files("arramooz") / "data"
    with sqlite3.connect(f"file:{data / 'arabicdictionary.sqlite'}?mode=ro", uri=True) as db:
        nouns = db.execute(
            "SELECT vocalized, unvocalized, number, single, broken_plural, dualable FROM nouns"
        ).fetchall()
        verbs = db.execute("SELECT vocalized, unvocalized FROM verbs").fetchall()
    corpus: dict[str, list[tuple[str, int]]] = defaultdict(list)  # key -> (vocalized, count)
    noun_counts: dict[str, int] = defaultdict(int)  # as a noun or adjective: not `حول` "around"
    with sqlite3.connect(f"file:{data / 'wordfreq.sqlite'}?mode=ro", uri=True) as db:
        for vocalized, unvocalized, freq, word_type in db.execute(
            "SELECT vocalized, unvocalized, freq, word_type FROM wordfreq"
        ):
            key = _key(unvocalized)
            corpus[key].append((vocalized, freq))
            if word_type in ("noun", "adj"):  # not names (`تبت`), which no plural or clitic touches
                noun_counts[key] += freq

    pairs: dict[str, dict[str, list[Reading]]] = defaultdict(dict)
    singulars, dualable, feminine = set(), set(), set()
    for vocalized, unvocalized, number, single, broken, can_dual in nouns:
        key = _key(unvocalized)
        if number == "مفرد":
            singulars.add(key)
            if can_dual:
                dualable.add(key)
            if unvocalized.endswith("ة"):
                feminine.add(key)
            for plural in _plural_list(broken):
                bare = _HARAKAT.sub("", plural)
                plural_key = _key(bare[2:] if bare.startswith("ال") and len(bare) > 4 else bare)
                if plural_key and plural_key != key:
                    pairs[plural_key].setdefault(key, []).append(_reading(plural))
        elif number == "جمع تكسير":
            for singular in _plural_list(single):
                singular_key = _key(singular)
                if singular_key and singular_key != key:
                    pairs[key].setdefault(singular_key, []).append(_reading(vocalized))
    verb_keys = [(_key(unvocalized), vocalized) for vocalized, unvocalized in verbs]

    # Readings (letter by letter) only where the guards compare them: the listed plurals, and
    # the verbs a `فعلة` plural may hide (`رفضه`).
    needed = set(pairs) | {plural[:-1] for plural in pairs if plural.endswith("ه")}
    readings = {key: [(_reading(v), f) for v, f in corpus[key]] for key in needed if key in corpus}
    others: dict[str, list[Reading]] = defaultdict(list)  # singular nouns and verbs, as read
    verb_readings: dict[str, list[Reading]] = defaultdict(list)
    for vocalized, unvocalized, number, *_ in nouns:
        if number == "مفرد" and (key := _key(unvocalized)) in needed:
            others[key].append(_reading(vocalized))
    for key, vocalized in verb_keys:
        if key in needed:
            verb_readings[key].append(_reading(vocalized))
            others[key].append(_reading(vocalized))

    def count(key: str) -> int:
        return noun_counts.get(key, 0)

    singular_of = {}
    for plural, listed in pairs.items():
        singular = _best_singular(plural, listed, readings, noun_counts)
        threshold = max(_FLOOR, _RARER * count(singular))
        if plural.startswith("ال") and sum(f for _, f in corpus.get(plural[2:], ())) > threshold:
            continue  # `السنه` is `السنة` (the year) before `ألسنة` (tongues); `الوان` is `ألوان`
        other, as_plural = _other_readings(
            plural, [r for rs in listed.values() for r in rs], others, verb_readings, readings
        )
        if other > max(threshold, _RARER * as_plural):
            continue  # `كتاب` (book) stays apart from `كاتب`, `اعلام` (media) from `علم`
        if _shared_letters(plural, singular) < 2 and as_plural < _FLOOR:
            continue  # a stray word in a plural list (`يقال`), not a suppletive plural (`نساء`)
        singular_of[plural] = singular

    known = singulars | set(pairs) | {key for key, _ in verb_keys} | set(corpus)
    with_plural = {singular for listed in pairs.values() for singular in listed}
    whole, pronoun_first = set(), set()
    for key in feminine:
        # A ة noun whose letters without ة are another word (`مكتبة` / `مكتب`, `مدرسة` /
        # `مدرس`) keeps its ة, and its ات plural is its own. Not when that word is its
        # plural (`صورة` / `صور`), nor when it is a commoner noun without a broken plural,
        # whose plural `-ات` would be (`قطاع` / `قطاعة`); nor `حكومة` (no other `حكوم`).
        masculine = key[:-1]
        if masculine in known and key not in pairs.get(masculine, ()) and (
            masculine not in singulars or masculine in with_plural or count(key) > count(masculine)
        ):
            whole.add(key)
            if masculine in singulars and count(masculine) >= count(key):
                pronoun_first.add(key)
    whole |= {key for key in singulars - feminine if len(key) >= 4 and key.endswith(_INFLECTION_LOOKALIKES)}
    return {
        "singular_of": singular_of,
        "dualable": frozenset(dualable),
        "whole": frozenset(whole),
        "pronoun_first": frozenset(pronoun_first),
        "nouns": frozenset(singulars),
        "known": frozenset(known),
        "singular_lemmas": frozenset(singulars | {key for key, _ in verb_keys}),
        "listed": frozenset(pairs),
        "noun_counts": dict(noun_counts),
    }
