"""The console is Telegram (issue 12): alerts arrive while it reads input, through the one
outbox sender, and printed buttons are pressed by number or label through the same handlers."""

from __future__ import annotations

import asyncio
import io
import queue

import pytest

from bot.config import Settings
from bot.console import CONSOLE_CHAT_ID, run_console
from bot.render import strings
from bot.services import Services
from storage import OutboxState
from tests.support.articles import add_article, article_text
from tests.support.waiting import await_until

LANG = "ar"


class Keyboard:
    """Standard input the test types into: `readline` waits for the next line, "" ends input."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str] = queue.Queue()

    def readline(self) -> str:
        return self.lines.get(timeout=60)

    def isatty(self) -> bool:
        return False

    def type(self, line: str) -> None:
        self.lines.put(line + "\n")

    def end(self) -> None:
        self.lines.put("")


class Console:
    """A running `run_console`: type a line, wait for what it prints."""

    def __init__(self, keyboard: Keyboard, out: io.StringIO) -> None:
        self.keyboard = keyboard
        self.out = out

    async def say(self, line: str, expect: str) -> str:
        """Type `line`; return everything printed after it once `expect` is among it."""
        start = len(self.out.getvalue())
        self.keyboard.type(line)
        return await self.shows(expect, start)

    async def shows(self, expect: str, start: int = 0) -> str:
        """Wait until `expect` is printed after position `start`; return what was printed since."""
        def since() -> str | None:
            printed = self.out.getvalue()[start:]
            return printed if expect in printed else None

        return await await_until(since, what=f"the console to print {expect!r}")


@pytest.fixture
def settings(tmp_path):
    return Settings(NEWSBOT_DB=str(tmp_path / "console.db"), NEWSBOT_SEEDS=str(tmp_path / "none"),
                    NEWSBOT_ALERTS_MATCH_INTERVAL=0.2, NEWSBOT_PAGE_SIZE=2)


@pytest.fixture
async def other(settings):
    """Another connection to the console's store, as `newsbot ingest` in another process has."""
    services = await Services.open(settings)
    yield services
    await services.close()


@pytest.fixture
async def console(settings):
    keyboard, out = Keyboard(), io.StringIO()
    running = asyncio.create_task(run_console(settings, user_lang=LANG, stdin=keyboard, out=out))
    try:
        yield Console(keyboard, out)
    finally:
        keyboard.end()
        await asyncio.wait_for(running, 30)  # ends cleanly at end of input: sender stopped, store closed


def text(key: str, **values) -> str:
    return strings.text(LANG, key, **values)


async def sent(services: Services):
    """The console chat's outbox items, once there are some and every one is marked sent."""
    items = await services.store.outbox.items(CONSOLE_CHAT_ID)
    return items if items and all(item.state == OutboxState.SENT for item in items) else None


async def test_an_alert_for_an_article_stored_elsewhere_is_printed_and_marked_sent(console, other):
    await console.say("/subscribe سوريا", "«سوريا»")
    start = len(console.out.getvalue())
    await add_article(other, article_text(1))
    printed = await console.shows("خبر رقم 1 عن سوريا دمشق", start)
    assert f"[1 {text('btn_more')}]" in printed  # the alert's buttons, numbered
    items = await await_until(lambda: sent(other), what="the alert marked sent")
    assert len(items) == 1


@pytest.fixture
async def foreign_chat(settings):
    """A chat of the store the console opens (a Telegram user of a shared store), following سوريا
    before the console starts."""
    services = await Services.open(settings)
    try:
        await services.alerts.subscribe(7777, "private", "ar", "سوريا")
    finally:
        await services.close()
    return 7777


async def test_the_console_delivers_only_its_own_chats_alerts(foreign_chat, console, other):
    # On a store a running bot shares, another chat's alert is the bot's to send to Telegram.
    await console.say("/subscribe سوريا", "«سوريا»")
    start = len(console.out.getvalue())
    await add_article(other, article_text(1))
    await console.shows("خبر رقم 1 عن سوريا دمشق", start)
    await await_until(lambda: sent(other), what="the console's alert marked sent")
    (theirs,) = await other.store.outbox.items(foreign_chat)
    assert theirs.state == OutboxState.PENDING


async def test_typing_the_next_buttons_number_or_label_turns_the_page(console, other):
    for n in range(1, 6):
        await add_article(other, article_text(n, "الموانئ"))
    first = await console.say("/search الموانئ", text("page_next"))
    assert f"[1 {text('page_next')}]" in first
    second = await console.say("1", "3–4")  # page 2 of 5 articles, 2 a page
    assert f"[2 {text('page_previous')}]" in second and f"[3 {text('page_next')}]" in second
    third = await console.say(text("page_next"), "5–5")  # the label presses it too
    assert f"[4 {text('page_previous')}]" in third


async def test_the_pause_button_of_topics_pauses_the_topic(console, other):
    await console.say("/subscribe سوريا", "«سوريا»")
    listed = await console.say("/topics", text("btn_pause", n=1))
    assert f"[1 {text('btn_pause', n=1)}]" in listed
    await console.say("#1", text("topic_muted", topic="سوريا"))
    (topic,) = await other.alerts.topics(CONSOLE_CHAT_ID)
    assert topic.paused


async def test_a_stale_button_is_answered_by_its_handler(console):
    await console.say("/subscribe سوريا", "«سوريا»")
    await console.say("/topics", text("btn_pause", n=1))
    await console.say("/unsubscribe 1", text("unsubscribed", topic="سوريا"))
    await console.say("1", f"({text('button_stale')})")


async def test_a_number_that_is_no_button_is_a_search(console):
    await console.say("7", "«7»")
