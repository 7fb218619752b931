"""End to end on PostgreSQL: one `newsbot run --role fetcher` and two `--role sender`
processes on one store, against one stand-in Bot API (issue 13, "outbox at scale").

Both senders deliver, each claiming its items: every alert arrives exactly once, the
stand-in (which answers 429 past Telegram's limits) never had to refuse one, and no chat got
two messages within a second although two processes send. Then one sender is killed mid-way:
the other takes its claims over once their lease ran out; nothing is lost, and at most the
alerts that were in flight at the kill arrive twice. And a bot-wide 429 seen by one sender
holds the other too, through the shared limiter.
"""

import itertools
import re
import time

import pytest

from tests.support.articles import article_text, subscribe_chats
from tests.support.bot_process import IN_FLIGHT, BotProcess
from tests.support.waiting import wait_until, wait_until_stable

pytestmark = [pytest.mark.e2e, pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")]

CHATS = list(range(9301, 9361))  # 60 private chats
ALERTS = 5  # articles per round, each an alert for every chat
SENT_SO_FAR = re.compile(r"alerts sender \S+: (\d+) alerts and \d+ digest parts sent so far")


def _alerts(standin, chat: int) -> int:
    return sum(1 for m in standin.messages_for(chat) if "🔔" in m.plain_text)


def _total(standin) -> int:
    return sum(_alerts(standin, c) for c in CHATS)


def _sent_by(process: BotProcess) -> int:
    """What the process's log says it sent (its last report)."""
    counts = SENT_SO_FAR.findall(process.read_log())
    return int(counts[-1]) if counts else 0


def _closest_gap(standin) -> float:
    """The shortest time between two messages to one chat, over every chat."""
    gaps = []
    for chat in CHATS:
        times = sorted(m.time for m in standin.messages_for(chat))
        gaps += [b - a for a, b in itertools.pairwise(times)]
    return min(gaps)


def test_two_senders_share_the_outbox_and_the_limits(standin, tmp_path, postgres_location):
    subscribe_chats(postgres_location, CHATS)
    for chat in CHATS:
        standin.add_chat(chat, "private")
    no_seeds = str(tmp_path / "no-seeds")  # only the articles of this test
    fetcher, first, second = (BotProcess(standin, tmp_path / name) for name in ("fetcher", "s1", "s2"))
    for process in (fetcher, first, second):
        process.tmp.mkdir()
        process.db = postgres_location
    try:
        fetcher.start(NEWSBOT_ROLE="fetcher", NEWSBOT_SEEDS=no_seeds)
        first.start(NEWSBOT_ROLE="sender", NEWSBOT_SEEDS=no_seeds)
        second.start(NEWSBOT_ROLE="sender", NEWSBOT_SEEDS=no_seeds)
        wait_until(lambda: "now holds the scheduler role" in fetcher.read_log(), 30, "the fetcher to start")
        started = time.monotonic()
        fetcher.ingest(*(article_text(n) for n in range(1, ALERTS + 1)))
        wait_until(lambda: _total(standin) >= len(CHATS) * ALERTS, 60, "every chat's alerts")
        took = time.monotonic() - started
        wait_until_stable(lambda: len(standin.sent), 2.0)
        assert {c: _alerts(standin, c) for c in CHATS} == {c: ALERTS for c in CHATS}  # each exactly once
        wait_until(lambda: _sent_by(first) + _sent_by(second) == len(CHATS) * ALERTS, 10, "both senders to report")
        by_process = (_sent_by(first), _sent_by(second))
        assert min(by_process) > 0, by_process  # both sent
        assert not standin.rate_limited, standin.rate_limited[:3]
        closest = _closest_gap(standin)
        assert closest >= 0.95, closest  # 1/s per private chat, across both senders
        for sender in (first, second):  # neither took a single `sender` role
            assert "holds the sender role" not in sender.read_log()
        print(f"\n{len(CHATS) * ALERTS} alerts in {took:.1f} s after the ingest, by the two senders {by_process};"
              f" closest two messages to one chat {closest:.2f} s apart")

        # Round two: kill one sender mid-way.
        fetcher.ingest(*(article_text(n) for n in range(ALERTS + 1, 2 * ALERTS + 1)))
        before = len(CHATS) * ALERTS
        wait_until(lambda: _total(standin) >= before + 60, 60, "round two to be under way")
        second.kill()
        killed = time.monotonic()
        at_kill = _total(standin) - before
        wait_until(lambda: all(_alerts(standin, c) >= 2 * ALERTS for c in CHATS), 60,
                   "the other sender to deliver the rest, the killed one's claims too")
        after = time.monotonic() - killed
        wait_until_stable(lambda: len(standin.sent), 2.0)
        doubles = _total(standin) - 2 * before
        assert 0 <= doubles <= IN_FLIGHT, doubles  # nothing lost; repeats at most what was in flight
        assert not standin.rate_limited, standin.rate_limited[:3]
        print(f"killed one sender {at_kill} alerts into round two; the rest {after:.1f} s later, {doubles} twice")
    finally:
        for process in (fetcher, first, second):
            process.stop()


def _start_senders(standin, tmp_path, postgres_location, chats) -> list[BotProcess]:
    """A fetcher and two senders on one store, `chats` subscribed: started, the fetcher ready."""
    subscribe_chats(postgres_location, chats)
    for chat in chats:
        standin.add_chat(chat, "private")
    no_seeds = str(tmp_path / "no-seeds")
    processes = [BotProcess(standin, tmp_path / name) for name in ("fetcher", "s1", "s2")]
    for process, role in zip(processes, ("fetcher", "sender", "sender")):
        process.tmp.mkdir()
        process.db = postgres_location
        process.start(NEWSBOT_ROLE=role, NEWSBOT_SEEDS=no_seeds)
    wait_until(lambda: "now holds the scheduler role" in processes[0].read_log(), 30, "the fetcher to start")
    return processes


def test_a_bot_wide_429_seen_by_one_sender_holds_both(standin, tmp_path, postgres_location):
    chats, retry_after = CHATS[:20], 4
    # Two sends in a row refused, whoever makes them (of distinct chats, since a refused chat is
    # held): the evidence of the bot-wide limit, whether one sender got both or each got one.
    standin.fail_next("sendMessage", error_code=429, description=f"Too Many Requests: retry after {retry_after}",
                      parameters={"retry_after": retry_after}, times=2)
    processes = _start_senders(standin, tmp_path, postgres_location, chats)
    try:
        processes[0].ingest(*(article_text(n) for n in range(1, 3)))
        wait_until(lambda: all(_alerts(standin, c) >= 2 for c in chats), 60, "every chat's alerts")
        sends = [c for c in standin.calls if c.method == "sendMessage"]
        refused = [c.time for c in sends if c.error_code == 429]
        assert len(refused) == 2 and not standin.rate_limited
        assert any("the bot's overall limit" in p.read_log() for p in processes[1:])
        # no sender sent from just after the last refusal (what was on its way) until the hold ended
        held = [c.time for c in sends if c.ok and max(refused) + 0.7 < c.time < min(refused) + retry_after - 0.5]
        assert held == [], [round(t - min(refused), 2) for t in held]
        assert {c: _alerts(standin, c) for c in chats} == {c: 2 for c in chats}  # each exactly once
    finally:
        for process in processes:
            process.stop()
