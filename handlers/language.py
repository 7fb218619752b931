"""/language: the chat's interface language, chosen by name or with buttons (or Telegram's again)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest

from bot.context import NewsContext
from bot.render import callbacks, keyboards, replies, strings
from bot.render.html import ellipsize, esc
from handlers.common import command_argument, may_change_topics, reply, ui_language

log = logging.getLogger(__name__)


def _current(lang: str, chosen: str | None) -> list[str]:
    key = "language_current" if chosen else "language_current_auto"
    return replies.render_text(lang, key, language=strings.text(lang, f"language_name_{lang}"))


async def _choose(update: Update, context: NewsContext, choice: str) -> tuple[str, list[str]]:
    """Store `choice` (`auto`: follow Telegram) for this chat; the language now and what to say in it."""
    chat = update.effective_chat
    chosen = None if choice == "auto" else choice
    await context.services.store.chats.set_language(chat.id, chat.type, chosen)
    lang = await ui_language(update, context)
    key = "language_set" if chosen else "language_set_auto"
    return lang, replies.render_text(lang, key, language=strings.text(lang, f"language_name_{lang}"))


async def language(update: Update, context: NewsContext) -> None:
    """`/language` shows the language and its buttons; `/language en` (or a name) sets it."""
    lang = await ui_language(update, context)
    argument = command_argument(update)
    if not argument:
        chosen = await context.services.store.chats.chosen_language(update.effective_chat.id)
        await reply(update, _current(lang, chosen), keyboards.language_keyboard(lang))
        return
    choice = strings.language_named(argument)
    if choice is None:
        await reply(update, replies.render_text(lang, "language_bad", value=esc(ellipsize(argument, 40))),
                    keyboards.language_keyboard(lang))
        return
    if not await may_change_topics(update, context):
        await reply(update, replies.render_text(lang, "language_admins_only"))
        return
    _, said = await _choose(update, context, choice)
    await reply(update, said)


async def button(update: Update, context: NewsContext) -> None:
    """A press on a /language button: every press is answered, a forged one as stale."""
    query = update.callback_query
    lang = await ui_language(update, context)
    choice = callbacks.parse_language(query.data)
    if choice is None or query.message is None:
        await query.answer(strings.text(lang, "button_stale"), show_alert=True)
        return
    if not await may_change_topics(update, context):
        await query.answer(strings.text(lang, "language_admins_only"), show_alert=True)
        return
    new, _ = await _choose(update, context, choice)
    await query.answer(strings.text(new, "language_set" if choice != "auto" else "language_set_auto",
                                    language=strings.text(new, f"language_name_{new}")))
    try:
        await query.edit_message_text(_current(new, None if choice == "auto" else new)[0],
                                      reply_markup=keyboards.language_keyboard(new))
    except BadRequest as exc:  # not modified: the message already says this
        log.info("language message not edited: %s", exc.message)
