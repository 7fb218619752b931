"""Fairness of `newsbot run` under load, against the stand-in Bot API with Telegram's limits.

Usage: python -m bench.fairness [--tree PATH] [--only flood|limited|fanout] [--cap-scale 1.0]

Runs the real bot process of the checkout at `--tree` (default: this one) with
`PYTHONPATH=<tree>`, so the same script measures an older checkout too; the stand-in is
always this checkout's tests/support/botapi_standin.py. Three scenarios, each on a fresh store:

* flood: one chat sends 1,000 `/subscribe x`, then 20 other users `/search سوريا`: how many
  of them are answered within the cap (120 s), and how long they waited.
* limited: one chat is answered 429 (retry_after 10) forever; 49 other chats follow a topic
  and 5 matching articles arrive (245 alerts): how many reach them within 180 s, and when.
* fanout: 100 chats x 5 articles (500 alerts) while 150 other users search: the most sends in
  any 1 s (Telegram allows 30), 429s by the limit that gave them, how long searchers waited.

Each scenario stops as soon as everything arrived. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.support.bot_process import BotProcess, clean_env
from tests.support.botapi_standin import StandInBotAPI

ROOT = Path(__file__).resolve().parents[1]

TOPIC = "سوريا"


def article(n: int) -> str:
    return (f"خبر رقم {n} عن سوريا\n"
            f"قال مراسلنا إن الأحداث في سوريا تتواصل لليوم {n} على التوالي، وسط ترقب واسع.\n"
            "وأضاف أن اللجنة ستعلن النتائج قريباً.\nوكالة الأنباء")


class Bot(BotProcess):
    """`python -m bot.cli run` of the tree under test, with its default settings, on its own
    store in `tmp`."""

    def __init__(self, tree: Path, standin: StandInBotAPI, tmp: Path) -> None:
        super().__init__(standin, tmp, env=clean_env(
            TELEGRAM_BOT_TOKEN=standin.token, TELEGRAM_API_BASE_URL=standin.base_url,
            NEWSBOT_DB=str(tmp / "bench.db"), NEWSBOT_LOG_LEVEL="WARNING",
            NEWSBOT_ALERTS_MATCH_INTERVAL="0.5", PYTHONPATH=str(tree)))

    def start(self) -> None:
        super().start()
        self.standin.push_message(1, "/start")
        self.standin.wait_for_messages(1, 1, timeout=60)

    def subscribe(self, chats: list[int]) -> None:
        for chat in chats:
            self.standin.push_message(chat, f"/subscribe {TOPIC}")
        for chat in chats:
            self.standin.wait_for_messages(chat, 1, timeout=120)

    def ingest_articles(self, count: int) -> None:
        self.ingest(*(article(n) for n in range(count)))


def first_answer(standin: StandInBotAPI, chat: int) -> float | None:
    messages = standin.messages_for(chat)
    return messages[0].time if messages else None


def limits_429(standin: StandInBotAPI, since: float) -> dict[str, int]:
    return dict(Counter(r.limit for r in standin.rate_limited if r.time >= since))


def waits(answers: dict[int, float | None], pushed: float) -> dict:
    got = sorted(t - pushed for t in answers.values() if t is not None)
    return {"answered": len(got), "of": len(answers),
            "p50_s": round(statistics.median(got), 2) if got else None,
            "max_s": round(got[-1], 2) if got else None}


def flood(bot: Bot, standin: StandInBotAPI, cap: float, messages: int = 1000, searchers: int = 20) -> dict:
    flooder, users = 2000, [3000 + n for n in range(searchers)]
    for _ in range(messages):
        standin.push_message(flooder, "/subscribe x")
    pushed = time.monotonic()
    for chat in users:
        standin.push_message(chat, f"/search {TOPIC}")
    while time.monotonic() - pushed < cap and any(first_answer(standin, c) is None for c in users):
        time.sleep(0.1)
    return {"flood_messages": messages, "searchers": waits({c: first_answer(standin, c) for c in users}, pushed),
            "cap_s": cap, "flooding_chat_answers": len(standin.messages_for(flooder)),
            "rate_limited_429": limits_429(standin, pushed)}


def limited(bot: Bot, standin: StandInBotAPI, cap: float, chats: int = 49, articles: int = 5) -> dict:
    stuck, others = 4000, [4001 + n for n in range(chats)]
    bot.subscribe([stuck, *others])
    standin.fail_next("sendMessage", stuck, error_code=429, description="Too Many Requests: retry after 10",
                      parameters={"retry_after": 10}, times=10**6)
    before = {c: len(standin.messages_for(c)) for c in others}
    expected = chats * articles
    started = time.monotonic()
    bot.ingest_articles(articles)

    def delivered() -> int:
        return sum(len(standin.messages_for(c)) - before[c] for c in others)

    while time.monotonic() - started < cap and delivered() < expected:
        time.sleep(0.1)
    done = delivered()
    alerts = sorted(m.time for c in others for m in standin.messages_for(c)[before[c]:])
    return {"alerts_to_other_chats": expected, "delivered": done, "cap_s": cap,
            "seconds_to_deliver_all": round(alerts[-1] - started, 2) if done == expected else None,
            "seconds_until_stop": round(time.monotonic() - started, 2),
            "note": "seconds count from the start of `newsbot ingest` (about 1-2 s of it)"}


def fanout(bot: Bot, standin: StandInBotAPI, cap: float, chats: int = 100, articles: int = 5,
           searchers: int = 150) -> dict:
    receivers, users = [5000 + n for n in range(chats)], [6000 + n for n in range(searchers)]
    bot.subscribe(receivers)
    before = len(standin.sent)
    expected = chats * articles
    started = time.monotonic()
    bot.ingest_articles(articles)
    while len(standin.sent) - before < 30 and time.monotonic() - started < cap:
        time.sleep(0.02)
    pushed = time.monotonic()
    for chat in users:
        standin.push_message(chat, f"/search {TOPIC}")

    def alerts() -> int:
        return sum(len(standin.messages_for(c)) - 1 for c in receivers)

    while time.monotonic() - started < cap and (alerts() < expected
                                                 or any(first_answer(standin, c) is None for c in users)):
        time.sleep(0.1)
    times = [t for t in standin.accepted_times() if t >= started]
    return {"alerts": expected, "alerts_delivered": alerts(), "searchers": waits(
                {c: first_answer(standin, c) for c in users}, pushed),
            "cap_s": cap, "max_sends_in_any_1s": standin.max_rate_observed(1.0, since=started),
            "rate_limited_429": limits_429(standin, started),
            "seconds": round(times[-1] - started, 2) if times else None}


SCENARIOS = {"flood": (flood, 120.0), "limited": (limited, 180.0), "fanout": (fanout, 120.0)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tree", type=Path, default=ROOT, help="the checkout whose bot runs")
    parser.add_argument("--only", choices=sorted(SCENARIOS), action="append")
    parser.add_argument("--cap-scale", type=float, default=1.0, help="multiply each scenario's time cap")
    args = parser.parse_args()
    tree = args.tree.resolve()
    report: dict = {"tree": str(tree)}
    for name in args.only or list(SCENARIOS):
        scenario, cap = SCENARIOS[name]
        with tempfile.TemporaryDirectory() as tmp, StandInBotAPI() as standin:
            bot = Bot(tree, standin, Path(tmp))
            try:
                bot.start()
                report[name] = scenario(bot, standin, cap * args.cap_scale)
            finally:
                bot.stop()
        print(json.dumps({name: report[name]}, ensure_ascii=False), file=sys.stderr, flush=True)
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
