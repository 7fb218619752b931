"""Spelling variants find each other (issue 10): place names written two ways, hamza seats,
Persian letters, digits in any script; and a store analysed by an older version is re-analysed
at start-up. Small texts of their own: nothing here reads ../shared/eval."""

from dataclasses import replace

import pytest

from bot.alerts.matcher import AnalysedArticle, compile_topic, matches
from bot.config import Settings
from bot.ingest.files import ParsedArticle
from bot.ingest.pipeline import analyse
from bot.search.engine import search_articles
from bot.services import Services
from bot.text import ANALYSIS_VERSION, ascii_digits, normalize, tokenize
from storage import ArticleTerms, Topic
from tests.support.articles import found_keys, store_with
from tests.support.console_chat import console_chat


def stem(word: str) -> str:
    (token,) = tokenize(word, "ar")
    return token.stem


SYRIA = ["سوريا", "سورية", "وسورية", "وسوريا", "بسوريا", "بسورية", "لسورية", "لسوريا", "فسوريا", "وبسورية",
         "سوريّة", "سـوريا"]


@pytest.mark.parametrize("form", SYRIA)
def test_both_spellings_of_syria_share_one_stem_with_every_proclitic(form):
    assert stem(form) == stem("سوريا")


@pytest.mark.parametrize("pair", [
    ("مسؤول", "مسئول"), ("المسؤولين", "المسئولين"), ("شؤون", "شئون"), ("والشؤون", "والشئون"),
    ("رؤوس", "رءوس"), ("شيء", "شيئ"),
    ("أمريكا", "أميركا"), ("الأمريكية", "الأميركية"), ("والأمريكيون", "والأميركيون"),
    ("أوروبا", "أوربا"), ("الأوروبي", "الأوربي"), ("مائة", "مئة"), ("بالمائة", "بالمئة"),
])
def test_hamza_seats_and_two_way_names_share_a_stem(pair):
    a, b = pair
    assert stem(a) == stem(b), pair


@pytest.mark.parametrize("pair", [
    ("عربية", "عربيا"), ("سياسية", "سياسيا"), ("بريطانيا", "بريطانية"), ("روسيا", "روسية"),
    ("أفريقيا", "أفريقية"), ("ليبيا", "ليبية"), ("فئة", "فيه"), ("يؤم", "يوم"), ("وسائل", "سائل"), ("مائة", "ماء"),
    ("السورية", "سوريا"),  # with the article it is the adjective "Syrian"
])
def test_adjectives_and_different_words_stay_apart(pair):
    a, b = pair
    assert stem(a) != stem(b), pair


def test_the_matching_key_keeps_the_spelling_typed():
    # exact-form ranking and content hashes read the keys: only stems merge the variants
    assert normalize("سورية") != normalize("سوريا") and normalize("مسئول") != normalize("مسؤول")


@pytest.mark.parametrize("pair", [("كتاب", "كتاب"), ("فی", "في"), ("على", "علي"), ("ھذه", "هذه"),
                                  ("مدرسە", "مدرسه")])
def test_persian_and_kurdish_letters_fold_to_arabic(pair):
    typed, arabic = pair
    assert normalize(typed) == normalize(arabic) and stem(typed) == stem(arabic)


def test_ascii_digits():
    assert ascii_digits("١٢ ۰۸:۳۰ 7 x") == "12 08:30 7 x"


ARTICLES = {
    "syria_ya": ("دمشق تستضيف مؤتمرا", "قال مسؤول إن سوريا ستستضيف المؤتمر الاقتصادي في دمشق الشهر المقبل."),
    "syria_ta": ("وفد تجاري في حلب", "وصل وفد تجاري إلى سورية أمس، وقال مسئول في الغرفة إن الزيارة تستمر أسبوعا."),
    "adjective": ("الحكومة السورية", "أعلنت الحكومة السورية خطة اقتصادية جديدة لإعادة الإعمار."),
}


@pytest.fixture
async def store(tmp_path):
    services, ids = await store_with(tmp_path, ARTICLES)
    yield services, ids
    await services.close()


@pytest.mark.parametrize("query", ["سوريا", "سورية", "بسوريا", "لسورية"])
async def test_search_finds_both_spellings_of_syria(store, query):
    assert {"syria_ya", "syria_ta"} <= await found_keys(*store, query)


