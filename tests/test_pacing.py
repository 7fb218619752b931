"""The send budget's rules, the Application's rate limiter and the per-chat update processor."""

import asyncio
import time

import httpx
import pytest
from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.receiving.lanes import PerChatUpdates
from bot.sending.budget import SendBudget
from bot.sending.limiter import SendLimiter, chat_of, is_paced, maybe_delivered
from bot.sending.pacer import BOT_WIDE_WINDOW, Pacer
from tests.support.waiting import await_until

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# ---------------------------------------------------------------- the 429 rule
def test_a_429_for_one_chat_holds_that_chat_only_however_often_it_comes():
    clock = Clock()
    pacer = Pacer(28.0, 1.0, 3.0, clock)
    for _ in range(5):  # the same chat, again and again, each after its hold
        assert pacer.rate_limited(1, 10.0) is False
        assert pacer.chat_ready_at(1) == clock.now + 10.0
        assert pacer.ready_at(2) <= clock.now  # every other chat goes on at once
        clock.now += 10.0


def test_429s_for_two_chats_within_the_window_hold_everyone():
    clock = Clock()
    pacer = Pacer(28.0, 1.0, 3.0, clock)
    assert pacer.rate_limited(1, 5.0) is False
    clock.now += BOT_WIDE_WINDOW - 0.5
    assert pacer.rate_limited(2, 5.0) is True
    assert pacer.ready_at(3) == clock.now + 5.0 and pacer.overall_ready_at() == clock.now + 5.0


def test_429s_for_two_chats_further_apart_than_the_window_do_not():
    clock = Clock()
    pacer = Pacer(28.0, 1.0, 3.0, clock)
    assert pacer.rate_limited(1, 1.0) is False
    clock.now += BOT_WIDE_WINDOW + 0.5
    assert pacer.rate_limited(2, 1.0) is False
    assert pacer.ready_at(3) <= clock.now


def test_slots_keep_chat_intervals_and_the_overall_gap():
    clock = Clock()
    pacer = Pacer(10.0, 1.0, 3.0, clock)
    pacer.take(1, "private")
    pacer.take(-5, "supergroup")
    assert pacer.chat_ready_at(1) == clock.now + 1.0 and pacer.chat_ready_at(-5) == clock.now + 3.0
    assert pacer.overall_ready_at() == pytest.approx(clock.now + 0.15)  # half a gap made up once
    pacer.take(None, "private")  # no chat: only the overall spacing
    assert pacer.chat_ready_at(None) <= clock.now


def test_requests_are_read_for_their_chat_and_kind():
    assert chat_of({"chat_id": 5}) == (5, "private")
    assert chat_of({"chat_id": "-1001"}) == (-1001, "group")
    assert chat_of({"chat_id": "@news"}) == ("@news", "channel")
    assert chat_of({"callback_query_id": "1"}) == (None, "private")
    assert is_paced("sendMessage") and is_paced("editMessageText")
    assert not is_paced("answerCallbackQuery") and not is_paced("sendChatAction") and not is_paced("getChatMember")


# ---------------------------------------------------------------- priority in the budget
async def test_replies_take_the_slots_before_waiting_alerts():
    budget = SendBudget(20.0, 0.0, 0.0)
    order: list[str] = []

    async def send(kind: str, chat: int) -> None:
        await budget.acquire(chat, "private", interactive=kind == "reply")
        order.append(kind)

    alerts = [asyncio.create_task(send("alert", 100 + n)) for n in range(6)]
    await asyncio.sleep(0)  # the alerts are waiting first
    replies = [asyncio.create_task(send("reply", n)) for n in range(6)]
    await asyncio.gather(*alerts, *replies)
    assert order.index("alert", 1) > max(i for i, kind in enumerate(order) if kind == "reply")


async def test_alerts_still_get_through_under_a_stream_of_replies():
    budget = SendBudget(20.0, 0.0, 0.0, max_yield=0.3)
    started = time.monotonic()
    stop = False

    async def replies(chat: int) -> None:
        while not stop:
            await budget.acquire(chat, "private", interactive=True)

    streams = [asyncio.create_task(replies(n)) for n in range(4)]
    await asyncio.sleep(0.1)
    await budget.acquire(99, "private", interactive=False)
    waited = time.monotonic() - started
    stop = True
    await asyncio.gather(*streams)
    assert 0.1 + 0.3 - 0.05 <= waited < 0.1 + 0.3 + 0.2  # passed over for max_yield, then sent


