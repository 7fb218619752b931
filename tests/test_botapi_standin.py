"""Tests for the local Bot API stand-in, driven by PTB's own telegram.Bot over HTTP."""

import asyncio
import datetime as dtm
import html
import json
import threading
import time
import warnings

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    ReplyKeyboardMarkup,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, CallbackQueryHandler, CommandHandler

from tests.support.botapi_standin import StandInBotAPI, parse_html, utf16_len
from tests.support.waiting import await_until

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

CHAT = 5001
GROUP = -4001


def make_bot(standin, **kwargs) -> Bot:
    return Bot(standin.token, base_url=standin.base_url, **kwargs)


def retry_seconds(exc: RetryAfter) -> float:
    with warnings.catch_warnings():  # PTB 22 deprecation notice about int vs timedelta
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


def keyboard(*datas: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"b{n}", callback_data=d)]
                                 for n, d in enumerate(datas)])


# ---------------------------------------------------------------- basics / updates
async def test_get_me_and_wrong_token(standin):
    async with make_bot(standin) as bot:
        me = await bot.get_me()
        assert me.is_bot and me.username == standin.bot_username and me.id == 123456
    with pytest.raises(InvalidToken):
        async with Bot("123456:WRONG-token", base_url=standin.base_url) as bot:
            pass


async def test_get_updates_returns_real_updates_and_confirms_by_offset(standin):
    first = standin.push_message(CHAT, "/search سوريا", language_code="ar", username="sami")
    standin.push_message(CHAT, f"/start@{standin.bot_username} x")
    standin.push_message(CHAT, "مرحبا")
    async with make_bot(standin) as bot:
        updates = await bot.get_updates()
        assert [u.update_id for u in updates] == [first, first + 1, first + 2]
        msg = updates[0].message
        assert msg.text == "/search سوريا" and msg.chat.id == CHAT and msg.chat.type == "private"
        assert msg.from_user.language_code == "ar" and msg.from_user.username == "sami"
        (entity,) = msg.entities
        assert (entity.type, entity.offset, entity.length) == ("bot_command", 0, 7)
        assert msg.parse_entity(entity) == "/search"
        cmd2 = updates[1].message
        assert cmd2.parse_entity(cmd2.entities[0]) == f"/start@{standin.bot_username}"
        assert updates[2].message.entities == ()
        # message ids increase per chat
        assert [u.message.message_id for u in updates] == [1, 2, 3]

        again = await bot.get_updates(offset=first + 1, limit=1)
        assert [u.update_id for u in again] == [first + 1]
        assert await bot.get_updates(offset=updates[-1].update_id + 1) == ()
        assert standin.pending_updates == []


async def test_long_poll_returns_as_soon_as_an_update_arrives_while_other_calls_work(standin):
    standin.push_message(CHAT, "hi")
    async with make_bot(standin) as bot:
        (u,) = await bot.get_updates()
        poll = asyncio.create_task(bot.get_updates(offset=u.update_id + 1, timeout=5))
        await await_until(lambda: standin.polls_waiting, 5, "the long poll held open")
        sent = await bot.send_message(CHAT, "meanwhile")  # served while the poll is waiting
        assert sent.text == "meanwhile" and not poll.done()
        threading.Timer(0.2, standin.push_message, (CHAT, "later")).start()
        started = time.monotonic()
        updates = await poll
        assert time.monotonic() - started < 2
        assert [x.message.text for x in updates] == ["later"]
        # timeout with nothing pending returns an empty list after about `timeout`
        started = time.monotonic()
        assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=1) == ()
        assert 0.9 <= time.monotonic() - started < 2


async def test_a_second_bot_instance_polling_terminates_the_first(standin):
    async with make_bot(standin) as bot, make_bot(standin) as second_instance:
        older = asyncio.create_task(bot.get_updates(timeout=5))
        await await_until(lambda: standin.polls_waiting, 5, "the first instance's poll held open")
        newer = asyncio.create_task(second_instance.get_updates(timeout=0))
        with pytest.raises(Conflict, match="terminated by other getUpdates"):
            await older
        assert await newer == ()


