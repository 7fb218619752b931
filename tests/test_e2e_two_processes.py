"""End to end, on each backend: two `newsbot run` processes on one store, against one stand-in.

Updates are taken by whichever process polls first, so a chat's /subscribe may reach one and
its /unsubscribe the other, and one handed to both is answered once. Issue 13 measured what went wrong before: alerts lost for chats
that subscribed through the process that did not match, alerts kept coming after "no more
alerts", and both processes sending. Then the process holding the scheduled work and the
sending is killed, and the other takes over.
"""

import time

import pytest

from tests.support.articles import article_text
from tests.support.bot_process import IN_FLIGHT, BotProcess
from tests.support.waiting import wait_until, wait_until_stable

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]

FOLLOWERS = list(range(9101, 9131))  # 30 chats that keep following
LEAVERS = list(range(9201, 9211))  # 10 that unsubscribe before the articles arrive


def _alerts(standin, chat: int) -> int:
    return sum(1 for m in standin.messages_for(chat) if "🔔" in m.plain_text)


def _holder(processes) -> BotProcess:
    """The process whose log says it holds the scheduler role (and, on one file, the sending)."""
    return wait_until(lambda: next((p for p in processes if "now holds the scheduler role" in p.read_log()), None),
                      20, "a process to hold the scheduler role")


def test_two_processes_deliver_each_alert_once_and_honour_unsubscribes(standin, tmp_path, store_location):
    first = BotProcess(standin, tmp_path / "a")
    second = BotProcess(standin, tmp_path / "b")
    for process in (first, second):
        process.tmp.mkdir()
        process.db = store_location
    try:
        first.start()
        wait_until(lambda: "now holds the scheduler role" in first.read_log(), 30, "the first process to start")
        second.start()
        wait_until(lambda: "holds the scheduler role: this process waits" in second.read_log(), 30,
                   "the second process to start and wait")
        for chat in FOLLOWERS + LEAVERS:
            standin.push_message(chat, "/subscribe سوريا", language_code="ar")
        for chat in FOLLOWERS + LEAVERS:
            standin.wait_for_messages(chat, 1, timeout=30)
        for chat in LEAVERS:
            standin.push_message(chat, "/unsubscribe سوريا", language_code="ar")
        for chat in LEAVERS:
            assert "لن أرسل" in standin.wait_for_messages(chat, 2, timeout=30)[-1].plain_text
        # Both poll, so an update may be handed to both: each is still answered once.
        wait_until_stable(lambda: len(standin.sent), 1.0)
        assert {c: len(standin.messages_for(c)) for c in FOLLOWERS + LEAVERS} == \
            {**{c: 1 for c in FOLLOWERS}, **{c: 2 for c in LEAVERS}}

        first.ingest(*(article_text(n) for n in range(1, 4)))
        wait_until(lambda: all(_alerts(standin, c) >= 3 for c in FOLLOWERS), 60, "every follower's 3 alerts")
        wait_until_stable(lambda: len(standin.sent), 2.0)
        assert {c: _alerts(standin, c) for c in FOLLOWERS} == {c: 3 for c in FOLLOWERS}  # none twice
        assert {c: _alerts(standin, c) for c in LEAVERS} == {c: 0 for c in LEAVERS}

        holder = _holder((first, second))
        other = second if holder is first else first
        holder.kill()
        started = time.monotonic()
        other.ingest(*(article_text(n) for n in range(4, 6)))
        wait_until(lambda: all(_alerts(standin, c) >= 5 for c in FOLLOWERS), 60,
                   "the other process to take over and deliver")
        took = time.monotonic() - started
        wait_until_stable(lambda: len(standin.sent), 2.0)
        extra = sum(_alerts(standin, c) - 5 for c in FOLLOWERS)
        assert 0 <= extra <= IN_FLIGHT and all(_alerts(standin, c) >= 5 for c in FOLLOWERS)
        assert {c: _alerts(standin, c) for c in LEAVERS} == {c: 0 for c in LEAVERS}
        assert "now holds the scheduler role" in other.read_log()
        assert not standin.rate_limited
        logs = first.read_log() + second.read_log()  # each poll ends the other's: said, not a traceback
        assert "another process polls this bot" in logs and "Traceback" not in logs, logs[-3000:]
        print(f"\ntakeover and delivery of 60 alerts {took:.1f} s after the kill")
    finally:
        first.stop()
        second.stop()
