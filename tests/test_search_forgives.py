"""Search that forgives (issue 12): filters alone list the newest, plain text in a private chat
is a search, and a query that finds nothing offers "did you mean". Small texts of their own:
nothing here reads ../shared/eval."""

import io
import time

import pytest
from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.console import CONSOLE_TOKEN, ConsoleRequest
from bot.ingest.files import ParsedArticle
from bot.ingest.pipeline import analyse
from bot.search.engine import search_articles
from bot.services import Services

# key: (title, body, source, published)
ARTICLES = {
    "caesar": ("قانون قيصر والعقوبات", "قال مسؤول إن قانون قيصر يفرض عقوبات جديدة على دمشق.", "الجزيرة", "2026-01-02"),
    "budget": ("The government and the budget", "The government announced a new budget on Monday.", "Reuters",
               "2026-01-04"),
    "oslo": ("Elections in Oslo", "Voters went to the polls in Oslo on Sunday.", "Reuters", "2026-01-01"),
    "olive": ("موسم الزيتون", "بدأ موسم قطاف الزيتون في الشمال هذا الأسبوع.", "الجزيرة", "2026-01-03"),
}


async def _add_articles(services) -> dict[str, int]:
    ids = {}
    for key, (title, body, source, published) in ARTICLES.items():
        ids[key], created = await services.articles.add(analyse(ParsedArticle(title, body, source),
                                                                published_at=published))
        assert created
    return ids


@pytest.fixture
async def store(tmp_path, store_location):
    services = await Services.open(Settings(NEWSBOT_DB=store_location, NEWSBOT_SEEDS=str(tmp_path / "none")))
    ids = await _add_articles(services)
    yield services, ids
    await services.close()


async def _search(store, query, **kwargs):
    services, ids = store
    page = await search_articles(services.index, services.articles, query, limit=kwargs.get("limit", 10),
                                 offset=kwargs.get("offset", 0))
    by_id = {v: k for k, v in ids.items()}
    return page, [by_id[a.id] for a in page.articles]


# ---------------------------------------------------------------- filters alone
@pytest.mark.parametrize(("query", "expected"), [
    ("lang:ar", ["olive", "caesar"]),
    ("lang:en", ["budget", "oslo"]),
    ("source:reuters", ["budget", "oslo"]),
    ("المصدر:الجزيرة", ["olive", "caesar"]),
    ("since:2026-01-03", ["budget", "olive"]),
    ("source:reuters -oslo", ["budget"]),
    ("lang:en since:2026-01-02", ["budget"]),
])
async def test_filters_alone_list_the_newest_matching(store, query, expected):
    page, found = await _search(store, query)
    assert found == expected and page.total == len(expected) and page.suggestion is None


async def test_filters_alone_are_paged_like_any_search(store):
    first, found = await _search(store, "since:2026-01-01", limit=3)
    assert found == ["budget", "olive", "caesar"] and first.total == 4 and first.has_next
    second, found = await _search(store, "since:2026-01-01", limit=3, offset=3)
    assert found == ["oslo"] and not second.has_next


async def test_a_filter_nothing_passes_finds_nothing_and_suggests_nothing(store):
    page, found = await _search(store, "source:nobody")
    assert found == [] and page.total == 0 and page.suggestion is None


# ---------------------------------------------------------------- did you mean
@pytest.mark.parametrize(("typed", "meant", "key"), [
    ("قيصير", "قيصر", "caesar"),
    ("goverment", "government", "budget"),
    ("قانون قيصير", "قانون قيصر", "caesar"),
    ("goverment budgit", "government budget", "budget"),
    ("موسم الزيتوم lang:ar", "موسم الزيتون lang:ar", "olive"),
])
async def test_a_typo_gets_a_suggestion_that_finds_results(store, typed, meant, key):
    page, found = await _search(store, typed)
    assert found == [] and page.suggestion == meant
    _, found = await _search(store, page.suggestion)
    assert key in found


