"""The article view: its callback data, summary levels, keyboard, /read's splitter, similar words."""

import re

import pytest

from bot.render import callbacks, keyboards, reading, strings
from bot.render.html import LRM, MESSAGE_LIMIT, RLM, utf16_len, visible
from bot.search.similar import distinctive_words, like_query, topic_query
from bot.summaries.cache import LEVELS, levels_for
from storage import Article

AR_SENTENCE = "قال مسؤول في وزارة الخارجية السورية إن المحادثات مع الوفد الأردني تناولت ملف المياه والحدود 😀."
EN_SENTENCE = "The minister said on Tuesday that talks with the Jordanian delegation covered water and borders 😀."


def _article(body: str, language: str = "ar", url: str | None = "https://example.com/news/1",
             title: str = "محادثات سورية أردنية حول المياه") -> Article:
    return Article(7, title, body, language, "وكالة", url, "2024-03-05T10:00:00Z", "2024-03-05T11:00:00Z")


def _flat(value: str) -> str:
    return re.sub(r"\s+", "", value)


def _body_of(messages: list[str], article: Article) -> str:
    """The body as the messages show it: header lines and the link line dropped."""
    text = "".join(visible(m) for m in messages)
    text = text.replace(article.title, "", 1).replace(article.url or "\0", "")
    return text.replace(RLM, "").replace(LRM, "")


# ------------------------------------------------------------------ callback data
def test_article_callbacks_round_trip():
    assert callbacks.parse_article(callbacks.article("len", 12, 8)) == callbacks.ArticlePress("len", 12, 8)
    for action in ("full", "like", "sub"):
        assert callbacks.parse_article(callbacks.article(action, 99)) == callbacks.ArticlePress(action, 99)
    longest = callbacks.article("len", 10**18 - 1, 12)
    assert len(longest.encode()) <= callbacks.MAX_BYTES


@pytest.mark.parametrize("forged", [
    None, "", "av:", "av:len:12", "av:len:12:", "av:full:12:3", "av:len:0:3", "av:full:0", "av:like:-1",
    "av:len:12:0", "av:len:12:123", "av:drop:12", "av:full:1" + "0" * 18, "av:full:12 ", " av:full:12",
    "av:full:12\n", "av:full:١٢", "av:FULL:12", "av:sub:12;DROP", "al:more:12", "pg:1:0", "av:len:12:3:4",
])
def test_forged_article_callbacks_are_refused(forged):
    assert callbacks.parse_article(forged) is None


def test_building_bad_article_callbacks_fails():
    with pytest.raises(ValueError):
        callbacks.article("drop", 1)
    with pytest.raises(ValueError):
        callbacks.article("len", 1)  # a length button needs its length
    with pytest.raises(ValueError):
        callbacks.article("full", 1, 3)
    with pytest.raises(ValueError):
        callbacks.article("full", 10**70)  # over 64 bytes


# ------------------------------------------------------------------ levels and keyboard
def test_levels_stop_at_the_first_that_shows_every_sentence():
    assert levels_for(0) == (2,)
    assert levels_for(1) == (2,)
    assert levels_for(3) == (2, 3)
    assert levels_for(6) == (2, 3, 5, 8)
    assert levels_for(500) == LEVELS


