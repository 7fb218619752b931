"""End to end: every button family of the real `newsbot run`, pressed through the stand-in Bot
API with the callback_data of the buttons the bot actually sent (and forged data besides):
search pages (`pg:`), alert buttons (`al:more`, `al:mute`), topic lists (`al:pause`,
`al:resume`, `al:rm`). Every press must be answered exactly once (Telegram shows a spinner
otherwise) and a forged one must change nothing.

One bot process serves the whole module; each test uses its own chats."""

import pytest

from tests.support.articles import alerts_settled
from tests.support.bot_process import BotProcess
from tests.support.botapi_standin import StandInBotAPI
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]

PAGES, OTHER = 7001, 7002
ALERTS = 7101
GROUP, ADMIN, MEMBER = -7201, 7202, 7203
FORGER = 7301
PAGE_EXPIRED = "This button has expired. Please search again."
STALE = "This button is no longer valid."


def flood(n: int) -> str:
    return f"Flood update {n}\nFlood report number {n} from the river valley. Water levels rose overnight.\nWire"


WILDFIRE = ("Wildfire reaches the hills\nA wildfire spread across the dry hills north of the town on Sunday.\n"
            "Firefighters said the wind made the blaze hard to hold.\nWire")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(standin, bot) with the seed article and eight flood reports; at the end, every callback
    query the bot received was answered and no traceback was logged."""
    tmp = tmp_path_factory.mktemp("buttons")
    with StandInBotAPI() as standin:
        standin.add_chat(GROUP, "supergroup", title="Newsroom")
        standin.set_admins(GROUP, [ADMIN])
        bot = BotProcess(standin, tmp)
        try:
            bot.start()
            standin.push_message(PAGES, "/start", language_code="en")
            standin.wait_for_messages(PAGES, 1, timeout=30)
            bot.ingest(*(flood(n) for n in range(8)))
            yield standin, bot
            wait_until(lambda: all_answered(standin), 10, "every callback query answered")
        finally:
            bot.stop()
        assert "Traceback" not in bot.read_log()
        assert not standin.errors("answerCallbackQuery")


def all_answered(standin) -> bool:
    answered = [a["callback_query_id"] for a in standin.callback_answers]
    return sorted(answered) == sorted(standin.callback_query_ids)


def press(standin, chat: int, data: str, message_id: int, *, user_id: int | None = None,
          verify: bool = True) -> dict:
    """Press a button; return the bot's one answer to that press."""
    standin.push_callback_query(chat, data, message_id=message_id, user_id=user_id, language_code="en",
                                verify=verify)
    qid = standin.callback_query_ids[-1]
    answer = wait_until(lambda: [a for a in standin.callback_answers if a["callback_query_id"] == qid], 20,
                        f"the answer to the press of {data!r}")
    return answer[0]


def say(standin, chat: int, text: str, **kwargs):
    """Send `text`; return the bot's reply (the next message in that chat)."""
    before = len(standin.messages_for(chat))
    standin.push_message(chat, text, language_code="en", **kwargs)
    return standin.wait_for_messages(chat, before + 1, timeout=20)[-1]


def data_of(message, prefix: str) -> list[str]:
    """The callback_data of `message`'s buttons (a SentMessage or the stand-in's message dict)
    that start with `prefix`."""
    markup = message.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row
            if b.get("callback_data", "").startswith(prefix)]


def edited(standin, chat: int, message_id: int, old_text: str) -> dict:
    """The message once the bot has edited its text (the answer to a press comes before the edit)."""
    return wait_until(lambda: (m := standin.message(chat, message_id))["text"] != old_text and m, 20,
                      f"message {message_id} in chat {chat} to be edited")


def test_search_pages_turn_in_place_and_refuse_foreign_expired_and_forged_presses(served):
    standin, _ = served
    first = say(standin, PAGES, "/search flood")
    assert "1–5 of 8" in first.plain_text
    [nxt] = data_of(first, "pg:")
    assert press(standin, PAGES, nxt, first.message_id)["text"] is None  # a plain answer: no alert
    second = edited(standin, PAGES, first.message_id, first.plain_text)
    assert "6–8 of 8" in second["text"] and "Flood update 0" in second["text"]
    previous = data_of(second, "pg:")
    assert len(previous) == 1 and previous[0] != nxt
    assert press(standin, PAGES, previous[0], first.message_id)["text"] is None
    back = edited(standin, PAGES, first.message_id, second["text"])
    assert "1–5 of 8" in back["text"] and "Flood update 7" in back["text"]
    shown = back["text"]
    messages = len(standin.messages_for(PAGES, include_edits=True))

    other = say(standin, OTHER, "/search flood")  # another chat's query id
    [foreign] = data_of(other, "pg:")
    query_id = nxt.split(":")[1]
    for forged in (foreign, "pg:999999:0", f"pg:{query_id}:99995", f"pg:{query_id}:3", "pg:1:1:1",
                   f"pg:{query_id}:-5", "pg:" + "9" * 61):
        answer = press(standin, PAGES, forged, first.message_id, verify=False)
        assert answer["text"] == PAGE_EXPIRED and answer["show_alert"], forged
    assert standin.message(PAGES, first.message_id)["text"] == shown
    assert len(standin.messages_for(PAGES, include_edits=True)) == messages  # nothing sent or edited
    assert all_answered(standin)


def topics_listing(standin, chat: int, **kwargs):
    return say(standin, chat, "/topics", **kwargs)