async def test_the_alert_ceiling_spaces_alerts_but_not_replies():
    budget = SendBudget(100.0, 0.0, 0.0, alert_rate=5.0)
    started = time.monotonic()
    for chat in range(3):
        await budget.acquire(chat, "private", interactive=False)
    assert time.monotonic() - started >= 0.3  # 5/s: two gaps of 0.2, half of the first made up
    started = time.monotonic()
    for chat in range(3):
        await budget.acquire(10 + chat, "private", interactive=True)
    assert time.monotonic() - started < 0.1


# ---------------------------------------------------------------- the Application's limiter
def failing(*errors):
    """A request callback raising `errors` in turn, then answering True."""
    calls = []

    async def callback(*args, **kwargs):
        calls.append(time.monotonic())
        if len(calls) <= len(errors):
            raise errors[len(calls) - 1]
        return True

    return callback, calls


def caused(exc: Exception, cause: Exception) -> Exception:
    exc.__cause__ = cause
    return exc


async def process(limiter: SendLimiter, callback, chat_id=7, endpoint="sendMessage"):
    return await limiter.process_request(callback, (), {}, endpoint, {"chat_id": chat_id}, None)


async def test_a_short_outage_is_retried_until_the_reply_goes():
    limiter = SendLimiter(SendBudget(28.0, 0.0, 0.0), backoff=0.01)
    bad_gateway = NetworkError("Bad Gateway")
    refused = caused(NetworkError("httpx.ConnectError: refused"), httpx.ConnectError("refused"))
    callback, calls = failing(bad_gateway, refused, bad_gateway, refused)
    assert await process(limiter, callback) is True and len(calls) == 5


async def test_a_request_that_may_have_arrived_is_repeated_once_only():
    limiter = SendLimiter(SendBudget(28.0, 0.0, 0.0), backoff=0.01)
    read_timeout = caused(TimedOut(), httpx.ReadTimeout("slow"))
    callback, calls = failing(read_timeout, read_timeout)
    with pytest.raises(TimedOut):
        await process(limiter, callback)
    assert len(calls) == 2
    dropped = caused(NetworkError("httpx.RemoteProtocolError"), httpx.RemoteProtocolError("gone"))
    assert maybe_delivered(dropped) and maybe_delivered(read_timeout)
    pool = caused(TimedOut("Pool timeout"), httpx.PoolTimeout("busy"))
    assert not maybe_delivered(pool) and not maybe_delivered(NetworkError("Bad Gateway"))


async def test_an_outage_longer_than_the_window_gives_up_and_a_400_is_not_retried():
    limiter = SendLimiter(SendBudget(28.0, 0.0, 0.0), backoff=0.05, network_window=0.3)
    callback, calls = failing(*[NetworkError("Bad Gateway")] * 100)
    started = time.monotonic()
    with pytest.raises(NetworkError):
        await process(limiter, callback)
    assert time.monotonic() - started < 0.5 and 2 <= len(calls) < 10
    callback, calls = failing(BadRequest("Message is too long"))
    with pytest.raises(BadRequest):
        await process(limiter, callback)
    assert len(calls) == 1


async def test_a_429_holds_the_chat_for_retry_after_and_resends_while_others_go_on():
    budget = SendBudget(28.0, 0.0, 0.0)
    limiter = SendLimiter(budget)
    callback, calls = failing(RetryAfter(1))
    task = asyncio.create_task(process(limiter, callback, chat_id=7))
    await await_until(lambda: calls, 5, "the first send refused with a 429")  # the hold is taken with it
    other, other_calls = failing()
    started = time.monotonic()
    assert await process(limiter, other, chat_id=8) is True and time.monotonic() - started < 0.2
    assert await task is True and calls[1] - calls[0] >= 0.95
    assert budget.stats["retry_after_chat"] == 1 and budget.stats["retry_after_all"] == 0


