"""/summary <id> and its tappable form /summary_<id>."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsContext
from bot.render import articles, replies
from bot.stories.grouping import also_reported_by
from bot.text import ascii_digits
from handlers.common import command_argument, reply, ui_language

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


async def _send_summary(update: Update, context: NewsContext, value: str, lang: str) -> None:
    digits = ascii_digits(value).lstrip("#")  # `/summary ١٢` is `/summary 12`
    if not (digits.isascii() and digits.isdigit()) or int(digits) > _MAX_ID:
        await reply(update, replies.render_text(lang, "summary_bad_id", value=replies.echo_query(value)))
        return
    article = await context.articles.get(int(digits))
    if article is None:
        await reply(update, replies.render_text(lang, "summary_not_found", id=int(digits)))
        return
    sentences = await context.summaries.full(article)
    also = await also_reported_by(context.services.store.stories, article)
    await reply(update, articles.render_summary(article, sentences, lang, also))
