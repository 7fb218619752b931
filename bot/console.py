"""`newsbot console`: chat with the bot in a terminal, through the same Application and handlers.

Instead of HTTP, PTB's request object is swapped for one that answers the few Bot API
methods the bot calls and prints each message it sends as plain text. As in a chat:

* the application runs (its jobs match new articles, build digests, poll feeds) and the one
  outbox sender delivers alerts and digests through a bot over this same request, unpaced;
* an inline button is printed with a number, `[1 التالي ▶]`; typing that number (`1`, `#1`)
  or the button's exact label presses it: a callback query goes through the same handlers.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import dataclass
from typing import TextIO

from telegram import Bot, Update
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.app import build_application
from bot.config import Settings
from bot.jobs import start_sender
from bot.render.html import LRM, RLM, visible
from bot.sending.budget import SendBudget
from bot.text.normalize import ascii_digits

CONSOLE_CHAT_ID = 1
CONSOLE_TOKEN = "0:console"
_BOT_USER = {"id": 42, "is_bot": True, "first_name": "newsbot", "username": "newsbot"}
MAX_BUTTONS = 100  # the newest buttons that can still be pressed
UNPACED = (1000.0, 0.0, 0.0)  # a send budget's rate and per-chat intervals: a terminal has no flood limit


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


@dataclass(frozen=True, slots=True)
class Button:
    """A printed inline button: what a press sends back, and the message it sits on."""
    label: str
    data: str
    message: dict


class ConsoleRequest(BaseRequest):
    """A local stand-in for the Bot API that writes outgoing messages to a text stream."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.message_id = 0
        self.closed = False  # the reader went away (`newsbot console | head`): stop quietly
        self.buttons: dict[int, Button] = {}  # by the number printed on it
        self.button_number = 0

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
        if name == "sendMessage":
            self.message_id += 1
            return self._show(self._message(params, self.message_id), params)
        if name == "editMessageText":
            return self._show(self._message(params, int(params.get("message_id", 0))), params)
        if name == "answerCallbackQuery" and params.get("text"):
            self._write(f"({params['text']})")
        return True  # setMyCommands, answerCallbackQuery without text, sendChatAction ...

    @staticmethod
    def _message(params: dict, message_id: int) -> dict:
        return {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": params.get("chat_id", CONSOLE_CHAT_ID), "type": "private"},
            "from": _BOT_USER,
            "text": plain(str(params.get("text", ""))),
        }

    def _show(self, message: dict, params: dict) -> dict:
        """Print a sent or edited message with its numbered buttons; return it as Telegram would."""
        text = str(params.get("text", ""))
        lines = [plain(text) if params.get("parse_mode") == "HTML" else text]
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        self._forget(message)  # an edit replaces the message's buttons
        for row in (markup or {}).get("inline_keyboard", []):
            lines.append("  ".join(self._label(button, message) for button in row))
        self._write("\n".join(lines))
        return message

    def _label(self, button: dict, message: dict) -> str:
        """`[n label]` for a button that can be pressed here, `[label]` for a link."""
        data = button.get("callback_data")
        if data is None:
            return f"[{button['text']}]"
        self.button_number += 1
        self.buttons[self.button_number] = Button(button["text"], data, message)
        if len(self.buttons) > MAX_BUTTONS:
            del self.buttons[next(iter(self.buttons))]
        return f"[{self.button_number} {button['text']}]"

    def _forget(self, message: dict) -> None:
        key = (message["chat"]["id"], message["message_id"])
        for number, button in list(self.buttons.items()):
            if (button.message["chat"]["id"], button.message["message_id"]) == key:
                del self.buttons[number]

    def pressed(self, line: str) -> Button | None:
        """The button a typed line presses (its number, `#number` or exact label), if any."""
        number = ascii_digits(line.removeprefix("#"))
        if number.isascii() and number.isdigit():
            return self.buttons.get(int(number))
        return next((b for b in reversed(self.buttons.values()) if b.label == line), None)

    def _write(self, text: str) -> None:
        if self.closed:
            return
        try:
            self.out.write(text + "\n\n")
            self.out.flush()
        except BrokenPipeError:
            self.closed = True


def _user(user_lang: str) -> dict:
    return {"id": CONSOLE_CHAT_ID, "is_bot": False, "first_name": "console", "language_code": user_lang}


def _callback_update(update_id: int, button: Button, user_lang: str) -> dict:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": str(update_id),
            "from": _user(user_lang),
            "chat_instance": str(CONSOLE_CHAT_ID),
            "message": button.message,
            "data": button.data,
        },
    }


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
            "from": _user(user_lang),
            "text": text,
            "entities": entities,
        },
    }


def _update(update_id: int, text: str, request: ConsoleRequest, user_lang: str) -> dict:
    """A button press when the line names a printed button, else a message."""
    button = request.pressed(text)
    if button is not None:
        return _callback_update(update_id, button, user_lang)
    return _message_update(update_id, text, user_lang)


async def _converse(application: Application, request: ConsoleRequest, stdin: TextIO, out: TextIO,
                    user_lang: str) -> None:
    """One update per typed line until end of input, handled as Telegram's would be."""
    interactive = stdin.isatty()
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
        update = Update.de_json(_update(update_id, text, request, user_lang), application.bot)
        await application.process_update(update)


async def run_console(settings: Settings, *, user_lang: str, stdin: TextIO = sys.stdin, out: TextIO = sys.stdout) -> None:
    """Read one user message per line until end of input; print each reply, alert and digest."""
    if hasattr(stdin, "reconfigure"):  # undecodable bytes become U+FFFD instead of an error
        stdin.reconfigure(errors="replace")
    request = ConsoleRequest(out)
    # No token: a TELEGRAM_BOT_TOKEN in the environment must not start a sender to Telegram.
    offline = settings.model_copy(update={"bot_token": None})
    application = build_application(offline, request=request, token=CONSOLE_TOKEN)
    await application.initialize()
    try:
        await application.post_init(application)
        await application.start()  # the jobs: matching, digests, feeds
        # Only the console's own chat: on a store a running bot shares, other chats' alerts are
        # the bot's to deliver to Telegram, not this terminal's to print.
        start_sender(application.bot_data, Bot(CONSOLE_TOKEN, request=request, get_updates_request=request),
                     SendBudget(*UNPACED), only_chats=frozenset({CONSOLE_CHAT_ID}))
        await _converse(application, request, stdin, out, user_lang)
    finally:
        if application.running:
            await application.stop()
        await application.post_shutdown(application)  # the sender stopped, the store closed
        await application.shutdown()
