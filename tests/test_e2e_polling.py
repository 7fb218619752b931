"""End to end: `newsbot run` (long polling) against the stand-in Bot API on 127.0.0.1."""

import asyncio

import pytest

from bot.config import Settings
from bot.ingest.files import parse_article
from bot.ingest.pipeline import analyse
from bot.render.html import MESSAGE_LIMIT, utf16_len
from bot.services import Services
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

CHAT = 5001


@pytest.fixture
def bot_process(bot):
    """The shared `bot`, started with DEBUG logs; yields (process, db path, log reader)."""
    bot.start(NEWSBOT_LOG_LEVEL="DEBUG")
    return bot.process, bot.db, bot.read_log


def _texts(records):
    return [r["text"] for r in records]


def test_a_user_searches_and_reads_a_summary(standin, bot_process):
    process, _, read_log = bot_process
    standin.push_message(CHAT, "/start", language_code="ar")
    welcome = standin.wait_for_messages(CHAT, 1, timeout=30)
    assert "نيوزبوت" in welcome[0]["text"]

    standin.push_message(CHAT, "/search سوريا", language_code="ar")
    found = standin.wait_for_messages(CHAT, 2, timeout=20)[-1]
    assert found["parse_mode"] == "HTML"
    assert "“قيصر” يروى تفاصيل جديدة حول آلاف ضحايا النظام السوري" in found["text"]
    assert "بروكار برس-وكالات" in found["text"] and "/summary_1" in found["text"]

    standin.push_message(CHAT, "/summary 1", language_code="en")
    summary = standin.wait_for_messages(CHAT, 3, timeout=20)[-1]
    assert summary["text"].count("•") >= 2
    assert summary["text"].startswith("\u200f")  # Arabic text marked right-to-left

    standin.push_message(CHAT, "/summary_1", language_code="en")  # the tappable form: the same view
    assert standin.wait_for_messages(CHAT, 4, timeout=20)[-1]["text"] == summary["text"]

    menus = standin.commands
    assert {"ar", "en"} <= {key for key in menus if key}
    assert process.poll() is None
    log = read_log()
    assert standin.token not in log
    assert standin.token.split(":")[1] not in log
    assert not [c for c in standin.calls if c.get("error") and c["method"] != "getUpdates"
                and c.get("error_code") != 429]


def test_bad_input_gets_clear_answers_and_nothing_crashes(standin, bot_process):
    process, _, read_log = bot_process
    inputs = ["/search", "/search " + "ب" * 10_000, '/search " * NEAR AND ( -', "/summary 999999", "/summary abc"]
    for n, text in enumerate(inputs, start=1):
        standin.push_message(CHAT, text, language_code="en")
        standin.wait_for_messages(CHAT, n, timeout=30)
    answers = _texts(standin.wait_for_messages(CHAT, len(inputs), timeout=5))
    assert "Type your search words" in answers[0]
    assert "No results" in answers[1]  # 10,000 letters are one word: found nowhere...
    assert "Only the first" not in answers[1]  # ...and not a query cut at 12 words
    assert "No results" in answers[2]
    assert "There is no article number 999999." in answers[3]
    assert "is not an article number" in answers[4]
    assert all("Something went wrong" not in a for a in answers)
    assert process.poll() is None
    assert "Traceback" not in read_log()


@pytest.mark.parametrize("standin", [{"private_burst": 1}], indirect=True)  # 1/s, no burst allowance
def test_long_answers_are_split_within_telegram_limits(standin, bot_process, tmp_path):
    _, db_path, _ = bot_process
    paragraphs = [
        f"الفقرة {n}: قال المتحدث إن اللجنة، بعد أن درست التقارير، ستعلن " + " ".join(f"نتيجة{n}x{k}" for k in range(250)) + "."
        for n in range(12)
    ]  # every sentence over 2,500 characters, none alike: any two exceed one message
    text = "عنوان طويل جداً\n" + "\n".join(paragraphs) + "\nوكالة"

    async def add() -> int:
        services = await Services.open(Settings(NEWSBOT_DB=str(db_path)))
        try:
            article_id, _ = await services.articles.add(analyse(parse_article(text)))
        finally:
            await services.close()
        return article_id

    standin.push_message(CHAT, "/start")
    standin.wait_for_messages(CHAT, 1, timeout=30)  # the bot is up and the store exists
    article_id = asyncio.run(add())
    standin.push_message(CHAT, f"/summary {article_id}")
    summary_messages = standin.wait_for_messages(CHAT, 3, timeout=30)[1:]
    assert len(summary_messages) >= 2
    for message in summary_messages:
        assert utf16_len(message["plain_text"]) <= MESSAGE_LIMIT
    # the parts are paced (about one a second in a private chat), not sent into a 429
    assert standin.rate_limited == []


