"""/subscribe, /topics, /unsubscribe, /digest, /timezone, and the buttons of alerts and lists."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest

from bot.alerts.schedule import read_digest, timezone_name
from bot.context import NewsContext
from bot.render import alerts as alert_messages
from bot.render import callbacks, keyboards, replies, strings
from bot.render.html import ellipsize, esc
from handlers.common import (
    command_argument,
    may_change_topics,
    reply,
    search_page,
    thread_of,
    ui_language,
    user_language,
)

log = logging.getLogger(__name__)


async def _refuse_non_admin(update: Update, context: NewsContext, lang: str) -> bool:
    if await may_change_topics(update, context):
        return False
    await reply(update, replies.render_text(lang, "topic_admins_only"))
    return True


async def subscribe(update: Update, context: NewsContext) -> None:
    """Follow a topic: new articles that match it are sent to this chat."""
    lang = await ui_language(update, context)
    text = command_argument(update)
    if not text:
        await reply(update, replies.render_text(lang, "topic_usage"))
        return
    if await _refuse_non_admin(update, context, lang):
        return
    chat = update.effective_chat
    result = await context.alerts.subscribe(chat.id, chat.type, user_language(update), text, thread_of(update))
    limit = context.alerts.max_topics
    if result.status == "no_words":
        await reply(update, replies.render_text(lang, "topic_no_words"))
    elif result.status == "full":
        await reply(update, replies.render_text(lang, "topic_full", limit=limit))
    else:
        key = "topic_added" if result.status == "added" else "topic_exists"
        await reply(update, replies.render_text(lang, key, topic=replies.echo_query(result.topic.query),
                                               count=result.count, limit=limit))


async def topics(update: Update, context: NewsContext) -> None:
    """This chat's topics, with buttons to pause, resume or remove each."""
    lang = await ui_language(update, context)
    found = await context.alerts.topics(update.effective_chat.id)
    await reply(update, alert_messages.render_topics(found, lang, context.alerts.max_topics),
                keyboards.topics_keyboard(found, lang))


async def unsubscribe(update: Update, context: NewsContext) -> None:
    """Stop following a topic, given by its number in /topics or by its text."""
    lang = await ui_language(update, context)
    reference = command_argument(update)
    if not reference:
        await reply(update, replies.render_text(lang, "unsubscribe_usage"))
        return
    if await _refuse_non_admin(update, context, lang):
        return
    chat_id = update.effective_chat.id
    topic = await context.alerts.find_topic(chat_id, reference)
    if topic is None or await context.alerts.unsubscribe(chat_id, topic.id) is None:
        await reply(update, replies.render_text(lang, "unsubscribe_not_found", topic=replies.echo_query(reference)))
        return
    await reply(update, replies.render_text(lang, "unsubscribed", topic=replies.echo_query(topic.query)))


async def digest(update: Update, context: NewsContext) -> None:
    """`/digest daily 08:00` or `/digest off`: one grouped message a day instead of instant alerts;
    `/digest` alone says which the chat has now, and a time that is no time says what is wrong."""
    lang = await ui_language(update, context)
    chat = update.effective_chat
    asked = read_digest(command_argument(update))
    if asked.action == "bad":
        await reply(update, replies.render_text(lang, "digest_bad_time", value=replies.echo_query(asked.value)))
        return
    if asked.action in ("show", "usage"):
        current = await context.alerts.chat(chat.id)
        timezone = esc(current.timezone if current else "UTC")
        if asked.action == "usage":
            await reply(update, replies.render_text(lang, "digest_usage", timezone=timezone))
        elif current is not None and current.digest_time:
            await reply(update, replies.render_text(lang, "digest_status_on", time=current.digest_time,
                                                   timezone=timezone))
        else:
            await reply(update, replies.render_text(lang, "digest_status_instant", timezone=timezone))
        return
    if await _refuse_non_admin(update, context, lang):
        return
    updated = await context.alerts.set_digest(chat.id, chat.type, user_language(update), asked.clock)
    if asked.clock is None:
        await reply(update, replies.render_text(lang, "digest_off"))
    else:
        await reply(update, replies.render_text(lang, "digest_on", time=asked.clock, timezone=esc(updated.timezone)))


async def timezone(update: Update, context: NewsContext) -> None:
    """`/timezone Asia/Damascus` (or `دمشق`, `+3`, `GMT-5`): the zone the daily digest time is read in."""
    lang = await ui_language(update, context)
    chat = update.effective_chat
    value = command_argument(update)
    if not value:
        current = await context.alerts.chat(chat.id)
        name = current.timezone if current else "UTC"
        await reply(update, replies.render_text(lang, "timezone_usage", timezone=esc(name)))
        return
    name = timezone_name(value)
    if name is None:
        await reply(update, replies.render_text(lang, "timezone_bad", value=replies.echo_query(value)))
        return
    if await _refuse_non_admin(update, context, lang):
        return
    updated = await context.alerts.set_timezone(chat.id, chat.type, user_language(update), name)
    await reply(update, replies.render_text(lang, "timezone_set", timezone=esc(updated.timezone)))


async def restart_alerts(update: Update, context: NewsContext) -> None:
    """/start after blocking the bot: the chat's topics alert again (runs beside start.start)."""
    if context.alerts is not None and update.effective_chat is not None:
        await context.alerts.reactivate(update.effective_chat.id)


async def button(update: Update, context: NewsContext) -> None:
    """A press on an alert's or a topic list's button; anything forged is politely refused."""
    query = update.callback_query
    lang = await ui_language(update, context)
    press = callbacks.parse_alert(query.data)
    chat = query.message.chat if query.message is not None else None
    if press is None or chat is None:
        await query.answer(strings.text(lang, "button_stale"), show_alert=True)
        return
    alerts = context.alerts
    if press.action == "more":
        item = await alerts.alert_item(press.id)
        if item is None or item.chat_id != chat.id or not item.topics:
            await query.answer(strings.text(lang, "button_stale"), show_alert=True)
            return
        await query.answer()
        _, found = await search_page(context, item.topics[0][1], 0, lang)
        await reply(update, found)
        return
    topic = await alerts.topic(press.id)
    if topic is None or topic.chat_id != chat.id:
        await query.answer(strings.text(lang, "button_stale"), show_alert=True)
        return
    if not await may_change_topics(update, context):
        await query.answer(strings.text(lang, "topic_admins_only"), show_alert=True)
        return
    if press.action == "rm":
        await alerts.unsubscribe(chat.id, topic.id)
        note = "topic_removed"
    else:
        paused = press.action in ("mute", "pause")
        await alerts.set_paused(chat.id, topic.id, paused)
        note = "topic_muted" if paused else "topic_resumed"
    await query.answer(strings.text(lang, note, topic=ellipsize(topic.query, 60)))
    if press.action != "mute":  # pressed under /topics: show the list as it is now
        found = await alerts.topics(chat.id)
        try:
            await query.edit_message_text(
                alert_messages.render_topics(found, lang, alerts.max_topics)[0],
                reply_markup=keyboards.topics_keyboard(found, lang),
            )
        except BadRequest as exc:  # e.g. not modified: the list already shows this
            log.info("topic list not edited: %s", exc.message)
