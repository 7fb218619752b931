"""Forum supergroups: a reply goes to the topic thread it was asked in, and a topic followed
from a thread sends its alerts there (`message_thread_id`), against the stand-in Bot API."""

import pytest

from tests.support.articles import alerts_settled, article_text
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

FORUM, ADMIN, THREAD = -1007700, 7701, 55


def thread(message) -> int | None:
    """The thread a sent message went to (the Bot API's parameters arrive as form strings)."""
    value = message.params.get("message_thread_id")
    return int(value) if value not in (None, "") else None


def test_replies_and_alerts_go_to_the_topic_thread(standin, bot):
    standin.add_chat(FORUM, "supergroup", title="Newsroom forum")
    standin.set_admins(FORUM, [ADMIN])
    bot.start()
    standin.push_message(FORUM, "/subscribe سوريا", chat_type="supergroup", user_id=ADMIN,
                         language_code="en", message_thread_id=THREAD)
    (confirmed,) = standin.wait_for_messages(FORUM, 1, timeout=30)
    assert "سوريا" in confirmed.plain_text and thread(confirmed) == THREAD
    standin.push_message(FORUM, "/subscribe القاهرة", chat_type="supergroup", user_id=ADMIN, language_code="en")
    second = standin.wait_for_messages(FORUM, 2, timeout=30)[1]
    assert thread(second) is None  # the General topic: no thread

    bot.ingest(article_text(1), article_text(2, "القاهرة"))
    messages = standin.wait_for_messages(FORUM, 4, timeout=30)[2:]
    wait_until(lambda: alerts_settled(bot.db), 10, "the outbox to have nothing left to send")
    by_thread = {thread(m): m.plain_text for m in messages}
    assert set(by_thread) == {THREAD, None}
    assert "دمشق" in by_thread[THREAD] and "القاهرة" in by_thread[None]
    bot.stop()
