"""End to end: one user, one chat or one outage must not cost everyone else their answers.

The real `newsbot run` against the stand-in Bot API (which enforces Telegram's flood limits):
* a chat flooding the bot with commands does not hold up other users' replies;
* a chat answered 429 forever does not stall the alerts of the other chats;
* replies and an alert fan-out together stay under 30 messages/s (one budget);
* a reply caught by a short outage (502s, a dropped connection) is retried, not lost.
"""

import time

import pytest

from tests.support.articles import article_text, subscribe_chats
from tests.support.bot_process import BotProcess
from tests.support.waiting import assert_quiet, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]

WARM_UP = 9000


def _start_and_wait_until_polling(standin, bot: BotProcess, **extra: str) -> None:
    bot.start(**extra)
    standin.push_message(WARM_UP, "/start")
    standin.wait_for_messages(WARM_UP, 1, timeout=30)


def _no_seeds(bot: BotProcess) -> str:
    folder = bot.tmp / "no-seeds"
    folder.mkdir(exist_ok=True)
    return str(folder)


def test_a_flooding_chat_does_not_hold_up_other_users(standin, bot):
    flooder, others, orderly = 9100, [9200 + n for n in range(10)], 9300
    _start_and_wait_until_polling(standin, bot)
    for _ in range(200):
        standin.push_message(flooder, "/subscribe x")
    pushed = time.monotonic()
    for chat in others:
        standin.push_message(chat, "/search سوريا")
    for command in ("/help", "/search سوريا", "/latest"):  # one user's three, answered in order
        standin.push_message(orderly, command)
    for chat in others:
        reply = standin.wait_for_messages(chat, 1, timeout=8)[0]
        assert "/summary_1" in reply.plain_text
    answered = time.monotonic() - pushed
    replies = [m.plain_text for m in standin.wait_for_messages(orderly, 3, timeout=8)]
    assert "/help — " in replies[0] and "«سوريا»" in replies[1] and "أحدث الأخبار" in replies[2]
    assert answered < 6, f"the other users waited {answered:.1f} s"
    # No sentinel here: a later message of the flooder would be dropped with the rest of its backlog.
    assert_quiet(lambda: len(standin.messages_for(flooder)) > 12, 2, "more than 12 answers to the flood")
    flood_answers = len(standin.messages_for(flooder))
    assert flood_answers <= 12  # the flood is answered at its chat's pace, the rest dropped
    assert standin.rate_limited == []  # and never past Telegram's limits
    log = bot.read_log()
    assert "sends faster than it can be answered" in log and "Traceback" not in log
    print(f"\nflood: 10 other users answered within {answered:.2f} s; the flooding chat got "
          f"{flood_answers} answers to 200 commands")


def test_a_chat_rate_limited_forever_does_not_stall_the_others(standin, bot):
    limited, chats = 9400, [9401 + n for n in range(15)]
    for chat in (limited, *chats):
        standin.add_chat(chat)
    subscribe_chats(bot.db, [limited, *chats])
    standin.fail_next("sendMessage", limited, error_code=429, description="Too Many Requests: retry after 10",
                      parameters={"retry_after": 10}, times=10**6)
    bot.start(NEWSBOT_SEEDS=_no_seeds(bot))
    bot.ingest(*(article_text(n) for n in range(3)))  # 3 alerts for each of 16 chats
    started = time.monotonic()
    for chat in chats:
        assert len(standin.wait_for_messages(chat, 3, timeout=12)) == 3
    elapsed = time.monotonic() - started
    assert standin.messages_for(limited) == []
    assert elapsed < 8, f"45 alerts to 15 chats took {elapsed:.1f} s"
    log = bot.read_log()
    assert f"429 for chat {limited}" in log and "(and every chat)" not in log
    print(f"\nforever-429 chat: the other 15 chats' 45 alerts delivered in {elapsed:.2f} s")


def test_replies_and_an_alert_fan_out_share_one_budget_under_30_per_second(standin, bot):
    alert_chats = [9500 + n for n in range(30)]
    searchers = [9600 + n for n in range(20)] + alert_chats[:10]  # ten also receive alerts
    for chat in alert_chats:
        standin.add_chat(chat)
    subscribe_chats(bot.db, alert_chats)
    _start_and_wait_until_polling(standin, bot, NEWSBOT_SEEDS=_no_seeds(bot))
    bot.ingest(*(article_text(n) for n in range(5)))  # 150 alerts
    wait_until(lambda: len(standin.sent) >= 30, 30, "the fan-out under way")
    pushed = time.monotonic()
    for chat in searchers:
        standin.push_message(chat, "/search سوريا")
    for chat in searchers:
        wait_until(lambda: any("«سوريا»" in m.plain_text for m in standin.messages_for(chat)), 15,
                   f"an answer for {chat}")
    answered = time.monotonic() - pushed
    for chat in alert_chats:
        standin.wait_for_messages(chat, 5, timeout=30)
    overall = [r for r in standin.rate_limited if r.limit == "overall"]
    assert standin.max_rate_observed(1.0) <= 30 and overall == []
    assert standin.rate_limited == []  # per chat too: replies and alerts share each chat's slots
    assert answered < 5, f"30 searches during the fan-out took {answered:.1f} s to answer"
    print(f"\nshared budget: max {standin.max_rate_observed(1.0)} sends in any 1 s; "
          f"30 searchers answered within {answered:.2f} s during a 150-alert fan-out")


def test_a_reply_caught_by_a_short_outage_is_retried_not_lost(standin, bot):
    chat = 9700
    _start_and_wait_until_polling(standin, bot)
    standin.fail_next("sendMessage", chat, error_code=502, description="Bad Gateway", times=3)
    standin.push_message(chat, "/search سوريا")
    assert "/summary_1" in standin.wait_for_messages(chat, 1, timeout=15)[0].plain_text
    standin.delay_next("sendMessage", 1.0, chat_id=chat, deliver=False)  # no answer at all
    standin.push_message(chat, "/help")
    assert "/help — " in standin.wait_for_messages(chat, 2, timeout=15)[-1].plain_text
    # Sentinel: one chat's updates are handled in order, each reply (with its retries) before the
    # next update, so once /latest is answered nothing more can come for the two above.
    standin.push_message(chat, "/latest")
    replies = [m.plain_text for m in standin.wait_for_messages(chat, 3, timeout=15)]
    assert len(replies) == 3 and "أحدث الأخبار" in replies[2]
    assert "/summary_1" in replies[0] and "/help — " in replies[1]  # each reply exactly once
    log = bot.read_log()
    assert "Bad Gateway" in log and "Traceback" not in log
