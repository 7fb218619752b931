"""`newsbot run` in webhook mode against the stand-in Bot API: the secret token is checked on
every request, updates are answered, /healthz tells supervisors, SIGTERM stops it cleanly, and
the secret never reaches the log."""

import json
import signal
import socket
import urllib.error
import urllib.request

import pytest

from tests.support.bot_process import BotProcess, bot_env
from tests.support.waiting import wait_until

pytestmark = pytest.mark.e2e

SECRET = "webhook-secret_123"
CHAT = 5101


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _post(url: str, update: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, data=json.dumps(update).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _health(port: int) -> int | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def test_webhook_checks_the_secret_answers_and_stops_cleanly(standin, tmp_path):
    port = _free_port()
    env = bot_env(standin, tmp_path / "hook.db", NEWSBOT_WEBHOOK_URL="https://bot.example/tg/hook",
                  NEWSBOT_WEBHOOK_LISTEN="127.0.0.1", NEWSBOT_WEBHOOK_PORT=str(port),
                  NEWSBOT_WEBHOOK_SECRET=SECRET, NEWSBOT_LOG_LEVEL="DEBUG")
    bot = BotProcess(standin, tmp_path, env=env)
    bot.start()
    try:
        wait_until(lambda: _health(port) == 200, timeout=60, what="/healthz to answer 200")
        hook = standin.webhook
        assert hook["url"] == "https://bot.example/tg/hook" and hook["secret_token"] == SECRET
        url = f"http://127.0.0.1:{port}/tg/hook"

        standin.push_message(CHAT, "/search سوريا", language_code="ar")
        (update,) = standin.take_updates()
        assert _post(url, update, None) == 403 and _post(url, update, "wrong") == 403
        assert _post(url, {"not": "an update"}, SECRET) in (200, 400)
        assert _post(url, update, SECRET) == 200
        (answer,) = standin.wait_for_messages(CHAT, 1, timeout=30)
        assert "قيصر" in answer.plain_text  # the seed article, found
        assert standin.messages_for(CHAT) == [answer]  # the refused posts were not handled

        bot.process.send_signal(signal.SIGTERM)
        assert bot.process.wait(timeout=30) == 0
        assert _health(port) is None  # the server is gone
    finally:
        bot.stop()
    log = bot.read_log()
    assert SECRET not in log and "Traceback" not in log, log[-3000:]
    assert "refused a request without the right secret token" in log
