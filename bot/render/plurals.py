"""Counted nouns in the user's language: Arabic has six plural categories (CLDR), English two.

Arabic: 0 `لا أخبار`, 1 `خبر واحد`, 2 `خبران`, 3-10 `3 أخبار`, 11-99 `11 خبراً`, 100-102
`100 خبر`, and from 103 on again by the last two digits (`103 أخبار`, `111 خبراً`).
"""

from __future__ import annotations

# noun -> language -> category -> form ({n} is the number)
NOUNS: dict[str, dict[str, dict[str, str]]] = {
    "article": {
        "ar": {"zero": "لا أخبار", "one": "خبر واحد", "two": "خبران", "few": "{n} أخبار",
               "many": "{n} خبراً", "other": "{n} خبر"},
        "en": {"one": "1 article", "other": "{n} articles"},
    },
    "new_article": {
        "ar": {"zero": "لا أخبار جديدة", "one": "خبر جديد واحد", "two": "خبران جديدان",
               "few": "{n} أخبار جديدة", "many": "{n} خبراً جديداً", "other": "{n} خبر جديد"},
        "en": {"one": "1 new article", "other": "{n} new articles"},
    },
    "entry": {
        "ar": {"zero": "لا عناصر", "one": "عنصر واحد", "two": "عنصران", "few": "{n} عناصر",
               "many": "{n} عنصراً", "other": "{n} عنصر"},
        "en": {"one": "1 entry", "other": "{n} entries"},
    },
    "story": {
        "ar": {"zero": "لا قصص", "one": "قصة واحدة", "two": "قصتين", "few": "{n} قصص",
               "many": "{n} قصة", "other": "{n} قصة"},
        "en": {"one": "1 story", "other": "{n} stories"},
    },
    "day": {
        "ar": {"zero": "0 يوم", "one": "يوم واحد", "two": "يومين", "few": "{n} أيام",
               "many": "{n} يوماً", "other": "{n} يوم"},
        "en": {"one": "1 day", "other": "{n} days"},
    },
}


def category(lang: str, n: int) -> str:
    """The CLDR plural category of `n` in `lang` (Arabic, else English's one / other)."""
    if lang != "ar":
        return "one" if n == 1 else "other"
    if n in (0, 1, 2):
        return ("zero", "one", "two")[n]
    tail = n % 100
    if 3 <= tail <= 10:
        return "few"
    if 11 <= tail <= 99:
        return "many"
    return "other"


def counted(lang: str, n: int, noun: str) -> str:
    """`n` of `noun` as the language says it: `6 أخبار`, `خبران`, `1 article`."""
    forms = NOUNS[noun].get(lang) or NOUNS[noun]["en"]
    return forms.get(category(lang, n), forms["other"]).format(n=n)
