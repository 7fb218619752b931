"""End to end: inline mode (`@bot words` in any chat) of the real `newsbot run` against the
stand-in Bot API, which checks every answerInlineQuery as Telegram does (≤ 50 results, unique
ids ≤ 64 bytes, next_offset ≤ 64 bytes, each message 1–4096 characters of valid HTML).

One bot process serves the whole module; each test asks its own inline queries."""

import itertools

import pytest

from tests.support.bot_process import BotProcess
from tests.support.botapi_standin import (
    MAX_TEXT_UTF16,
    StandInBotAPI,
    parse_html,
    utf16_len,
)
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

USER = 6001
HARBOR = 25  # English articles about the harbour: three inline pages of 10, 10 and 5
_ids = itertools.count(1)


def harbor_text(n: int) -> str:
    source = "Source: Reuters\n" if n % 5 == 0 else ""  # every fifth from Reuters, the others from none
    return (f"{source}Harbor cranes idle on day {n}\n"
            f"The harbor cranes stood idle for day {n} as dock workers met the port authority.\n"
            f"Officials said talks on shift number {n} would go on through the week.")


QUAKE = ("زلزال قوي يضرب مدينة ساحلية\n"
         "ضرب زلزال قوي مدينة ساحلية فجر اليوم وأدى إلى انهيار عدد من المباني القديمة.\n"
         "وقالت فرق الإنقاذ إنها تبحث عن ناجين تحت الأنقاض في الأحياء الشرقية.\n"
         "وكالة الأنباء")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(standin, bot) with the seed article, one Arabic quake article and 25 English ones."""
    tmp = tmp_path_factory.mktemp("inline")
    with StandInBotAPI() as standin:
        bot = BotProcess(standin, tmp)
        try:
            bot.start()
            standin.push_message(USER, "/start", language_code="en")
            standin.wait_for_messages(USER, 1, timeout=30)  # up, with its store and the seed
            bot.ingest(QUAKE, *(harbor_text(n) for n in range(1, HARBOR + 1)))
            yield standin, bot
        finally:
            bot.stop()
        assert "Traceback" not in bot.read_log()


def ask(standin, query: str, offset: str = "", lang: str = "ar", timeout: float = 20) -> dict:
    """Send one inline query; return the bot's answer to it (its results and next_offset)."""
    qid = f"iq{next(_ids)}"
    user = {"id": USER, "is_bot": False, "first_name": "u", "language_code": lang}
    standin.push_update({"inline_query": {"id": qid, "from": user, "query": query, "offset": offset,
                                          "chat_type": "sender"}})
    return wait_until(lambda: next((a for a in standin.inline_answers if a["inline_query_id"] == qid), None),
                      timeout, f"the answer to inline query {query[:40]!r}")


def titles(answer: dict) -> list[str]:
    return [r["title"] for r in answer["results"]]


def test_arabic_prefixed_plural_and_english_queries_find_their_articles(served):
    standin, _ = served
    quake = ask(standin, "والزلازل")  # `and the earthquakes`: finds the article about one earthquake
    assert titles(quake) == ["زلزال قوي يضرب مدينة ساحلية"]
    [result] = quake["results"]
    message = result["input_message_content"]
    assert message["parse_mode"] == "HTML"
    plain, _ = parse_html(message["message_text"])
    assert "زلزال قوي يضرب مدينة ساحلية" in plain and "•" in plain and "انهيار" in plain
    assert 1 <= utf16_len(plain) <= MAX_TEXT_UTF16
    assert result["description"] and len(result["description"]) <= 200

    english = ask(standin, "cranes day 7", lang="en")
    assert titles(english)[0] == "Harbor cranes idle on day 7"
    for r in english["results"]:
        plain, _ = parse_html(r["input_message_content"]["message_text"])
        assert plain.count("•") >= 1 and utf16_len(plain) <= MAX_TEXT_UTF16
    assert not standin.errors("answerInlineQuery")


def test_results_follow_the_users_language(served):
    standin, _ = served
    texts = {}
    for lang in ("ar", "en"):
        [result] = [r for r in ask(standin, "cranes day 3", lang=lang)["results"]
                    if r["title"] == "Harbor cranes idle on day 3"]
        texts[lang] = parse_html(result["input_message_content"]["message_text"])[0]
    assert "unknown source" in texts["en"] and "مصدر غير معروف" in texts["ar"]


def test_pages_with_next_offset_are_distinct_and_stop(served):
    standin, _ = served
    seen, offset, pages = [], "", 0
    while True:
        answer = ask(standin, "harbor cranes", offset=offset, lang="en")
        pages += 1
        assert answer["results"], f"page {pages} is empty"
        seen += [r["id"] for r in answer["results"]]
        assert all(t.startswith("Harbor cranes idle") for t in titles(answer))
        offset = answer["next_offset"]
        if not offset:
            break
        assert len(offset.encode()) <= 64 and pages < 5
    assert pages == 3 and len(seen) == HARBOR == len(set(seen))  # every article once, then no more offset


