"""A noun's numbers find each other (issue 10): singular, dual, sound and broken plural, with
clitics, in stems, search and topic alerts; words that only share a root stay apart; a store
analysed before the lexicon is re-analysed at start-up. Small texts of their own: nothing here
reads ../shared/eval."""

from dataclasses import replace

import pytest

from bot.alerts.matcher import AnalysedArticle, compile_topic, matches
from bot.config import Settings
from bot.ingest.files import ParsedArticle
from bot.ingest.pipeline import analyse
from bot.search.engine import search_articles
from bot.services import Services
from bot.text import ANALYSIS_VERSION, analyze_terms, normalize
from bot.text.stemmers import ArabicLightStemmer
from storage import ArticleTerms, Topic
from tests.support.articles import found_keys, store_with
from tests.support.console_chat import console_chat


def stem(word: str) -> str:
    (found,) = analyze_terms(word, "ar")[1]
    return found


# The words, and the brief's: every form of a noun shares the singular's stem.
SAME_NOUN = [
    ("زلزال", ["الزلازل", "زلازل", "والزلازل", "زلزالين"]),
    ("سجن", ["السجون", "سجون", "بالسجون", "سجونها"]),
    ("طفل", ["أطفال", "الأطفال", "وأطفالهم", "للأطفال", "طفلين"]),
    ("مدينة", ["مدن", "المدن", "للمدن", "مدينتين", "المدينة", "مدينتهم"]),
    ("قانون", ["قوانين", "القوانين", "القانون", "قانونين"]),
    ("خبر", ["أخبار", "الأخبار", "بالأخبار"]),
    ("صورة", ["صور", "الصور", "بالصور", "وصورة", "صورتين"]),
    ("مواطن", ["مواطنين", "المواطنين", "لمواطنين", "مواطنون", "مواطنان"]),
    ("طائرة", ["طائرتين", "طائرتان", "طائرات", "الطائرات", "بطائرة"]),
    ("سيارة", ["سيارات", "سياراتهم", "بالسيارات", "بسيارة"]),
    ("دولة", ["دول", "الدول", "دولتين"]),
    ("وزير", ["وزراء", "الوزراء"]),
    ("فيلم", ["أفلام", "الأفلام"]),
    ("مكتبة", ["مكتبات", "المكتبات"]),
    ("والد", ["والدين", "الوالدين"]),
]


@pytest.mark.parametrize(("singular", "forms"), SAME_NOUN)
def test_every_number_of_a_noun_shares_its_stem(singular, forms):
    assert {form: stem(form) for form in forms} == {form: stem(singular) for form in forms}


# Words that share a root or letters but not a meaning (the issue: root-level conflation such
# as كتاب/مكتب/كاتب is wrong), and verbs and names a clitic or dual rule could split wrongly.
APART = [
    ("كتاب", "مكتب"), ("كتاب", "كاتب"), ("مكتب", "كاتب"), ("مكتبة", "مكتب"), ("مكتبات", "مكتب"),
    ("إعلام", "علم"), ("الإعمار", "عمر"), ("محكمة", "محكم"), ("محاكم", "محكم"), ("مدرسة", "مدرس"),
    ("قانوني", "قانون"), ("لبنان", "لبن"), ("فتحت", "تحت"), ("حمدان", "حمد"), ("رفضه", "رافض"),
    ("يقال", "أوحد"), ("السنة", "لسان"), ("مقاتل", "مقتل"),
]


@pytest.mark.parametrize("pair", APART)
def test_words_that_only_share_letters_stay_apart(pair):
    a, b = pair
    assert stem(a) != stem(b), pair


def test_a_final_ta_marbuta_and_the_pronoun_ha_are_read_apart():
    # `مكتبة` (library) is not `مكتبه` (his office): the key folds them, the stem does not
    assert normalize("مكتبة") == normalize("مكتبه")
    assert stem("مكتبة") == stem("المكتبات") != stem("مكتبه") == stem("مكتب")
    assert stem("مكتبةٌ") == stem("مكتبة")  # vowel marks after the ة


