"""The rows both backends read, and the values they become: one column list and one converter
per value (storage/types.py), so a column added to a value is added here once.

Both backends select these columns in this order and hand the rows (sqlite3 rows, asyncpg
records) to the converters, which index them by position.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from storage.types import (
    AlertChat,
    Article,
    OutboxItem,
    OutboxKind,
    OutboxState,
    Source,
    Topic,
)

ARTICLE_COLUMNS = "id, title, body, language, source, url, published_at, ingested_at, story_id"
# `language`: the chosen one if set, else the latest sender's Telegram language.
CHAT_COLUMNS = ("chat_id, chat_type, coalesce(chosen_language, language), active, inactive_reason, timezone,"
                " digest_time, digest_due_after, chosen_language")
TOPIC_COLUMNS = "id, chat_id, query, paused, since_article, thread_id"
OUTBOX_ITEM_COLUMNS = "id, chat_id, article_id, topics, attempts, state, kind, created_at, last_error, thread_id"
SOURCE_COLUMNS = (
    "s.id, s.url, s.name, s.title, s.etag, s.last_modified, s.ttl_seconds, s.next_poll_at,"
    " s.last_polled_at, s.last_status, s.last_error, s.failures, s.paused_at IS NOT NULL,"
    " s.pause_notified, s.created_at,"
    " (SELECT count(*) FROM feed_items f WHERE f.source_id = s.id AND f.article_id IS NOT NULL)"
)
# A new or resumed topic fires only for articles stored after this: no old news.
NEWEST_ARTICLE = "(SELECT coalesce(max(id), 0) FROM articles)"
MATCH_CURSOR = "match"  # the row of `alert_cursor` the matcher owns
ERROR_CHARS = 500  # of an error kept with an outbox item or a digest


def article_from_row(row) -> Article:
    return Article(*row)


def chat_from_row(row) -> AlertChat:
    return AlertChat(row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6], row[7], row[8])


def topic_from_row(row) -> Topic:
    return Topic(row[0], row[1], row[2], bool(row[3]), row[4], row[5])


def item_from_row(row) -> OutboxItem:
    topics = tuple((int(t), str(q)) for t, q in json.loads(row[3]))
    return OutboxItem(row[0], row[1], row[2], topics, row[4], OutboxState(row[5]), OutboxKind(row[6]), row[7],
                      row[8], row[9])


def source_from_row(row) -> Source:
    return Source(*row[:12], bool(row[12]), bool(row[13]), row[14], row[15])


def topics_json(topics: Iterable[tuple[int, str]]) -> str:
    """An outbox item's matched topics as stored: [[topic id, query], ...]."""
    return json.dumps([[t, q] for t, q in topics], ensure_ascii=False)
