"""Near-duplicate stories (bot.stories.signatures) on texts written for these tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.stories.signatures import (
    BANDS,
    MIN_SHINGLES,
    K,
    band_keys,
    same_story,
    signature,
    similarity,
    story_words,
)

AR_TITLE = "افتتاح محطة جديدة لتحلية مياه البحر في العقبة"
AR_BODY = """افتتح وزير المياه والري اليوم الأحد محطة جديدة لتحلية مياه البحر في مدينة العقبة جنوب الأردن، بطاقة إنتاجية تبلغ خمسين ألف متر مكعب يومياً.
وقال الوزير في كلمة خلال حفل الافتتاح إن المحطة ستغطي حاجة المدينة من مياه الشرب حتى عام 2040، وستخفف الضغط عن الآبار الجوفية في المنطقة.
وأضاف أن كلفة المشروع بلغت مئة وعشرين مليون دينار، مولت الحكومة نصفها، فيما قدم قرض من البنك الدولي النصف الآخر.
وتعاني المملكة من شح في الموارد المائية، إذ تصنف بين أفقر دول العالم بالمياه، ويعتمد سكانها على المياه الجوفية ومياه الأمطار."""

# Another outlet's copy of the agency story: a dateline and a credit, words changed and dropped.
AR_REPUBLISHED_TITLE = "افتتاح محطة لتحلية مياه البحر في العقبة"
AR_REPUBLISHED_BODY = """العقبة (رويترز) - افتتح وزير المياه والري الأحد محطة جديدة لتحلية مياه البحر في مدينة العقبة جنوبي الأردن، بطاقة إنتاجية تبلغ خمسين ألف متر مكعب يومياً.
وقال الوزير خلال حفل الافتتاح إن المحطة ستغطي حاجة المدينة من مياه الشرب حتى العام 2040، وستخفف الضغط عن الآبار الجوفية في المنطقة.
وأضاف أن كلفة المشروع بلغت مئة وعشرين مليون دينار، مولت الحكومة نصفها، فيما قدم قرض من البنك الدولي الباقي.
وتعاني المملكة من شح في الموارد المائية، إذ تصنف بين أفقر دول العالم بالمياه، ويعتمد سكانها على المياه الجوفية والأمطار. - وكالات"""

AR_ADDED = """وكان سكان في العقبة قد اشتكوا الصيف الماضي من انقطاع المياه عن أحيائهم لأيام متتالية، ما دفع البلدية إلى توزيع المياه بالصهاريج."""

# Same place, same subject words, a different event.
AR_OTHER_TITLE = "انقطاع المياه عن أحياء في العقبة بعد كسر في خط رئيسي"
AR_OTHER_BODY = """أعلنت سلطة المياه في العقبة اليوم الأحد انقطاع المياه عن عدة أحياء في المدينة بعد كسر في خط النقل الرئيسي القادم من آبار الديسي.
وقال مدير السلطة إن فرق الصيانة تعمل على إصلاح الخط، متوقعاً عودة الضخ خلال ثمان وأربعين ساعة، وإن الصهاريج ستزود المنازل والمستشفيات بمياه الشرب.
وأوضح أن الكسر نتج عن أعمال حفر نفذها مقاول دون تنسيق مع السلطة، مشيراً إلى أن المقاول سيتحمل كلفة الإصلاح.
ويعتمد سكان العقبة على مياه الديسي الجوفية، فيما لم تدخل محطة التحلية المقررة في المدينة الخدمة بعد."""

EN_TITLE = "Port strike halts container traffic in Rotterdam"
EN_BODY = """Dock workers at the port of Rotterdam walked off the job on Monday, halting container traffic at Europe's largest port for the first time in a decade.
The union said the 24-hour strike was called after talks with terminal operators over automation and job security broke down late on Sunday.
About forty ships were waiting to unload outside the harbour by Monday afternoon, according to the port authority, which warned of delays lasting into next week.
Terminal operators said they regretted the action and remained open to further negotiations, but would not abandon plans to automate two more terminals by 2028."""

EN_REPUBLISHED_TITLE = "Rotterdam port strike halts container traffic"
EN_REPUBLISHED_BODY = """ROTTERDAM (Reuters) - Dock workers at the port of Rotterdam walked off the job on Monday, halting container traffic at Europe's biggest port for the first time in a decade.
The union said the 24-hour strike was called after talks with terminal operators over automation and job security broke down on Sunday.
About forty ships were waiting outside the harbour by Monday afternoon, according to the port authority, which warned of delays lasting into next week.
Terminal operators said they remained open to further negotiations, but would not abandon plans to automate two more terminals by 2028. - AP"""

EN_ADDED = """Shipping lines including several Asian carriers said they were diverting some vessels to Antwerp and Hamburg while the strike lasted."""

EN_OTHER_TITLE = "Rotterdam port opens new automated container terminal"
EN_OTHER_BODY = """The port of Rotterdam opened a new automated container terminal on Monday, adding capacity for two million containers a year at Europe's largest port.
The terminal, built by a consortium of terminal operators, uses driverless vehicles and remotely operated cranes, and will employ about three hundred people.
The port authority said the expansion would help Rotterdam keep pace with rivals such as Antwerp and Hamburg as ships grow larger.
Unions have criticised the automation plans, saying they threaten jobs at older terminals, and have called for talks on retraining dock workers."""


def sig(title: str, body: str, language: str) -> bytes:
    return signature(story_words(title, body, language))


CASES = {
    "ar": (AR_TITLE, AR_BODY, AR_REPUBLISHED_TITLE, AR_REPUBLISHED_BODY, AR_ADDED, AR_OTHER_TITLE, AR_OTHER_BODY),
    "en": (EN_TITLE, EN_BODY, EN_REPUBLISHED_TITLE, EN_REPUBLISHED_BODY, EN_ADDED, EN_OTHER_TITLE, EN_OTHER_BODY),
}


@pytest.mark.parametrize("language", CASES)
def test_agency_copy_with_small_edits_is_the_same_story(language):
    title, body, title2, body2, *_ = CASES[language]
    assert same_story(sig(title, body, language), sig(title2, body2, language))


@pytest.mark.parametrize("language", CASES)
def test_agency_copy_with_an_added_paragraph_too_is_the_same_story(language):
    title, body, title2, body2, added, *_ = CASES[language]
    first, rest = body2.split("\n", 1)
    assert same_story(sig(title, body, language), sig(title2, f"{first}\n{added}\n{rest}", language))


def test_harakat_do_not_change_the_signature():
    marked = AR_BODY.replace("مياه", "مِيَاهِ").replace("الوزير", "الْوَزِيرُ")
    assert sig(AR_TITLE, marked, "ar") == sig(AR_TITLE, AR_BODY, "ar")


@pytest.mark.parametrize("language", CASES)
def test_a_different_story_on_the_same_topic_is_not(language):
    title, body, title2, body2, _, other_title, other_body = CASES[language]
    other = sig(other_title, other_body, language)
    assert not same_story(sig(title, body, language), other)
    assert not same_story(sig(title2, body2, language), other)
    assert similarity(sig(title, body, language), other) < 0.1


def test_headlines_alone_do_not_group_with_everything():
    headlines = [(AR_TITLE, "ar"), (AR_REPUBLISHED_TITLE, "ar"), (AR_OTHER_TITLE, "ar"),
                 (EN_TITLE, "en"), (EN_REPUBLISHED_TITLE, "en"), (EN_OTHER_TITLE, "en")]
    short = [signature(story_words(h, "", language)) for h, language in headlines]
    articles = [sig(t, b, language) for language, (t, b, t2, b2, _, ot, ob) in CASES.items()
                for t, b in ((t, b), (t2, b2), (ot, ob))]
    for n, a in enumerate(short):
        assert band_keys(a) == []
        assert not any(same_story(a, b) for b in articles)
        assert not any(same_story(a, b) for m, b in enumerate(short) if m != n)
    # the same headline twice is still one story (and the storage's content hash says so too)
    assert same_story(short[0], signature(story_words(AR_TITLE, "", "ar")))


def test_the_minimum_is_counted_in_shingles():
    words = [f"w{i}" for i in range(MIN_SHINGLES + K - 1)]  # MIN_SHINGLES shingles of K words
    assert band_keys(signature(words[:-1])) == []
    assert len(band_keys(signature(words))) == BANDS


def test_signatures_are_identical_for_identical_input_and_across_processes():
    first = sig(AR_TITLE, AR_BODY, "ar")
    assert first == sig(AR_TITLE, AR_BODY, "ar")
    code = ("import sys; from tests.test_stories import AR_TITLE, AR_BODY, sig; "
            "sys.stdout.write(sig(AR_TITLE, AR_BODY, 'ar').hex())")
    for seed in ("1", "12345"):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                             cwd=Path(__file__).resolve().parents[1], env={**os.environ, "PYTHONHASHSEED": seed})
        assert bytes.fromhex(out.stdout) == first


@pytest.mark.parametrize("language", CASES)
def test_band_keys_of_near_duplicates_intersect(language):
    title, body, title2, body2, *_ = CASES[language]
    keys = band_keys(sig(title, body, language))
    assert keys and set(keys) & set(band_keys(sig(title2, body2, language)))
    assert all(isinstance(key, str) and len(key) < 32 for key in keys)


def test_similarity_is_symmetric_and_in_the_unit_interval():
    texts = [sig(t, b, language) for language, case in CASES.items()
             for t, b in ((case[0], case[1]), (case[2], case[3]), (case[5], case[6]))]
    texts.append(signature(story_words(EN_TITLE, "", "en")))
    for a in texts:
        assert similarity(a, a) == 1.0
        for b in texts:
            assert similarity(a, b) == similarity(b, a)
            assert 0.0 <= similarity(a, b) <= 1.0
