"""What the Application answers, whatever Telegram (or a webhook) delivers, and the console's input.

These drive the real Application of `newsbot console` with hand-made updates: channel posts
and edited messages get no answer even if they arrive; bytes that are not UTF-8 piped into the
console are read as U+FFFD, not a crash.
"""

import io
import json
import os
import subprocess
import sys
import time

import pytest
from telegram import Update

from bot.app import build_application
from bot.config import Settings
from bot.console import CONSOLE_TOKEN, ConsoleRequest
from bot.receiving.updates import drop_unparsable
from tests.support import ROOT


def _message(text: str, chat: dict) -> dict:
    return {"message_id": 5, "date": int(time.time()), "chat": chat, "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}


@pytest.fixture
async def console_app(tmp_path):
    out = io.StringIO()
    settings = Settings(NEWSBOT_DB=str(tmp_path / "f.db"))
    application = build_application(settings, request=ConsoleRequest(out), token=CONSOLE_TOKEN)
    await application.initialize()
    await application.post_init(application)
    try:
        yield application, out
    finally:
        await application.post_shutdown(application)
        await application.shutdown()


async def test_channel_posts_and_edits_get_no_answer(console_app):
    application, out = console_app
    channel = {"id": -100500, "type": "channel", "title": "News"}
    private = {"id": 1, "type": "private", "first_name": "u"}
    user = {"id": 1, "is_bot": False, "first_name": "u"}
    updates = [{"update_id": n, "channel_post": _message(text, channel)}
               for n, text in enumerate(("/search سوريا", "/summary_1", "/summary 1", "/nosuchcommand"), start=1)]
    updates.append({"update_id": 9, "edited_message": {**_message("/search سوريا", private), "from": user,
                                                        "edit_date": int(time.time())}})
    for raw in updates:
        await application.process_update(Update.de_json(raw, application.bot))
    assert out.getvalue() == ""
    # ...while the same command as a new private message is answered.
    await application.process_update(Update.de_json(
        {"update_id": 10, "message": {**_message("/summary_1", private), "from": user}}, application.bot))
    assert "قيصر" in out.getvalue()


def test_unparsable_updates_are_cut_to_their_id_and_good_ones_kept():
    good = {"update_id": 2, "message": {"message_id": 1, "date": 1, "chat": {"id": 1, "type": "private"}}}
    payload = (b'{"ok": true, "result": [{"update_id": 1, "message": {"message_id": 1}}, '
               + json.dumps(good).encode() + b"]}")
    result = json.loads(drop_unparsable(payload))["result"]
    assert result == [{"update_id": 1}, good]
    assert drop_unparsable(b"not json") == b"not json"


@pytest.mark.e2e
@pytest.mark.parametrize("locale", ["C", "C.UTF-8"])
def test_console_reads_bytes_that_are_not_utf8(tmp_path, locale):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "NEWSBOT_", "LC_"))}
    environ.update(NEWSBOT_DB=str(tmp_path / "c.db"), LC_ALL=locale, PYTHONPATH=str(ROOT))
    environ.pop("PYTHONIOENCODING", None)
    data = "/search \xff\xfe abc\n/search سوريا\n".encode("utf-8").replace(b"\xc3\xbf\xc3\xbe", b"\xff\xfe")
    done = subprocess.run([sys.executable, "-m", "bot.cli", "console"], input=data, capture_output=True,
                          cwd=tmp_path, env=environ, timeout=120)
    out, err = done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, err
    assert "Traceback" not in err and "Error" not in err
    assert "\ufffd\ufffd abc" in out  # the bad bytes, shown as replacement characters
    assert "قيصر" in out  # and the next line is answered as usual