async def test_allowed_updates_and_callback_queries(standin):
    async with make_bot(standin) as bot:
        standin.push_message(CHAT, "/start")
        (u,) = await bot.get_updates()
        m = await bot.send_message(CHAT, "pick", reply_markup=keyboard("sum:1", "sum:2"))
        with pytest.raises(ValueError):
            standin.push_callback_query(CHAT, "sum:3", message_id=m.message_id)
        standin.push_callback_query(CHAT, "sum:2", message_id=m.message_id)
        standin.push_message(CHAT, "ignored by allowed_updates")
        updates = await bot.get_updates(offset=u.update_id + 1, allowed_updates=["callback_query"])
        assert len(updates) == 1
        query = updates[0].callback_query
        assert query.data == "sum:2" and query.message.message_id == m.message_id
        assert query.from_user.id == CHAT
        with pytest.raises(BadRequest, match="Message_too_long"):
            await bot.answer_callback_query(query.id, text="x" * 201)
        assert await bot.answer_callback_query(query.id, text="ب" * 200)
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await bot.answer_callback_query(query.id)
        assert standin.callback_answers[0]["data"] == "sum:2"


async def test_webhook_conflict_and_unknown_method(standin):
    async with make_bot(standin) as bot:
        with pytest.raises(BadRequest, match="https url"):
            await bot.set_webhook("http://127.0.0.1/hook")
        assert await bot.set_webhook("https://example.org/hook")
        assert (await bot.get_webhook_info()).url == "https://example.org/hook"
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates()
        assert await bot.delete_webhook(drop_pending_updates=True)
        assert await bot.get_updates() == ()
        with pytest.raises(EndPointNotFound):
            await bot.do_api_request("noSuchMethod")
    assert standin.calls[-1].error_code == 404


async def test_a_real_polling_application_round_trip(standin):
    """PTB's Application/Updater: deleteWebhook, long polling, confirm-by-offset on stop."""

    async def start(update, context):
        await update.effective_message.reply_html(
            f"<b>أهلا</b> {context.args}", reply_markup=keyboard("more"))

    async def more(update, context):
        await update.callback_query.answer("ok")
        await update.callback_query.edit_message_text("done")

    app = Application.builder().token(standin.token).base_url(standin.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(more))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=1)
        standin.push_message(CHAT, f"/start@{standin.bot_username} x")
        standin.push_message(CHAT, "/start@SomeOtherBot")  # not for us: ignored by PTB
        (reply,) = await standin.await_messages(CHAT, 1, timeout=5)
        assert reply.plain_text == "أهلا ['x']" and reply.parse_mode == "HTML"
        standin.push_callback_query(CHAT, "more", message_id=reply.message_id)
        await standin.await_messages(CHAT, 2, timeout=5, include_edits=True)
        await app.updater.stop()
        await app.stop()
    assert standin.message(CHAT, reply.message_id)["text"] == "done"
    assert standin.callback_answers[0]["text"] == "ok"
    assert standin.pending_updates == []  # everything was confirmed via offset
    assert [c.method for c in standin.calls][:2] == ["getMe", "deleteWebhook"]
    assert not [c for c in standin.calls if not c.ok]
    # the poll PTB cancelled on stop is logged as abandoned, not as a Conflict
    assert [c.method for c in standin.calls if c.abandoned] in ([], ["getUpdates"])


# ---------------------------------------------------------------- sending / validation
async def test_send_message_is_recorded_and_chat_must_be_known(standin):
    standin.push_message(CHAT, "/start")
    async with make_bot(standin) as bot:
        with pytest.raises(BadRequest, match="Chat not found"):
            await bot.send_message(999, "hello")
        m1 = await bot.send_message(CHAT, "<b>مرحبا</b> &amp; أهلا", parse_mode=ParseMode.HTML)
        m2 = await bot.send_message(CHAT, "two", reply_markup=ReplyKeyboardMarkup([["a", "b"]]))
        assert (m1.message_id, m2.message_id) == (2, 3)  # after the user's message 1
        assert m1.text == "مرحبا & أهلا" and m1.entities[0].type == "bold"
        assert m1.entities[0].length == 5
    records = standin.wait_for_messages(CHAT, 2, timeout=1)
    assert records[0].text == "<b>مرحبا</b> &amp; أهلا"
    assert records[0]["plain_text"] == "مرحبا & أهلا" and records[0].parse_mode == "HTML"
    assert records[1].reply_markup == {"keyboard": [[{"text": "a"}, {"text": "b"}]]}
    rejected = standin.errors("sendMessage")
    assert rejected[0].description == "Bad Request: chat not found"
    assert rejected[0]["error"] == "Bad Request: chat not found"
    with pytest.raises(TimeoutError, match="wanted 3 messages"):
        standin.wait_for_messages(CHAT, 3, timeout=0.1)