def test_an_empty_query_offers_the_newest(served):
    standin, _ = served
    answer = ask(standin, "")
    assert len(answer["results"]) == 10 and answer["next_offset"] == ""
    assert answer["results"][0]["title"] == f"Harbor cranes idle on day {HARBOR}"  # the last ingested
    ids = [int(r["id"]) for r in answer["results"]]
    assert ids == sorted(ids, reverse=True)


@pytest.mark.parametrize(("query", "expected"), [
    ("lang:en", {f"Harbor cranes idle on day {n}" for n in range(1, HARBOR + 1)}),
    ("source:reuters", {f"Harbor cranes idle on day {n}" for n in range(5, HARBOR + 1, 5)}),
    ("lang:ar", None),  # Arabic only: the quake article and the seed, no harbour
])
def test_filters_alone_list_the_newest_matching(served, query, expected):
    standin, _ = served
    found, offset = [], ""
    for _ in range(4):
        answer = ask(standin, query, offset=offset, lang="en")
        found += titles(answer)
        offset = answer["next_offset"]
        if not offset:
            break
    if expected is None:
        assert "زلزال قوي يضرب مدينة ساحلية" in found
        assert not [t for t in found if t.startswith("Harbor")]
    else:
        assert set(found) == expected and len(found) == len(expected)


HOSTILE = [
    "ب" * 10_000, "x" * 10_000, 'NEAR(harbor cranes, 2)', '"harbor', "harbor*", "harbor OR", "OR OR OR",
    '" * ( - AND NOT', "\u202eharbor\u202c \u2066cranes\u2069 \u200f", "🔥🌊🚢", "\u200b\u200e", "source:",
    "lang:xx", "since:2099-13-45", "-harbor", "source:" + "ر" * 300,
]


def test_hostile_queries_and_offsets_are_answered_without_errors(served):
    standin, bot = served
    for query in HOSTILE:
        answer = ask(standin, query, lang="en")
        assert len(answer["results"]) <= 50
    for offset in ("-5", "abc", "99999", "²", "١٠", "10" * 40, "5"):
        answer = ask(standin, "harbor cranes", offset=offset, lang="en")
        assert len(answer["results"]) <= 10
    # the bot still answers properly afterwards, and never failed a call or logged a traceback
    assert titles(ask(standin, "والزلازل")) == ["زلزال قوي يضرب مدينة ساحلية"]
    assert not standin.errors("answerInlineQuery")
    assert bot.process.poll() is None
    assert "Traceback" not in bot.read_log()


def test_the_standin_refuses_answers_telegram_would_refuse(served):
    """The stand-in's own checks, so that the bot's answers above were really held to them."""
    import json
    import urllib.error
    import urllib.request

    standin, _ = served

    def answer(**params) -> tuple[bool, str]:
        qid = f"raw{next(_ids)}"
        standin.push_update({"inline_query": {"id": qid, "from": {"id": USER, "is_bot": False, "first_name": "u"},
                                              "query": "", "offset": ""}})
        standin.take_updates()  # not for the bot: answered here
        body = json.dumps({"inline_query_id": qid, **params}).encode()
        request = urllib.request.Request(f"{standin.api_url}/answerInlineQuery", body,
                                         {"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return json.load(response)["ok"], ""
        except urllib.error.HTTPError as exc:
            return False, json.load(exc)["description"]

    def article(rid: str = "1", text: str = "<b>ok</b>", title: str = "t") -> dict:
        return {"type": "article", "id": rid, "title": title,
                "input_message_content": {"message_text": text, "parse_mode": "HTML"}}

    assert answer(results=[article()], next_offset="10") == (True, "")
    assert "RESULTS_TOO_MUCH" in answer(results=[article(str(n)) for n in range(51)])[1]
    assert "RESULT_ID_DUPLICATE" in answer(results=[article(), article()])[1]
    assert "RESULT_ID_INVALID" in answer(results=[article("x" * 65)])[1]
    assert "NEXT_OFFSET_INVALID" in answer(results=[article()], next_offset="9" * 65)[1]
    assert "RESULT_TITLE_EMPTY" in answer(results=[article(title=" ")])[1]
    assert "too long" in answer(results=[article(text="ب" * 4097)])[1]
    assert not answer(results=[article(text="<b>unclosed")])[0]
    assert not answer(results=[article(text="<b></b>")])[0]  # empty after entity parsing
