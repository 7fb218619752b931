"""End to end: the article view (/summary's buttons, /read) of the real `newsbot run` process."""

import random
import sqlite3
from collections import Counter
from contextlib import closing

import pytest

from bot.render.html import MESSAGE_LIMIT, utf16_len
from tests.support.waiting import wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]

CHAT = 8601
GROUP = -8701
ADMIN, MEMBER = 9101, 9102
STALE = "This button is no longer valid."
_TOPICS = ("الاقتصاد الزراعة الموانئ الانتخابات المدارس الكهرباء الطرق المستشفيات الجامعات الصادرات "
           "الضرائب السياحة الصناعة النفط الغاز الإسكان النقل الاتصالات الرياضة الثقافة المصارف "
           "الأسواق الشركات العمال الفلاحين الطلاب الأطباء المهندسين القضاة المحامين الصحفيين "
           "الفنانين اللاجئين المهاجرين الشباب النساء الأطفال المتقاعدين التجار")
_WORDS = _TOPICS.split()


def _long_article() -> str:
    pick = random.Random(7).sample
    paragraphs = []
    for n in range(40):
        first, second, third = (" و".join(pick(_WORDS, 5)) for _ in range(3))
        paragraphs.append(
            f"قال مسؤول في وزارة الموارد المائية إن سد الفرات يواجه نقصاً في المياه يمس {first}. "
            f"وأضاف أن الحكومة تدرس {n + 1} خطة تخص {second} في اجتماعها المقبل. "
            f"وأكد خبراء أن الأزمة تهدد {third} في المحافظات الشرقية.")
    return ("أزمة المياه في سد الفرات تتفاقم\nURL: https://example.com/news/euphrates\n"
            "المصدر: وكالة الأنباء\n" + "\n\n".join(paragraphs))


def _similar(n: int) -> str:
    return (f"تراجع منسوب المياه في سد الفرات للمرة {n}\n"
            f"أعلنت السلطات أن منسوب المياه في سد الفرات انخفض {n} أمتار خلال الأسبوع.\n"
            "وحذر مزارعون من أثر أزمة المياه على المحاصيل.\nالمصدر: صحيفة الوطن")


UNRELATED = ("فوز المنتخب في مباراة كرة القدم\nفاز المنتخب الوطني في مباراة ودية بثلاثة أهداف.\n"
             "وقال المدرب إن اللاعبين قدموا أداء جيداً.\nالمصدر: صحيفة الرياضة")


def _ids(db) -> dict[str, int]:
    with closing(sqlite3.connect(db)) as conn:
        return {title: id_ for id_, title in conn.execute("SELECT id, title FROM articles")}


def _buttons(message) -> dict[str, str]:
    return {b["text"]: b["callback_data"] for row in message.reply_markup["inline_keyboard"] for b in row}


def _press(standin, data, message_id, count, *, chat=CHAT, verify=True, user_id=None):
    standin.push_callback_query(chat, data, message_id=message_id, language_code="en", verify=verify,
                                user_id=user_id)
    wait_until(lambda: len(standin.callback_answers) >= count, 15, f"{count} callback answers")
    return standin.callback_answers[count - 1]


def _bullets(standin, message_id) -> int:
    return standin.message(CHAT, message_id)["text"].count("•")


