"""Past one machine: web workers, a fetcher and several senders on PostgreSQL, one sender killed.

Usage: python -m bench.scale_out [--chats 2000] [--articles 5] [--senders 2] [--web 3]
                                 [--postgres URL] [--skip-baseline]

Against the stand-in Bot API (Telegram's limits: 30/s overall, 1/s per private chat), with
`--chats` chats each following one topic and `--articles` matching articles (10,000 alerts by
default):

* **scale-out** (PostgreSQL): `--web` `newsbot run --role web` workers sharing one webhook port
  (SO_REUSEPORT), one `--role fetcher`, `--senders` `--role sender`. Midway one sender is
  SIGKILLed and one web worker is restarted; users' /search updates are posted to the web port
  throughout.
* **baseline** (SQLite): one `newsbot run` (role all), the same alerts.

For each: alerts lost (must be 0), sent twice (at most the sends in flight at the kill), the
aggregate send rate against Telegram's 30/s, 429s received, the most messages any chat got in
one second, and how the web workers answered. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from bot.receiving.webhook import default_secret
from tests.support.articles import article_text
from tests.support.bot_process import BotProcess, bot_env
from tests.support.botapi_standin import StandInBotAPI
from tests.support.postgres import Cluster, find_bindir

TOPIC = "سوريا"
IN_FLIGHT = 4
HOOK_PATH = "/tg/hook"


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def _subscribe(location: str, chats: int) -> None:
    """Every chat follows TOPIC, written straight into the store (as many /subscribe would)."""
    from tests.support.articles import open_alerts

    services, alerts = await open_alerts(location, max_topics=20)
    try:
        for chat in range(1, chats + 1):
            await alerts.subscribe(100_000 + chat, "private", "ar", TOPIC)
    finally:
        await services.close()


def _register(standin, chats: int) -> None:
    """The stand-in knows a chat once its user has talked to the bot: the followers, the searchers."""
    for chat in [*(100_000 + c for c in range(1, chats + 1)), *(900_000 + u for u in range(50))]:
        standin.add_chat(chat)


def _process(standin, root: Path, name: str, location: str, **env: str) -> BotProcess:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    process = BotProcess(standin, folder, env=bot_env(standin, Path("unused"), NEWSBOT_DB=location,
                                                      NEWSBOT_SEEDS=str(root / "no-seeds"),
                                                      NEWSBOT_LOG_LEVEL="WARNING", NEWSBOT_ALERTS_BACKOFF="0.5",
                                                      NEWSBOT_ALERTS_SEND_TIMEOUT="5", **env))
    process.db = location
    return process


def _post_update(port: int, secret: str, update: dict) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{HOOK_PATH}", data=json.dumps(update).encode(),
                                     headers={"Content-Type": "application/json",
                                              "X-Telegram-Bot-Api-Secret-Token": secret}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return 0


def _alerts(standin) -> list:
    """Alerts to the followers (chats 100,001 on), oldest first."""
    return [m for m in standin.sent if 100_000 < m.chat_id < 900_000 and "🔔" in m.plain_text]


def _measure(standin, expected: set[tuple[int, int]], started: float, finished: float,
             in_flight_at_kill: int | None) -> dict:
    alerts = _alerts(standin)
    keys = Counter((m.chat_id, m.plain_text.split("\n")[0]) for m in alerts)
    per_second = Counter((m.chat_id, int(m.time)) for m in standin.sent)
    titles = Counter(title for _, title in keys)
    distinct = len(keys)
    duration = max(1e-9, finished - started)
    return {
        "alerts_expected": len(expected),
        "alerts_received": len(alerts),
        "first_to_last_alert_s": round(alerts[-1].time - alerts[0].time, 1) if alerts else None,
        "alerts_lost": max(0, len(expected) - distinct),
        "sent_twice": sum(n - 1 for n in keys.values() if n > 1),
        "in_flight_at_kill": in_flight_at_kill,
        "seconds": round(duration, 1),
        "send_rate_per_s": round(len(alerts) / _span(alerts, duration), 2),
        "share_of_telegram_30_per_s": round(len(alerts) / _span(alerts, duration) / 30, 3),
        # Telegram's 30/s counts every message of the bot: the alerts and the replies between them.
        "all_messages_per_s": round(_sent_between(standin, alerts) / _span(alerts, duration), 2),
        "all_messages_share_of_30_per_s": round(_sent_between(standin, alerts) / _span(alerts, duration) / 30, 3),
        "429s": len(standin.rate_limited),
        "alerts_by_title": dict(titles.most_common(8)),
        "most_messages_one_chat_one_second": max(per_second.values(), default=0),
    }


def _sent_between(standin, alerts: list) -> int:
    """Every message the bot sent from the first alert to the last, replies included."""
    if not alerts:
        return 0
    return sum(1 for m in standin.sent if alerts[0].time <= m.time <= alerts[-1].time and not m.is_edit)


def _span(alerts: list, fallback: float) -> float:
    """Seconds from the first alert to the last: the sending itself, not the matching before."""
    return max(1e-9, alerts[-1].time - alerts[0].time) if len(alerts) > 1 else fallback


def _wait_for(standin, want: int, cap: float) -> float:
    deadline = time.monotonic() + cap
    while len({(m.chat_id, m.plain_text.split("\n")[0]) for m in _alerts(standin)}) < want:
        if time.monotonic() > deadline:
            break
        time.sleep(0.5)
    return time.monotonic()


def scale_out(location: str, chats: int, articles: int, senders: int, web: int, cap: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp, StandInBotAPI() as standin:
        root = Path(tmp)
        _register(standin, chats)
        asyncio.run(_subscribe(location, chats))
        port = _free_port()
        hook = {"NEWSBOT_WEBHOOK_URL": f"https://bench.example{HOOK_PATH}", "NEWSBOT_WEBHOOK_PORT": str(port),
                "NEWSBOT_WEBHOOK_LISTEN": "127.0.0.1"}
        workers = [_process(standin, root, f"web{i}", location, NEWSBOT_ROLE="web", **hook) for i in range(web)]
        fetcher = _process(standin, root, "fetcher", location, NEWSBOT_ROLE="fetcher",
                           NEWSBOT_ALERTS_MATCH_INTERVAL="0.5")
        sending = [_process(standin, root, f"sender{i}", location, NEWSBOT_ROLE="sender",
                            NEWSBOT_ALERTS_IN_FLIGHT=str(IN_FLIGHT)) for i in range(senders)]
        everyone = [*workers, fetcher, *sending]
        secret = default_secret(standin.token)
        try:
            for process in everyone:
                process.start()
            time.sleep(3)
            expected = {(100_000 + c, n) for c in range(1, chats + 1) for n in range(1, articles + 1)}
            started = time.monotonic()
            fetcher.ingest(*(article_text(n) for n in range(1, articles + 1)))
            answers: Counter[int] = Counter()
            killed_at = None
            update_id = 1
            while True:
                got = len({(m.chat_id, m.plain_text.split("\n")[0]) for m in _alerts(standin)})
                if got >= len(expected) or time.monotonic() - started > cap:
                    break
                if killed_at is None and got >= len(expected) // 2:
                    killed_at = got
                    sending[0].kill()
                    workers[0].stop()
                    workers[0].start()
                user = 900_000 + update_id % 50
                answers[_post_update(port, secret, {"update_id": update_id, "message": {
                    "message_id": update_id, "date": int(time.time()), "text": "/search سوريا",
                    "from": {"id": user, "is_bot": False, "first_name": "u", "language_code": "ar"},
                    "chat": {"id": user, "type": "private"},
                    "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}})] += 1
                update_id += 1
                time.sleep(0.5)
            finished = time.monotonic()
            report = _measure(standin, expected, started, finished, IN_FLIGHT)
            report["webhook_answers"] = dict(answers)
            report["search_replies"] = sum(1 for m in standin.sent if m.chat_id >= 900_000)
            return report
        finally:
            for process in everyone:
                process.stop()


def baseline(chats: int, articles: int, cap: float) -> dict:
    with tempfile.TemporaryDirectory() as tmp, StandInBotAPI() as standin:
        root = Path(tmp)
        location = str(root / "baseline.db")
        _register(standin, chats)
        asyncio.run(_subscribe(location, chats))
        bot = _process(standin, root, "all", location, NEWSBOT_ALERTS_MATCH_INTERVAL="0.5",
                       NEWSBOT_ALERTS_IN_FLIGHT=str(IN_FLIGHT))
        try:
            bot.start()
            time.sleep(3)
            expected = {(100_000 + c, n) for c in range(1, chats + 1) for n in range(1, articles + 1)}
            started = time.monotonic()
            bot.ingest(*(article_text(n) for n in range(1, articles + 1)))
            finished = _wait_for(standin, len(expected), cap)
            return _measure(standin, expected, started, finished, None)
        finally:
            bot.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--articles", type=int, default=5)
    parser.add_argument("--senders", type=int, default=2)
    parser.add_argument("--web", type=int, default=3)
    parser.add_argument("--postgres", help="an empty PostgreSQL database (default: a throwaway cluster)")
    parser.add_argument("--cap", type=float, default=1200.0, help="seconds before giving up on a run")
    parser.add_argument("--skip-baseline", action="store_true")
    args = parser.parse_args()
    cluster = None
    location = args.postgres
    if location is None:
        bindir, why = find_bindir()
        if bindir is None:
            print(json.dumps({"error": why}))
            return 1
        cluster = Cluster.start(bindir)
        location = cluster.create_database("scale_out")
    try:
        report = {"chats": args.chats, "articles": args.articles, "senders": args.senders, "web_workers": args.web,
                  "postgres": scale_out(location, args.chats, args.articles, args.senders, args.web, args.cap)}
        if not args.skip_baseline:
            report["sqlite_one_sender"] = baseline(args.chats, args.articles, args.cap)
    finally:
        if cluster is not None:
            cluster.stop()
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
