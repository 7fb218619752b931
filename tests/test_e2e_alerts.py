"""End to end: topic alerts from the real `newsbot run` process against the stand-in Bot API,
on each backend (an SQLite file, a PostgreSQL database).

Articles are ingested by a second process (`newsbot ingest`) into the same store; the bot's
matcher notices them and its sender delivers. The kill test SIGKILLs the bot midway through
500 alerts and restarts it on the same store.
"""

import time
from collections import Counter

import pytest

from tests.support.articles import alerts_settled, article_text, subscribe_chats
from tests.support.bot_process import IN_FLIGHT, BotProcess
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]



@pytest.fixture
def bot(standin, tmp_path, store_location):
    """`newsbot run` against the stand-in, on each backend in turn."""
    process = BotProcess(standin, tmp_path)
    process.db = store_location
    try:
        yield process
    finally:
        process.stop()


CHAT = 8001
GROUP = -8101
ADMIN, MEMBER = 9001, 9002


def test_subscribe_then_an_article_from_another_process_gives_exactly_one_alert(standin, bot):
    bot.start()
    standin.push_message(CHAT, "/subscribe سوريا", language_code="ar")
    standin.push_message(CHAT, "/subscribe دمشق", language_code="ar")
    replies = standin.wait_for_messages(CHAT, 2, timeout=30)
    assert "سوريا" in replies[0].plain_text and "1 من 20" in replies[0].plain_text
    started = time.monotonic()
    bot.ingest(article_text(1))  # matches both topics: still one alert
    alert = standin.wait_for_messages(CHAT, 3, timeout=10)[-1]
    elapsed = time.monotonic() - started
    assert "خبر رقم 1 عن سوريا دمشق" in alert.plain_text and "يطابق:" in alert.plain_text
    wait_until(lambda: alerts_settled(bot.db), 10, "the outbox to have nothing left to send")
    assert len(standin.messages_for(CHAT)) == 3
    print(f"\nalert arrived {elapsed:.2f} s after `newsbot ingest` started")

    # /topics lists them with buttons; a press pauses one in place; a forged press is refused
    standin.push_message(CHAT, "/topics", language_code="en")
    listing = standin.wait_for_messages(CHAT, 4, timeout=10)[-1]
    assert "Alert topics (2 of 20)" in listing.plain_text
    pause = listing.reply_markup["inline_keyboard"][0][0]["callback_data"]
    standin.push_callback_query(CHAT, pause, message_id=listing.message_id, language_code="en")
    standin.push_callback_query(CHAT, "al:rm:999999", message_id=listing.message_id, verify=False,
                                language_code="en")
    standin.push_callback_query(CHAT, "al:rm:1; DROP TABLE", message_id=listing.message_id, verify=False,
                                language_code="en")
    wait_until(lambda: len(standin.callback_answers) >= 3, 10, "three callback answers")
    answers = {a["data"]: a for a in standin.callback_answers}
    assert "Muted" in answers[pause]["text"]
    assert answers["al:rm:999999"]["text"] == "This button is no longer valid."
    assert answers["al:rm:1; DROP TABLE"]["show_alert"]
    edited = standin.message(CHAT, listing.message_id)
    assert "paused" in edited["text"]

    standin.push_message(CHAT, "/unsubscribe 2", language_code="en")
    assert "No more alerts" in standin.wait_for_messages(CHAT, 5, timeout=10)[-1].plain_text
    bot.ingest(article_text(2))  # only the paused topic would match: nothing comes
    wait_until(lambda: alerts_settled(bot.db), 10, "the matcher past article 2, the outbox empty")
    assert len(standin.messages_for(CHAT)) == 5
    assert "Traceback" not in bot.read_log()


def test_in_groups_only_administrators_change_topics(standin, bot):
    standin.add_chat(GROUP, "supergroup", title="Newsroom")
    standin.set_admins(GROUP, [ADMIN])
    bot.start()
    standin.push_message(GROUP, "/subscribe سوريا", chat_type="supergroup", user_id=MEMBER, language_code="en")
    refused = standin.wait_for_messages(GROUP, 1, timeout=30)[-1]
    assert "only the group's administrators" in refused.plain_text
    standin.push_message(GROUP, "/subscribe سوريا", chat_type="supergroup", user_id=ADMIN, language_code="en")
    assert "New articles about" in standin.wait_for_messages(GROUP, 2, timeout=10)[-1].plain_text
    standin.push_message(GROUP, "/topics", chat_type="supergroup", user_id=MEMBER, language_code="en")
    listing = standin.wait_for_messages(GROUP, 3, timeout=10)[-1]
    assert "1. سوريا" in listing.plain_text
    remove = listing.reply_markup["inline_keyboard"][0][1]["callback_data"]
    standin.push_callback_query(GROUP, remove, message_id=listing.message_id, user_id=MEMBER, language_code="en")
    wait_until(lambda: standin.callback_answers, 10, "a callback answer")
    assert "administrators" in standin.callback_answers[0]["text"]
    bot.ingest(article_text(1))
    alert = standin.wait_for_messages(GROUP, 4, timeout=10)[-1]
    assert "خبر رقم 1" in alert.plain_text


