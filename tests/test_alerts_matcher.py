"""Topic matching: the query semantics on analysed articles, and the index agreeing with a scan."""

import random

import pytest

from bot.alerts.matcher import (
    AnalysedArticle,
    TopicIndex,
    compile_topic,
    document_frequencies,
    group_by_chat,
    matches,
)
from bot.ingest.files import parse_article
from bot.ingest.pipeline import analyse
from storage import ArticleTerms, Topic

AR_TEXT = (
    "وزارة الصحة تنشر بالصور آلاف الضحايا في سوريا\n"
    "نشرت الوزارةُ الصورَ الجديدة صباح اليوم، وقالت إن آلاف الضحايا سقطوا في دمشق وحلب.\n"
    "وأضاف المتحدث أن اللجنة ستعلن النتائج الأسبوع المقبل.\n"
    "وكالة سانا"
)
EN_TEXT = (
    "Elections held across the country\n"
    "Voters elected a new parliament on Sunday after the elections were delayed twice.\n"
    "The electoral commission said turnout was high in the capital.\n"
    "Source: Reuters"
)


def terms(article_id: int, text: str, *, date: str = "2024-05-01") -> ArticleTerms:
    new = analyse(parse_article(text))
    return ArticleTerms(article_id, new.language, new.source, date,
                        tuple(new.title_stems.split()), tuple(new.body_stems.split()))


def topic(query: str, topic_id: int = 1, chat_id: int = 10, *, since_article: int = 0, paused: bool = False):
    return compile_topic(Topic(topic_id, chat_id, query, paused, since_article))


@pytest.fixture(scope="module")
def ar():
    return AnalysedArticle.of(terms(100, AR_TEXT))


@pytest.fixture(scope="module")
def en():
    return AnalysedArticle.of(terms(101, EN_TEXT))


@pytest.mark.parametrize("query", ["الصور", "صورة", "والصور", "بالصور", "سوريا", "سوريّا", "دمشق OR القاهرة",
                                   '"آلاف الضحايا"', "الضحايا دمشق", "source:سانا", "lang:ar الصور"])
def test_arabic_variants_phrases_and_filters_match(ar, query):
    assert matches(topic(query), ar), query


@pytest.mark.parametrize("query", ["القاهرة", '"الضحايا آلاف"', "الصور -دمشق", "source:رويترز", "lang:en الصور",
                                   "since:2030-01-01 سوريا", "الصور القاهرة"])
def test_what_must_not_match_does_not(ar, query):
    assert not matches(topic(query), ar), query


def test_english_stems_and_filters(en):
    assert matches(topic("election"), en)
    assert matches(topic("elected parliament"), en)
    assert matches(topic('"new parliament" source:reuters'), en)
    assert not matches(topic('"parliament new"'), en)
    assert not matches(topic("election -turnout"), en)


def test_a_phrase_does_not_span_title_and_body():
    article = AnalysedArticle.of(ArticleTerms(1, "en", None, "2024-01-01", ("alpha", "beta"), ("gamma", "delta")))
    assert matches(topic('"alpha beta"'), article)
    assert not matches(topic('"beta gamma"'), article)


def test_only_topics_older_than_the_article_fire_and_paused_ones_do_not(ar):
    index = TopicIndex()
    index.put(topic("سوريا", 1, since_article=99))   # existed before article 100
    index.put(topic("سوريا", 2, since_article=100))  # created after it arrived
    index.put(topic("دمشق", 3, paused=True))
    assert [t.id for t in index.match(ar)] == [1]


def test_one_alert_per_chat_listing_every_matched_topic(ar):
    index = TopicIndex()
    index.put(topic("سوريا", 1, chat_id=10))
    index.put(topic("دمشق", 2, chat_id=10))
    index.put(topic("حلب", 3, chat_id=11))
    grouped = group_by_chat(ar.id, index.match(ar))
    assert [(m.chat_id, [t for t, _ in m.topics]) for m in grouped] == [(10, [1, 2]), (11, [3])]


def test_index_keeps_in_sync_on_remove_and_replace(ar):
    index = TopicIndex()
    index.put(topic("سوريا", 1))
    index.put(topic("دمشق", 2))
    index.remove(1)
    assert [t.id for t in index.match(ar)] == [2]
    index.put(topic("القاهرة", 2))  # topic 2 now means something else
    assert index.match(ar) == []
    index.replace_chat(10, [Topic(5, 10, "حلب", False, 0)])
    assert [t.id for t in index.match(ar)] == [5] and len(index) == 1


def _random_query(rng: random.Random, vocab: list[str]) -> str:
    parts = []
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if roll < 0.05:
            parts.append('"' + " ".join(rng.choice(vocab) for _ in range(3)) + '"')
        elif roll < 0.15:
            parts.append(f'"{rng.choice(vocab)} {rng.choice(vocab)}"')
        elif roll < 0.3:
            parts.append(f"{rng.choice(vocab)} OR {rng.choice(vocab)}")
        else:
            parts.append(rng.choice(vocab))
    if rng.random() < 0.2:
        parts.append("-" + rng.choice(vocab))
    if rng.random() < 0.1:
        parts.append(rng.choice(["lang:ar", "lang:en", "source:reuters", "since:2024-03-01"]))
    if rng.random() < 0.03:
        parts = [rng.choice(["lang:ar", "source:سانا"])]
    return " ".join(parts)


@pytest.mark.parametrize("use_df", [False, True])
def test_index_gives_exactly_the_naive_scan_answer(use_df):
    rng = random.Random(7)
    sources = [AR_TEXT, EN_TEXT]
    words = sorted({w for text in sources for w in text.replace("\n", " ").replace("،", " ").replace(".", " ").split()})
    articles = []
    for n in range(40):  # shuffled sentences of both texts, some dated before since:
        lines = [line for text in sources for line in text.splitlines()[1:-1]]
        rng.shuffle(lines)
        body = "\n".join(lines[: rng.randint(1, len(lines))])
        title = " ".join(rng.sample(words, 4))
        source = rng.choice(["وكالة سانا", "Source: Reuters", "AFP"])
        articles.append(terms(1000 + n, f"{title}\n{body}\n{source}", date=rng.choice(["2024-01-15", "2024-06-01"])))
    index = TopicIndex(document_frequencies(articles) if use_df else None)
    for topic_id in range(1, 1501):
        index.put(Topic(topic_id, rng.randint(1, 50), _random_query(rng, words), rng.random() < 0.05,
                        rng.choice([0, 0, 0, 1020])))
    fired = 0
    for article in articles:
        analysed = AnalysedArticle.of(article)
        indexed = [t.id for t in index.match(analysed)]
        assert indexed == [t.id for t in index.scan(analysed)]
        fired += len(indexed)
    assert fired > 100  # the comparison is not vacuous