def test_search_pages_with_buttons_and_refuses_forged_ones(standin, bot_process):
    _, db_path, _ = bot_process
    standin.push_message(CHAT, "/start", language_code="en")
    standin.wait_for_messages(CHAT, 1, timeout=30)

    async def add_many() -> None:
        services = await Services.open(Settings(NEWSBOT_DB=str(db_path)))
        try:
            for n in range(8):
                body = f"Flood report number {n} from the river valley. Water levels rose overnight."
                await services.articles.add(analyse(parse_article(f"Flood update {n}\n{body}\nWire")))
        finally:
            await services.close()

    asyncio.run(add_many())
    standin.push_message(CHAT, "/search flood", language_code="en")
    first = standin.wait_for_messages(CHAT, 2, timeout=20)[-1]
    assert "1–5 of 8" in first["plain_text"]
    [next_button] = first.buttons()
    assert len(next_button["callback_data"].encode()) <= 64

    standin.push_callback_query(CHAT, next_button["callback_data"], message_id=first["message_id"], language_code="en")
    edited = standin.wait_for_messages(CHAT, 3, timeout=20, include_edits=True)[-1]
    assert edited.is_edit and edited["message_id"] == first["message_id"]
    assert "6–8 of 8" in edited["plain_text"]
    assert [b["text"] for b in edited.buttons()] == ["◀ Previous"]

    for forged in ("pg:999999:0", "pg:1:99999", "pg:x", "pg:" + "9" * 40):
        standin.push_callback_query(CHAT, forged, message_id=first["message_id"], language_code="en", verify=False)
    wait_until(lambda: len(standin.callback_answers) >= 5, 20, "answers to the four forged presses")
    refusals = standin.callback_answers[1:]
    assert len(refusals) == 4
    assert all(r["text"] == "This button has expired. Please search again." and r["show_alert"] for r in refusals)
    assert len(standin.messages_for(CHAT, include_edits=True)) == 3  # nothing was changed by them


def test_inline_mode_offers_articles_with_their_summaries(standin, bot_process):
    standin.push_message(CHAT, "/start")
    standin.wait_for_messages(CHAT, 1, timeout=30)
    user = {"id": CHAT, "is_bot": False, "first_name": "u", "language_code": "ar"}
    standin.push_update({"inline_query": {"id": "iq1", "from": user, "query": "بالصور سوريا", "offset": ""}})
    standin.push_update({"inline_query": {"id": "iq2", "from": user, "query": '" * ( -', "offset": "x"}})
    answers = wait_until(lambda: len(standin.inline_answers) >= 2 and standin.inline_answers, 20,
                         "answers to both inline queries")
    by_id = {a["inline_query_id"]: a for a in answers}
    [result] = by_id["iq1"]["results"]
    assert result["id"] == "1" and "قيصر" in result["title"]
    content = result["input_message_content"]
    assert content["parse_mode"] == "HTML" and "•" in content["message_text"]
    [newest] = by_id["iq2"]["results"]  # nothing to search for: the newest articles, here the seed alone
    assert newest["id"] == "1"


def test_an_update_handed_out_again_after_a_restart_is_not_answered_again(standin, bot):
    """A process killed after answering but before confirming its batch gets the batch again
    when it restarts: the answered /subscribe must not be replayed after the /unsubscribe."""
    chat = 5002
    standin.push_message(chat, "/subscribe سوريا", language_code="en")
    (copy,) = standin.pending_updates
    bot.start()
    standin.wait_for_messages(chat, 1, timeout=30)
    standin.push_message(chat, "/unsubscribe سوريا", language_code="en")
    assert "no more" in standin.wait_for_messages(chat, 2, timeout=30)[-1]["text"].lower()
    bot.stop()
    standin.push_update(copy)  # Telegram hands the first update out again
    bot.start()
    standin.push_message(chat, "/topics", language_code="en")
    answers = _texts(standin.wait_for_messages(chat, 3, timeout=30))
    wait_until(lambda: not standin.pending_updates, 30, "the copy to be taken")
    assert len(standin.messages_for(chat)) == 3, answers  # the copy got no answer...
    assert "No alert topics" in answers[-1]  # ...and subscribed no one
