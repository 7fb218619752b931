"""Matching keys: what must fold together, and what must stay apart."""

import unicodedata

import pytest

from bot.text import normalize, strip_arabic_marks


@pytest.mark.parametrize(
    ("written", "bare"),
    [
        ("أَعْلَنَتْ الْأَكَادِيمِيَّةُ", "اعلنت الاكاديميه"),  # harakat, shadda, sukun, hamza alef
        ("تسـعة", "تسعه"),  # tatweel, teh marbuta
        ("إلى", "الي"),  # hamza-below alef, alef maqsura
        ("آذار", "اذار"),
        ("ٱلْحَمْدُ", "الحمد"),  # wasla
        ("هٰذا", "هذا"),  # superscript alef U+0670
        ("قُرْآنٌۖ", "قران"),  # Quranic small high mark U+06D6
        ("١٢٣٫٥", "123.5"),  # Arabic-Indic digits and decimal separator
        ("۱۲۳", "123"),  # Persian digits
        ("ﻻ", "لا"),  # presentation form (NFKC)
        ("Breaking NEWS", "breaking news"),
        ("Straße", "strasse"),  # casefold, not lower
        ("ﬁnance", "finance"),  # Latin ligature (NFKC)
        ("AOL’s", "aol's"),
    ],
)
def test_folds_variants(written: str, bare: str) -> None:
    assert normalize(written) == bare


def test_removes_invisible_and_bidi_controls() -> None:
    text = "\u200fسوريا\u200e \u202bدمشق\u202c\u2066x\u2069\ufeff\u200b\u200c\u200d"
    assert normalize(text) == "سوريا دمشقx"


def test_non_breaking_spaces_become_spaces() -> None:
    assert normalize("a\u00a0b\u202fc\u2007d") == "a b c d"


def test_combining_hamza_composes_before_marks_are_stripped() -> None:
    # ي + U+0654 (hamza above) is ئ in canonical form: it must not lose its hamza.
    decomposed = unicodedata.normalize("NFD", "سائل")
    assert decomposed != "سائل"
    assert normalize(decomposed) == normalize("سائل") == "سائل"


def test_isolated_presentation_marks_do_not_split_words() -> None:
    # NFKC maps U+FE70 to "space + fathatan"; the key must stay one word.
    assert " " not in normalize("كتاب\ufe70")


def test_distinct_letters_stay_distinct() -> None:
    assert normalize("سائل") != normalize("سال")  # hamza on yeh is kept
    assert normalize("مؤتمر") != normalize("موتمر")  # hamza on waw is kept
    assert normalize("café") == "café"  # Latin accents are letters, not marks


def test_strip_marks_keeps_letters() -> None:
    assert strip_arabic_marks("مَدْرَسَةٌ") == "مدرسة"
    assert strip_arabic_marks("تسـعة") == "تسعة"


def test_empty() -> None:
    assert normalize("") == ""