HTML_REJECTED = [
    ("<foo>x</foo>", 'Unsupported start tag "foo" at byte offset 0'),
    ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
    ("a < b", 'Unsupported start tag "" at byte offset 2'),
    ("3<5", "Unclosed start tag at byte offset 1"),
    ("AT&T", 'Unescaped "&" at byte offset 2'),
    ("x &nbsp; y", 'Unescaped "&"'),
    ("a > b", 'Unescaped ">"'),
    ("ب</b>", "Unexpected end tag at byte offset 2"),
    ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
    ("<br>", 'Unsupported start tag "br"'),
    ('<a href=x"y">', "Unexpected end of name token at byte offset 8"),
    ("<a href=x y>", 'Expected equal sign in declaration of an attribute of the tag "a"'),
    ("<b> </b>", "message text is empty"),
]

HTML_ACCEPTED = [
    ("<a>no href</a>", "no href"),  # Telegram accepts it (no link entity unless a URL)
    ('<a href="https://ex.org/?a=1&amp;b=2">l</a>', "l"),
    (html.escape("if a < b && c > \"d\" 'e'"), "if a < b && c > \"d\" 'e'"),
    ("&#1576;&#x628;", "بب"),
    ('<pre><code class="language-python">x = 1</code></pre>', "x = 1"),
    ('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st"),
    ("<blockquote expandable>q</blockquote><B>upper</B>", "qupper"),
    ("<s><u><i><b>deep</b></i></u></s>", "deep"),
]


@pytest.mark.parametrize("standin", [{"private_rate": None}], indirect=True)  # no flood limit
async def test_html_is_parsed_like_telegram(standin):
    standin.push_message(CHAT, "/start")
    async with make_bot(standin) as bot:
        for text, error in HTML_REJECTED:
            with pytest.raises(BadRequest) as info:
                await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)
            description = standin.errors("sendMessage")[-1].description
            assert error in description, (text, description)
            assert error.lower() in info.value.message.lower()
        for text, plain in HTML_ACCEPTED:
            message = await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML)
            assert message.text == plain == standin.sent[-1].plain_text, text
    assert len(standin.errors("sendMessage")) == len(HTML_REJECTED)
    assert len(standin.sent) == len(HTML_ACCEPTED)


def test_html_entities_have_utf16_offsets():
    plain, entities = parse_html("😀 <b>ب😀</b> <a href='https://ex.org'>x</a>")
    assert plain == "😀 ب😀 x"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 3},
        {"type": "text_link", "offset": 7, "length": 1, "url": "https://ex.org"},
    ]


async def test_markdown_v2_reserved_characters(standin):
    standin.push_message(CHAT, "/start")
    async with make_bot(standin) as bot:
        with pytest.raises(BadRequest, match="(?i)Character '.' is reserved"):
            await bot.send_message(CHAT, "end.", parse_mode=ParseMode.MARKDOWN_V2)
        with pytest.raises(BadRequest, match="(?i)Can't find end of Bold entity"):
            await bot.send_message(CHAT, "*bold", parse_mode=ParseMode.MARKDOWN_V2)
        m = await bot.send_message(CHAT, r"*ب* end\.", parse_mode=ParseMode.MARKDOWN_V2)
        assert m.text == "ب end."


async def test_text_length_is_counted_in_utf16_after_parsing(standin):
    standin.push_message(CHAT, "/start")
    emoji = "😀" * 2048  # 4096 UTF-16 code units, 2048 code points
    arabic = "ب" * 4096
    assert utf16_len(emoji) == utf16_len(arabic) == 4096
    async with make_bot(standin) as bot:
        await bot.send_message(CHAT, emoji)
        await bot.send_message(CHAT, "<b>" + html.escape(arabic[:-1]) + "&amp;</b>",
                               parse_mode=ParseMode.HTML)  # markup is not counted
        for too_long in (emoji + "a", arabic + "ب", "😀" * 2047 + "ببب"):
            with pytest.raises(BadRequest, match="Message is too long"):
                await bot.send_message(CHAT, too_long)
        with pytest.raises(BadRequest, match="Message text is empty"):
            await bot.send_message(CHAT, "  \n ")
    assert [utf16_len(s.plain_text) for s in standin.sent] == [4096, 4096]


