"""Matching keys: fold away what readers ignore when they compare words.

The key is for comparison only (search, alerts, stems, ROUGE); stored and shown
text always stays as written.
"""

from __future__ import annotations

import re
import unicodedata

from bot.text.scripts import INVISIBLE

__all__ = ["normalize", "fold_arabic_letters", "strip_arabic_marks", "ascii_digits", "ARABIC_MARKS"]

# Arabic combining marks: Quranic signs (0610-061A), harakat / shadda / sukun and
# combining hamza (064B-065F), superscript alef (0670), Quranic annotation signs
# (06D6-06DC, 06DF-06E8, 06EA-06ED) and Arabic Extended-A marks (08D3-08FF, minus
# the 08E2 currency sign), plus tatweel (0640), which only stretches a word.
ARABIC_MARKS = (
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
    "\u08d3-\u08e1\u08e3-\u08ff\u0640"
)
_MARKS_RE = re.compile(f"[{ARABIC_MARKS}]")

_INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")

# NFKC would turn some isolated presentation-form marks (U+FC5E..FC63, U+FE70..FE7F)
# into "space + mark", splitting a word key in two: drop them before NFKC.
_PRESENTATION_MARKS_RE = re.compile("[\ufc5e-\ufc63\ufe70-\ufe7f]")

_SPACES_RE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")

# Arabic-Indic (٠-٩) and Persian (۰-۹) digits -> ASCII.
_DIGIT_MAP = {**{chr(0x0660 + d): str(d) for d in range(10)}, **{chr(0x06F0 + d): str(d) for d in range(10)}}

_LETTER_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        "ی": "ي",  # Persian yeh, often typed for Arabic final yeh / alef maqsura
        "ک": "ك",  # Persian keheh, the same letter as Arabic kaf
        "ھ": "ه",  # heh doachashmee (Urdu, Kurdish keyboards), typed for heh
        "ە": "ه",  # Kurdish ae, typed for heh / teh marbuta
        "’": "'",  # typographic apostrophe, as in `AOL’s`
        "ʼ": "'",
        "٫": ".",  # Arabic decimal separator
        "٬": ",",  # Arabic thousands separator
        **_DIGIT_MAP,
    }
)

_DIGITS = str.maketrans(_DIGIT_MAP)


def ascii_digits(text: str) -> str:
    """`text` with Arabic-Indic (`٠-٩`) and Persian (`۰-۹`) digits as ASCII digits: `/summary ١٢`."""
    return text.translate(_DIGITS)


def strip_arabic_marks(text: str) -> str:
    """`text` without tashkeel, Quranic marks and tatweel (letters untouched)."""
    return _MARKS_RE.sub("", text)


def fold_arabic_letters(text: str) -> str:
    """`normalize`'s letter folding alone (`أ` -> `ا`, `ة` -> `ه`, ...), for text known to be
    plain: no invisible characters, presentation forms or marks."""
    return text.translate(_LETTER_FOLD)


def normalize(text: str) -> str:
    """Matching key for `text`: marks, tatweel, letter variants, digits and case folded.

    Order matters: invisible characters go first so they cannot block NFKC
    composition; NFKC then composes `ا` + combining hamza into `أ` and expands
    presentation forms (`ﻻ` -> `لا`) before marks are stripped and letters folded.
    """
    if not text:
        return ""
    text = _INVISIBLE_RE.sub("", text)
    text = _PRESENTATION_MARKS_RE.sub("", text)
    text = unicodedata.normalize("NFKC", text)
    text = _MARKS_RE.sub("", text)
    text = text.translate(_LETTER_FOLD)
    text = _SPACES_RE.sub(" ", text)
    return text.casefold()
