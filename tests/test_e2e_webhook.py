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
from tests.support.waiting import wait_until, wait_until_stable

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
        assert _post(url, update, SECRET) == 200  # Telegram retries when an answer came late
        wait_until_stable(lambda: len(standin.sent), 1.0)
        assert standin.messages_for(CHAT) == [answer]  # neither the refused posts nor the copy handled

        bot.process.send_signal(signal.SIGTERM)
        assert bot.process.wait(timeout=30) == 0
        assert _health(port) is None  # the server is gone
    finally:
        bot.stop()
    log = bot.read_log()
    assert SECRET not in log and "Traceback" not in log, log[-3000:]
    assert "refused a request without the right secret token" in log


def _search_update(update_id: int, chat: int) -> dict:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "text": "/search سوريا",
        "from": {"id": chat, "is_bot": False, "first_name": "u", "language_code": "ar"},
        "chat": {"id": chat, "type": "private"}, "entities": [{"type": "bot_command", "offset": 0, "length": 7}]}}


def test_web_workers_share_one_port_and_one_derived_secret_and_survive_a_restart(standin, tmp_path,
                                                                               postgres_location):
    """Two `--role web` workers on one port (SO_REUSEPORT) and one PostgreSQL store, without a
    configured secret: both derive the same one from the token; one restarts, updates still land,
    and a copy of an update (Telegram's retry, to whichever worker) is answered by neither."""
    from bot.receiving.webhook import default_secret

    port = _free_port()
    workers = []
    for name in ("w1", "w2"):
        folder = tmp_path / name
        folder.mkdir()
        env = bot_env(standin, tmp_path / "unused.db", NEWSBOT_DB=postgres_location, NEWSBOT_ROLE="web",
                      NEWSBOT_WEBHOOK_URL="https://bot.example/tg/hook", NEWSBOT_WEBHOOK_LISTEN="127.0.0.1",
                      NEWSBOT_WEBHOOK_PORT=str(port))
        workers.append(BotProcess(standin, folder, env=env))
    secret = default_secret(standin.token)
    chats = list(range(5201, 5221))
    for chat in chats:
        standin.add_chat(chat)
    try:
        for worker in workers:
            worker.start()
            wait_until(lambda: _health(port) == 200, timeout=60, what="/healthz to answer 200")
        wait_until(lambda: all("webhook: listening" in w.read_log() for w in workers), 30, "both to listen")
        assert standin.webhook["secret_token"] == secret
        url = f"http://127.0.0.1:{port}/tg/hook"
        assert _post(url, _search_update(1, chats[0]), "wrong") == 403
        for n, chat in enumerate(chats[:10], start=2):
            assert _post(url, _search_update(n, chat), secret) == 200
        for n, chat in enumerate(chats[:10], start=2):  # Telegram's retries, to either worker
            assert _post(url, _search_update(n, chat), secret) == 200
        workers[0].stop()  # a rolling restart: the other worker keeps taking updates meanwhile
        workers[0].start()
        for n, chat in enumerate(chats[10:], start=20):
            assert _post(url, _search_update(n, chat), secret) == 200
        for chat in chats:
            assert "قيصر" in standin.wait_for_messages(chat, 1, timeout=30)[0].plain_text
        wait_until_stable(lambda: len(standin.sent), 1.0)
        assert {chat: len(standin.messages_for(chat)) for chat in chats} == {chat: 1 for chat in chats}
        assert all(w.process.poll() is None for w in workers)
        assert secret not in "".join(w.read_log() for w in workers)
    finally:
        for worker in workers:
            worker.stop()
