"""Offline language identification on titles and articles."""

import pytest

from bot.text import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("“قيصر” يروى تفاصيل جديدة حول آلاف ضحايا النظام السوري", "ar"),
        ("Ad sales boost Time Warner profit", "en"),
        ("The minister said on Friday that the budget would be cut.", "en"),
        ("Le président a dit que la France est prête à négocier.", "fr"),
        ("Der Präsident hat gesagt, dass die Regierung bereit ist.", "de"),
        ("El presidente dijo que la economía está en España.", "es"),
        ("Il presidente ha detto che il governo è pronto.", "it"),
        ("O presidente disse que não vai ao Brasil.", "pt"),
        ("Regeringen säger att det är för tidigt.", "sv"),
        ("Привіт, це новини про уряд і їхні рішення.", "uk"),
        ("Правительство объявило об этом в пятницу.", "ru"),
        ("Η κυβέρνηση ανακοίνωσε νέα μέτρα.", "el"),
        ("הממשלה הודיעה על צעדים חדשים", "he"),
        ("政府宣布了新的措施。", "zh"),
        ("政府は新しい対策を発表した。", "ja"),
        ("정부는 새로운 조치를 발표했다.", "ko"),
        ("รัฐบาลประกาศมาตรการใหม่", "th"),
        ("این یک خبر مهم است که دولت گفت", "fa"),
    ],
)
def test_detects(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_mixed_arabic_english_follows_the_majority() -> None:
    assert detect_language("أعلنت شركة Apple اليوم عن هاتف iPhone الجديد في مؤتمرها السنوي") == "ar"
    assert detect_language("Protesters chanted «الشعب يريد» outside the embassy on Monday") == "en"


@pytest.mark.parametrize("text", ["", "123 456", "😀🎉", "!!! ...", "\u200f\u200e"])
def test_no_letters_gives_default(text: str) -> None:
    assert detect_language(text) == "en"
    assert detect_language(text, default="ar") == "ar"


def test_default_breaks_latin_ties() -> None:
    assert detect_language("iPhone 15 Pro", default="fr") == "fr"