def test_alert_buttons_send_more_and_mute_and_topic_buttons_edit_the_list(served):
    standin, bot = served
    say(standin, ALERTS, "/subscribe wildfire")
    say(standin, ALERTS, "/subscribe flood")
    bot.ingest(WILDFIRE)
    alert = standin.wait_for_messages(ALERTS, 3, timeout=20)[-1]
    assert "Wildfire reaches the hills" in alert.plain_text
    wait_until(lambda: alerts_settled(bot.db), 10, "the outbox to have nothing left to send")

    [more] = data_of(alert, "al:more:")
    assert press(standin, ALERTS, more, alert.message_id)["text"] is None
    results = standin.wait_for_messages(ALERTS, 4, timeout=20)[-1]
    assert "Wildfire reaches the hills" in results.plain_text and not results.is_edit

    [mute] = data_of(alert, "al:mute:")
    assert "Muted “wildfire”" in press(standin, ALERTS, mute, alert.message_id)["text"]
    assert standin.message(ALERTS, alert.message_id)["text"] == alert.plain_text  # the alert stays as it was
    listing = topics_listing(standin, ALERTS)
    lines = listing.plain_text.splitlines()
    assert any("wildfire" in line and "paused" in line for line in lines), lines
    assert any("flood" in line and "paused" not in line for line in lines), lines

    # the list's buttons: resume the muted topic, pause the other, remove it; each edits in place
    [resume] = data_of(listing, "al:resume:")
    [pause_flood] = data_of(listing, "al:pause:")
    remove_flood = "al:rm:" + pause_flood.rsplit(":", 1)[1]
    assert remove_flood in data_of(listing, "al:rm:")
    assert "Resumed “wildfire”" in press(standin, ALERTS, resume, listing.message_id)["text"]
    now = edited(standin, ALERTS, listing.message_id, listing.plain_text)
    assert "paused" not in now["text"]
    assert "Muted “flood”" in press(standin, ALERTS, pause_flood, listing.message_id)["text"]
    now = edited(standin, ALERTS, listing.message_id, now["text"])
    assert [line for line in now["text"].splitlines() if "paused" in line and "flood" in line]
    assert "Removed “flood”" in press(standin, ALERTS, remove_flood, listing.message_id)["text"]
    now = edited(standin, ALERTS, listing.message_id, now["text"])
    assert "flood" not in now["text"] and "wildfire" in now["text"] and "(1 of" in now["text"]
    assert len(standin.messages_for(ALERTS)) == 5  # the presses edited; only "more" sent a message
    assert all_answered(standin)


def test_in_a_group_a_member_pressing_pause_is_refused_and_nothing_changes(served):
    standin, _ = served
    say(standin, GROUP, "/subscribe drought", chat_type="supergroup", user_id=ADMIN)
    listing = topics_listing(standin, GROUP, chat_type="supergroup", user_id=MEMBER)
    [pause] = data_of(listing, "al:pause:")
    answer = press(standin, GROUP, pause, listing.message_id, user_id=MEMBER)
    assert "administrators" in answer["text"] and answer["show_alert"]
    assert standin.message(GROUP, listing.message_id)["text"] == listing.plain_text
    assert "paused" not in topics_listing(standin, GROUP, chat_type="supergroup", user_id=MEMBER).plain_text
    # the administrator's press of the same button does pause it
    assert "Muted “drought”" in press(standin, GROUP, pause, listing.message_id, user_id=ADMIN)["text"]
    assert "paused" in edited(standin, GROUP, listing.message_id, listing.plain_text)["text"]
    assert all_answered(standin)


def test_forged_presses_are_each_answered_once_and_change_nothing(served):
    standin, _ = served
    say(standin, FORGER, "/subscribe earthquake")
    mine = topics_listing(standin, FORGER)
    theirs = topics_listing(standin, GROUP, chat_type="supergroup", user_id=ADMIN)  # another chat's topic
    foreign_ids = {b["callback_data"].rsplit(":", 1)[1] for b in theirs.buttons()}
    before = {chat: [(m["text"], m.get("reply_markup")) for m in standin.messages_for(chat, include_edits=True)]
              for chat in (FORGER, GROUP)}
    forged = {
        "al:rm:99999999": STALE, "al:pause:0": STALE, "al:mute:1x": STALE,  # the al: route, its strict parser
        "pg:1:1:1": PAGE_EXPIRED, "xx": PAGE_EXPIRED, "z" * 64: PAGE_EXPIRED, "al:" + "9" * 61: STALE,
        "ال:rm:1": PAGE_EXPIRED,
    }
    for topic_id in foreign_ids:
        for action in ("rm", "pause", "resume", "mute"):
            forged[f"al:{action}:{topic_id}"] = STALE
    answers_before = len(standin.callback_answers)
    for data, text in forged.items():
        answer = press(standin, FORGER, data, mine.message_id, verify=False)
        assert answer["text"] == text and answer["show_alert"], data
    assert len(standin.callback_answers) - answers_before == len(forged)  # exactly one answer each
    after = {chat: [(m["text"], m.get("reply_markup")) for m in standin.messages_for(chat, include_edits=True)]
             for chat in (FORGER, GROUP)}
    assert after == before
    assert "earthquake" in topics_listing(standin, FORGER).plain_text
    still = topics_listing(standin, GROUP, chat_type="supergroup", user_id=ADMIN)
    assert still.plain_text == theirs.plain_text  # the other chat's topics are untouched
    assert all_answered(standin)