async def test_inline_keyboard_validation(standin):
    standin.push_message(CHAT, "/start")
    async with make_bot(standin) as bot:
        ok = "ب" * 32  # 64 UTF-8 bytes
        await bot.send_message(CHAT, "ok", reply_markup=keyboard(ok, "a"))
        with pytest.raises(BadRequest, match="Button_data_invalid"):
            await bot.send_message(CHAT, "too long", reply_markup=keyboard(ok + "a"))
        with pytest.raises(BadRequest, match="Button_url_invalid"):
            await bot.send_message(CHAT, "url", reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("x", url="javascript:alert(1)")]]))
    # raw JSON body (not PTB's urlencoding): text-only button and two actions are refused
    url = f"{standin.api_url}/sendMessage"
    bad = [
        [[{"text": "no action"}]],
        [[{"text": "two", "callback_data": "a", "url": "https://ex.org"}]],
        [[{"callback_data": "a"}]],
        [{"text": "not a row"}],
    ]
    for rows in bad:
        r = httpx.post(url, json={"chat_id": CHAT, "text": "t", "reply_markup": {"inline_keyboard": rows}})
        body = r.json()
        assert r.status_code == 400 and body["ok"] is False and body["error_code"] == 400
        assert body["description"].startswith("Bad Request: ")
    assert len(standin.sent) == 1


async def test_private_chat_flood_limit_gives_retry_after():
    with StandInBotAPI(private_rate=(1, 1.0), private_burst=2) as standin:
        standin.push_message(CHAT, "/start")
        async with make_bot(standin) as bot:
            await bot.send_message(CHAT, "1")
            await bot.send_message(CHAT, "2")
            with pytest.raises(RetryAfter) as info:
                await bot.send_message(CHAT, "3")
            assert retry_seconds(info.value) == 1
            (record,) = standin.rate_limited
            assert (record.chat_id, record.retry_after, record.limit) == (CHAT, 1, "private")
            call = standin.calls[-1]
            assert call.error_code == 429 and call.parameters == {"retry_after": 1}
            assert call.description == "Too Many Requests: retry after 1"
            # edits are not flood-counted
            m = standin.sent[0]
            await bot.edit_message_text("1 edited", chat_id=CHAT, message_id=m.message_id)
            await asyncio.sleep(retry_seconds(info.value))
            await bot.send_message(CHAT, "3")
    assert standin.max_rate_observed(1.0, chat_id=CHAT) == 2
    assert len(standin.accepted_times(CHAT)) == 3


async def test_group_and_overall_flood_limits():
    with StandInBotAPI(group_rate=(3, 60.0), overall_rate=(4, 10.0), private_rate=None) as standin:
        standin.push_message(GROUP, "/start@" + standin.bot_username, chat_type="group", user_id=7)
        for chat in (1, 2):
            standin.push_message(chat, "/start")
        async with make_bot(standin) as bot:
            for n in range(3):
                await bot.send_message(GROUP, f"g{n}")
            with pytest.raises(RetryAfter) as info:
                await bot.send_message(GROUP, "g3")
            assert retry_seconds(info.value) == 20  # one slot per 20 s at 3/minute
            await bot.send_message(1, "p1")  # another chat is not affected...
            with pytest.raises(RetryAfter):  # ...until the overall 4-per-10s limit is hit
                await bot.send_message(2, "p2")
        assert [r.limit for r in standin.rate_limited] == ["group", "overall"]
        assert standin.max_rate_observed(10.0) == 4


async def test_fault_injection_maps_to_ptb_exceptions(standin):
    standin.push_message(CHAT, "/start")
    standin.push_message(GROUP, "/start", chat_type="group", user_id=7)
    standin.fail_next("sendMessage", CHAT, error_code=403,
                      description="Forbidden: bot was blocked by the user")
    standin.fail_next("sendMessage", GROUP, error_code=400,
                      description="Bad Request: group chat was upgraded to a supergroup chat",
                      parameters={"migrate_to_chat_id": -1001234})
    standin.fail_next("sendmessage", error_code=429, description="Too Many Requests: retry after 7",
                      parameters={"retry_after": 7}, times=2)
    async with make_bot(standin) as bot:
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.send_message(CHAT, "x")
        with pytest.raises(ChatMigrated) as migrated:
            await bot.send_message(GROUP, "x")
        assert migrated.value.new_chat_id == -1001234
        for _ in range(2):
            with pytest.raises(RetryAfter) as info:
                await bot.send_message(CHAT, "x")
            assert retry_seconds(info.value) == 7
        assert (await bot.send_message(CHAT, "now fine")).text == "now fine"

        standin.block(CHAT)
        with pytest.raises(Forbidden):
            await bot.send_message(CHAT, "x")
        standin.unblock(CHAT)
        standin.migrate_chat(GROUP, -1009999)
        with pytest.raises(ChatMigrated) as migrated:
            await bot.send_message(GROUP, "x")
        assert migrated.value.new_chat_id == -1009999
        assert (await bot.send_message(-1009999, "moved")).chat.type == "supergroup"
    assert standin.rate_limited == []  # injected faults are not organic 429s
    assert [s.plain_text for s in standin.sent] == ["now fine", "moved"]


