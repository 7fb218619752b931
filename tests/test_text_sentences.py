"""News sentence splitting: boundaries, paragraphs and exact offsets."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.text import split_sentences


def texts(text: str, language: str) -> list[str]:
    found = split_sentences(text, language)
    for s in found:
        assert text[s.start : s.end] == s.text
    return [s.text for s in found]


def test_arabic_never_splits_at_the_arabic_comma() -> None:
    text = "قال الوزير، في مؤتمر صحفي، إن الحكومة ستعمل، مع الشركاء، على الحل. وأضاف أن الأمر عاجل."
    assert texts(text, "ar") == [
        "قال الوزير، في مؤتمر صحفي، إن الحكومة ستعمل، مع الشركاء، على الحل.",
        "وأضاف أن الأمر عاجل.",
    ]


def test_arabic_terminators() -> None:
    text = "هل انتهت الأزمة؟ لا! الوضع ما زال صعبا. انتهى"
    assert texts(text, "ar") == ["هل انتهت الأزمة؟", "لا!", "الوضع ما زال صعبا.", "انتهى"]


def test_arabic_decimals_abbreviations_and_years() -> None:
    text = "ارتفع المؤشر 2.5 في المئة. قال د. أحمد إن وكالة أ. ب نقلت الخبر. ولد عام 1770 م. ثم انتقل."
    assert texts(text, "ar") == [
        "ارتفع المؤشر 2.5 في المئة.",
        "قال د. أحمد إن وكالة أ. ب نقلت الخبر.",
        "ولد عام 1770 م.",
        "ثم انتقل.",
    ]


def test_arabic_glued_full_stop_still_ends_a_sentence() -> None:
    assert texts("في سيمفونيته التاسعة.فجاءت رسالته", "ar") == ["في سيمفونيته التاسعة.", "فجاءت رسالته"]


def test_arabic_closing_quote_after_full_stop() -> None:
    text = "وأضاف: “رأيت أناساً أبرياء، ولكل جثة رقمها الخاص”. ووجه سيزر رسالة."
    assert texts(text, "ar") == ["وأضاف: “رأيت أناساً أبرياء، ولكل جثة رقمها الخاص”.", "ووجه سيزر رسالة."]


def test_english_abbreviations_initials_decimals_quotes() -> None:
    text = (
        'Mr. Smith went to the U.S. on Jan. 5. He paid $2.5bn for it (e.g. a house). '
        '"Is it true?" she asked. J. R. R. Tolkien wrote it. The U.S. Army said so.'
    )
    assert texts(text, "en") == [
        "Mr. Smith went to the U.S. on Jan. 5.",
        "He paid $2.5bn for it (e.g. a house).",
        '"Is it true?" she asked.',
        "J. R. R. Tolkien wrote it.",
        "The U.S. Army said so.",
    ]


def test_english_quote_closes_the_sentence() -> None:
    text = 'He said: "We are ready." Then he left.'
    assert texts(text, "en") == ['He said: "We are ready."', "Then he left."]


def test_paragraphs_from_blank_lines_and_single_newlines() -> None:
    text = "Title line\n\nFirst para one. First para two.\nSecond para.\r\n\r\n  Third para.  \n"
    found = split_sentences(text, "en")
    assert [(s.text, s.paragraph) for s in found] == [
        ("Title line", 0),
        ("First para one.", 1),
        ("First para two.", 1),
        ("Second para.", 2),
        ("Third para.", 3),
    ]


def test_hard_wrapped_text_is_rejoined() -> None:
    line = "كلمة " * 14
    wrapped = "\n".join([line + "بداية", line + "وسط", line + "نهاية الجملة.", line + "ثم جملة", "أخرى هنا."])
    found = split_sentences(wrapped, "ar")
    assert len(found) == 2
    assert found[0].text.endswith("نهاية الجملة.") and "\n" in wrapped[found[0].start : found[0].end]
    assert "\n" not in found[0].text  # one line: each line break became one space
    assert found[1].text.endswith("أخرى هنا.")


def test_short_lines_are_not_mistaken_for_wrapping() -> None:
    text = "عنوان الخبر\nالجملة الأولى من النص.\nالجملة الثانية.\nسطر أخير"
    assert len(split_sentences(text, "ar")) == 4


def test_cjk_full_stops() -> None:
    assert texts("你好世界。今天天气很好！", "zh") == ["你好世界。", "今天天气很好！"]


def test_empty_and_blank() -> None:
    assert split_sentences("", "ar") == []
    assert split_sentences(" \n\t\n\u00a0", "en") == []


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("ab .!?؟،\n\"”»)د5ـ\u064e\u200f U")) | st.characters(), max_size=200),
       language=st.sampled_from(["ar", "en", "fr", "zh"]))
def test_offsets_are_exact_and_ordered(text: str, language: str) -> None:
    found = split_sentences(text, language)
    previous_end = 0
    for s in found:
        # the exact span, with each line break inside it (and its spaces) as one space
        assert re.sub(r"[ \t]*[\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]+[ \t]*", " ", text[s.start : s.end]) == s.text
        assert s.text == s.text.strip() and s.text
        assert s.start >= previous_end
        previous_end = s.end
    assert [s.paragraph for s in found] == sorted(s.paragraph for s in found)
