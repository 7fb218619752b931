"""The real Application, in-process, over the console's request stand-in: a user types a
command, the test reads what the bot printed. (tests/test_console.py drives `run_console`
itself; this is for tests of handlers and their texts.)"""

from __future__ import annotations

import io
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from telegram import Update
from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings
from bot.console import CONSOLE_TOKEN, ConsoleRequest

Say = Callable[..., Awaitable[str]]


def command_update(text: str, update_id: int, *, user: int = 1, language_code: str | None = None) -> dict:
    """A private message from `user` (its chat is the user's), a leading /command marked."""
    sender = {"id": user, "is_bot": False, "first_name": "u"}
    if language_code:
        sender["language_code"] = language_code
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()), "text": text, "from": sender,
        "chat": {"id": user, "type": "private", "first_name": "u"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}}


@asynccontextmanager
async def console_chat(settings: Settings) -> AsyncIterator[tuple[Application, Say, io.StringIO]]:
    """(application, say, out), started as `newsbot run` starts it (post_init: store, seeds,
    jobs set up). `await say(text, user=1, language_code=None)` is what the bot printed."""
    out = io.StringIO()
    application = build_application(settings, request=ConsoleRequest(out), token=CONSOLE_TOKEN)
    await application.initialize()
    await application.post_init(application)
    sent = iter(range(1, 1_000_000))

    async def say(text: str, *, user: int = 1, language_code: str | None = None) -> str:
        start = len(out.getvalue())
        update = command_update(text, next(sent), user=user, language_code=language_code)
        await application.process_update(Update.de_json(update, application.bot))
        return out.getvalue()[start:]

    try:
        yield application, say, out
    finally:
        await application.post_shutdown(application)
        await application.shutdown()