async def test_delay_next_simulates_timeouts(standin):
    standin.push_message(CHAT, "/start")
    standin.delay_next("sendMessage", 0.3)
    standin.delay_next("sendMessage", 0.3, deliver=False)
    async with make_bot(standin) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "slow but delivered", read_timeout=0.1)
        await asyncio.to_thread(standin.wait_for_call, "sendMessage", 5, count=1)
        assert [s.plain_text for s in standin.sent] == ["slow but delivered"]
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "lost", read_timeout=0.1)
        dropped = (await asyncio.to_thread(standin.wait_for_call, "sendMessage", 5, count=2))[-1]
        assert dropped.error_code == 0 and "dropped" in dropped.description
        assert len(standin.sent) == 1
        assert (await bot.send_message(CHAT, "fast")).text == "fast"


async def test_set_my_commands_is_validated_and_stored(standin):
    async with make_bot(standin) as bot:
        await bot.set_my_commands([BotCommand("search", "ابحث في الأخبار")], language_code="ar")
        await bot.set_my_commands([BotCommand("search", "Search news"),
                                   BotCommand("summary_1", "x" * 256)])
        for bad in ([BotCommand("Search", "upper")], [BotCommand("/search", "slash")],
                    [BotCommand("a" * 33, "long")], [BotCommand("ok", "")],
                    [BotCommand("ok", "x" * 257)],
                    [BotCommand(f"c{n}", "d") for n in range(101)]):
            with pytest.raises(BadRequest):
                await bot.set_my_commands(bad)
        got = await bot.get_my_commands(language_code="ar")
        assert [(c.command, c.description) for c in got] == [("search", "ابحث في الأخبار")]
        assert await bot.get_my_commands(language_code="en") == ()
        await bot.delete_my_commands(language_code="ar")
    assert set(standin.commands) == {""}
    assert standin.commands[""][0] == {"command": "search", "description": "Search news"}
    assert standin.commands_for("default", "ar") is None


async def test_edit_delete_chat_action_get_chat(standin):
    standin.push_message(CHAT, "/start")
    async with make_bot(standin) as bot:
        m = await bot.send_message(CHAT, "v1", reply_markup=keyboard("a"))
        with pytest.raises(BadRequest, match="Message is not modified"):
            await bot.edit_message_text("v1", chat_id=CHAT, message_id=m.message_id,
                                        reply_markup=keyboard("a"))
        edited = await bot.edit_message_text("<i>v2</i>", chat_id=CHAT, message_id=m.message_id,
                                             parse_mode=ParseMode.HTML, reply_markup=keyboard("b"))
        assert edited.text == "v2" and edited.edit_date is not None
        await bot.edit_message_reply_markup(chat_id=CHAT, message_id=m.message_id)
        assert "reply_markup" not in standin.message(CHAT, m.message_id)
        with pytest.raises(BadRequest, match="Message can't be edited"):
            await bot.edit_message_text("user's", chat_id=CHAT, message_id=1)
        with pytest.raises(BadRequest, match="Message to edit not found"):
            await bot.edit_message_text("x", chat_id=CHAT, message_id=99)
        assert await bot.send_chat_action(CHAT, "typing")
        r = httpx.post(f"{standin.api_url}/sendChatAction", data={"chat_id": CHAT, "action": "dance"})
        assert r.json()["description"] == "Bad Request: wrong parameter action in request"
        chat = await bot.get_chat(CHAT)
        assert chat.id == CHAT and chat.type == "private"
        assert await bot.delete_message(CHAT, m.message_id)
        with pytest.raises(BadRequest, match="Message to delete not found"):
            await bot.delete_message(CHAT, m.message_id)
        with pytest.raises(BadRequest, match="Message to be replied not found"):
            await bot.send_message(CHAT, "re", reply_to_message_id=m.message_id)
    assert [s.method for s in standin.sent] == ["sendMessage", "editMessageText",
                                                "editMessageReplyMarkup"]
    assert standin.messages_for(CHAT) == standin.sent[:1]
    assert standin.chat_actions[0]["action"] == "typing"


