"""Interface language (issue 12): a chat's chosen language (/language, its buttons), counts in
Arabic's six plural forms, dates in the reader's language."""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import Settings
from bot.render import callbacks, dates, strings
from storage import open_store
from tests.support.articles import alerts_settled, article_text
from tests.support.console_chat import console_chat
from tests.support.waiting import wait_until

AR_COUNTS = (0, 1, 2, 5, 11, 100, 103)


# ---------------------------------------------------------------- plurals
@pytest.mark.parametrize(("n", "expected"), [
    (0, "لم أستخدم أي كلمة"), (1, "أول كلمة من"), (2, "أول كلمتين"), (5, "أول 5 كلمات"),
    (11, "أول 11 كلمة"), (100, "أول 100 كلمة"), (103, "أول 103 كلمات")])
def test_search_truncated_in_arabic(n, expected):
    assert expected in strings.text("ar", "search_truncated", count=n)


@pytest.mark.parametrize(("n", "expected"), [
    (0, "لا أخبار"), (1, "خبر واحد"), (2, "خبران"), (5, "5 أخبار"), (11, "11 خبراً"),
    (100, "100 خبر"), (103, "103 أخبار")])
def test_digest_header_in_arabic(n, expected):
    assert strings.text("ar", "digest_header", count=n) == f"ملخص الأخبار: {expected}"


@pytest.mark.parametrize(("n", "expected"), [
    (1, "موضوع واحد"), (2, "موضوعان"), (5, "5 مواضيع"), (11, "11 موضوعاً"), (100, "100 موضوع"),
    (103, "103 مواضيع")])
def test_topic_full_in_arabic(n, expected):
    assert expected in strings.text("ar", "topic_full", limit=n)


@pytest.mark.parametrize(("n", "expected"), [
    (1, "بعد محاولة فاشلة:"), (2, "بعد محاولتين فاشلتين"), (5, "بعد 5 محاولات"), (11, "بعد 11 محاولة"),
    (100, "بعد 100 محاولة"), (103, "بعد 103 محاولات")])
def test_source_paused_notice_in_arabic(n, expected):
    assert expected in strings.text("ar", "source_paused_notice", name="x", failures=n, error="e", url="u")


def test_every_counted_message_has_a_form_for_each_arabic_count_and_english_number():
    for n in AR_COUNTS:
        for noun in ("article", "new_article", "entry", "story", "day"):
            assert strings.counted("ar", n, noun)
        assert strings.text("en", "digest_header", count=n) == f"News digest: {n} article{'' if n == 1 else 's'}"
        assert strings.text("en", "search_truncated", count=n).startswith(
            "Only the first word" if n == 1 else f"Only the first {n} words")


# ---------------------------------------------------------------- dates
def test_dates_in_both_languages_latin_digits():
    assert dates.day("2026-12-01", "ar") == "1 ديسمبر 2026"
    assert dates.day("2026-12-01T09:30:00+00:00", "en") == "1 Dec 2026"
    assert dates.day(date(2026, 5, 3), "en") == "3 May 2026"
    assert dates.short_day("2026-01-05", "ar") == "5 يناير"
    assert dates.moment(0, "en") == "1 Jan 1970, 00:00"
    assert dates.moment(0, "ar") == "1 يناير 1970، 00:00"


def test_an_unparsable_date_is_shown_as_it_is():
    assert dates.day("sometime", "ar") == "sometime"
    assert dates.day("2026-13-45", "en") == "2026-13-45"
    assert dates.short_day("", "en") == ""
    assert dates.moment(None, "ar") == ""


# ---------------------------------------------------------------- callbacks and names
def test_language_buttons_are_built_and_strictly_parsed():
    assert [callbacks.parse_language(callbacks.language(c)) for c in ("ar", "en", "auto")] == ["ar", "en", "auto"]
    for forged in ("lg:xx", "lg:en ", "lg:", "lg:EN", "lg:en:1", None, "al:rm:1"):
        assert callbacks.parse_language(forged) is None
    with pytest.raises(ValueError):
        callbacks.language("fr")


@pytest.mark.parametrize(("typed", "choice"), [
    ("en", "en"), ("English", "en"), ("انجليزي", "en"), ("الإنجليزية", "en"), ("ar", "ar"), ("العربية", "ar"),
    ("عربي", "ar"), ("ar-SA", "ar"), ("AUTO", "auto"), ("klingon", None), ("", None)])
def test_language_names_as_typed(typed, choice):
    assert strings.language_named(typed) == choice


# ---------------------------------------------------------------- storage
async def test_ensure_keeps_a_chosen_language_and_migrate_carries_it(tmp_path):
    store = await open_store(tmp_path / "s.db")
    try:
        chats = store.chats
        await chats.ensure(5, "group", "ar")
        await chats.set_language(5, "group", "en")
        chat = await chats.ensure(5, "group", "ar")  # an Arabic-speaking member's command
        assert (chat.language, chat.chosen_language) == ("en", "en")
        assert await chats.chosen_language(5) == "en"
        await chats.migrate(5, -1005)
        assert (await chats.get(-1005)).language == "en"
        await chats.set_language(-1005, "supergroup", None)  # follow Telegram again
        assert (await chats.get(-1005)).language == "ar"
        assert await chats.chosen_language(-1005) is None
        assert await chats.chosen_language(404) is None
    finally:
        await store.close()


