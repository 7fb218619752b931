"""/summary <id> (and /summary_<id>) with its buttons, and /read <id>: the article view."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot.context import NewsContext
from bot.render import articles, callbacks, keyboards, reading, replies, strings
from bot.search.similar import similar_page, topic_query
from bot.stories.grouping import also_reported_by
from bot.summaries.cache import FULL_SENTENCES
from bot.text import ascii_digits
from handlers.common import (
    command_argument,
    may_change_topics,
    reply,
    thread_of,
    ui_language,
    user_language,
)
from storage import Article

log = logging.getLogger(__name__)

_MAX_ID = 2**63 - 1


async def summary(update: Update, context: NewsContext) -> None:
    """The extractive summary of one article, by its number."""
    lang = await ui_language(update, context)
    argument = command_argument(update)
    if not argument:
        await reply(update, replies.render_text(lang, "summary_usage"))
        return
    await _send_summary(update, context, argument.split()[0], lang)


async def summary_shortcut(update: Update, context: NewsContext) -> None:
    """`/summary_12`, as printed under search results, which Telegram makes tappable."""
    command = (update.effective_message.text or "").split()[0].split("@")[0]
    await _send_summary(update, context, command.removeprefix("/summary_"), await ui_language(update, context))


def _article_id(value: str) -> int | None:
    digits = ascii_digits(value).lstrip("#")  # `/summary ١٢` is `/summary 12`
    if not (digits.isascii() and digits.isdigit()) or int(digits) > _MAX_ID:
        return None
    return int(digits)


async def _find(update: Update, context: NewsContext, value: str, lang: str, command: str) -> Article | None:
    article_id = _article_id(value)
    if article_id is None:
        await reply(update, replies.render_text(lang, f"{command}_bad_id", value=replies.echo_query(value)))
        return None
    article = await context.articles.get(article_id)
    if article is None:
        await reply(update, replies.render_text(lang, "summary_not_found", id=article_id))
    return article


async def _send_summary(update: Update, context: NewsContext, value: str, lang: str) -> None:
    article = await _find(update, context, value, lang, "summary")
    if article is not None:
        messages, markup = await _summary_view(context, article, FULL_SENTENCES, lang)
        await reply(update, messages, markup)


async def _summary_view(context: NewsContext, article: Article, level: int,
                        lang: str) -> tuple[list[str], InlineKeyboardMarkup]:
    levels = await context.summaries.levels(article)
    if levels and level not in levels:
        level = max([n for n in levels if n <= level], default=levels[0])
    sentences = await context.summaries.of_length(article, level)
    if level in levels and len(sentences) < level:  # the summarizer gave all it would: no longer
        levels = levels[: levels.index(level) + 1]
    also = await also_reported_by(context.services.store.stories, article)
    return (articles.render_summary(article, sentences, lang, also),
            keyboards.article_keyboard(article.id, level, levels, lang))


async def read(update: Update, context: NewsContext) -> None:
    """/read <id>: the article's whole text, in as many messages as it takes."""
    lang = await ui_language(update, context)
    argument = command_argument(update)
    if not argument:
        await reply(update, replies.render_text(lang, "read_usage"))
        return
    article = await _find(update, context, argument.split()[0], lang, "read")
    if article is not None:
        await _send_full_text(update, article, lang)


async def _send_full_text(update: Update, article: Article, lang: str) -> None:
    paras = await asyncio.to_thread(reading.paragraphs, article.body or "", article.language)
    await reply(update, reading.render_full_text(article, paras, lang))


async def button(update: Update, context: NewsContext) -> None:
    """A press under a summary: shorter / longer in place, full text, more like this, subscribe.
    Every press is answered once; anything forged or out of date says the button is stale."""
    query = update.callback_query
    lang = await ui_language(update, context)
    press = callbacks.parse_article(query.data)
    article = await context.articles.get(press.id) if press is not None and query.message is not None else None
    if article is None or (press.action == "len" and press.level not in await context.summaries.levels(article)):
        await query.answer(strings.text(lang, "button_stale"), show_alert=True)
        return
    if press.action == "sub":
        await _follow(update, context, article, lang)
        return
    await query.answer()
    if press.action == "len":
        await _change_length(update, context, article, press.level, lang)
    elif press.action == "full":
        await _send_full_text(update, article, lang)
    else:
        page = await similar_page(context.index, context.articles, article, limit=context.settings.page_size)
        shorts = {a.id: await context.summaries.short(a) for a in page.articles}
        found = articles.render_search(page, shorts, lang)
        await reply(update, found if len(found) == 1 else articles.render_search(page, {}, lang))


async def _change_length(update: Update, context: NewsContext, article: Article, level: int, lang: str) -> None:
    messages, markup = await _summary_view(context, article, level, lang)
    if len(messages) == 1:
        try:
            await update.callback_query.edit_message_text(messages[0], reply_markup=markup)
            return
        except BadRequest as exc:
            if "not modified" in exc.message.lower():
                return
            log.info("summary not edited, sent anew: %s", exc.message)
    await reply(update, messages, markup)  # too long for one message, or too old to edit


async def _follow(update: Update, context: NewsContext, article: Article, lang: str) -> None:
    """Subscribe the chat to a topic made from the article; answered as /subscribe answers."""
    query = update.callback_query
    if not await may_change_topics(update, context):
        await query.answer(strings.text(lang, "topic_admins_only"), show_alert=True)
        return
    text = topic_query(article)
    chat = update.effective_chat
    result = await context.alerts.subscribe(chat.id, chat.type, user_language(update), text, thread_of(update)) if text else None
    limit = context.alerts.max_topics
    if result is None or result.status == "no_words":
        await query.answer(strings.text(lang, "topic_no_words"), show_alert=True)
        return
    if result.status == "full":
        await query.answer(strings.text(lang, "topic_full", limit=limit), show_alert=True)
        return
    await query.answer()
    key = "topic_added" if result.status == "added" else "topic_exists"
    await reply(update, replies.render_text(lang, key, topic=replies.echo_query(result.topic.query),
                                           count=result.count, limit=limit))