def test_the_article_view_and_its_buttons(standin, bot):
    no_seeds = bot.tmp / "no-seeds"
    no_seeds.mkdir()
    bot.start(NEWSBOT_SEEDS=str(no_seeds))
    standin.push_message(CHAT, "/start", language_code="en")
    standin.wait_for_messages(CHAT, 1, timeout=30)
    bot.ingest(_long_article(), _similar(1), _similar(2), UNRELATED)
    ids = _ids(bot.db)
    article = ids["أزمة المياه في سد الفرات تتفاقم"]

    # /summary: title, source, date, five sentences, the link, and the buttons
    standin.push_message(CHAT, f"/summary {article}", language_code="en")
    view = standin.wait_for_messages(CHAT, 2, timeout=20)[-1]
    assert "أزمة المياه في سد الفرات تتفاقم" in view.plain_text and "وكالة الأنباء" in view.plain_text
    assert "https://example.com/news/euphrates" in view.plain_text
    assert view.plain_text.count("•") == 5
    buttons = _buttons(view)
    assert buttons["➖ Shorter"] == f"av:len:{article}:3" and buttons["➕ Longer"] == f"av:len:{article}:8"
    assert {"📄 Full text", "🔎 More like this", "🔔 Subscribe"} <= set(buttons)

    # longer, then shorter, twice: the same message edited in place, the buttons following
    answers = 0
    for label, bullets in (("➕ Longer", 8), ("➖ Shorter", 5), ("➖ Shorter", 3)):
        current = standin.message(CHAT, view.message_id)
        data = {b["text"]: b["callback_data"] for row in current["reply_markup"]["inline_keyboard"] for b in row}
        answers += 1
        assert _press(standin, data[label], view.message_id, answers)["text"] is None
        wait_until(lambda b=bullets: _bullets(standin, view.message_id) == b, 15, f"{bullets} sentences")
    assert len(standin.messages_for(CHAT)) == 2  # edits, not new messages
    assert len(standin.messages_for(CHAT, include_edits=True)) == 5

    # full text: several messages, each within the limit, none sent into a 429
    answers += 1
    _press(standin, buttons["📄 Full text"], view.message_id, answers)
    parts = standin.wait_for_messages(CHAT, 5, timeout=30)[2:]
    wait_until(lambda: "https://example.com/news/euphrates" in standin.messages_for(CHAT)[-1].plain_text,
               30, "the last part, with the link")
    parts = standin.messages_for(CHAT)[2:]
    assert len(parts) >= 3
    assert all(utf16_len(p.plain_text) <= MESSAGE_LIMIT for p in parts)
    text = "".join(p.plain_text for p in parts)
    assert text.count("قال مسؤول في وزارة الموارد المائية") == 40
    assert standin.rate_limited == []
    before = len(standin.messages_for(CHAT))

    # /read gives the same parts
    standin.push_message(CHAT, f"/read {article}", language_code="en")
    again = standin.wait_for_messages(CHAT, before + len(parts), timeout=30)[before:]
    assert [p.plain_text for p in again] == [p.plain_text for p in parts]
    before = len(standin.messages_for(CHAT))

    # more like this: the similar articles, not this one, not the unrelated one
    answers += 1
    _press(standin, buttons["🔎 More like this"], view.message_id, answers)
    like = standin.wait_for_messages(CHAT, before + 1, timeout=20)[-1].plain_text
    assert "تراجع منسوب المياه في سد الفرات" in like
    assert f"/summary_{article}" not in like and "المنتخب" not in like
    before += 1

    # subscribe: a topic made from the article, listed by /topics; again: it exists
    answers += 1
    _press(standin, buttons["🔔 Subscribe"], view.message_id, answers)
    added = standin.wait_for_messages(CHAT, before + 1, timeout=20)[-1].plain_text
    assert "New articles about" in added and "1 of 20" in added
    answers += 1
    _press(standin, buttons["🔔 Subscribe"], view.message_id, answers)
    assert "already a topic" in standin.wait_for_messages(CHAT, before + 2, timeout=20)[-1].plain_text
    standin.push_message(CHAT, "/topics", language_code="en")
    listing = standin.wait_for_messages(CHAT, before + 3, timeout=20)[-1].plain_text
    assert "Alert topics (1 of 20)" in listing and ("المياه" in listing or "الفرات" in listing)

    # forged and stale presses: each answered once, with the stale text, as an alert
    short = ids["تراجع منسوب المياه في سد الفرات للمرة 1"]  # three sentences: no level 12
    forged = [f"av:len:{article}:99", f"av:len:{article}:4", f"av:len:{short}:12", "av:full:999999", "av:drop:1",
              f"av:full:{article};DROP", "av:like:" + "9" * 40]
    for data in forged:
        answers += 1
        answer = _press(standin, data, view.message_id, answers, verify=False)
        assert answer["text"] == STALE and answer["show_alert"], data
    counts = Counter(a["callback_query_id"] for a in standin.callback_answers)
    assert len(counts) == len(standin.callback_query_ids) == answers and set(counts.values()) == {1}
    assert standin.errors("answerCallbackQuery") == []
    assert "Traceback" not in bot.read_log()


def test_a_press_for_a_deleted_article_is_stale_and_groups_need_an_admin_to_subscribe(standin, bot):
    no_seeds = bot.tmp / "no-seeds"
    no_seeds.mkdir()
    standin.add_chat(GROUP, "supergroup", title="Newsroom")
    standin.set_admins(GROUP, [ADMIN])
    bot.start(NEWSBOT_SEEDS=str(no_seeds))
    standin.push_message(GROUP, "/start", chat_type="supergroup", user_id=MEMBER, language_code="en")
    standin.wait_for_messages(GROUP, 1, timeout=30)
    bot.ingest(_similar(1), _similar(2))
    first, _ = sorted(_ids(bot.db).values())
    standin.push_message(GROUP, f"/summary_{first}", chat_type="supergroup", user_id=MEMBER, language_code="en")
    view = standin.wait_for_messages(GROUP, 2, timeout=20)[-1]
    buttons = _buttons(view)
    assert "➕ Longer" not in buttons  # three sentences: level 3 shows them all
    subscribe = buttons["🔔 Subscribe"]
    answer = _press(standin, subscribe, view.message_id, 1, chat=GROUP, user_id=MEMBER)
    assert "administrators" in answer["text"] and answer["show_alert"]
    _press(standin, subscribe, view.message_id, 2, chat=GROUP, user_id=ADMIN)
    assert "New articles about" in standin.wait_for_messages(GROUP, 3, timeout=20)[-1].plain_text

    with closing(sqlite3.connect(bot.db)) as conn, conn:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM articles WHERE id = ?", (first,))
    answer = _press(standin, buttons["📄 Full text"], view.message_id, 3, chat=GROUP, user_id=MEMBER)
    assert answer["text"] == STALE and answer["show_alert"]
    assert len(standin.messages_for(GROUP)) == 3
    assert "Traceback" not in bot.read_log()
