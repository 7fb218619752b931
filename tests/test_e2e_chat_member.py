"""End to end: `my_chat_member` updates from the real `newsbot run` process against the stand-in
Bot API (issue 12). Blocking the bot in a private chat, or removing it from a group, stops the
chat's alerts at once (not only at the next 403); unblocking or adding it back resumes them for
articles stored from then on. Nothing is sent for either, and chats that never followed a topic
are left alone. The store is looked at read-only while the bot writes it."""

import sqlite3
import time
from contextlib import closing

import pytest

from tests.support.articles import alerts_settled, article_text
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]

CHAT, STRANGER = 8501, 8502
GROUP, NEW_GROUP = -8601, -8602
ADMIN = 9101
_ADMIN_RIGHTS = dict.fromkeys(
    ("can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
     "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
     "can_delete_stories"), False) | {"can_be_edited": False, "is_anonymous": False}


def _member(standin, status: str) -> dict:
    user = {"id": standin.bot_id, "is_bot": True, "first_name": standin.bot_first_name,
            "username": standin.bot_username}
    extra = {"kicked": {"until_date": 0}, "administrator": _ADMIN_RIGHTS}.get(status, {})
    return {"user": user, "status": status, **extra}


def push_membership(standin, chat_id: int, old: str, new: str, *, user_id: int | None = None) -> None:
    """The bot's own status in `chat_id` changed from `old` to `new`, as Telegram reports it."""
    user_id = user_id or chat_id
    if chat_id > 0:
        chat = {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
    else:
        chat = {"id": chat_id, "type": "supergroup", "title": f"Chat {chat_id}"}
    standin.push_update({"my_chat_member": {
        "chat": chat, "from": {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"},
        "date": int(time.time()), "old_chat_member": _member(standin, old), "new_chat_member": _member(standin, new),
    }})


def chat_state(db, chat_id: int) -> tuple[int, str | None] | None:
    """(active, inactive_reason) of the chat's alerts, or None for a chat the store does not know."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)) as conn:
        return conn.execute("SELECT active, inactive_reason FROM alert_chats WHERE chat_id = ?",
                            (chat_id,)).fetchone()


def sends_to(standin, chat_id: int) -> list:
    return [c for c in standin.calls if c.method == "sendMessage" and c.chat_id == str(chat_id)]


def test_blocking_and_unblocking_the_bot_stops_and_resumes_alerts(standin, bot):
    bot.start()
    standin.push_message(CHAT, "/subscribe سوريا", language_code="ar")
    standin.wait_for_messages(CHAT, 1, timeout=30)

    standin.block(CHAT)
    push_membership(standin, CHAT, "member", "kicked")
    wait_until(lambda: chat_state(bot.db, CHAT) == (0, "blocked"), 10, "the blocked chat deactivated")
    tried = len(sends_to(standin, CHAT))
    bot.ingest(article_text(1))  # matches the topic: no alert is even tried
    wait_until(lambda: alerts_settled(bot.db), 15, "the matcher past article 1, the outbox empty")
    assert len(sends_to(standin, CHAT)) == tried == 1  # only the /subscribe reply, before the block

    standin.unblock(CHAT)
    push_membership(standin, CHAT, "kicked", "member")
    wait_until(lambda: chat_state(bot.db, CHAT) == (1, None), 10, "the unblocked chat active again")
    bot.ingest(article_text(2))
    alert = standin.wait_for_messages(CHAT, 2, timeout=15)[-1]
    assert "خبر رقم 2" in alert.plain_text
    wait_until(lambda: alerts_settled(bot.db), 15, "the outbox empty")
    assert len(standin.messages_for(CHAT)) == 2  # nothing about article 1 from the blocked time
    log = bot.read_log()
    assert f"chat {CHAT} deactivated (blocked)" in log and "Traceback" not in log


def test_removed_from_a_group_then_added_back_and_chats_never_subscribed(standin, bot):
    standin.add_chat(GROUP, "supergroup", title="Newsroom")
    standin.set_admins(GROUP, [ADMIN])
    bot.start()
    standin.push_message(GROUP, "/subscribe سوريا", chat_type="supergroup", user_id=ADMIN, language_code="en")
    standin.wait_for_messages(GROUP, 1, timeout=30)

    push_membership(standin, GROUP, "member", "left", user_id=ADMIN)
    wait_until(lambda: chat_state(bot.db, GROUP) == (0, "removed from the group"), 10, "the group deactivated")
    bot.ingest(article_text(1))
    wait_until(lambda: alerts_settled(bot.db), 15, "the matcher past article 1, the outbox empty")
    push_membership(standin, GROUP, "left", "administrator", user_id=ADMIN)
    wait_until(lambda: chat_state(bot.db, GROUP) == (1, None), 10, "the group active again")
    bot.ingest(article_text(2))
    assert "خبر رقم 2" in standin.wait_for_messages(GROUP, 2, timeout=15)[-1].plain_text
    wait_until(lambda: alerts_settled(bot.db), 15, "the outbox empty")
    assert len(standin.messages_for(GROUP)) == 2

    # Never subscribed: a user who blocks and unblocks, a group that adds the bot. Each chat's
    # updates are handled in order, so the answer to a later /help shows the earlier ones were.
    push_membership(standin, STRANGER, "member", "kicked")
    push_membership(standin, STRANGER, "kicked", "member")
    standin.push_message(STRANGER, "/help", language_code="en")
    push_membership(standin, NEW_GROUP, "left", "member", user_id=ADMIN)
    standin.push_message(NEW_GROUP, "/help", chat_type="supergroup", user_id=ADMIN, language_code="en")
    for chat in (STRANGER, NEW_GROUP):
        assert len(standin.wait_for_messages(chat, 1, timeout=10)) == 1
        assert chat_state(bot.db, chat) is None
        assert len(sends_to(standin, chat)) == 1  # the /help answer only
    assert "Traceback" not in bot.read_log()
