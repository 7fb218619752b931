"""End to end: what `newsbot run` answers, and what it leaves alone (issue 8, items 8 and 9).

In a group the bot sees commands meant for other bots; channel posts and edited messages are
not conversations with it; an update the library cannot parse must not stop polling; a page
button on a message that can no longer be edited still gets its page.
"""

import json
import time

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]

GROUP = -7301
CHAT = 7001
CHANNEL = -1007302


def _article(n: int) -> str:
    return (f"تقرير رقم {n} عن الزيتون\n"
            f"قال مزارعون إن موسم الزيتون رقم {n} كان جيدا هذا العام في الشمال.\n"
            f"وأضافوا أن الأسعار ارتفعت بسبب الطلب على زيت الزيتون في الأسواق.\nوكالة الأنباء")


def test_commands_for_another_bot_get_no_answer_in_a_group(standin, bot):
    bot.start()
    me = standin.bot_username
    foreign = ["/search@otherbot سوريا", "/summary_1@otherbot", "/summary@otherbot 1", "/latest@otherbot",
               "/help@otherbot", "/start@otherbot", "/subscribe@otherbot سوريا", "/topics@otherbot",
               "/nosuchcommand@otherbot", "/nosuchcommand"]
    for text in foreign:
        standin.push_message(GROUP, text, chat_type="supergroup", user_id=424242)
    # Updates of one chat are handled in order: once these are answered, the ones above were seen.
    standin.push_message(GROUP, f"/summary_1@{me}", chat_type="supergroup", user_id=424242)
    standin.push_message(GROUP, f"/nosuchcommand@{me}", chat_type="supergroup", user_id=424242)
    standin.push_message(GROUP, "/help", chat_type="supergroup", user_id=424242)
    standin.wait_for_messages(GROUP, 3, timeout=30)
    answers = standin.messages_for(GROUP)
    assert len(answers) == 3, [a.plain_text[:60] for a in answers]
    assert "قيصر" in answers[0].plain_text  # the summary of article 1
    assert "/help" in answers[1].plain_text  # the unknown-command hint, for a command named to us
    assert "/search" in answers[2].plain_text  # help lists the commands


def test_channel_posts_and_edits_are_not_answered_and_not_even_requested(standin, bot):
    bot.start()
    standin.push_message(CHAT, "/help")
    standin.wait_for_messages(CHAT, 1, timeout=30)
    polls = [c for c in standin.calls if c["method"] == "getUpdates"]
    asked = polls[-1]["params"].get("allowed_updates")
    asked = json.loads(asked) if isinstance(asked, str) else asked
    assert asked and "channel_post" not in asked and "edited_message" not in asked
    assert {"message", "callback_query", "inline_query"} <= set(asked)
    for text in ("/search سوريا", "/summary_1", "/nosuchcommand"):
        standin.push_update({"channel_post": {"message_id": 1, "date": int(time.time()), "text": text,
                                              "chat": {"id": CHANNEL, "type": "channel", "title": "News"},
                                              "entities": [{"type": "bot_command", "offset": 0,
                                                            "length": len(text.split()[0])}]}})
    standin.push_message(CHAT, "/help")
    standin.wait_for_messages(CHAT, 2, timeout=30)
    assert standin.messages_for(CHANNEL) == []


def test_an_update_that_cannot_be_parsed_is_skipped_and_polling_goes_on(standin, bot):
    bot.start()
    standin.push_message(CHAT, "/help")
    standin.wait_for_messages(CHAT, 1, timeout=30)
    polls_before = len([c for c in standin.calls if c["method"] == "getUpdates"])
    standin.push_update({"message": {"message_id": 9, "chat": {"id": CHAT, "type": "private"}}})  # no date
    standin.push_message(CHAT, "/help")
    standin.wait_for_messages(CHAT, 2, timeout=15)
    polls = len([c for c in standin.calls if c["method"] == "getUpdates"]) - polls_before
    assert polls < 10, f"{polls} getUpdates calls: polling spins on the bad update"
    log = bot.read_log()
    assert "CRITICAL" not in log
    assert log.count("cannot be read") == 1
    assert bot.process.poll() is None


def test_a_page_button_on_a_message_that_cannot_be_edited_sends_the_page_anew(standin, bot):
    bot.start()
    standin.push_message(CHAT, "/help")
    standin.wait_for_messages(CHAT, 1, timeout=30)
    bot.ingest(*[_article(n) for n in range(1, 9)])
    standin.push_message(CHAT, "/search الزيتون")
    first = standin.wait_for_messages(CHAT, 2, timeout=20)[-1]
    data = [b["callback_data"] for b in first.buttons() if b.get("callback_data", "").startswith("pg:")]
    assert data, first.buttons()
    # The same button, pressed on a message the bot did not send (deleted, or too old to edit).
    standin.push_callback_query(CHAT, data[0], message_id=first["message_id"] + 1000, verify=False)
    page = standin.wait_for_messages(CHAT, 3, timeout=20)[-1]
    assert "الزيتون" in page.plain_text and "حدث خطأ" not in page.plain_text
    answers = standin.callback_answers
    assert answers and not answers[-1].get("show_alert")
    assert "Traceback" not in bot.read_log()
