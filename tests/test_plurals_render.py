"""Counted nouns read as the language says them: Arabic's six plural categories, English's two."""

import pytest

from bot.render.strings import counted


@pytest.mark.parametrize(("n", "expected"), [
    (0, "لا أخبار"), (1, "خبر واحد"), (2, "خبران"), (3, "3 أخبار"), (10, "10 أخبار"), (11, "11 خبراً"),
    (99, "99 خبراً"), (100, "100 خبر"), (101, "101 خبر"), (102, "102 خبر"), (103, "103 أخبار"),
    (111, "111 خبراً"), (1000, "1000 خبر"), (100000, "100000 خبر"),
])
def test_arabic_counts_take_the_cldr_category_of_their_number(n, expected):
    assert counted("ar", n, "article") == expected


def test_counted_nouns_in_both_languages():
    assert [counted("en", n, "article") for n in (0, 1, 2, 12345)] == [
        "0 articles", "1 article", "2 articles", "12345 articles"]
    assert counted("ar", 28, "day") == "28 يوماً" and counted("ar", 2, "day") == "يومين"
