"""Inline keyboards: search pages, alerts and topic lists (their data from bot/render/callbacks.py)."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render import callbacks, strings
from bot.render.html import ellipsize
from bot.search.engine import SearchPage
from storage import Topic

LABEL_CHARS = 24
MUTE_BUTTONS = 3


def page_keyboard(page: SearchPage, query_id: int, lang: str) -> InlineKeyboardMarkup | None:
    """Previous / next buttons under a page of results; None when it is the only page."""
    row = []
    if page.has_previous:
        row.append(InlineKeyboardButton(strings.text(lang, "page_previous"),
                                        callback_data=callbacks.page(query_id, max(0, page.offset - page.limit))))
    if page.has_next:
        row.append(InlineKeyboardButton(strings.text(lang, "page_next"),
                                        callback_data=callbacks.page(query_id, page.offset + page.limit)))
    return InlineKeyboardMarkup([row]) if row else None


def alert_keyboard(outbox_id: int, topics: Sequence[tuple[int, str]], lang: str) -> InlineKeyboardMarkup:
    """More like this, and one mute button per matched topic (at most three)."""
    rows = [[InlineKeyboardButton(strings.text(lang, "btn_more"), callback_data=callbacks.alert("more", outbox_id))]]
    for topic_id, query in topics[:MUTE_BUTTONS]:
        rows.append([InlineKeyboardButton(f"🔕 {ellipsize(query, LABEL_CHARS)}",
                                          callback_data=callbacks.alert("mute", topic_id))])
    return InlineKeyboardMarkup(rows)


def topics_keyboard(topics: Sequence[Topic], lang: str) -> InlineKeyboardMarkup | None:
    """Per topic: pause or resume, and remove; labelled with the topic's number in the list."""
    if not topics:
        return None
    rows = []
    for number, topic in enumerate(topics, start=1):
        action, label = ("resume", "btn_resume") if topic.paused else ("pause", "btn_pause")
        rows.append([
            InlineKeyboardButton(strings.text(lang, label, n=number), callback_data=callbacks.alert(action, topic.id)),
            InlineKeyboardButton(strings.text(lang, "btn_remove", n=number), callback_data=callbacks.alert("rm", topic.id)),
        ])
    return InlineKeyboardMarkup(rows)


def article_keyboard(article_id: int, level: int, levels: Sequence[int], lang: str) -> InlineKeyboardMarkup:
    """Under a summary: shorter / longer (only where there is one), full text, more like this, subscribe."""
    row = []
    if level in levels and levels.index(level) > 0:
        shorter = levels[levels.index(level) - 1]
        row.append(InlineKeyboardButton(strings.text(lang, "btn_shorter"),
                                        callback_data=callbacks.article("len", article_id, shorter)))
    if level in levels and levels.index(level) < len(levels) - 1:
        longer = levels[levels.index(level) + 1]
        row.append(InlineKeyboardButton(strings.text(lang, "btn_longer"),
                                        callback_data=callbacks.article("len", article_id, longer)))
    rows = [row] if row else []
    rows.append([InlineKeyboardButton(strings.text(lang, "btn_full_text"),
                                      callback_data=callbacks.article("full", article_id))])
    rows.append([
        InlineKeyboardButton(strings.text(lang, "btn_more_like"), callback_data=callbacks.article("like", article_id)),
        InlineKeyboardButton(strings.text(lang, "btn_follow_topic"), callback_data=callbacks.article("sub", article_id)),
    ])
    return InlineKeyboardMarkup(rows)


def language_keyboard(lang: str) -> InlineKeyboardMarkup:
    """/language's buttons: each language in its own name, then "follow my Telegram setting"."""
    return InlineKeyboardMarkup([
        [InlineKeyboardButton(strings.text(lang, "language_name_ar"), callback_data=callbacks.language("ar")),
         InlineKeyboardButton(strings.text(lang, "language_name_en"), callback_data=callbacks.language("en"))],
        [InlineKeyboardButton(strings.text(lang, "language_btn_auto"), callback_data=callbacks.language("auto"))],
    ])
