"""What the handlers share: replying, reading a command, the user's language, who may change topics."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from telegram import ChatMember, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.context import NewsContext
from bot.render import articles as article_messages
from bot.render import keyboards, replies, strings
from bot.search.engine import SearchPage, search_articles
from bot.search.query import Query, parse_query

log = logging.getLogger(__name__)


async def reply(update: Update, messages: Sequence[str], markup: InlineKeyboardMarkup | None = None) -> None:
    """Send `messages` in order (HTML, by the application's defaults); buttons go under the last one."""
    chat = update.effective_chat
    thread = thread_of(update)
    for index, message in enumerate(messages):
        last = index == len(messages) - 1
        await chat.send_message(message, reply_markup=markup if last else None, message_thread_id=thread)


def thread_of(update: Update) -> int | None:
    """The forum topic thread the update came from (None: the chat's main thread)."""
    message = update.effective_message
    return message.message_thread_id if message is not None and message.is_topic_message else None


def command_argument(update: Update) -> str:
    """Everything after the command word (`/search@newsbot a b` -> `a b`), as typed."""
    text = update.effective_message.text or ""
    return text.partition(" ")[2].strip() if " " in text.strip() else ""


def user_language(update: object) -> str:
    """UI language of whoever sent `update`, from their Telegram settings."""
    user = getattr(update, "effective_user", None)
    return strings.language_for(user.language_code if user else None)


async def ui_language(update: object, context: NewsContext) -> str:
    """The language to answer `update` in: the one the chat chose with /language, else the
    sender's Telegram language. Inline queries have no chat: the user's own private chat's
    choice counts (its id is the user's). Never raises (the error handler asks it too)."""
    telegram = user_language(update)
    chat = getattr(update, "effective_chat", None)
    user = getattr(update, "effective_user", None)
    chat_id = chat.id if chat is not None else user.id if user is not None else None
    if chat_id is None:
        return telegram
    try:
        chosen = await context.services.store.chats.chosen_language(chat_id)
    except Exception:  # a failing store must not stop an answer (or the error handler)
        log.warning("could not read the chosen language of chat %s", chat_id, exc_info=True)
        return telegram
    return chosen if chosen in strings.LANGUAGES else telegram


async def may_change_topics(update: Update, context: NewsContext) -> bool:
    """Anyone in a private chat; in a group, its administrators (or the group posting as itself)."""
    chat = update.effective_chat
    if chat.type == ChatType.PRIVATE:
        return True
    message = update.effective_message
    if update.callback_query is None and message is not None and message.sender_chat is not None:
        return message.sender_chat.id == chat.id  # an anonymous administrator
    user = update.effective_user
    if user is None:
        return False
    try:
        member = await context.bot.get_chat_member(chat.id, user.id)
    except TelegramError:
        log.warning("could not check whether %s administers chat %s", user.id, chat.id, exc_info=True)
        return False
    return member.status in (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


async def search_page(context: NewsContext, query: Query | str, offset: int, lang: str) -> tuple[SearchPage, list[str]]:
    """One page of results for `query`, rendered as a single message (so buttons can turn it)."""
    page = await search_articles(context.index, context.articles, query,
                                 limit=context.settings.page_size, offset=offset)
    shorts = {a.id: await context.summaries.short(a) for a in page.articles}
    messages = article_messages.render_search(page, shorts, lang)
    if len(messages) > 1:  # a page is one message, so that buttons can turn it in place
        messages = article_messages.render_search(page, {}, lang)
    return page, messages


async def answer_search(update: Update, context: NewsContext, text: str, lang: str) -> None:
    """The first page for `text` (words and filters), with page buttons: /search and plain text."""
    query = parse_query(text)
    if not query.clauses and not query.filtered:
        key = "search_only_excluded" if query.excluded else "search_no_words"
        await reply(update, replies.render_text(lang, key))
        return
    page, messages = await search_page(context, query, 0, lang)
    markup = None
    if page.has_next:
        query_id = await context.index.remember_query(update.effective_chat.id, text)
        markup = keyboards.page_keyboard(page, query_id, lang)
    await reply(update, messages, markup)


async def bot_admin(update: Update, context: NewsContext, lang: str) -> bool:
    """Whether the sender is one of NEWSBOT_ADMIN_IDS; anyone else is told, politely, that not."""
    user = update.effective_user
    if user is not None and user.id in context.settings.admin_ids:
        return True
    await reply(update, replies.render_text(lang, "sources_admins_only"))
    return False