# ---------------------------------------------------------------- through the Application
async def test_language_command_in_a_console_chat(tmp_path):
    async with console_chat(Settings(NEWSBOT_DB=str(tmp_path / "c.db"))) as (_app, say, _):
        assert "لغة البوت: العربية" in await say("/language", language_code="ar")
        assert "klingon" in await say("/language klingon", language_code="ar")
        assert "ليست لغة أعرفها" in await say("/language klingon", language_code="ar")
        assert "The bot now speaks English here." in await say("/language english", language_code="ar")
        assert "I don't know that command" in await say("/nonsense", language_code="ar")
        assert "Type your search words" in await say("/search", language_code="ar")
        assert "The bot's language in this chat: English" in await say("/language", language_code="ar")
        assert "Follow my Telegram setting" in await say("/language", language_code="ar")
        assert "سأتبع إعداد تيليجرام لديك: العربية" in await say("/language auto", language_code="ar")
        assert "اكتب كلمات البحث" in await say("/search", language_code="ar")


async def test_ui_language_falls_back_to_telegram_when_the_store_fails(tmp_path):
    from handlers.common import ui_language

    class Broken:
        async def chosen_language(self, chat_id):
            raise RuntimeError("disk on fire")

    class Update:
        effective_chat = None
        effective_user = type("U", (), {"id": 7, "language_code": "en"})()

    class Context:
        services = type("S", (), {"store": type("St", (), {"chats": Broken()})()})()

    assert await ui_language(Update(), Context()) == "en"


# ---------------------------------------------------------------- end to end, stand-in Bot API
CHAT, GROUP, ADMIN, MEMBER = 8301, -8401, 9301, 9302


@pytest.mark.e2e
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_e2e_language_buttons_english_answers_and_alerts(standin, bot):
    bot.start()
    standin.push_message(CHAT, "/language", language_code="ar")
    shown = standin.wait_for_messages(CHAT, 1, timeout=30)[-1]
    assert "لغة البوت: العربية" in shown.plain_text
    data = [b["callback_data"] for row in shown.reply_markup["inline_keyboard"] for b in row]
    assert data == ["lg:ar", "lg:en", "lg:auto"]

    standin.push_callback_query(CHAT, "lg:en", message_id=shown.message_id, language_code="ar")
    standin.push_callback_query(CHAT, "lg:xx", message_id=shown.message_id, verify=False, language_code="ar")
    wait_until(lambda: len(standin.callback_answers) >= 2, 10, "two callback answers")
    answers = {a["data"]: a for a in standin.callback_answers}
    assert answers["lg:en"]["text"] == "The bot now speaks English here."
    assert answers["lg:xx"]["text"] == "This button is no longer valid."  # in the chosen language now
    wait_until(lambda: "Choose a language" in standin.message(CHAT, shown.message_id)["text"], 10, "the edit")

    standin.push_message(CHAT, "/subscribe سوريا", language_code="ar")
    added = standin.wait_for_messages(CHAT, 2, timeout=10)[-1]
    assert "New articles about" in added.plain_text
    bot.ingest(article_text(1))
    alert = standin.wait_for_messages(CHAT, 3, timeout=15)[-1]
    assert "Matched:" in alert.plain_text and "يطابق" not in alert.plain_text
    wait_until(lambda: alerts_settled(bot.db), 10, "the outbox to have nothing left to send")

    standin.push_message(CHAT, "/language xx", language_code="ar")
    assert "is not a language I know" in standin.wait_for_messages(CHAT, 4, timeout=10)[-1].plain_text
    assert all("language" in [c["command"] for c in menu] for menu in standin.commands.values())

    # a group: a member may not change it, by command or button; an administrator may
    standin.add_chat(GROUP, "supergroup", title="Newsroom")
    standin.set_admins(GROUP, [ADMIN])
    standin.push_message(GROUP, "/language en", chat_type="supergroup", user_id=MEMBER, language_code="ar")
    refused = standin.wait_for_messages(GROUP, 1, timeout=10)[-1]
    assert "مشرفو المجموعة فقط" in refused.plain_text
    standin.push_message(GROUP, "/language", chat_type="supergroup", user_id=MEMBER, language_code="ar")
    listing = standin.wait_for_messages(GROUP, 2, timeout=10)[-1]
    before = len(standin.callback_answers)
    standin.push_callback_query(GROUP, "lg:en", message_id=listing.message_id, user_id=MEMBER, language_code="ar")
    wait_until(lambda: len(standin.callback_answers) > before, 10, "the member's press answered")
    assert "مشرفو المجموعة" in standin.callback_answers[-1]["text"]
    standin.push_message(GROUP, "/language en", chat_type="supergroup", user_id=ADMIN, language_code="ar")
    assert "speaks English" in standin.wait_for_messages(GROUP, 3, timeout=10)[-1].plain_text
    assert "Traceback" not in bot.read_log()