async def test_get_chat_member_and_administrators(standin):
    standin.add_chat(GROUP, "supergroup", title="Newsroom")
    standin.set_admins(GROUP, [7], creator=9)
    async with make_bot(standin) as bot:
        assert (await bot.get_chat_member(GROUP, 7)).status == "administrator"
        assert (await bot.get_chat_member(GROUP, 9)).status == "creator"
        assert (await bot.get_chat_member(GROUP, 8)).status == "member"
        admins = await bot.get_chat_administrators(GROUP)
        assert sorted(m.user.id for m in admins) == [7, 9]
        standin.block(GROUP, "Forbidden: bot was kicked from the supergroup chat")
        with pytest.raises(Forbidden):
            await bot.get_chat_member(GROUP, 7)


async def test_answer_inline_query_limits(standin):
    standin.push_update({"inline_query": {"id": "iq1", "from": {"id": CHAT, "is_bot": False,
                         "first_name": "u"}, "query": "q", "offset": ""}})
    standin.push_update({"inline_query": {"id": "iq2", "from": {"id": CHAT, "is_bot": False,
                         "first_name": "u"}, "query": "q", "offset": ""}})

    def article(n, text="t"):
        return InlineQueryResultArticle(str(n), f"title {n}", InputTextMessageContent(text))

    async with make_bot(standin) as bot:
        with pytest.raises(BadRequest, match="Results_too_much"):
            await bot.answer_inline_query("iq1", [article(n) for n in range(51)])
        with pytest.raises(BadRequest, match="Result_id_duplicate"):
            await bot.answer_inline_query("iq1", [article(1), article(1)])
        with pytest.raises(BadRequest, match="(?i)Unsupported start tag"):
            await bot.answer_inline_query("iq1", [InlineQueryResultArticle(
                "1", "t", InputTextMessageContent("<x>", parse_mode=ParseMode.HTML))])
        assert await bot.answer_inline_query("iq1", [article(n) for n in range(50)])
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await bot.answer_inline_query("iq1", [])
    assert len(standin.inline_answers[0]["results"]) == 50


async def test_multipart_upload_and_caption_limit(standin):
    standin.push_message(CHAT, "/start")
    async with make_bot(standin) as bot:
        with pytest.raises(BadRequest, match="Message caption is too long"):
            await bot.send_photo(CHAT, b"\x89PNG fake", caption="ب" * 1025)
        m = await bot.send_photo(CHAT, b"\x89PNG fake", caption="<b>صورة</b>",
                                 parse_mode=ParseMode.HTML)
        assert m.caption == "صورة" and m.photo
    call = standin.calls[-1]
    assert call.params["photo"]["content"] == b"\x89PNG fake"  # arrived as multipart
    assert standin.sent[-1].plain_text == "صورة"


def test_raw_wire_format(standin):
    """Form-urlencoded values arrive as strings; reply_markup is JSON-encoded inside."""
    standin.push_message(CHAT, "/start")
    r = httpx.post(f"{standin.api_url}/sendmessage", data={
        "chat_id": str(CHAT), "text": "hi",
        "reply_markup": json.dumps({"inline_keyboard": [[{"text": "b", "callback_data": "d"}]]}),
    })
    assert r.status_code == 200 and r.json()["ok"] is True
    assert r.json()["result"]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "d"
    r = httpx.get(f"{standin.api_url}/getMe")
    assert r.json()["result"]["username"] == standin.bot_username
    r = httpx.get(f"http://127.0.0.1:{standin.port}/notbot/getMe")
    assert r.status_code == 404 and r.json()["description"] == "Not Found"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_html_escape_output_always_parses_back(text):
    """Whatever the bot escapes with html.escape is accepted and shows the original text."""
    plain, entities = parse_html(html.escape(text))
    assert plain == text and entities == []
    plain, entities = parse_html(f"<b>{html.escape(text)}</b>")
    assert plain == text
    assert entities == ([{"type": "bold", "offset": 0, "length": utf16_len(text)}] if text else [])
