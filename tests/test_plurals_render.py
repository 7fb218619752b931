"""Counted nouns read as the language says them: Arabic's six plural categories, English's two."""

import pytest

from bot.render.plurals import category, counted


@pytest.mark.parametrize(("n", "expected"), [
    (0, "zero"), (1, "one"), (2, "two"), (3, "few"), (10, "few"), (11, "many"), (99, "many"),
    (100, "other"), (101, "other"), (102, "other"), (103, "few"), (111, "many"), (1000, "other"),
])
def test_arabic_plural_categories_follow_cldr(n, expected):
    assert category("ar", n) == expected


def test_counted_nouns_in_both_languages():
    assert [counted("ar", n, "article") for n in (0, 1, 2, 6, 25, 100, 105)] == [
        "لا أخبار", "خبر واحد", "خبران", "6 أخبار", "25 خبراً", "100 خبر", "105 أخبار"]
    assert [counted("en", n, "article") for n in (0, 1, 2)] == ["0 articles", "1 article", "2 articles"]
    assert counted("ar", 28, "day") == "28 يوماً" and counted("ar", 2, "day") == "يومين"
    assert counted("fr", 3, "story") == "3 stories"  # other languages: the English forms
