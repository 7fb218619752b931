"""`newsbot console`: chat with the bot in a terminal, through the same Application and handlers.

Instead of HTTP, PTB's request object is swapped for one that answers the few Bot API
methods the bot calls and prints each message it sends as plain text.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from typing import TextIO

from telegram import Update
from telegram.request import BaseRequest, RequestData

from bot.app import build_application
from bot.config import Settings
from bot.render.html import LRM, RLM, visible

CONSOLE_CHAT_ID = 1
CONSOLE_TOKEN = "0:console"
_BOT_USER = {"id": 42, "is_bot": True, "first_name": "newsbot", "username": "newsbot"}


def plain(html_text: str) -> str:
    """A message as a terminal shows it: tags dropped, entities decoded, direction marks removed."""
    return visible(html_text).replace(RLM, "").replace(LRM, "")


def readable(line: str) -> str:
    """A typed line as valid Unicode: bytes that were not UTF-8 (kept as lone surrogates by
    Python's `surrogateescape`) become U+FFFD, as they would reaching Telegram."""
    try:
        return line.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # surrogates that no byte produced
        return line.encode("utf-8", "replace").decode("utf-8")


class ConsoleRequest(BaseRequest):
    """A local stand-in for the Bot API that writes outgoing messages to a text stream."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.message_id = 0
        self.closed = False  # the reader went away (`newsbot console | head`): stop quietly

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=None, write_timeout=None, connect_timeout=None,
                         pool_timeout=None) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        result = self._answer(name, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _answer(self, name: str, params: dict) -> object:
        if name == "getMe":
            return _BOT_USER
        if name in ("sendMessage", "editMessageText"):
            self._print(params)
            self.message_id += 1
            return {
                "message_id": self.message_id,
                "date": int(time.time()),
                "chat": {"id": params.get("chat_id", CONSOLE_CHAT_ID), "type": "private"},
                "from": _BOT_USER,
                "text": plain(str(params.get("text", ""))),
            }
        return True  # setMyCommands, answerCallbackQuery, sendChatAction ...

    def _print(self, params: dict) -> None:
        text = str(params.get("text", ""))
        shown = plain(text) if params.get("parse_mode") == "HTML" else text
        lines = [shown]
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        for row in (markup or {}).get("inline_keyboard", []):
            lines.append("  ".join(f"[{button['text']}]" for button in row))
        if self.closed:
            return
        try:
            self.out.write("\n".join(lines) + "\n\n")
            self.out.flush()
        except BrokenPipeError:
            self.closed = True


def _message_update(update_id: int, text: str, user_lang: str) -> dict:
    entities = []
    if text.startswith("/"):
        length = len(text.split()[0])
        entities.append({"type": "bot_command", "offset": 0, "length": len(text[:length].encode("utf-16-le")) // 2})
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": CONSOLE_CHAT_ID, "type": "private", "first_name": "console"},
            "from": {"id": CONSOLE_CHAT_ID, "is_bot": False, "first_name": "console", "language_code": user_lang},
            "text": text,
            "entities": entities,
        },
    }


async def run_console(settings: Settings, *, user_lang: str, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Read one user message per line until end of input; print each reply."""
    if hasattr(stdin, "reconfigure"):  # undecodable bytes become U+FFFD instead of an error
        stdin.reconfigure(errors="replace")
    request = ConsoleRequest(out)
    application = build_application(settings, request=request, token=CONSOLE_TOKEN)
    interactive = stdin.isatty()
    await application.initialize()
    try:
        await application.post_init(application)
        if interactive:
            out.write("newsbot console — type /help, Ctrl-D to quit.\n\n")
        update_id = 0
        while not request.closed:
            if interactive:
                out.write("> ")
                out.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            text = readable(line).strip()
            if not text:
                continue
            update_id += 1
            update = Update.de_json(_message_update(update_id, text, user_lang), application.bot)
            await application.process_update(update)
    finally:
        await application.post_shutdown(application)
        await application.shutdown()