@pytest.mark.parametrize("query", ["xqzvbnw", "ضصثقفغ", "qu", "goverment source:nobody", "قيصير lang:en"])
async def test_no_suggestion_without_a_close_word_that_finds_something(store, query):
    page, found = await _search(store, query)
    assert found == [] and page.suggestion is None


async def test_known_words_found_together_nowhere_get_no_suggestion(store):
    page, found = await _search(store, "oslo budget")
    assert found == [] and page.suggestion is None


async def test_suggestions_follow_new_and_reanalysed_articles(store):
    services, _ = store
    page, _ = await _search(store, "harbur")
    assert page.suggestion is None
    await services.articles.add(analyse(ParsedArticle("The harbour", "Ships left the harbour.", "Reuters")))
    page, _ = await _search(store, "harbur")
    assert page.suggestion == "harbour"


@pytest.mark.parametrize("query", [
    "x" * 10_000, "قيصير" * 2_000, '" * NEAR AND ( - OR ^ goverment', "🙂🔥 قيصير 🙂", "\u202eقيصير\u202c\u200f",
    "goverment:", "-goverment", '"goverment budgit"',
])
async def test_hostile_input_never_raises(store, query):
    page, found = await _search(store, query)
    assert isinstance(page.total, int)
    if page.suggestion:
        _, found = await _search(store, page.suggestion)
        assert found


# ---------------------------------------------------------------- chats, through the console
def _update(text: str, update_id: int, chat_type: str, lang: str) -> dict:
    chat = {"id": 1 if chat_type == "private" else -100, "type": chat_type}
    chat |= {"first_name": "u"} if chat_type == "private" else {"title": "g"}
    message = {"message_id": update_id, "date": int(time.time()), "chat": chat, "text": text,
               "from": {"id": 1, "is_bot": False, "first_name": "u", "language_code": lang}}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": update_id, "message": message}


@pytest.fixture
async def console(tmp_path, store_location):
    out = io.StringIO()
    settings = Settings(NEWSBOT_DB=store_location, NEWSBOT_SEEDS=str(tmp_path / "none"))
    application = build_application(settings, request=ConsoleRequest(out), token=CONSOLE_TOKEN)
    await application.initialize()
    await application.post_init(application)
    await _add_articles(application.bot_data)
    sent = iter(range(1, 1000))

    async def say(text: str, chat_type: str = "private", lang: str = "en") -> str:
        start = len(out.getvalue())
        update = _update(text, next(sent), chat_type, lang)
        await application.process_update(Update.de_json(update, application.bot))
        return out.getvalue()[start:]

    try:
        yield say
    finally:
        await application.post_shutdown(application)
        await application.shutdown()


@pytest.mark.parametrize("text", ["government", "budget -oslo", "source:reuters", "goverment", "xqzvbnw"])
async def test_plain_text_in_a_private_chat_answers_like_search(console, text):
    assert await console(text) == await console(f"/search {text}")


async def test_plain_text_answers(console):
    assert "Results for “government”: 1–1 of 1" in await console("government")
    assert "Newest for “source:reuters”: 1–2 of 2" in await console("source:reuters")
    suggested = await console("goverment")
    assert "No results for “goverment”." in suggested and "Did you mean: /search government" in suggested
    assert "no words to search for" in await console("🙂 !!")


async def test_plain_text_in_a_group_gets_no_answer(console):
    assert await console("government", "supergroup") == ""
    assert "/help — " in await console("/help", "supergroup")  # the next reply is help's


async def test_arabic_users_get_the_answers_in_arabic(console):
    suggested = await console("قيصير", lang="ar")
    assert "لا نتائج لـ «قيصير»." in suggested and "هل تقصد: /search قيصر (اضغط للنسخ)" in suggested
    assert "أحدث الأخبار لـ «lang:ar»: 1–2 من 2" in await console("/search lang:ar", lang="ar")
    assert "نتائج «قيصر»: 1–1 من 1" in await console("قيصر", lang="ar")