def test_blocked_migrated_rate_limited_and_timing_out_chats(standin, bot):
    blocked, slow, limited, fine = 8201, 8202, 8203, 8204
    old_group, new_group = -8301, -1008301
    for chat in (blocked, slow, limited, fine):
        standin.add_chat(chat)
    standin.add_chat(old_group, "group")
    standin.set_admins(old_group, [ADMIN])
    bot.start()
    for chat in (blocked, slow, limited, fine):
        standin.push_message(chat, "/subscribe سوريا")
        standin.wait_for_messages(chat, 1, timeout=30)
    standin.push_message(old_group, "/subscribe سوريا", chat_type="group", user_id=ADMIN)
    standin.wait_for_messages(old_group, 1, timeout=10)

    standin.block(blocked)
    standin.migrate_chat(old_group, new_group)
    standin.fail_next("sendMessage", limited, error_code=429, description="Too Many Requests: retry after 2",
                      parameters={"retry_after": 2})
    standin.delay_next("sendMessage", 3.0, chat_id=slow, deliver=False)  # longer than the 1 s timeout
    bot.ingest(article_text(1))

    for chat in (fine, limited, slow):
        assert len(standin.wait_for_messages(chat, 2, timeout=15)) == 2
    assert len(standin.wait_for_messages(new_group, 1, timeout=15)) == 1
    wait_until(lambda: alerts_settled(bot.db), 15, "the outbox to have nothing left to send")
    for chat in (fine, limited, slow):
        assert len(standin.messages_for(chat)) == 2, chat  # each exactly once
    assert len(standin.messages_for(new_group)) == 1
    assert [c for c in standin.calls if c.method == "sendMessage" and c.chat_id == str(blocked)
            and c.error_code == 403]
    log = bot.read_log()
    assert f"chat {blocked} deactivated" in log and f"chat {old_group} migrated to {new_group}" in log
    assert f"429 for chat {limited}" in log  # held for retry_after, then sent once
    assert f"to chat {slow} failed (TimedOut" in log  # the 1 s send timeout, then retried

    # the blocked user comes back: /start reactivates, and the next article reaches them
    standin.unblock(blocked)
    standin.push_message(blocked, "/start")
    standin.wait_for_messages(blocked, 2, timeout=10)
    bot.ingest(article_text(2))
    assert "خبر رقم 2" in standin.wait_for_messages(blocked, 3, timeout=15)[-1].plain_text
    assert "خبر رقم 1" not in "".join(m.plain_text for m in standin.messages_for(blocked))


def test_killed_midway_through_500_alerts_then_restarted_loses_none(standin, bot):
    chats = [8400 + n for n in range(50)]
    for chat in chats:
        standin.add_chat(chat)
    subscribe_chats(bot.db, chats)  # 50 chats, one topic each, before the bot starts
    no_seeds = bot.tmp / "no-seeds"
    no_seeds.mkdir()
    bot.start(NEWSBOT_SEEDS=str(no_seeds))
    bot.ingest(*(article_text(n) for n in range(10)))  # 10 articles x 50 chats = 500 alerts
    wait_until(lambda: len(standin.sent) >= 200, 60, "200 alerts sent before the kill")
    bot.kill()
    at_kill = len(standin.sent)
    bot.start(NEWSBOT_SEEDS=str(no_seeds))
    for chat in chats:
        standin.wait_for_messages(chat, 10, timeout=60)
    wait_until(lambda: alerts_settled(bot.db), 30, "the outbox to have nothing left to send")
    delivered = Counter((m.chat_id, m.plain_text.split("\n")[0]) for m in standin.sent)
    assert len(delivered) == 500  # every chat has every alert
    duplicates = sum(delivered.values()) - len(delivered)
    assert duplicates <= IN_FLIGHT  # only alerts in flight at the kill
    print(f"\nkill test: {at_kill} sent before SIGKILL, {sum(delivered.values())} total, "
          f"{duplicates} duplicate(s)")
    # the stand-in measured the rate: within Telegram's limits and never 429
    assert standin.max_rate_observed(1.0) <= 30
    assert max(standin.max_rate_observed(1.0, chat) for chat in chats) <= 2
    assert standin.rate_limited == []