@pytest.mark.parametrize("query", ["مسؤول", "مسئول"])
async def test_search_finds_both_hamza_seats(store, query):
    assert await found_keys(*store, query) == {"syria_ya", "syria_ta"}


def test_a_topic_alerts_on_the_other_spelling():
    def article(article_id, text):
        new = analyse(ParsedArticle(*text, None))
        return AnalysedArticle.of(ArticleTerms(article_id, new.language, None, "2026-01-01",
                                               tuple(new.title_stems.split()), tuple(new.body_stems.split())))

    ya, ta = article(1, ARTICLES["syria_ya"]), article(2, ARTICLES["syria_ta"])
    for query in ("سوريا", "سورية"):
        topic = compile_topic(Topic(1, 10, query, False, 0))
        assert matches(topic, ya) and matches(topic, ta), query


# ---------------------------------------------------------------- digits through the console
@pytest.fixture
async def console(tmp_path):
    async with console_chat(Settings(NEWSBOT_DB=str(tmp_path / "c.db"))) as (application, say, _):
        yield application, say


@pytest.mark.parametrize("command", ["/summary ١", "/summary ۱", "/summary_١", "/summary #١"])
async def test_summary_takes_arabic_indic_and_persian_digits(console, command):
    _, say = console
    assert "قيصر" in await say(command)  # the seed article, number 1


async def test_unsubscribe_and_digest_take_arabic_indic_digits(console):
    application, say = console
    alerts = application.bot_data.alerts
    await say("/subscribe سوريا")
    await say("/subscribe دمشق")
    await say("/unsubscribe ٢")
    assert [t.query for t in await alerts.topics(1)] == ["سوريا"]
    await say("/digest daily ٠٨:٣٠")
    assert (await alerts.chat(1)).digest_time == "08:30"


# ---------------------------------------------------------------- re-analysis at start-up
async def test_a_store_from_an_older_analysis_is_reanalysed_at_start_up(tmp_path):
    db = tmp_path / "old.db"
    settings = Settings(NEWSBOT_DB=str(db), NEWSBOT_SEEDS=str(tmp_path / "none"))
    services = await Services.open(settings)
    title, body = ARTICLES["syria_ta"]
    new = analyse(ParsedArticle(title, body, None))
    article_id, _ = await services.articles.add(new)
    # What version 1 stored: `سورية` stemmed as `سور`, `مسئول` with its seat, and no version row.
    old = replace(new, body_stems=new.body_stems.replace("سوريا", "سور").replace("مسءول", "مسئول"))
    await services.articles.replace_analysis([(article_id, old)])
    assert await services.articles.analysis_version() == 1
    assert not (await search_articles(services.index, services.articles, "سوريا", limit=10)).articles
    await services.alerts.subscribe(5, "private", "ar", "سوريا")  # a topic of the old store
    await services.close()

    async with console_chat(settings) as (application, _, _):  # started as `newsbot run` starts
        services = application.bot_data
        assert await services.articles.analysis_version() == ANALYSIS_VERSION
        for query in ("سوريا", "مسؤول"):
            page = await search_articles(services.index, services.articles, query, limit=10)
            assert [a.id for a in page.articles] == [article_id], query
        assert await services.upgrade_analysis() is None  # up to date: not re-analysed again
        # the topic, compiled from its text at load, alerts on a new article spelled the other way
        await services.articles.add(analyse(ParsedArticle("قمة في دمشق", "تستضيف سورية قمة اقتصادية.", None)))
        assert await services.alerts.match_new() == 1


async def test_a_new_store_is_not_reanalysed_at_start_up(tmp_path, caplog):
    settings = Settings(NEWSBOT_DB=str(tmp_path / "new.db"), NEWSBOT_SEEDS=str(tmp_path / "none"))
    services = await Services.open(settings)
    try:
        assert await services.upgrade_analysis() is None
        assert await services.articles.analysis_version() == ANALYSIS_VERSION
        assert "re-analys" not in caplog.text
    finally:
        await services.close()


async def test_reanalyse_records_the_analysis_version(store):
    from bot.ingest.reanalyse import reanalyse_store

    services, _ = store
    await services.articles.set_analysis_version(1)
    report = await reanalyse_store(services.articles)
    assert report.reanalysed == len(ARTICLES)
    assert await services.articles.analysis_version() == ANALYSIS_VERSION
