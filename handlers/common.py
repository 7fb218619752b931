"""Sending rendered messages back to the chat an update came from."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Update


async def reply(update: Update, messages: Sequence[str], markup: InlineKeyboardMarkup | None = None) -> None:
    """Send `messages` in order (HTML, by the application's defaults); buttons go under the last one."""
    chat = update.effective_chat
    for index, message in enumerate(messages):
        last = index == len(messages) - 1
        await chat.send_message(
            message,
            reply_markup=markup if last else None,
        )


def command_argument(update: Update) -> str:
    """Everything after the command word (`/search@newsbot a b` -> `a b`), as typed."""
    text = update.effective_message.text or ""
    return text.partition(" ")[2].strip() if " " in text.strip() else ""