def test_without_the_lexicon_the_light_stemmer_misses_broken_plurals():
    # What the measured "before" was: the same stemmer, lexicon off.
    light = ArabicLightStemmer(lexicon=False)
    assert light(normalize("السجون")) != light(normalize("سجن"))
    assert stem("السجون") == stem("سجن")


ARTICLES = {
    "prisons": ("أوضاع صعبة", "زار وفد حقوقي السجون في العاصمة واطلع على أوضاع المعتقلين."),
    "quake": ("هزة أرضية", "ضرب زلزال قوي المنطقة الجبلية فجر اليوم دون أنباء عن ضحايا."),
    "children": ("حملة تطعيم", "بدأت حملة لتطعيم الأطفال في المدن الكبرى الأسبوع الماضي."),
    "office": ("افتتاح", "افتتح الوزير مكتبا جديدا للبريد قرب الكاتب العام للبلدية."),
}


@pytest.fixture
async def store(tmp_path):
    services, ids = await store_with(tmp_path, ARTICLES)
    yield services, ids
    await services.close()


@pytest.mark.parametrize(("query", "expected"), [
    ("سجن", {"prisons"}), ("السجون", {"prisons"}), ("الزلازل", {"quake"}), ("زلازل", {"quake"}),
    ("طفل", {"children"}), ("مدينة", {"children"}), ("أطفال المدن", {"children"}),
    ("كتاب", set()),  # the office article holds مكتب and الكاتب, neither number of كتاب
])
async def test_search_finds_the_other_number(store, query, expected):
    assert await found_keys(*store, query) == expected


def test_a_topic_on_a_plural_alerts_on_the_singular_and_back():
    def article(article_id, key):
        new = analyse(ParsedArticle(*ARTICLES[key], None))
        return AnalysedArticle.of(ArticleTerms(article_id, new.language, None, "2026-01-01",
                                               tuple(new.title_stems.split()), tuple(new.body_stems.split())))

    quake, prisons = article(1, "quake"), article(2, "prisons")
    assert matches(compile_topic(Topic(1, 10, "الزلازل", False, 0)), quake)
    assert matches(compile_topic(Topic(2, 10, "سجن", False, 0)), prisons)
    assert not matches(compile_topic(Topic(3, 10, "الزلازل", False, 0)), prisons)


def test_the_lexicon_key_is_the_analysis_key():
    # bot/text/arramooz.py folds its words without `normalize` (ten times faster): it must agree
    import sqlite3
    from importlib.resources import files

    from bot.text.arramooz import _key
    from bot.text.variants import fold_hamza_seats

    data = files("arramooz") / "data"
    with sqlite3.connect(f"file:{data / 'arabicdictionary.sqlite'}?mode=ro", uri=True) as db:
        words = {w for (w,) in db.execute("SELECT unvocalized FROM nouns UNION SELECT unvocalized FROM verbs")}
    assert len(words) > 30000
    differ = [w for w in words if _key(w) != fold_hamza_seats(normalize(w).replace(" ", ""))]
    assert differ == []


async def test_a_store_analysed_before_the_lexicon_gains_plural_matching_at_start_up(tmp_path):
    db = tmp_path / "old.db"
    settings = Settings(NEWSBOT_DB=str(db), NEWSBOT_SEEDS=str(tmp_path / "none"))
    services = await Services.open(settings)
    new = analyse(ParsedArticle(*ARTICLES["prisons"], None))
    article_id, _ = await services.articles.add(new)
    # What version 2 stored: light stems only (`السجون` -> `سجون`), recorded as version 2.
    light = ArabicLightStemmer(lexicon=False)
    old_stems = " ".join(light(normalize(w)) for w in analyze_terms(ARTICLES["prisons"][1], "ar")[0])
    await services.articles.replace_analysis([(article_id, replace(new, body_stems=old_stems))])
    await services.articles.set_analysis_version(2)
    assert await services.articles.analysis_version() == 2
    assert not (await search_articles(services.index, services.articles, "سجن", limit=10)).articles
    await services.close()

    async with console_chat(settings) as (application, _, _):  # started as `newsbot run` starts
        services = application.bot_data
        assert await services.articles.analysis_version() == ANALYSIS_VERSION == 3
        page = await search_articles(services.index, services.articles, "سجن", limit=10)
        assert [a.id for a in page.articles] == [article_id]