class SharedPace:
    """A stand-in for the store's shared limiter: records holds, or fails like a lost database."""

    def __init__(self, fails: bool = False) -> None:
        self.fails = fails
        self.holds: list[tuple[int | None, float]] = []

    async def reserve(self, chat_id, chat_interval, rate) -> float:
        return 0.0

    async def hold(self, chat_id, seconds) -> None:
        if self.fails:
            raise ConnectionError("the database is gone")
        self.holds.append((chat_id, seconds))

    async def refused(self, chat_id, window) -> int:
        if self.fails:
            raise ConnectionError("the database is gone")
        return 0  # no other process was refused


async def test_a_429_from_the_replies_is_held_in_the_shared_limiter_too():
    budget = SendBudget(28.0, 0.0, 0.0)
    budget.share(pace := SharedPace())
    limiter = SendLimiter(budget)
    callback, _ = failing(RetryAfter(1))
    assert await process(limiter, callback, chat_id=7) is True
    assert await budget.rate_limited(8, 2.0) is True  # a second chat within the window: everyone
    assert pace.holds == [(7, 1.0), (8, 2.0), (None, 2.0)]


async def test_a_shared_limiter_that_fails_leaves_the_429_held_in_this_process():
    budget = SendBudget(28.0, 0.0, 0.0)
    budget.share(SharedPace(fails=True))
    assert await budget.rate_limited(7, 5.0) is False
    assert budget.ready_at(7) >= budget.clock() + 4.9 and budget.ready_at(8) <= budget.clock()
    assert budget.stats["shared_failed"] == 2  # neither the refusal counted nor the hold written


async def test_unpaced_requests_are_not_held_by_the_budget():
    budget = SendBudget(1.0, 10.0, 10.0)
    limiter = SendLimiter(budget)
    await process(limiter, failing()[0])  # takes the only slot for 1 s
    started = time.monotonic()
    for _ in range(3):
        await limiter.process_request(failing()[0], (), {}, "answerCallbackQuery", {"callback_query_id": "1"}, None)
    assert time.monotonic() - started < 0.1


# ---------------------------------------------------------------- per-chat update processing
def message_update(update_id: int, chat_id: int) -> Update:
    return Update.de_json({"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "text": "/search x",
        "chat": {"id": chat_id, "type": "private"}, "from": {"id": chat_id, "is_bot": False, "first_name": "U"},
    }}, None)


async def test_chats_are_handled_side_by_side_each_in_order():
    processor = PerChatUpdates(max_running=8, max_waiting=50)
    log: list[tuple[str, int, int]] = []

    async def handle(chat: int, n: int, seconds: float) -> None:
        log.append(("start", chat, n))
        await asyncio.sleep(seconds)
        log.append(("end", chat, n))

    jobs = [processor.process_update(message_update(n, 1), handle(1, n, 0.05)) for n in range(10)]
    jobs.append(processor.process_update(message_update(99, 2), handle(2, 0, 0.0)))
    started = time.monotonic()
    tasks = [asyncio.create_task(job) for job in jobs]
    await tasks[-1]
    assert time.monotonic() - started < 0.04  # chat 2 did not wait for chat 1's ten
    await asyncio.gather(*tasks)
    chat1 = [entry for entry in log if entry[1] == 1]
    assert chat1 == [(kind, 1, n) for n in range(10) for kind in ("start", "end")]  # one at a time, in order


async def test_a_flooding_chat_keeps_a_bounded_backlog_and_the_rest_is_dropped():
    processor = PerChatUpdates(max_running=8, max_waiting=5)
    handled: list[int] = []

    async def handle(n: int) -> None:
        await asyncio.sleep(0.01)
        handled.append(n)

    await asyncio.gather(*(processor.process_update(message_update(n, 1), handle(n)) for n in range(40)))
    assert handled == list(range(6)) and processor.dropped == 34  # one running, five waiting
    await processor.process_update(message_update(50, 1), handle(50))  # the burst is over
    assert handled[-1] == 50


async def test_bounded_concurrency_across_chats():
    processor = PerChatUpdates(max_running=3)
    running = peak = 0

    async def handle() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.02)
        running -= 1

    await asyncio.gather(*(processor.process_update(message_update(n, 100 + n), handle()) for n in range(12)))
    assert peak == 3
