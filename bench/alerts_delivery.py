"""Alert delivery rate against the stand-in Bot API with Telegram's flood limits.

Usage: python -m bench.alerts_delivery [--chats 200] [--articles 10] [--rate 28]

`--chats` private chats each follow one topic; `--articles` matching articles are stored,
so chats x articles alerts wait in the outbox. The real sender (bot/sending/outbox.py, over
HTTP, with its pacer) drains it into tests/support/botapi_standin.py, which enforces 30 messages/s
overall and 1/s per private chat (burst 3) and answers 429 beyond that. The achieved rate is
what the stand-in accepted, first to last alert; allowed is Telegram's 30/s (the binding limit
here: 200 chats at 1/s each could take 200/s). Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import tempfile
import time
from collections import Counter
from pathlib import Path

from telegram import Bot
from telegram.request import HTTPXRequest

from bot.config import Settings
from bot.ingest.files import parse_article
from bot.ingest.pipeline import analyse
from bot.sending.outbox import Sender
from bot.services import Services
from tests.support.botapi_standin import StandInBotAPI

ALLOWED_OVERALL = 30.0


def article(n: int) -> str:
    return (f"خبر رقم {n} عن سوريا\n"
            f"قال مراسلنا إن الأحداث في سوريا تتواصل لليوم {n} على التوالي، وسط ترقب واسع.\n"
            "وأضاف أن اللجنة ستعلن النتائج قريباً.\nوكالة الأنباء")


async def run(args: argparse.Namespace, standin: StandInBotAPI, db: Path) -> dict:
    services = await Services.open(Settings(NEWSBOT_DB=str(db), NEWSBOT_ALERTS_MAX_TOPICS=20))
    alerts = services.alerts
    await alerts.load()
    chats = [100_000 + n for n in range(args.chats)]
    for chat in chats:
        standin.add_chat(chat)
        await alerts.subscribe(chat, "private", "ar", "سوريا")
    for n in range(args.articles):
        await services.articles.add(analyse(parse_article(article(n))))
    while await alerts.match_new():
        pass
    expected = len(chats) * args.articles
    request = HTTPXRequest(connection_pool_size=8, read_timeout=15, write_timeout=15, connect_timeout=15,
                           pool_timeout=15)
    sender = Sender(alerts, Bot(standin.token, base_url=standin.base_url, request=request),
                    rate=args.rate, private_interval=1.0, group_interval=3.0, in_flight=4,
                    max_attempts=3, backoff=1.0, backoff_max=30.0)
    started = time.monotonic()
    sender.start()
    try:
        while len(standin.accepted_times()) < expected and time.monotonic() - started < args.timeout:
            await asyncio.sleep(0.2)
        await asyncio.sleep(1.0)  # anything extra (a repeat) would show up now
    finally:
        await sender.stop()
        await sender.bot.shutdown()
    counts = await services.store.outbox.counts()
    await services.close()

    times = standin.accepted_times()
    delivered = Counter((m.chat_id, m.plain_text.split("\n")[0]) for m in standin.sent)
    achieved = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0
    return {
        "alerts": expected,
        "chats": len(chats),
        "delivered_distinct": len(delivered),
        "lost": expected - len(delivered),
        "duplicates": sum(delivered.values()) - len(delivered),
        "outbox_states": counts,
        "seconds": round(times[-1] - times[0], 2) if times else None,
        "achieved_rate_per_s": round(achieved, 2),
        "allowed_rate_per_s": ALLOWED_OVERALL,
        "share_of_allowed": round(achieved / ALLOWED_OVERALL, 3),
        "sender_rate_setting": args.rate,
        "max_sends_in_any_1s_window": standin.max_rate_observed(1.0),
        "max_sends_to_one_chat_in_any_1s_window": max(standin.max_rate_observed(1.0, c) for c in chats),
        "rate_limited_429": len(standin.rate_limited),
        "sender_stats": dict(sender.stats),
        "goal": {"at_least_90_percent": achieved >= 0.9 * ALLOWED_OVERALL, "zero_lost": len(delivered) == expected},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--articles", type=int, default=10)
    parser.add_argument("--rate", type=float, default=28.0, help="the sender's overall pace (messages/s)")
    parser.add_argument("--timeout", type=float, default=600.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp, StandInBotAPI() as standin:
        report = asyncio.run(run(args, standin, Path(tmp) / "delivery.db"))
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if report["lost"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
