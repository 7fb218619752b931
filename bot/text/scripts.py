"""Unicode ranges named once: Arabic letters, the Arabic script's blocks, invisible format marks."""

# Letters of Arabic and the languages written in its script (Persian, Urdu, ...), basic and
# presentation forms; no digits, no vowel marks.
ARABIC_LETTERS = "\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufefc"

# The blocks of the Arabic script: a word starting in one of them is stemmed as Arabic.
ARABIC_BLOCKS = (("\u0600", "\u06ff"), ("\u0750", "\u077f"), ("\u08a0", "\u08ff"))

# Invisible format characters: zero-width space/joiners, LRM/RLM, bidi embeddings,
# overrides and isolates, the Arabic letter mark, word joiner, BOM and soft hyphen.
INVISIBLE = "\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\u2060\ufeff\u00ad"


def in_arabic_script(char: str) -> bool:
    return any(low <= char <= high for low, high in ARABIC_BLOCKS)