def _buttons(markup):
    return [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_keyboard_hides_shorter_and_longer_at_the_ends(lang):
    middle = dict(_buttons(keyboards.article_keyboard(7, 5, LEVELS, lang)))
    assert middle[strings.text(lang, "btn_shorter")] == "av:len:7:3"
    assert middle[strings.text(lang, "btn_longer")] == "av:len:7:8"
    assert middle[strings.text(lang, "btn_full_text")] == "av:full:7"
    assert middle[strings.text(lang, "btn_more_like")] == "av:like:7"
    assert middle[strings.text(lang, "btn_follow_topic")] == "av:sub:7"
    shortest = dict(_buttons(keyboards.article_keyboard(7, 2, LEVELS, lang)))
    assert strings.text(lang, "btn_shorter") not in shortest and strings.text(lang, "btn_longer") in shortest
    longest = dict(_buttons(keyboards.article_keyboard(7, 3, (2, 3), lang)))
    assert strings.text(lang, "btn_longer") not in longest and longest[strings.text(lang, "btn_shorter")] == "av:len:7:2"
    only = _buttons(keyboards.article_keyboard(7, 2, (2,), lang))
    assert [data for _, data in only] == ["av:full:7", "av:like:7", "av:sub:7"]


# ------------------------------------------------------------------ /read's splitter
def _check_parts(messages: list[str], limit: int = MESSAGE_LIMIT) -> None:
    assert messages
    for message in messages:
        assert utf16_len(visible(message)) <= limit
        assert "<" not in visible(message).replace("&lt;", "")  # nothing left unparsed


@pytest.mark.parametrize(("language", "sentence"), [("ar", AR_SENTENCE), ("en", EN_SENTENCE)])
def test_read_splits_at_sentence_ends_and_loses_nothing(language, sentence):
    paragraphs = [" ".join(sentence.replace(".", f" {p}-{s}.") for s in range(30)) for p in range(12)]
    body = "\n\n".join(paragraphs)
    article = _article(body, language)
    messages = reading.render_full_text(article, reading.paragraphs(body, language), language)
    assert len(messages) >= 3
    _check_parts(messages)
    assert _flat(_body_of(messages, article)).endswith(_flat(body))  # the date line precedes it
    for message in messages[:-1]:  # every cut is after a sentence's full stop
        assert re.search(r"😀 \d+-\d+\.$", visible(message).rstrip())
    # paragraph breaks are kept: a blank line between paragraphs
    assert all(visible(m).count("\n\n") >= 1 for m in messages[1:-1])
    first = visible(messages[0])
    assert first.startswith(RLM if language == "ar" else LRM) or first.lstrip(RLM + LRM).startswith(article.title)
    assert article.title in first and "2024" in first
    assert article.url in visible(messages[-1])


def test_read_escapes_html_and_measures_after_entity_parsing():
    sentence = "a < b && c > d <b>not bold</b> & more &amp; text here."
    body = " ".join([sentence] * 400)
    messages = reading.split_text([reading.paragraphs(body, "en")[0]], "en")
    assert len(messages) >= 2
    for message in messages:
        assert "<b>" not in message and "&lt;b&gt;" in message
        assert utf16_len(visible(message)) <= MESSAGE_LIMIT
        assert utf16_len(message) > MESSAGE_LIMIT or message is messages[-1]  # escapes are not counted
    assert _flat("".join(visible(m) for m in messages).replace(LRM, "")) == _flat(body)


def test_one_huge_sentence_is_cut_at_word_boundaries():
    words = [f"كلمة{n}" for n in range(3000)]
    body = " ".join(words) + "."
    messages = reading.split_text(reading.paragraphs(body, "ar"), "ar")
    assert len(messages) >= 5
    _check_parts(messages)
    shown = [word for m in messages for word in visible(m).replace(RLM, "").split()]
    assert shown == body.split()  # every cut fell between two words


def test_a_sentence_without_spaces_is_cut_anyway():
    body = "😀" * 5000
    messages = reading.split_text(reading.paragraphs(body, "en"), "en")
    _check_parts(messages)
    assert "".join(visible(m).replace(LRM, "").replace(RLM, "") for m in messages) == body


def test_a_200k_body_is_cut_to_twenty_messages_with_the_link():
    body = "\n".join(" ".join([EN_SENTENCE] * 10) for _ in range(220))
    assert len(body) > 200_000
    article = _article(body, "en", title="Talks on water")
    messages = reading.render_full_text(article, reading.paragraphs(body, "en"), "en")
    assert len(messages) == reading.MAX_PARTS
    _check_parts(messages)
    assert "too long" in visible(messages[-1]) and article.url in visible(messages[-1])
    no_link = reading.render_full_text(_article(body, "en", url=None), reading.paragraphs(body, "en"), "en")
    assert len(no_link) == reading.MAX_PARTS and "beginning" in visible(no_link[-1])


def test_short_and_empty_bodies():
    article = _article(AR_SENTENCE)
    one = reading.render_full_text(article, reading.paragraphs(article.body, "ar"), "ar")
    assert len(one) == 1 and AR_SENTENCE in visible(one[0]) and article.url in visible(one[0])
    empty = reading.render_full_text(_article("   "), reading.paragraphs("   ", "ar"), "ar")
    assert len(empty) == 1 and "محادثات" in visible(empty[0])


# ------------------------------------------------------------------ distinctive words
def test_distinctive_words_prefer_title_words_repeated_in_the_body():
    body = ("بحث وزير الخارجية السوري ملف المياه مع نظيره الأردني. وقال إن المياه أولوية. "
            "وأضاف أن ملف المياه يتطلب تعاوناً. وتطرق الحديث إلى الحدود.")
    article = _article(body)
    words = distinctive_words(article, 3)
    assert words[0] == "المياه"
    assert all(word in article.title + " " + body for word in words)
    assert topic_query(article) == " ".join(words[:2])
    assert like_query(article).count(" OR ") >= 2


def test_distinctive_words_skip_stop_words_and_numbers():
    article = _article("The 2024 talks were about the water. The water talks ended.", "en",
                       title="The talks on water in 2024")
    words = [w.lower() for w in distinctive_words(article, 5)]
    assert words[:2] == ["talks", "water"] or words[:2] == ["water", "talks"]
    assert not {"the", "on", "in", "2024"} & set(words)


# ------------------------------------------------------------------ summaries of a given length
async def test_summaries_of_a_given_length_are_cached_and_levels_follow_the_article(alerts_store):
    from tests.support.articles import add_article, article_text

    services, _ = alerts_store
    article = await services.articles.get(await add_article(services, article_text(3)))
    summaries = services.summaries
    assert await summaries.sentence_count(article) == 4
    assert await summaries.levels(article) == (2, 3, 5)
    two = await summaries.of_length(article, 2)
    assert len(two) == 2 and len(await summaries.of_length(article, 3)) == 3
    assert await summaries.of_length(article, 5) == await summaries.full(article)
    from bot.summaries.cache import SUMMARY_VERSION

    cached = await services.articles.cached_summary(article.id, f"v{SUMMARY_VERSION}:s2:wNone")
    assert cached == two
